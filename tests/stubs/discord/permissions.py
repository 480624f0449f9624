"""Discord's permission bits and how a member's permissions resolve in a channel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

JSON = dict[str, Any]


class Perm:
    """Permission bits (Discord's `topics/permissions`)."""

    CREATE_INSTANT_INVITE: Final = 1 << 0
    KICK_MEMBERS: Final = 1 << 1
    BAN_MEMBERS: Final = 1 << 2
    ADMINISTRATOR: Final = 1 << 3
    MANAGE_CHANNELS: Final = 1 << 4
    MANAGE_GUILD: Final = 1 << 5
    ADD_REACTIONS: Final = 1 << 6
    VIEW_AUDIT_LOG: Final = 1 << 7
    VIEW_CHANNEL: Final = 1 << 10
    SEND_MESSAGES: Final = 1 << 11
    SEND_TTS_MESSAGES: Final = 1 << 12
    MANAGE_MESSAGES: Final = 1 << 13
    EMBED_LINKS: Final = 1 << 14
    ATTACH_FILES: Final = 1 << 15
    READ_MESSAGE_HISTORY: Final = 1 << 16
    MENTION_EVERYONE: Final = 1 << 17
    USE_EXTERNAL_EMOJIS: Final = 1 << 18
    CONNECT: Final = 1 << 20
    SPEAK: Final = 1 << 21
    CHANGE_NICKNAME: Final = 1 << 26
    MANAGE_ROLES: Final = 1 << 28
    MANAGE_WEBHOOKS: Final = 1 << 29
    USE_APPLICATION_COMMANDS: Final = 1 << 31
    MANAGE_EVENTS: Final = 1 << 33
    CREATE_PUBLIC_THREADS: Final = 1 << 35
    SEND_MESSAGES_IN_THREADS: Final = 1 << 38
    MODERATE_MEMBERS: Final = 1 << 40
    CREATE_EVENTS: Final = 1 << 44
    SEND_POLLS: Final = 1 << 49
    USE_EXTERNAL_APPS: Final = 1 << 50


# Equal to discord.py 2.7's `Permissions.all().value` (the test checks it).
ALL_PERMISSIONS: Final = 8_866_461_766_385_663
EVERYTHING_BUT_ADMIN: Final = ALL_PERMISSIONS & ~Perm.ADMINISTRATOR
DEFAULT_EVERYONE_PERMISSIONS: Final = (
    Perm.CREATE_INSTANT_INVITE
    | Perm.ADD_REACTIONS
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.CONNECT
    | Perm.SPEAK
    | Perm.CHANGE_NICKNAME
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.CREATE_PUBLIC_THREADS
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.SEND_POLLS
    | Perm.USE_EXTERNAL_APPS
)
DEFAULT_BOT_PERMISSIONS: Final = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.SEND_MESSAGES_IN_THREADS
)
# Lost when Send Messages is missing in a text channel (Discord's "implicit permissions").
_NEEDS_SEND: Final = (
    Perm.SEND_TTS_MESSAGES | Perm.MENTION_EVERYONE | Perm.EMBED_LINKS | Perm.ATTACH_FILES
)


@dataclass(frozen=True)
class Overwrite:
    """A channel permission overwrite; `type` 0 targets a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


def compute_permissions(
    *,
    guild_id: int,
    is_owner: bool,
    role_permissions: Mapping[int, int],
    member_id: int,
    member_roles: Sequence[int],
    overwrites: Sequence[Overwrite] | None,
) -> int:
    """Discord's permission resolution; `overwrites=None` gives the guild-level permissions."""
    if is_owner:
        return ALL_PERMISSIONS
    perms = role_permissions.get(guild_id, 0)
    for role_id in member_roles:
        perms |= role_permissions.get(role_id, 0)
    if perms & Perm.ADMINISTRATOR:
        return ALL_PERMISSIONS
    if overwrites is None:
        return perms
    roles = set(member_roles)
    allow = deny = 0
    member_overwrite: Overwrite | None = None
    for ow in overwrites:
        if ow.type == 0 and ow.id == guild_id:
            perms = (perms & ~ow.deny) | ow.allow
        elif ow.type == 0 and ow.id in roles:
            allow |= ow.allow
            deny |= ow.deny
        elif ow.type == 1 and ow.id == member_id:
            member_overwrite = ow
    perms = (perms & ~deny) | allow
    if member_overwrite is not None:
        perms = (perms & ~member_overwrite.deny) | member_overwrite.allow
    if not perms & Perm.VIEW_CHANNEL:
        return 0
    if not perms & Perm.SEND_MESSAGES:
        perms &= ~_NEEDS_SEND
    return perms
