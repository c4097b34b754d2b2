# %% [markdown]
# # The Busan decision of 2025-10-30, from Python
#
# A notebook-style walk (run it as a script, or cell by cell in an editor
# that reads `# %%` cells): load the shipped scenario, evaluate every way
# the meeting and the IEEPA ruling could end, plot the average US duty on
# Chinese goods over time, sweep the probability of escalation, and save
# the tables as Parquet.
#
#     pip install ./python matplotlib
#     python python/examples/busan_walkthrough.py [OUT_DIR]

# %%
import sys
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; no window needed
import matplotlib.pyplot as plt
import pyarrow.parquet as pq

import tariffsim
from tariffsim import cents
from tariffsim import dask as tdask

REPO = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("busan-out")
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Load and evaluate

# %%
busan = tariffsim.load_scenario(REPO / "data" / "scenarios" / "busan-2025.toml")
print(busan.title)
print("horizon:", *busan.horizon, "(end not counted)")
result = busan.evaluate()

for p in result.paths():
    us = p["sides"]["US<-CN"]
    print(
        f"{p['id']:<20} p={p['probability']:<5} US keeps ${cents(us['net']):>18,}"
        f"  (collects ${cents(us['gross']):>18,}, refunds ${cents(us['refundable']):>17,})"
    )
print(f"expected US duty kept: ${cents(result.expected('US<-CN')):,}")
# Measures the list-level baseline cannot value are listed, never zero.
unvalued = [d["measure"] for d in result.diagnostics() if d["side"] == "US<-CN"]
print(f"not valued on US<-CN ({len(unvalued)}):", ", ".join(unvalued))

# %% [markdown]
# ## The average additional duty over time, per path
#
# `timeline(path)` is a step function: one row per piece and layer, `start`
# counted and `end` not; layer `"all"` is every layer together.

# %%
def step_line(path_id):
    t = result.timeline(path_id, layers=False).to_pandas()
    us = t[t.side == "US<-CN"]
    xs = list(us.start) + [us.end.iloc[-1]]
    ys = [r * 100 for r in us.rate_float] + [us.rate_float.iloc[-1] * 100]
    return xs, ys


lines = {p["id"]: step_line(p["id"]) for p in result.paths()}
# Paths share history and some coincide, so each gets its own panel, drawn
# over the others in grey.
fig, axes = plt.subplots(3, 2, figsize=(10, 8), sharex=True, sharey=True)
for ax, p in zip(axes.flat, result.paths()):
    for other, (xs, ys) in lines.items():
        ax.step(xs, ys, where="post", color="0.85", linewidth=1)
    xs, ys = lines[p["id"]]
    ax.step(xs, ys, where="post", color="C0", linewidth=2)
    ax.set_title(f"{p['id']}  (p = {p['probability']})", fontsize=9)
    ax.tick_params(labelsize=7)
for ax in axes[:, 0]:
    ax.set_ylabel("% of import value", fontsize=8)
fig.suptitle("Average additional US duty on goods from China, by outcome (MFN not included)", fontsize=11)
fig.text(0.01, 0.01, "Source: tariffsim, data/scenarios/busan-2025.toml (2024 list-level import values)", fontsize=7)
fig.autofmt_xdate()
fig.tight_layout(rect=(0, 0.03, 1, 0.97))
fig.savefig(OUT / "busan-timeline.png", dpi=110)
print("wrote", OUT / "busan-timeline.png")

# %% [markdown]
# ## Sweep the probability of escalation
#
# Each variation sets the three branch probabilities at the Busan node
# (they must sum to exactly 1, so they are written as text). With a Dask
# `Client` the same call spreads the sweep over a cluster.

# %%
variations = []
for k in range(0, 31):
    esc = Decimal(k) / 100  # 0.00 .. 0.30
    variations.append(
        {
            "id": str(esc),
            "probability": {"busan": {"deal": str(Decimal("0.75") - esc), "extension": "0.25", "escalation": str(esc)}},
        }
    )
sweep = tdask.sweep(busan, variations)  # or tdask.sweep(busan, variations, client)
us = sweep[sweep.side == "US<-CN"]
print(us[["variation", "expected", "p90", "max"]].head())

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot([float(v) for v in us.variation], us.expected_float / 1e9)
ax.set_xlabel("probability of escalation at Busan")
ax.set_ylabel("expected US duty kept, $B over the horizon")
fig.tight_layout()
fig.savefig(OUT / "busan-escalation-sweep.png", dpi=120)

# %% [markdown]
# ## Save the tables as Parquet
#
# Money stays exact: Arrow decimal128(38, 10).

# %%
pq.write_table(result.to_arrow(), OUT / "busan-duty.parquet")
pq.write_table(tdask.sweep_arrow(busan, variations), OUT / "busan-escalation-sweep.parquet")
back = pq.read_table(OUT / "busan-duty.parquet")
assert back.schema.field("net").type == result.to_arrow().schema.field("net").type
print("wrote", OUT / "busan-duty.parquet", f"({back.num_rows} rows)")
