"""The LL2 models read every recorded LL2 response and keep what a user would see."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bot.ll2.launches import UpcomingLaunch
from bot.ll2.models import (
    Astronaut,
    DockingEvent,
    Page,
    Spacecraft,
    SpacecraftFlight,
    SpacecraftFlightSummary,
    SpacecraftInSpace,
    SpaceStation,
    parse_duration,
)
from tests.bot.ll2.real_data import SPACECRAFT_STAGE_SHAPES, docked, with_spacecraft_stage
from tests.paths import FIXTURES, fixture
from tests.stubs.ll2.convert import (
    UPCOMING_CREW12_GO,
    UPCOMING_CREW12_SLIPPED,
    UPCOMING_CREW12_TBD,
    UPCOMING_CREW13_TBD,
    UPCOMING_PAGE_NORMAL,
)

Raw = dict[str, Any]
Path = tuple[str | int, ...]

FLIGHT_219 = "2.2.0_spacecraft_flight_219_detail.json"
FLIGHT_186 = "2.2.0_spacecraft_flight_186_list_item.json"
FLIGHT_90 = "2.2.0_spacecraft_flight_90_list_item.json"
ASTRONAUT_545 = "2.2.0_astronaut_545_detail.json"
ASTRONAUT_LIST = "2.2.0_astronaut_list_status1_limit100.json"
DOCKING_LIST = "2.1.0_docking_event_list_all_pages_merged.json"
ASTRONAUTS_MERGED = "2.1.0_astronaut_list_pages_merged.json"
STATIONS_230 = "2.3.0_space_stations_list_limit9.json"
ISS_230 = "2.3.0_space_station_4_detail.json"
API_THROTTLE = "api_throttle.json"

MODEL_OF: dict[str, type[BaseModel]] = {
    FLIGHT_219: SpacecraftFlight,
    FLIGHT_186: SpacecraftFlightSummary,
    FLIGHT_90: SpacecraftFlightSummary,
    ASTRONAUT_545: Astronaut,
    ASTRONAUT_LIST: Page[Astronaut],
    DOCKING_LIST: Page[DockingEvent],
    ASTRONAUTS_MERGED: Page[Astronaut],
    STATIONS_230: Page[SpaceStation],
    # Capcom reads a station only as a docking target, so no model of its own reads the
    # detail; the vehicles docked to it are docking events and flights (tested below).
    ISS_230: SpaceStation,
    UPCOMING_CREW12_TBD: UpcomingLaunch,
    UPCOMING_CREW12_GO: UpcomingLaunch,
    UPCOMING_CREW12_SLIPPED: UpcomingLaunch,
    UPCOMING_CREW13_TBD: UpcomingLaunch,
    UPCOMING_PAGE_NORMAL: Page[UpcomingLaunch],
}

# What LL2 always sends, and the models require.
ALWAYS_SENT = frozenset({"id", "astronaut", "results"})

ISS = "International Space Station"
PROPERTY_SETTINGS = settings(derandomize=True, database=None)


def load(name: str) -> Any:
    return json.loads(fixture(name).read_text(encoding="utf-8"))


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def first_result_only(page: Raw) -> Raw:
    return {**page, "results": page["results"][:1]}


@pytest.fixture(scope="module")
def flight_219() -> SpacecraftFlight:
    return SpacecraftFlight.model_validate(load(FLIGHT_219))


# --- every fixture -------------------------------------------------------------------


NOT_READ = {API_THROTTLE}
"""Recordings of endpoints Capcom does not call (kept for the LL2 stand-in)."""


def test_every_fixture_has_a_model() -> None:
    assert {path.name for path in FIXTURES.glob("*.json")} == set(MODEL_OF) | NOT_READ


@pytest.mark.parametrize("name", sorted(MODEL_OF))
def test_every_fixture_parses(name: str) -> None:
    assert isinstance(MODEL_OF[name].model_validate(load(name)), MODEL_OF[name])


# --- flight 219 (Soyuz TMA-15), 2.2.0 detail -------------------------------------------


def test_flight_219_docking(flight_219: SpacecraftFlight) -> None:
    (event,) = flight_219.docking_events
    assert event.docking == utc(2009, 5, 29, 12, 43)
    assert event.departure == utc(2009, 12, 1, 3, 56)
    assert event.docking.tzinfo is UTC
    assert event.departure - event.docking == timedelta(days=185, hours=15, minutes=13)
    assert event.spacestation is not None
    assert event.spacestation.name == ISS
    assert event.spacestation.orbit == "Low Earth Orbit"
    assert event.docking_location is not None
    assert event.docking_location.name == "Zarya nadir"


def test_flight_219_landing(flight_219: SpacecraftFlight) -> None:
    landing = flight_219.landing
    assert landing is not None
    assert landing.success is True
    assert landing.attempt is True
    assert landing.location is not None
    assert landing.location.name == "Kazakhstan"
    assert landing.type is not None
    assert landing.type.name == "Parachute Landing"
    assert landing.description == "The Soyuz spacecraft safely landed in Kazakhstan."


def test_flight_219_mission_times(flight_219: SpacecraftFlight) -> None:
    assert flight_219.name == "Soyuz TMA-15"
    assert flight_219.destination == ISS
    assert flight_219.launched_at == utc(2009, 5, 27, 10, 34, 53)
    assert flight_219.mission_end == utc(2009, 12, 1, 7, 17)
    assert flight_219.mission_duration == timedelta(days=187, hours=20, minutes=42, seconds=7)
    assert flight_219.has_ended(utc(2026, 1, 1))
    assert not flight_219.is_in_space(utc(2026, 1, 1))


@pytest.mark.parametrize(
    "back",
    [
        {"mission_end": "2009-12-01T07:17:00Z"},
        {"landing": {"success": True}},
        {"landing": {"success": False}},
        {"spacecraft": {"id": 1, "in_space": False}},
    ],
)
def test_one_rule_says_whether_a_flight_is_still_in_space(back: dict[str, Any]) -> None:
    """A mission end, a landing outcome, or a spacecraft back on the ground: `/inspace`,
    `/flight` and the alerts all count the flight as landed (the alerts once alone
    counted the outcome)."""
    up = {"id": 7, "launch": {"id": "a", "net": "2009-05-27T10:34:53Z"}}
    now = utc(2026, 1, 1)
    flight = SpacecraftFlight.model_validate(up | back)
    assert flight.has_landed(now) and not flight.is_in_space(now)
    craft = SpacecraftInSpace.model_validate({"id": 1, "flights": [up | back, up | {"id": 8}]})
    assert [f.id for f in craft.open_flights(now)] == [8]
    assert SpacecraftFlight.model_validate(up).is_in_space(now)


def test_flight_219_crew(flight_219: SpacecraftFlight) -> None:
    names = ["Roman Romanenko", "Frank De Winne", "Robert Thirsk"]
    assert [astronaut.name for astronaut in flight_219.crew] == names
    assert [member.astronaut.name for member in flight_219.landing_crew] == names
    assert flight_219.onboard_crew == []
    roles = [member.role.role if member.role else None for member in flight_219.launch_crew]
    assert roles == ["Commander", "Flight Engineer", "Flight Engineer"]
    for astronaut in flight_219.crew:
        assert astronaut.profile_image is not None
        assert astronaut.profile_image.startswith("https://thespacedevs-prod.")
    romanenko = flight_219.crew[0]
    assert romanenko.nationality == "Russian"
    assert romanenko.time_in_space == timedelta(days=333, hours=11, seconds=32)
    assert romanenko.date_of_birth == date(1971, 8, 9)
    assert romanenko.date_of_death is None
    assert romanenko.first_flight == utc(2009, 5, 27, 10, 34, 53)
    assert romanenko.agency is not None
    assert romanenko.agency.type == "Government"
    assert romanenko.status is not None
    assert romanenko.status.name == "Retired"


def test_flight_219_spacecraft(flight_219: SpacecraftFlight) -> None:
    spacecraft = flight_219.spacecraft
    assert spacecraft is not None
    assert spacecraft.serial_number == "Soyuz TMA 11F732A17 #225"
    assert spacecraft.time_in_space == timedelta(days=187, hours=20, minutes=42, seconds=7)
    assert spacecraft.time_docked == timedelta(days=185, hours=15, minutes=13)
    config = spacecraft.spacecraft_config
    assert config is not None
    assert config.name == "Soyuz TMA"
    assert config.image_url == (
        "https://thespacedevs-prod.nyc3.digitaloceanspaces.com"
        "/media/images/soyuz_tma_image_20231225093222.jpeg"
    )
    assert config.wiki_link == "https://en.wikipedia.org/wiki/Soyuz_TMA"
    assert config.info_link is None  # LL2 sends "info_link": ""
    assert config.agency is not None
    assert config.agency.country_code == "RUS"


def test_flight_219_launch(flight_219: SpacecraftFlight) -> None:
    launch = flight_219.launch
    assert launch is not None
    assert launch.name == "Soyuz-FG | Soyuz TMA-15"
    assert launch.status is not None
    assert launch.status.name == "Launch Successful"
    assert launch.rocket is not None
    assert launch.rocket.name == "Soyuz FG"
    assert launch.mission is not None
    assert launch.mission.type == "Human Exploration"
    assert launch.mission.orbit is not None
    assert launch.mission.orbit.name == "Low Earth Orbit"
    assert launch.pad is not None
    assert launch.pad.wiki_url is None  # LL2 sends "wiki_url": ""
    assert launch.pad.location is not None
    assert launch.pad.location.country_code == "KAZ"


# --- list-shape flights ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "launch_name", "launched", "ended"),
    [
        (
            FLIGHT_186,
            "Space Shuttle Endeavour / OV-105 | STS-123",
            utc(2008, 3, 11, 6, 28, 14),
            utc(2008, 3, 27, 0, 40),
        ),
        (
            FLIGHT_90,
            "Space Shuttle Endeavour / OV-105 | STS-49",
            utc(1992, 5, 7, 23, 40),
            utc(1992, 5, 16, 22, 57),
        ),
    ],
)
def test_list_item_flights(
    name: str, launch_name: str, launched: datetime, ended: datetime
) -> None:
    flight = SpacecraftFlightSummary.model_validate(load(name))
    assert flight.name == "Space Shuttle Endeavour"
    assert flight.launch is not None
    assert flight.launch.name == launch_name
    assert flight.launched_at == launched
    assert flight.mission_end == ended
    assert flight.mission_duration == ended - launched
    assert flight.spacecraft is not None
    assert flight.spacecraft.spacecraft_config is not None
    assert flight.spacecraft.spacecraft_config.image_url is not None
    # The detail model reads a list item too, with no crew.
    assert SpacecraftFlight.model_validate(load(name)).crew == []


# --- astronauts --------------------------------------------------------------------------


def test_a_nationality_with_a_line_break_reads_like_any_other_text() -> None:
    """A bare CR from LL2 must not reach users (found by the schema property test)."""
    raw = {"id": 1, "name": "X", "nationality": [{"id": 1, "name": "Russian\r"}, {"name": "A\rB"}]}
    assert Astronaut.model_validate(raw).nationalities == ["Russian", "A\nB"]


def test_astronaut_545_detail() -> None:
    astronaut = Astronaut.model_validate(load(ASTRONAUT_545))
    assert astronaut.name == "Robert L. Behnken"
    assert astronaut.nationality == "American"
    assert astronaut.date_of_birth == date(1970, 7, 28)
    assert astronaut.status is not None
    assert astronaut.status.name == "Active"
    assert astronaut.agency is not None
    assert astronaut.agency.name == "National Aeronautics and Space Administration"
    assert astronaut.profile_image is not None
    assert astronaut.profile_image_thumbnail is not None
    assert astronaut.first_flight == utc(2008, 3, 11, 6, 28, 14)
    assert astronaut.last_flight == utc(2020, 5, 30, 19, 22, 45)
    assert astronaut.flight_count == 3
    assert [flight.name for flight in astronaut.flights] == [
        "Space Shuttle Endeavour / OV-105 | STS-123",
        "Space Shuttle Endeavour / OV-105 | STS-130",
        "Falcon 9 Block 5 | SpX-DM2 (Demonstration Mission 2)",
    ]
    assert astronaut.flights[2].net == utc(2020, 5, 30, 19, 22, 45)
    assert [landing.id for landing in astronaut.landings] == [186, 194, 415]
    assert astronaut.landings[2].mission_end == utc(2020, 8, 2, 18, 48)
    assert [
        landing.spacecraft.name if landing.spacecraft else None for landing in astronaut.landings
    ] == ["Space Shuttle Endeavour", "Space Shuttle Endeavour", "Crew Dragon Endeavour"]


def test_astronaut_list_page() -> None:
    page = Page[Astronaut].model_validate(load(ASTRONAUT_LIST))
    assert page.count == 124
    assert page.next == "https://ll.thespacedevs.com/2.2.0/astronaut/?limit=100&offset=100&status=1"
    assert page.previous is None
    assert len(page.results) == 100
    first = page.results[0]
    assert first.name == "Aidyn Aimbetov"
    assert first.nationality == "Kazakhstani"
    assert first.in_space is None  # early-2021 shape: no `in_space` yet
    assert first.agency is not None
    assert first.agency.abbrev == "KazCosmos"
    assert all(astronaut.name for astronaut in page.results)
    without_image = [a.name for a in page.results if a.profile_image is None]
    assert without_image == ["Sergey Vladimirovich Korsakov"]


# --- docking events ----------------------------------------------------------------------


def test_docking_event_list() -> None:
    page = Page[DockingEvent].model_validate(load(DOCKING_LIST))
    assert page.count == 242
    assert len(page.results) == 242
    assert all(event.docking is not None for event in page.results)
    assert all(event.docking.tzinfo is UTC for event in page.results if event.docking)
    docked = [event for event in page.results if event.departure is None]
    assert [event.id for event in docked] == [234, 239, 240, 241, 242, 243]
    for event in docked:
        assert event.flight_vehicle is not None
        assert event.flight_vehicle.mission_end is None
        assert event.departure is None


def test_kounotori_9_departed_without_mission_end() -> None:
    page = Page[DockingEvent].model_validate(load(DOCKING_LIST))
    (event,) = [event for event in page.results if event.id == 235]
    assert event.flight_vehicle is not None
    assert event.flight_vehicle.spacecraft is not None
    assert event.flight_vehicle.spacecraft.name == "Kounotori 9"
    assert event.flight_vehicle.mission_end is None
    assert event.docking == utc(2020, 5, 25, 12, 13)
    assert event.departure == utc(2020, 8, 18, 17, 36)
    assert (event.docking, event.departure) == (utc(2020, 5, 25, 12, 13), utc(2020, 8, 18, 17, 36))
    assert event.docking_location is not None
    assert event.docking_location.name == "Harmony nadir"


# --- 2.3.0 space stations, api throttle --------------------------------------------------


def test_space_stations_230_page() -> None:
    raw = load(STATIONS_230)
    page = Page[SpaceStation].model_validate(raw)
    assert page.count == 15
    assert page.next is not None
    assert len(page.results) == 9
    for station, item in zip(page.results, raw["results"], strict=True):
        assert station.image_url == item["image"]["image_url"]
    tiangong = page.results[0]
    assert tiangong.name == "Tiangong 2"
    assert tiangong.status is not None
    assert tiangong.status.name == "De-Orbited"
    assert tiangong.founded == date(2016, 9, 15)
    assert tiangong.orbit == "Low Earth Orbit"


# --- durations, times, text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P333DT11H32S", timedelta(days=333, hours=11, seconds=32)),
        ("PT9H56M59S", timedelta(hours=9, minutes=56, seconds=59)),
        ("P0D", timedelta(0)),
        ("P187DT20H42M7S", timedelta(days=187, hours=20, minutes=42, seconds=7)),
        ("P1W", timedelta(days=7)),
        ("-PT1H", timedelta(hours=-1)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert Spacecraft.model_validate({"id": 1, "time_in_space": text}).time_in_space == expected


@pytest.mark.parametrize(
    "garbage",
    ["", "P", "PT", "-P", "garbage", "P1Q", "3 days", "187 20:42:07", "P99999999999999D", None],
)
def test_unreadable_durations_are_none(garbage: str | None) -> None:
    assert parse_duration(garbage) is None
    assert Spacecraft.model_validate({"id": 1, "time_in_space": garbage}).time_in_space is None


@PROPERTY_SETTINGS
@given(
    st.text()
    | st.from_regex(r"-?P[0-9DTHMSWY.]*", fullmatch=True)
    | st.from_regex(r"-?P([0-9]{1,4}D)?T[0-9]{1,2}H([0-9]{1,2}M)?([0-9]{1,2}S)?", fullmatch=True)
)
def test_any_text_is_a_duration_or_none(text: str) -> None:
    """Anything is a duration or None, and a well-formed days-hours-minutes-seconds
    duration is read as exactly what it says."""
    parsed = parse_duration(text)
    assert parsed is None or isinstance(parsed, timedelta)
    plain = re.fullmatch(r"(-?)P(?:(\d+)D)?T(\d+)H(?:(\d+)M)?(?:(\d+)S)?", text)
    if plain is not None:
        days, hours, minutes, seconds = (int(part or 0) for part in plain.groups()[1:])
        expected = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        assert parsed == (-expected if plain.group(1) else expected)


@PROPERTY_SETTINGS
@given(st.timedeltas(min_value=timedelta(0)))
def test_duration_round_trip(delta: timedelta) -> None:
    hours, rest = divmod(delta.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"P{delta.days}DT{hours}H{minutes}M{seconds}.{delta.microseconds:06d}S"
    assert parse_duration(text) == delta


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2009-05-27T10:34:53Z", utc(2009, 5, 27, 10, 34, 53)),
        ("2009-05-27T10:34:53", utc(2009, 5, 27, 10, 34, 53)),
        ("2009-05-27T12:34:53+02:00", utc(2009, 5, 27, 10, 34, 53)),
        ("2009-05-27T10:34:53.250000Z", datetime(2009, 5, 27, 10, 34, 53, 250000, tzinfo=UTC)),
        ("", None),
        ("soon", None),
        ("0001-01-01T00:00:00+01:00", None),
        (None, None),
    ],
)
def test_times_are_aware_utc(text: str | None, expected: datetime | None) -> None:
    flight = SpacecraftFlightSummary.model_validate({"id": 1, "mission_end": text})
    assert flight.mission_end == expected
    assert flight.mission_end is None or flight.mission_end.tzinfo is UTC


def test_empty_strings_are_unset() -> None:
    raw = load(FLIGHT_186)
    raw["url"] = ""
    raw["destination"] = "  "
    raw["spacecraft"]["spacecraft_config"]["image_url"] = ""
    flight = SpacecraftFlightSummary.model_validate(raw)
    assert flight.url is None
    assert flight.destination is None
    assert flight.spacecraft is not None
    assert flight.spacecraft.spacecraft_config is not None
    assert flight.spacecraft.spacecraft_config.image_url is None


# --- unknown, missing and null keys ------------------------------------------------------


def with_unknown_keys(value: Any) -> Any:
    """`value` with an extra key of an unexpected shape in every object."""
    if isinstance(value, dict):
        extra = {"unknown_field": {"nested": [1, "two", None]}, "image_variant": 7}
        return {**{key: with_unknown_keys(item) for key, item in value.items()}, **extra}
    if isinstance(value, list):
        return [with_unknown_keys(item) for item in value]
    return value


def key_paths(value: Any, path: Path = ()) -> Iterator[Path]:
    """The path of every object key in `value`, except the keys LL2 always sends."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ALWAYS_SENT:
                yield (*path, key)
            yield from key_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from key_paths(item, (*path, index))


