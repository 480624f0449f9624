"""The Discord stand-in, proved with the real discord.py client running in-process."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from babel.messages.catalog import Catalog
from discord import app_commands
from discord.ext import commands

from bot.translator import CatalogTranslator
from tests.stubs.clients import connected
from tests.stubs.discord import (
    ALL_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    EVERYTHING_BUT_ADMIN,
    MESSAGE_FLAG_EPHEMERAL,
    CommandUnavailable,
    DiscordStub,
    GuildSpec,
    Perm,
)

TOKEN = "stub-token"
MISSIONS = ("Artemis II", "Crew-11", "Soyuz MS-28", "Shenzhou-21")
Interaction = discord.Interaction[discord.Client]
AppCommand = app_commands.Command[Any, ..., Any]


class StubBot(commands.Bot):
    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            guild_ready_timeout=0.05,
        )
        self.failures: list[discord.HTTPException] = []
        self.callback_message_ids: list[int | None] = []

    async def setup_hook(self) -> None:
        self.add_dynamic_items(LaunchButton)
        app: tuple[AppCommand, ...] = (status, crew, big, slow, admin, pick)
        for command in app:
            self.tree.add_command(command)


def _bot(interaction: Interaction) -> StubBot:
    client = interaction.client
    assert isinstance(client, StubBot)
    return client


class LaunchButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"launch:(?P<launch_id>[0-9]+)",
):
    def __init__(self, launch_id: int) -> None:
        super().__init__(discord.ui.Button(label="Launch", custom_id=f"launch:{launch_id}"))
        self.launch_id = launch_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: Interaction,
        item: discord.ui.Item[discord.ui.View],
        match: re.Match[str],
        /,
    ) -> LaunchButton:
        return cls(int(match["launch_id"]))

    async def callback(self, interaction: Interaction) -> None:
        await interaction.response.send_message(f"launch {self.launch_id}", ephemeral=True)


@app_commands.command(description="Current status")
@app_commands.allowed_installs(guilds=True, users=True)
@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
async def status(interaction: Interaction) -> None:
    view = discord.ui.View(timeout=None)
    view.add_item(LaunchButton(42))
    embed = discord.Embed(title="Status", description="All systems nominal")
    callback = await interaction.response.send_message(embed=embed, view=view)
    _bot(interaction).callback_message_ids.append(callback.message_id)


async def mission_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=m, value=m) for m in MISSIONS if current.lower() in m.lower()]


@app_commands.command(description="Crew of a mission")
@app_commands.autocomplete(mission=mission_choices)
async def crew(interaction: Interaction, mission: str) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send(f"Crew of {mission}: four astronauts")


@app_commands.command(description="Answers with an embed over Discord's limits")
async def big(interaction: Interaction) -> None:
    try:
        await interaction.response.send_message(embed=discord.Embed(description="x" * 4097))
    except discord.HTTPException as exc:
        _bot(interaction).failures.append(exc)


@app_commands.command(description="Answers after the 3 s deadline")
async def slow(interaction: Interaction) -> None:
    await asyncio.sleep(3.2)
    try:
        await interaction.response.send_message("too late")
    except discord.HTTPException as exc:
        _bot(interaction).failures.append(exc)


@app_commands.command(description="For server managers")
@app_commands.default_permissions(manage_guild=True)
async def admin(interaction: Interaction) -> None:
    await interaction.response.send_message("admin ok", ephemeral=True)


@app_commands.command(description="Typed options")
async def pick(
    interaction: Interaction,
    channel: discord.TextChannel,
    count: app_commands.Range[int, 1, 10],
    loud: bool = False,
    role: discord.Role | None = None,
) -> None:
    role_name = None if role is None else role.name
    await interaction.response.send_message(
        f"{type(channel).__name__}:{channel.id} {count!r} {loud!r} {role_name}"
    )


async def noop(interaction: Interaction) -> None:
    await interaction.response.send_message("noop")


@pytest.fixture
async def stub() -> AsyncIterator[DiscordStub]:
    async with DiscordStub(token=TOKEN) as stand_in:
        guild = stand_in.add_guild(name="Capcom Test", channels=["general", "launches"])
        guild.add_role("Flight", Perm.MENTION_EVERYONE)
        guild.add_text_channel("read-only", bot_denied=Perm.SEND_MESSAGES)
        guild.add_text_channel("no-embeds", bot_denied=Perm.EMBED_LINKS)
        yield stand_in
        assert not stand_in.failures


@pytest.fixture
async def bot(stub: DiscordStub, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StubBot]:
    async with connected(stub, StubBot(), TOKEN, monkeypatch) as client:
        yield client


def _completion(bot: StubBot) -> asyncio.Task[object]:
    """Done once an app command's callback has returned (set up before sending it)."""
    return asyncio.create_task(bot.wait_for("app_command_completion", timeout=5))


