"""The data behind the local Launch Library 2 stand-in (`tests.stubs.ll2`).

A `Catalog` keeps spacecraft flights, spacecraft, astronauts and docking events in
the LL2 2.2.0 shape (the shape of the fixtures), and space stations in the 2.3.0
shape of their fixture. Objects are resolved when served, as LL2 does: a flight's
`spacecraft` comes from the spacecraft table and its crews' astronauts from the
astronaut table, so a mutation (landing a flight) shows in every object at once.

The converters are in `convert`; `Catalog.synthetic` adds the generated data of
`synthetic`.
"""

from __future__ import annotations

import copy
import itertools
import random
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.stubs.ll2.convert import (
    ASTRONAUT_545,
    ASTRONAUT_LIST,
    CREWS,
    DOCKING_EVENTS,
    FLIGHT_90,
    FLIGHT_186,
    FLIGHT_219,
    ISS_ID,
    SPACE_STATIONS,
    TIANGONG_ID,
    AstronautMode,
    JsonObject,
    agency_normal_230,
    api_url,
    astronaut_detail,
    astronaut_item,
    crew_astronaut,
    docking_event_item,
    duration_seconds,
    flight_detail,
    flight_list_item,
    iso_duration,
    iso_z,
    load_fixture,
    parse_time,
    parsed_fixture,
    rewrite_urls,
    spacecraft_230,
    station_embedded_220,
    station_from_embedded_220,
    station_id_of_event,
    station_mini,
)


