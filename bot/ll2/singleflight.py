"""Concurrent requests for the same key share one call."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    """The first caller for a key starts the work as a task; every caller that
    comes while it runs gets the same task. A caller that gives up (a
    cancelled interaction) does not cancel the work for the others."""

    def __init__(self) -> None:
        self._running: dict[str, asyncio.Task[T]] = {}

    def start(self, key: str, work: Callable[[], Awaitable[T]]) -> tuple[asyncio.Task[T], bool]:
        """The work running for `key`, started now if none is, and whether this call
        started it. Await it through `asyncio.shield`, so giving up leaves it running."""
        task = self._running.get(key)
        if task is not None and not task.done():
            return task, False
        task = asyncio.ensure_future(work())
        self._running[key] = task
        task.add_done_callback(lambda done: self._finished(key, done))
        return task, True

    def _finished(self, key: str, task: asyncio.Task[T]) -> None:
        if self._running.get(key) is task:
            self._running.pop(key)
        if not task.cancelled():
            # Retrieved here, so a failure every caller gave up on is not reported
            # as "never retrieved"; the callers that waited have seen it.
            task.exception()

    async def close(self) -> None:
        """Cancel the work still running (at shutdown, before the database closes)."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
