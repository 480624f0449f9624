"""Benchmark 5, the mission timeline picture of `/flight` (`bot/render/timeline.py`).

Render time, cold (the picture cache emptied before each render, so every call draws)
and cached (the same document again: the flight is reduced to its timeline and the
picture comes from the cache), for flight 219 (one docking), a variant with three
dockings (in English, Russian and Japanese), a flight in space and a flight with nulls
everywhere, all built from the flight 219 recording as the renderer tests build them.
PNG sizes of each. The same pictures cold in Pillow's own font (as on a machine without
fonts: every text folded to ASCII), against the machine's fonts. Peak RSS (VmHWM) of a
fresh Python process that imports the renderer and has written a date and a duration in
each language (loading Babel's data for it, which any reply in that language does), then
after it drew every picture.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
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
from bot.render.lang import ENGLISH, Lang, lang_for
from tests.bot.render.data import FLIGHT_219, NOW, in_space, load, nulls_everywhere, three_dockings

ROUNDS = 300
TARGET_P99_SECONDS = 0.050
TARGET_PNG_BYTES = 150_000
CASES: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    "three dockings": (three_dockings, "en-US"),
    "three dockings, Russian": (three_dockings, "ru"),
    "three dockings, Japanese": (three_dockings, "ja"),
    "flight 219 (one docking)": (lambda: load(FLIGHT_219), "en-US"),
    "in space": (in_space, "en-US"),
    "nulls everywhere": (nulls_everywhere, "en-US"),
}
PILLOWS_FONT: tuple[Path, ...] = ()
"""No font found: every text in the font Pillow ships, folded to ASCII."""


def _render(flight: SpacecraftFlight, lang: Lang, fonts: tuple[Path, ...] | None) -> bytes:
    """What `timeline_attachment` does, in `fonts` (None: the machine's)."""
    shown = timeline.build_timeline(flight, NOW, lang)
    timeline.describe(shown, lang)
    return timeline.draw(shown, fonts)


def _times(
    flight: SpacecraftFlight,
    rounds: int,
    *,
    cold: bool,
    lang: Lang = ENGLISH,
    fonts: tuple[Path, ...] | None = None,
) -> list[float]:
    timeline.draw.cache_clear()
    _render(flight, lang, fonts)  # fonts loaded, cache filled once
    times = []
    for _ in range(rounds):
        if cold:
            timeline.draw.cache_clear()
        started = time.perf_counter()
        _render(flight, lang, fonts)
        times.append(time.perf_counter() - started)
    return times


def child() -> None:
    """In a fresh process: peak RSS after importing the renderer and writing a date and a
    duration in each language, then after drawing."""
    for _, code in CASES.values():
        lang_for(code).day(NOW.date())
        lang_for(code).duration(timedelta(days=1))
    imported = peak_rss(os.getpid())
    for make, code in CASES.values():
        flight = SpacecraftFlight.model_validate(make())
        for _ in range(20):
            timeline.draw.cache_clear()
            _render(flight, lang_for(code), None)
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
    builtin = Table(["flight", "cold p50", "cold p99", "in the machine's fonts p50"])
    worst_p99 = 0.0
    largest = 0
    for name, (make, code) in CASES.items():
        flight = SpacecraftFlight.model_validate(make())
        lang = lang_for(code)
        cold = _times(flight, rounds, cold=True, lang=lang)
        cached = _times(flight, rounds, cold=False, lang=lang)
        plain = _times(flight, rounds, cold=True, lang=lang, fonts=PILLOWS_FONT)
        builtin.add(name, ms(median(plain)), ms(percentile(plain, 0.99)), ms(median(cold)))
        png = _render(flight, lang, None)
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
        if name.startswith("three dockings"):
            worst_p99 = max(worst_p99, percentile(cold, 0.99))
        largest = max(largest, len(png))
    fonts = ", ".join(path.name for path in timeline.installed_fonts()) or "none"
    report.table(
        table,
        f"In-process, {rounds} renders each; cold = the picture cache emptied before each "
        "render (every call draws and encodes the PNG), cached = the same document again; "
        f"in the machine's fonts ({fonts}):",
    )
    report.table(
        builtin,
        "The same pictures cold in the font Pillow ships (no font found: texts folded to ASCII):",
    )
    rss = _child_rss()
    memory = Table(["fresh Python process", "peak RSS (VmHWM)"])
    memory.add(
        "after importing the renderer (Pillow, pydantic, discord.py, Babel's data)",
        mib(rss["imported"]),
    )
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
