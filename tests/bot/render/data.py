"""Real LL2 fixtures for the renderer tests, and hostile variants of them for property tests."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from bot.ll2.freshness import Freshness, StaleReason
from bot.render.lang import catalogs
from tests.paths import fixture

FLIGHT_219 = "2.2.0_spacecraft_flight_219_detail.json"
FLIGHT_186 = "2.2.0_spacecraft_flight_186_list_item.json"
FLIGHT_90 = "2.2.0_spacecraft_flight_90_list_item.json"
ASTRONAUT_545 = "2.2.0_astronaut_545_detail.json"
ASTRONAUT_LIST = "2.2.0_astronaut_list_status1_limit100.json"

NOW = datetime(2025, 1, 1, tzinfo=UTC)
FETCHED_AT = datetime(2024, 12, 31, 23, 0, tzinfo=UTC)
FRESH = Freshness(fetched_at=FETCHED_AT)
STALE = Freshness(fetched_at=FETCHED_AT, stale_reason=StaleReason.THROTTLED, from_cache=True)
READERS = ("en-US", *sorted(catalogs()))
"""Every language a reply can be in (Discord locales): English and each catalog's."""

HOSTILE_SNIPPETS = (
    "@everyone",
    "@here",
    "<@123>",
    "<@&456>",
    "<@!78901234567890123>",
    "**bold**",
    "__under__",
    "`code`",
    "```block```",
    "~~strike~~",
    "||spoiler||",
    "> quote",
    "# heading",
    "[link](https://x.y)",
    "\\",
    "\n",
    "…",
    " ",
    "https://example.com/a_b_c",
)
HOSTILE_URLS = (
    None,
    "",
    "ftp://x",
    "javascript:alert(1)",
    "/relative",
    " http://x.y ",
    "http://",
    "https://x.y/" + "a" * 2100,
    "http://exa mple.com",
    "http://[::1",
    "https://ex\u00e4mple.com/\u00e4",
    "https://" + "\u2603" * 70 + ".com",
    "https://x.y/@everyone",
    "https://images.example.com/ok.jpg",
)


def load(name: str) -> dict[str, Any]:
    """A fresh, mutable copy of one fixture's JSON."""
    data: dict[str, Any] = json.loads(fixture(name).read_text(encoding="utf-8"))
    return data


def hostile_text(*lengths: int) -> st.SearchStrategy[str]:
    """Text made of markdown, mentions and random characters, repeated to one of `lengths`."""
    piece = st.one_of(st.sampled_from(HOSTILE_SNIPPETS), st.text(max_size=8))
    return st.builds(
        lambda parts, length: ("".join(parts) * length)[:length],
        st.lists(piece, min_size=1, max_size=5).filter(lambda parts: "".join(parts) != ""),
        st.sampled_from(lengths),
    )


NAMES = hostile_text(1, 12, 500)
LONG_TEXTS = hostile_text(40, 900, 10_000)
URLS = st.sampled_from(HOSTILE_URLS)


@st.composite
def palette(draw: st.DrawFn) -> tuple[list[str], list[str], list[str | None]]:
    """A few hostile names, long texts and URLs to spread over many objects."""
    names = draw(st.lists(NAMES, min_size=3, max_size=3))
    texts = draw(st.lists(LONG_TEXTS, min_size=2, max_size=2))
    urls = draw(st.lists(URLS, min_size=3, max_size=3))
    return names, texts, urls


def hostile_astronaut(
    template: dict[str, Any],
    astronaut_id: int,
    colours: tuple[list[str], list[str], list[str | None]],
) -> dict[str, Any]:
    """`template` with hostile texts and URLs picked from `colours` by `astronaut_id`."""
    names, texts, urls = colours
    pick = astronaut_id
    astronaut = copy.deepcopy(template)
    astronaut.update(
        id=astronaut_id,
        name=names[pick % 3],
        bio=texts[pick % 2],
        nationality=names[(pick + 1) % 3],
        wiki=urls[pick % 3],
        profile_image=urls[(pick + 1) % 3],
        profile_image_thumbnail=urls[(pick + 2) % 3],
        agency={"id": 1, "name": names[(pick + 2) % 3], "abbrev": names[pick % 3]},
        status={"id": 1, "name": names[(pick + 1) % 3]},
    )
    return astronaut


