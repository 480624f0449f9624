"""The command mix of the benchmarks: seeded, Zipf popularity over a synthetic catalog.

Users mostly pick from autocomplete, so `/flight` and `/crew` carry ids (what a picked
choice sends); a few `/crew` commands carry a typed full name instead. Popularity ranks
are a seeded shuffle of the catalog; item `k` in the ranking is asked for with weight
`1 / k**ZIPF_S`.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.stubs.ll2 import Catalog

FLIGHTS = 300
ASTRONAUTS = 700
ZIPF_S = 1.0
MIX: Mapping[str, float] = {
    "/flight": 0.35,
    "/crew": 0.25,
    "/flights": 0.10,
    "autocomplete": 0.30,
}
TYPED_NAME_SHARE = 0.05
"""Of `/crew`: a full name typed instead of a picked choice."""
_WORD = re.compile(r"\w+", re.UNICODE)


def synthetic_catalog(seed: int, now: datetime | None = None) -> Catalog:
    return Catalog.synthetic(
        flights=FLIGHTS, astronauts=ASTRONAUTS, seed=seed, now=now or datetime.now(UTC)
    )


@dataclass(frozen=True, slots=True)
class Command:
    """One user action: `/name options`, or typing into option `focused` (autocomplete);
    in server `guild_id` (None: the Discord stand-in's first server), by a user whose
    Discord client is in `locale`."""

    name: str
    options: Mapping[str, object]
    focused: str | None = None
    guild_id: int | None = None
    locale: str = "en-US"

    @property
    def label(self) -> str:
        return "autocomplete" if self.focused is not None else f"/{self.name}"


class Zipf:
    """Items drawn with weight 1/rank**s, the ranking a seeded shuffle of `items`."""

    def __init__(self, items: Sequence[int], rng: random.Random, s: float = ZIPF_S) -> None:
        self.ranked = list(items)
        rng.shuffle(self.ranked)
        self._cum = list(itertools.accumulate(1 / (k**s) for k in range(1, len(items) + 1)))
        self._rng = rng

    def draw(self) -> int:
        return self._rng.choices(self.ranked, cum_weights=self._cum)[0]


@dataclass
class Workload:
    commands: list[Command]
    flight_ids: list[int]
    astronaut_ids: list[int]

    def counts(self) -> Counter[str]:
        return Counter(c.label for c in self.commands)

    def distinct(self, name: str) -> int:
        key = {"flight": "flight", "crew": "astronaut"}[name]
        return len(
            {str(c.options[key]) for c in self.commands if c.name == name and c.focused is None}
        )


def _prefix(name: str, rng: random.Random) -> str:
    """What someone has typed so far: 2-6 characters of one word, or a word and the
    start of the next (about one time in four)."""
    words: list[str] = _WORD.findall(name) or [name]
    start = rng.randrange(len(words))
    if start + 1 < len(words) and rng.random() < 0.25:
        return f"{words[start]} {words[start + 1][: rng.randint(1, 4)]}"
    return words[start][: rng.randint(2, 6)]


def build(catalog: Catalog, count: int, seed: int) -> Workload:
    """`count` commands in the proportions of `MIX`."""
    rng = random.Random(seed)
    flight_ids = sorted(catalog.flights)
    astronaut_ids = sorted(catalog.astronauts)
    by_craft = Counter(f["spacecraft"]["id"] for f in catalog.flights.values())
    flights = Zipf(flight_ids, rng)
    astronauts = Zipf(astronaut_ids, rng)
    crafts = Zipf(sorted(by_craft), rng)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    commands: list[Command] = []
    for kind in rng.choices(kinds, weights, k=count):
        if kind == "/flight":
            commands.append(Command("flight", {"flight": str(flights.draw())}))
        elif kind == "/crew":
            astronaut_id = astronauts.draw()
            value = (
                str(catalog.astronauts[astronaut_id]["name"])
                if rng.random() < TYPED_NAME_SHARE
                else str(astronaut_id)
            )
            commands.append(Command("crew", {"astronaut": value}))
        elif kind == "/flights":
            options: dict[str, object] = {}
            total = len(catalog.flights)
            if rng.random() < 0.5:
                craft = crafts.draw()
                options["spacecraft"] = str(craft)
                total = by_craft[craft]
            pages = max(1, math.ceil(total / 10))
            page = 1 if rng.random() < 0.6 else rng.randint(1, pages)
            if page > 1:
                options["page"] = page
            commands.append(Command("flights", options))
        else:
            commands.append(_autocomplete(catalog, rng, flights, astronauts, crafts))
    return Workload(commands, flight_ids, astronaut_ids)


def _autocomplete(
    catalog: Catalog, rng: random.Random, flights: Zipf, astronauts: Zipf, crafts: Zipf
) -> Command:
    pick = rng.random()
    if pick < 0.45:
        flight = catalog.flights[flights.draw()]
        launch: dict[str, object] = flight["launch"]
        name = str(launch.get("name") or "").split("|")[-1]
        return Command("flight", {"flight": _prefix(name, rng)}, focused="flight")
    if pick < 0.9:
        name = str(catalog.astronauts[astronauts.draw()]["name"])
        return Command("crew", {"astronaut": _prefix(name, rng)}, focused="astronaut")
    name = str(catalog.spacecraft[crafts.draw()]["name"])
    return Command("flights", {"spacecraft": _prefix(name, rng)}, focused="spacecraft")
