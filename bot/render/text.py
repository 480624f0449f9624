"""LL2 text made safe and short for Discord: mentions neutralised, markdown escaped
after cutting, sentences kept whole; durations, dates and counts in words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum

import discord

from bot.render.lang import Lang
from bot.render.limits import FIELD_VALUE_LIMIT, NAME_LIMIT

EMPTY = "—"


ELLIPSIS = "…"


ZERO_WIDTH_SPACE = "\u200b"


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]\"'\u201d\u2019])[.!?][\"')\]\u201d\u2019]?(?=\s)")


_LAST_WORD = re.compile(r"(\w+)\W*$")


_ABBREVIATIONS = frozenset(
    {"capt", "cmdr", "col", "dr", "gen", "jr", "lt", "maj", "mr", "mrs", "ms", "no", "sr", "st"}
    | {"prof", "rev", "sgt", "vs", "etc", "approx", "inc", "co", "ltd", "mt"}
)


def neutralise_mentions(text: str) -> str:
    """Break every `@` (and `<@`) so `@everyone`, `@here`, `<@123>` and `<@&123>` never ping."""
    return text.replace("@", "@" + ZERO_WIDTH_SPACE).replace("<@", "<" + ZERO_WIDTH_SPACE + "@")


def clean(text: str | None, limit: int = FIELD_VALUE_LIMIT) -> str:
    """LL2 text for a place that renders markdown: cut to `limit` (at most a field
    value), escaped, and unable to ping.

    The cut comes first: `escape_markdown`'s regular expression takes time cubic in
    the length of text such as `[a](` repeated (10,000 characters: 9 s), so it is
    never given more than `FIELD_VALUE_LIMIT` characters (about 10 ms at worst)."""
    if not text:
        return ""
    cut = shorten(text.strip(), min(limit, FIELD_VALUE_LIMIT))
    return neutralise_mentions(discord.utils.escape_markdown(cut))


def clean_name(text: str | None, limit: int = NAME_LIMIT) -> str:
    """An LL2 name for a line, title or field name: cut to `limit`, escaped, unable to ping."""
    return clean(text, limit)


def plain(text: str | None) -> str:
    """LL2 text for a place that shows no markdown (select options, footers): unable to ping."""
    return neutralise_mentions(text.strip()) if text else ""


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a line or word break with a final "…".

    A cut never leaves half a `<t:…>` token or a dangling escape backslash.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    newline = cut.rfind("\n")
    space = max(newline, cut.rfind(" "))
    if newline >= limit // 2:
        cut = cut[:newline]
    elif space >= limit // 2:
        cut = cut[:space]
    opening = cut.rfind("<")
    if opening > cut.rfind(">"):
        cut = cut[:opening]
    return cut.rstrip().rstrip("\\").rstrip() + ELLIPSIS


def shorten_at_sentence(text: str, limit: int) -> str:
    """`text` cut after the last whole sentence that fits, ending in "…" when cut.

    Falls back to a word break when no sentence ends in the last two thirds.
    Abbreviations such as "Col." and initials such as "U.S." do not end a sentence.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS) - 1
    ends = [
        match.end()
        for match in _SENTENCE_END.finditer(text, 0, room + 1)
        if match.end() <= room and not _is_abbreviation(text[: match.start()])
    ]
    if ends and ends[-1] >= limit // 3:
        return f"{text[: ends[-1]]} {ELLIPSIS}"
    return shorten(text, limit)


def _is_abbreviation(before: str) -> bool:
    word = _LAST_WORD.search(before)
    return word is not None and word.group(1).lower() in _ABBREVIATIONS


def format_duration(delta: timedelta, lang: Lang, *, minutes: bool = True) -> str:
    """ "187d 20h 42m", "9h 56m", "0m" in the language's units (`Lang.duration`)."""
    return lang.duration(delta, minutes=minutes)


def format_date(value: date) -> str:
    """A calendar date as `<t:…:D>`, anchored at noon UTC so it shows as the same day nearly
    everywhere."""
    return discord.utils.format_dt(datetime.combine(value, time(12), tzinfo=UTC), "D")


def years_between(start: date, end: date) -> int:
    """Whole years from `start` to `end` (an age)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


class More(Enum):
    """What a cut list left out, for the words of its "… and N more" mark."""

    ITEMS = "items"
    CREW = "crew"
    CREW_PHOTOS = "crew photos"
    FLIGHTS = "flights"
    DOCKINGS = "dockings"


def more_marker(count: int, lang: Lang, what: More = More.ITEMS) -> str:
    """The visible mark of a cut list: "… and 3 more" (or "… and 3 more crew")."""
    match what:
        case More.ITEMS:
            return lang.say_n("… and {count} more", "… and {count} more", count)
        case More.CREW:
            return lang.say_n("… and {count} more crew", "… and {count} more crew", count)
        case More.CREW_PHOTOS:
            return lang.say_n(
                "… and {count} more crew photo", "… and {count} more crew photos", count
            )
        case More.FLIGHTS:
            return lang.say_n("… and {count} more flight", "… and {count} more flights", count)
        case More.DOCKINGS:
            return lang.say_n("… and {count} more docking", "… and {count} more dockings", count)


FULL_WIDTH_STOPS = ("\u3002", "\uff01", "\uff1f")
"""The full-width full stop, exclamation and question marks, after which Japanese and
Chinese write the next sentence without a space."""


def sentences(parts: Sequence[str]) -> str:
    """Sentences one after another as the language writes them: a space after one ending
    in Latin punctuation, none after a full-width stop ("…。次の文。")."""
    text = ""
    for part in filter(None, parts):
        text += part if not text or text.endswith(FULL_WIDTH_STOPS) else " " + part
    return text


def names_within(names: Sequence[str], room: int, lang: Lang) -> str:
    """The names, separated as the language separates a list ("a, b", "a、b"), as many as
    fit in `room` characters, then "… and N more" for the rest."""
    comma = lang.separator
    kept: list[str] = []
    for index, name in enumerate(names):
        after = len(names) - index - 1
        tail = f"{comma}{more_marker(after, lang)}" if after else ""
        if len(comma.join([*kept, name]) + tail) > room:
            return comma.join([*kept, more_marker(len(names) - index, lang)])
        kept.append(name)
    return comma.join(kept)


def join_lines(lines: Sequence[str], limit: int, lang: Lang, what: More = More.ITEMS) -> str:
    """As many whole lines as fit in `limit` characters, then "… and N more" for the rest.

    A first line longer than the limit is shortened rather than dropped.
    """
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        left_after = len(lines) - index - 1
        reserve = len(more_marker(left_after, lang, what)) + 1 if left_after else 0
        room = limit - used - (1 if kept else 0) - reserve
        if len(line) <= room:
            kept.append(line)
            used += len(line) + (1 if len(kept) > 1 else 0)
            continue
        if kept:
            kept.append(more_marker(left_after + 1, lang, what))
        else:
            kept.append(shorten(line, max(1, room)))
            if left_after:
                kept.append(more_marker(left_after, lang, what))
        break
    return "\n".join(kept)
