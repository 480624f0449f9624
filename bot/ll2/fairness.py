"""Each user's and each server's share of the hourly LL2 budget.

The budget (`bot/ll2/budget.py`) keeps LL2's limit for everyone together; this
keeps one user, or one server, from spending all of it. A command passes its
asker (user and server) down to the repository; when answering needs a
request to LL2 (nothing fresh is cached), the repository charges that request
to the asker here first. Cached answers are never charged nor refused.

The counts live in memory, not in SQLite. Only the bot process answers users
(`capcom preview` and the sync have no asker), so there is nothing to share
between processes; the hourly limit that protects LL2 stays in the database;
and a restart, which only the operator can cause, gives a user at most one
more share in that hour. In return a command costs no extra write and the
schema is unchanged.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.ll2.budget import WINDOW_SECONDS
from bot.ll2.client import Unavailable
from bot.ll2.freshness import StaleReason


@dataclass(frozen=True, slots=True)
class Asker:
    """Who a command's reply is for: a Discord user, and the server (None in a DM).
    Background work and the command line ask LL2 with no asker: nobody's share."""

    user_id: int
    guild_id: int | None


class Scope(StrEnum):
    USER = "user"
    SERVER = "server"


NOTHING_SENT = frozenset({StaleReason.BUDGET, StaleReason.THROTTLED, StaleReason.STORAGE})
"""Failures after which no request reached LL2 (or a 429 now holds everyone back):
the asker gets the share back."""


class OverShare(Unavailable):
    """The asker has used their (or their server's) share: `used` of `limit` requests
    this hour, out of the `shared` the whole bot has. A stale cached copy is still
    served, as for any other reason LL2 cannot be asked."""

    def __init__(self, scope: Scope, used: int, retry_at: float, shared: int) -> None:
        super().__init__(StaleReason.SHARE, retry_at, f"{scope} share used", retryable=False)
        self.scope = scope
        self.used = used
        self.shared = shared


@dataclass(frozen=True, slots=True)
class Charge:
    """One request charged to an asker, to give back if it never reached LL2."""

    keys: tuple[tuple[Scope, int], ...]
    at: float


class Shares:
    """At most `per_user` requests per user and `per_server` per server in any
    rolling hour, for the `shared` requests an hour the bot has in all."""

    def __init__(
        self,
        per_user: int,
        per_server: int,
        shared: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._limits = {Scope.USER: per_user, Scope.SERVER: per_server}
        self.shared = shared
        self._clock = clock
        self._taken: dict[tuple[Scope, int], deque[float]] = {}

    def take(self, asker: Asker) -> Charge:
        """Charge one request to `asker`. Raises OverShare, charging nothing, when the
        user or the server has used their share."""
        now = self._clock()
        self._forget_before(now - WINDOW_SECONDS)
        keys = [(Scope.USER, asker.user_id)]
        if asker.guild_id is not None:
            keys.append((Scope.SERVER, asker.guild_id))
        for key in keys:
            taken = self._taken.get(key, ())
            limit = self._limits[key[0]]
            if len(taken) >= limit:
                retry_at = taken[len(taken) - limit] + WINDOW_SECONDS
                raise OverShare(key[0], len(taken), retry_at, self.shared)
        for key in keys:
            self._taken.setdefault(key, deque()).append(now)
        return Charge(tuple(keys), now)

    def give_back(self, charge: Charge) -> None:
        for key in charge.keys:
            taken = self._taken.get(key)
            if taken is not None and charge.at in taken:
                taken.remove(charge.at)

    def _forget_before(self, cutoff: float) -> None:
        for key in list(self._taken):
            taken = self._taken[key]
            while taken and taken[0] <= cutoff:
                taken.popleft()
            if not taken:
                del self._taken[key]
