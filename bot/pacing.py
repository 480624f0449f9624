"""Background loops that pause between turns, never catching up on turns they missed.

`discord.ext.tasks.loop` schedules each iteration an interval after the previous one was
due, so an iteration that ends late (it waited for the background lease for hours, the
database was slow, the process was paused) is followed by every iteration it missed, back
to back: for the alert poll, a burst of LL2 requests that spends the hour's background
share at the moment a standby takes over. A `PacedLoop` sleeps after each turn instead:
however long a turn took, one pause, then one turn.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import NoReturn


class PacedLoop:
    """Runs `turn` in a task of its own, again and again, sleeping after each turn for
    the seconds it returns."""

    def __init__(self, name: str, turn: Callable[[], Awaitable[float]]) -> None:
        self._name = name
        self._turn = turn
        self._task: asyncio.Task[NoReturn] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _run(self) -> NoReturn:
        while True:
            pause = await self._turn()
            await asyncio.sleep(pause)
