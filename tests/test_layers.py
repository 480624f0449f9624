"""The import contract: layers only point down.

    storage (and bot.alert_kinds) → bot.ll2 (and bot.settings) → services and alert
    logic (no discord) → bot.render (pure: models → Message, no storage) → the Discord
    edge → cogs

A module may import its own layer and the ones below it, never one above; the
layers below rendering never import discord, and rendering never touches storage.
Within `storage`, no module imports itself back through others (no circle).
`make test` runs this, so a change that breaks the contract fails at once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import PROJECT_ROOT

LAYERS: dict[str, int] = {
    "storage": 0,
    "bot.alert_kinds": 0,  # what an alert is about: values storage keeps, renderers name
    "bot.settings": 1,
    "bot.ll2": 1,
    "bot.metrics": 1,  # counters any layer above storage may increment (no discord)
    "bot.service": 2,
    "bot.catalog": 2,
    "bot.alerts": 2,
    "bot.render": 3,
    "bot": 4,  # the Discord edge: the bot class, responder, transport, runtime, CLI
    "cogs": 5,
}
NO_DISCORD_BELOW = 3
PURE = {"bot.render": ("storage",), "bot.alert_kinds": ("storage",)}
"""Renderers never touch storage, nor does the vocabulary they share with it."""


def layer_of(module: str) -> tuple[str, int] | None:
    """The longest layer prefix naming `module`, with its layer."""
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, LAYERS[prefix]
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def problems(module: str, imported: set[str]) -> list[str]:
    here = layer_of(module)
    if here is None:
        return []
    prefix, level = here
    found = []
    for target in sorted(imported):
        if level < NO_DISCORD_BELOW and target.split(".")[0] == "discord":
            found.append(f"{module} (layer {level}) imports discord")
        there = layer_of(target)
        if there is not None and there[1] > level:
            found.append(f"{module} (layer {level}) imports {target} (layer {there[1]})")
        for banned in PURE.get(prefix, ()):
            if target == banned or target.startswith(banned + "."):
                found.append(f"{module} is pure but imports {target}")
    return found


SOURCES = sorted(
    path for folder in ("storage", "bot", "cogs") for path in (PROJECT_ROOT / folder).rglob("*.py")
)


def test_every_layer_points_down() -> None:
    found = [line for path in SOURCES for line in problems(module_name(path), imports(path))]
    assert found == []


def circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle in `graph` (module → modules it imports) as the path that
    closes it, e.g. [a, b, a]; [] when there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done or module not in graph:
            return []
        for target in sorted(graph[module]):
            found = visit(target, [*path, module])
            if found:
                return found
        done.add(module)
        return []

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return []


def test_storage_has_no_import_circle() -> None:
    graph = {
        module_name(path): imports(path)
        for path in SOURCES
        if module_name(path).split(".")[0] == "storage"
    }
    assert circle(graph) == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"storage.open": {"storage.sqlite"}, "storage.sqlite": {"storage.database"}}
    assert circle(graph) == []
    graph["storage.database"] = {"storage.sqlite"}
    assert circle(graph) == ["storage.database", "storage.sqlite", "storage.database"]


@pytest.mark.parametrize(
    ("module", "imported"),
    [
        ("bot.alerts.service", {"bot.render.alert"}),
        ("bot.ll2.repository", {"discord"}),
        ("bot.render.about", {"storage.index"}),
        ("storage.alerts", {"bot.alerts.detector"}),
        ("bot.alert_kinds", {"storage.alerts"}),
        ("bot.responder", {"cogs.flights"}),
    ],
)
def test_the_contract_catches_an_upward_import(module: str, imported: set[str]) -> None:
    assert problems(module, imported)
