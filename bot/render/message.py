"""The message a renderer produces: what the bot sends, and what `capcom preview` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord


@dataclass(frozen=True, slots=True)
class Button:
    """A button as data; the bot turns it into a persistent component."""

    label: str
    custom_id: str
    disabled: bool = False
    emoji: str | None = None


@dataclass(frozen=True, slots=True)
class SelectOption:
    label: str
    value: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Select:
    """A string select menu as data (e.g. pick a crew member of a flight)."""

    custom_id: str
    placeholder: str
    options: tuple[SelectOption, ...]


Component = Button | Select


def build_view(rows: tuple[tuple[Component, ...], ...]) -> discord.ui.View | None:
    """The components as a discord.py view: the one builder of their Discord payload,
    for the bot (which sends the view) and `capcom preview --json` alike.

    The view is stopped at once, so discord.py keeps no state for it: presses are
    handled by the bot's persistent dynamic items, which read everything they need
    from the `custom_id` and so work after a restart.
    """
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for row_number, row in enumerate(rows):
        for component in row:
            view.add_item(_item(component, row_number))
    view.stop()
    return view


def _item(component: Component, row: int) -> discord.ui.Item[discord.ui.View]:
    if isinstance(component, Button):
        return discord.ui.Button(
            label=component.label,
            custom_id=component.custom_id,
            disabled=component.disabled,
            emoji=component.emoji,
            style=discord.ButtonStyle.secondary,
            row=row,
        )
    return discord.ui.Select(
        custom_id=component.custom_id,
        placeholder=component.placeholder,
        options=[
            discord.SelectOption(label=o.label, value=o.value, description=o.description)
            for o in component.options
        ],
        row=row,
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with the message (e.g. a picture an embed shows as `attachment://name`).

    `filename` must be ASCII letters, digits, dashes, underscores and dots for an
    `attachment://` link to find it; `description` is its alt text.
    """

    filename: str
    data: bytes = field(repr=False)
    description: str | None = None

    @property
    def url(self) -> str:
        """What an embed puts as its image to show this file."""
        return f"attachment://{self.filename}"

    def to_dict(self, index: int) -> dict[str, Any]:
        """The attachment as discord.py describes it in `payload_json` (`files[index]` holds
        the bytes), with the size the bytes would have."""
        data: dict[str, Any] = {"id": index, "filename": self.filename, "size": len(self.data)}
        if self.description:
            data["description"] = self.description
        return data


@dataclass(frozen=True, slots=True)
class Message:
    """Content, embeds, component rows and attached files of one Discord message.

    `allowed_mentions` parses nothing unless a renderer says otherwise, so text
    from LL2 can never ping anyone.
    """

    embeds: tuple[discord.Embed, ...] = ()
    content: str | None = None
    rows: tuple[tuple[Component, ...], ...] = ()
    allowed_mentions: discord.AllowedMentions = field(default_factory=discord.AllowedMentions.none)
    attachments: tuple[Attachment, ...] = ()
    silent: bool = False
    """Posted without a notification (Discord's suppress-notifications flag)."""

    def to_dict(self) -> dict[str, Any]:
        """The message body as discord.py sends it to Discord (files named, not included)."""
        body: dict[str, Any] = {
            "content": self.content,
            "embeds": [embed.to_dict() for embed in self.embeds],
            "components": view.to_components() if (view := build_view(self.rows)) else [],
            "allowed_mentions": self.allowed_mentions.to_dict(),
        }
        if self.attachments:
            body["attachments"] = [a.to_dict(i) for i, a in enumerate(self.attachments)]
        if self.silent:
            body["flags"] = discord.MessageFlags(suppress_notifications=True).value
        return body
