"""Messages the bot makes: channel messages, interaction answers, attached files."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from tests.stubs.discord.limits import (
    MESSAGE_FLAG_EPHEMERAL,
    MESSAGE_FLAG_LOADING,
    check_message,
    is_empty_message,
)
from tests.stubs.discord.model import (
    INTERACTION_COMMAND,
    ChannelSpec,
    GuildSpec,
    MemberSpec,
    UserSpec,
    World,
    now_iso,
)
from tests.stubs.discord.permissions import Perm
from tests.stubs.discord.rest import (
    EMPTY_MESSAGE,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    NOT_AUTHOR,
    TOO_LARGE,
    UNKNOWN_CHANNEL,
    UNKNOWN_MESSAGE,
    DiscordError,
    File,
    FormErrors,
    Reply,
    Request,
)

if TYPE_CHECKING:
    from tests.stubs.discord.interactions import InteractionHandle

JSON = dict[str, Any]

ATTACHMENT_SIZE_LIMIT: Final = 10 * 1024 * 1024
ATTACHMENT_COUNT_LIMIT: Final = 10
_SUPPRESS_EMBEDS: Final = 1 << 2
_USER_MENTION: Final = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION: Final = re.compile(r"<@&(\d+)>")


@dataclass(frozen=True)
class Pings:
    """Who a message notifies, from its content and the `allowed_mentions` sent with it
    (absent means Discord's default: users, roles and @everyone/@here all ping)."""

    everyone: bool
    users: frozenset[int]
    roles: frozenset[int]

    def __bool__(self) -> bool:
        return self.everyone or bool(self.users) or bool(self.roles)


@dataclass(eq=False)
class StoredMessage:
    """A message in a channel. `payload` is Discord's message object as last answered;
    `allowed_mentions` is what the bot sent (None if it sent none); `source` is "channel",
    "interaction" (a callback or an `@original`), "followup", or "user" (a message a test
    wrote as a member, `add_user_message`); `embeds_suppressed` is set when the bot lacked
    Embed Links in the channel and Discord dropped the embeds; `edits` counts the bot's
    accepted `PATCH /channels/{channel_id}/messages/{message_id}` on it."""

    payload: JSON
    allowed_mentions: JSON | None
    source: Literal["channel", "interaction", "followup", "user"]
    interaction_id: int | None = None
    embeds_suppressed: bool = False
    edits: int = 0

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])

    @property
    def author_id(self) -> int:
        return int(self.payload["author"]["id"])

    @property
    def content(self) -> str:
        return str(self.payload.get("content") or "")

    @property
    def embeds(self) -> list[JSON]:
        return list(self.payload.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        return list(self.payload.get("components") or [])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.payload.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL)

    @property
    def pings(self) -> Pings:
        content = self.content
        allowed = self.allowed_mentions
        parse = (
            {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
        )
        users = {int(u) for u in _USER_MENTION.findall(content)}
        roles = {int(r) for r in _ROLE_MENTION.findall(content)}
        if "users" not in parse:
            users &= {int(u) for u in (allowed or {}).get("users") or []}
        if "roles" not in parse:
            roles &= {int(r) for r in (allowed or {}).get("roles") or []}
        everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
        return Pings(everyone, frozenset(users), frozenset(roles))


def find_component(components: Sequence[Any], custom_id: str) -> JSON | None:
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id:
            return component
        for key in ("components", "accessory"):
            nested = component.get(key)
            children = nested if isinstance(nested, list) else [nested]
            found = find_component(children, custom_id)
            if found is not None:
                return found
    return None


def _number_components(components: Sequence[Any], counter: list[int]) -> list[Any]:
    """Copies components, giving each the sequential `id` Discord assigns."""
    numbered: list[Any] = []
    for component in components:
        if not isinstance(component, dict):
            numbered.append(component)
            continue
        counter[0] += 1
        item = {**component}
        item.setdefault("id", counter[0])
        if isinstance(item.get("components"), list):
            item["components"] = _number_components(item["components"], counter)
        if isinstance(item.get("accessory"), dict):
            item["accessory"] = _number_components([item["accessory"]], counter)[0]
        numbered.append(item)
    return numbered


def _normalize_embeds(embeds: Any) -> list[JSON]:
    return [{"type": "rich", **e} for e in embeds or [] if isinstance(e, dict)]


def _link_attachments(payload: JSON) -> None:
    """Points each embed image or thumbnail `attachment://name` at the message's file of
    that name, with its CDN URLs, as Discord answers. A name no attached file has is
    refused (Discord would show a broken picture; the stand-in makes it an error)."""
    files = {a["filename"]: a for a in payload.get("attachments") or []}
    errors = FormErrors()
    for index, embed in enumerate(payload.get("embeds") or []):
        for key in ("image", "thumbnail"):
            media = embed.get(key)
            url = media.get("url") if isinstance(media, dict) else None
            if not isinstance(url, str) or not url.startswith("attachment://"):
                continue
            attachment = files.get(url.removeprefix("attachment://"))
            if attachment is None:
                errors.add(
                    ("embeds", index, key, "url"),
                    "ATTACHMENT_NOT_FOUND",
                    f"No attached file is named {url.removeprefix('attachment://')!r}.",
                )
                continue
            embed[key] = dict(media, url=attachment["url"], proxy_url=attachment["proxy_url"])
    if errors:
        raise DiscordError.form(errors)


class Messages(World):
    def __init__(self, bot_name: str) -> None:
        super().__init__(bot_name)
        self._messages: dict[int, StoredMessage] = {}
        self.uploads: dict[int, bytes] = {}
        """The bytes of every file attached to a message, by attachment id."""
        self._channel_messages: dict[int, list[int]] = {}
        self._gone_channels: dict[int, tuple[int, str, int]] = {}
        self.deleted_messages: dict[int, StoredMessage] = {}
        """Messages deleted (by the bot or a test's `delete_message`), by id, as they were."""

    def channel_messages(self, channel_id: int) -> list[StoredMessage]:
        """Messages in a channel, oldest first: the bot's `channel.send`s and its non-ephemeral
        interaction replies and follow-ups (check `StoredMessage.source`)."""
        return [self._messages[m] for m in self._channel_messages.get(channel_id, [])]

    def message(self, message_id: int) -> StoredMessage:
        return self._messages[message_id]

    def add_user_message(
        self, channel_id: int, author: UserSpec | MemberSpec, content: str
    ) -> StoredMessage:
        """A message a member wrote in a channel (the bot may not edit it: 403, 50005)."""
        message = self._create_message(channel_id, {"content": content}, (), "user", None)
        user = author.user if isinstance(author, MemberSpec) else author
        message.payload["author"] = user.payload()
        return message

    def delete_message(self, message_id: int) -> StoredMessage:
        """Deletes a message as a member (or moderator) would: it leaves the channel and
        any later edit or delete of it answers 404 Unknown Message (10008). No MESSAGE_DELETE
        is dispatched: that needs the GUILD_MESSAGES intent, which Capcom does not ask for."""
        message = self._messages.pop(message_id)
        ids = self._channel_messages.get(message.channel_id, [])
        if message_id in ids:
            ids.remove(message_id)
        self.deleted_messages[message_id] = message
        return message

    def _attachments(self, channel_id: int, body: JSON, files: Sequence[File]) -> list[JSON]:
        described = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        if len(files) > ATTACHMENT_COUNT_LIMIT:
            errors = FormErrors()
            errors.add(("files",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
            raise DiscordError.form(errors)
        attachments: list[JSON] = []
        for index, file in enumerate(files):
            if file.size > ATTACHMENT_SIZE_LIMIT:
                raise DiscordError(*TOO_LARGE)
            # Discord matches the part `files[n]` with the `attachments` entry of id n.
            named = file.part.startswith("files[") and file.part.endswith("]")
            entry = described.get(file.part[6:-1] if named else str(index), {})
            attachment_id = self._ids.next()
            filename = str(entry.get("filename") or file.filename)
            url = f"attachments/{channel_id}/{attachment_id}/{filename}"
            self.uploads[attachment_id] = file.data
            attachments.append(
                {
                    "id": str(attachment_id),
                    "filename": filename,
                    "description": entry.get("description"),
                    "size": file.size,
                    "content_type": file.content_type,
                    "url": f"https://cdn.discordapp.com/{url}",
                    "proxy_url": f"https://media.discordapp.net/{url}",
                }
            )
        return attachments

    def _create_message(
        self,
        channel_id: int,
        body: JSON,
        files: Sequence[File],
        source: Literal["channel", "interaction", "followup", "user"],
        handle: InteractionHandle | None,
        *,
        embeds_allowed: bool = True,
        allow_empty: bool = False,
    ) -> StoredMessage:
        message_id = self._ids.next()
        embeds = _normalize_embeds(body.get("embeds"))
        payload: JSON = {
            "id": str(message_id),
            "type": 0,
            "channel_id": str(channel_id),
            "author": self.bot_user.payload(),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(channel_id, body, files),
            "embeds": embeds if embeds_allowed else [],
            "pinned": False,
            "flags": int(body.get("flags") or 0)
            | (MESSAGE_FLAG_EPHEMERAL if handle is not None and handle.forced_ephemeral else 0),
            "components": _number_components(body.get("components") or [], [0]),
        }
        for key in ("nonce", "message_reference", "poll", "sticker_ids"):
            if body.get(key) is not None:
                payload[key] = body[key]
        if not allow_empty and is_empty_message(payload) and not (embeds and not embeds_allowed):
            raise DiscordError(*EMPTY_MESSAGE)
        _link_attachments(payload)
        if handle is not None:
            user = handle.payload.get("member", {}).get("user") or handle.payload.get("user")
            payload.update(
                type=20 if handle.type == INTERACTION_COMMAND else 0,
                webhook_id=str(self.application_id),
                application_id=str(self.application_id),
                interaction_metadata={
                    "id": str(handle.id),
                    "type": handle.type,
                    "user": user,
                    "authorizing_integration_owners": handle.payload[
                        "authorizing_integration_owners"
                    ],
                },
            )
        message = StoredMessage(
            payload,
            body.get("allowed_mentions"),
            source,
            None if handle is None else handle.id,
            embeds_suppressed=bool(embeds) and not embeds_allowed,
        )
        self._finish_message(message)
        self._messages[message_id] = message
        if handle is not None:
            handle.message_ids.add(message_id)
        if not message.ephemeral:
            self._channel_messages.setdefault(channel_id, []).append(message_id)
        return message

    def _finish_message(self, message: StoredMessage) -> None:
        """Fills the mention fields from the content and the bot's `allowed_mentions`."""
        pings = message.pings
        payload = message.payload
        payload["mention_everyone"] = pings.everyone
        payload["mention_roles"] = [str(r) for r in sorted(pings.roles)]
        users: list[JSON] = []
        for guild in self.guilds.values():
            users.extend(guild.members[u].user.payload() for u in pings.users if u in guild.members)
        payload["mentions"] = users

    def _edit(self, message: StoredMessage, body: JSON, files: Sequence[File]) -> None:
        """An edit of a message: an interaction's of its own, or the bot's of a channel message."""
        errors = FormErrors()
        check_message(body, errors)
        if errors:
            raise DiscordError.form(errors)
        payload = dict(message.payload)
        was_loading = bool(int(payload.get("flags") or 0) & MESSAGE_FLAG_LOADING)
        if "content" in body:
            payload["content"] = body["content"] or ""
        suppressed = message.embeds_suppressed
        if "embeds" in body:
            suppressed = False
            payload["embeds"] = _normalize_embeds(body["embeds"])
        if "components" in body:
            payload["components"] = _number_components(body["components"] or [], [0])
        if "poll" in body:
            payload["poll"] = body["poll"]
        new_attachments = self._attachments(message.channel_id, body, files)
        if "attachments" in body:
            keep = {str(a.get("id")) for a in body["attachments"] or [] if isinstance(a, dict)}
            payload["attachments"] = [a for a in payload["attachments"] if a["id"] in keep]
        payload["attachments"] = [*payload["attachments"], *new_attachments]
        _link_attachments(payload)
        flags = int(payload.get("flags") or 0) & ~MESSAGE_FLAG_LOADING
        if "flags" in body:
            flags = (flags & ~_SUPPRESS_EMBEDS) | (int(body["flags"] or 0) & _SUPPRESS_EMBEDS)
        payload["flags"] = flags
        if is_empty_message(payload) and not suppressed:
            raise DiscordError(*EMPTY_MESSAGE)
        if not was_loading:
            payload["edited_timestamp"] = now_iso()
        message.payload = payload
        message.embeds_suppressed = suppressed
        if "allowed_mentions" in body:
            message.allowed_mentions = body["allowed_mentions"]
        self._finish_message(message)

    def _channel(self, req: Request) -> tuple[GuildSpec, ChannelSpec, int]:
        """The channel and the bot's permissions in it; 404/403 as Discord answers."""
        channel_id = req.param("channel_id")
        gone = self._gone_channels.get(channel_id)
        if gone is not None:
            raise DiscordError(*gone)
        try:
            guild, channel = self.find_channel(channel_id)
        except KeyError:
            raise DiscordError(*UNKNOWN_CHANNEL) from None
        permissions = guild.permissions_for(self.bot_user.id, channel_id)
        if not permissions & Perm.VIEW_CHANNEL:
            raise DiscordError(*MISSING_ACCESS)
        return guild, channel, permissions

    async def _get_channel(self, req: Request) -> Reply:
        return 200, self._channel(req)[1].payload()

    async def _post_message(self, req: Request) -> Reply:
        _, channel, permissions = self._channel(req)
        if not permissions & Perm.SEND_MESSAGES or (
            req.files and not permissions & Perm.ATTACH_FILES
        ):
            raise DiscordError(*MISSING_PERMISSIONS)
        body = req.json
        errors = FormErrors()
        check_message(body, errors)
        if errors:
            raise DiscordError.form(errors)
        message = self._create_message(
            channel.id,
            body,
            req.files,
            "channel",
            None,
            embeds_allowed=bool(permissions & Perm.EMBED_LINKS),
        )
        return 200, message.payload

    async def _list_messages(self, req: Request) -> Reply:
        _, channel, permissions = self._channel(req)
        if not permissions & Perm.READ_MESSAGE_HISTORY:
            return 200, []
        limit = req.query_int("limit", 50)
        if not 1 <= limit <= 100:
            errors = FormErrors()
            errors.add(("limit",), "NUMBER_TYPE_MAX", "int value should be <= 100.")
            raise DiscordError.form(errors)
        ids = self._channel_messages.get(channel.id, [])
        if "after" in req.query:
            start = bisect.bisect_right(ids, req.query_int("after", 0))
        elif "around" in req.query:
            start = max(0, bisect.bisect_left(ids, req.query_int("around", 0)) - limit // 2)
        else:
            end = bisect.bisect_left(ids, req.query_int("before", 1 << 63))
            start = max(0, end - limit)
        picked = ids[start : start + limit]
        return 200, [self._messages[m].payload for m in reversed(picked)]

    def _channel_message(self, channel_id: int, req: Request) -> StoredMessage:
        """A message of this channel, or 404 Unknown Message (deleted, elsewhere, ephemeral)."""
        message = self._messages.get(req.param("message_id"))
        if message is None or message.channel_id != channel_id or message.ephemeral:
            raise DiscordError(*UNKNOWN_MESSAGE)
        return message

    async def _patch_message(self, req: Request) -> Reply:
        """The bot edits its own message: the same limits as posting; View Channel needed."""
        _, channel, _ = self._channel(req)
        message = self._channel_message(channel.id, req)
        if message.author_id != self.bot_user.id:
            raise DiscordError(*NOT_AUTHOR)
        self._edit(message, req.json, req.files)
        message.edits += 1
        return 200, message.payload

    async def _delete_channel_message(self, req: Request) -> Reply:
        """The bot deletes its own message, or another's with Manage Messages."""
        _, channel, permissions = self._channel(req)
        message = self._channel_message(channel.id, req)
        if message.author_id != self.bot_user.id and not permissions & Perm.MANAGE_MESSAGES:
            raise DiscordError(*MISSING_PERMISSIONS)
        self.delete_message(message.id)
        return 204, None
