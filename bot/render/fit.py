"""The final fit: every message passes `fit_message`, which keeps Discord's limits
(`bot.render.limits`) whatever LL2 sent and says so where something had to be cut;
`add_field` and `select_menu` cut as they build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import discord

from bot.render.lang import Lang
from bot.render.limits import (
    AUTHOR_NAME_LIMIT,
    BUTTON_LABEL_LIMIT,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_COUNT_LIMIT,
    EMBEDS_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    SELECT_OPTION_COUNT_LIMIT,
    SELECT_PLACEHOLDER_LIMIT,
    SELECT_TEXT_LIMIT,
    TITLE_LIMIT,
)
from bot.render.message import Button, Component, Message, Select, SelectOption
from bot.render.text import EMPTY, ZERO_WIDTH_SPACE, More, more_marker, shorten
from bot.render.urls import media_url, safe_url

_NOTE_RESERVE = 64
"""Room kept free in the first embed for the line that says how many embeds were left out."""


_SHRINK_FLOOR = 16
"""No text is shrunk below this many characters while fitting the 6000-character total."""


def fit_message(message: Message, lang: Lang, left_out: More = More.ITEMS) -> Message:
    """The message within every Discord limit, with what was cut said visibly.

    Each embed is cut to its own limits; the first embed is kept, later embeds
    are dropped from the end while there are more than 10 or they exceed 6000
    characters together, and the first embed then ends with "… and N more", naming
    what `left_out` says. Components are cut to their limits too.
    """
    if not message.embeds:
        return _fit_components(message, lang)
    first, *rest = (_fit_embed(embed, lang) for embed in message.embeds)
    has_extra = bool(rest)
    first = _shrink_embed(first, EMBEDS_TOTAL_LIMIT - (_NOTE_RESERVE if has_extra else 0))
    used = len(first)
    kept: list[discord.Embed] = []
    for embed in rest:
        if len(kept) + 2 > EMBED_COUNT_LIMIT or used + len(embed) > EMBEDS_TOTAL_LIMIT - (
            _NOTE_RESERVE
        ):
            break
        kept.append(embed)
        used += len(embed)
    dropped = len(rest) - len(kept)
    if dropped:
        note = more_marker(dropped, lang, left_out)
        description = shorten(first.description or "", DESCRIPTION_LIMIT - len(note) - 2)
        first.description = f"{description}\n\n{note}" if description else note
    return _fit_components(replace(message, embeds=(first, *kept)), lang)


@dataclass
class _Slot:
    text: str


def _fit_embed(embed: discord.Embed, lang: Lang) -> discord.Embed:
    """A copy of `embed` with every text within its own limit and only http(s) URLs."""
    fitted = embed.copy()
    fitted.title = (shorten(fitted.title.strip(), TITLE_LIMIT) or None) if fitted.title else None
    fitted.url = safe_url(fitted.url)
    if fitted.description is not None:
        fitted.description = shorten(fitted.description.strip(), DESCRIPTION_LIMIT) or None
    fields = [(field.name or "", field.value or "", field.inline) for field in fitted.fields]
    if len(fields) > FIELD_COUNT_LIMIT:
        left_out = len(fields) - FIELD_COUNT_LIMIT + 1
        more = (lang.say("More"), more_marker(left_out, lang), False)
        fields = [*fields[: FIELD_COUNT_LIMIT - 1], more]
    fitted.clear_fields()
    for name, value, inline in fields:
        add_field(fitted, name, value, inline=inline)
    if fitted.footer.text or fitted.footer.icon_url:
        fitted.set_footer(
            text=shorten(fitted.footer.text or "", FOOTER_LIMIT) or None,
            icon_url=safe_url(fitted.footer.icon_url),
        )
    author = fitted.author
    if author.name:
        fitted.set_author(
            name=shorten(author.name.strip(), AUTHOR_NAME_LIMIT) or EMPTY,
            url=safe_url(author.url),
            icon_url=safe_url(author.icon_url),
        )
    elif author.url or author.icon_url:
        fitted.remove_author()
    fitted.set_thumbnail(url=media_url(fitted.thumbnail.url))
    fitted.set_image(url=media_url(fitted.image.url))
    return fitted


def _shrink_embed(embed: discord.Embed, budget: int) -> discord.Embed:
    """Shorten the longest texts of an embed (already within its own limits) until the
    embed fits in `budget` characters."""
    if len(embed) <= budget:
        return embed
    title = _Slot(embed.title or "")
    description = _Slot(embed.description or "")
    fields = [
        (_Slot(field.name or ""), _Slot(field.value or ""), field.inline) for field in embed.fields
    ]
    footer = _Slot(embed.footer.text or "")
    author = _Slot(embed.author.name or "")
    slots = [title, description, footer, author, *(s for f in fields for s in f[:2])]
    excess = len(embed) - budget
    while excess > 0:
        longest = max(slots, key=lambda slot: len(slot.text))
        if len(longest.text) <= _SHRINK_FLOOR:
            break
        before = len(longest.text)
        longest.text = shorten(longest.text, max(_SHRINK_FLOOR, before - excess))
        excess -= before - len(longest.text)
    embed.title = title.text or None
    embed.description = description.text or None
    embed.clear_fields()
    for name, value, inline in fields:
        add_field(embed, name.text, value.text, inline=inline)
    if embed.footer.text:
        embed.set_footer(text=footer.text, icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(name=author.text, url=embed.author.url, icon_url=embed.author.icon_url)
    return embed


def _fit_components(message: Message, lang: Lang) -> Message:
    rows = tuple(
        tuple(_fit_component(component, lang) for component in row) for row in message.rows
    )
    content = shorten(message.content, CONTENT_LIMIT) if message.content else message.content
    return replace(message, rows=rows, content=content)


def _fit_component(component: Component, lang: Lang) -> Component:
    if isinstance(component, Button):
        return replace(component, label=shorten(component.label, BUTTON_LABEL_LIMIT))
    return select_menu(component.custom_id, component.placeholder, component.options, lang)


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    """A field cut to Discord's limits; an empty value shows as "—"."""
    embed.add_field(
        name=shorten(name.strip(), FIELD_NAME_LIMIT) or ZERO_WIDTH_SPACE,
        value=shorten(value.strip(), FIELD_VALUE_LIMIT) or EMPTY,
        inline=inline,
    )


def select_menu(
    custom_id: str, placeholder: str, options: Sequence[SelectOption], lang: Lang
) -> Select:
    """A select menu of at most 25 options with distinct values, each text cut to 100
    characters.

    When options are left out the placeholder says how many ("(35 more not listed)").
    """
    unique: dict[str, SelectOption] = {}
    for option in options:
        unique.setdefault(option.value[:SELECT_TEXT_LIMIT], option)
    fitted = [
        SelectOption(
            label=shorten(option.label.strip(), SELECT_TEXT_LIMIT) or EMPTY,
            value=value,
            description=(
                shorten(option.description.strip(), SELECT_TEXT_LIMIT) or None
                if option.description
                else None
            ),
        )
        for value, option in list(unique.items())[:SELECT_OPTION_COUNT_LIMIT]
    ]
    left_out = len(unique) - len(fitted)
    if left_out:
        note = " " + lang.say_n("({count} more not listed)", "({count} more not listed)", left_out)
        placeholder = shorten(placeholder, SELECT_PLACEHOLDER_LIMIT - len(note)) + note
    return Select(
        custom_id=custom_id,
        placeholder=shorten(placeholder, SELECT_PLACEHOLDER_LIMIT),
        options=tuple(fitted),
    )
