"""`/upcoming` pages and the NET text `/flight` shares, on the recorded launches and
hostile ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.ll2.freshness import Freshness
from bot.ll2.launches import UpcomingLaunch
from bot.ll2.models import SpacecraftFlight
from bot.render.event import EventWording
from bot.render.flight import render_flight
from bot.render.lang import ENGLISH, Lang, catalogs, lang_for
from bot.render.launch_time import net_text
from bot.render.upcoming import PAGE_SIZE, launch_title, render_upcoming
from tests.bot.render.data import FLIGHT_219, STALE, crew_of_thirty_pinging, load
from tests.bot.render.limits import assert_within_discord_limits, visible_texts
from tests.stubs.ll2.convert import (
    UPCOMING_CREW12_GO,
    UPCOMING_CREW12_TBD,
    UPCOMING_CREW13_TBD,
    UPCOMING_PAGE_NORMAL,
    load_fixture,
)

NOW = datetime(2026, 2, 10, 12, tzinfo=UTC)
FRESH = Freshness(NOW)
EVERY_LANGUAGE = ["en-US", *sorted(catalogs())]


def launch(name: str = UPCOMING_CREW12_GO, **changes: Any) -> UpcomingLaunch:
    return UpcomingLaunch.model_validate(load_fixture(name) | changes)


def render(
    launches: list[UpcomingLaunch],
    page: int = 1,
    freshness: Freshness = FRESH,
    lang: Lang = ENGLISH,
) -> dict[str, Any]:
    message = render_upcoming(launches, page, freshness, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    return message


def test_a_time_only_at_hour_precision_or_finer() -> None:
    assert net_text(launch(), NOW, ENGLISH) == "<t:1770807664:F> (<t:1770807664:R>)"
    assert net_text(launch(UPCOMING_CREW12_TBD), NOW, ENGLISH) == "NET Feb 15, 2026 (day not final)"
    assert net_text(launch(UPCOMING_CREW13_TBD), NOW, ENGLISH) == "NET September 2026"
    quarter = {"id": 10, "name": "Quarter 3", "abbrev": "Q3"}
    assert net_text(launch(net_precision=quarter), NOW, ENGLISH) == "NET Q3 2026 (LL2's estimate)"
    assert net_text(launch(net_precision=None), NOW, ENGLISH) == "NET Feb 11, 2026 (time not set)"
    assert net_text(launch(net=None), NOW, ENGLISH) == "NET not set"


def test_a_go_net_in_the_past_is_said_to_be_out_of_date() -> None:
    text = net_text(launch(), NOW + timedelta(days=3), ENGLISH)
    assert text.endswith("passed, not yet updated by LL2")


def test_a_launch_in_full() -> None:
    message = render([launch(probability=90, weather_concerns="Cumulus Cloud Rule")])
    first = message["embeds"][0]
    assert first["title"] == "Crew-12"
    assert first["description"].splitlines() == [
        "**Launch** <t:1770807664:F> (<t:1770807664:R>)",
        "**Status** Go",
        "**Weather** 90 % favourable · Cumulus Cloud Rule",
        "**Spacecraft** Crew Dragon Freedom → International Space Station",
        "**Crew** Jessica Meir, Jack Hathaway, Sophie Adenot, Andrei Fedyaev",
        "**Webcast** [NASA](https://www.youtube.com/watch?v=zCM-Kwq91cc)",
    ]
    photos = [embed["title"] for embed in message["embeds"][1:]]
    assert photos == ["Jessica Meir", "Jack Hathaway", "Sophie Adenot", "Andrei Fedyaev"]
    assert all(embed["thumbnail"]["url"].startswith("https://") for embed in message["embeds"])
    assert message["components"] == []


def test_status_words_window_and_the_suborbital_label() -> None:
    page = load_fixture(UPCOMING_PAGE_NORMAL)["results"]
    launches = [UpcomingLaunch.model_validate(item) for item in page]
    shepard = next(item for item in launches if item.title == "NS-34")
    message = render([launch(UPCOMING_CREW13_TBD), shepard])
    titles = [embed["title"] for embed in message["embeds"] if "description" in embed]
    assert "NS-34 (suborbital)" in titles
    texts = "\n".join(visible_texts(message))
    assert "**Status** To be determined" in texts
    assert "**Window** <t:1754224200:f> to <t:1754249400:t>" in texts
    assert "**Crew** not named by LL2 yet" in texts


def test_pages_and_buttons() -> None:
    launches = [launch(id=str(number)) for number in range(PAGE_SIZE * 2 + 1)]
    message = render(launches, page=2)
    [row] = message["components"]
    assert [(b["custom_id"], b["disabled"]) for b in row["components"]] == [
        ("capcom:upcoming:1", False),
        ("capcom:upcoming:3", False),
    ]
    assert "Page 2 of 3 · 7 crewed launches" in message["embeds"][0]["footer"]["text"]
    last = render(launches, page=99)
    assert "Page 3 of 3" in last["embeds"][0]["footer"]["text"]


def test_nothing_listed_and_stale_data_say_so() -> None:
    message = render([], freshness=STALE)
    [embed] = message["embeds"]
    assert "LL2 lists no upcoming crewed launches." in embed["description"]
    assert embed["description"].startswith("⚠️ Data from")


def test_a_launch_in_german() -> None:
    unnamed = load_fixture(UPCOMING_CREW13_TBD)
    unnamed["rocket"]["spacecraft_stage"]["launch_crew"] = []
    crew13 = UpcomingLaunch.model_validate(unnamed)
    first = launch(probability=90, webcast_live=True)
    launches = [first, crew13] + [launch(id=str(n)) for n in range(PAGE_SIZE)]
    message = render(launches, lang=lang_for("de"))
    head = message["embeds"][0]
    assert head["description"].splitlines() == [
        "**Start** <t:1770807664:F> (<t:1770807664:R>)",
        "**Status** Startfreigabe",
        "**Wetter** 90 % günstig",
        "**Raumschiff** Crew Dragon Freedom → International Space Station",
        "**Crew** Jessica Meir, Jack Hathaway, Sophie Adenot, Andrei Fedyaev",
        "**Livestream** [NASA](https://www.youtube.com/watch?v=zCM-Kwq91cc) (jetzt live)",
    ]
    assert head["footer"]["text"].startswith("Seite 1 von 2 · 5 bemannte Starts")
    [row] = message["components"]
    assert [button["label"] for button in row["components"]] == ["◀ Zurück", "Weiter ▶"]
    second = next(embed for embed in message["embeds"] if embed["title"] == "Crew-13")
    assert second["description"].splitlines() == [
        "**Start** Frühestens September 2026",
        "**Status** Noch offen",
        "**Raumschiff** Crew Dragon → International Space Station",
        "**Crew** von LL2 noch nicht bekannt gegeben",
    ]


def test_a_suborbital_launch_and_an_empty_list_in_japanese_and_russian() -> None:
    page = load_fixture(UPCOMING_PAGE_NORMAL)["results"]
    shepard = next(
        launch
        for launch in (UpcomingLaunch.model_validate(item) for item in page)
        if launch.title == "NS-34"
    )
    message = render([shepard], lang=lang_for("ja"))
    [embed, *_] = message["embeds"]
    assert embed["title"] == "NS-34（サブオービタル）"
    assert "**打ち上げウィンドウ** <t:1754224200:f>～<t:1754249400:t>" in embed["description"]
    assert embed["footer"]["text"].startswith("1/1ページ · 有人打ち上げ1件")
    [empty] = render([], lang=lang_for("ru"))["embeds"]
    assert empty["title"] == "Ближайшие пилотируемые запуски"
    assert empty["description"] == "В LL2 нет предстоящих пилотируемых запусков."
    assert empty["footer"]["text"].startswith("Страница 1 из 1 · 0 пилотируемых запусков")


@pytest.mark.parametrize("locale", EVERY_LANGUAGE)
def test_hostile_names_and_a_crew_of_thirty_stay_within_limits(locale: str) -> None:
    data = crew_of_thirty_pinging(load_fixture(UPCOMING_CREW12_GO))
    stage = data["rocket"]["spacecraft_stage"]
    stage["spacecraft"]["name"] = "S" * 10_000
    stage["destination"] = "D" * 10_000
    data["mission"]["name"] = "N" * 10_000
    data["weather_concerns"] = "W" * 10_000
    launches = [UpcomingLaunch.model_validate(data | {"id": str(n)}) for n in range(PAGE_SIZE)]
    lang = lang_for(locale)
    message = render(launches * 3, page=2, lang=lang)
    launch_label = lang.say("**Launch** {when}", when="")
    launch_embeds = [e for e in message["embeds"] if launch_label in e.get("description", "")]
    assert len(launch_embeds) == PAGE_SIZE, "no launch gives way to crew photos"
    cut = [lang.say_n("… and {count} more", "… and {count} more", n) for n in range(1, 30)]
    assert any(f"{lang.separator}{more}\n" in launch_embeds[0]["description"] for more in cut)
    assert all("@everyone" not in text for text in visible_texts(message))


def test_flight_not_launched_yet_shows_the_same_net() -> None:
    data = load(FLIGHT_219)
    data["launch"] = data["launch"] | {
        "net": "2026-09-30T00:00:00Z",
        "net_precision": {"id": 7, "name": "Month"},
        "status": {"id": 2, "name": "To Be Determined"},
    }
    flight = SpacecraftFlight.model_validate(data | {"mission_end": None, "landing": None})
    message = render_flight(flight, FRESH, NOW, ENGLISH).to_dict()
    [launch_field] = [f for f in message["embeds"][0]["fields"] if f["name"] == "Launch"]
    lines = launch_field["value"].splitlines()
    assert lines[:2] == ["Not launched yet", "NET September 2026"]
    assert "Status: To be determined" in lines


def test_a_launch_ll2_names_neither_way_is_named_by_its_id_in_the_readers_language() -> None:
    unnamed = {"id": "abc-123", "name": "", "mission": None}
    nameless = UpcomingLaunch.model_validate(load_fixture(UPCOMING_CREW12_GO) | unnamed)
    assert nameless.title is None
    assert launch_title(nameless, ENGLISH) == "Launch abc-123"
    assert launch_title(nameless, lang_for("de")) == "Start abc-123"
    assert EventWording(lang_for("de")).name(nameless) == "Start von Start abc-123"
