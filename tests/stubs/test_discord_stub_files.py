"""Files in the Discord stand-in: multipart messages (`payload_json` + `files[n]`) as
discord.py sends them for interaction responses, follow-ups, edits and channel messages,
with `attachment://` embed images and Discord's limits."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.stubs.clients import GuildsBot, connected
from tests.stubs.discord import DiscordStub

TOKEN = "stub-token"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
Interaction = discord.Interaction[discord.Client]
AppCommand = app_commands.Command[Any, ..., Any]


def _file(name: str, data: bytes = PNG) -> discord.File:
    return discord.File(io.BytesIO(data), filename=name, description=f"alt of {name}")


def _embed(name: str) -> discord.Embed:
    return discord.Embed(title="Chart").set_image(url=f"attachment://{name}")


class FileBot(GuildsBot):
    def __init__(self) -> None:
        super().__init__()
        self.failures: list[discord.HTTPException] = []

    async def setup_hook(self) -> None:
        file_commands: tuple[AppCommand, ...] = (picture, later, redraw, broken)
        for command in file_commands:
            self.tree.add_command(command)


@app_commands.command(description="Answers with an attached picture")
async def picture(interaction: Interaction) -> None:
    await interaction.response.send_message(embed=_embed("chart.png"), file=_file("chart.png"))


@app_commands.command(description="Defers, then follows up with a picture")
async def later(interaction: Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send(embed=_embed("chart.png"), file=_file("chart.png"))


@app_commands.command(description="Answers, then replaces the picture")
async def redraw(interaction: Interaction) -> None:
    await interaction.response.send_message(embed=_embed("a.png"), file=_file("a.png"))
    await interaction.edit_original_response(embed=_embed("b.png"), attachments=[_file("b.png")])


@app_commands.command(description="Shows a picture it did not attach")
async def broken(interaction: Interaction) -> None:
    client = interaction.client
    assert isinstance(client, FileBot)
    try:
        await interaction.response.send_message(embed=_embed("gone.png"), file=_file("x.png"))
    except discord.HTTPException as error:
        client.failures.append(error)


@pytest.fixture
async def stub() -> AsyncIterator[DiscordStub]:
    async with DiscordStub(token=TOKEN) as stand_in:
        stand_in.add_guild(name="Files", channels=["general"])
        yield stand_in
        assert not stand_in.failures


@pytest.fixture
async def bot(stub: DiscordStub, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FileBot]:
    async with connected(stub, FileBot(), TOKEN, monkeypatch) as client:
        yield client


def _only_attachment(stub: DiscordStub, message: dict[str, Any]) -> dict[str, Any]:
    [attachment] = message["attachments"]
    assert stub.uploads[int(attachment["id"])] == PNG
    assert attachment["size"] == len(PNG)
    return dict(attachment)


async def test_a_picture_in_the_first_response(stub: DiscordStub, bot: FileBot) -> None:
    handle = await stub.send_command("picture")
    response = await handle.wait_response()
    assert response.status == 200 and response.files == ("chart.png",)
    assert response.data["attachments"] == [
        {"id": 0, "filename": "chart.png", "description": "alt of chart.png"}
    ]
    message = await handle.wait_message()
    attachment = _only_attachment(stub, message)
    assert attachment["filename"] == "chart.png"
    assert attachment["description"] == "alt of chart.png"
    image = message["embeds"][0]["image"]
    assert image["url"] == attachment["url"], "Discord points the image at the file's URL"


async def test_a_picture_in_the_follow_up_of_a_defer(stub: DiscordStub, bot: FileBot) -> None:
    handle = await stub.send_command("later")
    message = await handle.wait_message()
    assert [r.kind for r in handle.responses] == ["callback", "followup"]
    assert handle.responses[-1].files == ("chart.png",)
    assert message["embeds"][0]["image"]["url"] == _only_attachment(stub, message)["url"]


async def test_an_edit_replaces_the_picture(stub: DiscordStub, bot: FileBot) -> None:
    handle = await stub.send_command("redraw")
    await handle.wait_for(lambda response: response.kind == "edit")
    message = stub.message(handle.original_id or 0).payload
    attachment = _only_attachment(stub, message)
    assert attachment["filename"] == "b.png"
    assert message["embeds"][0]["image"]["url"] == attachment["url"]


async def test_an_image_naming_no_attached_file_is_refused(stub: DiscordStub, bot: FileBot) -> None:
    handle = await stub.send_command("broken")
    response = await handle.wait_response()
    assert response.status == 400 and response.error is not None
    assert response.error["code"] == 50035
    assert "ATTACHMENT_NOT_FOUND" in json.dumps(response.error["errors"])
    assert handle.original_id is None, "nothing was posted"


async def test_at_most_ten_files_and_ten_mib_each(stub: DiscordStub, bot: FileBot) -> None:
    channel = bot.get_channel(stub.default_guild.text_channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as many:
        await channel.send(files=[_file(f"{n}.png") for n in range(11)])
    assert many.value.status == 400
    with pytest.raises(discord.HTTPException) as large:
        await channel.send(file=_file("big.png", b"\0" * (10 * 1024 * 1024 + 1)))
    assert large.value.status == 413
    sent = await channel.send(files=[_file(f"{n}.png") for n in range(10)])
    assert [a.filename for a in sent.attachments] == [f"{n}.png" for n in range(10)]
