"""What every benchmark shares: the machine, the commit, statistics, tables, BENCHMARKS.md."""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "BENCHMARKS.md"
SEED = 2009

HEADER = """\
# Benchmarks

Capcom's performance on one machine, against the local LL2 and Discord stand-ins
(`tests/stubs/`) with a synthetic catalog of 300 crewed flights and 700 astronauts.

Run them all with `make bench` (about 3 minutes on 2 cores), or some of them:

```sh
.venv/bin/python -m benchmarks                  # all six
.venv/bin/python -m benchmarks economy memory   # some (economy, overhead, autocomplete,
                                                #   memory, timeline, scaling)
.venv/bin/python -m benchmarks --quick          # smaller runs, to try the machinery (~40 s)
.venv/bin/python -m benchmarks --no-record      # print only, leave this file alone
```

Each run prints its tables and appends them at the end of this file with the machine, the
date (UTC) and the commit (`+dirty`: uncommitted changes in the work tree); each table says
which path its numbers come from (the bot process, or the service layer in-process). Quick
runs are never recorded. They are never part of `make test`.
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


@dataclass
class Report:
    """One benchmark's results: a title, tables, and notes, printed and then recorded."""

    title: str
    machine: Machine
    sections: list[str] = field(default_factory=list)

    def table(self, table: Table, caption: str | None = None) -> None:
        self.sections.append((f"{caption}\n\n" if caption else "") + table.markdown())

    def note(self, text: str) -> None:
        self.sections.append(text.strip())

    def markdown(self) -> str:
        body = "\n\n".join(self.sections)
        return f"## {self.title}\n\n{self.machine.line()}\n\n{body}\n"


def record(report: Report, path: Path = RESULTS) -> None:
    """Append `report` to BENCHMARKS.md, creating it with its header first."""
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        path.write_text(HEADER, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    separator = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    with path.open("a", encoding="utf-8") as out:
        out.write(separator + report.markdown())


def verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"
