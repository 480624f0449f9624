"""How `SpaceService` reads what a user typed: an id, or a name to look up."""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.ll2.budget import Budget, Priority
from bot.ll2.freshness import Fetched
from bot.ll2.models import Astronaut, Page, SpacecraftFlightSummary
from bot.ll2.repository import LL2Repository
from bot.render.flights import render_flight_list
from bot.service import SpaceService, UnknownQuery, _as_id
from storage.database import Database
from storage.documents import DocumentCache
from storage.index import SearchIndex
from tests.bot.render.data import FLIGHT_186, FRESH, NOW, load


class _AnyPageLL2:
    """An LL2 that answers every list with 250 flights (25 pages of 10), and no astronaut."""

    def __init__(self) -> None:
        self.asked: list[int | None] = []

    async def flight_list(
        self, spacecraft_id: int | None, offset: int, priority: Priority
    ) -> Fetched[Page[SpacecraftFlightSummary]]:
        self.asked.append(spacecraft_id)
        item = SpacecraftFlightSummary.model_validate(load(FLIGHT_186))
        return Fetched(Page[SpacecraftFlightSummary](count=250, results=[item] * 100), FRESH)

    async def astronaut_search(self, text: str, priority: Priority) -> Fetched[Page[Astronaut]]:
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
        await service.flight(text)
    with pytest.raises(UnknownQuery):
        await service.astronaut(text)
    with pytest.raises(UnknownQuery):
        await service.spacecraft_id(text)


async def test_flights_of_spacecraft_0_never_reach_the_page_buttons(db: Database) -> None:
    """`/flights spacecraft:0`: 0 is no LL2 id (the buttons use it for "every spacecraft"),
    so it is a name the index does not know, not a list whose buttons cannot be built."""
    ll2 = _AnyPageLL2()
    service = _service(db, ll2)

    async def flights_command(spacecraft: str) -> Any:
        spacecraft_id = await service.spacecraft_id(spacecraft)
        fetched = await service.flight_page(spacecraft_id, 1)
        return render_flight_list(fetched.value, fetched.freshness, service.now())

    with pytest.raises(UnknownQuery):
        await flights_command("0")
    assert ll2.asked == []
    message = (await flights_command("78")).to_dict()
    assert len(message["components"][0]["components"]) == 2
