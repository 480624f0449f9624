"""`UpcomingLaunch` on the recorded upcoming launches (2.2.0), their 2.3.0 shapes built
from LL2's schema, and hostile data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.ll2.launches import LaunchStatus, UpcomingLaunch, upcoming_order
from bot.ll2.models import Page
from tests.paths import fixture
from tests.stubs.ll2.convert import (
    UPCOMING_CREW12_GO,
    UPCOMING_CREW12_SLIPPED,
    UPCOMING_CREW12_TBD,
    UPCOMING_CREW13_TBD,
    UPCOMING_PAGE_NORMAL,
    launch_status,
    load_fixture,
    upcoming_launch,
)

CREW_12 = ["Jessica Meir", "Jack Hathaway", "Sophie Adenot", "Andrei Fedyaev"]


def parse(data: Any) -> UpcomingLaunch:
    return UpcomingLaunch.model_validate(data)


@pytest.mark.parametrize("version", ["2.2.0", "2.3.0"])
def test_crew12_before_its_scrub(version: str) -> None:
    launch = parse(upcoming_launch(load_fixture(UPCOMING_CREW12_GO), version, "detailed"))
    assert launch.title == "Crew-12"
    assert launch.launch_status is LaunchStatus.GO
    assert launch.time.net == datetime(2026, 2, 11, 11, 1, 4, tzinfo=UTC)
    assert launch.time.exact
    assert launch.spacecraft == "Crew Dragon Freedom"
    assert launch.destination == "International Space Station"
    assert [member.astronaut.name for member in launch.launch_crew] == CREW_12
    assert [video.url for video in launch.videos][:2] == [
        "https://www.youtube.com/watch?v=zCM-Kwq91cc",
        "https://plus.nasa.gov/scheduled-video/nasas-spacex-crew-12-launch/",
    ]
    assert not launch.suborbital


def test_230_sends_the_stage_as_a_list_and_vid_urls() -> None:
    sent = upcoming_launch(load_fixture(UPCOMING_CREW12_GO), "2.3.0", "detailed")
    assert isinstance(sent["rocket"]["spacecraft_stage"], list)
    assert "vid_urls" in sent and "vidURLs" not in sent
    assert parse(sent).launch_crew[0].astronaut.name == "Jessica Meir"


def test_recorded_placeholders_are_not_times() -> None:
    day = parse(load_fixture(UPCOMING_CREW12_TBD))
    month = parse(load_fixture(UPCOMING_CREW13_TBD))
    assert (day.launch_status, day.time.precision_id, day.time.exact) == (
        LaunchStatus.TBD,
        5,
        False,
    )
    assert (month.time.precision_id, month.time.exact) == (7, False)
    slipped = parse(load_fixture(UPCOMING_CREW12_SLIPPED))
    assert slipped.time.exact and slipped.launch_status is LaunchStatus.GO


def test_the_normal_page_reads_probability_weather_webcast_and_suborbital() -> None:
    page = Page[UpcomingLaunch].model_validate_json(fixture(UPCOMING_PAGE_NORMAL).read_text())
    crew11 = next(launch for launch in page.results if launch.title == "Crew-11")
    assert (crew11.probability, crew11.weather_concerns, crew11.webcast_live) == (
        85,
        "Cumulus Cloud Rule",
        True,
    )
    assert crew11.launch_crew == [] and crew11.spacecraft is None
    shepard = next(launch for launch in page.results if launch.title == "NS-34")
    assert shepard.suborbital
    ordered = [launch.title for launch in upcoming_order(page.results)]
    assert ordered[-2:] == ["JAKE 4", "NS-34"], "suborbital ones come last"


def test_payload_deployed_is_230_only() -> None:
    recorded = load_fixture(UPCOMING_CREW12_GO) | {"status": launch_status(9, "2.3.0")}
    assert parse(upcoming_launch(recorded, "2.3.0", "detailed")).launch_status is (
        LaunchStatus.PAYLOAD_DEPLOYED
    )
    assert parse(upcoming_launch(recorded, "2.2.0", "detailed")).launch_status is (
        LaunchStatus.IN_FLIGHT
    )


def test_hostile_launch_parses_and_reads_as_unknown() -> None:
    data = load_fixture(UPCOMING_CREW12_GO)
    member = data["rocket"]["spacecraft_stage"]["launch_crew"][0]
    data.update(
        {
            "name": "X" * 10_000,
            "net": None,
            "status": {"id": 42, "name": "Launch Vibes"},
            "net_precision": None,
            "probability": -1,
            "webcast_live": "yes",
            "window_start": "not a time",
            "vidURLs": [
                {"url": "javascript:alert(1)", "priority": 1},
                {"url": "", "priority": 2},
                {"url": "https://example.org/live", "priority": "high"},
                "junk",
            ],
            "surprise": {"new": "key"},
        }
    )
    data["rocket"]["spacecraft_stage"]["launch_crew"] = [member] * 30
    launch = parse(data)
    assert launch.time.net is None and not launch.time.exact
    assert launch.launch_status is None and launch.status is not None
    assert launch.probability is None and launch.webcast_live is False
    assert launch.window_start is None
    assert [member.astronaut.name for member in launch.launch_crew] == ["Jessica Meir"]
    assert [video.url for video in launch.videos] == ["https://example.org/live"]


def test_a_stage_item_that_is_not_a_flight_leaves_the_launch_readable() -> None:
    data = load_fixture(UPCOMING_CREW12_GO)
    data["rocket"]["spacecraft_stage"] = [{"id": "x"}, None, data["rocket"]["spacecraft_stage"]]
    assert [m.astronaut.name for m in parse(data).launch_crew] == CREW_12
    data["rocket"].pop("spacecraft_stage")
    assert parse(data).launch_crew == [] and parse(data).spacecraft is None


def test_probability_outside_a_percentage_is_unknown() -> None:
    data = load_fixture(UPCOMING_CREW12_GO)
    assert [parse(data | {"probability": p}).probability for p in (0, 90, 101, "80", True)] == [
        0,
        90,
        None,
        80,
        None,
    ]


def test_order_is_by_net_with_unknown_last_each_once() -> None:
    base = load_fixture(UPCOMING_CREW12_GO)
    later = parse(base | {"id": "b", "net": "2026-03-01T00:00:00Z"})
    sooner = parse(base | {"id": "a", "net": "2026-02-01T00:00:00Z"})
    unknown = parse(base | {"id": "c", "net": None})
    assert [launch.id for launch in upcoming_order([unknown, later, sooner, later])] == [
        "a",
        "b",
        "c",
    ]


def test_recordings_are_json_objects() -> None:
    for name in (UPCOMING_CREW12_GO, UPCOMING_CREW12_SLIPPED, UPCOMING_CREW12_TBD):
        assert isinstance(json.loads(fixture(name).read_text()), dict)
