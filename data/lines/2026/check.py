#!/usr/bin/env python3
"""Independent check of the line-level data in data/lines/2026.

Reads only files under data/ and computes, exactly (decimal.Decimal, no
floats), the figures that tests of the line-level record rely on, printing
each with its derivation and, where one exists, the published figure it is
compared with (data/lines/2026/figures/, copied from the reference set):

  1. value-weighted MFN on the 2024 China lines;
  2. reciprocal-exempt 2024 value on 2025-04-10 and 2025-12-01;
  3. Section 232 value covered by program on 2025-12-01 and 2026-05-01,
     with and without the flagged rows dropped by data/lines/2026/README.md,
     and the Annex III floor net of MFN on 2026-05-01;
  4. Section 122 exempt value on 2026-03-01 under stated assumptions;
  5. calendar 2024 modelled duty against the Census calculated duty, in
     total, per HS chapter, and the lines with the largest gaps.

Standard library only. Run from anywhere: python3 data/lines/2026/check.py
Rounding: none until printing; printed dollars are rounded half-even to the
dollar, shares to the stated places.
"""

import csv
import datetime
import functools
import sys
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent  # data/lines/2026
LINES = HERE.parent  # data/lines
ZERO = Decimal(0)
ONE = Decimal(1)


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def day(s):
    return datetime.date.fromisoformat(s)


def rate(s):
    """'6.8%' -> Decimal('0.068'), exactly."""
    assert s.endswith("%"), s
    return Decimal(s[:-1]) / 100


def in_window(d, start, until):
    """[start, until): until is the first day not covered; '' = open."""
    return (start == "" or day(start) <= d) and (until == "" or d < day(until))


def usd(x):
    q = x.quantize(ONE, ROUND_HALF_EVEN)
    return f"-${-q:,}" if q < 0 else f"${q:,}"


def bn(x):
    q = (x / Decimal(10) ** 9).quantize(Decimal("0.001"), ROUND_HALF_EVEN)
    return f"-${-q}B" if q < 0 else f"${q}B"


def pct(x, places="0.01"):
    return f"{(x * 100).quantize(Decimal(places), ROUND_HALF_EVEN)}%"


def longest(code, prefixes):
    """The longest prefix of `code` in `prefixes` (a dict prefix -> item), or None."""
    for n in range(len(code), 1, -1):
        if code[:n] in prefixes:
            return prefixes[code[:n]]
    return None


# ------------------------------------------------------------------ inputs
CHINA = read(LINES / "us-imports-from-china-2024-hts10.csv")
VALUE = {r["hts10"]: Decimal(r["value_usd"]) for r in CHINA}
CENSUS = {r["hts10"]: Decimal(r["calculated_duty_usd"]) for r in CHINA}
DESC = {r["hts10"]: r["description"] for r in CHINA}
TOTAL = sum(VALUE.values())
CENSUS_TOTAL = sum(CENSUS.values())
MFN = {r["hts8"]: r for r in read(HERE / "mfn-hts8.csv")}
SUMMARY = {r["metric"]: r["value"] for r in read(HERE / "figures/sanity-summary.csv")}


def heading(title):
    print()
    print(title)
    print("=" * len(title))


def check_inputs():
    heading("0. Inputs")
    print(f"data/lines/us-imports-from-china-2024-hts10.csv: {len(CHINA):,} lines, value {usd(TOTAL)}, "
          f"Census calculated duty {usd(CENSUS_TOTAL)} ({pct(CENSUS_TOTAL / TOTAL, '0.001')})")
    assert len(CHINA) == 14422 and TOTAL == Decimal("429425828419") and CENSUS_TOTAL == Decimal("46661215871")


# ---------------------------------------------------------------- 1. MFN
def mfn_rate(h):
    """(ad valorem component or None, fully valued?, rate_type) of a China line."""
    m = MFN.get(h[:8])
    if m is None:
        return None, False, "unmatched"
    av = rate(m["ad_valorem"]) if m["ad_valorem"] else None
    return av, m["fully_valued"] == "yes", m["rate_type"]


