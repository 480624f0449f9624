"""`render_flight` on flight 219 (Soyuz TMA-15) and hostile variants of it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings

from bot.ll2.models import SpacecraftFlight
from bot.render.custom_ids import CREW_SELECT_CUSTOM_ID
from bot.render.flight import render_flight
from bot.render.lang import ENGLISH, Lang, lang_for
from bot.render.text import More, more_marker
from tests.bot.render.data import (
    FETCHED_AT,
    FLIGHT_219,
    FRESH,
    NOW,
    READERS,
    STALE,
    field_names,
    field_value,
    hostile_flight,
    in_space,
    load,
)
from tests.bot.render.limits import assert_within_discord_limits

DOCKED = "<t:1243600980:f>"  # 2009-05-29 12:43 UTC
DEPARTED = "<t:1259639760:f>"  # 2009-12-01 03:56 UTC


def render(data: dict[str, Any], lang: Lang = ENGLISH, **changes: Any) -> dict[str, Any]:
    flight = SpacecraftFlight.model_validate(data | changes)
    message = render_flight(flight, FRESH, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    return message


def test_main_embed_of_flight_219() -> None:
    message = render(load(FLIGHT_219))
    main = message["embeds"][0]
    assert main["title"] == "Soyuz TMA-15"
    assert main["url"] == "https://en.wikipedia.org/wiki/Soyuz_TMA"
    assert main["thumbnail"]["url"] == (
        "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media/images/"
        "soyuz_tma_image_20231225093222.jpeg"
    )
    assert main["description"].startswith("**Soyuz TMA-15**\nSoyuz TMA-15 begins Expedition 20")
    assert field_names(main) == [
        "Launch",
        "Destination",
        "Docking",
        "Landing",
        "Mission end",
        "Launch crew",
        "Landing crew",
    ]


def test_launch_docking_landing_and_duration() -> None:
    main = render(load(FLIGHT_219))["embeds"][0]
    launch = field_value(main, "Launch")
    assert launch.startswith("<t:1243420493:F> (<t:1243420493:R>)")
    assert "Rocket: Soyuz FG" in launch
    assert "Pad: 1/5" in launch
    assert "Site: Baikonur Cosmodrome, Republic of Kazakhstan" in launch
    assert field_value(main, "Destination") == "International Space Station"
    assert field_value(main, "Docking") == (
        f"International Space Station (Zarya nadir): docked {DOCKED}, departed {DEPARTED}"
        " · 185d 15h 13m"
    )
    landing = field_value(main, "Landing")
    assert landing.startswith("Parachute Landing in Kazakhstan\n✅ Success")
    assert field_value(main, "Mission end") == "Ended <t:1259651820:F>\nDuration: 187d 20h 42m"


def test_crew_by_phase_with_roles_once_per_phase() -> None:
    data = load(FLIGHT_219)
    data["landing_crew"] = data["landing_crew"] + data["landing_crew"][:1]
    main = render(data)["embeds"][0]
    expected = (
        "Roman Romanenko — Commander\n"
        "Frank De Winne — Flight Engineer\n"
        "Robert Thirsk — Flight Engineer"
    )
    assert field_value(main, "Launch crew") == expected
    assert field_value(main, "Landing crew") == expected
    assert "Onboard crew" not in field_names(main)


def test_a_card_per_crew_member_with_photo() -> None:
    data = load(FLIGHT_219)
    message = render(data)
    cards = message["embeds"][1:]
    astronauts = [member["astronaut"] for member in data["launch_crew"]]
    assert [card["title"] for card in cards] == [a["name"] for a in astronauts]
    assert [card["thumbnail"]["url"] for card in cards] == [a["profile_image"] for a in astronauts]
    assert [card["url"] for card in cards] == [a["wiki"] for a in astronauts]
    first = cards[0]
    assert first["description"] == "Commander"
    assert field_value(first, "Agency") == "Russian Federal Space Agency (ROSCOSMOS)"
    assert field_value(first, "Nationality") == "Russian"
    assert field_value(first, "Status") == "Retired"
    assert field_value(first, "Time in space") == "333d 11h 0m"


def test_crew_select_menu() -> None:
    [[select]] = [row["components"] for row in render(load(FLIGHT_219))["components"]]
    assert select["custom_id"] == CREW_SELECT_CUSTOM_ID
    assert [(o["label"], o["value"], o.get("description")) for o in select["options"]] == [
        ("Roman Romanenko", "233", "Commander"),
        ("Frank De Winne", "91", "Flight Engineer"),
        ("Robert Thirsk", "265", "Flight Engineer"),
    ]


def test_footer_credit_and_fetched_time() -> None:
    main = render(load(FLIGHT_219))["embeds"][0]
    assert main["footer"]["text"] == "Flight 219 · Data: Launch Library 2 (The Space Devs)"
    assert main["timestamp"] == FETCHED_AT.isoformat()


def test_stale_data_is_announced_first() -> None:
    flight = SpacecraftFlight.model_validate(load(FLIGHT_219))
    main = render_flight(flight, STALE, NOW, ENGLISH).to_dict()["embeds"][0]
    assert main["description"].startswith(
        f"⚠️ Data from <t:{int(FETCHED_AT.timestamp())}:R> — LL2 is rate-limiting\n"
    )


def test_flight_still_in_space() -> None:
    data = load(FLIGHT_219)
    data["spacecraft"]["in_space"] = True
    data["docking_events"][0]["departure"] = None
    now = NOW
    data["launch"]["net"] = (now - timedelta(days=12, hours=3, minutes=4)).isoformat()
    data["docking_events"][0]["docking"] = (now - timedelta(days=10)).isoformat()
    flight = SpacecraftFlight.model_validate(data | {"mission_end": None, "landing": None})
    main = render_flight(flight, FRESH, now, ENGLISH).to_dict()["embeds"][0]
    assert field_value(main, "Landing") == "In space"
    assert field_value(main, "Mission end").startswith("In space for 12d 3h 4m (launched <t:")
    assert field_value(main, "Docking").endswith("still docked · 10d 0h 0m so far")


def test_upcoming_flight_without_landing() -> None:
    data = load(FLIGHT_219)
    data["launch"]["net"] = (NOW + timedelta(days=3)).isoformat()
    main = render(data, mission_end=None, landing=None, docking_events=[])["embeds"][0]
    assert field_value(main, "Landing") == "Not yet launched"
    assert "Mission end" not in field_names(main)
    assert "Docking" not in field_names(main)


def test_unsafe_urls_are_dropped_and_markdown_escaped() -> None:
    data = load(FLIGHT_219)
    data["spacecraft"]["name"] = "**Evil** @everyone <@123>"
    data["spacecraft"]["spacecraft_config"].update(
        wiki_link="javascript:alert(1)", info_link="/relative", image_url=" http://x.y "
    )
    data["spacecraft"]["image_url"] = "https://example.com/craft.png"
    main = render(data)["embeds"][0]
    assert main["title"] == "\\*\\*Evil\\*\\* @\u200beveryone <\u200b@\u200b123>"
    assert "url" not in main
    assert main["thumbnail"]["url"] == "https://example.com/craft.png"


def test_sixty_crew_cut_visibly() -> None:
    data = load(FLIGHT_219)
    template = data["launch_crew"][0]
    data["launch_crew"] = [
        template | {"astronaut": template["astronaut"] | {"id": 1000 + n, "name": f"Crew {n}"}}
        for n in range(60)
    ]
    data["landing_crew"] = []
    message = render(data)
    cards = message["embeds"][1:]
    assert [card["title"] for card in cards] == [f"Crew {n}" for n in range(len(cards))]
    assert 1 <= len(cards) <= 9
    assert message["embeds"][0]["description"].endswith(f"\n\n… and {60 - len(cards)} more crew")
    [[select]] = [row["components"] for row in message["components"]]
    assert len(select["options"]) == 25
    assert "(35 more not listed)" in select["placeholder"]
    assert re.search(r"… and \d+ more$", field_value(message["embeds"][0], "Launch crew"))


@pytest.mark.parametrize("locale", READERS)
@settings(max_examples=25, derandomize=True, deadline=None)
@given(data=hostile_flight())
def test_hostile_flights_stay_within_limits(locale: str, data: dict[str, Any]) -> None:
    """In every language, saying in it what was left out."""
    lang = lang_for(locale)
    flight = SpacecraftFlight.model_validate(data)
    message = render_flight(flight, STALE, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    main, cards = message["embeds"][0], message["embeds"][1:]
    crew = len(flight.crew)
    if len(cards) < crew:
        assert main["description"].endswith(more_marker(crew - len(cards), lang, More.CREW))
    if crew > 25:
        placeholder = message["components"][0]["components"][0]["placeholder"]
        left_out = lang.say_n("({count} more not listed)", "({count} more not listed)", crew - 25)
        assert placeholder.endswith(" " + left_out)
    if flight.docking_events:
        docking = field_value(main, lang.say("Docking"))
        shown = docking.count(DOCKED)
        if shown < len(flight.docking_events):
            assert docking.endswith((more_marker(len(flight.docking_events) - shown, lang), "…"))


def test_a_flight_that_is_over_is_rendered_once_per_document() -> None:
    """Its message reads the same at any later time: made once for this parsed copy
    and freshness, and made anew for another copy or freshness."""
    flight = SpacecraftFlight.model_validate(load(FLIGHT_219))
    first = render_flight(flight, FRESH, NOW, ENGLISH)
    assert render_flight(flight, FRESH, NOW + timedelta(days=400), ENGLISH) is first
    stale = render_flight(flight, STALE, NOW, ENGLISH)
    assert stale is not first and "⚠️ Data from" in stale.to_dict()["embeds"][0]["description"]
    copy = SpacecraftFlight.model_validate(load(FLIGHT_219))
    again = render_flight(copy, FRESH, NOW, ENGLISH)
    assert again is not first and again.to_dict() == first.to_dict()


def test_a_flight_in_space_is_rendered_for_its_time() -> None:
    data = load(FLIGHT_219)
    data["spacecraft"]["in_space"] = True
    data["launch"]["net"] = (NOW - timedelta(days=3)).isoformat()
    flight = SpacecraftFlight.model_validate(data | {"mission_end": None, "landing": None})
    first = render_flight(flight, FRESH, NOW, ENGLISH).to_dict()["embeds"][0]
    later = render_flight(flight, FRESH, NOW + timedelta(minutes=1), ENGLISH).to_dict()["embeds"][0]
    assert field_value(first, "Mission end").startswith("In space for 3d 0h 0m")
    assert field_value(later, "Mission end").startswith("In space for 3d 0h 1m")


def test_flight_219_in_german() -> None:
    """Capcom's words in German; what LL2 wrote (names, roles, places) as LL2 wrote it."""
    message = render(load(FLIGHT_219), lang_for("de"))
    main, first_card = message["embeds"][0], message["embeds"][1]
    assert main["title"] == "Soyuz TMA-15"
    assert field_names(main) == [
        "Start",
        "Ziel",
        "Andocken",
        "Landung",
        "Missionsende",
        "Startcrew",
        "Landecrew",
    ]
    assert field_value(main, "Start").splitlines()[1:] == [
        "Rakete: Soyuz FG",
        "Startrampe: 1/5",
        "Startgelände: Baikonur Cosmodrome, Republic of Kazakhstan",
        "Status: Erfolgreich gestartet",
    ]
    assert field_value(main, "Andocken") == (
        f"International Space Station (Zarya nadir): angedockt {DOCKED}, abgedockt {DEPARTED}"
        " · 185 T 15h 13 Min."
    )
    assert field_value(main, "Landung").startswith(
        "Parachute Landing in Kazakhstan\n✅ Erfolgreich\nThe Soyuz spacecraft"
    )
    assert field_value(main, "Missionsende") == (
        "Beendet am <t:1259651820:F>\nDauer: 187 T 20h 42 Min."
    )
    assert field_value(main, "Startcrew").startswith("Roman Romanenko — Commander\n")
    assert main["footer"]["text"] == "Flug 219 · Daten: Launch Library 2 (The Space Devs)"
    assert [(f["name"], f["value"]) for f in first_card["fields"]] == [
        ("Agentur", "Russian Federal Space Agency (ROSCOSMOS)"),
        ("Nationalität", "Russian"),
        ("Status", "Im Ruhestand"),
        ("Zeit im All", "333 T 11h 0 Min."),
    ]
    [[select]] = [row["components"] for row in message["components"]]
    assert select["placeholder"] == "Crewmitglied auswählen…"
    assert select["options"][0]["label"] == "Roman Romanenko"
    assert select["options"][0]["description"] == "Commander"


