"""What each LL2 model contributes to the local search index."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from bot.ll2.models import Astronaut, SpacecraftFlight, SpacecraftFlightSummary
from storage.index import Entity, EntityKind


def flight_label(flight: SpacecraftFlightSummary) -> str:
    """'Soyuz TMA-15 · 2009-05-27': what autocomplete offers ('#4242 · …' for a flight LL2
    names neither by its spacecraft nor its launch: the same for every reader)."""
    launched = flight.launched_at
    suffix = f" · {launched:%Y-%m-%d}" if launched else ""
    name = flight.name or f"#{flight.id}"
    return f"{name[: 100 - len(suffix)]}{suffix}"


def astronaut_label(astronaut: Astronaut) -> str:
    detail = astronaut.nationality or (astronaut.agency.name if astronaut.agency else None)
    suffix = f" · {detail}" if detail else ""
    return f"{astronaut.name[:60]}{suffix}"[:100]


def _timestamp(value: datetime | None) -> float | None:
    return value.timestamp() if value else None


def _flight_search_text(flight: SpacecraftFlightSummary) -> str:
    names: list[str | None] = [flight.name]
    if flight.launch is not None:
        mission = flight.launch.mission
        names += [flight.launch.name, mission.name if mission else None]
    unique: list[str] = []
    for name in names:
        if name and name not in unique:
            unique.append(name)
    return " ".join(unique)


def flight_entities(flight: SpacecraftFlightSummary, now: datetime) -> Iterator[Entity]:
    spacecraft = flight.spacecraft
    yield Entity(
        kind=EntityKind.FLIGHT,
        id=flight.id,
        name=_flight_search_text(flight),
        label=flight_label(flight),
        in_space=flight.is_in_space(now),
        sort_time=_timestamp(flight.launched_at),
        parent_id=spacecraft.id if spacecraft else None,
    )
    if spacecraft is not None and spacecraft.name:
        yield Entity(
            kind=EntityKind.SPACECRAFT,
            id=spacecraft.id,
            name=spacecraft.name,
            label=spacecraft.name[:100],
            in_space=spacecraft.in_space,
            sort_time=_timestamp(flight.launched_at),
        )
    if isinstance(flight, SpacecraftFlight):
        for astronaut in flight.crew:
            yield astronaut_entity(astronaut)


def astronaut_entity(astronaut: Astronaut) -> Entity:
    return Entity(
        kind=EntityKind.ASTRONAUT,
        id=astronaut.id,
        name=astronaut.name,
        label=astronaut_label(astronaut),
        in_space=astronaut.in_space,
        sort_time=_timestamp(astronaut.last_flight),
    )


def flights_entities(flights: Iterable[SpacecraftFlightSummary], now: datetime) -> list[Entity]:
    return [entity for flight in flights for entity in flight_entities(flight, now)]
