"""Commands, options and choices in the user's Discord language.

Each language is one gettext catalog, `bot/locales/<Discord locale>.po`, read with Babel
when the bot starts (no build step). A message's id is the English text the code gives
discord.py; its context (`msgctxt`) says what the text is (`command_name`,
`parameter_description`, `choice_name`, ...: discord.py's `TranslationContextLocation`),
so the option `flight` and the command `flight` can be named apart. A locale without a
catalog, or a message a catalog lacks, stays English: Discord shows the default. The same
catalogs hold the replies' texts (context `reply`: `bot/render/lang.py`).
"""

from __future__ import annotations

from collections.abc import Mapping

import discord
from babel.messages.catalog import Catalog
from discord import app_commands

from bot.render.lang import catalog_locale


def translation(catalog: Catalog, context: str, message_id: str) -> str | None:
    """The catalog's text for `message_id` in `context`, or None where it has none."""
    message = catalog.get(message_id, context=context)
    if message is None or not isinstance(message.string, str) or not message.string:
        return None
    return message.string


class CatalogTranslator(app_commands.Translator):
    """discord.py asks it, for every Discord locale, for each name and description of a
    command tree as it syncs; None leaves Discord's English default."""

    def __init__(self, catalogs: Mapping[str, Catalog]) -> None:
        self.catalogs = dict(catalogs)

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        catalog = self.catalogs.get(catalog_locale(locale.value))
        if catalog is None:
            return None
        return translation(catalog, context.location.name, string.message)