class Catalog:
    """LL2 objects, resolved and converted on demand; see the module docstring.

    `now` is the catalog's present: durations of flights still going and ages count up
    to it. The tables are plain dicts keyed by id, in the 2.2.0 shape (stations: 2.3.0);
    change them through the mutation methods so derived data stays in step.
    """

    def __init__(self, *, now: datetime | None = None) -> None:
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.flights: dict[int, JsonObject] = {}
        self.spacecraft: dict[int, JsonObject] = {}
        self.astronauts: dict[int, JsonObject] = {}
        self.stations: dict[int, JsonObject] = {}
        self.docking_events: dict[int, JsonObject] = {}
        self._index: CatalogIndex | None = None

    # Construction

    @classmethod
    def from_fixtures(cls, *, now: datetime | None = None) -> Catalog:
        """The recorded objects: flights 219, 186, 90; astronauts; docking events; stations."""
        catalog = cls(now=now)
        catalog._load_stations()
        for astronaut in load_fixture(ASTRONAUT_LIST)["results"]:
            catalog.put_astronaut(astronaut)
        catalog.put_flight(load_fixture(FLIGHT_219))
        for name in (FLIGHT_186, FLIGHT_90):
            catalog.put_flight(_detail_from_list_item(load_fixture(name)))
        detail_545 = load_fixture(ASTRONAUT_545)
        catalog.put_astronaut({**catalog.astronauts.get(545, {}), **detail_545})
        catalog._load_docking_events()
        return catalog

    @classmethod
    def synthetic(
        cls,
        flights: int = 300,
        astronauts: int = 700,
        seed: int = 0,
        now: datetime | None = None,
    ) -> Catalog:
        """The fixtures plus generated flights and astronauts, `flights`/`astronauts` in all.

        Spacecraft 78 (Soyuz TMA-15) gets 26 flights (so `flights` must be at least 33);
        2 to 4 crewed flights are in space at `now`, docked at the ISS, and one cargo
        ship (Progress MS-31, no crew); crews are drawn from the generated astronauts.
        The same seed and `now` give the same catalog.
        """
        from tests.stubs.ll2.synthetic import Generator  # imported here: it imports Catalog

        catalog = cls.from_fixtures(now=now)
        Generator(catalog, random.Random(seed)).run(flights, astronauts)
        return catalog

    def _load_stations(self) -> None:
        for station in load_fixture(SPACE_STATIONS)["results"]:
            self.stations[station["id"]] = station
        for station in _missing_stations(self.stations, load_fixture(FLIGHT_219)):
            self.stations[station["id"]] = station

    def _load_docking_events(self) -> None:
        events = rewrite_urls(load_fixture(DOCKING_EVENTS)["results"], "2.2.0")
        by_location: dict[int, dict[int, int]] = {}
        resolved: list[tuple[JsonObject, int | None]] = []
        for event in events:
            station_id = self._station_for_destination(event["flight_vehicle"].get("destination"))
            resolved.append((event, station_id))
            if station_id is not None:
                votes = by_location.setdefault(event["docking_location"]["id"], {})
                votes[station_id] = votes.get(station_id, 0) + 1
        for event, found in resolved:
            votes = by_location.get(event["docking_location"]["id"], {})
            station_id = found or (max(votes, key=lambda s: votes[s]) if votes else None)
            if station_id is not None:
                event["docking_location"]["spacestation"] = station_mini(
                    self.stations[station_id], "2.2.0"
                )
            self.docking_events[event["id"]] = event

    def _station_for_destination(self, destination: object) -> int | None:
        if not isinstance(destination, str):
            return None
        wanted = _station_key(destination)
        for station in self.stations.values():
            if _station_key(str(station["name"])) == wanted:
                return int(station["id"])
        return _STATION_ALIASES.get(destination)

    # Mutations

    def put_flight(self, detail: JsonObject) -> None:
        """Add or replace a flight (2.2.0 detail); its spacecraft and crew are stored too."""
        detail = copy.deepcopy(detail)
        self.flights[detail["id"]] = detail
        self._register(detail, detail.keys())

    def put_astronaut(self, detail: JsonObject) -> None:
        """Add or replace an astronaut (2.2.0 list item or detail)."""
        self.astronauts[detail["id"]] = copy.deepcopy(detail)
        self._index = None

    def patch_flight(self, flight_id: int, patch: Mapping[str, Any]) -> None:
        """Shallow-merge `patch` into a stored flight (KeyError if unknown).

        A patched `spacecraft` or crew replaces the stored spacecraft or astronauts too.
        """
        flight = self.flights[flight_id]
        flight.update(copy.deepcopy(dict(patch)))
        self._register(flight, patch.keys())

    def land_flight(self, flight_id: int, at: datetime, success: bool = True) -> None:
        """End a flight at `at`, as LL2 records it everywhere at once: mission end and
        landing, its docking's departure (four hours before), the spacecraft and the
        crew no longer in space."""
        flight = self.flights[flight_id]
        flight["mission_end"] = iso_z(at)
        landing = flight.get("landing") or copy.deepcopy(parsed_fixture(FLIGHT_219)["landing"])
        landing.update({"attempt": True, "success": success})
        flight["landing"] = landing
        if not flight.get("landing_crew"):
            flight["landing_crew"] = [
                {**copy.deepcopy(member), "id": member["id"] + 500_000}
                for member in flight.get("launch_crew") or []
            ]
        for event in flight.get("docking_events") or []:
            if event.get("departure") is None:
                event["departure"] = iso_z(at - timedelta(hours=4))
        spacecraft_id = flight["spacecraft"]["id"]
        if spacecraft_id in self.spacecraft:
            self.spacecraft[spacecraft_id]["in_space"] = False
        for astronaut_id in self._crew_ids(flight):
            if astronaut_id in self.astronauts:
                self.astronauts[astronaut_id]["in_space"] = False
        self._index = None

    def undock(self, flight_id: int, at: datetime) -> None:
        """Set `departure` on the flight's open docking event (LookupError if none)."""
        for event in self.flights[flight_id].get("docking_events") or []:
            if event.get("departure") is None:
                event["departure"] = iso_z(at)
                self._index = None
                return
        raise LookupError(f"flight {flight_id} has no open docking event")

    def launch_crew(self, template_id: int, at: datetime) -> int:
        """A new crewed flight launched at `at`, as LL2 records it everywhere at once: a
        new spacecraft and a fresh crew in space, shaped like flight `template_id` (its
        crew's records copied under new ids). No docking yet. Returns the flight's id."""
        template = self.flight(template_id)
        flight_id = max(self.flights) + 1
        craft = copy.deepcopy(template["spacecraft"])
        craft.update(
            {"id": max(self.spacecraft) + 1, "name": f"{craft['name']} II", "in_space": True}
        )
        crew = []
        next_astronaut = max(self.astronauts) + 1
        for offset, member in enumerate(template.get("launch_crew") or []):
            astronaut = copy.deepcopy(self.astronauts[member["astronaut"]["id"]])
            astronaut.update(
                {
                    "id": next_astronaut + offset,
                    "name": f"{astronaut['name']} Jr.",
                    "in_space": True,
                    "last_flight": iso_z(at),
                }
            )
            self.astronauts[astronaut["id"]] = astronaut
            crew.append({**copy.deepcopy(member), "astronaut": crew_astronaut(astronaut)})
        launch = copy.deepcopy(template["launch"])
        launch.update({"id": str(uuid.uuid4()), "net": iso_z(at)})
        self.spacecraft[craft["id"]] = craft
        self.flights[flight_id] = {
            **{key: copy.deepcopy(value) for key, value in template.items()},
            "id": flight_id,
            "url": api_url("2.2.0", "spacecraft/flight", flight_id),
            "mission_end": None,
            "launch_crew": crew,
            "onboard_crew": [],
            "landing_crew": [],
            "spacecraft": craft,
            "launch": launch,
            "landing": {**(template.get("landing") or {}), "attempt": False, "success": None},
            "docking_events": [],
        }
        self._index = None
        return flight_id

    def dock(self, flight_id: int, at: datetime, station_id: int = ISS_ID) -> int:
        """The flight docks at a station at `at`; returns the new docking event's id."""
        station = self.stations[station_id]
        event_id = max([*self.docking_events, *self._flight_docking_ids()]) + 1
        self.flights[flight_id].setdefault("docking_events", []).append(
            {
                "id": event_id,
                "spacestation": station_embedded_220(station),
                "docking": iso_z(at),
                "departure": None,
                "docking_location": {
                    "id": 19,
                    "name": "Harmony forward",
                    "spacestation": station_mini(station, "2.2.0"),
                },
            }
        )
        self._index = None
        return event_id

    def _flight_docking_ids(self) -> list[int]:
        return [
            event["id"]
            for flight in self.flights.values()
            for event in flight.get("docking_events") or []
        ]

    def _register(self, flight: JsonObject, keys: Iterable[str]) -> None:
        """Store the spacecraft and crew astronauts of `flight` that `keys` name."""
        keys = set(keys)
        spacecraft = flight.get("spacecraft")
        if "spacecraft" in keys and isinstance(spacecraft, dict):
            self.spacecraft[spacecraft["id"]] = copy.deepcopy(spacecraft)
        for crew in keys.intersection(CREWS):
            for member in flight.get(crew) or []:
                astronaut = member["astronaut"]
                stored = self.astronauts.setdefault(astronaut["id"], {})
                stored.update(copy.deepcopy(astronaut))
        self._index = None

    @staticmethod
    def _crew_ids(flight: JsonObject) -> list[int]:
        ids: list[int] = []
        for crew in CREWS:
            for member in flight.get(crew) or []:
                if member["astronaut"]["id"] not in ids:
                    ids.append(member["astronaut"]["id"])
        return ids

    # Resolution

    @property
    def index(self) -> CatalogIndex:
        if self._index is None:
            self._index = CatalogIndex.build(self)
        return self._index

    def flight_summary(self, flight_id: int) -> JsonObject:
        """A flight's resolved 2.2.0 detail without crews and docking events (cheaper)."""
        stored = self.flights[flight_id]
        resolved = {
            key: copy.deepcopy(value)
            for key, value in stored.items()
            if key not in (*CREWS, "docking_events", "spacecraft")
        }
        spacecraft = self.spacecraft.get(stored["spacecraft"]["id"], stored["spacecraft"])
        resolved["spacecraft"] = copy.deepcopy(spacecraft)
        return resolved

    def flight(self, flight_id: int) -> JsonObject:
        """The resolved 2.2.0 detail of a flight (KeyError if unknown)."""
        resolved = copy.deepcopy(self.flights[flight_id])
        spacecraft = self.spacecraft.get(resolved["spacecraft"]["id"])
        if spacecraft is not None:
            resolved["spacecraft"] = copy.deepcopy(spacecraft)
        for crew in CREWS:
            for member in resolved.get(crew) or []:
                stored = self.astronauts.get(member["astronaut"]["id"])
                if stored is not None:
                    member["astronaut"] = crew_astronaut(stored)
        return resolved

    def astronaut(self, astronaut_id: int) -> JsonObject:
        """The resolved 2.2.0 detail of an astronaut, `flights`/`landings` included."""
        resolved = copy.deepcopy(self.astronauts[astronaut_id])
        launches = {launch["id"]: launch for launch in resolved.get("flights") or []}
        landings = {flight["id"]: flight for flight in resolved.get("landings") or []}
        for flight_id in self.index.flown.get(astronaut_id, ()):
            launch = copy.deepcopy(self.flights[flight_id]["launch"])
            launches[launch["id"]] = launch
        for flight_id in self.index.landed.get(astronaut_id, ()):
            landings[flight_id] = flight_list_item(self.flight_summary(flight_id), "2.2.0")
        resolved["flights"] = sorted(launches.values(), key=lambda launch: launch.get("net") or "")
        resolved["landings"] = sorted(landings.values(), key=lambda flight: flight["id"])
        if "flights_count" in resolved:
            resolved["flights_count"] = len(resolved["flights"])
        if "landings_count" in resolved:
            resolved["landings_count"] = len(resolved["landings"])
        return resolved

    def docking_event_list(self) -> list[JsonObject]:
        """Every docking event in the 2.2.0 `/docking_event/` shape, by id."""
        events = dict(self.docking_events)
        for flight_id in sorted(self.flights):
            stored = self.flights[flight_id]
            if not stored.get("docking_events"):
                continue
            flight = self.flight_summary(flight_id)
            for event in stored["docking_events"]:
                events[event["id"]] = {
                    "id": event["id"],
                    "url": api_url("2.2.0", "docking_event", event["id"]),
                    "launch_id": flight["launch"]["id"],
                    "docking": event.get("docking"),
                    "departure": event.get("departure"),
                    "flight_vehicle": {
                        key: flight.get(key)
                        for key in ("id", "url", "destination", "mission_end", "spacecraft")
                    },
                    "docking_location": copy.deepcopy(event.get("docking_location")),
                }
        return [copy.deepcopy(events[event_id]) for event_id in sorted(events)]

    # Queries (lists of ids, for the stand-in's filters)

    def query_flights(
        self, *, spacecraft: int | None = None, search: str | None = None
    ) -> list[int]:
        """Flight ids in LL2's order for this endpoint (by id: it declares no ordering)."""
        selected: list[int] = []
        needle = search.casefold() if search else None
        for flight_id in sorted(self.flights):
            flight = self.flights[flight_id]
            craft: JsonObject = (
                self.spacecraft.get(flight["spacecraft"]["id"]) or flight["spacecraft"]
            )
            if spacecraft is not None and craft["id"] != spacecraft:
                continue
            if needle is not None:
                names = f"{craft.get('name') or ''}\n{flight['launch'].get('name') or ''}"
                if needle not in names.casefold():
                    continue
            selected.append(flight_id)
        return selected

    def flights_in_space(self, *, crewed: bool | None = None) -> list[int]:
        """Flights up now (launched, no mission end, spacecraft in space), by id; for
        tests and control, not an LL2 filter (`/spacecraft_flights/` has none)."""
        return [
            flight_id
            for flight_id in sorted(self.flights)
            if self.flights[flight_id].get("mission_end") is None
            and self.spacecraft.get(self.flights[flight_id]["spacecraft"]["id"], {}).get("in_space")
            and (crewed is None or bool(self._crew_ids(self.flights[flight_id])) == crewed)
        ]

    def query_spacecraft(
        self, *, in_space: bool | None = None, is_placeholder: bool | None = None
    ) -> list[int]:
        """Spacecraft ids by id, filtered as `/spacecraft/` (2.3.0) filters them."""
        return [
            craft_id
            for craft_id in sorted(self.spacecraft)
            if (in_space is None or bool(self.spacecraft[craft_id].get("in_space")) == in_space)
            and (
                is_placeholder is None
                or bool(self.spacecraft[craft_id].get("is_placeholder")) == is_placeholder
            )
        ]

    def query_astronauts(
        self,
        *,
        search: str | None = None,
        in_space: bool | None = None,
        statuses: Iterable[int] | None = None,
        has_flown: bool | None = None,
        ordering: str | None = None,
    ) -> list[int]:
        """Astronaut ids: by id unless `ordering` names a field LL2 declares (others are
        dropped, as DRF drops them)."""
        wanted_statuses = None if statuses is None else set(statuses)
        needle = search.casefold() if search else None
        selected: list[int] = []
        for astronaut_id in sorted(self.astronauts):
            astronaut = self.astronauts[astronaut_id]
            agency = astronaut.get("agency") or {}
            if needle is not None:
                haystack = "\n".join(
                    str(astronaut.get(key) or "") for key in ("name", "nationality")
                )
                if needle not in f"{haystack}\n{agency.get('name') or ''}".casefold():
                    continue
            if in_space is not None and bool(astronaut.get("in_space")) != in_space:
                continue
            status = (astronaut.get("status") or {}).get("id")
            if wanted_statuses is not None and status not in wanted_statuses:
                continue
            if has_flown is not None and self._has_flown(astronaut) != has_flown:
                continue
            selected.append(astronaut_id)
        if ordering:
            field = ordering.removeprefix("-")
            if field in _ASTRONAUT_ORDERINGS:
                selected = _sorted_nulls_last(
                    selected,
                    lambda aid: _ASTRONAUT_ORDERINGS[field](self.astronauts[aid]),
                    descending=ordering.startswith("-"),
                )
        return selected

    def _has_flown(self, astronaut: JsonObject) -> bool:
        return bool(
            astronaut.get("first_flight")
            or astronaut.get("flights")
            or self.index.flown.get(astronaut["id"])
        )

    def query_docking_events(
        self,
        *,
        flight_id: int | None = None,
        station_id: int | None = None,
        ordering: str | None = None,
    ) -> list[JsonObject]:
        """Docking events by id, or by `docking`/`departure` (declared orderings; a
        null departure sorts last ascending and first descending, as PostgreSQL does)."""
        selected = [
            event
            for event in self.docking_event_list()
            if (flight_id is None or event["flight_vehicle"]["id"] == flight_id)
            and (station_id is None or station_id_of_event(event) == station_id)
        ]
        field = (ordering or "").removeprefix("-")
        if field in ("docking", "departure"):
            descending = bool(ordering and ordering.startswith("-"))
            present = [event for event in selected if event.get(field)]
            missing = [event for event in selected if not event.get(field)]
            present.sort(key=lambda event: (str(event[field]), event["id"]), reverse=descending)
            selected = missing + present if descending else present + missing
        return selected

    # Payloads (what the stand-in sends)

    def flight_payload(self, flight_id: int, version: str, *, detailed: bool) -> JsonObject:
        resolved = self.flight(flight_id)
        turn_around = self.index.turn_around.get(flight_id)
        if detailed:
            return flight_detail(
                resolved,
                version,
                now=self.now,
                stations=self.stations,
                turn_around_time=turn_around,
            )
        return flight_list_item(resolved, version, now=self.now, turn_around_time=turn_around)

    def astronaut_payload(
        self, astronaut_id: int, version: str, mode: AstronautMode = "normal"
    ) -> JsonObject:
        if version != "2.3.0":
            if mode == "detailed":
                return self.astronaut(astronaut_id)
            return astronaut_item(self.astronauts[astronaut_id], version)
        if mode == "detailed":
            return astronaut_detail(self.astronaut(astronaut_id), version, now=self.now)
        astronaut = copy.deepcopy(self.astronauts[astronaut_id])
        launches = {launch["id"] for launch in astronaut.get("flights") or []}
        launches.update(
            self.flights[fid]["launch"]["id"] for fid in self.index.flown.get(astronaut_id, ())
        )
        landings = {flight["id"] for flight in astronaut.get("landings") or []}
        landings.update(self.index.landed.get(astronaut_id, ()))
        astronaut["flights_count"] = len(launches)
        astronaut["landings_count"] = len(landings)
        return astronaut_item(astronaut, version, mode, now=self.now)

    def docking_event_payload(self, event: JsonObject, version: str) -> JsonObject:
        flight_id = event["flight_vehicle"]["id"]
        station_id = station_id_of_event(event)
        return docking_event_item(
            event,
            version,
            flight=self.flight_summary(flight_id) if flight_id in self.flights else None,
            station=self.stations.get(station_id) if station_id is not None else None,
            now=self.now,
        )

    def spacecraft_payload(self, craft_id: int, *, detailed: bool) -> JsonObject:
        """A spacecraft as 2.3.0 `/spacecraft/` lists it; detailed: with its flights."""
        payload = spacecraft_230(self.spacecraft[craft_id], detailed=detailed)
        if detailed:
            payload["response_mode"] = "detailed"
            payload["flights"] = [
                self.flight_payload(flight_id, "2.3.0", detailed=False)
                for flight_id in sorted(self.flights)
                if self.flights[flight_id]["spacecraft"]["id"] == craft_id
            ]
        return payload


