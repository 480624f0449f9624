"""The renderers on what real LL2 answers hold (facts.md, "Real data").

Recorded rows are rendered as they are; where no recording holds an oddity, a variant
is built in code from a recording. Every message is checked against Discord's limits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.ll2.models import Astronaut, Page, SpacecraftFlight
from bot.ll2.results import CraftCrew
from bot.render.crew import BIO_LIMIT, render_crew
from bot.render.flight import render_flight
from bot.render.inspace import render_in_space
from bot.render.lang import ENGLISH
from bot.render.message import Message
from tests.bot.ll2.real_data import SPACECRAFT_STAGE_SHAPES, docked, with_spacecraft_stage
from tests.bot.render.data import (
    ASTRONAUT_545,
    FLIGHT_219,
    FRESH,
    NOW,
    field_names,
    field_value,
    load,
)
from tests.bot.render.limits import assert_within_discord_limits, visible_texts

ASTRONAUTS_MERGED = "2.1.0_astronaut_list_pages_merged.json"
ISS_230 = "2.3.0_space_station_4_detail.json"
ISS_RECORDED_AT = datetime(2025, 9, 3, 2, 0, tzinfo=UTC)
"""About when the ISS detail was recorded (Progress MS-30's time in space then)."""

RESNIK, ROSIE, TITO, KORSAKOV = 357, 641, 623, 651
CREW_FIELDS = ("Launch crew", "Onboard crew", "Landing crew")


def checked(message: Message) -> dict[str, Any]:
    """The message body, within Discord's limits and showing no CR and no 'None'."""
    body = message.to_dict()
    assert_within_discord_limits(body)
    for text in visible_texts(body):
        assert "\r" not in text, text[:80]
        assert "None" not in text, text[:80]
    return body


def merged_row(astronaut_id: int) -> dict[str, Any]:
    rows = load(ASTRONAUTS_MERGED)["results"]
    return next(row for row in rows if row["id"] == astronaut_id)


def astronaut_card(raw: dict[str, Any]) -> dict[str, Any]:
    [embed] = checked(render_crew(Astronaut.model_validate(raw), FRESH, NOW, ENGLISH))["embeds"]
    assert isinstance(embed, dict)
    return embed


# --- /crew on every recorded astronaut row ---------------------------------------------


def test_every_merged_row_renders_within_discord_limits() -> None:
    page = Page[Astronaut].model_validate(load(ASTRONAUTS_MERGED))
    assert len(page.results) == 623
    for astronaut in page.results:
        [embed] = checked(render_crew(astronaut, FRESH, NOW, ENGLISH))["embeds"]
        assert embed["title"]
        assert embed["footer"]["text"].startswith(f"Astronaut {astronaut.id} · ")


def test_longest_bio_is_cut_at_a_sentence_with_plain_line_breaks() -> None:
    raw = merged_row(RESNIK)
    assert len(raw["bio"]) == 1_645
    assert "\r\n\r\n" in raw["bio"]
    description = astronaut_card(raw)["description"]
    assert len(description) <= BIO_LIMIT
    assert description.startswith(
        "Judith Arlene Resnik was an American electrical engineer, software engineer,"
    )
    assert "during the launch of mission STS-51-L.\n\nRecognised while still a child" in (
        description
    )
    assert description.endswith("…")


def test_non_human_astronaut() -> None:
    embed = astronaut_card(merged_row(ROSIE))
    assert embed["title"] == "Rosie the Astronaut"
    assert field_value(embed, "Nationality") == "Earthling"
    assert field_value(embed, "Agency") == "Boeing"
    assert field_value(embed, "First flight") == "<t:1576841803:D>"
    assert embed["description"].startswith("Rosie the Astronaut is an Anthropomorphic Test Device")


def test_space_tourist_without_agency_photo_or_wiki() -> None:
    embed = astronaut_card(merged_row(TITO))
    assert embed["title"] == "Dennis Tito"
    assert field_names(embed) == ["Nationality", "Status", "Born", "First flight", "Last flight"]
    assert field_value(embed, "Born").endswith("(age 84)")
    assert "thumbnail" not in embed
    assert "url" not in embed


def test_never_flown_without_photo_or_birth_date() -> None:
    """No recorded row lacks a birth date, so Korsakov's is removed here."""
    embed = astronaut_card(merged_row(KORSAKOV) | {"date_of_birth": None})
    assert field_names(embed) == ["Agency", "Nationality", "Status"]
    assert "thumbnail" not in embed
    assert embed["url"] == "https://en.wikipedia.org/wiki/Sergey_Korsakov_(cosmonaut)"


# --- /flight with real crew rows, role shapes, shapes Capcom does not read ------------------


def test_flight_crew_from_real_rows_with_every_role_shape() -> None:
    """A 2.0.0 string role, an object role and no role; a row repeated as unstable paging
    repeats it; a non-human, a tourist without agency or photo, a photo-less cosmonaut."""
    rosie, tito, korsakov = (merged_row(i) for i in (ROSIE, TITO, KORSAKOV))
    participant = {"id": 7, "role": "Spaceflight Participant", "priority": 3}
    crew = [
        {"id": 1, "role": "Commander", "astronaut": rosie},
        {"id": 2, "role": participant, "astronaut": tito},
        {"id": 3, "role": None, "astronaut": korsakov},
    ]
    data = load(FLIGHT_219) | {"launch_crew": crew, "landing_crew": [*crew, crew[1]]}
    body = checked(render_flight(SpacecraftFlight.model_validate(data), FRESH, NOW, ENGLISH))
    main, *cards = body["embeds"]
    lines = [
        "Rosie the Astronaut — Commander",
        "Dennis Tito — Spaceflight Participant",
        "Sergey Vladimirovich Korsakov",
    ]
    assert field_value(main, "Launch crew").splitlines() == lines
    assert field_value(main, "Landing crew").splitlines() == lines
    [[menu]] = [row["components"] for row in body["components"]]
    described = [(option["label"], option.get("description")) for option in menu["options"]]
    assert described == [
        ("Rosie the Astronaut", "Commander"),
        ("Dennis Tito", "Spaceflight Participant"),
        ("Sergey Vladimirovich Korsakov", None),
    ]
    rosie_card, tito_card, korsakov_card = cards
    assert field_value(rosie_card, "Nationality") == "Earthling"
    assert "Agency" not in field_names(tito_card)
    assert "thumbnail" not in tito_card
    assert "thumbnail" not in korsakov_card
    assert "description" not in korsakov_card


@pytest.mark.parametrize("shape", ["station onboard_crew count", *SPACECRAFT_STAGE_SHAPES])
def test_shapes_capcom_does_not_read_leave_the_flight_unchanged(shape: str) -> None:
    data = load(FLIGHT_219)
    if shape == "station onboard_crew count":
        data["onboard_crew"] = load(ISS_230)["onboard_crew"]
    else:
        data = with_spacecraft_stage(data, shape)
    expected = checked(
        render_flight(SpacecraftFlight.model_validate(load(FLIGHT_219)), FRESH, NOW, ENGLISH)
    )
    assert (
        checked(render_flight(SpacecraftFlight.model_validate(data), FRESH, NOW, ENGLISH))
        == expected
    )
    assert "Onboard crew" not in field_names(expected["embeds"][0])


# --- flights embedded in other objects: no crew keys ---------------------------------------


def iss_chasers() -> dict[str, dict[str, Any]]:
    """The flights docked to the ISS in its 2.3.0 detail, by port."""
    return {port: event["flight_vehicle_chaser"] for port, event in docked(load(ISS_230)).items()}


def render_embedded(raw: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A flight embedded without crew keys: one embed, no crew, no crew menu."""
    assert not {"launch_crew", "onboard_crew", "landing_crew"} & raw.keys()
    body = checked(render_flight(SpacecraftFlight.model_validate(raw), FRESH, now, ENGLISH))
    [main] = body["embeds"]
    assert body["components"] == []
    assert not set(CREW_FIELDS) & set(field_names(main))
    assert main["title"] == raw["spacecraft"]["name"]
    assert isinstance(main, dict)
    return main


@pytest.mark.parametrize(
    ("port", "site"),
    [
        ("Zvezda aft", "Baikonur Cosmodrome, Republic of Kazakhstan"),
        ("Poisk zenith", "Baikonur Cosmodrome, Republic of Kazakhstan"),
        ("Harmony forward", "Kennedy Space Center, FL, USA"),
        ("Harmony zenith", "Kennedy Space Center, FL, USA"),
        ("Prichal nadir", "Baikonur Cosmodrome, Republic of Kazakhstan"),
    ],
)
def test_flights_docked_to_the_iss(port: str, site: str) -> None:
    """2.3.0 chasers: a pad's country is an object there, an agency's a list."""
    main = render_embedded(iss_chasers()[port], ISS_RECORDED_AT)
    assert f"\nSite: {site}\n" in field_value(main, "Launch")
    assert main["thumbnail"]["url"].startswith("https://thespacedevs-prod.")


def test_flights_in_an_astronauts_landings() -> None:
    landings = load(ASTRONAUT_545)["landings"]
    mains = [render_embedded(raw, NOW) for raw in landings]
    assert [main["title"] for main in mains] == [
        "Space Shuttle Endeavour",
        "Space Shuttle Endeavour",
        "Crew Dragon Endeavour",
    ]
    for main in mains:
        # The mission has ended: it must not claim the flight has not landed yet.
        assert field_value(main, "Mission end").startswith("Ended <t:")
        assert field_value(main, "Landing") == "Not recorded"


def test_flight_docked_to_the_iss_yet_marked_back_on_earth() -> None:
    """Crew Dragon Endurance: docked per the station, not in space per its spacecraft."""
    main = render_embedded(iss_chasers()["Harmony forward"], ISS_RECORDED_AT)
    assert field_value(main, "Landing") == "Not recorded"
    assert "Mission end" not in field_names(main)


# --- /inspace with real rows -----------------------------------------------------------


def test_in_space_lists_a_repeated_row_once_and_skips_a_missing_agency() -> None:
    rows = load(ASTRONAUTS_MERGED)["results"]
    repeated = [row for row in rows if row["id"] == 276]  # Franz Viehböck, on two pages
    assert len(repeated) == 2
    people = Page[Astronaut].model_validate({"results": [*repeated, merged_row(TITO)]}).results
    launched = datetime(2024, 12, 1, tzinfo=UTC)
    crew = CraftCrew("Soyuz TM-13", tuple(people), 13, "Mir", launched)
    [embed] = checked(render_in_space([crew], FRESH, NOW, ENGLISH))["embeds"]
    assert embed["title"] == "2 people in space right now"
    assert field_value(embed, "Soyuz TM-13 → Mir · flight 13").splitlines() == [
        "Franz Viehböck — ALR — up for 31d 0h 0m",
        "Dennis Tito — up for 31d 0h 0m",
    ]
