"""`respond` with a stand-in interaction: every failure ends in an answer to the user,
a deferred interaction always gets its follow-up, and nothing escapes to discord.py."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest

from bot import responder
from bot.ll2.client import Unavailable
from bot.ll2.freshness import StaleReason
from bot.metrics import Metrics
from bot.render.errors import UNEXPECTED
from bot.render.message import Attachment, Message, Select, SelectOption
from bot.responder import Reply, respond
from storage.database import StorageError


def http_error(status: int) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="stand-in")
    if status == 404:
        return discord.NotFound(response, {"code": 10062, "message": "Unknown interaction"})
    return discord.HTTPException(response, {"code": 50035, "message": "Invalid Form Body"})


class FakeInteraction:
    """What `respond` uses of a `discord.Interaction`; `sent` records every answer as
    (how, text, ephemeral); `failures` maps a way of answering to the errors it raises."""

    def __init__(self, **failures: list[discord.HTTPException]) -> None:
        self.id = 99
        self.client = SimpleNamespace(shard_count=1, metrics=Metrics())
        self.command = SimpleNamespace(qualified_name="flight")
        self.data: dict[str, Any] = {}
        self.guild_id: int | None = 1
        self.user = SimpleNamespace(id=7)
        self.locale = discord.Locale.american_english
        self.sent: list[tuple[str, str, bool]] = []
        self.failures = failures
        self._done = False
        self.response = SimpleNamespace(
            is_done=lambda: self._done,
            defer=self._answer("defer"),
            send_message=self._answer("send_message"),
            edit_message=self._answer("edit_message"),
        )
        self.followup = SimpleNamespace(send=self._answer("followup"))
        self.edit_original_response = self._answer("edit_original")

    def _answer(self, how: str) -> Any:
        async def answer(**kwargs: Any) -> None:
            errors = self.failures.get(how)
            if errors:
                raise errors.pop(0)
            if how in ("defer", "send_message", "edit_message"):
                self._done = True
            embeds = kwargs.get("embeds") or []
            text = str(embeds[0].description) if embeds else str(kwargs.get("content") or "")
            self.sent.append((how, text, bool(kwargs.get("ephemeral"))))

        return answer

    @property
    def interaction(self) -> discord.Interaction[Any]:
        return cast(discord.Interaction[Any], self)


def plain(text: str) -> Reply:
    return Reply(Message(content=text))


@pytest.fixture(autouse=True)
def quick_defer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(responder, "DEFER_AFTER", 0.05)


async def test_a_quick_reply_is_the_first_response() -> None:
    fake = FakeInteraction()

    async def produce() -> Reply:
        return plain("219")

    await respond(fake.interaction, produce)
    assert fake.sent == [("send_message", "219", False)]


async def test_a_slow_reply_is_deferred_then_followed_up() -> None:
    fake = FakeInteraction()

    async def produce() -> Reply:
        await asyncio.sleep(0.2)
        return plain("219")

    await respond(fake.interaction, produce)
    assert fake.sent == [("defer", "", False), ("followup", "219", False)]


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (StorageError("disk full"), "Capcom's storage is not working right now"),
        (Unavailable(StaleReason.UNREACHABLE, None), "LL2 is unreachable and nothing is"),
        (RuntimeError("a bug"), UNEXPECTED),
    ],
)
async def test_a_failure_after_deferring_still_gets_a_follow_up(
    error: Exception, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeInteraction()

    async def produce() -> Reply:
        await asyncio.sleep(0.2)
        raise error

    await respond(fake.interaction, produce)
    assert [how for how, _, _ in fake.sent] == ["defer", "followup"]
    _, said, ephemeral = fake.sent[1]
    assert text in said and ephemeral
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    if isinstance(error, RuntimeError):  # a bug: logged once, with its traceback
        assert len(errors) == 1 and errors[0].exc_info is not None
    else:
        assert errors == []


async def test_a_component_reply_after_deferring_edits_the_message() -> None:
    fake = FakeInteraction()

    async def produce() -> Reply:
        await asyncio.sleep(0.2)
        return plain("page 2")

    await respond(fake.interaction, produce, edit=True)
    assert fake.sent == [("defer", "", False), ("edit_original", "page 2", False)]


async def test_an_interaction_gone_before_the_defer_is_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeInteraction(defer=[http_error(404)])
    finished = asyncio.Event()

    async def produce() -> Reply:
        await asyncio.sleep(0.2)
        finished.set()
        raise RuntimeError("nobody is listening")

    await respond(fake.interaction, produce)
    assert fake.sent == []
    await asyncio.wait_for(finished.wait(), 2)  # the work is not cancelled
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "could not defer" in warnings[0].getMessage()


async def test_a_reply_discord_refuses_becomes_an_error_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeInteraction(send_message=[http_error(400)])

    async def produce() -> Reply:
        return plain("too long")

    await respond(fake.interaction, produce)
    assert fake.sent == [("send_message", f"❌ {UNEXPECTED}", True)]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "Discord refused the reply" in errors[0].getMessage()


def test_attachments_become_files_to_send_and_to_replace() -> None:
    picture = Attachment("timeline-1.png", b"\x89PNG data", "alt text")
    message = Message(content="x", attachments=(picture,))
    sent = responder.send_kwargs(message)
    [file] = sent["files"]
    assert (file.filename, file.description, file.fp.read()) == (
        "timeline-1.png",
        "alt text",
        b"\x89PNG data",
    )
    assert "attachments" not in sent
    again = responder.send_kwargs(message)["files"][0]
    assert again is not file and again.fp.read() == b"\x89PNG data", "new files each time"
    [replacement] = responder.send_kwargs(message, edit=True)["attachments"]
    assert replacement.filename == "timeline-1.png"
    assert "files" not in responder.send_kwargs(Message(content="x"))
    assert responder.send_kwargs(Message(content="x"), edit=True)["attachments"] == []


async def test_a_message_sent_again_goes_with_the_same_stopped_view() -> None:
    """A memoised render is the same message object: its view is built once, and a
    stopped view is only read when sent. An equal message of its own gets its own."""
    menu = Select("crew", "Open a crew member…", (SelectOption("Ann", "1"),))
    message = Message(content="x", rows=((menu,),))
    view = responder.send_kwargs(message)["view"]
    assert view.is_finished()
    assert responder.send_kwargs(message)["view"] is view
    other = responder.send_kwargs(Message(content="x", rows=((menu,),)))["view"]
    assert other is not view and other.to_components() == view.to_components()