def parent_of(raw: Any, path: Path) -> Any:
    for step in path[:-1]:
        raw = raw[step]
    return raw


def variant_fixtures() -> list[tuple[str, Any]]:
    return [
        (name, first_result_only(load(name)) if "results" in load(name) else load(name))
        for name in sorted(MODEL_OF)
    ]


@pytest.mark.parametrize(("name", "raw"), variant_fixtures(), ids=sorted(MODEL_OF))
def test_unknown_keys_are_ignored(name: str, raw: Any) -> None:
    model = MODEL_OF[name]
    assert model.model_validate(with_unknown_keys(raw)) == model.model_validate(raw)


@pytest.mark.parametrize(("name", "raw"), variant_fixtures(), ids=sorted(MODEL_OF))
def test_missing_and_null_keys_are_accepted(name: str, raw: Any) -> None:
    """Each key in turn deleted, then set to null: the rest still parses."""
    assert missing_and_null_failures(MODEL_OF[name], raw) == []


def missing_and_null_failures(model: type[BaseModel], raw: Any) -> list[str]:
    """Every key of `raw` in turn deleted, then set to null: what `model` fails to read."""
    paths = list(key_paths(raw))
    assert paths
    failures = []
    for path in paths:
        parent, key = parent_of(raw, path), path[-1]
        original = parent[key]
        for variant in ("missing", "null"):
            if variant == "missing":
                del parent[key]
            else:
                parent[key] = None
            try:
                model.model_validate(raw)
            except ValueError as error:
                failures.append(f"{variant} {'.'.join(map(str, path))}: {error}")
            parent[key] = original
    return failures


