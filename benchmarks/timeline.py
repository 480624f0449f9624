"""Benchmark 5, the mission timeline picture of `/flight` (`bot/render/timeline.py`).

Render time, cold (the picture cache emptied before each render, so every call draws)
and cached (the same document again: the flight is reduced to its timeline and the
picture comes from the cache), for flight 219 (one docking), a variant with three
dockings, a flight in space and a flight with nulls everywhere, all built from the flight
219 recording as the renderer tests build them. PNG sizes of each. Peak RSS (VmHWM) of a
fresh Python process that imports the renderer, then after it drew every picture.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from PIL import Image

from benchmarks.common import (
    Report,
    Table,
    machine,
    median,
    mib,
    ms,
    peak_rss,
    percentile,
)
from bot.ll2.models import SpacecraftFlight
from bot.render import timeline
from tests.bot.render.data import FLIGHT_219, NOW, in_space, load, nulls_everywhere, three_dockings

ROUNDS = 300
TARGET_P99_SECONDS = 0.050
TARGET_PNG_BYTES = 150_000
CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "three dockings": three_dockings,
    "flight 219 (one docking)": lambda: load(FLIGHT_219),
    "in space": in_space,
    "nulls everywhere": nulls_everywhere,
}


def _times(flight: SpacecraftFlight, rounds: int, *, cold: bool) -> list[float]:
    timeline.draw.cache_clear()
    timeline.timeline_attachment(flight, NOW)  # fonts loaded, cache filled once
    times = []
    for _ in range(rounds):
        if cold:
            timeline.draw.cache_clear()
        started = time.perf_counter()
        timeline.timeline_attachment(flight, NOW)
        times.append(time.perf_counter() - started)
    return times


def child() -> None:
    """In a fresh process: peak RSS after importing the renderer, then after drawing."""
    imported = peak_rss(os.getpid())
    for make in CASES.values():
        flight = SpacecraftFlight.model_validate(make())
        for _ in range(20):
            timeline.draw.cache_clear()
            timeline.timeline_attachment(flight, NOW)
    print(json.dumps({"imported": imported, "drawn": peak_rss(os.getpid())}))


def _child_rss() -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", "from benchmarks.timeline import child; child()"],
        capture_output=True,
        text=True,
        check=True,
    )
    values: dict[str, int] = json.loads(result.stdout)
    return values


def run(rounds: int = ROUNDS) -> tuple[Report, bool]:
    report = Report("timeline", "5. Timeline picture", machine())
    table = Table(
        ["flight", "cold p50", "cold p99", "cached p50", "cached p99", "PNG", "size (px)"]
    )
    worst_p99 = 0.0
    largest = 0
    for name, make in CASES.items():
        flight = SpacecraftFlight.model_validate(make())
        cold = _times(flight, rounds, cold=True)
        cached = _times(flight, rounds, cold=False)
        png = timeline.timeline_attachment(flight, NOW).data
        width, height = Image.open(io.BytesIO(png)).size
        table.add(
            name,
            ms(median(cold)),
            ms(percentile(cold, 0.99)),
            ms(median(cached)),
            ms(percentile(cached, 0.99)),
            f"{len(png) / 1024:.1f} KiB",
            f"{width} x {height}",
        )
        if name == "three dockings":
            worst_p99 = percentile(cold, 0.99)
        largest = max(largest, len(png))
    report.table(
        table,
        f"In-process, {rounds} renders each; cold = the picture cache emptied before each "
        "render (every call draws and encodes the PNG), cached = the same document again:",
    )
    rss = _child_rss()
    memory = Table(["fresh Python process", "peak RSS (VmHWM)"])
    memory.add("after importing the renderer (Pillow, pydantic, discord.py)", mib(rss["imported"]))
    memory.add("after drawing every picture above 20 times", mib(rss["drawn"]))
    report.table(memory)
    fast = report.target(
        f"render p99 ≤ {TARGET_P99_SECONDS * 1000:.0f} ms with three dockings",
        ms(worst_p99),
        worst_p99 <= TARGET_P99_SECONDS,
    )
    small = report.target(
        f"PNG ≤ {TARGET_PNG_BYTES // 1000} KB",
        f"{largest / 1000:.1f} KB at most",
        largest <= TARGET_PNG_BYTES,
    )
    report.note(f"Drawing adds {mib(rss['drawn'] - rss['imported'])} to the process's peak.")
    return report, fast and small
