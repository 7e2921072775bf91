"""bench/run.py at a tiny size: every request answers as it should, and the JSON holds
p50/p95 and the floors of each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run as runner

FLOORS = ("page", "db_floor", "template_floor", "library_floor")


@pytest.mark.slow
def test_the_runner_measures_every_request_with_its_floors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    options = runner.arguments(
        ["--cases", "30", "--runs", "1", "--database-url", url, "--out", str(tmp_path)]
    )

    result = runner.run(options)

    rows = {row["name"]: row for row in result["results"]}
    assert not [(name, row["statuses"]) for name, row in rows.items() if not row["ok"]]
    assert rows["team feed, unchanged (If-None-Match)"]["statuses"] == [304]
    assert rows["fire a step (POST)"]["statuses"] == [302]
    assert rows["correct a date (POST)"]["statuses"] == [302]
    assert rows["sign in (POST)"]["statuses"] == [302]
    for row in rows.values():
        assert all({"p50", "p95"} <= set(row[floor]) for floor in FLOORS), row["name"]
        assert row["page"]["p50"] > 0 and row["db_floor"]["p50"] > 0, row["name"]
    assert rows["case page"]["template_floor"]["p50"] > 0
    assert rows["team feed"]["library_floor"]["p50"] > 0
    written = json.loads((tmp_path / "sqlite-30.json").read_text(encoding="utf-8"))
    assert written["cases"] == 30 and len(written["results"]) == len(rows)
