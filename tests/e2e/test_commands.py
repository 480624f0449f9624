"""The slash commands end to end: `capcom run` as a process, the real discord.py client,
the Discord and LL2 stand-ins on loopback. Each test drives the bot as a user would."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import ADMIN, BotProcess, running_bot
from tests.stubs.discord import EVERYTHING_BUT_ADMIN, CommandUnavailable, InteractionHandle, Perm
from tests.stubs.ll2 import Catalog, Fault

DOCKED = "<t:1243600980:f>"  # 2009-05-29 12:43 UTC
DEPARTED = "<t:1259639760:f>"  # 2009-12-01 03:56 UTC
CALLBACK_MESSAGE = 4
CALLBACK_DEFER = 5
CALLBACK_UPDATE = 7
EPHEMERAL = 1 << 6
NOT_AN_ADMIN = EVERYTHING_BUT_ADMIN & ~Perm.MANAGE_GUILD
NOW = datetime.now(UTC)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotProcess]:
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=NOW)
    async with running_bot(tmp_path, catalog=catalog) as process:
        yield process


async def answered_in_time(handle: InteractionHandle) -> dict[str, Any]:
    """The first response came within Discord's 3 s; the message the user ends up seeing."""
    first = await handle.wait_response(timeout=5)
    assert first.status == 200 and first.latency < 3.0, (first.status, first.latency)
    message = await handle.wait_message(timeout=20)
    return message


def fields_of(embed: dict[str, Any]) -> dict[str, str]:
    fields = embed.get("fields") or []
    return {str(f["name"]): str(f["value"]) for f in fields}


async def test_flight_219_shows_crew_cards_and_docking_dates(bot: BotProcess) -> None:
    handle = await bot.discord.send_command("flight", {"flight": "219"})
    message = await answered_in_time(handle)
    main, *cards = message["embeds"]
    fields = fields_of(main)
    assert main["title"] == "Soyuz TMA-15"
    assert DOCKED in fields["Docking"] and DEPARTED in fields["Docking"]
    assert "187d 20h 42m" in fields["Mission end"]
    assert [card["title"] for card in cards] == [
        "Roman Romanenko",
        "Frank De Winne",
        "Robert Thirsk",
    ]
    assert all(str(card["thumbnail"]["url"]).startswith("https://") for card in cards)
    [picture] = message["attachments"]
    assert picture["filename"] == "timeline-219.png"
    assert picture["description"].startswith("Mission timeline of Soyuz TMA-15 (3 crew)")
    assert main["image"]["url"] == picture["url"], "the main embed shows the attached timeline"
    assert bot.discord.uploads[int(picture["id"])].startswith(b"\x89PNG\r\n\x1a\n")
    assert [r.files for r in handle.responses if r.files] == [("timeline-219.png",)]
    assert not any(m.pings for m in bot.discord.channel_messages(handle.channel_id))
    await bot.wait_log("/flight in guild")
    assert "from LL2" in bot.log()


async def test_autocomplete_answers_from_the_index(bot: BotProcess) -> None:
    await answered_in_time(await bot.discord.send_command("flight", {"flight": "219"}))
    await bot.wait_log("alert poll")  # the start-up background work is done
    await bot.wait_log("catalog sync")
    upstream = len(bot.ll2.upstream_requests())
    handle = await bot.discord.send_autocomplete("crew", {"astronaut": "roma"}, "astronaut")
    choices = await handle.wait_choices()
    assert choices[0]["name"].startswith("Roman Romanenko")
    assert choices[0]["value"] == "233"
    flights = await bot.discord.send_autocomplete("flight", {"flight": "soyuz tma-1"}, "flight")
    assert "Soyuz TMA-15 · 2009-05-27" in [c["name"] for c in await flights.wait_choices()]
    nothing = await bot.discord.send_autocomplete("crew", {"astronaut": "zzqx"}, "astronaut")
    assert await nothing.wait_choices() == []
    # The catalog sync may page on in the background (by id, searching nothing); nothing
    # else may reach LL2.
    during = [
        f"{r.path}?{r.query}"
        for r in bot.ll2.upstream_requests()[upstream:]
        if r.query.get("ordering") != "id" or "search" in r.query
    ]
    assert during == []  # autocomplete never asks LL2


