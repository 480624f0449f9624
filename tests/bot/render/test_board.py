"""The live board: what it shows, within Discord's limits and pinging no one, for the
recorded launches, hostile ones (10,000-character names, a crew of 30) and old data."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.alerts.board import BoardStatus, BoardView, Recent
from bot.alerts.outcomes import Reason, ReasonKind
from bot.ll2.launches import UpcomingLaunch
from bot.ll2.models import Astronaut, Page
from bot.ll2.results import CraftCrew
from bot.render.board import render_board, with_board_status
from bot.render.lang import ENGLISH, Lang, catalogs, lang_for
from bot.render.message import Message
from tests.bot.render.data import ASTRONAUT_LIST, crew_of_thirty_pinging, load
from tests.bot.render.limits import assert_within_discord_limits, visible_texts
from tests.stubs.ll2.convert import UPCOMING_CREW12_GO, UPCOMING_CREW13_TBD, load_fixture

LOCALES = ["en-US", *sorted(catalogs())]
NOW = datetime(2026, 2, 10, 12, tzinfo=UTC)
LAUNCHED = NOW - timedelta(days=40)


def crews() -> tuple[CraftCrew, ...]:
    people = Page[Astronaut].model_validate(load(ASTRONAUT_LIST)).results
    return (
        CraftCrew("Crew Dragon Freedom", tuple(people[:4]), 1, "ISS", LAUNCHED),
        CraftCrew("Shenzhou-21", tuple(people[4:7]), 2, "Tiangong", LAUNCHED),
    )


def view(**changes: Any) -> BoardView:
    base = BoardView(
        now=NOW,
        check_minutes=20,
        crews=crews(),
        launches=(
            UpcomingLaunch.model_validate(load_fixture(UPCOMING_CREW12_GO)),
            UpcomingLaunch.model_validate(load_fixture(UPCOMING_CREW13_TBD)),
        ),
        last_landing=Recent("Crew Dragon Endurance", NOW - timedelta(days=3), 3101),
        last_launch=Recent("Shenzhou-21", LAUNCHED, 3150),
    )
    return dataclasses.replace(base, **changes)


def texts(board: BoardView, lang: Lang = ENGLISH) -> str:
    message = render_board(board, lang).to_dict()
    assert_within_discord_limits(message)
    assert message["allowed_mentions"]["parse"] == [] and not message["content"]
    return "\n".join(visible_texts(message))


def test_the_board_shows_who_is_up_what_is_next_and_what_happened_last() -> None:
    shown = texts(view())
    assert "Crew Dragon Freedom → ISS" in shown and "Shenzhou-21 → Tiangong" in shown
    assert f"Up since <t:{int(LAUNCHED.timestamp())}:D>" in shown
    assert "Crew-12" in shown and "Crew-13" in shown and "Go" in shown
    assert "Last landing: **Crew Dragon Endurance**" in shown
    assert "Checked against LL2 every 20 minutes" in shown and "⚠️" not in shown


def test_old_data_shows_its_age_and_nothing_known_says_so() -> None:
    old = NOW - timedelta(hours=7)
    shown = texts(view(crews_as_of=old, launches_as_of=old))
    assert f"people in space as of <t:{int(old.timestamp())}:f>" in shown
    assert "not checked since" in shown and "Checked against LL2 every" not in shown
    empty = texts(view(crews=None, launches=None, last_landing=None, last_launch=None))
    assert "Not known yet" in empty and "Not fetched from LL2 yet" in empty
    assert "Last landing: none seen yet" in empty


def test_the_key_changes_with_what_is_shown_and_not_with_the_time() -> None:
    board = view()
    assert view(now=NOW + timedelta(hours=5)).key == board.key
    assert view(last_landing=Recent("Crew-11", NOW, 3102)).key != board.key
    assert view(crews=crews()[:1]).key != board.key
    slipped = UpcomingLaunch.model_validate(
        load_fixture(UPCOMING_CREW12_GO) | {"net": "2026-03-01T10:00:00Z"}
    )
    assert board.launches is not None
    assert view(launches=(slipped, board.launches[1])).key != board.key


def test_the_board_in_german_and_russian() -> None:
    german = texts(view(), lang_for("de"))
    assert "🛰️ Bemannte Raumfahrt, live" in german and "🧑‍🚀 Jetzt im All" in german
    assert "7 Personen an Bord von 2 Raumschiffen" in german
    assert "✅ Abgleich mit LL2 alle 20 Minuten" in german
    assert "Letzte Landung: **Crew Dragon Endurance**" in german
    assert "Änderungen werden ohne Benachrichtigung eingearbeitet" in german
    russian = texts(view(), lang_for("ru"))
    assert "7 человек на борту 2 кораблей" in russian and "🚀 Следующий: Crew-12" in russian
    assert "✅ Сверяется с LL2 каждые 20 минут" in russian
    one_craft = texts(view(crews=crews()[:1]), lang_for("ru"))
    assert "человека на борту 1 корабля" in one_craft  # "on board" takes the genitive


@pytest.mark.parametrize(
    ("locale", "paused"),
    [
        ("en-US", "<#7>: ⏸️ Paused: Discord refused the edit in <#7> (Missing Access)"),
        ("de", "Discord hat die Bearbeitung in <#7> abgelehnt (Missing Access)"),
        ("ru", "Discord отклонил изменение сообщения в <#7> (Missing Access)"),
    ],
)
def test_why_a_board_is_paused_reads_in_the_readers_language(locale: str, paused: str) -> None:
    refused = Reason(ReasonKind.EDIT_REFUSED, "<#7>", detail="Missing Access")
    old = Reason(ReasonKind.TEXT, detail="Discord refused the edit in channel 8: Missing Access")
    boards = [BoardStatus(7, True, refused), BoardStatus(8, True, old)]
    message = with_board_status(Message(), boards, lang_for(locale)).to_dict()
    first, second = (field["value"] for field in message["embeds"][0]["fields"])
    assert paused in first
    assert "Discord refused the edit in channel 8: Missing Access" in second


def test_a_board_in_another_language_has_another_key_and_english_keeps_the_old_one() -> None:
    board = view()
    assert board.key_in("en-US") == board.key
    assert board.key_in("de") not in (board.key, board.key_in("ru"))
    assert view(now=NOW + timedelta(hours=5)).key_in("de") == board.key_in("de")


@pytest.mark.parametrize("locale", LOCALES)
def test_hostile_names_and_a_crew_of_thirty_stay_within_limits_and_ping_nobody(
    locale: str,
) -> None:
    data = crew_of_thirty_pinging(load_fixture(UPCOMING_CREW12_GO))
    data["mission"]["name"] = "N" * 10_000
    launches = tuple(UpcomingLaunch.model_validate(data | {"id": str(n)}) for n in range(3))
    person = crews()[0].astronauts[0].model_copy(update={"name": "<@&1234> " * 1200})
    many = tuple(
        CraftCrew("C" * 10_000, tuple(person.model_copy(update={"id": n}) for n in range(30)))
        for _ in range(9)
    )
    hostile = view(crews=many, launches=launches, last_landing=Recent("L" * 10_000, NOW, 3103))
    shown = texts(hostile, lang_for(locale))
    if locale == "en-US":
        assert "… and " in shown and "the first 6 below" in shown
    assert "@everyone" not in shown and "<@&" not in shown
