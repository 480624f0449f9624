"""The overhead benchmark's floor sends the very message Capcom sends: the ratio it
reports is Capcom's own cost, not the size of its answer (benchmarks/floor_bot.py).

Here rather than in tests/e2e: it tests a benchmark's instrument, mirroring
`benchmarks/floor_bot.py` as the other tests mirror the product tree."""

from __future__ import annotations

from pathlib import Path

from benchmarks.floor_bot import CapturedReply, load_replies, reply_key, save_replies
from benchmarks.overhead import captured_reply, floor_bot
from benchmarks.workload import Command
from bot.render.message import Attachment
from tests.e2e.harness import TOKEN, running_bot
from tests.stubs.discord import DiscordStub


async def test_floor_answers_with_the_body_and_files_capcom_sent(tmp_path: Path) -> None:
    command = Command("flight", {"flight": "219"}, locale="de")
    (tmp_path / "capcom").mkdir()
    async with running_bot(tmp_path / "capcom") as bot:
        await captured_reply(bot.discord, command)  # fetched from LL2 and cached
        capcom = await captured_reply(bot.discord, command)
    # The message /flight sends: a main embed showing the timeline, crew cards, the menu.
    assert len(capcom.body["embeds"]) > 1
    assert capcom.body["embeds"][0]["image"]["url"] == "attachment://timeline-219.png"
    assert capcom.body["components"]
    assert [f.filename for f in capcom.files] == ["timeline-219.png"]
    assert capcom.files[0].data.startswith(b"\x89PNG")

    workdir = tmp_path / "floor"
    workdir.mkdir()
    async with DiscordStub(token=TOKEN) as discord:
        discord.add_guild(name="Capcom Test", channels=("general", "launches"))
        async with floor_bot(discord, workdir, {reply_key("219", "de"): capcom}):
            floor = await captured_reply(discord, command)
    assert floor.body == capcom.body
    assert floor.files == capcom.files


def test_replies_survive_the_file_between_the_benchmark_and_the_floor(tmp_path: Path) -> None:
    replies = {
        "7": CapturedReply(
            {"content": None, "embeds": [{"title": "Soyuz"}]},
            (Attachment("timeline-7.png", b"\x89PNG\x00\xff", "alt text"),),
        )
    }
    save_replies(tmp_path / "replies.json", replies)
    assert load_replies(tmp_path / "replies.json") == replies