async def test_flights_pages_with_buttons_that_survive_a_restart(bot: BotProcess) -> None:
    handle = await bot.discord.send_command("flights", {"spacecraft": "78"})
    first = await answered_in_time(handle)
    assert "Page 1 of 3" in str(first["embeds"])
    original = bot.discord.message(int(first["id"]))

    press = await bot.discord.press_button("capcom:flights:78:2", original)
    response = await press.wait_response()
    assert (response.status, response.type) == (200, CALLBACK_UPDATE)
    assert "Page 2 of 3" in str(bot.discord.message(original.id).embeds)

    await bot.restart()
    assert "command set unchanged since the last global sync; not syncing" in bot.log()
    again = await bot.discord.press_button(
        "capcom:flights:78:3", bot.discord.message(original.id), locale="de"
    )
    response = await again.wait_response()
    assert (response.status, response.type) == (200, CALLBACK_UPDATE)
    assert "Seite 3 von 3" in str(bot.discord.message(original.id).embeds)  # the presser's
    listing = [r for r in bot.ll2.upstream_requests() if r.query.get("spacecraft") == "78"]
    assert len(listing) == 1  # every page re-rendered from one cached LL2 page


async def test_upcoming_pages_with_buttons_that_survive_a_restart(bot: BotProcess) -> None:
    first = await answered_in_time(await bot.discord.send_command("upcoming"))
    titles = [embed.get("title") for embed in first["embeds"]]
    assert {"Shenzhou-23", "Crew-12", "Crew-13"} <= set(titles)
    assert "Page 1 of 2 · 4 crewed launches" in first["embeds"][0]["footer"]["text"]
    crew12 = next(embed for embed in first["embeds"] if embed.get("title") == "Crew-12")
    assert "**Status** To be determined" in crew12["description"]
    assert "(day not final)" in crew12["description"]
    original = bot.discord.message(int(first["id"]))

    await bot.restart()
    press = await bot.discord.press_button("capcom:upcoming:2", original)
    response = await press.wait_response()
    assert (response.status, response.type) == (200, CALLBACK_UPDATE)
    second = bot.discord.message(original.id).embeds
    assert [embed.get("title") for embed in second][:1] == ["NS-34 (suborbital)"]
    asked = [r for r in bot.ll2.upstream_requests() if "upcoming" in r.path]
    assert len(asked) == 1  # the second page came from the cached document
    assert asked[0].query["is_crewed"] == "true" and asked[0].query["mode"] == "detailed"


async def test_crew_shows_the_astronaut(bot: BotProcess) -> None:
    message = await answered_in_time(await bot.discord.send_command("crew", {"astronaut": "545"}))
    embed = message["embeds"][0]
    assert embed["title"] == "Robert L. Behnken"
    assert embed["thumbnail"]["url"].startswith("https://")
    assert fields_of(embed)["Nationality"] == "American"
    german = await answered_in_time(
        await bot.discord.send_command("crew", {"astronaut": "545"}, locale="de")
    )
    assert fields_of(german["embeds"][0])["Nationalität"] == "American"