def test_flight_219_in_japanese_and_not_yet_launched() -> None:
    message = render(load(FLIGHT_219), lang_for("ja"))
    main = message["embeds"][0]
    assert field_names(main) == [
        "打ち上げ",
        "目的地",
        "ドッキング",
        "帰還",
        "ミッション終了",
        "打ち上げ時のクルー",
        "帰還時のクルー",
    ]
    assert field_value(main, "打ち上げ").endswith("\nステータス：打ち上げ成功")
    assert field_value(main, "ドッキング").startswith("International Space Station（Zarya nadir）")
    assert field_value(main, "帰還").startswith("Parachute Landing（Kazakhstan）\n✅ 成功\n")
    mission_end = field_value(main, "ミッション終了")
    assert mission_end == "<t:1259651820:F>に終了\n期間：187 日 20 時間 42 分"
    assert message["components"][0]["components"][0]["placeholder"] == "クルーを選択…"
    assert field_value(message["embeds"][1], "ステータス") == "引退"
    [picture] = message["attachments"]  # the timeline picture's alt text, in the same language
    assert picture["description"].startswith("Soyuz TMA-15 のミッションタイムライン")

    data = load(FLIGHT_219)
    data["launch"]["net"] = (NOW + timedelta(days=3)).isoformat()
    data["launch"]["status"] = {"id": 1, "name": "Go for Launch"}
    upcoming = render(data, lang_for("ja"), mission_end=None, landing=None)["embeds"][0]
    launch = field_value(upcoming, "打ち上げ").splitlines()
    assert (launch[0], launch[1], launch[-1]) == (
        "打ち上げ前",
        "2025年1月4日以降（時刻未定）",
        "ステータス：Go（打ち上げ準備完了）",
    )
    assert field_value(upcoming, "帰還") == "打ち上げ前"


