"""`render_in_space` with astronauts from the real active-astronaut list, and hostile crews."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ll2.models import Astronaut, Page
from bot.ll2.results import CraftCrew
from bot.render.inspace import render_in_space
from bot.render.lang import ENGLISH, Lang, catalogs, lang_for
from tests.bot.render.data import (
    ASTRONAUT_LIST,
    FRESH,
    NAMES,
    NOW,
    STALE,
    field_names,
    field_value,
    hostile_astronaut,
    load,
    palette,
)
from tests.bot.render.limits import assert_within_discord_limits

LAUNCHED = datetime(2024, 9, 11, 16, 23, tzinfo=UTC)
EVERY_LANGUAGE = ["en-US", *sorted(catalogs())]


def astronauts() -> list[Astronaut]:
    return list(Page[Astronaut].model_validate(load(ASTRONAUT_LIST)).results)


def render(crews: list[CraftCrew], lang: Lang = ENGLISH) -> dict[str, Any]:
    message = render_in_space(crews, FRESH, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    [embed] = message["embeds"]
    assert isinstance(embed, dict)
    return embed


def test_people_grouped_by_craft() -> None:
    people = astronauts()
    crews = [
        CraftCrew("Soyuz MS-26", tuple(people[:3]), 2000, "International Space Station", LAUNCHED),
        CraftCrew("Tiangong", tuple(people[3:4]), station="Tiangong"),
    ]
    embed = render(crews)
    assert embed["title"] == "4 people in space right now"
    assert field_names(embed) == [
        "Soyuz MS-26 → International Space Station · flight 2000",
        "Tiangong",
    ]
    assert field_value(embed, field_names(embed)[0]).splitlines() == [
        "Aidyn Aimbetov — KazCosmos — up for 111d 7h 37m",
        "Ivan Vagner — RFSA — up for 111d 7h 37m",
        "Eric Boe — NASA — up for 111d 7h 37m",
    ]
    last_flight = people[3].last_flight
    assert last_flight is not None
    assert field_value(embed, "Tiangong").endswith(f"up for {_duration_since(last_flight)}")


def _duration_since(moment: datetime) -> str:
    minutes = int((NOW - moment).total_seconds()) // 60
    days, rest = divmod(minutes, 1440)
    return f"{days:,}d {rest // 60}h {rest % 60}m"


def test_person_counted_once_and_singular_title() -> None:
    [person] = astronauts()[:1]
    embed = render([CraftCrew("Dragon", (person,)), CraftCrew("ISS", (person,))])
    assert embed["title"] == "1 person in space right now"


def test_a_craft_no_cached_flight_names_is_named_in_the_readers_language() -> None:
    people = astronauts()
    crews = [
        CraftCrew(None, tuple(people[:1]), 2000, "International Space Station"),
        CraftCrew(None, tuple(people[1:2]), launched_at=LAUNCHED),
        CraftCrew(None, tuple(people[2:3])),
    ]
    assert field_names(render(crews)) == [
        "Flight 2000 → International Space Station",
        "Launched Sep 11, 2024",
        "Unknown spacecraft",
    ]
    assert field_names(render(crews, lang_for("de"))) == [
        "Flug 2000 → International Space Station",
        "Gestartet am 11. Sept. 2024",
        "Unbekanntes Raumschiff",
    ]


def test_nobody_in_space() -> None:
    embed = render([])
    assert embed["title"] == "Nobody in space right now"
    assert "no one" in embed["description"]
    assert render([CraftCrew("Dragon", ())])["title"] == "Nobody in space right now"


def test_stale_warning() -> None:
    crews = [CraftCrew("Soyuz", tuple(astronauts()[:1]))]
    [embed] = render_in_space(crews, STALE, NOW, ENGLISH).to_dict()["embeds"]
    assert embed["description"].startswith("⚠️ Data from <t:")


def test_people_in_space_in_german_and_russian() -> None:
    people = astronauts()
    crews = [
        CraftCrew("Soyuz MS-26", tuple(people[:3]), 2000, "International Space Station", LAUNCHED),
        CraftCrew("", (), station=None),
    ]
    german = render(crews, lang_for("de"))
    assert german["title"] == "Gerade sind 3 Menschen im All"
    assert german["description"].startswith("Nach Raumschiff oder Station gruppiert.")
    assert field_names(german) == [
        "Soyuz MS-26 → International Space Station · Flug 2000",
        "Unbekanntes Raumschiff",
    ]
    assert field_value(german, "Unbekanntes Raumschiff") == "Keine Crew angegeben"
    russian = render(crews, lang_for("ru"))
    assert russian["title"] == "Сейчас в космосе 3 человека"
    assert field_value(russian, field_names(russian)[0]).splitlines() == [
        "Aidyn Aimbetov — KazCosmos — в космосе 111 д. 7 ч 37 мин",
        "Ivan Vagner — RFSA — в космосе 111 д. 7 ч 37 мин",
        "Eric Boe — NASA — в космосе 111 д. 7 ч 37 мин",
    ]
    alone = render([CraftCrew("", tuple(people[:1])), CraftCrew("Dragon", ())], lang_for("ru"))
    assert alone["title"] == "Сейчас в космосе 1 человек"
    assert field_names(alone) == ["Неизвестный корабль", "Dragon"]
    assert field_value(alone, "Dragon") == "Экипаж не указан"


def test_nobody_in_space_in_japanese() -> None:
    embed = render([], lang_for("ja"))
    assert embed["title"] == "現在宇宙にいる人はいません"
    assert embed["description"] == "LL2 によると、現在宇宙に滞在している人はいません。🌍"
    one = [CraftCrew("Dragon", tuple(astronauts()[:1]))]
    assert render(one, lang_for("ja"))["title"] == "現在宇宙にいるのは1人"


@pytest.mark.parametrize("locale", EVERY_LANGUAGE)
def test_thirty_crafts_of_twelve_with_long_names_fit_in_every_language(locale: str) -> None:
    template = load(ASTRONAUT_LIST)["results"][0]
    lang = lang_for(locale)
    crews = [
        CraftCrew(
            craft=f"Raumschiff mit einem sehr langen Namen {n} " * 5,
            astronauts=tuple(
                Astronaut.model_validate(
                    template | {"id": n * 100 + i, "name": f"Aleksandr Aleksandrovich {i} " * 8}
                )
                for i in range(12)
            ),
            flight_id=n,
            station="Международная космическая станция " * 4,
            launched_at=LAUNCHED,
        )
        for n in range(30)
    ]
    embed = render(crews, lang)
    assert embed["title"] == lang.say_n(
        "{count} person in space right now", "{count} people in space right now", 360
    )
    assert embed["fields"][-1] == {
        "name": lang.say("More"),
        "value": lang.say_n("… and {count} more", "… and {count} more", 6),
        "inline": False,
    }


@settings(max_examples=50, derandomize=True, deadline=None)
@given(
    colours=palette(),
    craft=NAMES,
    crafts=st.sampled_from([1, 3, 30]),
    per_craft=st.sampled_from([1, 7, 60]),
    locale=st.sampled_from(EVERY_LANGUAGE),
)
def test_hostile_crews_stay_within_limits(
    colours: tuple[list[str], list[str], list[str | None]],
    craft: str,
    crafts: int,
    per_craft: int,
    locale: str,
) -> None:
    template = load(ASTRONAUT_LIST)["results"][0]
    crews = [
        CraftCrew(
            craft=f"{craft}{n}",
            astronauts=tuple(
                Astronaut.model_validate(hostile_astronaut(template, n * 100 + i, colours))
                for i in range(per_craft)
            ),
            station=craft,
            launched_at=LAUNCHED,
        )
        for n in range(crafts)
    ]
    lang = lang_for(locale)
    message = render_in_space(crews, STALE, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    [embed] = message["embeds"]
    people = crafts * per_craft
    assert embed["title"] == lang.say_n(
        "{count} person in space right now", "{count} people in space right now", people
    )
    if crafts > 25:
        assert embed["fields"][-1]["value"] == lang.say_n(
            "… and {count} more", "… and {count} more", crafts - 24
        )
