"""Commands and replies in the user's Discord language: every catalog covers exactly the
messages the commands and the code's replies use, each translation keeps its message's
placeholders, every localized name and description is one Discord accepts, and a locale
without a catalog stays English."""

from __future__ import annotations

import ast
import string
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileParser
from discord import app_commands

from bot.discord_bot import EXTENSIONS, CapcomBot
from bot.render.lang import ENGLISH, LOCALES_DIR, REPLY, lang_for, load_catalogs
from bot.runtime import open_runtime
from bot.translator import CatalogTranslator
from tests.conftest import settings_on
from tests.paths import PROJECT_ROOT
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
    """The command texts a catalog holds (its replies are `reply_ids`)."""
    return {(str(m.context), str(m.id)) for m in catalog if m.id and m.context != REPLY}


ReplyId = str | tuple[str, str]
"""A reply's English text, or a plural message's (singular, plural)."""
MARKERS = {"say": 1, "N_": 1, "UnknownQuery": 1, "say_n": 2}
"""The calls whose first literal arguments are a reply's message id (`bot/render/lang.py`;
`bot.service` raises `UnknownQuery` with its English text below rendering)."""


def called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return node.func.id if isinstance(node.func, ast.Name) else None


def code_reply_ids() -> Iterator[ReplyId]:
    """Every literal message id the code of `bot/` and `cogs/` gives a reply."""
    for folder in ("bot", "cogs"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or called(node) not in MARKERS:
                    continue
                texts = node.args[: MARKERS[str(called(node))]]
                if all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts):
                    values = [str(t.value) for t in texts if isinstance(t, ast.Constant)]
                    yield values[0] if len(values) == 1 else (values[0], values[1])


def reply_ids(catalog: Catalog) -> set[ReplyId]:
    ids: set[ReplyId] = set()
    for m in catalog:
        if m.context == REPLY:
            ids.add(m.id if isinstance(m.id, str) else (str(m.id[0]), str(m.id[1])))
    return ids


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


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
    untranslated = [
        m.id
        for m in CATALOGS[locale]
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_a_catalog_has_every_reply_the_code_writes_and_no_other(locale: str) -> None:
    used = set(code_reply_ids())
    assert "LL2 has no astronaut with id {id}." in used  # the scan finds what it must
    held = reply_ids(CATALOGS[locale])
    assert used - held == set(), f"missing from {locale}.po"
    assert held - used == set(), f"no longer used, still in {locale}.po"


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_no_catalog_holds_a_message_twice(locale: str) -> None:
    """Babel keeps the last of two entries for one message silently; a catalog merged
    from two branches must not hide a translation that way."""
    catalog = Catalog()
    parser = PoFileParser(catalog, abort_invalid=True)
    with (LOCALES_DIR / f"{locale}.po").open("rb") as po:
        parser.parse(po)
    header = 1
    assert parser.counter == len(catalog) + header


@pytest.mark.parametrize("locale", sorted(LANGUAGES))
def test_every_reply_keeps_its_placeholders_in_every_plural_form(locale: str) -> None:
    catalog = CATALOGS[locale]
    for m in catalog:
        if m.context != REPLY:
            continue
        ids = (m.id,) if isinstance(m.id, str) else m.id
        forms = (m.string,) if isinstance(m.string, str) else tuple(m.string or ())
        wanted = set().union(*(placeholders(i) for i in ids))
        if not isinstance(m.id, str):
            assert len(forms) == catalog.num_plurals, m.id
        for form in forms:
            assert placeholders(form) == wanted, (locale, m.id, form)


async def test_every_localized_name_and_description_is_valid_for_discord(
    tree: app_commands.CommandTree[Any],
) -> None:
    synced = await payloads(tree, CatalogTranslator(CATALOGS))
    errors = FormErrors()
    check_commands(synced, errors)
    assert errors.tree == {}
    flight = next(c for c in synced if c["name"] == "flight")
    assert set(flight["name_localizations"]) == LANGUAGES | {"es-419"}
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
    assert all("zh-TW" not in (c.get("name_localizations") or {}) for c in synced)


async def test_latin_american_spanish_reads_the_spanish_catalog(
    tree: app_commands.CommandTree[Any],
) -> None:
    synced = await payloads(tree, CatalogTranslator(CATALOGS))
    for command in synced:
        names = command.get("name_localizations") or {}
        assert names.get("es-419") == names.get("es-ES") is not None
    assert lang_for("es-419") is lang_for("es-ES")
    assert lang_for("zh-TW") is ENGLISH


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
