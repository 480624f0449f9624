"""Landing alerts and the catalog sync end to end: the bot as a process, polling the LL2
stand-in every second, posting through the Discord stand-in."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import ADMIN, BotProcess, running_bot
from tests.stubs.discord import GuildSpec, Overwrite, Perm, StoredMessage
from tests.stubs.ll2 import Catalog

POLLS = {"ALERT_POLL_SECONDS": "1", "LL2_REQUESTS_PER_HOUR": "100000"}


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    catalog = Catalog.synthetic(flights=60, astronauts=120, now=datetime.now(UTC))
    async with running_bot(tmp_path, catalog=catalog, env=POLLS) as process:
        yield process


def in_space(catalog: Catalog) -> list[int]:
    """The crewed flights up now."""
    return catalog.flights_in_space(crewed=True)


async def subscribe(bot: BotProcess, guild: GuildSpec, **options: Any) -> None:
    handle = await bot.discord.send_command(
        "alerts",
        {"channel": guild.channel("launches").id, **options},
        subcommand="channel",
        guild_id=guild.id,
        channel_id=guild.channel("general").id,
        permissions=ADMIN,
    )
    message = await handle.wait_message(timeout=10)
    assert "will be posted in" in str(message["embeds"]), message


async def polls(bot: BotProcess, count: int = 3) -> None:
    """Wait for `count` more completed alert polls."""
    seen = bot.log().count("alert poll:")
    await bot.until(lambda: bot.log().count("alert poll:") >= seen + count, "alert polls", 30)


def alerts(bot: BotProcess, guild: GuildSpec) -> list[StoredMessage]:
    return bot.discord.channel_messages(guild.channel("launches").id)


def posted_at_least(bot: BotProcess, guild: GuildSpec, count: int) -> bool:
    return len(alerts(bot, guild)) >= count


async def two_guilds(bot: BotProcess) -> tuple[GuildSpec, GuildSpec, int]:
    first = bot.discord.default_guild
    role = first.add_role("space fans", mentionable=True)
    second = bot.discord.add_guild(name="Second", channels=("general", "launches"))
    await bot.wait_log("joined guild Second")
    await subscribe(bot, first, role=role.id)
    await subscribe(bot, second)
    return first, second, role.id


async def test_a_landing_is_posted_once_per_channel_even_across_restarts(
    bot: BotProcess,
) -> None:
    first, second, role = await two_guilds(bot)
    await polls(bot)
    bot.ll2.catalog.land_flight(in_space(bot.ll2.catalog)[0], datetime.now(UTC))
    await bot.until(lambda: bool(alerts(bot, first) and alerts(bot, second)), "both alerts")
    alert = alerts(bot, first)[0]
    assert alert.content == f"<@&{role}>"
    assert alert.pings.roles == {role} and not alert.pings.everyone and not alert.pings.users
    assert "has landed" in alert.embeds[0]["title"]
    assert not alerts(bot, second)[0].pings
    await polls(bot)
    await bot.restart()
    await polls(bot)
    assert (len(alerts(bot, first)), len(alerts(bot, second))) == (1, 1)
    # Each was recorded as sent when Discord took it: no channel history was read for it.
    assert not [c for c in bot.discord.calls if c.method == "GET" and c.route == HISTORY]


HISTORY = "/channels/{channel_id}/messages"


async def killed_after_sending(bot: BotProcess, guild: GuildSpec) -> None:
    """A landing alert reaches Discord and the bot is SIGKILLed before recording it."""
    await subscribe(bot, guild)
    await polls(bot)
    release = bot.discord.hold_next("POST", f"/channels/{guild.channel('launches').id}/messages")
    bot.ll2.catalog.land_flight(in_space(bot.ll2.catalog)[0], datetime.now(UTC))
    await bot.until(lambda: bool(alerts(bot, guild)), "the alert to reach Discord")
    assert bot.process is not None
    bot.process.send_signal(signal.SIGKILL)
    await bot.kill()
    release.set()


async def test_killed_between_sending_and_recording_still_posts_once(bot: BotProcess) -> None:
    guild = bot.discord.default_guild
    launches = guild.channel("launches").id
    assert guild.permissions_for(bot.discord.bot_user.id, launches) & Perm.READ_MESSAGE_HISTORY
    await killed_after_sending(bot, guild)
    await bot.start()
    await polls(bot)
    assert len(alerts(bot, guild)) == 1
    assert "already sent" in bot.log()
    search = await bot.discord.wait_for_call(lambda c: c.method == "GET" and c.route == HISTORY)
    assert search.status == 200 and search.response, "the marker was found by reading history"


async def test_losing_read_message_history_pauses_instead_of_risking_a_duplicate(
    bot: BotProcess,
) -> None:
    guild = bot.discord.default_guild
    await killed_after_sending(bot, guild)
    launches = guild.channel("launches")
    launches.overwrites.append(Overwrite(guild.bot_member.id, 1, deny=Perm.READ_MESSAGE_HISTORY))
    await bot.start()
    await bot.wait_log("alerts paused for guild", 30)
    await polls(bot)
    assert len(alerts(bot, guild)) == 1
    assert not any(c.method == "GET" and c.route == HISTORY for c in bot.discord.calls)
    status = await bot.discord.send_command("alerts", subcommand="status", permissions=ADMIN)
    text = str((await status.wait_message())["embeds"])
    assert "Paused" in text and "Read Message History" in text
    status = await bot.discord.send_command(
        "alerts", subcommand="status", permissions=ADMIN, locale="ja"
    )
    text = str((await status.wait_message())["embeds"])
    assert f"Capcom には <#{launches.id}> での権限がありません: メッセージ履歴を読む" in text


async def test_a_deleted_channel_pauses_that_server_only(bot: BotProcess) -> None:
    first, second, _ = await two_guilds(bot)
    await polls(bot)
    await bot.discord.delete_channel(first.channel("launches").id)
    bot.ll2.catalog.land_flight(in_space(bot.ll2.catalog)[0], datetime.now(UTC))
    await bot.until(lambda: bool(alerts(bot, second)), "the other server's alert")
    await bot.wait_log("alerts paused for guild")
    status = await bot.discord.send_command(
        "alerts", subcommand="status", guild_id=first.id, permissions=ADMIN
    )
    text = str((await status.wait_message())["embeds"])
    assert "Paused" in text and "gone" in text
    sample = await bot.discord.send_command(
        "alerts", subcommand="test", guild_id=first.id, permissions=ADMIN, locale="de"
    )
    text = str((await sample.wait_message())["embeds"])
    assert "Der Kanal für Meldungen ist weg oder für Capcom nicht sichtbar" in text


async def test_a_sample_alert_discord_refuses_says_why_in_the_admins_language(
    bot: BotProcess,
) -> None:
    guild = bot.discord.default_guild
    await subscribe(bot, guild)
    launches = guild.channel("launches").id
    refusal = {"message": "Missing Permissions", "code": 50013}
    for locale, said in (
        (
            "de",
            "Die Testmeldung konnte nicht gepostet werden: Discord hat die Nachricht in"
            f" <#{launches}> abgelehnt (Missing Permissions).",
        ),
        (
            "ru",
            f"Discord отклонил сообщение в <#{launches}> (Missing Permissions)",
        ),
    ):
        bot.discord.fail_next("POST", f"/channels/{launches}/messages", status=403, body=refusal)
        sample = await bot.discord.send_command(
            "alerts", subcommand="test", permissions=ADMIN, locale=locale
        )
        assert said in str((await sample.wait_message())["embeds"])
    assert alerts(bot, guild) == []


async def test_old_landings_and_landings_learned_before_subscribing_are_not_posted(
    bot: BotProcess,
) -> None:
    guild = bot.discord.default_guild
    await polls(bot)  # the first poll learned what is in space
    up = in_space(bot.ll2.catalog)
    now = datetime.now(UTC)
    bot.ll2.catalog.land_flight(up[0], now - timedelta(hours=30))
    bot.ll2.catalog.land_flight(up[1], now - timedelta(minutes=1))
    await polls(bot)  # Capcom learns of both landings: nobody has subscribed
    await subscribe(bot, guild)
    await polls(bot)
    assert alerts(bot, guild) == []


async def test_a_crew_landing_is_news_to_a_server_that_subscribed_before_ll2_recorded_it(
    bot: BotProcess,
) -> None:
    """Touchdown, then the subscription, then LL2's record: one alert within a poll.
    The crewed flights still up and the cargo ship coming home post nothing."""
    guild = bot.discord.default_guild
    await polls(bot)
    touchdown = datetime.now(UTC) - timedelta(minutes=10)
    await subscribe(bot, guild)
    await polls(bot)
    landed, *still_up = in_space(bot.ll2.catalog)
    (cargo,) = bot.ll2.catalog.flights_in_space(crewed=False)
    bot.ll2.catalog.land_flight(cargo, touchdown)
    bot.ll2.catalog.land_flight(landed, touchdown)
    await bot.until(lambda: bool(alerts(bot, guild)), "the landing alert")
    await polls(bot)
    await bot.restart()
    await polls(bot)
    posted = alerts(bot, guild)
    assert len(posted) == 1 and "has landed" in posted[0].embeds[0]["title"]
    assert still_up and all(f in in_space(bot.ll2.catalog) for f in still_up)


async def test_the_sync_fills_the_index_for_autocomplete(tmp_path: Path) -> None:
    catalog = Catalog.synthetic(flights=300, astronauts=700, now=datetime.now(UTC))
    env = {"SYNC_INTERVAL_SECONDS": "0.2", "LL2_REQUESTS_PER_HOUR": "100000"}
    async with running_bot(tmp_path, catalog=catalog, env=env) as bot:
        await bot.wait_log("catalog sync pass complete", 60)
        newest = max(catalog.astronauts)
        name = catalog.astronauts[newest]["name"]
        handle = await bot.discord.send_autocomplete("crew", {"astronaut": name}, "astronaut")
        assert str(newest) in [choice["value"] for choice in await handle.wait_choices()]
        astronaut_requests = [r for r in bot.ll2.upstream_requests() if "astronaut" in r.path]
        assert all(r.query.get("limit") == "100" for r in astronaut_requests)


@pytest.mark.parametrize(
    ("denied", "named"),
    [(Perm.SEND_MESSAGES, "Send Messages"), (Perm.READ_MESSAGE_HISTORY, "Read Message History")],
    ids=["send-messages", "read-message-history"],
)
async def test_a_channel_capcom_cannot_use_is_refused_naming_the_permission(
    bot: BotProcess, denied: int, named: str
) -> None:
    guild = bot.discord.default_guild
    refused = guild.add_text_channel("refused", bot_denied=denied)
    await bot.discord.dispatch("CHANNEL_CREATE", refused.payload())
    await bot.wait_log("alert poll:")
    handle = await bot.discord.send_command(
        "alerts", {"channel": refused.id}, subcommand="channel", permissions=ADMIN
    )
    text = str((await handle.wait_message(timeout=10))["embeds"])
    assert "Capcom can't post in" in text and f"it needs {named}" in text
    status = await bot.discord.send_command("alerts", subcommand="status", permissions=ADMIN)
    assert "Alerts are off" in str((await status.wait_message())["embeds"])


async def test_a_whole_crewed_flight_goes_once_to_the_server_that_chose_each_kind(
    bot: BotProcess,
) -> None:
    """A crew launches, docks, undocks and lands: the server that chose every kind gets
    each once, its role mentioned for the launch and the landing only; the server that
    kept the default gets the landing; a restart sends nothing more."""
    first = bot.discord.default_guild
    role = first.add_role("space fans", mentionable=True)
    second = bot.discord.add_guild(name="Second", channels=("general", "launches"))
    await bot.wait_log("joined guild Second")
    await subscribe(
        bot,
        first,
        role=role.id,
        launches=True,
        dockings=True,
        undockings=True,
        ping_for="launch,landing",
    )
    await subscribe(bot, second)
    await polls(bot)
    catalog = bot.ll2.catalog
    flight = catalog.launch_crew(in_space(catalog)[0], datetime.now(UTC))
    steps: tuple[tuple[str, Callable[[], object]], ...] = (
        ("has launched", lambda: None),
        ("has docked", lambda: catalog.dock(flight, datetime.now(UTC))),
        ("has undocked", lambda: catalog.undock(flight, datetime.now(UTC))),
        ("has landed", lambda: catalog.land_flight(flight, datetime.now(UTC))),
    )
    for number, (title, step) in enumerate(steps, start=1):
        step()
        await bot.until(partial(posted_at_least, bot, first, number), title, 30)
        assert title in alerts(bot, first)[-1].embeds[0]["title"]
    await bot.until(lambda: bool(alerts(bot, second)), "the other server's landing alert")
    await polls(bot)
    await bot.restart()
    await polls(bot)
    posted = alerts(bot, first)
    assert len(posted) == 4 and len(alerts(bot, second)) == 1
    assert "has landed" in alerts(bot, second)[0].embeds[0]["title"]
    assert [bool(m.pings.roles) for m in posted] == [True, False, False, True]


async def test_an_alert_is_in_the_servers_language_or_the_one_its_admin_picked(
    bot: BotProcess,
) -> None:
    """Discord gives each server's language in GUILD_CREATE (`preferred_locale`): German
    gets the landing in German, a locale without a catalog (Vietnamese) in English, and a
    German server whose admin picked Japanese in Japanese, as /alerts status says."""
    servers = {
        locale: bot.discord.add_guild(
            name=f"Server {locale}", channels=("general", "launches"), preferred_locale=server
        )
        for locale, server in (("de", "de"), ("vi", "vi"), ("ja", "de"))
    }
    for locale in servers:
        await bot.wait_log(f"joined guild Server {locale}")
    await subscribe(bot, servers["de"])
    await subscribe(bot, servers["vi"])
    await subscribe(bot, servers["ja"], language="ja")
    await polls(bot)
    bot.ll2.catalog.land_flight(in_space(bot.ll2.catalog)[0], datetime.now(UTC))
    await bot.until(lambda: all(alerts(bot, g) for g in servers.values()), "three alerts")
    titles = {locale: alerts(bot, g)[0].embeds[0]["title"] for locale, g in servers.items()}
    assert titles["de"].endswith(" ist gelandet"), titles
    assert titles["vi"].endswith(" has landed"), titles
    assert titles["ja"].endswith(" が地球に帰還しました"), titles
    fields = [f["name"] for f in alerts(bot, servers["de"])[0].embeds[0]["fields"]]
    assert "Landung" in fields, fields
    status = await bot.discord.send_command(
        "alerts", subcommand="status", guild_id=servers["ja"].id, permissions=ADMIN
    )
    assert "日本語, picked with /alerts channel" in str((await status.wait_message())["embeds"])
    # A Russian admin's /alerts test names the missing permission as Discord does for them.
    launches = servers["vi"].channel("launches")
    launches.overwrites.append(Overwrite(servers["vi"].bot_member.id, 1, deny=Perm.EMBED_LINKS))
    await bot.discord.dispatch("CHANNEL_UPDATE", launches.payload())
    test = await bot.discord.send_command(
        "alerts", subcommand="test", guild_id=servers["vi"].id, permissions=ADMIN, locale="ru"
    )
    assert "нужны права Встраивать ссылки" in str((await test.wait_message())["embeds"])
