"""What the Discord edge answers when it edits a message or manages a scheduled event: plain
values the services can act on (no `discord` import), named so a server can be told why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import TypeAdapter, ValidationError


class ReasonKind(StrEnum):
    """Why Capcom could not post, edit or keep an event: a renderer words each kind in the
    reader's language (`bot.render.reason`)."""

    GONE = "gone"
    """`where` is gone or hidden from Capcom."""
    NOT_MESSAGEABLE = "not messageable"
    """`where` cannot hold messages."""
    MISSING_PERMISSIONS = "missing permissions"
    """Capcom lacks `permissions` in `where` (a channel or a server)."""
    PERMISSIONS_UNKNOWN = "permissions unknown"
    """Capcom cannot tell whether it may read `where`'s history."""
    HISTORY_UNREADABLE = "history unreadable"
    """Discord refused to show `where`'s recent messages (`detail`)."""
    SEND_REFUSED = "send refused"
    """Discord refused a message in `where` (`detail`)."""
    MESSAGE_GONE = "message gone"
    """Capcom's message in `where` is gone."""
    EDIT_REFUSED = "edit refused"
    """Discord refused to let Capcom edit its message in `where` (`detail`)."""
    CONTENT_REFUSED = "content refused"
    """Discord refused the new content of a message (`detail`)."""
    NOT_IN_SERVER = "not in server"
    """Capcom is not in the server `where`."""
    EVENT_GONE = "event gone"
    """The scheduled event no longer exists."""
    EVENT_LIMIT = "event limit"
    """The server `where` already has Discord's 100 scheduled events."""
    EVENT_REFUSED = "event refused"
    """Discord refused the event's values (`detail`)."""
    DISCORD_FAILED = "discord failed"
    """Discord or the network failed (`detail`): trying again later may work."""
    TEXT = "text"
    """Stored before reasons had kinds: `detail` is the English sentence, shown as it is."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something could not be done, as a kind and its values (no words): `where` is a
    channel mention (`<#id>`) or a server's name, `permissions` Discord's English names of
    permissions (`N_` ids), `detail` Discord's own words about an error."""

    kind: ReasonKind
    where: str = ""
    permissions: tuple[str, ...] = ()
    detail: str = ""

    def stored(self) -> str:
        """The text a pause keeps in the database (`stored_reason` reads it back)."""
        return _STORED.dump_json(self).decode()


_STORED = TypeAdapter(Reason)
NO_REASON = Reason(ReasonKind.TEXT)
"""What a success carries as its reason: nothing to say."""


def stored_reason(text: str | None) -> Reason | None:
    """A pause's stored reason (None: not paused); text stored before reasons had kinds
    (an English sentence) is kept as it is, to be shown as it is."""
    if text is None:
        return None
    try:
        return _STORED.validate_json(text)
    except ValidationError:
        return Reason(ReasonKind.TEXT, detail=text)


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
    reason: Reason = NO_REASON


class EventOutcome(StrEnum):
    DONE = "done"
    MISSING_PERMISSION = "missing permission"
    """Capcom lacks Create Events in the server (`reason` names it)."""
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
    reason: Reason = NO_REASON


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