def check_mfn():
    heading("1. MFN (column 1 general) on the 2024 China lines")
    by_type = defaultdict(lambda: [0, ZERO])
    num = den = ZERO
    av_all = ZERO
    for h, v in VALUE.items():
        av, full, t = mfn_rate(h)
        by_type[t][0] += 1
        by_type[t][1] += v
        if full:
            num += v * av
            den += v
        if av is not None:
            av_all += v * av
    for t, (n, v) in sorted(by_type.items()):
        print(f"  {t:12} {n:6,} lines  {usd(v):>20}  {pct(v / TOTAL)} of value")
    vw = num / den
    print(f"value-weighted MFN on ad valorem and free lines = sum(value x rate) / sum(value)")
    print(f"  = {usd(num)} / {usd(den)} = {pct(vw, '0.0001')}   (reference set: 2.54%, "
          f"sanity-summary vw_mfn_on_ad_valorem_lines {SUMMARY['vw_mfn_on_ad_valorem_lines']})")
    print(f"MFN duty counting every ad valorem component (specific parts not valued): {usd(av_all)} = "
          f"{pct(av_all / TOTAL, '0.0001')} of all value   (reference set: $10.87B, 2.53%)")
    not_valued = sum(v for h, v in VALUE.items() if not mfn_rate(h)[1])
    print(f"lines whose MFN is not fully valued (specific, compound, other, unmatched): {usd(not_valued)}")
    assert vw.quantize(Decimal("0.0001")) == Decimal("0.0254")
    return vw


# ------------------------------------------------- 2. reciprocal exemptions
def check_reciprocal():
    heading("2. Reciprocal (IEEPA) exemptions, dated")
    rows = read(HERE / "reciprocal-exempt-dated-hts10.csv")
    out = {}
    for d, published in (("2025-04-10", "122412029211"), ("2025-12-01", "122559869733")):
        codes = {r["hts10"] for r in rows if in_window(day(d), r["from"], r["until"])}
        v = sum(VALUE[h] for h in VALUE if h in codes)
        by = defaultdict(lambda: ZERO)
        for r in rows:
            if in_window(day(d), r["from"], r["until"]) and r["hts10"] in VALUE:
                by[r["list"]] += VALUE[r["hts10"]]
        print(f"{d}: {len(codes):,} codes in force; 2024 value of the China lines they name {usd(v)} "
              f"({pct(v / TOTAL)}); sanity-summary: {usd(Decimal(SUMMARY['reciprocal_exempt_value_usd@' + d]))}")
        for k, x in sorted(by.items()):
            print(f"    {k:40} {usd(x):>20}")
        assert v == Decimal(published)
        out[d] = v
    old = read(LINES / "reciprocal-exempt-hts10.csv")
    oc = {r["hts10"] for r in old}
    ov = sum(VALUE[h] for h in VALUE if h in oc)
    print(f"older undated list (data/lines/reciprocal-exempt-hts10.csv): {usd(ov)} "
          f"-> the dated list is {usd(ov - out['2025-04-10'])} smaller on 2025-04-10")
    return out


# ------------------------------------------------------------ 3. Section 232
PRODUCTS = read(HERE / "s232-products.csv")
DROPPED = read(HERE / "s232-products-dropped.csv")
SCHEDULE = read(HERE / "s232-rate-schedule.csv")
CONTENT = {r["hts10"]: r for r in read(HERE / "s232-metal-content-hts10.csv")}
FALLBACK = {(r["hts10"], r["metal"]): Decimal(r["share"]) for r in read(HERE / "s232-metal-content-fallback.csv")}


def content_share(h, metal, missing):
    """Metal share of a line: BEA (capped at 1), else the fallback file, else `missing`
    (which is None when a missing share is an error)."""
    c = CONTENT.get(h)
    if c and c["status"].startswith("bea"):
        return Decimal(c[metal + "_share"])
    if (h, metal) in FALLBACK:
        return FALLBACK[(h, metal)]
    if missing is None:
        raise SystemExit(f"line {h}: no {metal} share and no fallback row: a content-based measure needs one")
    return missing


@functools.lru_cache(maxsize=None)
def programs_on(d, include_dropped):
    """program -> {prefix: row} of the product rows in force on d (longest prefix wins later)."""
    out = defaultdict(dict)
    for r in PRODUCTS + (DROPPED if include_dropped else []):
        if in_window(d, r["from"], r["until"]):
            # two rows of one program for one prefix on one date: same tier and basis (checked)
            prev = out[r["program"]].get(r["hts"])
            if prev is not None:
                assert (prev["list"].split("-from")[0].split("-until")[0], prev["duty_basis"]) == \
                       (r["list"].split("-from")[0].split("-until")[0], r["duty_basis"]), (prev, r)
            out[r["program"]][r["hts"]] = r
    return out


def tier(r):
    if r["program"] != "metals_annex":
        return r["program"]
    t = r["list"].replace("s232-annex-", "annex-")
    return t.split("-from-")[0].split("-until-")[0]