def _guild(stub: DiscordStub) -> GuildSpec:
    return stub.default_guild


def _text_channel(bot: StubBot, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_login_identify_and_guild_cache(stub: DiscordStub, bot: StubBot) -> None:
    spec = _guild(stub)
    assert [c.route for c in stub.calls[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert bot.user is not None and bot.user.id == stub.bot_user.id
    assert bot.application_id == stub.application_id
    assert stub.ready.is_set() and stub.connections == 1
    assert stub.gateway.identifies[0]["intents"] == discord.Intents(guilds=True).value
    guild = bot.get_guild(spec.id)
    assert guild is not None and guild.name == "Capcom Test"
    assert {c.name for c in guild.text_channels} == {
        "general",
        "launches",
        "read-only",
        "no-embeds",
    }
    assert guild.me.id == stub.bot_user.id and guild.owner_id == spec.owner.id
    assert discord.Permissions.all().value == ALL_PERMISSIONS


async def test_replies_are_plain_application_json(stub: DiscordStub) -> None:
    headers = {"Authorization": f"Bot {TOKEN}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{stub.api_base_url}/users/@me", headers=headers) as response,
    ):
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["X-RateLimit-Remaining"] == "4"
        assert (await response.json())["id"] == str(stub.bot_user.id)
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{stub.api_base_url}/users/@me") as response,
    ):
        assert response.status == 401


async def test_sync_global_and_guild(stub: DiscordStub, bot: StubBot) -> None:
    spec = _guild(stub)
    synced_global = {c.name: c.id for c in await bot.tree.sync()}
    assert synced_global == {c["name"]: int(c["id"]) for c in stub.commands()}
    assert set(synced_global) == {"status", "crew", "big", "slow", "admin", "pick"}
    guild = discord.Object(spec.id)
    bot.tree.copy_global_to(guild=guild)
    synced_guild = await bot.tree.sync(guild=guild)
    assert {c.guild_id for c in synced_guild} == {spec.id}
    assert {c["name"] for c in stub.commands(spec.id)} == set(synced_global)
    again = {c.name: c.id for c in await bot.tree.sync()}
    assert again == synced_global, "ids stay stable across overwrites"
    admin_command = next(c for c in stub.commands() if c["name"] == "admin")
    assert admin_command["default_member_permissions"] == str(Perm.MANAGE_GUILD)


async def test_invalid_command_definitions_fail_sync(stub: DiscordStub, bot: StubBot) -> None:
    before = stub.commands()
    bad_name: AppCommand = app_commands.Command(name="valid", description="Valid", callback=noop)
    bad_name.name = "Bad Name"
    bot.tree.add_command(bad_name)
    with pytest.raises(app_commands.CommandSyncFailure) as failure:
        await bot.tree.sync()
    assert failure.value.status == 400 and failure.value.code == 50035
    assert "Command name is invalid" in str(failure.value)
    assert stub.commands() == before
    bot.tree.remove_command("Bad Name")
    wordy: AppCommand = app_commands.Command(name="wordy", description="w" * 101, callback=noop)
    bot.tree.add_command(wordy)
    with pytest.raises(app_commands.CommandSyncFailure):
        await bot.tree.sync()


async def test_a_real_sync_with_an_invalid_localized_name_fails(
    stub: DiscordStub, bot: StubBot
) -> None:
    before = stub.commands()
    shouting = Catalog()
    shouting.add("status", "STATUS", context="command_name")
    await bot.tree.set_translator(CatalogTranslator({"de": shouting}))
    with pytest.raises(app_commands.CommandSyncFailure) as failure:
        await bot.tree.sync()
    assert failure.value.code == 50035 and "Command name is invalid" in str(failure.value)
    assert stub.commands() == before
    await bot.tree.set_translator(None)
    await bot.tree.sync()
    assert {c["name"] for c in stub.commands()} == {c.name for c in bot.tree.get_commands()}


async def test_sync_rejects_unknown_contexts_and_integration_types(stub: DiscordStub) -> None:
    url = f"{stub.api_base_url}/applications/{stub.application_id}/commands"
    command = {"name": "odd", "description": "Odd", "contexts": [0, 3], "integration_types": [2]}
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bot {TOKEN}"}) as session,
        session.put(url, json=[command]) as response,
    ):
        assert response.status == 400
        errors = (await response.json())["errors"]["0"]
    assert errors["contexts"]["1"]["_errors"][0]["code"] == "BASE_TYPE_CHOICES"
    assert errors["integration_types"]["0"]["_errors"][0]["code"] == "BASE_TYPE_CHOICES"
    assert "0" not in errors["contexts"]
    assert stub.commands() == []


