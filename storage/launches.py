"""Upcoming launches Capcom watches for reminders and change notices: what it last knew
of each launch, and the ledger of what it told each server about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WatchedLaunch:
    """What Capcom last knew of an upcoming launch.

    `net` is LL2's NET as last seen; `planned_net` the exact NET reminders are planned
    for (None while the NET is a placeholder): it follows `net` only when `net` moves
    by 15 minutes or more, or becomes exact or coarse, so a NET nudged by seconds or
    minutes neither re-arms reminders nor is news. `net_seen_at` is when `planned_net`
    was first seen: a reminder due before that is never sent. `revision` counts the
    changes told."""

    launch_id: str
    name: str
    net: float | None
    precision_id: int | None
    status_id: int | None
    flight_id: int | None
    webcast_url: str | None
    page_url: str | None
    planned_net: float | None
    net_seen_at: float
    first_seen: float
    last_seen: float
    revision: int = 0