@dataclass(frozen=True)
class CatalogIndex:
    """Derived lookups, rebuilt after a mutation: who flew what, turn-around times."""

    flown: Mapping[int, tuple[int, ...]]
    landed: Mapping[int, tuple[int, ...]]
    turn_around: Mapping[int, str]

    @classmethod
    def build(cls, catalog: Catalog) -> CatalogIndex:
        flown: dict[int, list[int]] = {}
        landed: dict[int, list[int]] = {}
        by_craft: dict[int, list[JsonObject]] = {}
        for flight_id in sorted(catalog.flights):
            flight = catalog.flights[flight_id]
            for crew, table in (("launch_crew", flown), ("landing_crew", landed)):
                for member in flight.get(crew) or []:
                    ids = table.setdefault(member["astronaut"]["id"], [])
                    if flight_id not in ids:
                        ids.append(flight_id)
            by_craft.setdefault(flight["spacecraft"]["id"], []).append(flight)
        turn_around: dict[int, str] = {}
        for flights in by_craft.values():
            flights.sort(key=lambda f: str(f["launch"].get("net") or ""))
            for previous, current in itertools.pairwise(flights):
                ended = parse_time(previous.get("mission_end"))
                launched = parse_time(current["launch"].get("net"))
                if ended is not None and launched is not None:
                    turn_around[current["id"]] = iso_duration(launched - ended)
        return cls(
            flown={k: tuple(v) for k, v in flown.items()},
            landed={k: tuple(v) for k, v in landed.items()},
            turn_around=turn_around,
        )


