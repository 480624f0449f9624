"""A Discord scheduled event as plain values, fitted to Discord's limits: an external event
(no channel) with a name, a description, a start, an end and a location."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.render.text import plain, shorten

EVENT_NAME_LIMIT = 100
EVENT_DESCRIPTION_LIMIT = 1000
EVENT_LOCATION_LIMIT = 100
FALLBACK_NAME = "Crewed launch"
FALLBACK_LOCATION = "Online"

_SPACES = re.compile(r"\s+")


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
) -> ScheduledEventDraft:
    """An event Discord accepts: the name on one line in 1 to 100 characters (cut with "…",
    `FALLBACK_NAME` when empty), the description in at most 1000 (None when empty), and the
    first of `locations` that fits whole in 100 characters (a link cut short would not open;
    when none fits, the last one cut, `FALLBACK_LOCATION` when all are empty). No text can
    ping. `start` and `end` must be aware, `end` after `start`."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("an event's times must be aware datetimes")
    if end <= start:
        raise ValueError("an event must end after it starts")
    lines = [line for line in (_one_line(candidate) for candidate in locations) if line]
    fitting = [line for line in lines if len(line) <= EVENT_LOCATION_LIMIT]
    if fitting:
        location = fitting[0]
    elif lines:
        location = shorten(lines[-1], EVENT_LOCATION_LIMIT)
    else:
        location = FALLBACK_LOCATION
    about = plain(description)
    return ScheduledEventDraft(
        name=shorten(_one_line(name), EVENT_NAME_LIMIT) or FALLBACK_NAME,
        description=shorten(about, EVENT_DESCRIPTION_LIMIT) if about else None,
        start=start,
        end=end,
        location=location,
    )