async def test_user_install_in_dms_and_servers_without_the_bot(
    stub: DiscordStub, bot: StubBot
) -> None:
    elsewhere = stub.add_guild(name="No bot here", channels=["chat"], with_bot=False)
    user = elsewhere.tester.id
    assert bot.get_guild(elsewhere.id) is None
    with pytest.raises(CommandUnavailable) as not_installed:
        await stub.send_command("status", guild_id=elsewhere.id, user_id=user)
    assert not_installed.value.reason == "not_installed"
    stub.install_for_user(user)

    dm = await stub.send_command("status", user_id=user, in_dm=True)
    assert (dm.payload["context"], dm.payload["authorizing_integration_owners"]) == (
        1,
        {"0": "0", "1": str(user)},
    )
    assert "guild_id" not in dm.payload and (await dm.wait_response()).ok
    group = await stub.send_command("status", user_id=user, private_channel=True)
    assert (group.payload["context"], group.payload["authorizing_integration_owners"]) == (
        2,
        {"1": str(user)},
    )
    assert group.payload["channel"]["type"] == 3 and "guild_id" not in group.payload
    assert (await group.wait_response()).ok

    no_external_apps = EVERYTHING_BUT_ADMIN & ~Perm.USE_EXTERNAL_APPS
    there = await stub.send_command(
        "status", guild_id=elsewhere.id, user_id=user, permissions=no_external_apps
    )
    assert (there.payload["context"], there.payload["authorizing_integration_owners"]) == (
        0,
        {"1": str(user)},
    )
    assert there.payload["app_permissions"] == str(DEFAULT_EVERYONE_PERMISSIONS)
    message = await there.wait_message()
    assert int(message["flags"]) & MESSAGE_FLAG_EPHEMERAL, "forced ephemeral"
    press = await stub.press_button("launch:42", int(message["id"]), user_id=user)
    assert press.payload["authorizing_integration_owners"] == {"1": str(user)}
    assert press.payload["guild_id"] == str(elsewhere.id)
    assert (await press.wait_response()).data["content"] == "launch 42"

    with pytest.raises(CommandUnavailable) as server_install_only:
        await stub.send_command(
            "admin", guild_id=elsewhere.id, user_id=user, permissions=ALL_PERMISSIONS
        )
    assert server_install_only.value.reason == "not_installed"
    with pytest.raises(CommandUnavailable) as not_here:
        await stub.send_command("admin", user_id=user, private_channel=True)
    assert not_here.value.reason == "wrong_context"

    url = f"{stub.api_base_url}/webhooks/{stub.application_id}/{group.token}?wait=true"
    async with aiohttp.ClientSession() as session:
        statuses = []
        for n in range(6):
            async with session.post(url, json={"content": f"follow-up {n}"}) as response:
                statuses.append((response.status, (await response.json()).get("code")))
    assert statuses[:5] == [(200, None)] * 5 and statuses[5] == (400, 40094)


async def test_command_answered_with_an_embed(stub: DiscordStub, bot: StubBot) -> None:
    completed = _completion(bot)
    handle = await stub.send_command("status")
    response = await handle.wait_response()
    assert response.status == 200 and response.type == 4
    assert response.data["embeds"][0]["title"] == "Status"
    assert 0 <= response.latency < 1
    message = await handle.wait_message()
    assert message["embeds"][0]["description"] == "All systems nominal"
    await completed
    assert bot.callback_message_ids == [int(message["id"])]
    stored = stub.channel_messages(_guild(stub).text_channels[0].id)
    assert [m.source for m in stored] == ["interaction"]


