"""The background lease: which process of a fleet runs the alert poll and the catalog
sync. Every `capcom run` process competes for it; the one holding it does the work,
the others stand by and take over when it stops renewing.

The lease lasts `lease_seconds` (half a poll interval, at most a minute) and is renewed
every third of that, so a holder that dies is replaced within two thirds of a poll
interval. A holder that stops cleanly gives the lease up at once.
"""

from __future__ import annotations

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
        self.held = False

    @property
    def renew_every(self) -> float:
        return self.seconds / 3

    async def hold(self) -> bool:
        """Take or renew the lease; whether this process may do the background work now.
        A database that cannot be written means no (the database logs why)."""
        try:
            held = await self._store.claim(BACKGROUND, self.holder, self._clock(), self.seconds)
        except StorageError:
            held = False
        if held != self.held:
            log.info(
                "background lease %s: %s",
                "taken" if held else "lost",
                "this process runs the alert poll and the catalog sync"
                if held
                else "another process runs the alert poll and the catalog sync",
            )
        self.held = held
        return held

    async def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            await self._store.release(BACKGROUND, self.holder)
        except StorageError:
            return  # it expires on its own
        log.info("background lease given up")
