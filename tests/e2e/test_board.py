"""Live boards end to end: the bot as a process, polling the LL2 stand-in every second and
turning its boards five times a second, posting and editing through the Discord stand-in."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.harness import ADMIN, BotProcess, running_bot
from tests.stubs.discord import GuildSpec, Overwrite, Perm, StoredMessage
from tests.stubs.ll2 import Catalog

ENV = {
    "ALERT_POLL_SECONDS": "1",
    "ALERT_BOARD_SECONDS": "0.2",
    "LL2_REQUESTS_PER_HOUR": "100000",
    # The launch watch polls while a server keeps a board; it looks for new boards at
    # least every near interval (no launch is near in the stand-in's history at first).
    "UPCOMING_NEAR_POLL_SECONDS": "2",
}


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    catalog = Catalog.synthetic(flights=60, astronauts=120, now=datetime.now(UTC))
    async with running_bot(tmp_path, catalog=catalog, env=ENV) as process:
        yield process


async def polls(bot: BotProcess, count: int = 3) -> None:
    """Wait for `count` more alert polls (some fifteen board turns)."""
    seen = bot.log().count("alert poll:")
    await bot.until(lambda: bot.log().count("alert poll:") >= seen + count, "alert polls", 30)


def boards(bot: BotProcess, guild: GuildSpec) -> list[StoredMessage]:
    return bot.discord.channel_messages(guild.channel("launches").id)


def text(message: StoredMessage) -> str:
    return str(message.embeds)


async def command(bot: BotProcess, subcommand: str, **options: object) -> str:
    handle = await bot.discord.send_command(
        "alerts", options, subcommand=subcommand, permissions=ADMIN
    )
    return str((await handle.wait_message(timeout=10))["embeds"])


async def a_board(bot: BotProcess) -> StoredMessage:
    """A board, once the launch watch's first poll (a board keeps it polling) is on it."""
    guild = bot.discord.default_guild
    await polls(bot, 2)  # who is in space is cached
    asked = bot.ll2.upstream_count()
    reply = await command(bot, "board channel", channel=guild.channel("launches").id)
    assert "live board will be kept" in reply
    await bot.until(lambda: bool(boards(bot, guild)), "the board")
    await bot.until(
        lambda: any("upcoming" in r.path for r in bot.ll2.upstream_requests()[asked:]),
        "the launch watch's first poll",
    )
    await polls(bot, 2)
    [board] = boards(bot, guild)
    assert "🚀 Next" in text(board)
    return board


def age_upcoming_copy(bot: BotProcess, seconds: float) -> None:
    """As if the cached upcoming launches were fetched `seconds` earlier: the next
    `/upcoming` (or launch poll) fetches them again."""
    with sqlite3.connect(bot.database) as db:
        db.execute(
            "UPDATE documents SET fetched_at = fetched_at - ? WHERE key LIKE '%upcoming%'",
            (seconds,),
        )


async def test_the_board_is_posted_once_and_edited_in_place_only_when_something_changes(
    bot: BotProcess,
) -> None:
    guild = bot.discord.default_guild
    await (await bot.discord.send_command("upcoming")).wait_message(timeout=10)
    board = await a_board(bot)
    base = board.edits  # 0 unless LL2 changed between `/upcoming` and the watch's poll
    assert "In space now" in text(board) and "Crew-12" in text(board)
    assert "To be determined" in text(board) and "day not final" in text(board)
    assert not board.pings and not board.content
    asked = bot.ll2.upstream_count()
    await polls(bot, 5)
    assert board.edits == base and boards(bot, guild) == [board]
    # Nothing fetched for the board: the alert poll's one request each time, no more.
    assert {r.path for r in bot.ll2.upstream_requests()[asked:]} <= {"/2.3.0/astronauts/"}

    catalog = bot.ll2.catalog
    landed = catalog.flights_in_space(crewed=True)[0]
    catalog.land_flight(landed, datetime.now(UTC) - timedelta(minutes=5))
    await bot.until(lambda: board.edits >= base + 1, "the board edited for the landing", 30)
    await polls(bot, 3)
    assert board.edits == base + 1 and boards(bot, guild) == [board]
    name = catalog.flight(landed)["spacecraft"]["name"]
    assert f"Last landing: **{name}**" in text(board)

    bot.ll2.advance(2 * 3600 + 60)  # Crew-12 goes from a day placeholder to Go at a time
    age_upcoming_copy(bot, 3600)
    await (await bot.discord.send_command("upcoming")).wait_message(timeout=10)
    await bot.until(lambda: board.edits >= base + 2, "the board edited for the new NET", 30)
    await polls(bot, 3)
    assert board.edits == base + 2 and boards(bot, guild) == [board]
    assert "day not final" not in text(board) and "Go" in text(board)

    # The admin picks German for what Capcom posts here: the same board, edited once.
    reply = await command(bot, "channel", channel=guild.channel("general").id, language="de")
    assert "They will be posted in Deutsch." in reply
    await bot.until(lambda: board.edits >= base + 3, "the board edited in German", 30)
    await polls(bot, 3)
    assert board.edits == base + 3 and boards(bot, guild) == [board]
    assert "Bemannte Raumfahrt, live" in text(board) and "Jetzt im All" in text(board)


async def test_a_deleted_board_is_posted_again_once_and_a_restart_posts_none(
    bot: BotProcess,
) -> None:
    guild = bot.discord.default_guild
    board = await a_board(bot)
    bot.discord.delete_message(board.id)
    catalog = bot.ll2.catalog
    catalog.land_flight(catalog.flights_in_space(crewed=True)[0], datetime.now(UTC))
    await bot.until(lambda: bool(boards(bot, guild)), "a new board", 30)
    await polls(bot, 3)
    [again] = boards(bot, guild)
    assert again.id != board.id and "Last landing: **" in text(again)
    await bot.restart()
    await polls(bot, 3)
    assert boards(bot, guild) == [again] and again.edits == 0
    status = await command(bot, "status")
    assert "Live board" in status and "kept current" in status


async def test_a_board_capcom_may_no_longer_edit_is_paused_and_named_in_status(
    bot: BotProcess,
) -> None:
    guild = bot.discord.default_guild
    board = await a_board(bot)
    edits = board.edits
    launches = guild.channel("launches")
    launches.overwrites.append(Overwrite(guild.bot_member.id, 1, deny=Perm.VIEW_CHANNEL))
    catalog = bot.ll2.catalog
    catalog.land_flight(catalog.flights_in_space(crewed=True)[0], datetime.now(UTC))
    await bot.wait_log("board paused in channel", 30)
    await polls(bot, 2)
    assert board.edits == edits and boards(bot, guild) == [board]
    status = await command(bot, "status")
    assert "Paused" in status and "refused the edit" in status
