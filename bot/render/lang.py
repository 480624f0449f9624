"""Replies in the reader's language: the gettext catalogs of `bot/locales/`, read with
Babel (no build step), as one `Lang` per Discord locale.

A reply's message id is its English text with Python `{name}` placeholders, in the
context `reply` (the command names' contexts are the translator's, `bot/translator.py`);
`say` and `say_n` (plurals, by the language's own rule) give the text in the language
with its placeholders filled. A locale without a catalog, or a message a catalog lacks,
reads English. Pure: no discord, the edge names the locale by its code.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent.parent / "locales"
REPLY = "reply"
"""The `msgctxt` of every text Capcom writes in a reply."""


def load_catalogs(folder: Path = LOCALES_DIR) -> dict[str, Catalog]:
    """Every catalog in `folder`, by the Discord locale its file is named after."""
    catalogs: dict[str, Catalog] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as po:
            catalogs[path.stem] = read_po(po, domain=path.stem)
    return catalogs


def N_(message: str) -> str:
    """Marks an English message id the code translates later with `Lang.say` (the
    catalog check finds it here); returns it unchanged."""
    return message


@dataclass(frozen=True, slots=True)
class Lang:
    """One language's replies: `code` is the Discord locale (`en-US` for English)."""

    code: str
    translations: gettext.NullTranslations

    def say(self, message: str, /, **values: object) -> str:
        """`message` (English, `{name}` placeholders) in this language, filled in."""
        return self.translations.pgettext(REPLY, message).format(**values)

    def say_n(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The form of a message for `count` by this language's plural rule; `{count}`
        is filled in with the others."""
        text = self.translations.npgettext(REPLY, singular, plural, count)
        return text.format(count=count, **values)


ENGLISH = Lang("en-US", gettext.NullTranslations())


def _compiled(catalog: Catalog) -> gettext.GNUTranslations:
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


@cache
def catalogs() -> dict[str, Catalog]:
    """The project's catalogs, read once per process: command names and replies share them."""
    return load_catalogs()


@cache
def _languages() -> dict[str, Lang]:
    return {code: Lang(code, _compiled(catalog)) for code, catalog in catalogs().items()}


def prepare_languages() -> None:
    """Read and compile every catalog now (at start-up) rather than in the first reply."""
    _languages()


def lang_for(locale: str) -> Lang:
    """The language of the Discord locale `locale` (`ja`, `pt-BR`), or English."""
    return _languages().get(locale, ENGLISH)