def test_a_flight_in_space_in_russian() -> None:
    main = render(in_space(), lang_for("ru"))["embeds"][0]
    assert field_value(main, "Посадка") == "В космосе"
    assert re.fullmatch(
        r"В космосе 42 д\. 5 ч 0 мин \(запуск <t:\d+:R>\)", field_value(main, "Окончание миссии")
    )
    assert field_value(main, "Стыковка").endswith("всё ещё в составе станции · уже 40 д. 5 ч 0 мин")


def test_a_flight_that_is_over_is_kept_per_language() -> None:
    """A reader never gets the message made for a reader of another language."""
    flight = SpacecraftFlight.model_validate(load(FLIGHT_219))
    german = render_flight(flight, FRESH, NOW, lang_for("de"))
    japanese = render_flight(flight, FRESH, NOW, lang_for("ja"))
    english = render_flight(flight, FRESH, NOW, ENGLISH)
    assert field_names(german.to_dict()["embeds"][0])[0] == "Start"
    assert field_names(japanese.to_dict()["embeds"][0])[0] == "打ち上げ"
    assert field_names(english.to_dict()["embeds"][0])[0] == "Launch"
    assert render_flight(flight, FRESH, NOW + timedelta(days=1), lang_for("de")) is german
    assert render_flight(flight, FRESH, NOW + timedelta(days=1), lang_for("ja")) is japanese


