"""`render_crew` on astronaut 545 (Robert L. Behnken) and hostile variants of him."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ll2.models import Astronaut
from bot.render.crew import BIO_LIMIT, render_crew
from bot.render.lang import ENGLISH, Lang, lang_for
from bot.render.text import more_marker
from tests.bot.render.data import (
    ASTRONAUT_545,
    FETCHED_AT,
    FRESH,
    LONG_TEXTS,
    NAMES,
    NOW,
    READERS,
    STALE,
    URLS,
    field_names,
    field_value,
    load,
)
from tests.bot.render.limits import assert_within_discord_limits


def render(data: dict[str, Any], lang: Lang = ENGLISH) -> dict[str, Any]:
    message = render_crew(Astronaut.model_validate(data), FRESH, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    [embed] = message["embeds"]
    assert message["components"] == []
    assert isinstance(embed, dict)
    return embed


LAUNCHES = (
    "<t:1205216894:D> — Space Shuttle Endeavour / OV-105 \\| STS-123\n"
    "<t:1265620440:D> — Space Shuttle Endeavour / OV-105 \\| STS-130\n"
    "<t:1590866565:D> — Falcon 9 Block 5 \\| SpX-DM2 (Demonstration Mission 2)"
)
FIRST, LAST = "<t:1205216894:D>", "<t:1590866565:D>"
NASA = "National Aeronautics and Space Administration"


@pytest.mark.parametrize(
    ("locale", "fields", "footer"),
    [
        (
            "en-US",
            [
                ("Agency", NASA),
                ("Nationality", "American"),
                ("Status", "Active"),
                ("Born", "<t:18014400:D> (age 54)"),
                ("Flights", "3"),
                ("First flight", FIRST),
                ("Last flight", LAST),
                ("Launches (3 flights)", LAUNCHES),
            ],
            "Astronaut 545 · Data: Launch Library 2 (The Space Devs)",
        ),
        (
            "de",
            [
                ("Agentur", NASA),
                ("Nationalität", "American"),
                ("Status", "Aktiv"),
                ("Geboren", "<t:18014400:D> (54 Jahre)"),
                ("Flüge", "3"),
                ("Erster Flug", FIRST),
                ("Letzter Flug", LAST),
                ("Starts (3 Flüge)", LAUNCHES),
            ],
            "Raumfahrer 545 · Daten: Launch Library 2 (The Space Devs)",
        ),
    ],
)
def test_astronaut_545(locale: str, fields: list[tuple[str, str]], footer: str) -> None:
    """Capcom's labels, the status and the age in the reader's language; names, places
    and LL2's nationality as LL2 has them."""
    data = load(ASTRONAUT_545)
    embed = render(data, lang_for(locale))
    assert embed["title"] == "Robert L. Behnken"
    assert embed["url"] == "https://en.wikipedia.org/wiki/Robert_L._Behnken"
    assert embed["thumbnail"]["url"] == data["profile_image"]
    assert [(field["name"], field["value"]) for field in embed["fields"]] == fields
    assert embed["footer"]["text"] == footer
    assert embed["timestamp"] == FETCHED_AT.isoformat()


def test_bio_cut_at_a_sentence_boundary() -> None:
    data = load(ASTRONAUT_545)
    bio = render(data)["description"]
    assert len(data["bio"]) > BIO_LIMIT
    assert bio.endswith("including 19 hours of spacewalk time. …")
    assert "He is married" not in bio
    assert data["bio"].startswith(bio.removesuffix(" …"))


def died_in_space(**changes: Any) -> dict[str, Any]:
    """Astronaut 545 as if he had died (at 49) in space, with EVA and time in space."""
    return load(ASTRONAUT_545) | {
        "date_of_death": "2020-07-27",
        "in_space": True,
        "eva_time": "PT61H10M",
        "time_in_space": "P93DT11H",
        **changes,
    }


def test_died_in_space_now_and_eva() -> None:
    embed = render(died_in_space())
    assert field_value(embed, "Born") == "<t:18014400:D>"
    assert field_value(embed, "Died") == "<t:1595851200:D> (aged 49)"
    assert field_value(embed, "In space now") == "🚀 Yes"
    assert field_value(embed, "EVA time") == "2d 13h 10m"
    assert field_value(embed, "Time in space") == "93d 11h 0m"


def test_sparse_astronaut() -> None:
    embed = render({"id": 7, "name": ""})
    assert embed["title"] == "Astronaut 7"
    assert "description" not in embed
    assert "thumbnail" not in embed


def test_stale_warning_before_the_bio() -> None:
    astronaut = Astronaut.model_validate(load(ASTRONAUT_545))
    [embed] = render_crew(astronaut, STALE, NOW, ENGLISH).to_dict()["embeds"]
    first, _, rest = embed["description"].partition("\n\n")
    assert first.endswith("— LL2 is rate-limiting")
    assert rest.startswith('Robert Louis "Bob" Behnken')


@pytest.mark.parametrize("locale", READERS)
@settings(max_examples=25, derandomize=True, deadline=None)
@given(
    name=NAMES,
    bio=LONG_TEXTS,
    url=URLS,
    flights=st.sampled_from([0, 3, 80]),
    flight_name=NAMES,
)
def test_hostile_astronauts_stay_within_limits(
    locale: str, name: str, bio: str, url: str | None, flights: int, flight_name: str
) -> None:
    lang = lang_for(locale)
    data = load(ASTRONAUT_545)
    template = data["flights"][0]
    data.update(
        name=name,
        bio=bio,
        wiki=url,
        profile_image=url,
        nationality=name,
        flights=[template | {"id": str(n), "name": flight_name} for n in range(flights)],
    )
    data["agency"]["name"] = name
    message = render_crew(Astronaut.model_validate(data), STALE, NOW, lang).to_dict()
    assert_within_discord_limits(message)
    if flights:
        title = lang.say_n("Launches ({count} flight)", "Launches ({count} flights)", flights)
        listed = field_value(message["embeds"][0], title)
        shown = listed.count("<t:")
        if shown < flights:
            assert listed.endswith((more_marker(flights - shown, lang), "…"))


def test_an_astronaut_who_died_in_russian_and_japanese() -> None:
    data = died_in_space(status={"id": 11, "name": "Deceased"})
    russian = render(data, lang_for("ru"))
    assert field_value(russian, "Сейчас в космосе") == "🚀 Да"
    assert field_value(russian, "Статус") == "Нет в живых"
    assert field_value(russian, "Дата рождения") == "<t:18014400:D>"
    assert field_value(russian, "Дата смерти") == "<t:1595851200:D> (в возрасте 49 лет)"
    assert field_value(russian, "Время в открытом космосе") == "2 д. 13 ч 10 мин"
    assert field_value(russian, "Время в космосе") == "93 д. 11 ч 0 мин"
    assert "Запуски (3 полёта)" in field_names(russian)
    japanese = render(data, lang_for("ja"))
    assert field_value(japanese, "没年月日") == "<t:1595851200:D>（49歳没）"
    assert field_value(japanese, "船外活動時間") == "2 日 13 時間 10 分"
    assert "打ち上げ（3回）" in field_names(japanese)


def test_a_status_ll2_added_later_shows_by_its_own_name() -> None:
    data = load(ASTRONAUT_545) | {"status": {"id": 99, "name": "Suspended"}}
    assert field_value(render(data, lang_for("de")), "Status") == "Suspended"