@pytest.mark.parametrize("wrong", [{"unexpected": [1, 2]}, {"detail": "Not found."}, {}])
def test_an_object_without_results_is_not_a_page(wrong: dict[str, Any]) -> None:
    """LL2 answering something else must not read as an empty list."""
    with pytest.raises(ValueError):
        Page[SpacecraftFlightSummary].model_validate(wrong)


def test_missing_everything_but_the_id() -> None:
    flight = SpacecraftFlight.model_validate({"id": 219})
    assert flight.name is None  # each reply names it by its id, in the reader's language
    assert flight.crew == []
    assert flight.mission_duration is None
    assert not flight.is_in_space(utc(2026, 1, 1))


def test_null_lists_are_empty() -> None:
    raw = load(FLIGHT_219)
    for key in ("launch_crew", "onboard_crew", "landing_crew", "docking_events"):
        raw[key] = None
    assert SpacecraftFlight.model_validate(raw).crew == []
    assert Page[Astronaut].model_validate({"count": 0, "results": None}).results == []


# --- the same flight in 2.3.0's shape ----------------------------------------------------

COUNTRIES = {
    "Russian": ("Russia", "RU", "RUS"),
    "Belgian": ("Belgium", "BE", "BEL"),
    "Canadian": ("Canada", "CA", "CAN"),
    "Kazakh": ("Kazakhstan", "KZ", "KAZ"),
}
CODE_TO_NATIONALITY = {codes[2]: nationality for nationality, codes in COUNTRIES.items()}


