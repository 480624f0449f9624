"""What the services hand to renderers, beyond the plain LL2 models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.ll2.budget import BudgetStatus
from bot.ll2.models import Astronaut, SpacecraftFlightSummary


@dataclass(frozen=True, slots=True)
class FlightPage:
    """One page of `/flights`: 1-based `page` of `pages`, `total` flights in all."""

    flights: tuple[SpacecraftFlightSummary, ...]
    page: int
    pages: int
    total: int
    spacecraft_id: int | None = None
    spacecraft_name: str | None = None


@dataclass(frozen=True, slots=True)
class CraftCrew:
    """Who is aboard one spacecraft or station now (`/inspace`)."""

    craft: str | None
    """The spacecraft's (or launch's) name; None when no cached flight names it."""
    astronauts: tuple[Astronaut, ...]
    flight_id: int | None = None
    station: str | None = None
    launched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Status:
    """For `/about`: the LL2 version and budget, how old the cache is, what is indexed."""

    budget: BudgetStatus
    ll2_version: str
    documents: int
    newest_fetch: datetime | None
    astronauts: int
    spacecraft: int
    flights: int
