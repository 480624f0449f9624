"""Shapes of real LL2 data that the model and renderer tests both build from recordings."""

from __future__ import annotations

import copy
from typing import Any

Raw = dict[str, Any]

SPACECRAFT_STAGE_SHAPES = ("2.2.0 null", "2.2.0 object", "2.3.0 empty", "2.3.0 list")


def with_spacecraft_stage(flight: Raw, shape: str) -> Raw:
    """A copy of `flight` (a detail) whose launch's rocket carries a `spacecraft_stage`
    shaped as `shape`: LL2 2.2.0 sends one flight object or null, 2.3.0 a list. The
    stage is the flight itself, crew included, as LL2 nests it in a launch."""
    stage = {key: value for key, value in copy.deepcopy(flight).items() if key != "launch"}
    shapes: dict[str, object] = {
        "2.2.0 null": None,
        "2.2.0 object": stage,
        "2.3.0 empty": [],
        "2.3.0 list": [stage],
    }
    varied = copy.deepcopy(flight)
    varied["launch"]["rocket"]["spacecraft_stage"] = shapes[shape]
    return varied


def docked(station: Raw) -> dict[str, Raw]:
    """A station detail's (2.3.0) docking events, by the port each holds."""
    return {
        location["name"]: location["currently_docked"]
        for location in station.get("docking_location") or []
        if location.get("currently_docked")
    }