async def test_defer_then_follow_up(stub: DiscordStub, bot: StubBot) -> None:
    handle = await stub.send_command("crew", {"mission": "Artemis II"})
    assert (await handle.wait_response()).type == 5
    message = await handle.wait_message()
    assert message["content"] == "Crew of Artemis II: four astronauts"
    assert [r.kind for r in handle.responses] == ["callback", "followup"]
    assert int(message["id"]) == handle.original_id, "the follow-up replaced the defer"


async def test_autocomplete_choices(stub: DiscordStub, bot: StubBot) -> None:
    handle = await stub.send_autocomplete("crew", {"mission": "ar"}, focused="mission")
    assert await handle.wait_choices() == [{"name": "Artemis II", "value": "Artemis II"}]
    assert (await handle.wait_response()).type == 8


async def test_persistent_button(stub: DiscordStub, bot: StubBot) -> None:
    message = await (await stub.send_command("status")).wait_message()
    handle = await stub.press_button("launch:42", int(message["id"]))
    response = await handle.wait_response()
    assert response.status == 200 and response.type == 4
    assert response.data["content"] == "launch 42"
    assert response.data["flags"] & MESSAGE_FLAG_EPHEMERAL
    with pytest.raises(ValueError, match="no component"):
        await stub.press_button("launch:43", int(message["id"]))


async def test_over_limit_embed_is_rejected(stub: DiscordStub, bot: StubBot) -> None:
    completed = _completion(bot)
    handle = await stub.send_command("big")
    response = await handle.wait_response()
    assert response.status == 400
    assert response.error is not None and response.error["code"] == 50035
    assert "description" in response.error["errors"]["data"]["embeds"]["0"]
    await completed
    assert [(e.status, e.code) for e in bot.failures] == [(400, 50035)]
    assert handle.acknowledged is None


async def test_late_first_response_is_unknown_interaction(stub: DiscordStub, bot: StubBot) -> None:
    completed = _completion(bot)
    handle = await stub.send_command("slow")
    response = await handle.wait_response(timeout=6)
    assert response.status == 404 and response.latency > 3
    await completed
    assert len(bot.failures) == 1
    assert isinstance(bot.failures[0], discord.NotFound) and bot.failures[0].code == 10062


async def test_second_callback_is_already_acknowledged(stub: DiscordStub, bot: StubBot) -> None:
    handle = await stub.send_command("status")
    await handle.wait_message()
    url = f"{stub.api_base_url}/interactions/{handle.id}/{handle.token}/callback"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"type": 4, "data": {"content": "again"}}) as response,
    ):
        assert response.status == 400
        assert (await response.json())["code"] == 40060


async def test_admin_command_hidden_from_members(stub: DiscordStub, bot: StubBot) -> None:
    with pytest.raises(CommandUnavailable) as hidden:
        await stub.send_command("admin", permissions=DEFAULT_EVERYONE_PERMISSIONS)
    assert hidden.value.reason == "missing_permissions"
    with pytest.raises(CommandUnavailable):
        await stub.send_command("nonexistent")
    handle = await stub.send_command(
        "admin", permissions=DEFAULT_EVERYONE_PERMISSIONS | Perm.ADMINISTRATOR
    )
    assert (await handle.wait_message())["content"] == "admin ok"


async def test_typed_options_with_resolved_data(stub: DiscordStub, bot: StubBot) -> None:
    spec = _guild(stub)
    launches = spec.channel("launches")
    flight = next(r for r in spec.roles.values() if r.name == "Flight")
    options = {"channel": launches, "count": 3, "loud": True, "role": flight}
    handle = await stub.send_command("pick", options)
    message = await handle.wait_message()
    assert message["content"] == f"TextChannel:{launches.id} 3 True Flight"
    with pytest.raises(ValueError, match="count"):
        await stub.send_command("pick", {"channel": launches, "count": 11})
    with pytest.raises(ValueError, match="required"):
        await stub.send_command("pick", {"count": 1})


async def test_permissions_from_guild_create(stub: DiscordStub, bot: StubBot) -> None:
    spec = _guild(stub)
    guild = bot.get_guild(spec.id)
    assert guild is not None
    checked = ("view_channel", "send_messages", "embed_links", "attach_files")
    expected = {
        "general": (True, True, True, True),
        "read-only": (True, False, False, False),
        "no-embeds": (True, True, False, True),
    }
    for name, flags in expected.items():
        channel = spec.channel(name)
        client_side = _text_channel(bot, channel.id).permissions_for(guild.me)
        assert tuple(getattr(client_side, f) for f in checked) == flags, name
        server_side = discord.Permissions(spec.permissions_for(stub.bot_user.id, channel.id))
        assert tuple(getattr(server_side, f) for f in checked) == flags, name


