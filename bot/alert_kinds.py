"""What one alert is about: a crewed launch, a docking, an undocking or a landing.

Stored as text (`launch`, `docking:<event id>`, `undocking:<event id>`, `landing`);
everywhere else it is an `AlertKind`, and a server's choice a set of `EventType`.
Pure values with no imports of Capcom's own: the storage layer reads and writes them
(the text form is here, once), and every layer above names them (tests/test_layers.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class EventType(StrEnum):
    """What happens to a crewed flight, in the order it happens."""

    LAUNCH = "launch"
    DOCKING = "docking"
    UNDOCKING = "undocking"
    LANDING = "landing"

    @property
    def label(self) -> str:
        """How `/alerts` names it: 'launches', 'dockings', …"""
        return f"{self.value}es" if self is EventType.LAUNCH else f"{self.value}s"


def labels(types: Iterable[EventType]) -> str:
    """The types as `/alerts` lists them, in a fixed order: 'launches, landings'."""
    chosen = set(types)
    return ", ".join(t.label for t in EventType if t in chosen)


_BY_NAME = {t.value: t for t in EventType}


def event_types(names: Iterable[str]) -> frozenset[EventType]:
    """Types from their stored names; a name Capcom no longer knows is skipped."""
    return frozenset(_BY_NAME[name] for name in names if name in _BY_NAME)


@dataclass(frozen=True, slots=True)
class AlertKind:
    type: EventType
    docking_id: int | None = None
    """The docking event, for a docking or an undocking."""

    def __str__(self) -> str:
        if self.docking_id is None:
            return self.type.value
        return f"{self.type.value}:{self.docking_id}"

    @classmethod
    def parse(cls, text: str) -> AlertKind | None:
        """The kind `str` wrote; None for one Capcom does not know (a newer version's)."""
        name, _, docking_id = text.partition(":")
        if name not in _BY_NAME or not (docking_id == "" or docking_id.isdecimal()):
            return None
        return cls(_BY_NAME[name], int(docking_id) if docking_id else None)


LAUNCH = AlertKind(EventType.LAUNCH)
LANDING = AlertKind(EventType.LANDING)


def docking(event_id: int) -> AlertKind:
    return AlertKind(EventType.DOCKING, event_id)


def undocking(event_id: int) -> AlertKind:
    return AlertKind(EventType.UNDOCKING, event_id)


FOOTER_SEPARATOR = " · "
"""Between the parts of a footer."""


@dataclass(frozen=True, slots=True)
class Marker:
    """Put in the footer of every alert and launch notice, so a resend after a crash can
    find it (`found_in`): `key`, the same in every language, is one of the footer's parts;
    `legacy` is how Capcom began the footer (in English) before footers were translated,
    so a message half-sent by an older Capcom is found too."""

    key: str
    legacy: str

    def found_in(self, footer: str) -> bool:
        return self.key in footer.split(FOOTER_SEPARATOR) or (
            (footer + FOOTER_SEPARATOR).startswith(self.legacy + FOOTER_SEPARATOR)
        )


def alert_marker(flight_id: int, kind: AlertKind) -> Marker:
    return Marker(f"{flight_id}/{kind}", f"Capcom alert · flight {flight_id} · {kind}")
