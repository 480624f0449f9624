"""Answering interactions inside Discord's 3 seconds, and turning failures into words.

`respond` starts building the reply; if it is ready within `DEFER_AFTER` seconds
(the cache answered) it is sent as the first response, else the interaction is
deferred (the user sees "Capcom is thinking…") and the reply follows when LL2
has answered. Either way one log line records the command, its latency and
whether the data came from the cache.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

import discord
from discord import app_commands

from bot.ll2.client import LL2Error, Unavailable
from bot.ll2.fairness import Asker, OverShare
from bot.ll2.freshness import Freshness
from bot.ll2.lru import LRU
from bot.logs import LOG_CONTEXT
from bot.metrics import Metrics
from bot.render.errors import (
    over_share_text,
    render_error,
    storage_text,
    unavailable_text,
    unexpected_text,
    unknown_text,
)
from bot.render.lang import N_, Lang, lang_for
from bot.render.message import Message, build_view
from bot.service import UnknownQuery
from storage.database import StorageError

log = logging.getLogger("capcom.commands")

DEFER_AFTER = 2.0
"""Seconds to wait for a reply before deferring: well inside Discord's 3."""

VIEW_CACHE_SIZE = 128
"""Views of the latest messages sent (an `LRU`), kept for a message sent again: right
while the renderer hands out the very same `Message` object for the same flight and
language (`bot.render.flight`), which a view is kept with and checked against; as many
as the renderer keeps messages."""

_views: LRU[int, tuple[Message, discord.ui.View]] = LRU(VIEW_CACHE_SIZE)


class Outcome(StrEnum):
    """How an interaction ended, as `/metrics` counts it."""

    ANSWERED = "answered"
    STALE = "stale"
    """Answered from a cached copy past its freshness (LL2 could not be asked)."""
    REFUSED = "refused"
    """Not answered with data: LL2 could not be asked and nothing was cached (budget,
    share, 429, LL2 down), or the user may not use the command."""
    ERROR = "error"
    """Capcom's fault or Discord's: a bug, the storage failing, a reply Discord refused."""


@dataclass(frozen=True, slots=True)
class Reply:
    message: Message
    freshness: Freshness | None = None
    ephemeral: bool = False
    outcome: Outcome = Outcome.ANSWERED

    @property
    def counted_as(self) -> Outcome:
        stale = self.freshness is not None and self.freshness.stale
        return Outcome.STALE if stale and self.outcome is Outcome.ANSWERED else self.outcome


PERMISSION_NAMES = {"manage_guild": N_("Manage Server")}
"""The permissions a command of Capcom's may require of its user, as Discord's client
names them (`Lang.say` in the user's language, as Discord's client does)."""


def permission_name(flag: str) -> str:
    """Discord's name of the permission `flag` (`manage_guild`: "Manage Server"); one no
    command requires yet by its flag ("Kick Members")."""
    return PERMISSION_NAMES.get(flag) or flag.replace("_", " ").title()


def lang_of(interaction: discord.Interaction[Any]) -> Lang:
    """The language of the user's Discord client (English where Capcom has none)."""
    return lang_for(interaction.locale.value)


def error_text(error: BaseException, lang: Lang) -> str | None:
    """The plain-language text for a failure a user should see, or None if unexpected."""
    if isinstance(error, OverShare):
        return over_share_text(error, lang)
    if isinstance(error, Unavailable):
        return unavailable_text(error.reason, error.retry_at, time.time(), lang)
    if isinstance(error, UnknownQuery):
        return unknown_text(error, lang)
    if isinstance(error, LL2Error):
        return str(error)
    if isinstance(error, StorageError):
        return storage_text(lang)
    return None


def outcome_of(error: BaseException, text: str | None) -> Outcome:
    """How a failure with the user-facing `text` (None: unexpected) counts."""
    if text is None or isinstance(error, StorageError):
        return Outcome.ERROR
    if isinstance(error, Unavailable):
        return Outcome.REFUSED
    return Outcome.ANSWERED  # "no such flight" answers the question