def coverage(d, include_dropped, missing=None, skip_bare_8471=False):
    """{group: [lines, value, base]} and the union (annex II excluded) on day d."""
    progs = programs_on(day(d), include_dropped)
    if skip_bare_8471:
        progs = {p: {k: r for k, r in rows.items() if k != "8471"} for p, rows in progs.items()}
    groups = defaultdict(lambda: [0, ZERO, ZERO])
    union = set()
    positive = set()
    for h, v in VALUE.items():
        for p, prefixes in progs.items():
            r = longest(h, prefixes)
            if r is None:
                continue
            g = tier(r)
            base = v
            if r["duty_basis"].endswith("-content"):
                base *= content_share(h, r["duty_basis"].split("-")[0], missing)
            if r["applied_share"]:
                base *= Decimal(r["applied_share"])
            groups[g][0] += 1
            groups[g][1] += v
            groups[g][2] += base
            if g != "annex-ii":
                union.add(h)
                if base > 0:
                    positive.add(h)
    return groups, union, positive


def check_s232():
    heading("3. Section 232 coverage of the 2024 China lines")
    # a list has one membership window, and one rate per day for each scope
    windows = defaultdict(set)
    for r in PRODUCTS:
        windows[r["list"]].add((r["from"], r["until"]))
    assert all(len(w) == 1 for w in windows.values()), {k: w for k, w in windows.items() if len(w) > 1}
    periods = defaultdict(list)
    for r in SCHEDULE:
        periods[(r["list"], r["scope"])].append((r["from"], r["until"] or "9999-12-31"))
    for k, ps in periods.items():
        ps.sort()
        assert all(a[1] <= b[0] for a, b in zip(ps, ps[1:])), k
    assert set(windows) <= {r["list"] for r in SCHEDULE}
    print(f"{len(windows)} lists, each with one membership window and non-overlapping rate periods")
    print("rule: within a program the longest matching prefix wins (a line can be in several programs);")
    print("in-scope value = 2024 value of matched lines; duty base = value x metal share (content-based rows)")
    print("x applied share (auto-parts applicability, semiconductor qualifying share). Union: any program")
    print("but Annex II (removed from scope). 'as compiled' keeps the 55 rows this data drops (suspect_8471,")
    print("broad_prefix); 'as shipped' is the data as it stands.")
    pub = defaultdict(dict)
    for r in read(HERE / "figures/sanity-s232-coverage.csv"):
        pub[r["date"]][(r["program"], r["scope"])] = r
    res = {}
    for d in ("2025-12-01", "2026-05-01"):
        shipped, su, sp = coverage(d, False)
        compiled, cu, cp = coverage(d, True, missing=Decimal("0.5"))
        print(f"\n{d}                      shipped: lines  in-scope value    duty base   | as compiled: value   "
              f"| sanity file: value (without bare 8471)")
        for g in sorted(set(shipped) | set(compiled)):
            s = shipped.get(g, [0, ZERO, ZERO])
            c = compiled.get(g, [0, ZERO, ZERO])
            key = ("metals_annex", g.replace("-", "_").replace("annex_i_a", "annex_1a").replace("annex_i_b", "annex_1b")
                   .replace("annex_i_c", "annex_1c").replace("annex_iii", "annex_3").replace("annex_ii", "annex_2")) \
                if g.startswith("annex") else (g, "")
            p = pub[d].get(key)
            ps = f"{bn(Decimal(p['value_usd']))} ({bn(Decimal(p['value_usd_without_bare_8471_prefix']))})" if p else "-"
            print(f"  {g:16} {s[0]:5,} {bn(s[1]):>12} {bn(s[2]):>12}   | {bn(c[1]):>12}        | {ps}")
        _, su8, _ = coverage(d, False, skip_bare_8471=True)
        _, cu8, _ = coverage(d, True, missing=Decimal("0.5"), skip_bare_8471=True)
        uv = sum(VALUE[h] for h in su)
        upv = sum(VALUE[h] for h in sp)
        cuv = sum(VALUE[h] for h in cu)
        p = pub[d][("ANY_232 (union, excl. annex_2)", "")]
        print(f"  union: shipped {len(su):,} lines {bn(uv)} (with a positive duty base: {bn(upv)}); as compiled "
              f"{bn(cuv)}; sanity file {bn(Decimal(p['value_usd']))} ({bn(Decimal(p['value_usd_without_bare_8471_prefix']))} "
              f"without bare 8471)")
        print(f"  union without the bare-8471 rows (comparable to the sanity file's second figure): shipped "
              f"{bn(sum(VALUE[h] for h in su8))}, as compiled {bn(sum(VALUE[h] for h in cu8))}")
        res[d] = (shipped, uv, upv, compiled, cuv)
    # what the flag decisions move, on 2026-05-01
    s, uv, upv, c, cuv = res["2026-05-01"]
    moved_b = c["annex-i-b"][1] - s["annex-i-b"][1]
    moved_3 = c["annex-iii"][1] - s["annex-iii"][1]
    print(f"\nflag decisions on 2026-05-01: Annex I-B {bn(c['annex-i-b'][1])} -> {bn(s['annex-i-b'][1])} "
          f"(-{bn(moved_b)}), Annex III {bn(c['annex-iii'][1])} -> {bn(s['annex-iii'][1])} (-{bn(moved_3)}), "
          f"union {bn(cuv)} -> {bn(uv)} (-{bn(cuv - uv)})")
    eight471 = sum(v for h, v in VALUE.items() if h.startswith("8471"))
    print(f"  of which the bare 8471 row (suspect_8471): the 2024 value of heading 8471 is {bn(eight471)}")
    return res


