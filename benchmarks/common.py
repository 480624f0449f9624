"""What every benchmark shares: the machine, the commit, statistics, tables, the run
history and BENCHMARKS.md written from it."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGE = PROJECT_ROOT / "BENCHMARKS.md"
HISTORY = Path(__file__).resolve().parent / "history.jsonl"
SEED = 2009

HEADER = """\
# Benchmarks

Capcom's performance on one machine, against the local LL2 and Discord stand-ins
(`tests/stubs/`) with a synthetic catalog of 300 crewed flights and 700 astronauts: the
latest recorded run of each benchmark, against its targets.

Run them all with `make bench`, or some of them:

```sh
.venv/bin/python -m benchmarks                  # all seven
.venv/bin/python -m benchmarks economy memory   # some (economy, overhead, autocomplete,
                                                #   memory, timeline, scaling, week)
.venv/bin/python -m benchmarks --quick          # smaller runs, to try the machinery
.venv/bin/python -m benchmarks --no-record      # print only, record nothing
.venv/bin/python -m benchmarks scaling --database postgresql
                                                # the fleet on a throwaway PostgreSQL
                                                #   cluster (needs PostgreSQL installed)
```

Each run prints its tables, appends itself to `benchmarks/history.jsonl` (one JSON object
per run: the benchmark, date, machine, commit, command, targets and tables) and writes
this page again from that history, so do not edit it by hand (a test compares the two).
`+dirty` after a commit: uncommitted changes in the work tree; a command shown as "not
recorded" is a run from before the history kept commands. Quick runs are never
recorded, and benchmarks are never part of `make test`. What was profiled and changed
along the way: `benchmarks/ANALYSES.md`.
"""


@dataclass(frozen=True, slots=True)
class Machine:
    cpu: str
    cores: int
    python: str
    commit: str
    date: datetime

    def line(self) -> str:
        return (
            f"{self.date:%Y-%m-%d %H:%M} UTC · commit `{self.commit}` · "
            f"{self.cpu}, {self.cores} cores · Python {self.python}"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(*args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else ""


def git_commit() -> str:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + "+dirty" if _git("status", "--porcelain") else commit


def machine() -> Machine:
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        python=platform.python_version(),
        commit=git_commit(),
        date=datetime.now(UTC),
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (`fraction` in 0..1) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


MIB = 1024 * 1024


def mib(value: int) -> str:
    """Bytes as '101.6 MiB'."""
    return f"{value / MIB:.1f} MiB"


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(f"no {field} for process {pid}")


def peak_rss(pid: int) -> int:
    """The process's peak resident set so far (VmHWM), in bytes."""
    return _status_kib(pid, "VmHWM") * 1024


def rss(pid: int) -> int:
    """The process's resident set now (VmRSS), in bytes."""
    return _status_kib(pid, "VmRSS") * 1024


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


@dataclass
class Table:
    columns: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)

    def add(self, *row: object) -> None:
        self.rows.append(row)

    def markdown(self) -> str:
        cells = [[str(c) for c in self.columns], *([str(c) for c in row] for row in self.rows)]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        lines = [
            "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
            for row in cells
        ]
        lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Target:
    """One target of a benchmark, the figure a run measured for it and whether it was met."""

    target: str
    figure: str
    met: bool


@dataclass
class Report:
    """One run of a benchmark: its tables and notes, its targets, where it ran.

    `benchmark` names what is measured (the same for every run of it); `command` is the
    command line that ran it (None for runs recorded before commands were kept)."""

    benchmark: str
    title: str
    machine: Machine
    sections: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    command: str | None = None

    def table(self, table: Table, caption: str | None = None) -> None:
        self.sections.append((f"{caption}\n\n" if caption else "") + table.markdown())

    def note(self, text: str) -> None:
        self.sections.append(text.strip())

    def target(self, target: str, figure: str, met: bool) -> bool:
        """Record `figure` against `target`; returns `met`."""
        self.targets.append(Target(target, figure, met))
        return met

    def run_line(self) -> str:
        command = f"`{self.command}`" if self.command else "command not recorded"
        return f"{self.machine.line()} · {command}"

    def markdown(self) -> str:
        """The run as printed: its tables and notes, then its targets."""
        targets = Table(["target", "figure", ""])
        for target in self.targets:
            targets.add(target.target, target.figure, verdict(target.met))
        body = "\n\n".join([*self.sections, targets.markdown()])
        return f"## {self.title}\n\n{self.run_line()}\n\n{body}\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "title": self.title,
            "date": f"{self.machine.date:{DATE_FORMAT}}",
            "commit": self.machine.commit,
            "machine": {
                "cpu": self.machine.cpu,
                "cores": self.machine.cores,
                "python": self.machine.python,
            },
            "command": self.command,
            "targets": [
                {"target": t.target, "figure": t.figure, "met": t.met} for t in self.targets
            ],
            "sections": self.sections,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        machine = Machine(
            cpu=data["machine"]["cpu"],
            cores=data["machine"]["cores"],
            python=data["machine"]["python"],
            commit=data["commit"],
            date=datetime.strptime(data["date"], DATE_FORMAT).replace(tzinfo=UTC),
        )
        return cls(
            benchmark=data["benchmark"],
            title=data["title"],
            machine=machine,
            sections=list(data["sections"]),
            targets=[Target(t["target"], t["figure"], t["met"]) for t in data["targets"]],
            command=data["command"],
        )


DATE_FORMAT = "%Y-%m-%dT%H:%MZ"
"""Dates in the history, in UTC, to the minute (as the first runs were written)."""


def history(path: Path = HISTORY) -> list[Report]:
    """Every recorded run, oldest first."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Report.from_json(json.loads(line)) for line in lines if line.strip()]


def latest(runs: Sequence[Report]) -> list[Report]:
    """The latest run of each benchmark, in the order of their titles."""
    newest = {run.benchmark: run for run in runs}
    return sorted(newest.values(), key=lambda run: run.title)


def page(runs: Sequence[Report]) -> str:
    """BENCHMARKS.md: the latest run of each benchmark against its targets, then its
    tables; every figure on it comes from those runs."""
    current = latest(runs)
    summary = Table(["benchmark", "target", "figure", "", "run"])
    for run in current:
        when = f"{run.machine.date:%Y-%m-%d %H:%M} UTC, `{run.machine.commit}`"
        for number, target in enumerate(run.targets):
            title, run_at = (run.title, when) if number == 0 else ("", "")
            summary.add(title, target.target, target.figure, verdict(target.met), run_at)
    since = f" since {runs[0].machine.date:%Y-%m-%d}" if runs else ""
    parts = [
        HEADER.rstrip("\n"),
        "## Where things stand\n\n"
        f"The latest run of each benchmark ({len(runs)} runs recorded{since}); its machine "
        "and command are in its section below.\n\n" + summary.markdown(),
        *("\n\n".join([f"## {run.title}", run.run_line(), *run.sections]) for run in current),
    ]
    return "\n\n".join(parts) + "\n"


def record(report: Report, command: str, path: Path = HISTORY, to: Path = PAGE) -> None:
    """Append `report`, run by `command`, to the history and write the page again."""
    report.command = command
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    to.write_text(page(history(path)), encoding="utf-8")


def verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"