def send_kwargs(message: Message, *, edit: bool = False) -> dict[str, Any]:
    """discord.py's arguments for sending `message`, or with `edit=True` for replacing a
    message with it (its files replace the old ones, so an edit never keeps a stale
    picture). Each call makes new `discord.File`s: discord.py closes them once sent."""
    kwargs: dict[str, Any] = {
        "content": message.content,
        "embeds": list(message.embeds),
        "allowed_mentions": message.allowed_mentions,
    }
    files = [
        discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description)
        for a in message.attachments
    ]
    if edit:
        kwargs["attachments"] = files
    elif files:
        kwargs["files"] = files
    if message.silent and not edit:
        kwargs["silent"] = True
    view = _view_of(message)
    if view is not None:
        kwargs["view"] = view
    return kwargs


def _view_of(message: Message) -> discord.ui.View | None:
    """`build_view`, once for the same message object: a stopped view is only read when
    sent, so it can go with every send of a message rendered once and reused."""
    if not message.rows:
        return None
    kept = _views.get(id(message))
    if kept is not None and kept[0] is message:
        return kept[1]
    view = build_view(message.rows)
    if view is not None:
        _views.put(id(message), (message, view))
    return view


def _command(interaction: discord.Interaction[Any]) -> str:
    """The command's name, or a component's kind (`capcom:flights`): a metrics label, so
    without the ids and pages a custom_id carries."""
    if interaction.command is not None:
        return interaction.command.qualified_name
    data = cast(dict[str, Any], interaction.data or {})
    return ":".join(str(data.get("custom_id", "?")).split(":")[:2])


def _metrics(interaction: discord.Interaction[Any]) -> Metrics | None:
    metrics = getattr(interaction.client, "metrics", None)
    return metrics if isinstance(metrics, Metrics) else None


def _count(interaction: discord.Interaction[Any], outcome: Outcome) -> None:
    metrics = _metrics(interaction)
    if metrics is not None:
        metrics.interaction(_command(interaction), outcome)


def _first_responded(interaction: discord.Interaction[Any], started: float) -> None:
    metrics = _metrics(interaction)
    if metrics is not None:
        metrics.first_responded(_command(interaction), time.perf_counter() - started)


def _log_context(interaction: discord.Interaction[Any]) -> dict[str, Any]:
    """What this interaction's log lines are about (`bot/logs.py`)."""
    guild_id = interaction.guild_id
    shards = interaction.client.shard_count or 1
    return {
        "interaction": interaction.id,
        "guild": guild_id,
        # Discord's rule for which shard receives a guild's events; DMs come to shard 0.
        "shard": (guild_id >> 22) % shards if guild_id is not None else 0,
        "command": _command(interaction),
    }


def _describe(interaction: discord.Interaction[Any]) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    data = cast(dict[str, Any], interaction.data or {})
    return f"component {data.get('custom_id', '?')}"


def _source(reply: Reply | None) -> str:
    if reply is None or reply.freshness is None:
        return "no data"
    if reply.freshness.stale:
        return f"stale cache ({reply.freshness.stale_reason})"
    return "cache" if reply.freshness.from_cache else "LL2"


def asker(interaction: discord.Interaction[Any]) -> Asker:
    """Who the interaction's reply is for: what answering it asks of LL2 is charged to
    this user's and server's shares."""
    return Asker(interaction.user.id, interaction.guild_id)


async def _build(produce: Callable[[], Awaitable[Reply]], what: str, lang: Lang) -> Reply:
    """The reply, or one in plain words for a failure: a user always gets an answer."""
    try:
        return await produce()
    except Exception as error:
        text = error_text(error, lang)
        outcome = outcome_of(error, text)
        if text is None:
            log.error("%s failed", what, exc_info=error)
            text = unexpected_text(lang)
        return Reply(render_error(text, lang), ephemeral=True, outcome=outcome)


def _forget(task: asyncio.Future[Reply]) -> None:
    """Let a reply nobody will send finish on its own, its outcome retrieved."""
    task.add_done_callback(lambda done: done.cancelled() or done.exception())


