"""Commands in the user's Discord language: every catalog covers exactly the messages the
commands use, every localized name and description is one Discord accepts, and a locale
without a catalog stays English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from discord import app_commands

from bot.discord_bot import EXTENSIONS, CapcomBot
from bot.runtime import open_runtime
from bot.translator import CatalogTranslator, load_catalogs
from tests.conftest import settings_on
from tests.stubs.discord.commands import check_commands
from tests.stubs.discord.rest import FormErrors

CATALOGS = load_catalogs()
LANGUAGES = {"de", "es-ES", "fr", "it", "ja", "ko", "pl", "pt-BR", "ru", "uk", "zh-CN"}
Message = tuple[str, str]


class Recorder(Catalog):
    """A catalog that translates nothing and notes every (context, English text) asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[Message] = set()

    def get(self, id: str | tuple[str, ...] | list[str], context: str | None = None) -> None:
        self.asked.add((str(context), str(id)))


@pytest.fixture
async def tree(tmp_path: Path) -> AsyncIterator[app_commands.CommandTree[Any]]:
    """Capcom's command tree as the bot builds it (cogs loaded, nothing connected)."""
    async with open_runtime(settings_on("http://127.0.0.1:9/2.3.0", tmp_path)) as runtime:
        bot = CapcomBot(runtime)
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        try:
            yield bot.tree
        finally:
            for extension in EXTENSIONS:
                await bot.unload_extension(extension)


async def payloads(
    tree: app_commands.CommandTree[Any], translator: app_commands.Translator
) -> list[dict[str, Any]]:
    return [await c.get_translated_payload(tree, translator) for c in tree.get_commands()]


def catalog_messages(catalog: Catalog) -> set[Message]:
    return {(str(m.context), str(m.id)) for m in catalog if m.id}


def test_every_language_has_a_catalog() -> None:
    assert set(CATALOGS) == LANGUAGES


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
async def test_a_catalog_has_every_message_the_commands_use_and_no_other(
    tree: app_commands.CommandTree[Any], locale: str
) -> None:
    recorder = Recorder()
    await payloads(tree, CatalogTranslator({"ja": recorder}))
    held = catalog_messages(CATALOGS[locale])
    assert recorder.asked - held == set(), f"missing from {locale}.po"
    assert held - recorder.asked == set(), f"no longer used, still in {locale}.po"
    untranslated = [m.id for m in CATALOGS[locale] if m.id and not m.string]
    assert untranslated == []


async def test_every_localized_name_and_description_is_valid_for_discord(
    tree: app_commands.CommandTree[Any],
) -> None:
    synced = await payloads(tree, CatalogTranslator(CATALOGS))
    errors = FormErrors()
    check_commands(synced, errors)
    assert errors.tree == {}
    flight = next(c for c in synced if c["name"] == "flight")
    assert set(flight["name_localizations"]) == LANGUAGES
    assert flight["name_localizations"]["ja"] == "フライト"
    assert flight["options"][0]["description_localizations"]["de"] == "Name oder ID des Flugs"


async def test_a_locale_without_a_catalog_stays_english(
    tree: app_commands.CommandTree[Any],
) -> None:
    synced = await payloads(tree, CatalogTranslator(CATALOGS))
    flight = next(c for c in synced if c["name"] == "flight")
    assert flight["name_localizations"]["ja"] == "フライト"
    assert all("vi" not in (c.get("name_localizations") or {}) for c in synced)
    assert all("en-US" not in (c.get("description_localizations") or {}) for c in synced)


async def test_a_changed_catalog_syncs_the_commands_again(
    tree: app_commands.CommandTree[Any],
) -> None:
    """The global sync is skipped while the command set's hash is unchanged: a catalog
    edit alone must change it, or users would keep the old names."""
    bot = tree.client
    assert isinstance(bot, CapcomBot)
    await tree.set_translator(CatalogTranslator(CATALOGS))
    before = await bot._command_set_hash()
    await tree.set_translator(CatalogTranslator({**CATALOGS, "ja": Catalog()}))
    assert await bot._command_set_hash() != before
