"""The background lease: which process of a fleet runs the alert poll and the catalog
sync. Every `capcom run` process competes for it; the one holding it does the work,
the others stand by and take over when it stops renewing.

The lease lasts `lease_seconds` (half a poll interval, at most a minute) and is renewed
every third of that, so a holder that dies is replaced within two thirds of a poll
interval, and the replacement starts its background work at once. A holder that stops
cleanly gives the lease up at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable

from storage.database import StorageError
from storage.leases import LeaseStore

log = logging.getLogger(__name__)

BACKGROUND = "background"
MAX_LEASE_SECONDS = 60.0


def lease_seconds(alert_poll_seconds: float) -> float:
    """How long a claim holds: short enough that a replacement polls within one poll
    interval, long enough that renewing it costs next to nothing."""
    return min(MAX_LEASE_SECONDS, alert_poll_seconds / 2)


class BackgroundLease:
    """This process's claim on the background work."""

    def __init__(
        self,
        store: LeaseStore,
        seconds: float,
        clock: Callable[[], float] = time.time,
        holder: str | None = None,
    ) -> None:
        self._store = store
        self.seconds = seconds
        self._clock = clock
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._held = asyncio.Event()

    @property
    def held(self) -> bool:
        return self._held.is_set()

    @property
    def renew_every(self) -> float:
        return self.seconds / 3

    async def hold(self) -> bool:
        """Take or renew the lease; whether this process may do the background work now.
        A database that cannot be written means no (the database logs why)."""
        try:
            claim = await self._store.claim(BACKGROUND, self.holder, self._clock(), self.seconds)
            held = claim.held
            why = "another process polls LL2 for alerts and syncs the catalog"
        except StorageError:
            held, why = False, "the database cannot be written; background work waits"
        if held and not self.held:
            log.info(
                "background lease taken: this process polls LL2 for alerts and syncs the catalog"
            )
            self._held.set()
        elif not held and self.held:
            log.info("background lease lost: %s", why)
            self._held.clear()
        return held

    async def wait(self) -> None:
        """Return once this process holds the lease: at once if it can take it, else when
        `hold()` (renewed by `cogs/lease.py`) takes it."""
        if not await self.hold():
            await self._held.wait()

    async def release(self) -> None:
        if not self.held:
            return
        self._held.clear()
        try:
            await self._store.release(BACKGROUND, self.holder)
        except StorageError:
            return  # it expires on its own
        log.info("background lease given up")
