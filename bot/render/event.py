"""A Discord scheduled event as plain values, fitted to Discord's limits: an external event
(no channel) with a name, a description, a start, an end and a location; and what a
launch's event says, in a server's language (`EventWording`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.ll2.launches import LaunchStatus, UpcomingLaunch
from bot.render.lang import N_, Lang
from bot.render.text import plain, shorten
from bot.render.upcoming import launch_name

EVENT_NAME_LIMIT = 100
EVENT_DESCRIPTION_LIMIT = 1000
EVENT_LOCATION_LIMIT = 100

_SPACES = re.compile(r"\s+")

STATUS_WORDS = {
    LaunchStatus.GO: N_("Go for launch"),
    LaunchStatus.TBC: N_("To be confirmed"),
    LaunchStatus.HOLD: N_("Hold"),
}
"""The statuses a launch with an event can have, in English (`Lang.say` translates)."""


@dataclass(frozen=True, slots=True)
class EventWording:
    """`bot.alerts.event_plan.EventWords` in one language. LL2's names stay as LL2 gives
    them; `event_draft` makes the text plain and fits it."""

    lang: Lang

    def name(self, launch: UpcomingLaunch) -> str:
        return self.lang.say("{launch} launch", launch=launch_name(launch, self.lang))

    def nowhere(self) -> str:
        return self.lang.say("Online")

    def description(self, launch: UpcomingLaunch) -> str:
        say = self.lang.say
        status = launch.launch_status
        words = STATUS_WORDS.get(status) if status else None
        lines = [say("Status: {status}", status=say(words) if words else say("unknown"))]
        if launch.holdreason:
            lines.append(launch.holdreason)
        craft, place = launch.spacecraft, launch.destination
        if craft and place:
            lines.append(say("{craft} to {destination}", craft=craft, destination=place))
        elif craft or place:
            lines.append(craft or place or "")
        crew = [member.astronaut.name for member in launch.launch_crew if member.astronaut.name]
        if crew:
            lines.append(say("Crew: {names}", names=self.lang.names(crew)))
        else:
            lines.append(say("Crew: not announced yet"))
        if launch.suborbital:
            lines.append(say("A suborbital flight."))
        lines.append(
            say("Times and status from Launch Library 2; Capcom moves this event if they change.")
        )
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ScheduledEventDraft:
    """What one scheduled event says, within Discord's limits (see `event_draft`)."""

    name: str
    description: str | None
    start: datetime
    end: datetime
    location: str


def _one_line(text: str | None) -> str:
    return _SPACES.sub(" ", plain(text)).strip()


def event_draft(
    name: str | None,
    description: str | None,
    start: datetime,
    end: datetime,
    locations: Sequence[str | None],
    nowhere: str,
) -> ScheduledEventDraft:
    """An event Discord accepts: the name on one line in 1 to 100 characters (cut with "…"),
    the description in at most 1000 (None when empty), and the first of `locations` that
    fits whole in 100 characters (a link cut short would not open; when none fits, the last
    one cut; `nowhere`, the word for an online event in the server's language, when all are
    empty). No text can ping. The name must not be blank (`EventWording` never words one
    so); `start` and `end` must be aware, `end` after `start`."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("an event's times must be aware datetimes")
    if end <= start:
        raise ValueError("an event must end after it starts")
    title = shorten(_one_line(name), EVENT_NAME_LIMIT)
    if not title:
        raise ValueError("an event must have a name")
    lines = [line for line in (_one_line(candidate) for candidate in locations) if line]
    fitting = [line for line in lines if len(line) <= EVENT_LOCATION_LIMIT]
    if fitting:
        location = fitting[0]
    elif lines:
        location = shorten(lines[-1], EVENT_LOCATION_LIMIT)
    else:
        location = shorten(_one_line(nowhere), EVENT_LOCATION_LIMIT)
    about = plain(description)
    return ScheduledEventDraft(
        name=title,
        description=shorten(about, EVENT_DESCRIPTION_LIMIT) if about else None,
        start=start,
        end=end,
        location=location,
    )