async def test_channel_messages_and_allowed_mentions(stub: DiscordStub, bot: StubBot) -> None:
    spec = _guild(stub)
    general = _text_channel(bot, spec.channel("general").id)
    quiet = await general.send(
        f"<@{spec.tester.id}> @everyone liftoff", allowed_mentions=discord.AllowedMentions.none()
    )
    loud = await general.send(f"<@{spec.tester.id}> liftoff")
    stored = stub.channel_messages(general.id)
    assert [m.id for m in stored] == [quiet.id, loud.id]
    assert stored[0].allowed_mentions == {"parse": []} and not stored[0].pings
    assert stored[1].allowed_mentions is None and stored[1].pings.users == {spec.tester.id}
    history = [m.id async for m in general.history(limit=10)]
    assert history == [loud.id, quiet.id]
    with pytest.raises(discord.Forbidden) as forbidden:
        await _text_channel(bot, spec.channel("read-only").id).send("nope")
    assert forbidden.value.code == 50013
    no_embeds = _text_channel(bot, spec.channel("no-embeds").id)
    sent = await no_embeds.send("see embed", embed=discord.Embed(title="Hidden"))
    assert sent.embeds == [] and stub.message(sent.id).embeds_suppressed
    with pytest.raises(discord.HTTPException) as too_long:
        await general.send("x" * 2001)
    assert too_long.value.status == 400 and too_long.value.code == 50035


async def test_history_is_empty_without_read_message_history(
    stub: DiscordStub, bot: StubBot
) -> None:
    """Discord answers a history request with an empty list, not an error, when the bot
    lacks Read Message History (and 403 Missing Access when it cannot view the channel)."""
    spec = _guild(stub)
    no_history = spec.add_text_channel("no-history", bot_denied=Perm.READ_MESSAGE_HISTORY)
    hidden = spec.add_text_channel("hidden", bot_denied=Perm.VIEW_CHANNEL)
    channel = bot.get_partial_messageable(no_history.id)
    sent = await channel.send("liftoff")
    assert [m.id for m in stub.channel_messages(no_history.id)] == [sent.id]
    assert [m.id async for m in channel.history(limit=50)] == []
    with pytest.raises(discord.Forbidden) as invisible:
        [m async for m in bot.get_partial_messageable(hidden.id).history(limit=50)]
    assert invisible.value.code == 50001


async def test_rate_limit_is_retried(stub: DiscordStub, bot: StubBot) -> None:
    general = _text_channel(bot, _guild(stub).channel("general").id)
    stub.fail_next("POST", "/channels/{channel_id}/messages", status=429, retry_after=0.2)
    message = await general.send("after the rate limit")
    posts = [
        c for c in stub.calls if c.method == "POST" and c.route == "/channels/{channel_id}/messages"
    ]
    assert [c.status for c in posts] == [429, 200]
    assert posts[1].time - posts[0].time >= 0.2
    assert stub.message(message.id).content == "after the rate limit"


async def test_deleted_channel(stub: DiscordStub, bot: StubBot) -> None:
    launches = _text_channel(bot, _guild(stub).channel("launches").id)
    deleted = asyncio.create_task(bot.wait_for("guild_channel_delete", timeout=2))
    await stub.delete_channel(launches.id)
    assert (await deleted).id == launches.id
    assert bot.get_channel(launches.id) is None
    with pytest.raises(discord.NotFound) as gone:
        await launches.send("anyone there?")
    assert gone.value.code == 10003


async def test_unknown_route_is_recorded(stub: DiscordStub, bot: StubBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.fetch_sticker(1234)
    assert [(c.method, c.path, c.status) for c in stub.unknown_calls] == [
        ("GET", "/stickers/1234", 404)
    ]
    call = await stub.wait_for_call(lambda c: c.path == "/stickers/1234")
    assert call.response == {"message": "404: Not Found", "code": 0}


async def test_resume_after_disconnect(stub: DiscordStub, bot: StubBot) -> None:
    resumed = asyncio.create_task(bot.wait_for("resumed", timeout=5))
    await stub.disconnect()
    await resumed
    assert stub.connections == 2 and stub.gateway.resumes == 1
    assert len(stub.gateway.identifies) == 1
    handle = await stub.send_command("status")
    assert (await handle.wait_response()).status == 200