def check_annex_iii_floor():
    """Annex III on 2026-05-01: the duty is max(0, 15% - MFN) on each line whose
    longest metals-annex prefix is Annex III; a line whose MFN is not fully valued
    cannot be valued under it and is counted apart."""
    print("\nAnnex III floor on 2026-05-01: duty = max(0, 15% - MFN ad valorem) x value, per line")
    annex = programs_on(day("2026-05-01"), False)["metals_annex"]
    floor = Decimal("0.15")
    n = 0
    value = duty = not_valued = ZERO
    at_or_above = 0
    for h, v in VALUE.items():
        r = longest(h, annex)
        if r is None or tier(r) != "annex-iii":
            continue
        av, full, _ = mfn_rate(h)
        if not full:
            not_valued += v
            continue
        n += 1
        value += v
        duty += v * max(ZERO, floor - av)
        at_or_above += av >= floor
    print(f"  {n} lines, {usd(value)}: 15% flat would be {usd(value * floor)} a year; net of MFN "
          f"{usd(duty)} a year ({pct(duty / value, '0.0001')} of value); lines with MFN >= 15%: {at_or_above}; "
          f"value with MFN not fully valued: {usd(not_valued)}")
    print(f"  one day of 2026 (365 days): {duty / 365:.6f}")
    return duty


# ------------------------------------------------------------ 4. Section 122
def check_s122(s232_union_full, s232_content, s232_content_union):
    heading("4. Section 122 (10%, 2026-02-24 to 2026-07-23) exempt value on 2026-03-01")
    rows = read(HERE / "s122-exempt-products.csv")
    by = defaultdict(set)
    for r in rows:
        by[r["list"]].add(r["hts"])
    lines = {}
    for lst, codes in by.items():
        pre = {c: True for c in codes}
        lines[lst] = {h for h in VALUE if longest(h, pre)}
    ch98 = {h for h in VALUE if h.startswith("98")}
    for lst in sorted(lines):
        print(f"  {lst:26} {len(by[lst]):5} codes  {len(lines[lst]):5} lines  {bn(sum(VALUE[h] for h in lines[lst]))}")
    print(f"  chapter 98 (heading 9903.03.0x exemptions)  {len(ch98)} lines  {bn(sum(VALUE[h] for h in ch98))}")
    uncond = lines["s122-exempt-aa-ii"] | lines["s122-exempt-aa-iii"] | lines["s122-exempt-unconfirmed"] | ch98
    aircraft = lines["s122-civil-aircraft"]
    u, s232 = s232_union_full
    a = uncond | s232
    v_a = sum(VALUE[h] for h in a)
    v_a98 = sum(VALUE[h] for h in lines["s122-exempt-aa-ii"] | lines["s122-exempt-aa-iii"] | s232)
    print(f"assumption A (default): civil-aircraft lines pay (the class is use-conditional; Yale found ~61% of that value")
    print(f"  paid the 10%); 232 lines exempt in full (note 2(aa)(v)):")
    print(f"  (aa)(ii) + (aa)(iii) + unconfirmed + ch 98 + any 232 program but Annex II = {usd(v_a)} ({pct(v_a / TOTAL)})"
          f"   sanity-summary {usd(Decimal(SUMMARY['s122_exempt_union_uncond_or_232_value_usd@2026-03-01']))}")
    print(f"  the same without chapter 98 and the unconfirmed 9031.49.70 (as the sanity file counts it): {usd(v_a98)}")
    info = sum(v for h, v in VALUE.items() if h[:2] in ("49", "97") and h not in a)
    print(f"  not in the data: informational materials (headings 9903.03.0x) - chapters 49 and 97 not already "
          f"counted carry {usd(info)}")
    b = a | aircraft
    v_b = sum(VALUE[h] for h in b)
    print(f"assumption B: civil-aircraft lines exempt in full: {usd(v_b)} ({pct(v_b / TOTAL)})   sanity-summary "
          f"{usd(Decimal(SUMMARY['s122_exempt_union_uncond_or_232_or_aircraft_value_usd@2026-03-01']))}")
    # content-adjusted: pre-annex derivatives exempt only on their covered share
    v_c = sum(VALUE[h] for h in uncond)
    for h, sh in s232_content.items():
        if h not in uncond:
            v_c += VALUE[h] * sh
    listed = lines["s122-exempt-aa-ii"] | lines["s122-exempt-aa-iii"]
    v_c2 = sum(VALUE[h] for h in listed) + sum(VALUE[h] * sh for h, sh in s232_content.items() if h not in listed)
    print(f"assumption A, 232 lines exempt only on the share 232 covers: {usd(v_c)} ({pct(v_c / TOTAL)}); without "
          f"chapter 98 and 9031.49.70 {usd(v_c2)}; sanity-summary "
          f"{usd(Decimal(SUMMARY['s122_exempt_uncond_or_232_content_adjusted_value_usd@2026-03-01']))}")
    uncond_b = uncond | aircraft
    v_d = sum(VALUE[h] for h in uncond_b) + sum(VALUE[h] * sh for h, sh in s232_content.items() if h not in uncond_b)
    print(f"assumption B, 232 lines exempt only on the share 232 covers: {usd(v_d)} ({pct(v_d / TOTAL)})")
    # as the crate's record stacks it: distinct metals' shares add up (capped at 1)
    v_e = sum(VALUE[h] for h in uncond) + sum(VALUE[h] * sh for h, sh in s232_content_union.items() if h not in uncond)
    v_f = sum(VALUE[h] for h in uncond_b) + sum(VALUE[h] * sh for h, sh in s232_content_union.items()
                                                if h not in uncond_b)
    print(f"the same, each metal displacing its own share and the shares of a line added (capped at 1), as the")
    print(f"  record stacks them: assumption A {usd(v_e)} ({pct(v_e / TOTAL)}), assumption B {usd(v_f)} "
          f"({pct(v_f / TOTAL)})")
    return v_a, v_b, v_c, v_d, v_e, v_f


