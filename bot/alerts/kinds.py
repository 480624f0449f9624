"""What one alert is about: a crewed launch, a docking, an undocking or a landing.

Stored as text in the ledger (`launch`, `docking:<event id>`, `undocking:<event id>`,
`landing`); everywhere else it is an `AlertKind`.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.alerts import EventType


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
    def parse(cls, text: str) -> AlertKind:
        name, _, docking_id = text.partition(":")
        return cls(EventType(name), int(docking_id) if docking_id else None)


LAUNCH = AlertKind(EventType.LAUNCH)
LANDING = AlertKind(EventType.LANDING)


def docking(event_id: int) -> AlertKind:
    return AlertKind(EventType.DOCKING, event_id)


def undocking(event_id: int) -> AlertKind:
    return AlertKind(EventType.UNDOCKING, event_id)
