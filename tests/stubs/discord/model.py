"""The world the stand-in serves: snowflakes, users, roles, channels, members, guilds."""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from tests.stubs.discord.permissions import Overwrite, compute_permissions

JSON = dict[str, Any]

DISCORD_EPOCH_MS: Final = 1_420_070_400_000

CHANNEL_TEXT: Final = 0
CHANNEL_DM: Final = 1
CHANNEL_GROUP_DM: Final = 3
CHANNEL_CATEGORY: Final = 4
INTERACTION_COMMAND: Final = 2
INTERACTION_COMPONENT: Final = 3
INTERACTION_AUTOCOMPLETE: Final = 4


class SnowflakeFactory:
    """Strictly increasing snowflakes that carry the current time, as Discord's do."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (1 << 17)
        self._last = candidate if candidate > self._last else self._last + 1
        return self._last


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


@dataclass(eq=False)
class UserSpec:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class RoleSpec:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class ChannelSpec:
    id: int
    guild_id: int
    name: str
    type: int = CHANNEL_TEXT
    position: int = 0
    overwrites: list[Overwrite] = field(default_factory=list)
    topic: str | None = None
    parent_id: int | None = None
    nsfw: bool = False

    def payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [ow.payload() for ow in self.overwrites],
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "nsfw": self.nsfw,
            "flags": 0,
        }
        if self.type != CHANNEL_CATEGORY:
            data.update(
                topic=self.topic,
                last_message_id=None,
                rate_limit_per_user=0,
                default_auto_archive_duration=1440,
            )
        return data


@dataclass(eq=False)
class MemberSpec:
    user: UserSpec
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    def payload(self, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass(eq=False)
class GuildSpec:
    """A guild as the stand-in serves it. Mutate it before the client connects, or dispatch the
    matching event afterwards (`DiscordStub.update_channel`, `DiscordStub.dispatch`)."""

    id: int
    name: str
    owner: MemberSpec
    bot_member: MemberSpec
    tester: MemberSpec
    roles: dict[int, RoleSpec]
    channels: dict[int, ChannelSpec]
    members: dict[int, MemberSpec]
    ids: SnowflakeFactory = field(repr=False)
    preferred_locale: str = "en-US"
    """The server's language (Community servers set it; Discord's default is en-US): sent as
    `preferred_locale` in GUILD_CREATE and as `guild_locale` with its interactions."""

    @property
    def everyone(self) -> RoleSpec:
        return self.roles[self.id]

    @property
    def bot_role(self) -> RoleSpec:
        return next(r for r in self.roles.values() if r.bot_id == self.bot_member.id)

    @property
    def text_channels(self) -> list[ChannelSpec]:
        return [c for c in self.channels.values() if c.type == CHANNEL_TEXT]

    def channel(self, name: str) -> ChannelSpec:
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(name)

    def add_role(self, name: str, permissions: int = 0, *, mentionable: bool = False) -> RoleSpec:
        role = RoleSpec(
            self.ids.next(), self.id, name, permissions, len(self.roles), mentionable=mentionable
        )
        self.roles[role.id] = role
        return role

    def add_text_channel(
        self,
        name: str,
        *,
        bot_denied: int = 0,
        bot_allowed: int = 0,
        overwrites: Sequence[Overwrite] = (),
        topic: str | None = None,
        parent_id: int | None = None,
    ) -> ChannelSpec:
        """A text channel; `bot_denied`/`bot_allowed` add a member overwrite for the bot, e.g.
        `bot_denied=Perm.SEND_MESSAGES` or `Perm.EMBED_LINKS` or `Perm.VIEW_CHANNEL`."""
        all_overwrites = list(overwrites)
        if bot_denied or bot_allowed:
            all_overwrites.append(Overwrite(self.bot_member.id, 1, bot_allowed, bot_denied))
        channel = ChannelSpec(
            self.ids.next(),
            self.id,
            name,
            CHANNEL_TEXT,
            len(self.channels),
            all_overwrites,
            topic,
            parent_id,
        )
        self.channels[channel.id] = channel
        return channel

    def add_category(self, name: str) -> ChannelSpec:
        channel = ChannelSpec(self.ids.next(), self.id, name, CHANNEL_CATEGORY, len(self.channels))
        self.channels[channel.id] = channel
        return channel

    def add_member(
        self, name: str | None = None, *, user_id: int | None = None, roles: Sequence[int] = ()
    ) -> MemberSpec:
        uid = user_id if user_id is not None else self.ids.next()
        member = MemberSpec(UserSpec(uid, name or f"user-{uid}"), list(roles))
        self.members[uid] = member
        return member

    def member(self, user_id: int) -> MemberSpec:
        """The member with this id, joining them (no roles) if they are new."""
        return self.members.get(user_id) or self.add_member(user_id=user_id)

    def permissions_for(self, user_id: int, channel_id: int | None = None) -> int:
        """Discord's resolution: guild-level without a channel, with overwrites with one."""
        member = self.members.get(user_id)
        channel = None if channel_id is None else self.channels[channel_id]
        return compute_permissions(
            guild_id=self.id,
            is_owner=user_id == self.owner.id,
            role_permissions={r.id: r.permissions for r in self.roles.values()},
            member_id=user_id,
            member_roles=member.roles if member else (),
            overwrites=None if channel is None else channel.overwrites,
        )

    def payload(self) -> JSON:
        """GUILD_CREATE's guild: with roles, channels and members (the bot's own included)."""
        return {
            **self.rest_payload(),
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "joined_at": self.bot_member.joined_at,
            "channels": [c.payload() for c in self.channels.values()],
            "members": [m.payload() for m in self.members.values()],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def rest_payload(self) -> JSON:
        """`GET /guilds/{id}`'s guild: no channels or members."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [r.payload() for r in self.roles.values()],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "max_members": 500000,
            "application_id": None,
            "incidents_data": None,
        }


class World:
    """The guilds, users and snowflakes every part of the stand-in shares."""

    def __init__(self, bot_name: str) -> None:
        self._ids = SnowflakeFactory()
        self.application_id = self._ids.next()
        self.bot_user = UserSpec(self.application_id, bot_name, bot=True)
        self.owner_user = UserSpec(self._ids.next(), "app-owner")
        self.guilds: dict[int, GuildSpec] = {}
        self.guilds_without_bot: dict[int, GuildSpec] = {}
        self.user_installs: set[int] = set()

    @property
    def default_guild(self) -> GuildSpec:
        if not self.guilds:
            raise LookupError("no guild: call add_guild() first")
        return next(iter(self.guilds.values()))

    def find_channel(self, channel_id: int) -> tuple[GuildSpec, ChannelSpec]:
        for guild in self.guilds.values():
            channel = guild.channels.get(channel_id)
            if channel is not None:
                return guild, channel
        raise KeyError(channel_id)

    def find_user(self, user_id: int) -> UserSpec | None:
        for user in (self.bot_user, self.owner_user):
            if user.id == user_id:
                return user
        for guild in self.guilds.values():
            member = guild.members.get(user_id)
            if member is not None:
                return member.user
        return None