def s232_sets(d):
    """Lines under any 232 program but Annex II on d (shipped data), each such line's covered share (the
    largest any program takes), and its union share: each metal's content displaced on its own share, the
    shares of distinct metals added and capped at 1 (full-value programs count 1), as the crate's record
    stacks them (data/README.md, "Shares of several contents above 1")."""
    progs = programs_on(day(d), False)
    full = set()
    share = {}
    union = {}
    for h, v in VALUE.items():
        best = None
        by_base = defaultdict(lambda: ZERO)
        for p, prefixes in progs.items():
            r = longest(h, prefixes)
            if r is None or tier(r) == "annex-ii":
                continue
            full.add(h)
            sh = ONE
            base = "full"
            if r["duty_basis"].endswith("-content"):
                base = r["duty_basis"].split("-")[0]
                sh = content_share(h, base, None)
            if r["applied_share"]:
                sh *= Decimal(r["applied_share"])
            best = sh if best is None else max(best, sh)
            by_base[base] = max(by_base[base], sh)
        if best is not None:
            share[h] = best
            union[h] = min(ONE, sum(by_base.values()))
    return (None, full), share, union


# --------------------------------------------------- 5. 2024 reconciliation
# Section 301 list rates, from data/lines/README.md ("List ids"): in force on
# every day of 2024 unless a start date is given.
LIST_RATE = {
    "list-1": Decimal("0.25"), "list-2": Decimal("0.25"), "list-3": Decimal("0.25"),
    "list-3-addl": Decimal("0.25"), "list-4a": Decimal("0.075"), "list-4b": ZERO,
}
EARLIEST = ["list-1", "list-2", "list-3", "list-3-addl", "list-4a", "list-4b"]
REVIEW = {  # id: (rate, first day)
    "review-2024-25": (Decimal("0.25"), "2024-09-27"), "review-2024-50": (Decimal("0.50"), "2024-09-27"),
    "review-2024-100": (Decimal("1"), "2024-09-27"), "review-2024-cranes": (Decimal("0.25"), "2024-09-27"),
    "review-2025-50": (Decimal("0.50"), "2025-01-01"), "review-2025-25": (Decimal("0.25"), "2025-01-01"),
    "review-2026-25": (Decimal("0.25"), "2026-01-01"), "review-2026-50": (Decimal("0.50"), "2026-01-01"),
    "review-2026-100": (Decimal("1"), "2026-01-01"),
}
Y2024 = (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1))
DAYS = Decimal((Y2024[1] - Y2024[0]).days)  # 366