_ASTRONAUT_ORDERINGS: dict[str, Callable[[JsonObject], Any]] = {
    "id": lambda a: a["id"],
    "name": lambda a: a.get("name"),
    "time_in_space": lambda a: (
        duration_seconds(a["time_in_space"]) if a.get("time_in_space") else None
    ),
    "eva_time": lambda a: duration_seconds(a["eva_time"]) if a.get("eva_time") else None,
    "last_flight": lambda a: a.get("last_flight"),
    "flights_count": lambda a: a.get("flights_count"),
    "date_of_birth": lambda a: a.get("date_of_birth"),
}


def _sorted_nulls_last(ids: list[int], key: Callable[[int], Any], *, descending: bool) -> list[int]:
    present = [aid for aid in ids if key(aid) is not None]
    missing = [aid for aid in ids if key(aid) is None]
    return sorted(present, key=key, reverse=descending) + missing


def _detail_from_list_item(item: JsonObject) -> JsonObject:
    """A 2.2.0 flight list item as a detail: no crew, no docking events, landing unknown."""
    return {
        "id": item["id"],
        "url": item["url"],
        "mission_end": item.get("mission_end"),
        "destination": item.get("destination"),
        "launch_crew": [],
        "onboard_crew": [],
        "landing_crew": [],
        "spacecraft": item["spacecraft"],
        "launch": item["launch"],
        "landing": None,
        "docking_events": [],
    }


