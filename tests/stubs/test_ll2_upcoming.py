"""The stand-in's upcoming launches: only declared parameters, LL2's shapes per mode and
version, and a history that moves with the stand-in's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from tests.stubs.ll2 import LL2Stub
from tests.stubs.ll2.upcoming import (
    GO,
    IN_FLIGHT,
    MIN,
    LaunchState,
    ScriptedLaunch,
    UpcomingHistory,
    crew_campaign,
    state_changes,
)

START = datetime(2026, 2, 1, 12, tzinfo=UTC)
PATHS = {"2.2.0": "launch/upcoming/", "2.3.0": "launches/upcoming/"}


class Clock:
    def __init__(self) -> None:
        self.value = START.timestamp()

    def __call__(self) -> float:
        return self.value


@pytest.fixture
async def stub() -> AsyncIterator[LL2Stub]:
    async with LL2Stub(wall_clock=Clock(), upcoming=crew_campaign(START)) as server:
        yield server


async def upcoming(
    stub: LL2Stub, session: aiohttp.ClientSession, version: str = "2.3.0", **params: str
) -> Any:
    url = f"{stub.base_url(version)}/{PATHS[version]}"
    async with session.get(url, params=params) as response:
        assert response.status == 200
        return await response.json()


def names(page: Any) -> list[str]:
    """The missions listed ("Falcon 9 Block 5 | Crew-12": Crew-12); `list` mode has no
    mission object."""
    return [launch["name"].split(" | ")[-1] for launch in page["results"]]


def crewed(page: Any, name: str) -> Any:
    return next(launch for launch in page["results"] if launch["name"].endswith(f"| {name}"))


@pytest.mark.parametrize("version", ["2.2.0", "2.3.0"])
async def test_modes_differ_as_ll2s(
    stub: LL2Stub, session: aiohttp.ClientSession, version: str
) -> None:
    listed = crewed(await upcoming(stub, session, version, mode="list"), "Crew-12")
    normal = crewed(await upcoming(stub, session, version), "Crew-12")
    detailed = crewed(await upcoming(stub, session, version, mode="detailed"), "Crew-12")
    assert {"status", "net", "net_precision", "window_start"} <= set(listed)
    assert "webcast_live" not in listed and "webcast_live" in normal
    assert set(normal["rocket"]) == {"id", "configuration"}
    videos = "vidURLs" if version == "2.2.0" else "vid_urls"
    assert videos not in normal and videos in detailed
    stage = detailed["rocket"]["spacecraft_stage"]
    assert isinstance(stage, dict if version == "2.2.0" else list)


async def test_undeclared_parameters_are_ignored_and_filters_apply(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    everything = await upcoming(stub, session)
    assert names(await upcoming(stub, session, in_space="true", crew="9")) == names(everything)
    assert "NS-34" not in names(await upcoming(stub, session, include_suborbital="false"))
    assert names(await upcoming(stub, session, is_crewed="false")) == []
    page = await upcoming(stub, session, limit="2", offset="1")
    assert (page["count"], names(page)) == (4, names(everything)[1:3])
    assert names(await upcoming(stub, session, ordering="-net")) == names(everything)[::-1]
    assert names(await upcoming(stub, session, ordering="-crew")) == names(everything)


async def test_crew12_campaign_over_the_clock(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    def at(hours: float) -> None:
        stub.advance(START.timestamp() + hours * 3600 - stub.wall_time().timestamp())

    seen = []
    for hours in (0, 3, 13, 15, 17, 25.5, 49, 73.25, 73.6, 98):
        at(hours)
        page = await upcoming(stub, session, mode="detailed", is_crewed="true")
        crew12 = [launch for launch in page["results"] if launch["name"].endswith("Crew-12")]
        seen.append(
            (crew12[0]["status"]["abbrev"], crew12[0]["net"], crew12[0]["net_precision"]["id"])
            if crew12
            else None
        )
    first, scrub, second = "2026-02-02T14:00:00Z", "2026-02-03T13:36:00Z", "2026-02-04T13:12:00Z"
    assert seen == [
        ("TBD", "2026-02-07T00:00:00Z", 5),
        ("Go", first, 0),
        ("Hold", first, 0),
        ("TBC", first, 0),
        ("Go", first, 0),
        ("Go", scrub, 1),
        ("Go", second, 1),
        ("In Flight", "2026-02-04T13:12:56Z", 0),
        ("Deployed", "2026-02-04T13:12:56Z", 0),
        None,
    ]


async def test_payload_deployed_shows_as_in_flight_in_220(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    stub.advance(73.6 * 3600)
    page = await upcoming(stub, session, "2.2.0")
    assert crewed(page, "Crew-12")["status"]["id"] == IN_FLIGHT


async def test_shenzhou_crew_appears_hours_before_launch(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    before = crewed(await upcoming(stub, session, mode="detailed"), "Shenzhou-23")
    assert before["rocket"]["spacecraft_stage"] == []
    stub.advance(58 * 3600)
    after = crewed(await upcoming(stub, session, mode="detailed"), "Shenzhou-23")
    assert len(after["rocket"]["spacecraft_stage"][0]["launch_crew"]) == 3


async def test_a_test_supplies_its_own_history(session: aiohttp.ClientSession) -> None:
    crew12 = crew_campaign(START).launches[0]
    net = START + timedelta(hours=5)
    history = UpcomingHistory(
        (ScriptedLaunch(crew12.template, (LaunchState(START, GO, net, MIN),)),)
    )
    async with LL2Stub(wall_clock=Clock(), upcoming=history) as stub:
        page = await upcoming(stub, session)
        assert [launch["net"] for launch in page["results"]] == ["2026-02-01T17:00:00Z"]
        assert state_changes(history) == [START]
