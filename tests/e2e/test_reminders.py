"""Reminders and launch changes end to end: the bot as a process, asking the LL2
stand-in for upcoming launches every second (intervals made short by settings), posting
and editing through the Discord stand-in. A launch an hour and a few seconds away, whose
NET then moves as real ones do."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.harness import ADMIN, BotProcess, running_bot
from tests.e2e.test_alerts import subscribe
from tests.stubs.discord import StoredMessage
from tests.stubs.ll2.convert import UPCOMING_CREW12_GO, load_fixture
from tests.stubs.ll2.upcoming import GO, SEC, LaunchState, ScriptedLaunch, UpcomingHistory

FAST = {
    "ALERT_POLL_SECONDS": "1",  # a lease of half a second: a restart takes over at once
    "UPCOMING_POLL_SECONDS": "1",
    "UPCOMING_NEAR_POLL_SECONDS": "1",
    "UPCOMING_LEAD_SECONDS": "1",
    "LL2_REQUESTS_PER_HOUR": "100000",
}


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    async with running_bot(tmp_path, env=FAST) as process:
        process.ll2.upcoming = UpcomingHistory()  # nothing upcoming until the test says
        yield process


def posted(bot: BotProcess) -> list[StoredMessage]:
    return bot.discord.channel_messages(bot.discord.default_guild.channel("launches").id)


def titles(bot: BotProcess) -> list[str]:
    return [str(message.payload["embeds"][0].get("title")) for message in posted(bot)]


def description(message: StoredMessage) -> str:
    return str(message.payload["embeds"][0].get("description"))


async def subscribe_to_reminders(bot: BotProcess) -> None:
    """Reminders 1 h before launch in #launches, and nothing else."""
    guild = bot.discord.default_guild
    await subscribe(bot, guild, landings=False, reminders=True, reminder_times="3600")
    status = await bot.discord.send_command("alerts", subcommand="status", permissions=ADMIN)
    shown = str((await status.wait_message(timeout=10))["embeds"])
    assert "1 h before each crewed launch" in shown, shown


def script(bot: BotProcess, *states: LaunchState) -> None:
    """Crew-12 as LL2 will show it from now on."""
    template = load_fixture(UPCOMING_CREW12_GO)
    bot.ll2.upcoming = UpcomingHistory((ScriptedLaunch(template, states),))


async def test_a_reminder_at_its_time_one_notice_per_change_and_none_for_a_superseded_net(
    bot: BotProcess,
) -> None:
    await subscribe_to_reminders(bot)
    now = bot.ll2.wall_time().replace(microsecond=0)
    first = now + timedelta(hours=1, seconds=12)  # its 1 h reminder is due in 12 s
    later = first + timedelta(minutes=30)
    earlier = now + timedelta(hours=1, seconds=40)  # due at +40 s, then superseded at +30 s
    last = earlier + timedelta(hours=2)
    script(
        bot,
        LaunchState(now, GO, first, SEC),
        LaunchState(now + timedelta(seconds=20), GO, later, SEC),
        LaunchState(now + timedelta(seconds=25), GO, earlier, SEC),
        LaunchState(now + timedelta(seconds=30), GO, last, SEC),
    )

    await bot.until(lambda: len(posted(bot)) >= 1, "the reminder", 20)
    reminder = posted(bot)[0]
    sent_at = datetime.now(UTC)
    assert titles(bot) == ["⏰ Crew-12 launches in 1 hour"]
    assert abs((sent_at - (first - timedelta(hours=1))).total_seconds()) < 5
    assert description(reminder).startswith(f"NET <t:{int(first.timestamp())}:F>")

    await bot.until(lambda: len(posted(bot)) >= 4, "three change notices", 30)
    await bot.until(lambda: datetime.now(UTC) > earlier - timedelta(hours=1, seconds=-5), "", 30)
    assert titles(bot) == [
        "⏰ Crew-12: this reminder is out of date",
        "⏩ Crew-12 moved later",
        "⏪ Crew-12 moved earlier",
        "⏩ Crew-12 moved later",
    ]
    # the first reminder edited in place, pointing at the NET LL2 holds now
    assert posted(bot)[0].id == reminder.id and posted(bot)[0].edits >= 1
    assert description(posted(bot)[0]).startswith(
        f"~~<t:{int(first.timestamp())}:F>~~ → now NET <t:{int(last.timestamp())}:F>"
    )
    assert [message.edits for message in posted(bot)[1:]] == [0, 0, 0]


async def test_killed_between_sending_a_reminder_and_recording_it_still_posts_once(
    bot: BotProcess,
) -> None:
    await subscribe_to_reminders(bot)
    launches = bot.discord.default_guild.channel("launches").id
    release = bot.discord.hold_next("POST", f"/channels/{launches}/messages")
    now = bot.ll2.wall_time().replace(microsecond=0)
    script(bot, LaunchState(now, GO, now + timedelta(hours=1, seconds=8), SEC))
    await bot.until(lambda: len(posted(bot)) == 1, "the reminder to reach Discord", 20)
    assert bot.process is not None
    bot.process.send_signal(signal.SIGKILL)
    await bot.kill()
    release.set()
    await bot.start()
    await bot.wait_log("already sent", 30)
    assert titles(bot) == ["⏰ Crew-12 launches in 1 hour"]
