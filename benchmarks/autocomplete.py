"""Benchmark 3, autocomplete: `SearchIndex.search(EntityKind.ASTRONAUT, prefix)` on a real
SQLite file, at 1k, 10k and 100k indexed names.

Names are generated from the synthetic catalog's name lists (29 nationalities, with
their diacritics: Chrétien, Jähn, Łukasz, Şahin, Nguyễn…) in the patterns of real crew
lists: "First Last", family name first, middle initials, double-barrelled names. Queries
are what people type: 2 to 6 characters of one of the words, or a word and the start of
the next, sometimes without the diacritics. Measured apart, outside "all": the empty
text (what Discord asks as soon as the option is focused) and a single letter.
"""

from __future__ import annotations

import asyncio
import gc
import random
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import PROJECT_ROOT, SEED, Report, Table, machine, median, percentile
from storage.index import Entity, EntityKind, SearchIndex
from storage.sqlite import SqliteDatabase
from tests.stubs.ll2.synthetic import _FAMILY_FIRST, _PEOPLE

SIZES = (1_000, 10_000, 100_000)
QUERIES = 1_000
WARM_UP = 50
EXTRA = 200
"""Queries of each kind measured apart (empty text, one letter) per size."""
TARGET_P99 = 0.005
PLOT = PROJECT_ROOT / "benchmarks" / "autocomplete.png"
_BATCH = 5_000


def generate_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (name, nationality) pairs."""
    people = [(n, w, f.split("|"), last.split("|")) for n, (w, _, f, last) in _PEOPLE.items()]
    weights = [w for _, w, _, _ in people]
    taken: set[str] = set()
    names: list[tuple[str, str]] = []
    while len(names) < count:
        nationality, _, firsts, lasts = rng.choices(people, weights)[0]
        first, last = rng.choice(firsts), rng.choice(lasts)
        shape = rng.random()
        if shape < 0.35:
            pass
        elif shape < 0.7:
            first = f"{first} {chr(ord('A') + rng.randrange(26))}."
        elif shape < 0.85:
            last = f"{last}-{rng.choice(lasts)}"
        else:
            first = f"{first} {rng.choice(firsts)}"
        name = f"{last} {first}" if nationality in _FAMILY_FIRST else f"{first} {last}"
        if name not in taken:
            taken.add(name)
            names.append((name, nationality))
    return names


def _fold(text: str) -> str:
    """Without diacritics, as many people type names."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def query_for(name: str, rng: random.Random) -> tuple[str, str]:
    """(kind of query, text typed)."""
    words = [w for w in name.replace("-", " ").replace(".", "").split() if len(w) > 1]
    start = rng.randrange(len(words))
    if start + 1 < len(words) and rng.random() < 0.25:
        kind, text = "two words", f"{words[start]} {words[start + 1][: rng.randint(1, 3)]}"
    else:
        length = rng.randint(2, 6)
        kind, text = ("2 characters" if length == 2 else "3-6 characters"), words[start][:length]
    text = text.lower()
    return kind, _fold(text) if rng.random() < 0.3 else text


async def fill(index: SearchIndex, names: Sequence[tuple[str, str]], rng: random.Random) -> None:
    now = time.time()
    entities = [
        Entity(
            kind=EntityKind.ASTRONAUT,
            id=number,
            name=name,
            label=f"{name} · {nationality}",
            in_space=rng.random() < 0.005,
            sort_time=now - rng.uniform(0, 60 * 365 * 86400),
        )
        for number, (name, nationality) in enumerate(names, start=1)
    ]
    for first in range(0, len(entities), _BATCH):
        await index.upsert(entities[first : first + _BATCH], now)