def country_230(nationality: str) -> Raw:
    name, alpha_2, alpha_3 = COUNTRIES[nationality]
    return {
        "id": len(name),
        "name": name,
        "alpha_2_code": alpha_2,
        "alpha_3_code": alpha_3,
        "nationality_name": nationality,
        "nationality_name_composed": nationality[:4],
    }


def image_230(url: str | None) -> Raw | None:
    if url is None:
        return None
    return {
        "id": 1,
        "name": "[AUTO] image",
        "image_url": url,
        "thumbnail_url": url.replace("/images/", "/images/thumbnail_"),
        "credit": None,
        "license": {"id": 1, "name": "Unknown", "priority": 9, "link": None},
        "single_use": True,
        "variants": [],
    }


def agency_230(agency: Raw) -> Raw:
    rest = {k: v for k, v in agency.items() if k not in ("type", "country_code", "image_url")}
    codes = agency["country_code"].split(",") if agency.get("country_code") else []
    return {
        **rest,
        "response_mode": "normal",
        "type": {"id": 1, "name": agency["type"]},
        "country": [country_230(CODE_TO_NATIONALITY[code]) for code in codes],
        "image": image_230(agency.get("image_url")),
        "logo": None,
        "social_logo": None,
    }


def astronaut_230(astronaut: Raw) -> Raw:
    dropped = ("profile_image", "nationality", "twitter", "instagram", "agency")
    rest = {k: v for k, v in astronaut.items() if k not in dropped}
    return {
        **rest,
        "response_mode": "detailed",
        "image": image_230(astronaut["profile_image"]),
        "nationality": [country_230(astronaut["nationality"])],
        "social_media_links": [],
        "agency": agency_230(astronaut["agency"]),
        "age": None,
    }