async def test_the_crew_menu_of_a_flight_opens_an_astronaut_in_the_users_language(
    bot: BotProcess,
) -> None:
    """A user whose client is in Japanese reads /flight and the astronaut the crew menu
    opens (for them only) in Japanese; what LL2 wrote stays as LL2 wrote it."""
    handle = await bot.discord.send_command("flight", {"flight": "219"}, locale="ja")
    flight = await answered_in_time(handle)
    main, commander, *_ = flight["embeds"]
    fields = fields_of(main)
    assert main["title"] == "Soyuz TMA-15"
    assert fields_of(commander) == {
        "所属機関": "Russian Federal Space Agency (ROSCOSMOS)",
        "国籍": "Russian",
        "ステータス": "引退",
        "宇宙滞在時間": "333 日 11 時間 0 分",
    }
    assert list(fields)[:5] == ["打ち上げ", "目的地", "ドッキング", "帰還", "ミッション終了"]
    assert fields["打ち上げ"].endswith("\nステータス：打ち上げ成功")
    assert fields["目的地"] == "International Space Station"
    assert f"{DOCKED} ドッキング、{DEPARTED} 分離 · 185 日 15 時間 13 分" in fields["ドッキング"]
    [[menu]] = [row["components"] for row in flight["components"]]
    assert menu["placeholder"] == "クルーを選択…"
    assert [option["label"] for option in menu["options"]] == [
        "Roman Romanenko",
        "Frank De Winne",
        "Robert Thirsk",
    ]
    chosen = await bot.discord.select("capcom:crew:select", ["233"], int(flight["id"]), locale="ja")
    message = await answered_in_time(chosen)
    astronaut = message["embeds"][0]
    assert astronaut["title"] == "Roman Romanenko"
    assert astronaut["footer"]["text"].startswith("宇宙飛行士 233 · データ：")
    assert int(message.get("flags") or 0) & EPHEMERAL


async def test_inspace_lists_who_is_up_now(bot: BotProcess) -> None:
    up = sorted(a["name"] for a in bot.ll2.catalog.astronauts.values() if a.get("in_space") is True)
    assert up
    message = await answered_in_time(await bot.discord.send_command("inspace"))
    text = str(message["embeds"])
    assert f"{len(up)} people in space" in text or f"{len(up)} person in space" in text
    assert all(name in text for name in up)


async def test_about_says_budget_and_cache(bot: BotProcess) -> None:
    message = await answered_in_time(await bot.discord.send_command("about"))
    text = str(message["embeds"])
    assert "requests left this hour" in text and "Launch Library 2" in text


async def test_a_throttling_ll2_gets_stale_data_with_its_age_or_a_plain_error(
    bot: BotProcess,
) -> None:
    await answered_in_time(await bot.discord.send_command("flight", {"flight": "219"}))
    await bot.stop()
    with sqlite3.connect(bot.database) as db:  # the cached copy is 40 days old now
        db.execute("UPDATE documents SET fetched_at = fetched_at - 40 * 86400")
    await bot.start()
    bot.ll2.set_fault(Fault.THROTTLE, retry_after=900)

    stale = await answered_in_time(await bot.discord.send_command("flight", {"flight": "219"}))
    description = str(stale["embeds"][0]["description"])
    assert description.startswith("⚠️ Data from <t:") and "LL2 is rate-limiting" in description

    error = await answered_in_time(await bot.discord.send_command("flight", {"flight": "186"}))
    text = str(error["embeds"])
    assert "LL2 is rate-limiting and nothing is cached yet; try again in 15 minutes" in text
    assert int(error.get("flags") or 0) & EPHEMERAL
    assert "Traceback" not in bot.log()


async def test_admin_commands_are_hidden_and_refused_for_others(bot: BotProcess) -> None:
    with pytest.raises(CommandUnavailable) as hidden:
        await bot.discord.send_command("alerts", subcommand="status", permissions=NOT_AN_ADMIN)
    assert hidden.value.reason == "missing_permissions"
    overridden = await bot.discord.send_command(
        "alerts", subcommand="status", permissions=NOT_AN_ADMIN, override_visibility=True
    )
    message = await answered_in_time(overridden)
    assert "You need the Manage Server permission" in str(message["embeds"])
    assert int(message.get("flags") or 0) & EPHEMERAL
    admin = await bot.discord.send_command("alerts", subcommand="status", permissions=ADMIN)
    assert "Alerts are off" in str((await answered_in_time(admin))["embeds"])


