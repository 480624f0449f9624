"""What LL2 says about when a launch happens: its status and how precise its NET is.

LL2 has no scrub status (a scrub is only a NET jump while the status stays Go), and a
coarse NET is a placeholder at the end of its period (NET 30 Sep with precision
"Month"): only a NET at hour precision or finer names a time a reminder can be set for
(facts.md, *Upcoming launches*).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, model_validator

from bot.ll2.models import (
    CrewMember,
    Launch,
    LL2Model,
    Named,
    Rocket,
    SpacecraftFlight,
    Text,
    UtcDatetime,
)


class LaunchStatus(IntEnum):
    """LL2's launch status ids (`/config/launch_statuses/`); 9 exists only in 2.3.0."""

    GO = 1
    TBD = 2
    SUCCESS = 3
    FAILURE = 4
    HOLD = 5
    IN_FLIGHT = 6
    PARTIAL_FAILURE = 7
    TBC = 8
    PAYLOAD_DEPLOYED = 9

    @classmethod
    def of(cls, status_id: int | None) -> LaunchStatus | None:
        """The status for an id, or None for a missing or unknown one."""
        try:
            return None if status_id is None else cls(status_id)
        except ValueError:
            return None

    @property
    def is_scheduled(self) -> bool:
        """Still to launch: a reminder may be due (Go or to be confirmed)."""
        return self in (LaunchStatus.GO, LaunchStatus.TBC)

    @property
    def has_lifted_off(self) -> bool:
        return self in (
            LaunchStatus.IN_FLIGHT,
            LaunchStatus.PAYLOAD_DEPLOYED,
            LaunchStatus.SUCCESS,
            LaunchStatus.FAILURE,
            LaunchStatus.PARTIAL_FAILURE,
        )

    @property
    def is_outcome(self) -> bool:
        """The launch is over: it succeeded, failed or partly failed."""
        return self in (LaunchStatus.SUCCESS, LaunchStatus.FAILURE, LaunchStatus.PARTIAL_FAILURE)


EXACT_PRECISION_IDS = frozenset({0, 1, 2})
"""LL2's NET precision ids for Second, Minute and Hour: the NET is a time. Every other
precision (Day 5, Month 7, and the coarser ones) names a period whose NET is a
placeholder, usually the period's last day (Month: NET 2026-09-30T00:00Z). Ids from
the recorded answers in tests/fixtures/ll2/."""


DAY_PRECISION_ID = 5
"""NET precision Day: the NET's date is the expected day, its time (midnight) a placeholder."""
MONTH_PRECISION_ID = 7
"""NET precision Month: the NET is a placeholder, usually the month's last day."""


@dataclass(frozen=True, slots=True)
class LaunchTime:
    """When LL2 says a launch happens, as read at one moment.

    `net` is None when LL2 gives none; `precision_id` is LL2's NET precision id and
    None when missing (a missing precision is a placeholder, never a time); `status`
    is None when missing or unknown.
    """

    net: datetime | None
    precision_id: int | None
    status: LaunchStatus | None

    @property
    def exact(self) -> bool:
        """The NET is a time to the hour or finer, one a reminder can be set for."""
        return self.net is not None and self.precision_id in EXACT_PRECISION_IDS


def launch_time(launch: Launch) -> LaunchTime:
    """When `launch` happens as LL2 says it now: a launch of any shape (an upcoming
    launch, or the launch of a spacecraft flight)."""
    precision = launch.net_precision.id if launch.net_precision else None
    return LaunchTime(launch.net, precision, launch_status(launch))


def launch_status(launch: Launch) -> LaunchStatus | None:
    """The launch's status, None when missing or unknown (its `status.name` may still say)."""
    return LaunchStatus.of(launch.status.id if launch.status else None)


def _probability(value: object) -> int | None:
    """LL2's chance of good weather in percent; -1, null and anything not in 0..100: None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(float(value))
    except (OverflowError, ValueError):
        return None
    return number if 0 <= number <= 100 else None


def _web_url(value: object) -> object:
    """Only absolute http(s) URLs name a video; anything else reads as none."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _whole(value: object) -> int | None:
    """A whole number, or None for anything else (`"high"`, `true`, null)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return int(value)
    except (OverflowError, ValueError):
        return None


def _objects(value: object) -> list[Any]:
    """A list of JSON objects; other items (and a non-list) are left out."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _flag(value: object) -> bool:
    return value is True


def _stage(value: object) -> list[Any]:
    """`rocket.spacecraft_stage`: one object or null in 2.2.0, a list in 2.3.0. Items
    that cannot be a spacecraft flight (no integer id) are left out, not the launch."""
    items = value if isinstance(value, list) else [value]
    return [
        item
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("id"), int)
        and not isinstance(item.get("id"), bool)
    ]


class VideoLink(LL2Model):
    """One of a launch's webcasts (2.2.0 `vidURLs`, 2.3.0 `vid_urls`)."""

    url: Annotated[str | None, BeforeValidator(_web_url)] = None
    priority: Annotated[int | None, BeforeValidator(_whole)] = None
    title: Text = None
    publisher: Text = None
    type: Named | None = None
    live: Annotated[bool, BeforeValidator(_flag)] = False
    start_time: UtcDatetime = None


