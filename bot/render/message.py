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

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": discord.ComponentType.button.value,
            "style": discord.ButtonStyle.secondary.value,
            "label": self.label,
            "custom_id": self.custom_id,
            "disabled": self.disabled,
        }
        if self.emoji:
            data["emoji"] = {"name": self.emoji}
        return data


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": discord.ComponentType.string_select.value,
            "custom_id": self.custom_id,
            "placeholder": self.placeholder,
            "min_values": 1,
            "max_values": 1,
            "options": [
                {"label": o.label, "value": o.value}
                | ({"description": o.description} if o.description else {})
                for o in self.options
            ],
        }


Component = Button | Select


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
            "components": [
                {
                    "type": discord.ComponentType.action_row.value,
                    "components": [c.to_dict() for c in row],
                }
                for row in self.rows
            ],
            "allowed_mentions": self.allowed_mentions.to_dict(),
        }
        if self.attachments:
            body["attachments"] = [a.to_dict(i) for i, a in enumerate(self.attachments)]
        if self.silent:
            body["flags"] = discord.MessageFlags(suppress_notifications=True).value
        return body
