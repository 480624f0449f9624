"""What the Discord edge answers when it edits a message or manages a scheduled event: plain
values the services can act on (no `discord` import), named so a server can be told why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EditOutcome(StrEnum):
    EDITED = "edited"
    GONE = "gone"
    """The message (or its channel) no longer exists: post a new one if it is still wanted."""
    FORBIDDEN = "forbidden"
    """Capcom may not edit it (a permission lost, a channel hidden): pause, naming `reason`."""
    REFUSED = "refused"
    """Discord refused the new content itself (400): sending it again cannot help."""
    TRANSIENT = "transient"
    """Discord 5xx, a rate limit or the network: try again later."""


@dataclass(frozen=True, slots=True)
class EditResult:
    outcome: EditOutcome
    reason: str = ""


class EventOutcome(StrEnum):
    DONE = "done"
    MISSING_PERMISSION = "missing permission"
    """Capcom lacks Create Events in the server (`reason` says so in words)."""
    UNKNOWN_EVENT = "unknown event"
    """The event is gone (deleted by someone, or never there)."""
    LIMIT_REACHED = "limit reached"
    """The server already has Discord's 100 scheduled or active events."""
    REFUSED = "refused"
    """Discord refused the values (an event already started or over, a time in the past)."""
    TRANSIENT = "transient"
    """Discord 5xx, a rate limit or the network: try again later."""


@dataclass(frozen=True, slots=True)
class EventResult:
    outcome: EventOutcome
    event_id: int | None = None
    """The event created or edited, when `outcome` is DONE."""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OwnEvent:
    """A scheduled or active event Capcom created in a server."""

    id: int
    name: str
    start: datetime
    end: datetime | None
    location: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class OwnEvents:
    result: EventResult
    events: tuple[OwnEvent, ...] = ()