class UpcomingRocket(Rocket):
    """The rocket of a detailed launch, with its crewed spacecraft flights (none when LL2
    has not listed the crew yet: Shenzhou's appear hours before launch)."""

    spacecraft_stage: Annotated[list[SpacecraftFlight], BeforeValidator(_stage)] = Field(
        default_factory=list
    )


class UpcomingLaunch(Launch):
    """A launch as `launches/upcoming/?mode=detailed` sends it (2.2.0 or 2.3.0).

    Everything but `id` may be missing, null or unreadable: such values read as unknown
    (None, an empty list) instead of failing the page. `probability` is None when LL2
    gives none or -1. The status may be an id LL2 added later: `launch_status` is then
    None while `status.name` still says what LL2 calls it.
    """

    window_start: UtcDatetime = None
    window_end: UtcDatetime = None
    probability: Annotated[int | None, BeforeValidator(_probability)] = None
    weather_concerns: Text = None
    holdreason: Text = None
    webcast_live: Annotated[bool, BeforeValidator(_flag)] = False
    last_updated: UtcDatetime = None
    vid_urls: Annotated[list[VideoLink], BeforeValidator(_objects)] = Field(default_factory=list)
    rocket: UpcomingRocket | None = None

    @model_validator(mode="before")
    @classmethod
    def _fold_220(cls, data: Any) -> Any:
        if isinstance(data, dict) and "vid_urls" not in data and "vidURLs" in data:
            data = {**data, "vid_urls": data["vidURLs"]}
        return data

    @property
    def launch_status(self) -> LaunchStatus | None:
        return launch_status(self)

    @property
    def time(self) -> LaunchTime:
        return launch_time(self)

    @property
    def title(self) -> str | None:
        """The mission's name ("Crew-12"), else the launch's; None when LL2 gives neither
        (each reply then names the launch by its id, in the reader's language)."""
        mission = self.mission.name if self.mission else None
        return mission or self.name or None

    @property
    def flights(self) -> list[SpacecraftFlight]:
        """The crewed spacecraft flight(s) the rocket carries, as LL2 lists them."""
        return self.rocket.spacecraft_stage if self.rocket else []

    @property
    def spacecraft(self) -> str | None:
        names = [f.spacecraft.name for f in self.flights if f.spacecraft and f.spacecraft.name]
        return " + ".join(dict.fromkeys(names)) or None

    @property
    def destination(self) -> str | None:
        places = [flight.destination for flight in self.flights if flight.destination]
        return " + ".join(dict.fromkeys(places)) or None

    @property
    def launch_crew(self) -> list[CrewMember]:
        """Who flies up, each astronaut once, in LL2's order (empty until LL2 lists them)."""
        seen: dict[int, CrewMember] = {}
        for flight in self.flights:
            for member in flight.launch_crew:
                seen.setdefault(member.astronaut.id, member)
        return list(seen.values())

    @property
    def suborbital(self) -> bool:
        """LL2 gives the mission's orbit as suborbital (New Shepard). A launch whose orbit
        LL2 does not give counts as orbital: nothing in the data says otherwise."""
        orbit = self.mission.orbit if self.mission else None
        if orbit is None:
            return False
        return (orbit.abbrev or "").strip().lower() == "sub" or (
            (orbit.name or "").strip().lower() == "suborbital"
        )

    @property
    def videos(self) -> list[VideoLink]:
        """Its webcasts with a usable link, by LL2's priority (lowest first), each once."""
        ranked = sorted(
            (video for video in self.vid_urls if video.url),
            key=lambda video: video.priority if video.priority is not None else 1 << 31,
        )
        unique: dict[str, VideoLink] = {}
        for video in ranked:
            unique.setdefault(video.url or "", video)
        return list(unique.values())

    def snapshot(self) -> LaunchSnapshot:
        """What reminders and change notices are decided from: the launch's time, its
        crewed spacecraft flight (the first LL2 lists, if any) and its best webcast."""
        flights = self.flights
        videos = self.videos
        return LaunchSnapshot(
            launch_id=self.id,
            name=self.title or "",
            time=self.time,
            flight_id=flights[0].id if flights else None,
            webcast_url=videos[0].url if videos else None,
            page_url=None,
        )


def upcoming_order(launches: Iterable[UpcomingLaunch]) -> list[UpcomingLaunch]:
    """Orbital launches first, then suborbital ones, each by NET (none last), each once."""
    unique = {launch.id: launch for launch in launches}
    return sorted(
        unique.values(),
        key=lambda launch: (
            launch.suborbital,
            launch.net is None,
            launch.net.timestamp() if launch.net is not None else 0.0,
        ),
    )


@dataclass(frozen=True, slots=True)
class LaunchSnapshot:
    """One upcoming launch as one answer from LL2 showed it: what reminders, change
    notices, liftoff and outcome are decided from."""

    launch_id: str
    name: str
    time: LaunchTime
    flight_id: int | None
    """The spacecraft flight this launch carries, when LL2 names it (crews appear late)."""
    webcast_url: str | None
    page_url: str | None
