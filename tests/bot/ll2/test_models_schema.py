"""Any object LL2 2.3.0's OpenAPI schema allows parses, and keeps what a user would see.

The objects come from `schema_strategies`, which turns the schema's components into
self-contained JSON schemas and draws from them; every drawn object is first checked
against its JSON schema, so a failure here is the models' fault, not the generator's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from hypothesis import Phase, given, settings

from bot.ll2.models import (
    Astronaut,
    CrewMember,
    DockingEvent,
    Landing,
    Page,
    SpacecraftFlight,
    SpacecraftFlightSummary,
    SpaceStation,
)
from tests.bot.ll2.schema_strategies import json_schema, objects

# Fixed seed and no example database: CI draws the same objects on every run. The
# drawn objects are large, so no per-example deadline (parsing one takes a few ms),
# and no explain phase: on Python 3.11 it traces every line, which takes minutes
# over objects this size; the shrunk failing example is reported all the same.
SCHEMA_SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[phase for phase in Phase if phase is not Phase.explain],
)

Raw = dict[str, Any]


@cache
def _validator(name: str) -> Any:
    return jsonschema.Draft202012Validator(json_schema(name))


def _valid(name: str, raw: Raw) -> Raw:
    _validator(name).validate(raw)
    return raw


def _text(value: object) -> str | None:
    """LL2 text as users must see it: blank is unset, every line break a plain LF."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _utc(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _image_url(raw: Raw) -> str | None:
    image = raw.get("image")
    return image["image_url"] if image is not None else None


def _nationality_names(countries: list[Raw]) -> list[str]:
    names = []
    for country in countries:
        name = _text(country.get("nationality_name")) or _text(country.get("name"))
        if name is not None:
            names.append(name.strip())
    return names


def _check_time(parsed: datetime | None, raw: object) -> None:
    assert parsed == _utc(raw)
    assert parsed is None or parsed.tzinfo is UTC


def _check_duration(parsed: timedelta | None) -> None:
    assert parsed is None or isinstance(parsed, timedelta)


def _check_astronaut(astronaut: Astronaut, raw: Raw) -> None:
    assert astronaut.id == raw["id"]
    assert astronaut.name == (_text(raw["name"]) or "")
    assert astronaut.profile_image == _image_url(raw)
    assert astronaut.status is not None
    assert astronaut.status.name == _text(raw["status"]["name"])
    if raw["agency"] is None:
        assert astronaut.agency is None
    else:
        assert astronaut.agency is not None
        assert astronaut.agency.id == raw["agency"]["id"]
        assert astronaut.agency.type == _text(raw["agency"]["type"].get("name"))
    assert astronaut.nationalities == _nationality_names(raw.get("nationality", []))
    _check_duration(astronaut.time_in_space)
    _check_duration(astronaut.eva_time)
    _check_time(astronaut.first_flight, raw.get("first_flight"))
    for field in ("date_of_birth", "date_of_death"):
        value = getattr(astronaut, field)
        assert value is None or (isinstance(value, date) and value.isoformat() == raw[field])


def _check_crew(crew: list[CrewMember], raw: list[Raw]) -> None:
    assert [member.astronaut.id for member in crew] == [item["astronaut"]["id"] for item in raw]
    for member, item in zip(crew, raw, strict=True):
        _check_astronaut(member.astronaut, item["astronaut"])
        assert member.role is not None
        assert member.role.role == _text(item["role"]["role"])


def _check_landing(landing: Landing | None, raw: Raw | None) -> None:
    if raw is None:
        assert landing is None
        return
    assert landing is not None
    assert landing.id == raw["id"]
    assert landing.success == raw.get("success")
    assert landing.attempt == raw.get("attempt")
    assert landing.location is not None
    assert landing.location.id == raw["landing_location"]["id"]
    assert landing.location.name == _text(raw["landing_location"].get("name"))
    assert landing.type is not None
    assert landing.type.name == _text(raw["type"].get("name"))


def _check_station(station: SpaceStation | None, raw: Raw) -> None:
    assert station is not None
    assert station.id == raw["id"]
    assert station.name == (_text(raw["name"]) or "")
    assert station.image_url == _image_url(raw)
    if "orbit" in raw:
        assert station.orbit == _text(raw["orbit"])
    if "status" in raw:
        assert station.status is not None
        assert station.status.name == _text(raw["status"]["name"])


def _check_summary(flight: SpacecraftFlightSummary, raw: Raw) -> None:
    assert flight.id == raw["id"]
    assert flight.destination == _text(raw.get("destination"))
    _check_time(flight.mission_end, raw.get("mission_end"))
    _check_duration(flight.duration)
    assert flight.spacecraft is not None
    assert flight.spacecraft.id == raw["spacecraft"]["id"]
    assert flight.spacecraft.image_url == _image_url(raw["spacecraft"])
    config = raw["spacecraft"]["spacecraft_config"]
    assert flight.spacecraft.spacecraft_config is not None
    assert flight.spacecraft.spacecraft_config.image_url == _image_url(config)
    assert flight.launch is not None
    assert flight.launch.id == raw["launch"]["id"]
    assert flight.launch.image == _image_url(raw["launch"])
    _check_time(flight.launched_at, raw["launch"].get("net"))
    _check_landing(flight.landing, raw["landing"])
    assert flight.name == (
        _given(raw["spacecraft"].get("name")) or _given(raw["launch"].get("name"))
    )


