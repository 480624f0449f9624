"""`render_in_space` with astronauts from the real active-astronaut list, and hostile crews."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ll2.models import Astronaut, Page
from bot.ll2.results import CraftCrew
from bot.render.inspace import render_in_space
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


def astronauts() -> list[Astronaut]:
    return list(Page[Astronaut].model_validate(load(ASTRONAUT_LIST)).results)


def render(crews: list[CraftCrew]) -> dict[str, Any]:
    message = render_in_space(crews, FRESH, NOW).to_dict()
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


def test_nobody_in_space() -> None:
    embed = render([])
    assert embed["title"] == "Nobody in space right now"
    assert "no one" in embed["description"]
    assert render([CraftCrew("Dragon", ())])["title"] == "Nobody in space right now"


def test_stale_warning() -> None:
    crews = [CraftCrew("Soyuz", tuple(astronauts()[:1]))]
    [embed] = render_in_space(crews, STALE, NOW).to_dict()["embeds"]
    assert embed["description"].startswith("⚠️ Data from <t:")


@settings(max_examples=50, derandomize=True, deadline=None)
@given(
    colours=palette(),
    craft=NAMES,
    crafts=st.sampled_from([1, 3, 30]),
    per_craft=st.sampled_from([1, 7, 60]),
)
def test_hostile_crews_stay_within_limits(
    colours: tuple[list[str], list[str], list[str | None]], craft: str, crafts: int, per_craft: int
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
    message = render_in_space(crews, STALE, NOW).to_dict()
    assert_within_discord_limits(message)
    [embed] = message["embeds"]
    people = crafts * per_craft
    assert embed["title"] == f"{people} {'person' if people == 1 else 'people'} in space right now"
    if crafts > 25:
        assert embed["fields"][-1]["value"] == f"… and {crafts - 24} more"
