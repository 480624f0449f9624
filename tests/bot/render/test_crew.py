"""`render_crew` on astronaut 545 (Robert L. Behnken) and hostile variants of him."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ll2.models import Astronaut
from bot.render.crew import BIO_LIMIT, render_crew
from tests.bot.render.data import (
    ASTRONAUT_545,
    FETCHED_AT,
    FRESH,
    LONG_TEXTS,
    NAMES,
    NOW,
    STALE,
    URLS,
    field_names,
    field_value,
    load,
)
from tests.bot.render.limits import assert_within_discord_limits


def render(data: dict[str, Any]) -> dict[str, Any]:
    message = render_crew(Astronaut.model_validate(data), FRESH, NOW).to_dict()
    assert_within_discord_limits(message)
    [embed] = message["embeds"]
    assert message["components"] == []
    assert isinstance(embed, dict)
    return embed


def test_astronaut_545() -> None:
    data = load(ASTRONAUT_545)
    embed = render(data)
    assert embed["title"] == "Robert L. Behnken"
    assert embed["url"] == "https://en.wikipedia.org/wiki/Robert_L._Behnken"
    assert embed["thumbnail"]["url"] == data["profile_image"]
    assert field_value(embed, "Agency") == "National Aeronautics and Space Administration"
    assert field_value(embed, "Nationality") == "American"
    assert field_value(embed, "Status") == "Active"
    assert field_value(embed, "Born") == "<t:18014400:D> (age 54)"
    assert field_value(embed, "Flights") == "3"
    assert field_value(embed, "First flight") == "<t:1205216894:D>"
    assert field_value(embed, "Last flight") == "<t:1590866565:D>"
    assert "In space now" not in field_names(embed)
    assert "Died" not in field_names(embed)
    assert embed["footer"]["text"] == "Astronaut 545 · Data: Launch Library 2 (The Space Devs)"
    assert embed["timestamp"] == FETCHED_AT.isoformat()


def test_bio_cut_at_a_sentence_boundary() -> None:
    data = load(ASTRONAUT_545)
    bio = render(data)["description"]
    assert len(data["bio"]) > BIO_LIMIT
    assert bio.endswith("including 19 hours of spacewalk time. …")
    assert "He is married" not in bio
    assert data["bio"].startswith(bio.removesuffix(" …"))


def test_flights_listed_with_dates() -> None:
    flights = field_value(render(load(ASTRONAUT_545)), "Launches (3 flights)")
    assert flights.splitlines() == [
        "<t:1205216894:D> — Space Shuttle Endeavour / OV-105 \\| STS-123",
        "<t:1265620440:D> — Space Shuttle Endeavour / OV-105 \\| STS-130",
        "<t:1590866565:D> — Falcon 9 Block 5 \\| SpX-DM2 (Demonstration Mission 2)",
    ]


def test_died_in_space_now_and_eva() -> None:
    data = load(ASTRONAUT_545) | {
        "date_of_death": "2020-07-27",
        "in_space": True,
        "eva_time": "PT61H10M",
        "time_in_space": "P93DT11H",
    }
    embed = render(data)
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
    [embed] = render_crew(astronaut, STALE, NOW).to_dict()["embeds"]
    first, _, rest = embed["description"].partition("\n\n")
    assert first.endswith("— LL2 is rate-limiting")
    assert rest.startswith('Robert Louis "Bob" Behnken')


@settings(max_examples=50, derandomize=True, deadline=None)
@given(
    name=NAMES,
    bio=LONG_TEXTS,
    url=URLS,
    flights=st.sampled_from([0, 3, 80]),
    flight_name=NAMES,
)
def test_hostile_astronauts_stay_within_limits(
    name: str, bio: str, url: str | None, flights: int, flight_name: str
) -> None:
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
    message = render_crew(Astronaut.model_validate(data), STALE, NOW).to_dict()
    assert_within_discord_limits(message)
    if flights:
        listed = field_value(message["embeds"][0], f"Launches ({flights} flights)")
        shown = listed.count("<t:")
        if shown < flights:
            assert listed.endswith((f"and {flights - shown} more", "…"))
