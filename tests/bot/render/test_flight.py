"""`render_flight` on flight 219 (Soyuz TMA-15) and hostile variants of it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from hypothesis import given, settings

from bot.ll2.models import SpacecraftFlight
from bot.render.custom_ids import CREW_SELECT_CUSTOM_ID
from bot.render.flight import render_flight
from tests.bot.render.data import (
    FETCHED_AT,
    FLIGHT_219,
    FRESH,
    NOW,
    STALE,
    field_names,
    field_value,
    hostile_flight,
    load,
)
from tests.bot.render.limits import assert_within_discord_limits

DOCKED = "<t:1243600980:f>"  # 2009-05-29 12:43 UTC
DEPARTED = "<t:1259639760:f>"  # 2009-12-01 03:56 UTC


def render(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    flight = SpacecraftFlight.model_validate(data | changes)
    message = render_flight(flight, FRESH, NOW).to_dict()
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
    main = render_flight(flight, STALE, NOW).to_dict()["embeds"][0]
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
    main = render_flight(flight, FRESH, now).to_dict()["embeds"][0]
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


@settings(max_examples=50, derandomize=True, deadline=None)
@given(hostile_flight())
def test_hostile_flights_stay_within_limits(data: dict[str, Any]) -> None:
    flight = SpacecraftFlight.model_validate(data)
    message = render_flight(flight, STALE, NOW).to_dict()
    assert_within_discord_limits(message)
    main, cards = message["embeds"][0], message["embeds"][1:]
    crew = len(flight.crew)
    if len(cards) < crew:
        assert main["description"].endswith(f"… and {crew - len(cards)} more crew")
    if crew > 25:
        placeholder = message["components"][0]["components"][0]["placeholder"]
        assert f"({crew - 25} more not listed)" in placeholder
    if flight.docking_events:
        docking = field_value(main, "Docking")
        shown = docking.count("docked <t:")
        if shown < len(flight.docking_events):
            assert docking.endswith((f"and {len(flight.docking_events) - shown} more", "…"))


def test_a_flight_that_is_over_is_rendered_once_per_document() -> None:
    """Its message reads the same at any later time: made once for this parsed copy
    and freshness, and made anew for another copy or freshness."""
    flight = SpacecraftFlight.model_validate(load(FLIGHT_219))
    first = render_flight(flight, FRESH, NOW)
    assert render_flight(flight, FRESH, NOW + timedelta(days=400)) is first
    stale = render_flight(flight, STALE, NOW)
    assert stale is not first and "⚠️ Data from" in stale.to_dict()["embeds"][0]["description"]
    copy = SpacecraftFlight.model_validate(load(FLIGHT_219))
    again = render_flight(copy, FRESH, NOW)
    assert again is not first and again.to_dict() == first.to_dict()


def test_a_flight_in_space_is_rendered_for_its_time() -> None:
    data = load(FLIGHT_219)
    data["spacecraft"]["in_space"] = True
    data["launch"]["net"] = (NOW - timedelta(days=3)).isoformat()
    flight = SpacecraftFlight.model_validate(data | {"mission_end": None, "landing": None})
    first = render_flight(flight, FRESH, NOW).to_dict()["embeds"][0]
    later = render_flight(flight, FRESH, NOW + timedelta(minutes=1)).to_dict()["embeds"][0]
    assert field_value(first, "Mission end").startswith("In space for 3d 0h 0m")
    assert field_value(later, "Mission end").startswith("In space for 3d 0h 1m")
