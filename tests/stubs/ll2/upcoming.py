"""What the stand-in's `launch/upcoming/` (2.3.0 `launches/upcoming/`) lists over time.

A `ScriptedLaunch` is a recorded launch (2.2.0 detailed shape) and the `LaunchState`s LL2
showed for it, each from its `since` on: status, NET and its precision, whether the crew
is listed yet, the webcast flag. An `UpcomingHistory` is the launches together; the
stand-in asks it what LL2 lists at the stand-in's time (`LL2Stub.wall_time`), so a test
moves through a launch campaign by advancing the clock, and supplies its own history (a
simulated week) as plain data.

`crew_campaign(start)` is the default: Crew-12 as recorded (a Day placeholder becoming a
time to the second, two scrubs of +23.6 h with the status still Go) with variants the
recordings of other launches showed (a slip later and one earlier, a hold, TBC, liftoff
with the NET rewritten to the second, Payload Deployed, success), Crew-13 at a Month
placeholder that goes TBC and back to TBD, a Shenzhou whose crew appears three hours
before launch, and New Shepard NS-34 (crewed, suborbital). facts.md, *Upcoming launches*.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.stubs.ll2.convert import (
    UPCOMING_CREW12_GO,
    UPCOMING_CREW12_SLIPPED,
    UPCOMING_CREW12_TBD,
    UPCOMING_CREW13_TBD,
    UPCOMING_PAGE_NORMAL,
    JsonObject,
    iso_z,
    launch_status,
    load_fixture,
    net_precision,
)

RECENT = timedelta(hours=24)
"""LL2 keeps a launch in the upcoming list for 24 hours after its NET (unless
`hide_recent_previous`)."""
_LIFTED_OFF = frozenset({3, 4, 6, 7, 9})
_ORDERINGS = frozenset({"id", "last_updated", "name", "net"})

SEC, MIN, HOUR, DAY, MONTH = 0, 1, 2, 5, 7
GO, TBD, SUCCESS, HOLD, IN_FLIGHT, TBC, PAYLOAD_DEPLOYED = 1, 2, 3, 5, 6, 8, 9


@dataclass(frozen=True, slots=True)
class LaunchState:
    """What LL2 says of a launch from `since` until the next state."""

    since: datetime
    status: int
    net: datetime | None
    precision: int
    crew_listed: bool = True
    webcast_live: bool = False
    probability: int | None = None
    weather_concerns: str | None = None
    window: tuple[datetime, datetime] | None = None
    """Default: LL2 leaves the window as it was before liftoff (NET..NET before)."""
    template: JsonObject | None = None
    """A recording to show from here on (the launch's own fields), else the launch's."""


@dataclass(frozen=True, slots=True)
class ScriptedLaunch:
    template: JsonObject
    states: tuple[LaunchState, ...]
    crewed: bool = True
    """Whether `is_crewed=true` lists it (LL2 counts Shenzhou before its crew is named)."""

    @property
    def suborbital(self) -> bool:
        orbit = (self.template.get("mission") or {}).get("orbit") or {}
        return orbit.get("abbrev") == "Sub"

    def state_at(self, moment: datetime) -> LaunchState | None:
        shown = [state for state in self.states if state.since <= moment]
        return shown[-1] if shown else None

    def payload_at(self, moment: datetime) -> JsonObject | None:
        """The launch as LL2's detailed 2.2.0 shape shows it at `moment`, or None when
        it is not listed (not yet announced, or more than 24 h after liftoff)."""
        state = self.state_at(moment)
        if state is None:
            return None
        if state.status in _LIFTED_OFF and state.net is not None and state.net < moment - RECENT:
            return None
        launch = copy.deepcopy(self._template(moment))
        launch_window = state.window or self._window(moment)
        updated = max(s.since for s in self.states if s.since <= moment)
        launch.update(
            {
                "status": launch_status(state.status, "2.3.0"),
                "net": None if state.net is None else iso_z(state.net),
                "net_precision": net_precision(state.precision),
                "window_start": iso_z(launch_window[0]) if launch_window else None,
                "window_end": iso_z(launch_window[1]) if launch_window else None,
                "webcast_live": state.webcast_live,
                "probability": state.probability,
                "weather_concerns": state.weather_concerns,
                "last_updated": iso_z(updated),
            }
        )
        rocket = launch.setdefault("rocket", {})
        if not state.crew_listed:
            rocket["spacecraft_stage"] = None
        else:
            rocket.setdefault("spacecraft_stage", None)
        return launch

    def _template(self, moment: datetime) -> JsonObject:
        chosen = self.template
        for state in self.states:
            if state.since <= moment and state.template is not None:
                chosen = state.template
        return chosen

    def _window(self, moment: datetime) -> tuple[datetime, datetime] | None:
        """Before liftoff the window is the NET; afterwards LL2 leaves it as it was."""
        window = None
        for state in self.states:
            if state.since > moment:
                break
            if state.status not in _LIFTED_OFF and state.net is not None:
                window = (state.net, state.net)
        return window


@dataclass(frozen=True, slots=True)
class UpcomingHistory:
    launches: tuple[ScriptedLaunch, ...] = ()

    def listed(
        self,
        moment: datetime,
        *,
        crewed: bool | None = None,
        include_suborbital: bool | None = None,
        hide_recent_previous: bool | None = None,
        ordering: str | None = None,
    ) -> list[JsonObject]:
        """What LL2 lists at `moment` for the declared filters (None: not given)."""
        shown = []
        for launch in self.launches:
            payload = launch.payload_at(moment)
            if payload is None or (crewed is not None and launch.crewed != crewed):
                continue
            if include_suborbital is False and launch.suborbital:
                continue
            state = launch.state_at(moment)
            recent = state is not None and state.status in _LIFTED_OFF
            if hide_recent_previous and recent:
                continue
            shown.append(payload)
        return _ordered(shown, ordering)


def _ordered(launches: list[JsonObject], ordering: str | None) -> list[JsonObject]:
    """LL2's upcoming order is by NET; a declared `ordering` field reorders, others are
    dropped (DRF's OrderingFilter)."""
    fields = [part.strip() for part in (ordering or "").split(",") if part.strip()]
    fields = [field for field in fields if field.removeprefix("-") in _ORDERINGS] or ["net"]
    ordered = list(launches)
    for field in reversed(fields):
        name = field.removeprefix("-")
        ordered.sort(key=lambda launch: str(launch.get(name) or ""), reverse=field[0] == "-")
    return ordered


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _renamed(template: JsonObject, *, launch_id: str, name: str, mission: str) -> JsonObject:
    launch = copy.deepcopy(template)
    launch["id"] = launch_id
    launch["url"] = f"https://ll.thespacedevs.com/2.2.0/launch/{launch_id}/"
    launch["name"] = name
    launch["slug"] = name.lower().replace(" | ", "-").replace(" ", "-")
    launch["mission"] = {**(launch.get("mission") or {}), "name": mission}
    return launch


def crew12(start: datetime) -> ScriptedLaunch:
    """Crew-12's campaign replayed from `start`: its recordings in order, with a slip in
    each direction, a hold and TBC between, two scrubs, and liftoff."""
    placeholder = _midnight(start + timedelta(days=6))
    first = (start + timedelta(hours=26)).replace(microsecond=0)
    scrubbed = first + timedelta(hours=23.6)
    second_scrub = scrubbed + timedelta(hours=23.6)
    lifted = second_scrub + timedelta(seconds=56)
    go, slipped = load_fixture(UPCOMING_CREW12_GO), load_fixture(UPCOMING_CREW12_SLIPPED)
    states = (
        LaunchState(start, TBD, placeholder, DAY),
        LaunchState(start + timedelta(hours=2), GO, first, SEC, template=go),
        LaunchState(start + timedelta(hours=8), GO, first + timedelta(hours=2), SEC),
        LaunchState(start + timedelta(hours=10), GO, first, SEC),
        LaunchState(start + timedelta(hours=12), HOLD, first, SEC),
        LaunchState(start + timedelta(hours=14), TBC, first, SEC),
        LaunchState(start + timedelta(hours=16), GO, first, SEC),
        LaunchState(first - timedelta(minutes=40), GO, scrubbed, MIN, template=slipped),
        LaunchState(scrubbed - timedelta(hours=3), GO, second_scrub, MIN),
        LaunchState(
            second_scrub - timedelta(hours=1),
            GO,
            second_scrub,
            MIN,
            webcast_live=True,
            probability=90,
            weather_concerns="Cumulus Cloud Rule",
        ),
        LaunchState(second_scrub, IN_FLIGHT, lifted, SEC, webcast_live=True),
        LaunchState(second_scrub + timedelta(minutes=9), PAYLOAD_DEPLOYED, lifted, SEC),
        LaunchState(second_scrub + timedelta(hours=1), SUCCESS, lifted + timedelta(seconds=1), SEC),
    )
    return ScriptedLaunch(load_fixture(UPCOMING_CREW12_TBD), states)


def crew13(start: datetime) -> ScriptedLaunch:
    """Crew-13 at an end-of-month placeholder; TBC on a day for a while, then TBD again."""
    next_month = ((start + timedelta(days=200)).replace(day=1) + timedelta(days=32)).replace(day=1)
    month_end = _midnight(next_month) - timedelta(days=1)
    day = _midnight(start + timedelta(days=120))
    states = (
        LaunchState(start, TBD, month_end, MONTH),
        LaunchState(start + timedelta(hours=20), TBC, day, DAY),
        LaunchState(start + timedelta(hours=40), TBD, month_end, MONTH),
    )
    return ScriptedLaunch(load_fixture(UPCOMING_CREW13_TBD), states)


def shenzhou(start: datetime) -> ScriptedLaunch:
    """A Shenzhou flight (built from Crew-12's recording, renamed): Go for days, its crew
    listed only three hours before launch."""
    template = _renamed(
        load_fixture(UPCOMING_CREW12_SLIPPED),
        launch_id="7d3b6c1e-5a0f-4a8e-9f1d-2c6a4b8e0f23",
        name="Long March 2F/G | Shenzhou-23",
        mission="Shenzhou-23",
    )
    template["vidURLs"] = []
    stage = template["rocket"]["spacecraft_stage"]
    stage["destination"] = "Tiangong Space Station"
    stage["spacecraft"]["name"] = "Shenzhou-23"
    names = ("Zhu Yangzhu", "Zhang Hongzhang", "Li Guangsu")
    stage["launch_crew"] = stage["launch_crew"][: len(names)]
    for number, (member, name) in enumerate(zip(stage["launch_crew"], names, strict=True)):
        member["astronaut"] = {
            **member["astronaut"],
            **{"id": 9100 + number, "name": name, "profile_image": None, "wiki": None},
        }
    stage["landing_crew"] = []
    net = (start + timedelta(hours=60)).replace(microsecond=0)
    states = (
        LaunchState(start, GO, net, MIN, crew_listed=False),
        LaunchState(net - timedelta(hours=3), GO, net, SEC),
        LaunchState(net, IN_FLIGHT, net + timedelta(seconds=12), SEC),
        LaunchState(net + timedelta(hours=1), SUCCESS, net + timedelta(seconds=12), SEC),
    )
    return ScriptedLaunch(template, states)


def new_shepard(start: datetime) -> ScriptedLaunch:
    """New Shepard NS-34 as the limit-5 page recorded it (crewed and suborbital; that page
    has no crew): Go at minute precision."""
    item = next(
        launch
        for launch in load_fixture(UPCOMING_PAGE_NORMAL)["results"]
        if launch["name"] == "New Shepard | NS-34"
    )
    item.pop("type", None)
    net = (start + timedelta(hours=50)).replace(microsecond=0)
    window = (net, net + timedelta(hours=7))
    states = (
        LaunchState(start, GO, net, MIN, window=window),
        LaunchState(net, IN_FLIGHT, net + timedelta(seconds=3), SEC, window=window),
        LaunchState(net + timedelta(minutes=11), SUCCESS, net + timedelta(seconds=3), SEC),
    )
    return ScriptedLaunch(item, states)


def crew_campaign(start: datetime) -> UpcomingHistory:
    return UpcomingHistory((crew12(start), crew13(start), shenzhou(start), new_shepard(start)))


def state_changes(history: UpcomingHistory) -> Sequence[datetime]:
    """Every moment something changes in `history`, in order (for tests that step through)."""
    return sorted({state.since for launch in history.launches for state in launch.states})


def pulled_earlier(start: datetime) -> ScriptedLaunch:
    """A Soyuz flight (Crew-12's recording, renamed) Go at minute precision, pulled nine
    hours earlier a day before launch, then TBC on the new time, Go, liftoff and success."""
    template = _renamed(
        load_fixture(UPCOMING_CREW12_SLIPPED),
        launch_id="3f9a2c4d-8b1e-4c7a-a6d5-0e2f4b6c8a11",
        name="Soyuz 2.1a | Soyuz MS-29",
        mission="Soyuz MS-29",
    )
    planned = _midnight(start + timedelta(days=4)) + timedelta(hours=21, minutes=30)
    earlier = planned - timedelta(hours=9)
    states = (
        LaunchState(start, GO, planned, MIN),
        LaunchState(planned - timedelta(hours=30), GO, earlier, MIN),
        LaunchState(earlier - timedelta(hours=6), TBC, earlier, MIN),
        LaunchState(earlier - timedelta(hours=4), GO, earlier, SEC, webcast_live=True),
        LaunchState(earlier, IN_FLIGHT, earlier + timedelta(seconds=4), SEC),
        LaunchState(earlier + timedelta(hours=1), SUCCESS, earlier + timedelta(seconds=4), SEC),
    )
    return ScriptedLaunch(template, states)


def slipping(start: datetime) -> ScriptedLaunch:
    """A commercial crew flight (Crew-12's recording, renamed) that slips again and again,
    days, then hours, then half an hour inside its last three hours, before it flies."""
    template = _renamed(
        load_fixture(UPCOMING_CREW12_SLIPPED),
        launch_id="a1c5e7f9-2b4d-4f60-8e1a-3c5e7a9b1d22",
        name="Falcon 9 Block 5 | Axiom Mission 5",
        mission="Axiom Mission 5",
    )
    first = _midnight(start + timedelta(days=4)) + timedelta(hours=14)
    slips = (
        first + timedelta(days=1),
        first + timedelta(days=1, hours=6),
        first + timedelta(days=1, hours=6, minutes=45),
    )
    net = slips[-1]
    states = (
        LaunchState(start, TBD, _midnight(first), DAY),
        LaunchState(start + timedelta(hours=30), GO, first, MIN),
        LaunchState(first - timedelta(hours=20), GO, slips[0], MIN),
        LaunchState(slips[0] - timedelta(hours=16), GO, slips[1], MIN),
        LaunchState(slips[1] - timedelta(hours=2), GO, net, SEC, webcast_live=True),
        LaunchState(net, IN_FLIGHT, net + timedelta(seconds=2), SEC),
        LaunchState(net + timedelta(minutes=10), PAYLOAD_DEPLOYED, net, SEC),
        LaunchState(net + timedelta(hours=1), SUCCESS, net + timedelta(seconds=2), SEC),
    )
    return ScriptedLaunch(template, states)


def crew_week(start: datetime) -> UpcomingHistory:
    """A busy week of crewed launches from `start`: `crew_campaign`'s four (Crew-12's slips,
    hold and two scrubs, a placeholder that stays one, a Shenzhou whose crew appears late, a
    suborbital flight) and two more, one pulled hours earlier and one slipping again and
    again."""
    return UpcomingHistory((*crew_campaign(start).launches, pulled_earlier(start), slipping(start)))
