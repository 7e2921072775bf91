"""Markdown tables and a chart from the runner's JSON results.

.venv/bin/python bench/report.py                 # every bench/results/*.json
.venv/bin/python bench/report.py --chart bench/time-by-size.png
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
Result = dict[str, Any]


def _ms(value: float) -> str:
    if not value:
        return "–"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def _title(result: Result) -> str:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    return f"{name}, {result['cases']:,} cases"


def table(result: Result) -> str:
    """One run: each request's p50 and p95, its floors (p50) and the ratio."""
    lines = [
        f"**{_title(result)}** (ms; {result['runs']} runs after warm-up; floors are p50)",
        "",
        "| request | status | p50 | p95 | db floor | template floor | library floor "
        "| page / floors |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in result["results"]:
        status = "/".join(map(str, row["statuses"])) + ("" if row["ok"] else " ✗")
        ratio = f"{row['ratio']:.1f}×" if row["ratio"] else "–"
        lines.append(
            f"| {row['name']} | {status} | {_ms(row['page']['p50'])} | "
            f"{_ms(row['page']['p95'])} | {_ms(row['db_floor']['p50'])} | "
            f"{_ms(row['template_floor']['p50'])} | {_ms(row['library_floor']['p50'])} | {ratio} |"
        )
    return "\n".join(lines)


def by_size(results: list[Result]) -> str:
    """p50 of every request across runs (columns: database and size)."""
    ordered = sorted(results, key=lambda r: (r["database"] != "sqlite", r["cases"]))
    heads = [_title(r).replace(" cases", "") for r in ordered]
    lines = [
        "| p50 ms | " + " | ".join(heads) + " |",
        "|---|" + "--:|" * len(heads),
    ]
    names = [row["name"] for row in ordered[0]["results"]] if ordered else []
    for name in names:
        cells = []
        for result in ordered:
            row = next((r for r in result["results"] if r["name"] == name), None)
            cells.append(_ms(row["page"]["p50"]) if row else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(results: list[Result]) -> str:
    parts = [by_size(results)] if len(results) > 1 else []
    return "\n\n".join(parts + [table(r) for r in results])


def chart(results: list[Result], path: Path, names: list[str]) -> None:
    """p50 against the number of cases, one line per request and database (log scales)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(9, 5.5))
    for database, style in (("sqlite", "--"), ("postgresql", "-")):
        runs = sorted((r for r in results if r["database"] == database), key=lambda r: r["cases"])
        for index, name in enumerate(names):
            points = [
                (r["cases"], row["page"]["p50"])
                for r in runs
                for row in r["results"]
                if row["name"] == name
            ]
            if len(points) > 1:
                xs, ys = zip(*points, strict=True)
                label = f"{name} ({'SQLite' if database == 'sqlite' else 'PostgreSQL'})"
                axes.plot(xs, ys, style, marker="o", color=f"C{index}", label=label)
    axes.set(xscale="log", yscale="log", xlabel="cases", ylabel="p50 ms")
    axes.set_title("Time per request against the number of cases")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


CHARTED = [
    "my work (lawyer)",
    "case page",
    "cases list",
    "cases list, name search",
    "/dashboard",
    "fire a step (POST)",
    "team feed",
    "team feed, unchanged (If-None-Match)",
]


def load(folder: Path = RESULTS) -> list[Result]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def main() -> None:
    parser = argparse.ArgumentParser(description="Tables and a chart from bench/results/.")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--chart", type=Path, help="write a PNG chart (needs matplotlib)")
    options = parser.parse_args()
    results = [r for r in load(options.results) if r.get("results")]
    print(markdown(results))
    if options.chart:
        chart(results, options.chart, CHARTED)


if __name__ == "__main__":
    main()