async def respond(
    interaction: discord.Interaction[Any],
    produce: Callable[[], Awaitable[Reply]],
    *,
    edit: bool = False,
    ephemeral: bool = False,
) -> None:
    """Answer with what `produce` builds: a new message, or with `edit=True` an
    edit of the message whose component was used.

    Every failure ends here: one that a user should hear of becomes a short
    ephemeral reply (an unexpected one is also logged with its traceback), and a
    reply Discord refuses is logged in one line. A deferred interaction always
    gets its follow-up."""
    started = time.perf_counter()
    context = LOG_CONTEXT.set(_log_context(interaction))
    try:
        await _respond(interaction, produce, started, edit=edit, ephemeral=ephemeral)
    finally:
        LOG_CONTEXT.reset(context)


async def _respond(
    interaction: discord.Interaction[Any],
    produce: Callable[[], Awaitable[Reply]],
    started: float,
    *,
    edit: bool,
    ephemeral: bool,
) -> None:
    what = _describe(interaction)
    lang = lang_of(interaction)
    task = asyncio.ensure_future(_build(produce, what, lang))
    try:
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    except asyncio.CancelledError:
        _forget(task)
        raise
    deferred = not done
    if deferred:
        try:
            if edit:
                await interaction.response.defer()
            else:
                await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        except discord.HTTPException as error:
            _forget(task)
            _count(interaction, Outcome.ERROR)
            log.warning("%s: could not defer (%s); the user got no answer", what, error)
            return
        _first_responded(interaction, started)
    reply = await task
    try:
        await _send(interaction, reply, deferred=deferred, edit=edit, ephemeral=ephemeral)
    except discord.NotFound as error:
        _count(interaction, Outcome.ERROR)
        log.warning("%s: the interaction is gone (%s); the reply was dropped", what, error)
        return
    except discord.HTTPException as error:
        _count(interaction, Outcome.ERROR)
        log.error("%s: Discord refused the reply: %s", what, error)
        await _send_error(interaction, unexpected_text(lang))
        return
    if not deferred:
        _first_responded(interaction, started)
    _count(interaction, reply.counted_as)
    log.info(
        "%s in guild %s: %.0f ms%s, from %s",
        what,
        interaction.guild_id,
        (time.perf_counter() - started) * 1000,
        " (deferred)" if deferred else "",
        _source(reply),
    )


async def _send(
    interaction: discord.Interaction[Any],
    reply: Reply,
    *,
    deferred: bool,
    edit: bool,
    ephemeral: bool,
) -> None:
    private = reply.ephemeral or ephemeral
    replace = edit and not reply.ephemeral
    kwargs = send_kwargs(reply.message, edit=replace)
    if not deferred:
        if replace:
            await interaction.response.edit_message(**kwargs)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=private)
    elif replace:
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.followup.send(**kwargs, ephemeral=private)


async def _send_error(interaction: discord.Interaction[Any], text: str) -> None:
    """A short ephemeral error, as the first response or as a follow-up."""
    kwargs = send_kwargs(render_error(text, lang_of(interaction)))
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs, ephemeral=True)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error in %s", _describe(interaction))


def _command_error_text(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> str | None:
    lang = lang_of(interaction)
    if isinstance(error, app_commands.MissingPermissions):
        missing = error.missing_permissions
        return lang.say_n(
            "You need the {permissions} permission to use this command.",
            "You need the {permissions} permissions to use this command.",
            len(missing),
            permissions=lang.names([lang.say(permission_name(p)) for p in missing]),
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return lang.say("This command only works in a server.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return lang.say_n(
            "Slow down: try again in {count} second.",
            "Slow down: try again in {count} seconds.",
            round(error.retry_after),
        )
    if isinstance(error, app_commands.TransformerError):
        return lang.say("“{value}” is not something this option accepts.", value=error.value)
    if isinstance(error, app_commands.CommandInvokeError):
        return error_text(error.original, lang)
    return None


async def on_tree_error(
    interaction: discord.Interaction[Any], error: app_commands.AppCommandError
) -> None:
    """The one place app-command errors end: a short ephemeral reply, the rest logged."""
    text = _command_error_text(interaction, error)
    if isinstance(error, app_commands.CommandInvokeError):
        outcome = outcome_of(error.original, text)
    else:
        outcome = Outcome.REFUSED if text is not None else Outcome.ERROR
    _count(interaction, outcome)
    if text is None:
        log.error("%s failed", _describe(interaction), exc_info=error)
        text = unexpected_text(lang_of(interaction))
    await _send_error(interaction, text)