def lists_of(h, assign):
    hts8 = set()
    for r in LISTS8.get(h[:8], []):
        hts8.add(r)
    if assign:
        a = longest(h, ASSIGN)
        if a is not None:
            return set(a["lists"].split(";"))
    return hts8


LISTS8 = defaultdict(set)
for _r in read(LINES / "section-301-lists-hts8.csv"):
    LISTS8[_r["hts8"]].add(_r["list"])
ASSIGN = {r["hts"]: r for r in read(HERE / "s301-line-assignments.csv")}
EXCL = {r["hts10"]: r for r in read(HERE / "s301-exclusions-hts10.csv")}


def s301_2024(h, assign):
    """(list-rate days sum, review-rate days sum) over 2024, as rate x days, and the list rate.

    Among lists 1-4B the earliest list wins; a review heading in force
    replaces the list rate (the latest review heading in force wins)."""
    ls = lists_of(h, assign)
    base = ZERO
    for l in EARLIEST:
        if l in ls:
            base = LIST_RATE[l]
            break
    reviews = sorted((day(REVIEW[l][1]), REVIEW[l][0]) for l in ls if l in REVIEW)
    # split 2024 at each review start inside it
    list_days = review_rd = ZERO
    cur = Y2024[0]
    cuts = [d for d, _ in reviews if Y2024[0] < d < Y2024[1]] + [Y2024[1]]
    for cut in cuts:
        n = Decimal((cut - cur).days)
        active = [r for d, r in reviews if d <= cur]
        if active:
            review_rd += active[-1] * n
        else:
            list_days += n
        cur = cut
    return base, list_days, review_rd


def s232_rate_2024(h):
    """Section 232 ad valorem rate on a line in 2024 (steel 25%, aluminum 10%), content-scaled."""
    progs = programs_on(datetime.date(2024, 7, 1), False)
    sched = SCHEDULE_2024
    tot = ZERO
    for p in ("steel", "aluminum"):
        r = longest(h, progs.get(p, {}))
        if r is None:
            continue
        # membership over the whole year, rate constant over the year (checked)
        assert day(r["from"]) <= Y2024[0] and (r["until"] == "" or day(r["until"]) >= Y2024[1]), r
        sh = ONE
        if r["duty_basis"].endswith("-content"):
            sh = content_share(h, p, None)
        tot += sched[r["list"]] * sh
    return tot


SCHEDULE_2024 = {r["list"]: rate(r["rate"]) for r in SCHEDULE
                 if in_window(datetime.date(2024, 7, 1), r["from"], r["until"]) and r["rate"].endswith("%")}


@functools.lru_cache(maxsize=None)
def s232_2024_cached(h):
    return s232_rate_2024(h)


def model_2024(excl_rule, assign):
    """Per line: (mfn, s301, s232) duty for calendar 2024 under the named exclusion rule."""
    out = {}
    for h, v in VALUE.items():
        av = mfn_rate(h)[0] or ZERO
        base, list_days, review_rd = s301_2024(h, assign)
        list_part = base * list_days
        x = EXCL.get(h)
        if x is not None and excl_rule != "none":
            # the exclusion removes the lists 1-4A duty on the days it holds
            if excl_rule == "data-window":
                # list days run from 2024-01-01 for `list_days` days; the exclusion holds from its `from`
                list_end = Y2024[0] + datetime.timedelta(days=int(list_days))
                start = max(day(x["from"]), Y2024[0])
                share_days = Decimal(max(0, (list_end - start).days))
                list_part = base * (list_days - share_days)
            else:
                claim = Decimal(x["claim_share_line"] or x["claim_share_heading"])
                if excl_rule == "claim-share":
                    list_part = base * list_days * (ONE - claim)
                elif excl_rule == "full-line-if-claimed":
                    list_part = ZERO if claim > 0 else list_part
                elif excl_rule == "full-line":
                    list_part = ZERO
        d301 = v * (list_part + review_rd) / DAYS
        out[h] = (v * av, d301, v * s232_2024_cached(h))
    return out


def total(m):
    return sum(a + b + c for a, b, c in m.values())


