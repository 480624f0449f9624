"""Autocomplete choices from the local index: instant, never a request to LL2."""

from __future__ import annotations

from discord import app_commands

from bot.service import SpaceService
from storage.index import EntityKind


async def choices(
    service: SpaceService, kind: EntityKind, current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=entity.label[:100] or str(entity.id), value=str(entity.id))
        for entity in await service.suggest(kind, current)
    ]
