"""The README's Python example runs as written, from the repository root."""

from __future__ import annotations

import os
import re

from conftest import REPO


def test_the_readme_example_runs(monkeypatch):
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(REPO)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert os.getcwd() == str(REPO)