async def test_sigterm_shuts_down_cleanly(bot: BotProcess) -> None:
    assert await bot.stop() == 0
    assert "Traceback" not in bot.log()
    assert "stopped" in bot.log()


async def test_a_user_past_their_share_of_ll2_is_told_when_while_others_are_served(
    tmp_path: Path,
) -> None:
    # The catalog sync on spare slots would cache every flight at start: none to ask for.
    env = {"LL2_USER_REQUESTS_PER_HOUR": "1", "SYNC_SPARE_SLOTS": "false"}
    async with running_bot(tmp_path, env=env) as bot:
        send = bot.discord.send_command
        await answered_in_time(await send("flight", {"flight": "219"}, user_id=501))

        refused = await answered_in_time(await send("flight", {"flight": "186"}, user_id=501))
        text = str(refused["embeds"][0]["description"])
        assert text.startswith(
            "❌ You've asked LL2 for 1 new thing this hour; Capcom shares 15 requests an hour"
            " with everyone. Try again <t:"
        ), text
        assert int(refused.get("flags") or 0) & EPHEMERAL

        other = await answered_in_time(await send("flight", {"flight": "186"}, user_id=502))
        cached = await answered_in_time(await send("flight", {"flight": "219"}, user_id=501))
        for message in (other, cached):
            assert not str(message["embeds"][0].get("description")).startswith("❌")
            assert not int(message.get("flags") or 0) & EPHEMERAL


async def test_user_install_answers_in_a_dm_and_a_group_dm_with_working_buttons(
    bot: BotProcess,
) -> None:
    user = bot.discord.default_guild.tester
    bot.discord.install_for_user(user)
    dm = await bot.discord.send_command("flight", {"flight": "219"}, in_dm=True)
    assert dm.payload["context"] == 1 and "guild_id" not in dm.payload
    assert (await answered_in_time(dm))["embeds"][0]["title"] == "Soyuz TMA-15"

    group = await bot.discord.send_command("flights", {"spacecraft": "78"}, private_channel=True)
    assert group.payload["context"] == 2
    assert group.payload["authorizing_integration_owners"] == {"1": str(user.id)}
    first = await answered_in_time(group)
    assert "Page 1 of 3" in str(first["embeds"])
    press = await bot.discord.press_button("capcom:flights:78:2", int(first["id"]))
    assert (await press.wait_response()).type == CALLBACK_UPDATE
    assert "Page 2 of 3" in str(bot.discord.message(int(first["id"])).embeds)
    for name in ("crew", "inspace", "about"):
        options = {"astronaut": "545"} if name == "crew" else None
        handle = await bot.discord.send_command(name, options, private_channel=True)
        assert (await answered_in_time(handle))["embeds"], name


async def test_user_install_answers_in_a_server_without_the_bot(bot: BotProcess) -> None:
    elsewhere = bot.discord.add_guild(name="Elsewhere", channels=("chat",), with_bot=False)
    user = elsewhere.tester
    with pytest.raises(CommandUnavailable) as not_installed:
        await bot.discord.send_command("flight", {"flight": "219"}, guild_id=elsewhere.id)
    assert not_installed.value.reason == "not_installed"
    bot.discord.install_for_user(user)
    # A member without Use External Apps: Discord makes every answer ephemeral.
    permissions = EVERYTHING_BUT_ADMIN & ~Perm.USE_EXTERNAL_APPS
    handle = await bot.discord.send_command(
        "flight", {"flight": "219"}, guild_id=elsewhere.id, permissions=permissions
    )
    assert handle.payload["authorizing_integration_owners"] == {"1": str(user.id)}
    flight = await answered_in_time(handle)
    assert flight["embeds"][0]["title"] == "Soyuz TMA-15"
    assert int(flight.get("flags") or 0) & EPHEMERAL
    chosen = await bot.discord.select(
        "capcom:crew:select", ["233"], int(flight["id"]), permissions=permissions
    )
    assert (await answered_in_time(chosen))["embeds"][0]["title"] == "Roman Romanenko"
    assert bot.discord.channel_messages(elsewhere.channel("chat").id) == []
    assert "Traceback" not in bot.log()


