"""How `SpaceService` reads what a user typed: an id, or a name to look up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from bot.ll2.budget import Budget, Priority
from bot.ll2.fairness import Asker
from bot.ll2.freshness import Fetched
from bot.ll2.models import Astronaut, Page, SpacecraftFlightSummary
from bot.ll2.repository import LL2Repository
from bot.render.flights import render_flight_list
from bot.render.lang import ENGLISH
from bot.runtime import Runtime, open_runtime
from bot.service import SpaceService, UnknownQuery, _as_id
from storage.database import Database
from storage.documents import DocumentCache
from storage.index import SearchIndex
from tests.bot.render.data import FLIGHT_186, FRESH, NOW, load
from tests.conftest import settings_on
from tests.stubs.ll2 import Catalog, LL2Stub


class _AnyPageLL2:
    """An LL2 that answers every list with 250 flights (25 pages of 10), and no astronaut."""

    def __init__(self) -> None:
        self.asked: list[int | None] = []

    async def flight_list(
        self, spacecraft_id: int | None, offset: int, priority: Priority, *, asker: Asker | None
    ) -> Fetched[Page[SpacecraftFlightSummary]]:
        self.asked.append(spacecraft_id)
        item = SpacecraftFlightSummary.model_validate(load(FLIGHT_186))
        return Fetched(Page[SpacecraftFlightSummary](count=250, results=[item] * 100), FRESH)

    async def astronaut_search(
        self, text: str, priority: Priority, *, asker: Asker | None
    ) -> Fetched[Page[Astronaut]]:
        return Fetched(Page[Astronaut](count=0, results=[]), FRESH)


def _service(db: Database, ll2: _AnyPageLL2) -> SpaceService:
    return SpaceService(
        cast(LL2Repository, ll2),
        SearchIndex(db),
        DocumentCache(db),
        cast(Budget, None),
        clock=lambda: NOW.timestamp(),
    )


@pytest.mark.parametrize(
    "text", ["²", "2²", "٣", "๓", "\uff11\uff12", "0", "000", "#0", "-1", "+1", "1_000", "", " "]
)
def test_only_positive_ascii_numbers_are_ids(text: str) -> None:
    assert _as_id(text) is None


@pytest.mark.parametrize(("text", "expected"), [("219", 219), (" #219 ", 219), ("007", 7)])
def test_ids(text: str, expected: int) -> None:
    assert _as_id(text) == expected


@pytest.mark.parametrize("text", ["²", "٣"])
async def test_odd_digits_are_names_not_errors(db: Database, text: str) -> None:
    service = _service(db, _AnyPageLL2())
    with pytest.raises(UnknownQuery):
        await service.flight(text, asker=None)
    with pytest.raises(UnknownQuery):
        await service.astronaut(text, asker=None)
    with pytest.raises(UnknownQuery):
        await service.spacecraft_id(text)


async def test_flights_of_spacecraft_0_never_reach_the_page_buttons(db: Database) -> None:
    """`/flights spacecraft:0`: 0 is no LL2 id (the buttons use it for "every spacecraft"),
    so it is a name the index does not know, not a list whose buttons cannot be built."""
    ll2 = _AnyPageLL2()
    service = _service(db, ll2)

    async def flights_command(spacecraft: str) -> Any:
        spacecraft_id = await service.spacecraft_id(spacecraft)
        fetched = await service.flight_page(spacecraft_id, 1, asker=None)
        return render_flight_list(fetched.value, fetched.freshness, service.now(), ENGLISH)

    with pytest.raises(UnknownQuery):
        await flights_command("0")
    assert ll2.asked == []
    message = (await flights_command("78")).to_dict()
    assert len(message["components"][0]["components"]) == 2


# --- the flight and crew service against the LL2 stand-in, through the bot's runtime ---


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[tuple[Runtime, LL2Stub]]:
    catalog = Catalog.synthetic(flights=60, astronauts=120, now=datetime.now(UTC))
    async with LL2Stub(catalog) as stub:
        settings = settings_on(stub.base_url("2.3.0"), tmp_path)
        async with open_runtime(settings) as opened:
            yield opened, stub


async def test_a_flight_by_id_then_by_name_from_the_index(
    runtime: tuple[Runtime, LL2Stub],
) -> None:
    bot, stub = runtime
    by_id = await bot.service.flight("219", asker=None)
    assert by_id.value.name == "Soyuz TMA-15" and not by_id.freshness.from_cache
    by_name = await bot.service.flight("soyuz tma-15", asker=None)
    assert by_name.value.id == 219 and by_name.freshness.from_cache
    assert stub.upstream_count() == 1
    with pytest.raises(UnknownQuery, match="No flight matches “Nothing Like It”"):
        await bot.service.flight("Nothing Like It", asker=None)


async def test_an_astronaut_the_index_lacks_is_searched_on_ll2_once(
    runtime: tuple[Runtime, LL2Stub],
) -> None:
    bot, stub = runtime
    found = await bot.service.astronaut("romanenko", asker=None)
    assert found.value.name == "Roman Romanenko"
    asked = [r.query.get("search") for r in stub.upstream_requests()]
    assert asked[0] == "romanenko"
    again = await bot.service.astronaut("Roman Romanenko", asker=None)
    assert again.freshness.from_cache and stub.upstream_count() == len(asked)


async def test_in_space_groups_people_by_spacecraft_and_station(
    runtime: tuple[Runtime, LL2Stub],
) -> None:
    bot, stub = runtime
    await bot.alerts.detector.poll()  # the alert poll learns who flies on what
    crews = (await bot.service.in_space(asker=None)).value
    crewed = stub.catalog.flights_in_space(crewed=True)
    assert sorted(c.flight_id for c in crews if c.flight_id) == sorted(crewed)
    for crew in crews:
        flight = stub.catalog.flights[crew.flight_id or 0]
        assert crew.craft == flight["spacecraft"]["name"]
        assert crew.station == "International Space Station"
        assert {a.id for a in crew.astronauts} == {
            m["astronaut"]["id"] for m in flight["launch_crew"]
        }