def check_2024():
    heading("5. Calendar 2024: modelled duty against the Census calculated duty")
    print(f"Census calculated duty 2024: {usd(CENSUS_TOTAL)}; 3% band: {usd(CENSUS_TOTAL * Decimal('0.97'))} .. "
          f"{usd(CENSUS_TOTAL * Decimal('1.03'))}")
    print("components: MFN ad valorem component (specific parts not valued); Section 301 (earliest of lists 1-4B;")
    print("a 2024 review heading replaces the list rate from 2024-09-27: 270 days at the list rate, 96 at the")
    print("heading's); Section 232 steel 25% / aluminum 10% (rows in force all year, derivatives outside ch 72/73/76")
    print("on their metal share). Days: 2024 has 366.")
    ladder = [
        ("MFN + 301 (HTS-8 lists)", "none", False, None, "implied_duty_mfn_301_usd"),
        ("+ 232 (2024)", "none", False, "232", "implied_duty_mfn_301_232_usd"),
        ("+ exclusions from the data's own window (.69 from 2024-06-15)", "data-window", False, "232", None),
        ("+ exclusions at Yale's claim shares, all year", "claim-share", False, "232",
         "implied_duty_mfn_301_232_with_calibrated_exclusions_usd"),
        ("+ exclusions on the full line where claimed (share > 0), all year", "full-line-if-claimed", False, "232",
         "implied_duty_mfn_301_232_with_fullline_exclusions_usd"),
        ("+ exclusions on the full line, all year", "full-line", False, "232", None),
        ("+ exclusions on the full line, all year, + line assignments  [RULE]", "full-line", True, "232", None),
        ("+ exclusions on the full line where claimed, + line assignments", "full-line-if-claimed", True, "232", None),
    ]
    results = {}
    for label, rule, assign, with232, pub in ladder:
        m = model_2024(rule, assign)
        t = sum(a + b + (c if with232 else ZERO) for a, b, c in m.values())
        gap = t - CENSUS_TOTAL
        ps = f"  sanity-summary {usd(Decimal(SUMMARY[pub]))}" if pub else ""
        print(f"  {label:72} {usd(t):>18}  gap {'+' if gap >= 0 else ''}{usd(gap)} "
              f"({'+' if gap >= 0 else ''}{pct(gap / CENSUS_TOTAL)}){ps}")
        results[(rule, assign, with232)] = m
    m = results[("full-line", True, "232")]
    mfn_t = sum(a for a, _, _ in m.values())
    s301_t = sum(b for _, b, _ in m.values())
    s232_t = sum(c for _, _, c in m.values())
    t = mfn_t + s301_t + s232_t
    print(f"\nRULE: MFN {usd(mfn_t)} + Section 301 {usd(s301_t)} + Section 232 {usd(s232_t)} = {usd(t)}; "
          f"Census {usd(CENSUS_TOTAL)}; gap {usd(t - CENSUS_TOTAL)} ({pct((t - CENSUS_TOTAL) / CENSUS_TOTAL)})")
    assert abs(t - CENSUS_TOTAL) <= CENSUS_TOTAL * Decimal("0.03")
    # the part the scenario format of today can value: Section 232 on metal content needs
    # partial-value coverage, MFN a base layer
    content = ZERO
    progs = programs_on(datetime.date(2024, 7, 1), False)
    for h in VALUE:
        for p in ("steel", "aluminum"):
            r = longest(h, progs.get(p, {}))
            if r is not None and r["duty_basis"].endswith("-content"):
                content += VALUE[h] * SCHEDULE_2024[r["list"]] * content_share(h, p, None)
    print(f"  of the Section 232, ${content.quantize(Decimal('0.01'), ROUND_HALF_EVEN):,} is on metal content; Section 301 + Section 232 on full value = "
          f"${(s301_t + s232_t - content).quantize(Decimal('0.01'), ROUND_HALF_EVEN):,} to the cent (what "
          f"data/scenarios/us-china-lines-2024.toml values: no MFN, no content)")
    # what each ingredient of the rule moves
    base = results[("none", False, "232")]
    excl_only = results[("full-line", False, "232")]
    print(f"  exclusions (full line, all year) move {usd(total(excl_only) - total(base))}; "
          f"line assignments then move {usd(total(m) - total(excl_only))}")
    # each assignment's evidence, recomputed: (Census - MFN ad valorem - 232 2024) / value
    for code, a in sorted(ASSIGN.items()):
        lines = [h for h in VALUE if h.startswith(code)]
        v = sum(VALUE[h] for h in lines)
        if v:
            extra = sum(CENSUS[h] - VALUE[h] * ((mfn_rate(h)[0] or ZERO) + s232_2024_cached(h)) for h in lines) / v
            assert (extra * 100).quantize(Decimal("0.01")) + 0 == Decimal(a["census_additional_2024"][:-1]), code
            assert v == Decimal(a["value_2024"]), code
    print(f"  the evidence columns of s301-line-assignments.csv (value, Census additional rate) recompute exactly")
    for code, a in sorted(ASSIGN.items()):
        lines = [h for h in VALUE if h.startswith(code)]
        moved = sum(sum(m[h]) - sum(excl_only[h]) for h in lines)
        if moved:
            print(f"    {code:10} -> {a['lists']:38} moves {'+' if moved >= 0 else ''}{usd(moved)}")

    # where the RULE's gap sits
    parts = defaultdict(lambda: ZERO)
    for h, (a, b, c) in m.items():
        g = a + b + c - CENSUS[h]
        if h in EXCL:
            parts["the 144 excluded lines (exclusion taken on the whole line)"] += g
        elif longest(h, ASSIGN) is not None:
            parts["lines with a line assignment (s301-line-assignments.csv)"] += g
        elif not mfn_rate(h)[1]:
            parts["lines whose MFN is not fully valued (specific parts count 0)"] += g
        else:
            parts["every other line"] += g
    print("  where the RULE's gap sits (modelled minus Census):")
    for k, g in parts.items():
        print(f"    {k:66} {'+' if g >= 0 else ''}{usd(g)}")

    heading("5a. Per HS chapter (RULE)")
    pub = {r["hs_chapter"]: r for r in read(HERE / "figures/sanity-2024-duty-by-chapter.csv")}
    l0 = results[("none", False, None)]
    same = 0
    for c, p in pub.items():
        mine = sum(a + b for h, (a, b, _) in l0.items() if h[:2] == c)
        if abs(mine - Decimal(p["implied_mfn_301_usd"])) <= 1:
            same += 1
    print(f"cross-check: MFN + 301 (HTS-8 lists) per chapter equals the sanity file's implied_mfn_301_usd in "
          f"{same} of {len(pub)} chapters, to within the file's rounding to whole dollars")
    assert same == len(pub)
    ch = defaultdict(lambda: [ZERO] * 5)
    for h, (a, b, c) in m.items():
        x = ch[h[:2]]
        x[0] += VALUE[h]
        x[1] += CENSUS[h]
        x[2] += a
        x[3] += b
        x[4] += c
    print(f"{'ch':2} {'value':>18} {'Census duty':>16} {'rate':>7} {'modelled':>16} {'rate':>7} {'gap':>15}")
    for c in sorted(ch):
        v, cen, a, b, s = ch[c]
        mod = a + b + s
        r1 = pct(cen / v) if v else "-"
        r2 = pct(mod / v) if v else "-"
        g = mod - cen
        print(f"{c:2} {usd(v):>18} {usd(cen):>16} {r1:>7} {usd(mod):>16} {r2:>7} {usd(g):>15}")

    heading("5b. Lines with the largest gaps (RULE), with their likely cause")
    gaps = []
    for h, (a, b, c) in m.items():
        v = VALUE[h]
        if v == 0:
            continue
        gaps.append((sum((a, b, c)) - CENSUS[h], h))
    gaps.sort(key=lambda g: -abs(g[0]))
    for g, h in gaps[:30]:
        a, b, c = m[h]
        v = VALUE[h]
        extra = (CENSUS[h] - a - c) / v  # Census above MFN and 232
        cause = likely_cause(h, b / v, extra)
        print(f"{h} {usd(g):>15}  value {bn(v)}  Census {pct(CENSUS[h] / v)}  model {pct((a + b + c) / v)} "
              f"(301 {pct(b / v)})  lists {';'.join(sorted(lists_of(h, True)))}  {DESC[h][:34]}")
        print(f"           likely cause: {cause}")
    return t


