"""How long a cached LL2 document counts as fresh, by what it is.

| what                                   | fresh for |
|----------------------------------------|-----------|
| list pages (flights, astronaut search) | 1 hour    |
| who is in space (astronaut list)       | 30 min    |
| upcoming crewed launches               | 30 min    |
| a flight in space or not yet launched  | 2 hours   |
| a flight that ended in the last 30 d   | 1 day     |
| a flight that ended earlier            | 30 days   |
| an astronaut in space                  | 6 hours   |
| an active astronaut                    | 3 days    |
| a retired or deceased astronaut        | 30 days   |
| an id LL2 answered 404 for             | 6 hours   |

Past that, the copy is still served when LL2 cannot answer (throttled, down,
budget spent), with its age.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.ll2.models import Astronaut, SpacecraftFlight

LIST_TTL = timedelta(hours=1)
LIST_KEEP = timedelta(days=7)
"""List pages (searches, pages of flights) older than this are deleted, not kept as
stale copies: their keys hold what users typed (a search text, a spacecraft id, a
page), so they would pile up for good, and only the very same request serves one."""
IN_SPACE_LIST_TTL = timedelta(minutes=30)
UPCOMING_TTL = timedelta(minutes=30)
"""Upcoming launches move (a NET changed up to 9 times for one launch): asked again for a
command after this; the alert side polls on its own schedule with `fetched_after`."""
NOT_FOUND_TTL = timedelta(hours=6)
"""How long LL2's 404 is believed: asking again for the same missing id costs nothing."""
_RECENT = timedelta(days=30)
_ACTIVE_STATUS_IDS = {1, 3}  # LL2 astronaut statuses "Active" and "In-Training"


def flight_ttl(flight: SpacecraftFlight, now: datetime) -> timedelta:
    if flight.mission_end is None or flight.mission_end > now:
        return timedelta(hours=2)
    if now - flight.mission_end < _RECENT:
        return timedelta(days=1)
    return timedelta(days=30)


def astronaut_ttl(astronaut: Astronaut, now: datetime) -> timedelta:
    if astronaut.in_space:
        return timedelta(hours=6)
    status_id = astronaut.status.id if astronaut.status else None
    if astronaut.date_of_death is None and status_id in _ACTIVE_STATUS_IDS:
        return timedelta(days=3)
    return timedelta(days=30)