def _station_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


_STATION_ALIASES = {
    "Mir Space Station": 5,
    "Skylab Station in Low Earth Orbit": 6,
    "Tiangong Space Station": TIANGONG_ID,
}


def _missing_stations(
    stations: Mapping[int, JsonObject], flight_219: JsonObject
) -> list[JsonObject]:
    """The six stations the 9-item fixture page leaves out, in the same (2.3.0) shape.

    The ISS is built from flight 219's embedded station and the fixture agencies;
    the others are cloned from their nearest fixture sibling.
    """
    agencies = {
        astronaut["agency"]["id"]: astronaut["agency"]
        for astronaut in parsed_fixture(ASTRONAUT_LIST)["results"]
        if astronaut.get("agency")
    }
    embedded = flight_219["docking_events"][0]["spacestation"]
    iss = station_from_embedded_220(embedded)
    iss.update(
        {
            "url": api_url("2.3.0", "spacestation", ISS_ID),
            "deorbited": None,
            "owners": [agency_normal_230(agencies[aid]) for aid in (44, 63, 27, 37, 16)],
            "response_mode": "normal",
            "active_expeditions": [],
        }
    )
    clones = (
        (9, 14, "Salyut 1", "1971-04-19", "1971-10-11", None),
        (13, 14, "Salyut 5", "1976-06-22", "1977-08-08", None),
        (15, 14, "Salyut 7", "1982-04-19", "1991-02-07", None),
        (17, 16, "Genesis II", "2007-06-28", None, None),
        (TIANGONG_ID, 8, "Tiangong", "2021-04-29", None, {"id": 1, "name": "Active"}),
    )
    built = [iss]
    for station_id, template_id, name, founded, deorbited, status in clones:
        station = copy.deepcopy(stations[template_id])
        station.update(
            {
                "id": station_id,
                "url": api_url("2.3.0", "spacestation", station_id),
                "name": name,
                "image": None,
                "founded": founded,
                "deorbited": deorbited,
                "description": f"{name} is a space station launched on {founded}.",
            }
        )
        if status is not None:
            station["status"] = status
        built.append(station)
    return built