def _given(name: object) -> str | None:
    """A name as the models keep it: LL2's text with its line breaks made plain, None if blank."""
    if not isinstance(name, str):
        return None
    text = name.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else None


def _check_docking(event: DockingEvent, raw: Raw) -> None:
    assert event.id == raw["id"]
    _check_time(event.docking, raw["docking"])
    _check_time(event.departure, raw.get("departure"))
    _check_station(event.spacestation, raw["space_station_target"])
    assert event.docking_location is not None
    assert event.docking_location.id == raw["docking_location"]["id"]
    assert event.spacestation is not None


@SCHEMA_SETTINGS
@given(objects("SpacecraftFlightDetailed"))
def test_detailed_flight_parses(raw: Raw) -> None:
    flight = SpacecraftFlight.model_validate(_valid("SpacecraftFlightDetailed", raw))
    _check_summary(flight, raw)
    _check_crew(flight.launch_crew, raw["launch_crew"])
    _check_crew(flight.onboard_crew, raw["onboard_crew"])
    _check_crew(flight.landing_crew, raw["landing_crew"])
    assert {astronaut.id for astronaut in flight.crew} == {
        item["astronaut"]["id"]
        for item in (*raw["launch_crew"], *raw["onboard_crew"], *raw["landing_crew"])
    }
    assert len(flight.docking_events) == len(raw["docking_events"])
    for event, item in zip(flight.docking_events, raw["docking_events"], strict=True):
        _check_docking(event, item)


@SCHEMA_SETTINGS
@given(objects("SpacecraftFlightNormal"))
def test_normal_flight_parses(raw: Raw) -> None:
    _check_summary(
        SpacecraftFlightSummary.model_validate(_valid("SpacecraftFlightNormal", raw)), raw
    )


@SCHEMA_SETTINGS
@given(objects("AstronautNormal"))
def test_normal_astronaut_parses(raw: Raw) -> None:
    _check_astronaut(Astronaut.model_validate(_valid("AstronautNormal", raw)), raw)


@SCHEMA_SETTINGS
@given(objects("AstronautDetailed"))
def test_detailed_astronaut_parses(raw: Raw) -> None:
    _check_astronaut(Astronaut.model_validate(_valid("AstronautDetailed", raw)), raw)


@SCHEMA_SETTINGS
@given(objects("AstronautEndpointDetailed"))
def test_astronaut_endpoint_detail_parses(raw: Raw) -> None:
    astronaut = Astronaut.model_validate(_valid("AstronautEndpointDetailed", raw))
    _check_astronaut(astronaut, raw)
    assert astronaut.flights_count == raw.get("flights_count")
    assert [flight.id for flight in astronaut.flights] == [item["id"] for item in raw["flights"]]
    for flight, item in zip(astronaut.flights, raw["flights"], strict=True):
        _check_time(flight.net, item.get("net"))
    assert [landing.id for landing in astronaut.landings] == [
        item["id"] for item in raw["landings"]
    ]
    for landing, item in zip(astronaut.landings, raw["landings"], strict=True):
        _check_time(landing.mission_end, item.get("mission_end"))
        assert landing.spacecraft is not None
        assert landing.spacecraft.id == item["spacecraft"]["id"]


@SCHEMA_SETTINGS
@given(objects("DockingEventForChaserNormal"))
def test_docking_event_parses(raw: Raw) -> None:
    _check_docking(DockingEvent.model_validate(_valid("DockingEventForChaserNormal", raw)), raw)


@SCHEMA_SETTINGS
@given(objects("Landing"))
def test_landing_parses(raw: Raw) -> None:
    _check_landing(Landing.model_validate(_valid("Landing", raw)), raw)


@SCHEMA_SETTINGS
@given(objects("SpaceStationNormal"))
def test_space_station_parses(raw: Raw) -> None:
    station = SpaceStation.model_validate(_valid("SpaceStationNormal", raw))
    _check_station(station, raw)
    assert station.founded is None or station.founded.isoformat() == raw["founded"]


@SCHEMA_SETTINGS
@given(objects("PaginatedPolymorphicSpacecraftFlightEndpointList"))
def test_flight_list_page_parses(raw: Raw) -> None:
    name = "PaginatedPolymorphicSpacecraftFlightEndpointList"
    page = Page[SpacecraftFlightSummary].model_validate(_valid(name, raw))
    assert page.count == raw["count"]
    assert page.next == _text(raw.get("next"))
    assert page.previous == _text(raw.get("previous"))
    assert len(page.results) == len(raw["results"])
    for flight, item in zip(page.results, raw["results"], strict=True):
        _check_summary(flight, item)
