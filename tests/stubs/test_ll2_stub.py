"""Tests of the local LL2 stand-in itself: shapes per version, paging, filters, limits, faults."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.ll2.models import (
    Astronaut,
    DockingEvent,
    Page,
    SpacecraftFlight,
    SpacecraftFlightSummary,
    SpacecraftInSpace,
)
from tests.paths import PROJECT_ROOT, fixture
from tests.stubs.ll2 import VERSIONS, Catalog, Fault, LL2Stub, iso_duration, throttled_detail

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
FLIGHTS = {"2.2.0": "spacecraft/flight", "2.3.0": "spacecraft_flights"}
ASTRONAUTS = {"2.2.0": "astronaut", "2.3.0": "astronauts"}
DOCKING = {"2.2.0": "docking_event", "2.3.0": "docking_events"}


class FakeClock:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture(scope="module")
def synthetic() -> Catalog:
    """Shared and read-only: tests that mutate build their own catalog."""
    return Catalog.synthetic(now=NOW)


@pytest.fixture
async def stub() -> AsyncIterator[LL2Stub]:
    async with LL2Stub(Catalog.from_fixtures(now=NOW)) as server:
        yield server


@pytest.fixture
async def big_stub(synthetic: Catalog) -> AsyncIterator[LL2Stub]:
    async with LL2Stub(synthetic) as server:
        yield server


async def get_json(
    session: aiohttp.ClientSession, url: str, *, expect: int = 200, **params: str | int
) -> Any:
    async with session.get(url, params=params) as response:
        assert response.status == expect, await response.text()
        assert response.headers["Content-Type"] == "application/json"
        return await response.json()


async def all_pages(session: aiohttp.ClientSession, url: str, **params: str | int) -> list[Any]:
    page = await get_json(session, str(URL(url).update_query(params)))
    results = list(page["results"])
    while page["next"]:
        page = await get_json(session, page["next"])
        results.extend(page["results"])
    assert len(results) == page["count"]
    return results


# Shapes


async def test_2_2_0_flight_219_is_the_fixture(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    served = await get_json(session, f"{stub.base_url()}/spacecraft/flight/219/")
    recorded = json.loads(fixture("2.2.0_spacecraft_flight_219_detail.json").read_text())
    assert served == recorded


async def test_versions_differ_as_ll2_did(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    old = await get_json(session, f"{stub.base_url('2.2.0')}/spacecraft/flight/219/")
    new = await get_json(session, f"{stub.base_url('2.3.0')}/spacecraft_flights/219/")

    old_crew, new_crew = old["launch_crew"][1]["astronaut"], new["launch_crew"][1]["astronaut"]
    assert old_crew["name"] == new_crew["name"] == "Frank De Winne"
    assert isinstance(old_crew["profile_image"], str)
    assert old_crew["nationality"] == "Belgian"
    assert "image" not in old_crew
    assert "profile_image" not in new_crew
    assert new_crew["image"]["image_url"] == old_crew["profile_image"]
    assert set(new_crew["image"]) >= {"id", "name", "thumbnail_url", "credit", "license"}
    assert new_crew["nationality"] == [
        {
            "id": 19,
            "name": "Belgium",
            "alpha_2_code": "BE",
            "alpha_3_code": "BEL",
            "nationality_name": "Belgian",
            "nationality_name_composed": "Belgo",
        }
    ]
    assert new_crew["social_media_links"] == []
    assert "twitter" not in new_crew
    assert new_crew["agency"]["type"] == {"id": 2, "name": "Multinational"}
    assert new_crew["response_mode"] == "list"

    assert new["url"] == "https://ll.thespacedevs.com/2.3.0/spacecraft_flights/219/"
    assert new["response_mode"] == "detailed"
    assert new["duration"] == "P187DT20H42M7S"
    assert new["landing"]["landing_location"]["name"] == "Kazakhstan"
    assert "location" not in new["landing"]
    event = new["docking_events"][0]
    assert "spacestation" not in event
    assert event["space_station_target"]["name"] == "International Space Station"
    assert isinstance(event["space_station_target"]["image"], dict)
    assert isinstance(new["launch"]["image"], dict)
    assert isinstance(new["spacecraft"]["spacecraft_config"]["image"], dict)


async def test_2_2_0_list_items_have_exactly_the_list_keys(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    page = await get_json(session, f"{stub.base_url()}/spacecraft/flight/")
    assert [item["id"] for item in page["results"]] == [90, 186, 219]
    for item in page["results"]:
        assert list(item) == ["id", "url", "destination", "mission_end", "spacecraft", "launch"]


async def test_2_3_0_list_items_and_detailed_mode(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    url = f"{stub.base_url('2.3.0')}/spacecraft_flights/"
    normal = (await get_json(session, url))["results"]
    assert {item["response_mode"] for item in normal} == {"normal"}
    assert all({"landing", "duration", "turn_around_time"} <= set(item) for item in normal)
    assert all("launch_crew" not in item for item in normal)
    detailed = (await get_json(session, url, mode="detailed"))["results"]
    assert {item["response_mode"] for item in detailed} == {"detailed"}
    assert [len(item["launch_crew"]) for item in detailed] == [0, 0, 3]


async def test_docking_events_per_version(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    for version in VERSIONS:
        events = await all_pages(
            session, f"{stub.base_url(version)}/{DOCKING[version]}/", limit=100
        )
        assert len(events) == 242
        parsed = [DockingEvent.model_validate(event) for event in events]
        assert all(event.flight_vehicle is not None for event in parsed)
        assert sum(event.spacestation is not None for event in parsed) == 242


async def test_docking_event_filters(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    old = await get_json(session, f"{stub.base_url()}/docking_event/", flight_vehicle__id=219)
    assert [event["id"] for event in old["results"]] == [97]
    new = await get_json(
        session, f"{stub.base_url('2.3.0')}/docking_events/", flight_vehicle_chaser__id=219
    )
    assert new["results"][0]["flight_vehicle_chaser"]["id"] == 219
    assert new["results"][0]["space_station_target"]["id"] == 4
    ignored = await get_json(
        session, f"{stub.base_url()}/docking_event/", departure__isnull="true", limit=100
    )
    assert ignored["count"] == 242, "an undeclared filter is ignored, as LL2 ignores it"
    latest = await get_json(
        session, f"{stub.base_url('2.3.0')}/docking_events/", ordering="-docking", limit=5
    )
    dockings = [event["docking"] for event in latest["results"]]
    assert dockings == sorted(dockings, reverse=True)
    open_first = await get_json(
        session, f"{stub.base_url('2.3.0')}/docking_events/", ordering="-departure", limit=6
    )
    assert all(event["departure"] is None for event in open_first["results"])


async def test_every_served_object_parses(
    big_stub: LL2Stub, session: aiohttp.ClientSession, synthetic: Catalog
) -> None:
    for version in VERSIONS:
        base = big_stub.base_url(version)
        flights = await all_pages(session, f"{base}/{FLIGHTS[version]}/", limit=100)
        assert len(flights) == 300
        for item in flights:
            SpacecraftFlightSummary.model_validate(item)
        astronauts = await all_pages(session, f"{base}/{ASTRONAUTS[version]}/", limit=100)
        assert len(astronauts) == 700
        Page[Astronaut].model_validate({"count": 700, "results": astronauts})
        for flight_id in (90, 186, 219, *synthetic.flights_in_space()):
            detail = await get_json(session, f"{base}/{FLIGHTS[version]}/{flight_id}/")
            SpacecraftFlight.model_validate(detail)
        for astronaut_id in (545, 91, max(synthetic.astronauts)):
            Astronaut.model_validate(
                await get_json(session, f"{base}/{ASTRONAUTS[version]}/{astronaut_id}/")
            )
    for version in VERSIONS:
        for flight_id in synthetic.flights:
            SpacecraftFlight.model_validate(
                synthetic.flight_payload(flight_id, version, detailed=True)
            )
        for astronaut_id in synthetic.astronauts:
            Astronaut.model_validate(synthetic.astronaut_payload(astronaut_id, version, "detailed"))


async def test_astronaut_545_detail_keeps_its_flights(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    recorded = json.loads(fixture("2.2.0_astronaut_545_detail.json").read_text())
    assert await get_json(session, f"{stub.base_url()}/astronaut/545/") == recorded
    for version in VERSIONS:
        served = await get_json(session, f"{stub.base_url(version)}/{ASTRONAUTS[version]}/545/")
        astronaut = Astronaut.model_validate(served)
        assert astronaut.name == "Robert L. Behnken"
        assert astronaut.flight_count == 3
        assert [landing.id for landing in astronaut.landings] == [186, 194, 415]
        assert astronaut.nationality == "American"


# Paging and filters


async def test_pagination_links_and_limits(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    url = f"{stub.base_url()}/astronaut/"
    first = await get_json(session, url, status=1)
    assert first["count"] == 100
    assert len(first["results"]) == 10
    assert first["previous"] is None
    assert first["next"] == f"{url}?limit=10&offset=10&status=1"
    second = await get_json(session, first["next"])
    assert second["previous"] == f"{url}?limit=10&status=1"
    assert second["next"] == f"{url}?limit=10&offset=20&status=1"
    third = await get_json(session, second["next"])
    assert third["previous"] == f"{url}?limit=10&offset=10&status=1"
    capped = await get_json(session, url, limit=500)
    assert len(capped["results"]) == 100
    assert capped["next"] == f"{url}?limit=100&offset=100"
    last = await get_json(session, url, limit=100, offset=100)
    assert len(last["results"]) == 3
    assert last["next"] is None
    everyone = await all_pages(session, url, limit=7)
    assert len({astronaut["id"] for astronaut in everyone}) == 103


async def test_spacecraft_filter_pages(big_stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    for version in VERSIONS:
        url = f"{big_stub.base_url(version)}/{FLIGHTS[version]}/"
        page = Page[SpacecraftFlightSummary].model_validate(
            await get_json(session, url, spacecraft=78)
        )
        assert page.count >= 25
        assert len(page.results) == 10
        assert page.next is not None
        flights = await all_pages(session, url, spacecraft=78)
        assert len(flights) == page.count
        assert {flight["spacecraft"]["id"] for flight in flights} == {78}
        assert 219 in {flight["id"] for flight in flights}
    await get_json(session, url, expect=400, spacecraft="soyuz")


async def test_flight_search_in_space_and_ordering(
    big_stub: LL2Stub, session: aiohttp.ClientSession, synthetic: Catalog
) -> None:
    url = f"{big_stub.base_url()}/spacecraft/flight/"
    found = await get_json(session, url, search="sts-123")
    assert [flight["id"] for flight in found["results"]] == [186]
    everything = await get_json(session, url, limit=100)
    ignored = await get_json(session, url, in_space="true", limit=100)
    assert ignored["results"] == everything["results"], (
        "/spacecraft/flight/ declares no in_space filter: LL2 ignores it"
    )
    ids = [flight["id"] for flight in everything["results"]]
    assert ids == sorted(ids)
    for ordering in ("-launch__net", "-id", "launch__net"):
        ordered = await get_json(session, url, ordering=ordering, limit=100)
        assert ordered["results"] == everything["results"], f"{ordering} must change nothing"


async def test_a_client_relying_on_flight_ordering_misses_the_flights_in_space(
    big_stub: LL2Stub, session: aiohttp.ClientSession, synthetic: Catalog
) -> None:
    """What Capcom's old landing poll asked: the newest 20 launches. LL2 ignores the
    ordering, so the answer is the 20 oldest flights and none of those in space."""
    for version in VERSIONS:
        url = f"{big_stub.base_url(version)}/{FLIGHTS[version]}/"
        page = await get_json(session, url, ordering="-launch__net", limit=20)
        returned = {flight["id"] for flight in page["results"]}
        assert returned == set(sorted(synthetic.flights)[:20])
        assert not returned & set(synthetic.flights_in_space())


async def test_spacecraft_in_space_lists_flights_and_is_230_only(
    big_stub: LL2Stub, session: aiohttp.ClientSession, synthetic: Catalog
) -> None:
    url = f"{big_stub.base_url('2.3.0')}/spacecraft/"
    page = await get_json(
        session, url, in_space="true", is_placeholder="false", mode="detailed", limit=100
    )
    crafts = Page[SpacecraftInSpace].model_validate(page).results
    up = {
        flight_id
        for craft in crafts
        for flight in craft.open_flights(NOW)
        for flight_id in [flight.id]
    }
    assert up == set(synthetic.flights_in_space())
    rated = {
        craft.name: craft.spacecraft_config.human_rated
        for craft in crafts
        if craft.spacecraft_config
    }
    assert rated["Progress MS-31"] is False
    assert rated["Soyuz MS-29"] is True
    async with session.get(f"{big_stub.base_url('2.2.0')}/spacecraft/") as response:
        assert response.status == 404


async def test_astronaut_filters(
    big_stub: LL2Stub, session: aiohttp.ClientSession, synthetic: Catalog
) -> None:
    url = f"{big_stub.base_url()}/astronaut/"
    in_space = await all_pages(session, url, in_space="true")
    crews = {
        member["astronaut"]["id"]
        for flight_id in synthetic.flights_in_space()
        for member in synthetic.flights[flight_id]["launch_crew"]
    }
    assert {astronaut["id"] for astronaut in in_space} == crews
    assert all(astronaut["in_space"] for astronaut in in_space)
    undeclared = await get_json(session, url, name="Frank De Winne")
    assert undeclared["count"] == 700, "`name` is no astronaut filter: LL2 ignores it"
    searched = await get_json(session, url, search="de winne")
    assert 91 in {astronaut["id"] for astronaut in searched["results"]}
    belgians = await all_pages(session, url, search="belgian")
    assert belgians
    assert {astronaut["nationality"] for astronaut in belgians} == {"Belgian"}
    by_agency = await get_json(session, url, search="Canadian Space Agency", limit=100)
    assert all(
        astronaut["agency"]["name"] == "Canadian Space Agency" for astronaut in by_agency["results"]
    )
    flown = await get_json(session, url, has_flown="true")
    never = await get_json(session, url, has_flown="false")
    assert flown["count"] + never["count"] == 700
    assert never["count"] > 0
    active = await get_json(session, f"{big_stub.base_url('2.3.0')}/astronauts/", status_ids="1")
    assert {astronaut["status"]["id"] for astronaut in active["results"]} == {1}


def test_synthetic_catalog_is_realistic_and_deterministic(synthetic: Catalog) -> None:
    again = Catalog.synthetic(now=NOW)
    assert again.flights == synthetic.flights
    assert again.astronauts == synthetic.astronauts
    assert Catalog.synthetic(seed=1, now=NOW).astronauts != synthetic.astronauts
    names = [str(astronaut["name"]) for astronaut in synthetic.astronauts.values()]
    assert len(set(names)) == len(names)
    assert sum(unicodedata.normalize("NFD", name) != name for name in names) > 30
    assert sum(len(name.split()) >= 3 for name in names) > 30
    for flight_id in synthetic.flights_in_space(crewed=True):
        flight = SpacecraftFlight.model_validate(synthetic.flight(flight_id))
        assert flight.launched_at is not None
        assert NOW - timedelta(days=40) < flight.launched_at < NOW
        assert flight.spacecraft is not None
        assert flight.spacecraft.in_space is True
        assert flight.crew
        assert all(astronaut.in_space for astronaut in flight.crew)
        station = flight.docking_events[0]
        assert station.spacestation is not None
        assert station.spacestation.name == "International Space Station"
        assert station.departure is None
    for flight_id in synthetic.flights:
        flight = SpacecraftFlight.model_validate(synthetic.flight(flight_id))
        duration = flight.mission_duration
        assert duration is None or duration > timedelta(0)


# Rate limit


async def test_rate_limit_429_retry_after_and_advance(session: aiohttp.ClientSession) -> None:
    clock = FakeClock()
    async with LL2Stub(Catalog.from_fixtures(), requests_per_hour=3, clock=clock) as stub:
        url = f"{stub.base_url()}/astronaut/545/"
        for _ in range(3):
            await get_json(session, url)
            clock.value += 100
        assert (stub.throttle_status()["current_use"], stub.requests_per_hour) == (3, 3)
        async with session.get(url) as response:
            assert response.status == 429
            assert response.headers["Retry-After"] == "3300"
            body = await response.json()
        assert body == {"detail": "Request was throttled. Expected available in 3300 seconds."}
        assert stub.throttle_status()["next_use_secs"] == 3300
        stub.advance(3300)
        await get_json(session, url)
        await get_json(session, url, expect=429)
        stub.advance(3700)
        await get_json(session, url)
        assert stub.upstream_count() == 7
        assert [record.status for record in stub.upstream_requests()] == [
            200,
            200,
            200,
            429,
            200,
            429,
            200,
        ]


def test_throttled_detail_is_drf_text() -> None:
    assert throttled_detail(1) == "Request was throttled. Expected available in 1 second."
    assert throttled_detail(59) == "Request was throttled. Expected available in 59 seconds."


# Faults


async def test_faults(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    url = f"{stub.base_url()}/spacecraft/flight/219/"
    page_url = f"{stub.base_url()}/spacecraft/flight/"

    stub.set_fault(Fault.THROTTLE, retry_after=42, times=1)
    async with session.get(url) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "42"
        assert (await response.json())["detail"] == throttled_detail(42)
    await get_json(session, url)

    stub.set_fault(Fault.ERROR_500, times=2)
    await get_json(session, url, expect=500)
    await get_json(session, url, expect=500)
    await get_json(session, url)

    stub.set_fault(Fault.HTML_502)
    for _ in range(2):
        async with session.get(url) as response:
            assert response.status == 502
            assert response.headers["Content-Type"] == "text/html"
            assert "<h1>502 Bad Gateway</h1>" in await response.text()
    stub.clear_fault()

    stub.set_fault(Fault.TRUNCATED_JSON, times=1)
    async with session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        text = await response.text()
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert text.startswith('{"id":219,')

    stub.set_fault(Fault.WRONG_SHAPE, times=2)
    assert await get_json(session, url) == {"unexpected": [1, 2]}
    wrong_page = await get_json(session, page_url)
    assert isinstance(wrong_page, list)
    with pytest.raises(ValueError):
        Page[SpacecraftFlightSummary].model_validate(wrong_page)
    await get_json(session, url)
    assert [record.fault for record in stub.upstream_requests()].count(None) == 3


async def test_stall_then_answer(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    stub.set_fault(Fault.STALL, stall_seconds=0.3, times=1)
    started = time.monotonic()
    assert (await get_json(session, f"{stub.base_url()}/astronaut/545/"))["id"] == 545
    assert time.monotonic() - started >= 0.3
    stub.set_fault(Fault.STALL, stall_seconds=2)
    timeout = aiohttp.ClientTimeout(total=0.2)
    with pytest.raises(TimeoutError):
        async with session.get(f"{stub.base_url()}/astronaut/545/", timeout=timeout):
            pass


async def test_hang_until_the_client_gives_up(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    stub.set_fault(Fault.HANG, times=1)
    timeout = aiohttp.ClientTimeout(total=0.3)
    with pytest.raises(TimeoutError):
        async with session.get(f"{stub.base_url()}/astronaut/545/", timeout=timeout):
            pass
    assert stub.upstream_requests()[-1].status is None
    await get_json(session, f"{stub.base_url()}/astronaut/545/")


async def test_connection_refused_on_the_same_port(
    stub: LL2Stub, session: aiohttp.ClientSession
) -> None:
    url = f"{stub.base_url()}/astronaut/545/"
    await get_json(session, url)
    await stub.stop_listening()
    with pytest.raises(aiohttp.ClientConnectorError):
        await get_json(session, url)
    await stub.resume_listening()
    await get_json(session, url)
    assert stub.base_url().endswith(f":{stub.port}/2.2.0")


# Counting, 404s, control API


async def test_request_counter(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    base = stub.base_url()
    await get_json(session, f"{base}/spacecraft/flight/219/")
    await get_json(session, f"{stub.control_url}/stats")
    await get_json(session, f"{base}/spacecraft/flight/999999/", expect=404)
    await get_json(session, f"{base}/nothing/here/", expect=404)
    await get_json(session, f"{stub.base_url('2.4.0')}/astronaut/", expect=404)
    assert stub.upstream_count() == 4
    assert [record.kind for record in stub.requests] == [
        "upstream",
        "control",
        "upstream",
        "upstream",
        "upstream",
    ]
    record = stub.requests[0]
    assert (record.method, record.path, record.version, record.status) == (
        "GET",
        "/2.2.0/spacecraft/flight/219/",
        "2.2.0",
        200,
    )
    stats = await get_json(session, f"{stub.control_url}/stats")
    assert stats["upstream"] == 4
    assert stats["by_path"]["/2.2.0/spacecraft/flight/219/"] == 1
    stub.reset_log()
    assert stub.upstream_count() == 0
    assert stub.requests == ()


async def test_control_api(session: aiohttp.ClientSession) -> None:
    catalog = Catalog.synthetic(flights=60, astronauts=200, seed=3, now=NOW)
    flight_id = catalog.flights_in_space(crewed=True)[0]
    async with LL2Stub(catalog, requests_per_hour=2) as stub:
        control = stub.control_url
        url = f"{stub.base_url()}/spacecraft/flight/{flight_id}/"

        async def post(action: str, body: dict[str, Any] | None = None) -> Any:
            async with session.post(f"{control}/{action}", json=body or {}) as response:
                assert response.status == 200, await response.text()
                return await response.json()

        await post("fault", {"fault": "error_500", "times": 1})
        await get_json(session, url, expect=500)
        await post("fault", {"fault": "html_502"})
        async with session.get(url) as response:
            assert response.status == 502
        stats = await post("clear")
        assert stats["fault"] is None

        await post(f"undock/{flight_id}", {"at": "2025-06-01T10:00:00Z"})
        landed = await post(f"land/{flight_id}", {"at": "2025-06-01T12:00:00Z", "success": True})
        assert landed["upstream"] == 2
        flight = SpacecraftFlight.model_validate(await get_json(session, url))
        assert flight.mission_end == datetime(2025, 6, 1, 12, tzinfo=UTC)
        assert flight.landing is not None
        assert flight.landing.success is True
        assert flight.spacecraft is not None
        assert flight.spacecraft.in_space is False
        assert all(astronaut.in_space is False for astronaut in flight.crew)
        assert flight.docking_events[0].departure == datetime(2025, 6, 1, 10, tzinfo=UTC)
        assert not flight.is_in_space(NOW + timedelta(hours=1))

        await get_json(session, url)
        await get_json(session, url, expect=429)
        await post("advance", {"seconds": 3601})
        await get_json(session, url)
        await post("reset-log")
        assert (await get_json(session, f"{control}/stats"))["upstream"] == 0
        async with session.post(f"{control}/land/424242", json={}) as response:
            assert response.status == 404


async def test_mutations_show_everywhere() -> None:
    catalog = Catalog.synthetic(flights=60, astronauts=200, seed=5, now=NOW)
    flight_id = catalog.flights_in_space(crewed=True)[0]
    crew_ids = [member["astronaut"]["id"] for member in catalog.flights[flight_id]["launch_crew"]]
    catalog.land_flight(flight_id, NOW, success=False)
    assert flight_id not in catalog.flights_in_space(crewed=True)
    assert catalog.flight(flight_id)["landing"]["success"] is False
    catalog.patch_flight(flight_id, {"destination": "Tiangong Space Station"})
    assert not set(crew_ids) & set(catalog.query_astronauts(in_space=True))
    assert catalog.flight_payload(flight_id, "2.3.0", detailed=False)["destination"] == (
        "Tiangong Space Station"
    )
    custom = catalog.flight(219)
    custom.update({"id": 4242, "mission_end": None})
    custom["spacecraft"] = {**custom["spacecraft"], "id": 4243, "in_space": True}
    catalog.put_flight(custom)
    assert 4242 in catalog.flights_in_space(crewed=True)
    catalog.put_astronaut({"id": 4244, "name": "Sławosz Uznański-Wiśniewski"})
    assert 4244 in catalog.query_astronauts(search="uznański-wiśniewski")
    assert catalog.astronaut_payload(4244, "2.3.0")["nationality"] == []
    assert iso_duration(timedelta(hours=9, minutes=56, seconds=59)) == "PT9H56M59S"
    assert iso_duration(timedelta(0)) == "P0D"


async def test_missing_slash_redirects(stub: LL2Stub, session: aiohttp.ClientSession) -> None:
    async with session.get(f"{stub.base_url()}/astronaut", allow_redirects=False) as response:
        assert response.status == 301
        assert response.headers["Location"] == "/2.2.0/astronaut/"
    assert (await get_json(session, f"{stub.base_url()}/astronaut"))["count"] == 103


# Process mode


async def test_runs_as_a_process(session: aiohttp.ClientSession) -> None:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "tests.stubs.ll2", "--port", "0", "--requests-per-hour", "50"),
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=20)).decode()
        assert line.startswith("LL2 stub listening on http://127.0.0.1:")
        base = line.split()[-1]
        flight = await get_json(session, f"{base}/2.2.0/spacecraft/flight/219/")
        assert flight["id"] == 219
        stats = await get_json(session, f"{base}/_control/stats")
        assert stats["upstream"] == 1 and stats["throttle"]["your_request_limit"] == 50
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=10)
    assert code == 0
