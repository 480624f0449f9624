"""Where Capcom's read-only commands can be installed and used."""

from __future__ import annotations

from typing import TypeVar

from discord import app_commands

T = TypeVar("T")


def everywhere(command: T) -> T:
    """Installable to a server and to a user, and usable in servers, in DMs with Capcom and
    in other DMs and group DMs. Nothing these commands do needs Capcom to be in the server:
    they only answer the interaction, and their buttons and menus carry their state in
    `custom_id`."""
    installs = app_commands.allowed_installs(guilds=True, users=True)
    contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    return installs(contexts(command))