def station_230(station: Raw) -> Raw:
    rest = {k: v for k, v in station.items() if k != "image_url"}
    return {**rest, "image": image_230(station.get("image_url")), "response_mode": "normal"}


def flight_230(raw: Raw) -> Raw:
    """Flight 219 as 2.3.0 sends a detailed flight (the 2.3.0 changelog's renames)."""
    spacecraft, launch, landing = raw["spacecraft"], raw["launch"], raw["landing"]
    config = spacecraft["spacecraft_config"]
    location = launch["pad"]["location"]
    crews = {
        key: [{**member, "astronaut": astronaut_230(member["astronaut"])} for member in raw[key]]
        for key in ("launch_crew", "onboard_crew", "landing_crew")
    }
    return {
        **raw,
        **crews,
        "response_mode": "detailed",
        "duration": "P187DT20H42M7S",
        "turn_around_time": None,
        "spacecraft": {
            **spacecraft,
            "response_mode": "detailed",
            "image": None,
            "spacecraft_config": {
                **{k: v for k, v in config.items() if k != "image_url"},
                "image": image_230(config["image_url"]),
                "agency": agency_230(config["agency"]),
                "family": [],
            },
        },
        "launch": {
            **launch,
            "image": image_230(launch["image"]),
            "launch_service_provider": agency_230(launch["launch_service_provider"]),
            "pad": {
                **launch["pad"],
                "country": country_230("Kazakh"),
                "location": {
                    **{k: v for k, v in location.items() if k != "country_code"},
                    "country": country_230("Kazakh"),
                },
            },
        },
        "landing": {
            **{k: v for k, v in landing.items() if k != "location"},
            "landing_location": {**landing["location"], "image": None, "celestial_body": {}},
        },
        "docking_events": [
            {
                **{k: v for k, v in event.items() if k != "spacestation"},
                "space_station_target": station_230(event["spacestation"]),
                "flight_vehicle_target": None,
                "payload_flight_target": None,
            }
            for event in raw["docking_events"]
        ],
    }


