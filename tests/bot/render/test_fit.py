"""The final fit: Discord's limits kept, and what was cut said."""

from __future__ import annotations

import discord

from bot.render.embeds import main_embed
from bot.render.fit import fit_message, select_menu
from bot.render.lang import ENGLISH
from bot.render.message import Button, Message, SelectOption
from bot.render.text import More
from tests.bot.render.data import FRESH
from tests.bot.render.limits import assert_within_discord_limits


def _embed(n: int, size: int) -> discord.Embed:
    return discord.Embed(title=f"Card {n}", description="d" * size)


def test_select_menu_cut_visibly() -> None:
    options = [SelectOption(label="@everyone " * 20, value=str(n)) for n in range(40)]
    select = select_menu("capcom:crew:select", "Open a crew member…", options, ENGLISH)
    assert len(select.options) == 25
    assert select.placeholder == "Open a crew member… (15 more not listed)"
    assert all(len(option.label) <= 100 for option in select.options)
    twice = select_menu("id", "Pick", [SelectOption("a", "1"), SelectOption("b", "1")], ENGLISH)
    assert [option.label for option in twice.options] == ["a"]


def test_fit_message_drops_embeds_past_ten_and_says_so() -> None:
    first = main_embed("Main", discord.Colour.blue(), FRESH, ENGLISH, description="hello")
    message = Message(embeds=(first, *(_embed(n, 10) for n in range(14))))
    fitted = fit_message(message, ENGLISH, left_out=More.CREW)
    assert len(fitted.embeds) == 10
    assert fitted.embeds[0].description == "hello\n\n… and 5 more crew"
    assert_within_discord_limits(fitted.to_dict())


def test_fit_message_keeps_the_total_under_6000() -> None:
    first = main_embed("Main", discord.Colour.blue(), FRESH, ENGLISH, description="x " * 3000)
    for n in range(25):
        first.add_field(name=f"field {n} " * 40, value="v " * 600)
    message = Message(embeds=(first, *(_embed(n, 2000) for n in range(5))))
    fitted = fit_message(message, ENGLISH)
    assert_within_discord_limits(fitted.to_dict())
    assert len(fitted.embeds) == 1
    assert (fitted.embeds[0].description or "").endswith("… and 5 more")


def test_fit_message_cuts_components_and_content() -> None:
    message = Message(
        content="c" * 3000,
        rows=((Button(label="L" * 100, custom_id="capcom:x"),),),
    )
    fitted = fit_message(message, ENGLISH)
    assert fitted.content is not None and len(fitted.content) == 2000
    [[button]] = fitted.rows
    assert isinstance(button, Button) and len(button.label) == 80