def twelve_long_named_crew() -> dict[str, Any]:
    """Flight 219 with twelve crew of 300-character names in three scripts, long roles,
    twelve docking events at a long-named station and a long mission description."""
    data = load(FLIGHT_219)
    template = data["launch_crew"][0]
    people = [
        template
        | {
            "id": n,
            "role": {"id": 1, "role": "Бортинженер · フライトエンジニア · " * 4},
            "astronaut": template["astronaut"]
            | {"id": 500 + n, "name": (f"Ёлкина-Müller 宇宙飛行士 {n} " * 20)[:300]},
        }
        for n in range(12)
    ]
    data.update(launch_crew=people, onboard_crew=people, landing_crew=people)
    data["launch"]["mission"]["description"] = "Долгое описание миссии. " * 60
    event = data["docking_events"][0]
    data["docking_events"] = [
        event | {"id": n, "spacestation": event["spacestation"] | {"name": "Тяньгун 天宫 " * 9}}
        for n in range(12)
    ]
    return data


@pytest.mark.parametrize("locale", READERS)
def test_twelve_crew_with_long_names_fit_in_every_language(locale: str) -> None:
    lang = lang_for(locale)
    message = render(twelve_long_named_crew(), lang)
    main, cards = message["embeds"][0], message["embeds"][1:]
    assert field_names(main)[0] == lang.say("Launch")
    if len(cards) < 12:
        assert main["description"].endswith(more_marker(12 - len(cards), lang, More.CREW))
    [[select]] = [row["components"] for row in message["components"]]
    assert select["placeholder"] == lang.say("Open a crew member…")
    assert len(select["options"]) == 12