@st.composite
def hostile_flight(draw: st.DrawFn) -> dict[str, Any]:
    """Flight 219 with hostile names, URLs and texts, up to 60 crew and 40 docking events.

    Every crew member is in the launch crew; the landing crew lists some of them
    twice, so each phase must still show a person once.
    """
    colours = draw(palette())
    names, texts, urls = colours
    flight = load(FLIGHT_219)
    spacecraft = flight["spacecraft"]
    spacecraft.update(name=names[0], image_url=urls[0])
    spacecraft["spacecraft_config"].update(wiki_link=urls[1], info_link=urls[2], image_url=urls[2])
    launch = flight["launch"]
    launch["mission"].update(name=names[1], description=texts[0])
    launch["pad"]["name"] = names[2]
    launch["pad"]["location"]["name"] = names[0]
    flight["destination"] = names[1]
    flight["landing"]["location"]["name"] = names[2]
    flight["landing"]["type"]["name"] = names[0]
    flight["landing"]["description"] = texts[1]
    flight["landing"]["success"] = draw(st.sampled_from([True, False, None]))
    template = flight["launch_crew"][0]["astronaut"]
    crew_size = draw(st.sampled_from([0, 1, 3, 9, 26, 60]))
    people = [hostile_astronaut(template, 10_000 + index, colours) for index in range(crew_size)]
    onboard = draw(st.integers(0, crew_size))

    def members(astronauts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {"id": index, "role": {"id": 1, "role": names[index % 3]}, "astronaut": astronaut}
            for index, astronaut in enumerate(astronauts)
        ]

    flight["launch_crew"] = members(people)
    flight["onboard_crew"] = members(people[:onboard])
    flight["landing_crew"] = members(people + people[: crew_size // 2])
    event = flight["docking_events"][0]
    flight["docking_events"] = [
        copy.deepcopy(event)
        | {
            "id": index,
            "departure": event["departure"] if index % 2 else None,
            "docking_location": {"id": 1, "name": names[index % 3]},
            "spacestation": event["spacestation"] | {"name": names[(index + 1) % 3]},
        }
        for index in range(draw(st.sampled_from([0, 1, 40])))
    ]
    return flight


def field_value(embed: dict[str, Any], name: str) -> str:
    """The value of the embed field called `name` (KeyError if there is none)."""
    for field in embed.get("fields") or []:
        if field["name"] == name:
            value: str = field["value"]
            return value
    raise KeyError(name)


def field_names(embed: dict[str, Any]) -> list[str]:
    return [field["name"] for field in embed.get("fields") or []]


def three_dockings() -> dict[str, Any]:
    """Flight 219 moved twice between ports (as Soyuz crews do): three docking events."""
    flight = load(FLIGHT_219)
    first = flight["docking_events"][0]
    ports = (
        ("Zarya nadir", "2009-05-29T12:43:00Z", "2009-07-02T10:00:00Z"),
        ("Poisk zenith", "2009-07-02T10:30:00Z", "2009-10-20T08:00:00Z"),
        ("Rassvet nadir", "2009-10-20T08:40:00Z", "2009-12-01T03:56:00Z"),
    )
    flight["docking_events"] = [
        copy.deepcopy(first)
        | {
            "id": 900 + index,
            "docking": docking,
            "departure": departure,
            "docking_location": {"id": 20 + index, "name": port},
        }
        for index, (port, docking, departure) in enumerate(ports)
    ]
    return flight


def in_space(now: datetime = NOW, days: int = 42) -> dict[str, Any]:
    """Flight 219 launched `days` before `now`, still docked, nothing about its end."""
    flight = load(FLIGHT_219)
    launch = now - timedelta(days=days, hours=5)
    flight["launch"]["net"] = launch.isoformat()
    flight["spacecraft"]["in_space"] = True
    flight["mission_end"] = None
    flight["landing"] = None
    event = flight["docking_events"][0]
    event["docking"] = (launch + timedelta(days=2)).isoformat()
    event["departure"] = None
    return flight


def nulls_everywhere(flight_id: int = 4242) -> dict[str, Any]:
    """A flight of which LL2 knows nothing but its id: every other key null."""
    keys = load(FLIGHT_219).keys() - {"id"}
    return {key: None for key in keys} | {"id": flight_id}


def crew_of_thirty_pinging(launch: dict[str, Any]) -> dict[str, Any]:
    """`launch` (an upcoming launch's JSON, changed in place) with a crew of 30 whose names
    are 10,000 characters of "@everyone"."""
    stage = launch["rocket"]["spacecraft_stage"]
    member = stage["launch_crew"][0]
    stage["launch_crew"] = [
        {**member, "astronaut": {**member["astronaut"], "id": n, "name": "@everyone " * 1000}}
        for n in range(30)
    ]
    return launch
