"""`/about`: the budget, the cache, and how complete the catalog is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.catalog import Catalog, SyncPosition
from bot.ll2.budget import BudgetStatus
from bot.ll2.results import Status
from bot.render.about import Instance, instance_text, render_about
from bot.render.lang import ENGLISH, Lang, catalogs, lang_for
from tests.bot.render.limits import assert_within_discord_limits

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
ONE_PROCESS = Instance((0,), 1, "capcom-1:4242")
MANY_SHARDS = Instance(tuple(range(0, 800, 2)), 1000, "h" * 300 + ":1")
EVERY_LANGUAGE = ["en-US", *sorted(catalogs())]


def _status(
    blocked_until: float | None = None, ll2_version: str = "2.3.0", documents: int = 1012
) -> Status:
    return Status(
        budget=BudgetStatus(limit=15, used=12, blocked_until=blocked_until),
        ll2_version=ll2_version,
        documents=documents,
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


def _fields(
    position: SyncPosition | None = None, lang: Lang = ENGLISH, status: Status | None = None
) -> dict[str, str]:
    message = render_about(status or _status(), "1.0", NOW, ONE_PROCESS, lang, position).to_dict()
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


def test_about_counts_what_the_index_and_the_cache_hold() -> None:
    fields = _fields()
    assert fields["Index"] == "700 astronauts, 40 spacecraft, and 300 flights"
    assert fields["Cache"] == f"1,012 documents; newest fetched <t:{int(NOW.timestamp()) - 180}:R>"


def test_about_in_german() -> None:
    blocked = NOW.timestamp() + 600
    status = _status(blocked_until=blocked, ll2_version="2.2.0")
    filling = _position(under_way=True, next_in=0, flights=300, astronauts=1200)
    fields = _fields(filling, lang_for("de"), status)
    assert list(fields) == [
        "Datenquelle",
        "Cache",
        "LL2-Kontingent",
        "Index",
        "Katalog",
        "Beantwortet von",
    ]
    assert fields["Datenquelle"].startswith("LL2 2.2.0 (nicht unterstützte Version: `LL2_BASE_URL`")
    assert fields["Cache"].startswith("1.012 Dokumente; neuestes abgerufen <t:")
    assert fields["LL2-Kontingent"] == (
        f"3 von 15 Anfragen in dieser Stunde übrig; LL2 bittet uns, bis <t:{int(blocked)}:T>"
        " zu warten"
    )
    assert fields["Index"] == "700 Astronauten, 40 Raumschiffe und 300 Flüge"
    assert fields["Katalog"] == (
        "Astronauten: 1.200 von 700, Flüge: 300 von 300; nächste Seite jetzt"
    )


def test_about_in_japanese_and_russian() -> None:
    message = render_about(_status(), "1.0", NOW, ONE_PROCESS, lang_for("ja")).to_dict()
    [embed] = message["embeds"]
    assert embed["title"] == "Capcom について"
    assert (
        "The Space Devs の [Launch Library 2](https://thespacedevs.com/llapi) から"
        in (embed["description"])
    )
    japanese = {field["name"]: field["value"] for field in embed["fields"]}
    assert japanese["インデックス"] == "宇宙飛行士 700 人、宇宙船 40 機、フライト 300 件"
    assert japanese["LL2 リクエスト枠"] == "この1時間の残りリクエスト：3/15"
    done = _position(under_way=False, next_in=86_400, flights=300, astronauts=700)
    russian = _fields(done, lang_for("ru"), _status(documents=1))
    assert russian["Кэш"].startswith("1 документ; последний загружен <t:")
    assert russian["Лимит LL2"] == "Осталось 3 из 15 запросов на этот час"
    assert russian["Индекс"] == "700 космонавтов, 40 кораблей и 300 полётов"
    assert russian["Каталог"] == (
        "космонавты: 700 из 700, полёты: 300 из 300; загружено полностью, следующее обновление"
        f" <t:{int(NOW.timestamp()) + 86_400}:R>"
    )


@pytest.mark.parametrize("locale", EVERY_LANGUAGE)
def test_about_fits_in_every_language_with_every_line_at_its_longest(locale: str) -> None:
    status = Status(
        budget=BudgetStatus(limit=1_000_000, used=1, blocked_until=NOW.timestamp() + 3600),
        ll2_version="9" * 200,
        documents=123_456_789,
        newest_fetch=None,
        astronauts=1_000_000,
        spacecraft=1_000_000,
        flights=1_000_000,
    )
    position = _position(under_way=True, next_in=60, flights=300, astronauts=200)
    message = render_about(status, "1" * 300, NOW, MANY_SHARDS, lang_for(locale), position)
    assert_within_discord_limits(message.to_dict())


def test_which_process_answered_is_said_in_the_readers_language() -> None:
    german, japanese = lang_for("de"), lang_for("ja")
    assert instance_text(ONE_PROCESS, ENGLISH) == "shard 0 of 1 · process capcom-1:4242"
    assert instance_text(ONE_PROCESS, german) == "Shard 0 von 1 · Prozess capcom-1:4242"
    assert instance_text(Instance((0, 1, 2, 3), 8, "h:1"), german) == (
        "Shards 0 bis 3 von 8 · Prozess h:1"
    )
    assert instance_text(Instance((5, 1), 8, "h:1"), japanese) == (
        "シャード 1、5（全 8 個中）· プロセス h:1"
    )
