"""Generate a deterministic deals CSV for the import/export benchmarks.

    .venv/bin/python tests/support/gen_deals.py                       # 1,000,000 rows -> benchmarks/out/deals-1m.csv
    .venv/bin/python tests/support/gen_deals.py --rows 20000 --out /tmp/d.csv

The same ``--seed`` and ``--rows`` always give the same bytes. About 5,000 organisations (30% with
Chinese names), quoted descriptions with commas, quotes and the odd line break, a fifth of amounts
undisclosed, the four deal kinds (infrastructure without ``to_org``), USD/CNY/EUR/JPY, qualifiers,
dates from 2015 to 2026 (mostly days, some months or years only). The header is the deals-CSV header
(``DEAL_COLUMNS``) with the ``id`` column left empty, so every row is a new deal.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

# The header of tracker/core/domain/fields.py DEAL_COLUMNS, copied so that this script runs without the package.
DEAL_COLUMNS = (
    "id", "date", "kind", "from_org", "to_org", "amount", "currency", "qualifier", "capacity_gw",
    "status", "alliances", "description", "source_outlet", "source_title", "source_url", "source_date",
)  # fmt: skip

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "out" / "deals-1m.csv"

_EN_A = (
    "Nimbus", "Vector", "Quantum", "Helix", "Aurora", "Cobalt", "Summit", "Atlas", "Lumen", "Zenith", "Orion",
    "Granite", "Pioneer", "Silver", "Northern", "Pacific", "Crescent", "Falcon", "Titan", "Nova", "Apex", "Vertex",
    "Cedar", "Harbor", "Ember", "Sterling", "Polar", "Meridian", "Redwood", "Keystone", "Horizon", "Beacon",
)  # fmt: skip
_EN_B = (
    "Compute", "Data", "Cloud", "AI", "Robotics", "Semiconductor", "Energy", "Networks", "Systems", "Labs",
    "Capital", "Ventures", "Power", "Silicon", "Logic", "Analytics", "Grid", "Fabric", "Dynamics", "Foundry",
)  # fmt: skip
_EN_C = ("Inc", "Ltd", "Corp", "Group", "Holdings", "LLC", "AG", "SA", "GmbH", "plc", "Partners", "Co")
_ZH_A = "华云智星海天金龙腾中北东南新创联盛达恒瑞博远阿里字节百度腾讯京商汤月之暗面深度求索智谱零一万物"
_ZH_B = ("科技", "智能", "数据", "云计算", "半导体", "算力", "网络", "信息", "能源", "机器人", "电子", "资本")
_ZH_C = ("有限公司", "集团", "股份有限公司", "控股", "研究院", "")

KINDS = ("investment", "purchase", "infrastructure", "partnership")
KIND_WEIGHTS = (35, 30, 15, 20)
CURRENCIES = ("USD", "CNY", "EUR", "JPY")
CURRENCY_WEIGHTS = (55, 25, 12, 8)
QUALIFIERS = ("exact", "up to", "at least", "estimated")
QUALIFIER_WEIGHTS = (70, 12, 8, 10)
STATUSES = ("announced", "agreed", "completed", "cancelled")
OUTLETS = ("Reuters", "Bloomberg", "Financial Times", "财新", "36氪", "The Information", "Nikkei", "TechCrunch")
_WORDS = (
    "compute", "capacity", "GPUs", "data centre", "training", "inference", "cluster", "multi-year", "agreement",
    "supply", "chips", "power", "cooling", "expansion", "stake", "round", "valuation", "cloud", "credits", "fab",
    "算力", "数据中心", "合作", "投资", "芯片", "协议",
)  # fmt: skip


def _organisations(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        if rng.random() < 0.30:
            name = "".join(rng.sample(_ZH_A, rng.choice((2, 2, 3)))) + rng.choice(_ZH_B) + rng.choice(_ZH_C)
        else:
            name = f"{rng.choice(_EN_A)} {rng.choice(_EN_B)} {rng.choice(_EN_C)}"
            if rng.random() < 0.5:
                name = f"{rng.choice(_EN_A)} {name}"
        key = " ".join(name.casefold().split())
        if key in seen:
            continue
        seen.add(key)
        names.append(name)
    return names


def _amount(rng: random.Random) -> str:
    """A plain number as the export writes it: whole units, sometimes cents, from 10^5 to 10^12."""
    whole = int(10 ** rng.uniform(5, 12))
    r = rng.random()
    if r < 0.6:
        whole -= whole % 10 ** rng.randint(3, 6)  # round figures, as announced
        return str(max(whole, 1000))
    if r < 0.9:
        return str(whole)
    return f"{whole}.{rng.randint(1, 99):02d}".rstrip("0")


def _description(rng: random.Random, a: str, b: str | None) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 12)))
    r = rng.random()
    if r < 0.5:
        text = f'{a} and {b or "its own sites"}: {words}, per "sources", subject to approval'
    elif r < 0.8:
        text = f"{words}, {rng.randint(1, 50)} sites, phase {rng.randint(1, 4)}"
    elif r < 0.99:
        text = f'"{words}" said {a}; terms, including price, were not disclosed'
    else:
        text = f"{words}\nsecond line, with a comma"
    if rng.random() < 0.005:
        text = rng.choice(("=", "-", "+", "@")) + text  # a formula-looking cell
    return text


def generate(rows: int, out, seed: int = 20251129, n_orgs: int = 5000) -> None:
    rng = random.Random(seed)
    orgs = _organisations(rng, n_orgs)
    # a few organisations do most of the deals, as in life
    weights = [1.0 / (i + 10) ** 0.8 for i in range(n_orgs)]
    cum = list(__import__("itertools").accumulate(weights))
    w = csv.writer(out, lineterminator="\n")
    w.writerow(DEAL_COLUMNS)
    for _ in range(rows):
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        frm = rng.choices(orgs, cum_weights=cum)[0]
        to = None
        if kind != "infrastructure":
            to = frm
            while to == frm:
                to = rng.choices(orgs, cum_weights=cum)[0]
        year = rng.randint(2015, 2026)
        p = rng.random()
        if p < 0.95:
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif p < 0.99:
            date = f"{year}-{rng.randint(1, 12):02d}"
        else:
            date = str(year)
        if rng.random() < 0.20:
            amount, currency, qualifier = "", "", rng.choice(("", "undisclosed"))
        else:
            amount = _amount(rng)
            currency = rng.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
            qualifier = rng.choices(QUALIFIERS, QUALIFIER_WEIGHTS)[0]
        capacity = ""
        if kind == "infrastructure" and rng.random() < 0.6:
            capacity = str(rng.randint(1, 50)) if rng.random() < 0.7 else f"{rng.randint(0, 9)}.{rng.randint(1, 9)}"
        outlet = title = url = sdate = ""
        if rng.random() < 0.7:
            outlet = rng.choice(OUTLETS)
            title = f"{frm} {kind} {'with ' + to if to else 'build-out'}, {year}"
            url = f"https://news.example.com/{year}/{rng.randrange(16**8):08x}"
            sdate = date if len(date) == 10 else ""
        w.writerow((
            "", date, kind, frm, to or "", amount, currency, qualifier, capacity, rng.choice(STATUSES), "",
            _description(rng, frm, to), outlet, title, url, sdate,
        ))  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=20251129)
    ap.add_argument("--orgs", type=int, default=5000)
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        generate(args.rows, f, args.seed, args.orgs)
    print(f"wrote {args.rows:,} rows to {args.out} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
