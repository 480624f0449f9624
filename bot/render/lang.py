"""Replies in the reader's language: the gettext catalogs of `bot/locales/`, read with
Babel (no build step), as one `Lang` per Discord locale.

A reply's message id is its English text with Python `{name}` placeholders, in the
context `reply` (the command names' contexts are the translator's, `bot/translator.py`);
`say` and `say_n` (plurals, by the language's own rule) give the text in the language
with its placeholders filled. Numbers, durations, calendar dates and lists follow the
language's own rules from Babel's copy of CLDR (`number`, `duration`, `day`, `month`,
`names`); `<t:…>` timestamps are left to Discord, which shows them in the reader's
language. A locale without a catalog, or a message a catalog lacks, reads English.
Pure: no discord, the edge names the locale by its code.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from babel.core import Locale
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit

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
    locale: Locale

    def say(self, message: str, /, **values: object) -> str:
        """`message` (English, `{name}` placeholders) in this language, filled in."""
        return self.translations.pgettext(REPLY, message).format(**values)

    def say_n(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The form of a message for `count` by this language's plural rule; `{count}`
        is filled in with the others."""
        text = self.translations.npgettext(REPLY, singular, plural, count)
        return text.format(count=self.number(count), **values)

    def number(self, value: int) -> str:
        """A whole number with the language's digit grouping ("12,345", "12.345")."""
        return _number(value, self.locale)

    def duration(self, delta: timedelta, *, minutes: bool = True) -> str:
        """Days, hours and minutes in the language's narrow units ("187d 20h 42m",
        "187 д. 20 ч 42 мин"): leading zero units dropped, seconds ignored, and
        minutes too with `minutes=False` when there are days ("187d 20h")."""
        days, left = divmod(max(0, int(delta.total_seconds()) // 60), 24 * 60)
        hours, mins = divmod(left, 60)
        amounts = [("duration-day", days)] if days else []
        if days or hours:
            amounts.append(("duration-hour", hours))
        if minutes or not days:
            amounts.append(("duration-minute", mins))
        return _duration(tuple(amounts), self.locale)

    def day(self, value: date) -> str:
        """A calendar day in the language's medium form ("Feb 15, 2026", "15. Feb. 2026")."""
        return format_skeleton("yMMMd", value, locale=self.locale)

    def month(self, value: date) -> str:
        """A month and year ("March 2026", "März 2026", "2026年3月")."""
        return format_skeleton("yMMMM", value, locale=self.locale)

    @property
    def separator(self) -> str:
        """What the language puts between the items of a list (", ", "、")."""
        middle: str = self.locale.list_patterns["standard"]["middle"]
        return middle.replace("{0}", "").replace("{1}", "")

    def names(self, items: Sequence[str]) -> str:
        """Items as the language lists them ("a, b, and c", "a, b und c")."""
        return format_list(list(items), locale=self.locale) if items else ""


FORMAT_CACHE_SIZE = 4096
"""Numbers and durations formatted (per language) kept for reuse: Babel takes about 0.1 ms
for one, and a reply of a 12-person crew writes dozens of them."""


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _number(value: int, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _duration(amounts: tuple[tuple[str, int], ...], locale: Locale) -> str:
    """`Lang.duration`'s text for these amounts of units."""
    narrow = _units(amounts, "narrow", locale)
    if not _own_letters(narrow):
        # CLDR gives some languages (Japanese) Latin letters as narrow units and their
        # own script in the short ones: "187d20h42m" reads better as "187 日 20 時間 42 分".
        short = _units(amounts, "short", locale)
        if _own_letters(short):
            return short
    return narrow


def _own_letters(text: str) -> bool:
    """Whether `text` has letters beyond ASCII's (a script of its own, or accents)."""
    return any(char.isalpha() and not char.isascii() for char in text)


def _units(
    amounts: tuple[tuple[str, int], ...], length: Literal["short", "narrow"], locale: Locale
) -> str:
    """Amounts of units in `length` form, joined as the language joins them; CLDR gives
    some languages (German among them) no unit list pattern, which Babel reports as a
    `KeyError`, and those read the amounts side by side."""
    parts = [format_unit(n, unit, length=length, locale=locale) for unit, n in amounts]
    style: Literal["unit-short", "unit-narrow"] = (
        "unit-short" if length == "short" else "unit-narrow"
    )
    try:
        return format_list(parts, style=style, locale=locale)
    except KeyError:
        return " ".join(parts)


ENGLISH = Lang("en-US", gettext.NullTranslations(), Locale.parse("en_US"))


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
    return {
        code: Lang(code, _compiled(catalog), Locale.parse(code, sep="-"))
        for code, catalog in catalogs().items()
    }


def prepare_languages() -> None:
    """Read and compile every catalog now (at start-up) rather than in the first reply."""
    _languages()


SAME_LANGUAGE = {"es-419": "es-ES"}
"""Discord locales read in another locale's catalog: Latin American Spanish reads the
Spanish catalog (the same language, and nothing in it is Spain's alone). Traditional
Chinese (`zh-TW`) is not Simplified Chinese's: it reads English until it has its own."""


def catalog_locale(locale: str) -> str:
    """The catalog a Discord locale reads (`es-419` → `es-ES`), itself for the others."""
    return SAME_LANGUAGE.get(locale, locale)


def lang_for(locale: str) -> Lang:
    """The language of the Discord locale `locale` (`ja`, `pt-BR`), or English."""
    return _languages().get(catalog_locale(locale), ENGLISH)