async def measure(size: int, queries: int, seed: int) -> tuple[dict[str, list[float]], float]:
    """Latency (seconds) per query kind at `size` names; and the seconds filling took."""
    rng = random.Random(seed + size)
    names = generate_names(size, rng)
    with tempfile.TemporaryDirectory(prefix="capcom-bench-") as directory:
        async with SqliteDatabase(Path(directory) / "capcom.db") as db:
            index = SearchIndex(db)
            started = time.perf_counter()
            await fill(index, names, rng)
            filled = time.perf_counter() - started
            asked = [query_for(rng.choice(names)[0], rng) for _ in range(queries + WARM_UP)]
            apart = [("empty text", "")] * EXTRA + [
                ("1 character", query_for(rng.choice(names)[0], rng)[1][0]) for _ in range(EXTRA)
            ]
            del names
            # The generated names are this process's, not the bot's: keep the collector's
            # passes over them out of the measurement.
            gc.collect()
            gc.freeze()
            latencies: dict[str, list[float]] = defaultdict(list)
            for number, (kind, text) in enumerate(asked):
                started = time.perf_counter()
                await index.search(EntityKind.ASTRONAUT, text, 25)
                elapsed = time.perf_counter() - started
                if number >= WARM_UP:
                    latencies[kind].append(elapsed)
                    latencies["all"].append(elapsed)
            for kind, text in apart:
                started = time.perf_counter()
                await index.search(EntityKind.ASTRONAUT, text, 25)
                latencies[kind].append(time.perf_counter() - started)
            gc.unfreeze()
    return latencies, filled


def plot(results: dict[int, dict[str, list[float]]], path: Path = PLOT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    figure, axes = plt.subplots(figsize=(5.5, 3.4), dpi=110)
    for label, fraction, style in (("median", 0.5, "o-"), ("p99", 0.99, "s-")):
        values = [percentile(results[s]["all"], fraction) * 1000 for s in sizes]
        axes.plot(sizes, values, style, label=label)
    p99_short = [percentile(results[s]["2 characters"], 0.99) * 1000 for s in sizes]
    axes.plot(sizes, p99_short, "^--", label="p99, 2-character prefixes")
    axes.axhline(TARGET_P99 * 1000, color="grey", linestyle=":", label="target p99 (5 ms)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("astronaut names indexed")
    axes.set_ylabel("search latency (ms)")
    axes.set_title("Autocomplete: SearchIndex.search, SQLite")
    axes.legend(fontsize=8)
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


async def run(
    sizes: Sequence[int] = SIZES, queries: int = QUERIES, seed: int = SEED, *, draw: bool = True
) -> tuple[Report, bool]:
    results: dict[int, dict[str, list[float]]] = {}
    fills: dict[int, float] = {}
    for size in sizes:
        results[size], fills[size] = await measure(size, queries, seed)
    report = Report("autocomplete", "3. Autocomplete", machine())
    table = Table(
        [
            "names",
            "median",
            "p90",
            "p99",
            "max",
            "p99 by query: 2 chars / 3-6 chars / two words",
            "p99 apart: empty / 1 char",
            "filling the index",
        ]
    )
    for size in sizes:
        sample = results[size]
        table.add(
            f"{size:,}",
            *(
                f"{v * 1000:.2f} ms"
                for v in (
                    median(sample["all"]),
                    percentile(sample["all"], 0.9),
                    percentile(sample["all"], 0.99),
                    max(sample["all"]),
                )
            ),
            " / ".join(
                f"{percentile(sample[k], 0.99) * 1000:.2f}"
                for k in ("2 characters", "3-6 characters", "two words")
            )
            + " ms",
            " / ".join(
                f"{percentile(sample[k], 0.99) * 1000:.2f}" for k in ("empty text", "1 character")
            )
            + " ms",
            f"{fills[size]:.1f} s",
        )
    report.table(
        table,
        f"{queries:,} queries per size (after {WARM_UP} unmeasured), `SearchIndex.search("
        "EntityKind.ASTRONAUT, text, 25)` through aiosqlite on a temporary SQLite file, "
        f"one at a time; apart, {EXTRA} searches of the empty text and {EXTRA} of one letter:",
    )
    sizes_sorted = sorted(sizes)
    if len(sizes_sorted) > 1:
        low, high = sizes_sorted[0], sizes_sorted[-1]
        growth = percentile(results[high]["all"], 0.99) / percentile(results[low]["all"], 0.99)
        med_growth = median(results[high]["all"]) / median(results[low]["all"])
        report.note(
            f"Growth from {low:,} to {high:,} names ({high // low}x the names): median "
            f"{med_growth:.1f}x, p99 {growth:.1f}x."
        )
    if draw:
        plot(results)
        report.note(f"![autocomplete latency against index size]({PLOT.relative_to(PROJECT_ROOT)})")
    largest = max(sizes)
    p99 = percentile(results[largest]["all"], 0.99)
    met = report.target(
        f"p99 ≤ 5 ms at {largest:,} names", f"{p99 * 1000:.2f} ms", p99 <= TARGET_P99
    )
    return report, met


if __name__ == "__main__":
    print(asyncio.run(run())[0].markdown())
