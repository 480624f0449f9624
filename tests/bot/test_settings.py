from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from tests.e2e.harness import SETTINGS_PREFIXES
from tests.paths import PROJECT_ROOT


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(SETTINGS_PREFIXES):
            monkeypatch.delenv(name)


def test_defaults_need_nothing_but_work_for_every_setting() -> None:
    settings = load_settings(None)
    assert settings.ll2_base_url == "https://ll.thespacedevs.com/2.3.0"
    assert settings.ll2_version == "2.3.0"
    assert settings.ll2_requests_per_hour == 15
    assert settings.database_path == Path("data/capcom.db")
    assert settings.database == "sqlite:///data/capcom.db"
    assert settings.discord_token is None


@pytest.mark.parametrize(
    ("url", "version"),
    [
        ("https://ll.thespacedevs.com/2.3.0", "2.3.0"),
        ("https://lldev.thespacedevs.com/2.2.0/", "2.2.0"),
        ("http://127.0.0.1:8123/2.3.0", "2.3.0"),
    ],
)
def test_the_version_is_read_from_the_url(
    monkeypatch: pytest.MonkeyPatch, url: str, version: str
) -> None:
    monkeypatch.setenv("LL2_BASE_URL", url)
    assert load_settings(None).ll2_version == version


def test_the_token_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "super-secret-token")
    monkeypatch.setenv("DATABASE_URL", "postgresql://capcom:db-password@db.internal/capcom")
    settings = load_settings(None)
    for secret in ("super-secret-token", "db-password"):
        assert secret not in repr(settings)
        assert secret not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("environment", "database"),
    [
        ({"DATABASE_PATH": "/srv/capcom.db"}, "sqlite:////srv/capcom.db"),
        ({"DATABASE_URL": "sqlite:///./other.db"}, "sqlite:///./other.db"),
        (
            {"DATABASE_URL": "postgresql://capcom@db/capcom", "DATABASE_PATH": "/ignored.db"},
            "postgresql://capcom@db/capcom",
        ),
        ({"DATABASE_URL": " "}, "sqlite:///data/capcom.db"),
    ],
)
def test_the_database_is_the_url_else_the_path(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], database: str
) -> None:
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert load_settings(None).database == database


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("LL2_REQUESTS_PER_HOUR", "lots", "LL2_REQUESTS_PER_HOUR: "),
        ("LL2_REQUESTS_PER_HOUR", "0", "greater than or equal to 1"),
        ("LL2_BASE_URL", "https://ll.thespacedevs.com/2.4.0", "2.2.0 or 2.3.0"),
        ("LL2_BASE_URL", "not a url", "absolute"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL: "),
        ("DATABASE_URL", "mysql://capcom@db/capcom", "DATABASE_URL: must be sqlite:///"),
    ],
)
def test_a_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=says):
        load_settings(None)


@pytest.mark.parametrize(
    ("count", "ids", "expected"),
    [
        ("4", "0,2", (0, 2)),
        ("8", "4-7", (4, 5, 6, 7)),
        ("8", " 0, 3-4 ,3", (0, 3, 4)),
        ("2", "", None),
    ],
)
def test_a_process_runs_the_shards_it_names(
    monkeypatch: pytest.MonkeyPatch, count: str, ids: str, expected: tuple[int, ...] | None
) -> None:
    monkeypatch.setenv("SHARD_COUNT", count)
    monkeypatch.setenv("SHARD_IDS", ids)
    assert load_settings(None).shard_ids == expected


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_COUNT is 2"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "one"}, "SHARD_IDS: 'one' is not a shard id"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT: "),
    ],
)
def test_shard_settings_that_cannot_work_are_refused(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], says: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=says):
        load_settings(None)


def capcom(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in an empty folder, with only `env` of Capcom's settings."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("LL2_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=inherited | env | {"PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_line_says_one_line_and_exits_2(tmp_path: Path) -> None:
    result = capcom(tmp_path, "preview", "flight", "219", LL2_REQUESTS_PER_HOUR="lots")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "capcom: LL2_REQUESTS_PER_HOUR: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]
    assert "Traceback" not in result.stderr


def test_run_without_a_token_says_how_to_get_one(tmp_path: Path) -> None:
    result = capcom(tmp_path, "run")
    assert result.returncode == 2
    assert "developers/applications" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_example_env_file_loads_as_it_is() -> None:
    """`cp .env.example .env` gives settings Capcom accepts: blanks mean "unset"."""
    settings = load_settings(PROJECT_ROOT / ".env.example")
    assert settings.shard_count is None and settings.shard_ids is None
    assert settings.ll2_version == "2.3.0"
    assert (settings.user_share, settings.server_share) == (3, 6)


@pytest.mark.parametrize(
    ("environment", "shares"),
    [
        ({}, (3, 6)),
        ({"LL2_REQUESTS_PER_HOUR": "1000"}, (200, 400)),
        ({"LL2_REQUESTS_PER_HOUR": "4"}, (1, 1)),
        ({"LL2_REQUESTS_PER_HOUR": "1"}, (1, 1)),
        ({"LL2_REQUESTS_PER_HOUR": "1000", "LL2_USER_REQUESTS_PER_HOUR": "3"}, (3, 400)),
        ({"LL2_SERVER_REQUESTS_PER_HOUR": "9"}, (3, 9)),
        ({"LL2_USER_REQUESTS_PER_HOUR": "", "LL2_SERVER_REQUESTS_PER_HOUR": " "}, (3, 6)),
    ],
)
def test_fair_shares_follow_the_budget_unless_set(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], shares: tuple[int, int]
) -> None:
    """A key allowing 1,000 an hour must not stop a user after 3: unset, the shares are
    a fifth and two fifths of the budget; a value given is kept."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(None)
    assert (settings.user_share, settings.server_share) == shares
