"""`/upcoming`, its page buttons, `/inspace` and `/about` end to end in the language of the
user's Discord client: the real discord.py client, the Discord and LL2 stand-ins."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.harness import running_bot
from tests.e2e.test_commands import answered_in_time, fields_of
from tests.stubs.ll2 import Catalog

CALLBACK_UPDATE = 7


async def test_each_reader_gets_the_lists_in_their_own_language(tmp_path: Path) -> None:
    catalog = Catalog.synthetic(flights=80, astronauts=150, now=datetime.now(UTC))
    async with running_bot(tmp_path, catalog=catalog) as bot:
        send = bot.discord.send_command
        german = await answered_in_time(await send("upcoming", locale="de"))
        assert german["embeds"][0]["footer"]["text"].startswith("Seite 1 von 2 · 4 bemannte Starts")
        crew12 = next(e for e in german["embeds"] if e.get("title") == "Crew-12")
        assert "**Status** Noch offen" in crew12["description"]

        original = bot.discord.message(int(german["id"]))
        press = await bot.discord.press_button("capcom:upcoming:2", original, locale="ru")
        assert (await press.wait_response()).type == CALLBACK_UPDATE
        page_two = bot.discord.message(original.id).embeds
        assert page_two[0]["title"] == "NS-34 (суборбитальный)"
        assert page_two[0]["footer"]["text"].startswith("Страница 2 из 2 · 4 пилотируемых запуска")

        up = [a for a in catalog.astronauts.values() if a.get("in_space") is True]
        russian = await answered_in_time(await send("inspace", locale="ru"))
        assert russian["embeds"][0]["title"].startswith(f"Сейчас в космосе {len(up)} человек")

        japanese = await answered_in_time(await send("about", locale="ja"))
        [embed] = japanese["embeds"]
        assert embed["title"] == "Capcom について"
        assert fields_of(embed)["LL2 リクエスト枠"].startswith("この1時間の残りリクエスト：")

        english = await answered_in_time(await send("inspace", locale="vi"))
        assert " in space right now" in english["embeds"][0]["title"]
