"""A cog that runs one background task for as long as it is loaded: started when the
cog loads, cancelled (and awaited) when it unloads."""

from __future__ import annotations

import asyncio
import contextlib

from discord.ext import commands


class BackgroundTask(commands.Cog):
    task_name = "background task"
    _task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.task_name)

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        raise NotImplementedError
