"""`/about`: the budget, the cache, and how complete the catalog is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.catalog import Catalog, SyncPosition
from bot.ll2.budget import BudgetStatus
from bot.ll2.results import Status
from bot.render.about import render_about
from tests.bot.render.limits import assert_within_discord_limits

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def _status() -> Status:
    return Status(
        budget=BudgetStatus(limit=15, used=12, blocked_until=None),
        ll2_version="2.3.0",
        documents=1012,
        newest_fetch=NOW - timedelta(minutes=3),
        astronauts=700,
        spacecraft=40,
        flights=300,
    )


def _position(*, under_way: bool, next_in: float, flights: int, astronauts: int) -> SyncPosition:
    both = (Catalog.ASTRONAUTS, Catalog.FLIGHTS)
    return SyncPosition(
        offsets=dict.fromkeys(both, 0),
        totals={Catalog.FLIGHTS: 300, Catalog.ASTRONAUTS: 700},
        seen={Catalog.FLIGHTS: flights, Catalog.ASTRONAUTS: astronauts},
        held_before=dict.fromkeys(both, 0),
        rounds=dict.fromkeys(both, 0),
        pages=5,
        under_way=under_way,
        started_at=NOW.timestamp() - 60,
        completed_at=None if under_way else NOW.timestamp() - 30,
        next_at=NOW.timestamp() + next_in,
    )


def _fields(position: SyncPosition | None = None) -> dict[str, str]:
    message = render_about(_status(), "1.0", NOW, "shard 0 of 1", position).to_dict()
    assert_within_discord_limits(message)
    return {str(field["name"]): str(field["value"]) for field in message["embeds"][0]["fields"]}


def _catalog_field(position: SyncPosition) -> str:
    return _fields(position)["Catalog"]


def test_about_shows_the_requests_left_this_hour() -> None:
    """12 of 15 used: 3 left."""
    assert _fields()["LL2 budget"] == "3 of 15 requests left this hour"


def test_about_shows_how_much_of_the_catalog_is_held_and_when_the_next_page_comes() -> None:
    filling = _position(under_way=True, next_in=240, flights=300, astronauts=200)
    at = int(NOW.timestamp() + 240)
    assert _catalog_field(filling) == (
        f"astronauts 200 of 700, flights 300 of 300; next page <t:{at}:R>"
    )
    now = _position(under_way=True, next_in=0, flights=100, astronauts=0)
    assert _catalog_field(now).endswith("; next page now")


def test_about_says_when_a_complete_catalog_is_refreshed() -> None:
    done = _position(under_way=False, next_in=86_400, flights=300, astronauts=700)
    at = int(NOW.timestamp() + 86_400)
    assert _catalog_field(done) == (
        f"astronauts 700 of 700, flights 300 of 300; complete, next refresh <t:{at}:R>"
    )


def test_about_without_a_catalog_has_no_catalog_field() -> None:
    assert "Catalog" not in _fields()
