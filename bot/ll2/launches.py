"""What LL2 says about when a launch happens: its status and how precise its NET is.

LL2 has no scrub status (a scrub is only a NET jump while the status stays Go), and a
coarse NET is a placeholder at the end of its period (NET 30 Sep with precision
"Month"): only a NET at hour precision or finer names a time a reminder can be set for
(facts.md, *Upcoming launches*).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum


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