def without_keys(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: without_keys(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without_keys(item, keys) for item in value]
    return value


def test_flight_219_in_230_shape_reads_the_same(flight_219: SpacecraftFlight) -> None:
    flight = SpacecraftFlight.model_validate(flight_230(load(FLIGHT_219)))
    # 2.3.0 adds thumbnails and LL2's own `duration`; everything else must match.
    added = frozenset({"profile_image_thumbnail", "duration"})
    assert without_keys(flight.model_dump(), added) == without_keys(flight_219.model_dump(), added)
    assert flight.mission_duration == flight_219.mission_duration
    romanenko = flight.crew[0]
    assert romanenko.profile_image == flight_219.crew[0].profile_image
    assert romanenko.profile_image_thumbnail is not None
    assert romanenko.nationality == "Russian"
    assert romanenko.agency is not None
    assert romanenko.agency.type == "Government"
    assert flight.landing is not None
    assert flight.landing.location is not None
    assert flight.landing.location.name == "Kazakhstan"
    (event,) = flight.docking_events
    assert event.spacestation is not None
    assert event.spacestation.image_url is not None
    assert event.departure == utc(2009, 12, 1, 3, 56)


# --- real data: the oddities of recorded LL2 answers -----------------------------------

ROSIE, TITO, KORSAKOV, PETELIN = 641, 623, 651, 652
SPACE_TOURISTS = [618, 619, 620, 621, 622, 623, 628]
CREW_KEYS = frozenset({"launch_crew", "onboard_crew", "landing_crew"})


@pytest.fixture(scope="module")
def merged_astronauts() -> list[Astronaut]:
    return Page[Astronaut].model_validate(load(ASTRONAUTS_MERGED)).results


def astronaut_of(astronauts: list[Astronaut], astronaut_id: int) -> Astronaut:
    return next(astronaut for astronaut in astronauts if astronaut.id == astronaut_id)


def test_merged_astronaut_pages_repeat_rows(merged_astronauts: list[Astronaut]) -> None:
    assert len(merged_astronauts) == 623
    by_id: dict[int, Astronaut] = {}
    for astronaut in merged_astronauts:
        assert by_id.setdefault(astronaut.id, astronaut) == astronaut
    assert len(by_id) == 518


def test_non_human_astronaut(merged_astronauts: list[Astronaut]) -> None:
    non_human = [a for a in merged_astronauts if a.type and a.type.name == "Non-Human"]
    assert [astronaut.id for astronaut in non_human] == [ROSIE]
    rosie = non_human[0]
    assert rosie.name == "Rosie the Astronaut"
    assert rosie.nationality == "Earthling"
    assert rosie.agency is not None
    assert rosie.agency.name == "Boeing"


def test_space_tourists_have_no_agency(merged_astronauts: list[Astronaut]) -> None:
    without_agency = sorted({a.id for a in merged_astronauts if a.agency is None})
    assert without_agency == SPACE_TOURISTS
    for astronaut_id in without_agency:
        astronaut = astronaut_of(merged_astronauts, astronaut_id)
        assert astronaut.type is not None
        assert astronaut.type.name == "Non-Astronaut Passenger"


def test_null_photo_wiki_and_first_flight(merged_astronauts: list[Astronaut]) -> None:
    tito = astronaut_of(merged_astronauts, TITO)
    assert (tito.profile_image, tito.profile_image_thumbnail, tito.wiki) == (None, None, None)
    assert tito.first_flight == utc(2001, 4, 28, 7, 37, 20)
    korsakov = astronaut_of(merged_astronauts, KORSAKOV)
    assert korsakov.profile_image is None
    assert korsakov.wiki == "https://en.wikipedia.org/wiki/Sergey_Korsakov_(cosmonaut)"
    assert (korsakov.first_flight, korsakov.last_flight, korsakov.flight_count) == (
        None,
        None,
        None,
    )
    assert astronaut_of(merged_astronauts, PETELIN).wiki is None
    assert len({a.id for a in merged_astronauts if a.first_flight is None}) == 45


@pytest.mark.parametrize(
    "role",
    ["Commander", {"id": 1, "role": "Commander", "priority": 0}],
    ids=["2.0.0 string", "object"],
)
def test_crew_role_string_or_object(role: object) -> None:
    raw = load(FLIGHT_219)
    raw["launch_crew"][0]["role"] = role
    (member, *_) = SpacecraftFlight.model_validate(raw).launch_crew
    assert member.role is not None
    assert member.role.role == "Commander"


@pytest.mark.parametrize("shape", SPACECRAFT_STAGE_SHAPES)
def test_spacecraft_stage_in_any_shape(shape: str, flight_219: SpacecraftFlight) -> None:
    """A launch's `spacecraft_stage` (a flight with crew) is not what Capcom reads."""
    raw = with_spacecraft_stage(load(FLIGHT_219), shape)
    assert SpacecraftFlight.model_validate(raw) == flight_219


def iss_docked() -> dict[str, Raw]:
    return docked(load(ISS_230))


def test_iss_detail_230() -> None:
    raw = load(ISS_230)
    station = SpaceStation.model_validate(raw)
    assert station.name == ISS
    assert station.status is not None
    assert station.status.name == "Active"
    assert station.orbit == "Low Earth Orbit"
    assert station.founded == date(1998, 11, 20)
    assert station.image_url == raw["image"]["image_url"]
    # A station counts its crew (no list of people) and its docked vehicles, and the
    # count disagrees with the five ports holding a vehicle.
    assert (raw["onboard_crew"], raw["docked_vehicles"], len(iss_docked())) == (7, 0, 5)


def test_iss_docked_vehicles_are_docking_events() -> None:
    events = {port: DockingEvent.model_validate(raw) for port, raw in iss_docked().items()}
    chasers = {
        port: event.flight_vehicle.spacecraft.name
        for port, event in events.items()
        if event.flight_vehicle and event.flight_vehicle.spacecraft
    }
    assert chasers == {
        "Zvezda aft": "Progress MS-30",
        "Poisk zenith": "Progress MS-31",
        "Harmony forward": "Crew Dragon Endurance",
        "Harmony zenith": "Crew Dragon Endeavour",
        "Prichal nadir": "Soyuz MS-27",
    }
    assert events["Harmony zenith"].docking == utc(2025, 8, 2, 6, 26, 56)
    assert all(event.departure is None for event in events.values())
    assert missing_and_null_failures(DockingEvent, iss_docked()["Zvezda aft"]) == []


def embedded_flights(where: str) -> list[Raw]:
    if where == "an astronaut's landings":
        return list(load(ASTRONAUT_545)["landings"])
    if where == "2.1.0 docking chasers":
        return [event["flight_vehicle"] for event in load(DOCKING_LIST)["results"]]
    return [event["flight_vehicle_chaser"] for event in iss_docked().values()]


@pytest.mark.parametrize(
    "where", ["an astronaut's landings", "2.1.0 docking chasers", "2.3.0 ISS docked chasers"]
)
def test_embedded_flights_have_no_crew_keys(where: str) -> None:
    raws = embedded_flights(where)
    assert raws
    for raw in raws:
        assert not CREW_KEYS & raw.keys()
        flight = SpacecraftFlight.model_validate(raw)
        assert flight.crew == []
        assert flight.name == raw["spacecraft"]["name"]


def test_onboard_crew_count_reads_as_no_crew_list(flight_219: SpacecraftFlight) -> None:
    """A station's `onboard_crew` is a count: on a flight it must not pass for a crew."""
    raw = load(FLIGHT_219) | {"onboard_crew": load(ISS_230)["onboard_crew"]}
    flight = SpacecraftFlight.model_validate(raw)
    assert flight.onboard_crew == []
    assert flight.crew == flight_219.crew


def test_country_object_on_a_pad_list_on_an_agency() -> None:
    raw = iss_docked()["Zvezda aft"]["flight_vehicle_chaser"]
    assert isinstance(raw["launch"]["pad"]["location"]["country"], dict)
    assert isinstance(raw["spacecraft"]["spacecraft_config"]["agency"]["country"], list)
    flight = SpacecraftFlight.model_validate(raw)
    location = flight.launch.pad.location if flight.launch and flight.launch.pad else None
    assert location is not None
    assert location.country_code == "KAZ"
    config = flight.spacecraft.spacecraft_config if flight.spacecraft else None
    assert config is not None
    assert config.agency is not None
    assert config.agency.country_code == "RUS"


def test_long_bios_lose_their_carriage_returns(merged_astronauts: list[Astronaut]) -> None:
    raw_bios = {row["id"]: row["bio"] for row in load(ASTRONAUTS_MERGED)["results"]}
    assert sum("\r\n" in bio for bio in raw_bios.values()) > 100
    assert all(a.bio is None or "\r" not in a.bio for a in merged_astronauts)
    resnik = astronaut_of(merged_astronauts, 357)
    assert resnik.bio == raw_bios[357].replace("\r\n", "\n")
    assert resnik.bio is not None
    assert len(resnik.bio) == 1_645 - resnik.bio.count("\n")
    assert "destroyed during the launch of mission STS-51-L.\n\nRecognised" in resnik.bio
