"""The stand-in refuses command localizations Discord refuses: an unknown locale, a
localized name breaking the naming rules or clashing with a sibling's, a description or
choice name past 100 characters; it keeps valid ones as synced."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stubs.discord.commands import check_commands
from tests.stubs.discord.rest import FormErrors


def command(**overrides: Any) -> dict[str, Any]:
    option = {"type": 3, "name": "mission", "description": "Mission", "required": True}
    base: dict[str, Any] = {"name": "crew", "description": "Crew", "options": [option]}
    return {**base, **overrides}


def refused(commands: list[dict[str, Any]]) -> str:
    errors = FormErrors()
    check_commands(commands, errors)
    return str(errors.tree)


def test_valid_localizations_pass() -> None:
    valid = command(
        name_localizations={"ja": "クルー", "ru": "экипаж", "hi": "दल"},
        description_localizations={"de": "Die Besatzung"},
    )
    assert refused([valid]) == "{}"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"name_localizations": {"xx": "crew"}}, "LOCALE_INVALID"),
        ({"name_localizations": {"en": "crew"}}, "LOCALE_INVALID"),
        ({"name_localizations": {"de": "Besatzung"}}, "APPLICATION_COMMAND_INVALID_NAME"),
        ({"name_localizations": {"fr": "mon équipage"}}, "APPLICATION_COMMAND_INVALID_NAME"),
        ({"name_localizations": {"it": "e" * 33}}, "APPLICATION_COMMAND_INVALID_NAME"),
        ({"description_localizations": {"pl": "z" * 101}}, "BASE_TYPE_BAD_LENGTH"),
        ({"description_localizations": {"ko": ""}}, "BASE_TYPE_BAD_LENGTH"),
    ],
)
def test_invalid_command_localizations_are_refused(overrides: dict[str, Any], code: str) -> None:
    assert code in refused([command(**overrides)])


def test_option_and_choice_localizations_are_checked() -> None:
    twins = command(
        options=[
            {"type": 3, "name": "a", "description": "A", "name_localizations": {"de": "x"}},
            {"type": 3, "name": "b", "description": "B", "name_localizations": {"de": "x"}},
        ]
    )
    assert "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS" in refused([twins])
    long_choice = {"name": "a", "value": "a", "name_localizations": {"ja": "あ" * 101}}
    option = {"type": 3, "name": "pick", "description": "P", "choices": [long_choice]}
    assert "BASE_TYPE_BAD_LENGTH" in refused([command(options=[option])])
    spaced_choice = {**long_choice, "name_localizations": {"de": "Starts und Landungen"}}
    assert refused([command(options=[{**option, "choices": [spaced_choice]}])]) == "{}"


def test_a_command_is_sized_by_its_longest_localization_of_each_text() -> None:
    """Discord counts each name and description once, by its longest text (default or a
    localization), against the 4000 characters a command may hold."""

    def options(choice_name: int) -> list[dict[str, Any]]:
        choice = {"name": "c", "value": "v", "name_localizations": {"ru": "z" * choice_name}}
        return [
            {
                "type": 3,
                "name": f"o{n}",
                "description": "d",
                "description_localizations": {"de": "x" * 100, "fr": "y" * 100},
                "choices": [choice],
            }
            for n in range(25)
        ]

    # 8 + 10 * (2 + 100 + 61) + 15 * (3 + 100 + 61) = 4098
    assert "APPLICATION_COMMAND_TOO_LARGE" in refused([command(options=options(60))])
    # 3973, each text counted once by its longest localization
    assert refused([command(options=options(55))]) == "{}"