async def test_alerts_is_server_install_and_server_only(bot: BotProcess) -> None:
    synced = {c["name"]: c for c in bot.discord.commands()}
    assert (synced["alerts"]["contexts"], synced["alerts"]["integration_types"]) == ([0], [0])
    for name in ("flight", "flights", "crew", "inspace", "upcoming", "about"):
        assert (synced[name]["contexts"], synced[name]["integration_types"]) == ([0, 1, 2], [0, 1])
    bot.discord.install_for_user(bot.discord.default_guild.tester)
    elsewhere = bot.discord.add_guild(name="Elsewhere", with_bot=False)
    for place in ({"in_dm": True}, {"private_channel": True}, {"guild_id": elsewhere.id}):
        with pytest.raises(CommandUnavailable) as refused:
            await bot.discord.send_command(
                "alerts", subcommand="status", permissions=ADMIN, **place
            )
        assert refused.value.reason == ("not_installed" if "guild_id" in place else "wrong_context")


async def test_commands_are_synced_in_the_users_languages(bot: BotProcess) -> None:
    """The bot's real sync carries every catalog's names and descriptions, and the stand-in,
    refusing what Discord refuses, accepted them; other locales see the English default."""
    synced = {c["name"]: c for c in bot.discord.commands()}
    flight = synced["flight"]
    assert flight["name_localizations"]["ja"] == "フライト"
    assert flight["description_localizations"]["de"].startswith("Ein bemannter Raumflug")
    assert "vi" not in flight["name_localizations"]
    alerts = synced["alerts"]
    channel = next(o for o in alerts["options"] if o["name"] == "channel")
    ping_for = next(o for o in channel["options"] if o["name"] == "ping_for")
    assert ping_for["choices"][1]["name_localizations"]["ru"] == "запуски и посадки"


async def test_refusals_and_errors_are_in_the_users_language(tmp_path: Path) -> None:
    """A client in Japanese is refused (past its share, the share's count and limit filled
    in; an admin command without Manage Server) and told of an unknown name in Japanese; a
    locale Capcom has no catalog for reads English."""
    env = {"LL2_USER_REQUESTS_PER_HOUR": "1", "SYNC_SPARE_SLOTS": "false"}
    async with running_bot(tmp_path, env=env) as bot:
        send = bot.discord.send_command
        await answered_in_time(await send("flight", {"flight": "219"}, user_id=501, locale="ja"))
        refused = await answered_in_time(
            await send("flight", {"flight": "186"}, user_id=501, locale="ja")
        )
        assert str(refused["embeds"][0]["description"]).startswith(
            "❌ この1時間で LL2 に新しい情報を1件問い合わせました。Capcom は1時間あたり15件の"
            "リクエストを全員で分け合っています。<t:"
        ), refused
        assert int(refused.get("flags") or 0) & EPHEMERAL

        for locale, said in (
            (
                "ja",
                "❌ 「Zond 99」に一致するフライトはありません。"
                "一覧から選ぶか、ID を指定してください。",
            ),
            ("vi", "❌ No flight matches “Zond 99”. Pick one from the list, or give its id."),
        ):
            unknown = await answered_in_time(
                await send("flight", {"flight": "Zond 99"}, user_id=502, locale=locale)
            )
            assert unknown["embeds"][0]["description"] == said

        refused_admin = await answered_in_time(
            await send(
                "alerts",
                subcommand="status",
                permissions=NOT_AN_ADMIN,
                override_visibility=True,
                locale="ja",
            )
        )
        assert refused_admin["embeds"][0]["description"] == (
            "❌ このコマンドを使うには サーバー管理 権限が必要です。"
        )
