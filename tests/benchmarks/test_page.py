"""BENCHMARKS.md is the latest recorded run of each benchmark, written from the history."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import PAGE, Machine, Report, Table, history, page, record


def test_every_figure_on_the_page_comes_from_the_latest_run_of_its_benchmark() -> None:
    assert PAGE.read_text(encoding="utf-8") == page(history()), (
        "BENCHMARKS.md differs from the page written from benchmarks/history.jsonl: "
        "record runs with `python -m benchmarks`, never by editing the page"
    )


def _run(benchmark: str, title: str, minute: int, p99: str, met: bool) -> Report:
    machine = Machine(
        "Test CPU", 2, "3.11.7", f"c0ffee{minute}", datetime(2026, 12, 1, 9, minute, tzinfo=UTC)
    )
    run = Report(benchmark, title, machine)
    table = Table(["names", "p99"])
    table.add("100,000", p99)
    run.table(table, "Searches:")
    run.target("p99 ≤ 5 ms at 100,000 names", p99, met)
    return run


def test_a_recorded_run_replaces_its_benchmark_s_figures_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    runs, shown = tmp_path / "history.jsonl", tmp_path / "BENCHMARKS.md"
    record(
        _run("autocomplete", "3. Autocomplete", 1, "13.77 ms", False),
        "python -m benchmarks",
        runs,
        shown,
    )
    record(
        _run("memory", "4. Memory and start-up", 2, "86.9 MiB", True),
        "python -m benchmarks memory",
        runs,
        shown,
    )
    record(
        _run("autocomplete", "3. Autocomplete", 3, "3.10 ms", True),
        "python -m benchmarks autocomplete",
        runs,
        shown,
    )

    lines = runs.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["date"] for line in lines] == [
        "2026-12-01T09:01Z",
        "2026-12-01T09:02Z",
        "2026-12-01T09:03Z",
    ]
    text = shown.read_text(encoding="utf-8")
    assert text == page(history(runs))
    assert "3.10 ms" in text and "13.77 ms" not in text
    assert "86.9 MiB" in text
    assert "`c0ffee3`" in text and "`c0ffee1`" not in text
    assert "`python -m benchmarks autocomplete`" in text
    assert text.index("## 3. Autocomplete") < text.index("## 4. Memory and start-up")
