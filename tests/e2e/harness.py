"""The bot as a separate process (`python -m bot run`) against both local stand-ins.

Used by the end-to-end tests and the benchmarks: the real discord.py client in the
bot process talks to the Discord stand-in over loopback, and the bot's LL2 client to
the LL2 stand-in, both running in the test's own event loop.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.paths import PROJECT_ROOT
from tests.stubs.discord import ALL_PERMISSIONS, DiscordStub
from tests.stubs.ll2 import Catalog, LL2Stub

SETTINGS_PREFIXES = (
    "DISCORD_",
    "LL2_",
    "DATABASE_",
    "ALERT_",
    "SYNC_",
    "LOG_",
    "SHARD_",
    "METRICS_",
    "EVENTS_",
)
"""The names of Capcom's settings start with one of these: what a bot process, or a
settings test, must not inherit from the environment of whoever runs the tests."""

TOKEN = "capcom-test-token"
ADMIN = ALL_PERMISSIONS
START_TIMEOUT = 30.0


@dataclass
class BotProcess:
    """One `capcom run` process; start, stop (SIGTERM), kill (SIGKILL), restart."""

    discord: DiscordStub
    ll2: LL2Stub
    workdir: Path
    version: str = "2.3.0"
    env: dict[str, str] = field(default_factory=dict)
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def database(self) -> Path:
        return self.workdir / "capcom.db"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"bot-{self.starts}.log"

    def environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIXES)}
        return (
            inherited
            | {
                "PYTHONPATH": str(PROJECT_ROOT),
                "DISCORD_TOKEN": TOKEN,
                "DISCORD_API_BASE_URL": self.discord.api_base_url,
                "DISCORD_GATEWAY_URL": self.discord.gateway_url,
                "LL2_BASE_URL": self.ll2.base_url(self.version),
                "DATABASE_PATH": str(self.database),
                "LOG_LEVEL": "INFO",
                # One test user sends every command: their share of LL2 is tested on its
                # own (test_commands), and elsewhere must not stand in for LL2's faults.
                "LL2_USER_REQUESTS_PER_HOUR": "100000",
                "LL2_SERVER_REQUESTS_PER_HOUR": "100000",
            }
            | self.env
        )

    async def start(self) -> None:
        """Start the process and wait until it is connected with its commands synced."""
        connections = self.discord.connections
        self.starts += 1
        log = self.log_path.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=self.workdir,
            env=self.environment(),
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        log.close()
        await self.until(
            lambda: self.discord.connections > connections and self.discord.ready.is_set(),
            "a gateway connection",
            START_TIMEOUT,
        )
        await self.until(
            lambda: "ready as" in self.log_path.read_text(errors="replace"),
            "ready",
            START_TIMEOUT,
        )

    async def until(self, condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
        """Poll `condition` (it reads the stand-ins or the log) while the bot runs."""
        async with asyncio.timeout(seconds):
            while not condition():
                if self.process is not None and self.process.returncode is not None:
                    raise RuntimeError(f"the bot exited waiting for {what}:\n{self.log()}")
                await asyncio.sleep(0.05)

    async def wait_log(self, text: str, seconds: float = 15) -> None:
        await self.until(lambda: text in self.log(), repr(text), seconds)

    async def stop(self) -> int:
        """SIGTERM, as a service manager would; the exit status."""
        process = self.process
        if process is None or process.returncode is not None:
            return process.returncode if process and process.returncode is not None else 0
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(15):
            status = await process.wait()
        self.process = None
        return status

    async def kill(self) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        self.process = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def log(self) -> str:
        return "\n".join(
            (self.workdir / f"bot-{n}.log").read_text(errors="replace")
            for n in range(1, self.starts + 1)
            if (self.workdir / f"bot-{n}.log").exists()
        )


@asynccontextmanager
async def running_bot(
    workdir: Path,
    *,
    catalog: Catalog | None = None,
    version: str = "2.3.0",
    env: dict[str, str] | None = None,
    rate_limit: int = 50,
) -> AsyncIterator[BotProcess]:
    """Both stand-ins and a started bot; everything stopped afterwards (bot first)."""
    async with (
        LL2Stub(catalog or Catalog.from_fixtures(now=datetime.now(UTC))) as ll2,
        DiscordStub(token=TOKEN, rate_limit=rate_limit) as discord,
    ):
        discord.add_guild(name="Capcom Test", channels=("general", "launches"))
        bot = BotProcess(discord, ll2, workdir, version, dict(env or {}))
        await bot.start()
        try:
            yield bot
        finally:
            status = await bot.stop()
            if status not in (0, -signal.SIGTERM):
                raise AssertionError(f"the bot exited with {status}:\n{bot.log()}")


@asynccontextmanager
async def running_shards(
    discord: DiscordStub, ll2: LL2Stub, folder: Path, shard_ids: Sequence[str], env: dict[str, str]
) -> AsyncIterator[list[BotProcess]]:
    """A `capcom run` per entry of `shard_ids` (its `SHARD_IDS`), each logging in its own
    `process-<n>` folder under `folder`; all started, and all stopped afterwards."""
    processes = []
    for number, ids in enumerate(shard_ids):
        workdir = folder / f"process-{number}"
        workdir.mkdir(parents=True)
        processes.append(BotProcess(discord, ll2, workdir, env=env | {"SHARD_IDS": ids}))
    try:
        for process in processes:
            await process.start()
        yield processes
    finally:
        for process in processes:
            await process.stop()