def likely_cause(h, model301, census_extra):
    _, full, t = mfn_rate(h)
    if h in EXCL:
        x = EXCL[h]
        return (f"product exclusion {x['heading']} applied here to the whole line; Census shows "
                f"{pct(census_extra)} above MFN and 232, so part of the line paid the list duty "
                f"(the exclusion names products narrower than the line; claim share in the data "
                f"{x['claim_share_line'] or x['claim_share_heading']})")
    if not full and census_extra > model301 + Decimal("0.005"):
        return f"MFN {t} rate: its specific part is not valued here ({MFN[h[:8]]['text']})"
    if model301 > 0 and census_extra < Decimal("0.005"):
        return ("no Section 301 duty collected although the lists name the HTS-8: a product exclusion or a 10-digit "
                "split that the data does not hold")
    if model301 > census_extra:
        return (f"Census shows {pct(census_extra)} of Section 301 against {pct(model301)} modelled: part of the "
                f"value entered without the list duty (exclusions that ended 2024-06-14 are not in the data; "
                f"entries under chapter 98 or other provisions)")
    return (f"Census shows {pct(census_extra)} above MFN and 232 against {pct(model301)} of Section 301 modelled: "
            f"a list or heading missing from the data")


def main():
    check_inputs()
    check_mfn()
    check_reciprocal()
    check_s232()
    check_annex_iii_floor()
    full, share, union = s232_sets("2026-03-01")
    check_s122(full, share, union)
    check_2024()
    return 0


if __name__ == "__main__":
    sys.exit(main())
