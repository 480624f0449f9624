"""The data behind the local Launch Library 2 stand-in (`tests.stubs.ll2`).

A `Catalog` keeps spacecraft flights, spacecraft, astronauts and docking events in
the LL2 2.2.0 shape (the shape of the fixtures), and space stations in the 2.3.0
shape of their fixture. Objects are resolved when served, as LL2 does: a flight's
`spacecraft` comes from the spacecraft table and its crews' astronauts from the
astronaut table, so a mutation (landing a flight) shows in every object at once.

The module-level converters (`flight_list_item`, `flight_detail`, `astronaut_item`,
`astronaut_detail`, `docking_event_item`, `space_station_item`) turn a resolved
2.2.0 object into what LL2 sends for a version: for 2.3.0 that means image
objects, country lists, `response_mode`, `landing_location`,
`space_station_target`, `{id, name}` agency types and the 2.3.0 URLs.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import random
import re
import uuid
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from tests.paths import fixture

JsonObject = dict[str, Any]
Version = Literal["2.2.0", "2.3.0"]
AstronautMode = Literal["list", "normal", "detailed"]

VERSIONS: tuple[Version, ...] = ("2.2.0", "2.3.0")
LL2_HOST = "https://ll.thespacedevs.com"

FLIGHT_219 = "2.2.0_spacecraft_flight_219_detail.json"
FLIGHT_186 = "2.2.0_spacecraft_flight_186_list_item.json"
FLIGHT_90 = "2.2.0_spacecraft_flight_90_list_item.json"
ASTRONAUT_545 = "2.2.0_astronaut_545_detail.json"
ASTRONAUT_LIST = "2.2.0_astronaut_list_status1_limit100.json"
DOCKING_EVENTS = "2.1.0_docking_event_list_all_pages_merged.json"
SPACE_STATIONS = "2.3.0_space_stations_list_limit9.json"

ISS_ID = 4
TIANGONG_ID = 18

FLIGHT_LIST_KEYS = ("id", "url", "destination", "mission_end", "spacecraft", "launch")
_CREW_ASTRONAUT_KEYS = (
    "id",
    "url",
    "name",
    "type",
    "in_space",
    "time_in_space",
    "status",
    "agency",
    "date_of_birth",
    "date_of_death",
    "nationality",
    "twitter",
    "instagram",
    "bio",
    "profile_image",
    "wiki",
    "last_flight",
    "first_flight",
)
_CREWS = ("launch_crew", "onboard_crew", "landing_crew")


@functools.cache
def _parsed(name: str) -> Any:
    return json.loads(fixture(name).read_text(encoding="utf-8"))


def load_fixture(name: str) -> Any:
    """A fresh copy of one parsed fixture file."""
    return copy.deepcopy(_parsed(name))


# Times and durations


def iso_z(moment: datetime) -> str:
    """LL2's time format: UTC, whole seconds, trailing `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def iso_duration(delta: timedelta) -> str:
    """ISO 8601 duration as LL2 writes it: `P187DT20H42M7S`, `PT9H56M59S`, `P0D`."""
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else ""
    days, rest = divmod(abs(total), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(f"{v}{unit}" for v, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if v)
    day_part = f"{days}D" if days or not clock else ""
    return f"{sign}P{day_part}" + (f"T{clock}" if clock else "")


def _duration_seconds(value: object) -> int:
    match = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", str(value or ""))
    if match is None:
        return 0
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


# URLs

_RESOURCES_230 = {
    "spacecraft/flight": "spacecraft_flights",
    "astronaut": "astronauts",
    "spacestation": "space_stations",
    "docking_event": "docking_events",
    "config/spacecraft": "spacecraft_configurations",
    "config/launcher": "launcher_configurations",
    "launch": "launches",
    "pad": "pads",
    "location": "locations",
    "program": "programs",
    "landing": "landings",
    "expedition": "expeditions",
}
_RESOURCES_220 = {new: old for old, new in _RESOURCES_230.items()}
_API_URL = re.compile(
    r"^https://ll(?:dev)?\.thespacedevs\.com/(?P<version>2\.\d+\.\d+)/"
    r"(?P<resource>[a-z_/]+?)/(?P<key>[^/?]+)/(?:\?.*)?$"
)


def api_url(version: str, resource: str, key: object) -> str:
    """The LL2 URL of one object; `resource` is its 2.2.0 path (`spacecraft/flight`)."""
    path = _RESOURCES_230.get(resource, resource) if version == "2.3.0" else resource
    return f"{LL2_HOST}/{version}/{path}/{key}/"


def convert_url(url: object, version: str) -> Any:
    """Point an LL2 object URL at `version`'s path; other values are returned as they are."""
    if not isinstance(url, str):
        return url
    match = _API_URL.match(url)
    if match is None or match["version"] == version:
        return url
    resource = _RESOURCES_220.get(match["resource"], match["resource"])
    return api_url(version, resource, match["key"])


def _rewrite_urls(value: Any, version: str) -> Any:
    if isinstance(value, dict):
        return {
            key: convert_url(item, version) if key == "url" else _rewrite_urls(item, version)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rewrite_urls(item, version) for item in value]
    return value


# Countries, agencies, images (2.3.0)

_COUNTRY_ROWS: tuple[tuple[int, str, str, str, str, str], ...] = (
    (2, "United States of America", "US", "USA", "American", "Americano"),
    (5, "Russia", "RU", "RUS", "Russian", "Russo"),
    (6, "China", "CN", "CHN", "Chinese", "Sino"),
    (7, "Japan", "JP", "JPN", "Japanese", "Japano"),
    (8, "Canada", "CA", "CAN", "Canadian", "Canado"),
    (9, "France", "FR", "FRA", "French", "Franco"),
    (10, "Germany", "DE", "DEU", "German", "Germano"),
    (11, "Italy", "IT", "ITA", "Italian", "Italo"),
    (12, "United Kingdom", "GB", "GBR", "British", "Anglo"),
    (13, "Kazakhstan", "KZ", "KAZ", "Kazakhstani", "Kazakho"),
    (14, "United Arab Emirates", "AE", "ARE", "Emirati", "Emirato"),
    (15, "Sweden", "SE", "SWE", "Swedish", "Sueco"),
    (16, "Denmark", "DK", "DNK", "Danish", "Dano"),
    (17, "Brazil", "BR", "BRA", "Brazilian", "Brasilo"),
    (18, "Malaysia", "MY", "MYS", "Malaysian", "Malayo"),
    (19, "Belgium", "BE", "BEL", "Belgian", "Belgo"),
    (20, "Netherlands", "NL", "NLD", "Dutch", "Neerlando"),
    (21, "Spain", "ES", "ESP", "Spanish", "Hispano"),
    (22, "Mexico", "MX", "MEX", "Mexican", "Mexicano"),
    (23, "Czech Republic", "CZ", "CZE", "Czech", "Czecho"),
    (24, "Poland", "PL", "POL", "Polish", "Polono"),
    (25, "Hungary", "HU", "HUN", "Hungarian", "Hungaro"),
    (26, "Norway", "NO", "NOR", "Norwegian", "Norvego"),
    (27, "India", "IN", "IND", "Indian", "Indo"),
    (28, "Saudi Arabia", "SA", "SAU", "Saudi", "Saudo"),
    (29, "Turkey", "TR", "TUR", "Turkish", "Turco"),
    (30, "South Korea", "KR", "KOR", "South Korean", "Coreo"),
    (31, "Vietnam", "VN", "VNM", "Vietnamese", "Vietnamo"),
    (32, "Ireland", "IE", "IRL", "Irish", "Hiberno"),
    (33, "Switzerland", "CH", "CHE", "Swiss", "Helveto"),
    (34, "Austria", "AT", "AUT", "Austrian", "Austro"),
    (35, "Romania", "RO", "ROU", "Romanian", "Romano"),
    (36, "Portugal", "PT", "PRT", "Portuguese", "Luso"),
    (37, "Finland", "FI", "FIN", "Finnish", "Finno"),
    (38, "Greece", "GR", "GRC", "Greek", "Greco"),
    (39, "Ukraine", "UA", "UKR", "Ukrainian", "Ukraino"),
)
_COUNTRIES = [
    {
        "id": cid,
        "name": name,
        "alpha_2_code": a2,
        "alpha_3_code": a3,
        "nationality_name": nationality,
        "nationality_name_composed": composed,
    }
    for cid, name, a2, a3, nationality, composed in _COUNTRY_ROWS
]
_COUNTRY_BY_ALPHA3 = {country["alpha_3_code"]: country for country in _COUNTRIES}
_COUNTRY_BY_NATIONALITY = {country["nationality_name"]: country for country in _COUNTRIES}

_AGENCY_TYPES = {
    "Government": 1,
    "Multinational": 2,
    "Commercial": 3,
    "Educational": 4,
    "Private": 5,
    "Unknown": 6,
}
_EARTH = {"response_mode": "list", "id": 1, "name": "Earth"}
_UNKNOWN_LICENSE = {"id": 1, "name": "Unknown", "priority": 9, "link": None}


def countries_for_codes(codes: object) -> list[JsonObject]:
    """Country objects for a 2.2.0 `country_code` (`"RUS"`, `"AUT,BEL,..."`)."""
    if not isinstance(codes, str):
        return []
    return [
        dict(_COUNTRY_BY_ALPHA3[code.strip()])
        for code in codes.split(",")
        if code.strip() in _COUNTRY_BY_ALPHA3
    ]


def countries_for_nationality(nationality: object) -> list[JsonObject]:
    """Country objects for a 2.2.0 `nationality` (`"Belgian"`; unknown ones are left out)."""
    if not isinstance(nationality, str):
        return []
    return [
        dict(_COUNTRY_BY_NATIONALITY[part.strip()])
        for part in nationality.split(",")
        if part.strip() in _COUNTRY_BY_NATIONALITY
    ]


def image_object(url: object, name: str, thumbnail: object = None) -> JsonObject | None:
    """The 2.3.0 `image` object for a 2.2.0 image URL (None stays None)."""
    if not isinstance(url, str) or not url:
        return None
    return {
        "id": zlib.crc32(url.encode()) % 90_000 + 10_000,
        "name": f"[AUTO] {name} - image",
        "image_url": url,
        "thumbnail_url": thumbnail if isinstance(thumbnail, str) and thumbnail else url,
        "credit": None,
        "license": dict(_UNKNOWN_LICENSE),
        "single_use": True,
        "variants": [],
    }


def _agency_type(value: object) -> Any:
    if isinstance(value, str):
        return {"id": _AGENCY_TYPES.get(value, 6), "name": value}
    return value


def _agency_mini_230(agency: JsonObject | None) -> JsonObject | None:
    if agency is None:
        return None
    mini: JsonObject = {
        "response_mode": "list",
        "id": agency["id"],
        "url": convert_url(agency.get("url"), "2.3.0"),
        "name": agency.get("name"),
    }
    if "abbrev" in agency:
        mini["abbrev"] = agency["abbrev"]
    mini["type"] = _agency_type(agency.get("type"))
    return mini


def _founding_year(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _agency_normal_230(agency: JsonObject) -> JsonObject:
    name = str(agency.get("name") or "")
    return {
        "response_mode": "normal",
        "id": agency["id"],
        "url": convert_url(agency.get("url"), "2.3.0"),
        "name": name,
        "abbrev": agency.get("abbrev", ""),
        "type": _agency_type(agency.get("type")),
        "featured": agency.get("featured", False),
        "country": countries_for_codes(agency.get("country_code")),
        "description": agency.get("description"),
        "administrator": agency.get("administrator"),
        "founding_year": _founding_year(agency.get("founding_year")),
        "launchers": agency.get("launchers", ""),
        "spacecraft": agency.get("spacecraft", ""),
        "parent": agency.get("parent"),
        "image": image_object(agency.get("image_url"), name),
        "logo": image_object(agency.get("logo_url"), f"{name} - logo"),
        "social_logo": None,
    }


def _agency_220(agency: JsonObject) -> JsonObject:
    """A 2.3.0 agency (normal) in the 2.2.0 shape."""
    agency_type = agency.get("type")
    image = agency.get("image")
    logo = agency.get("logo")
    founding_year = agency.get("founding_year")
    return {
        "id": agency["id"],
        "url": convert_url(agency.get("url"), "2.2.0"),
        "name": agency.get("name"),
        "featured": agency.get("featured", False),
        "type": agency_type.get("name") if isinstance(agency_type, dict) else agency_type,
        "country_code": ",".join(c["alpha_3_code"] for c in agency.get("country") or []),
        "abbrev": agency.get("abbrev", ""),
        "description": agency.get("description"),
        "administrator": agency.get("administrator"),
        "founding_year": None if founding_year is None else str(founding_year),
        "launchers": agency.get("launchers", ""),
        "spacecraft": agency.get("spacecraft", ""),
        "parent": agency.get("parent"),
        "image_url": image.get("image_url") if isinstance(image, dict) else None,
        "logo_url": logo.get("image_url") if isinstance(logo, dict) else None,
    }


def _agency_mini_220(agency: JsonObject | None) -> JsonObject | None:
    if agency is None:
        return None
    return {key: agency.get(key) for key in ("id", "url", "name", "type")}


# Space stations


def space_station_item(station: JsonObject, version: str) -> JsonObject:
    """A stored (2.3.0) space station as `/spacestation/` or `/space_stations/` sends it."""
    if version == "2.3.0":
        return copy.deepcopy(station)
    image = station.get("image")
    return {
        "id": station["id"],
        "url": convert_url(station.get("url"), "2.2.0"),
        "name": station.get("name"),
        "status": copy.deepcopy(station.get("status")),
        "type": copy.deepcopy(station.get("type")),
        "founded": station.get("founded"),
        "deorbited": station.get("deorbited"),
        "description": station.get("description"),
        "orbit": station.get("orbit"),
        "owners": [_agency_220(owner) for owner in station.get("owners") or []],
        "active_expeditions": [],
        "image_url": image.get("image_url") if isinstance(image, dict) else None,
    }


def _station_embedded_220(station: JsonObject) -> JsonObject:
    """The station as a 2.2.0 flight's docking event embeds it (`spacestation`)."""
    item = space_station_item(station, "2.2.0")
    keys = ("id", "url", "name", "status", "founded", "description", "orbit", "image_url")
    return {key: item[key] for key in keys}


def _station_mini(station: JsonObject, version: str) -> JsonObject:
    mini: JsonObject = {
        "id": station["id"],
        "url": convert_url(station.get("url"), version),
        "name": station.get("name"),
    }
    if version == "2.3.0":
        mini["image"] = copy.deepcopy(station.get("image"))
    return mini


def _station_normal_230(station: JsonObject) -> JsonObject:
    keys = ("id", "url", "name", "image", "status", "founded", "deorbited", "description")
    normal = {key: copy.deepcopy(station.get(key)) for key in keys}
    normal["url"] = convert_url(normal["url"], "2.3.0")
    normal["orbit"] = station.get("orbit")
    normal["type"] = copy.deepcopy(station.get("type"))
    return normal


def _station_from_embedded_220(embedded: JsonObject) -> JsonObject:
    """A 2.3.0 SpaceStationNormal from a 2.2.0 embedded `spacestation` (no catalog entry)."""
    name = str(embedded.get("name") or "")
    return {
        "id": embedded["id"],
        "url": convert_url(embedded.get("url"), "2.3.0"),
        "name": name,
        "image": image_object(embedded.get("image_url"), name),
        "status": copy.deepcopy(embedded.get("status")),
        "founded": embedded.get("founded"),
        "deorbited": embedded.get("deorbited"),
        "description": embedded.get("description", ""),
        "orbit": embedded.get("orbit"),
        "type": {"id": 2, "name": "Government"},
    }


# Flights (2.3.0)


def _launch_230(launch: JsonObject) -> JsonObject:
    name = str(launch.get("name") or "")
    mission = launch.get("mission")
    pad = launch.get("pad")
    rocket = launch.get("rocket")
    converted: JsonObject = {
        "id": launch["id"],
        "url": convert_url(launch.get("url"), "2.3.0"),
        "name": name,
        "response_mode": "normal",
        "slug": launch.get("slug"),
        "launch_designator": (mission or {}).get("launch_designator"),
        "status": copy.deepcopy(launch.get("status")),
        "last_updated": launch.get("last_updated"),
        "net": launch.get("net"),
        "net_precision": copy.deepcopy(launch.get("net_precision")),
        "window_end": launch.get("window_end"),
        "window_start": launch.get("window_start"),
        "image": image_object(launch.get("image"), name),
        "infographic": launch.get("infographic"),
        "probability": launch.get("probability"),
        "weather_concerns": launch.get("weather_concerns"),
        "failreason": launch.get("failreason"),
        "hashtag": launch.get("hashtag"),
        "launch_service_provider": _agency_mini_230(launch.get("launch_service_provider")),
        "rocket": None if rocket is None else _rocket_230(rocket),
        "mission": None if mission is None else _mission_230(mission),
        "pad": None if pad is None else _pad_230(pad),
        "webcast_live": launch.get("webcast_live", False),
        "program": [_program_230(program) for program in launch.get("program") or []],
    }
    for key, value in launch.items():
        if key.endswith("_launch_attempt_count") or key.endswith("_launch_attempt_count_year"):
            converted[key] = value
    return converted


def _rocket_230(rocket: JsonObject) -> JsonObject:
    config = rocket.get("configuration") or {}
    return {
        "id": rocket.get("id"),
        "configuration": {
            "response_mode": "list",
            "id": config.get("id"),
            "url": convert_url(config.get("url"), "2.3.0"),
            "name": config.get("name"),
            "families": [],
            "full_name": config.get("full_name"),
            "variant": config.get("variant"),
        },
    }


def _mission_230(mission: JsonObject) -> JsonObject:
    orbit = mission.get("orbit")
    return {
        "id": mission.get("id"),
        "name": mission.get("name"),
        "type": mission.get("type"),
        "description": mission.get("description"),
        "image": None,
        "orbit": None if orbit is None else {**orbit, "celestial_body": dict(_EARTH)},
        "agencies": [_agency_normal_230(agency) for agency in mission.get("agencies") or []],
        "info_urls": [],
        "vid_urls": [],
    }


def _float(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def _pad_230(pad: JsonObject) -> JsonObject:
    location = pad.get("location")
    country = countries_for_codes(pad.get("country_code") or (location or {}).get("country_code"))
    return {
        "id": pad.get("id"),
        "url": convert_url(pad.get("url"), "2.3.0"),
        "active": True,
        "agencies": [],
        "name": pad.get("name"),
        "image": None,
        "description": pad.get("description"),
        "info_url": pad.get("info_url"),
        "wiki_url": pad.get("wiki_url"),
        "map_url": pad.get("map_url"),
        "latitude": _float(pad.get("latitude")),
        "longitude": _float(pad.get("longitude")),
        "country": country[0] if country else None,
        "map_image": pad.get("map_image"),
        "total_launch_count": pad.get("total_launch_count"),
        "orbital_launch_attempt_count": pad.get("orbital_launch_attempt_count"),
        "fastest_turnaround": None,
        "location": None if location is None else _location_230(location),
    }


def _location_230(location: JsonObject) -> JsonObject:
    country = countries_for_codes(location.get("country_code"))
    return {
        "response_mode": "normal",
        "id": location.get("id"),
        "url": convert_url(location.get("url"), "2.3.0"),
        "name": location.get("name"),
        "celestial_body": dict(_EARTH),
        "active": True,
        "country": country[0] if country else None,
        "description": location.get("description"),
        "image": None,
        "map_image": location.get("map_image"),
        "longitude": None,
        "latitude": None,
        "timezone_name": location.get("timezone_name", ""),
        "total_launch_count": location.get("total_launch_count"),
        "total_landing_count": location.get("total_landing_count"),
    }


def _program_230(program: JsonObject) -> JsonObject:
    name = str(program.get("name") or "")
    return {
        "response_mode": "normal",
        "id": program.get("id"),
        "url": convert_url(program.get("url"), "2.3.0"),
        "name": name,
        "image": image_object(program.get("image_url"), name),
        "info_url": program.get("info_url"),
        "wiki_url": program.get("wiki_url"),
        "description": program.get("description"),
        "agencies": [_agency_mini_230(agency) for agency in program.get("agencies") or []],
        "start_date": program.get("start_date"),
        "end_date": program.get("end_date"),
        "mission_patches": [],
        "type": copy.deepcopy(program.get("type")),
    }


def _landing_230(landing: JsonObject | None) -> JsonObject | None:
    if landing is None:
        return None
    location = landing.get("location") or {}
    return {
        "id": landing.get("id"),
        "url": api_url("2.3.0", "landing", landing.get("id")),
        "attempt": landing.get("attempt"),
        "success": landing.get("success"),
        "description": landing.get("description", ""),
        "downrange_distance": landing.get("downrange_distance"),
        "landing_location": {
            "id": location.get("id"),
            "name": location.get("name"),
            "active": True,
            "abbrev": location.get("abbrev", ""),
            "description": location.get("description"),
            "location": None,
            "longitude": None,
            "latitude": None,
            "image": None,
            "successful_landings": location.get("successful_landings"),
            "attempted_landings": None,
            "failed_landings": None,
            "celestial_body": dict(_EARTH),
        },
        "type": copy.deepcopy(landing.get("type")),
    }


_CONFIG_DETAIL_KEYS = (
    "capability",
    "history",
    "details",
    "maiden_flight",
    "height",
    "diameter",
    "human_rated",
    "crew_capacity",
    "payload_capacity",
    "payload_return_capacity",
    "flight_life",
    "wiki_link",
    "info_link",
)


def _spacecraft_config_230(config: JsonObject, detailed: bool) -> JsonObject:
    name = str(config.get("name") or "")
    agency = config.get("agency")
    converted: JsonObject = {
        "response_mode": "detailed" if detailed else "normal",
        "id": config.get("id"),
        "url": convert_url(config.get("url"), "2.3.0"),
        "name": name,
        "type": copy.deepcopy(config.get("type")),
        "agency": (
            (_agency_normal_230(agency) if detailed else _agency_mini_230(agency))
            if agency is not None
            else None
        ),
        "family": [],
        "in_use": config.get("in_use", False),
        "image": image_object(config.get("image_url"), name),
    }
    if detailed:
        converted.update({key: config.get(key) for key in _CONFIG_DETAIL_KEYS})
        for key in ("spacecraft_flown", "total_launch_count", "successful_launches"):
            converted[key] = None
        converted["fastest_turnaround"] = None
    return converted


def _spacecraft_230(spacecraft: JsonObject, detailed: bool) -> JsonObject:
    name = str(spacecraft.get("name") or "")
    config = spacecraft.get("spacecraft_config") or {}
    return {
        "response_mode": "normal",
        "id": spacecraft["id"],
        "url": convert_url(spacecraft.get("url"), "2.3.0"),
        "name": name,
        "serial_number": spacecraft.get("serial_number"),
        "is_placeholder": spacecraft.get("is_placeholder", False),
        "image": image_object(config.get("image_url"), name),
        "in_space": spacecraft.get("in_space", False),
        "time_in_space": spacecraft.get("time_in_space"),
        "time_docked": spacecraft.get("time_docked"),
        "flights_count": spacecraft.get("flights_count"),
        "mission_ends_count": spacecraft.get("mission_ends_count"),
        "status": copy.deepcopy(spacecraft.get("status")),
        "description": spacecraft.get("description", ""),
        "spacecraft_config": _spacecraft_config_230(config, detailed),
        "fastest_turnaround": None,
    }


def flight_duration(detail: JsonObject, now: datetime | None = None) -> str | None:
    """LL2's `duration`: launch to mission end, or to `now` while the mission goes on."""
    launched = parse_time((detail.get("launch") or {}).get("net"))
    if launched is None:
        return None
    ended = parse_time(detail.get("mission_end")) or now or datetime.now(UTC)
    return iso_duration(max(ended - launched, timedelta(0)))


def flight_list_item(
    detail: JsonObject,
    version: str,
    *,
    now: datetime | None = None,
    turn_around_time: str | None = None,
) -> JsonObject:
    """A resolved 2.2.0 flight detail as a list item of `version` (2.3.0: normal mode)."""
    if version != "2.3.0":
        return {key: copy.deepcopy(detail.get(key)) for key in FLIGHT_LIST_KEYS}
    return {
        "id": detail["id"],
        "url": api_url("2.3.0", "spacecraft/flight", detail["id"]),
        "destination": detail.get("destination"),
        "mission_end": detail.get("mission_end"),
        "spacecraft": _spacecraft_230(detail["spacecraft"], detailed=False),
        "launch": _launch_230(detail["launch"]),
        "landing": _landing_230(detail.get("landing")),
        "duration": flight_duration(detail, now),
        "turn_around_time": turn_around_time,
        "response_mode": "normal",
    }


def _crew_member_230(member: JsonObject, now: datetime | None) -> JsonObject:
    return {
        "id": member.get("id"),
        "role": copy.deepcopy(member.get("role")),
        "astronaut": astronaut_item(member["astronaut"], "2.3.0", "list", now=now),
    }


def _flight_docking_event_230(event: JsonObject, stations: Mapping[int, JsonObject]) -> JsonObject:
    embedded = event.get("spacestation") or (event.get("docking_location") or {}).get(
        "spacestation"
    )
    station: JsonObject | None = None
    if isinstance(embedded, dict):
        stored = stations.get(embedded["id"])
        station = (
            _station_normal_230(stored)
            if stored is not None
            else _station_from_embedded_220(embedded)
        )
    return {
        "id": event["id"],
        "url": api_url("2.3.0", "docking_event", event["id"]),
        "docking": event.get("docking"),
        "departure": event.get("departure"),
        "docking_location": _docking_location_230(event.get("docking_location"), station),
        "space_station_target": station,
        "flight_vehicle_target": None,
        "payload_flight_target": None,
    }


def _docking_location_230(
    location: JsonObject | None, station: JsonObject | None
) -> JsonObject | None:
    if location is None:
        return None
    return {
        "id": location.get("id"),
        "name": location.get("name"),
        "spacestation": None if station is None else _station_mini(station, "2.3.0"),
        "spacecraft": None,
        "payload": None,
    }


def flight_detail(
    detail: JsonObject,
    version: str,
    *,
    now: datetime | None = None,
    stations: Mapping[int, JsonObject] | None = None,
    turn_around_time: str | None = None,
) -> JsonObject:
    """A resolved 2.2.0 flight detail as `/spacecraft/flight/{id}/` of `version` sends it."""
    if version != "2.3.0":
        return copy.deepcopy(detail)
    converted = flight_list_item(detail, "2.3.0", now=now, turn_around_time=turn_around_time)
    converted["spacecraft"] = _spacecraft_230(detail["spacecraft"], detailed=True)
    converted["response_mode"] = "detailed"
    for crew in _CREWS:
        converted[crew] = [_crew_member_230(member, now) for member in detail.get(crew) or []]
    converted["docking_events"] = [
        _flight_docking_event_230(event, stations or {})
        for event in detail.get("docking_events") or []
    ]
    return converted


# Astronauts


def _age(astronaut: JsonObject, now: datetime | None) -> int | None:
    born = astronaut.get("date_of_birth")
    if not isinstance(born, str) or not born:
        return None
    birth = date.fromisoformat(born[:10])
    died = astronaut.get("date_of_death")
    until = date.fromisoformat(died[:10]) if isinstance(died, str) and died else None
    end = until or (now or datetime.now(UTC)).date()
    return end.year - birth.year - ((end.month, end.day) < (birth.month, birth.day))


_SOCIAL_MEDIA = {
    "twitter": {"id": 1, "name": "Twitter", "url": "https://twitter.com/", "logo": None},
    "instagram": {"id": 2, "name": "Instagram", "url": "https://instagram.com/", "logo": None},
}


def _social_media_links(astronaut: JsonObject) -> list[JsonObject]:
    links: list[JsonObject] = []
    for key, media in _SOCIAL_MEDIA.items():
        url = astronaut.get(key)
        if isinstance(url, str) and url:
            link_id = zlib.crc32(url.encode()) % 90_000 + 10_000
            links.append({"id": link_id, "social_media": dict(media), "url": url})
    return links


def astronaut_item(
    astronaut: JsonObject,
    version: str,
    mode: AstronautMode = "normal",
    *,
    now: datetime | None = None,
) -> JsonObject:
    """A 2.2.0 astronaut as a list item of `version`.

    2.2.0: the astronaut without `flights`/`landings`. 2.3.0: mode `list` is the shape
    crews embed (`AstronautDetailed`, response_mode "list"), `normal` adds the counts,
    `detailed` is the `/astronauts/{id}/` shape (see `astronaut_detail`).
    """
    if version != "2.3.0":
        return {
            key: copy.deepcopy(value)
            for key, value in astronaut.items()
            if key not in ("flights", "landings")
        }
    name = str(astronaut.get("name") or "")
    converted: JsonObject = {
        "id": astronaut["id"],
        "url": api_url("2.3.0", "astronaut", astronaut["id"]),
        "name": name,
        "status": copy.deepcopy(astronaut.get("status")),
        "agency": _agency_mini_230(astronaut.get("agency")),
        "image": image_object(
            astronaut.get("profile_image"), name, astronaut.get("profile_image_thumbnail")
        ),
        "response_mode": mode,
        "type": copy.deepcopy(astronaut.get("type")),
        "in_space": astronaut.get("in_space", False),
        "time_in_space": astronaut.get("time_in_space"),
        "eva_time": astronaut.get("eva_time") or "P0D",
        "age": _age(astronaut, now),
        "date_of_birth": astronaut.get("date_of_birth"),
        "date_of_death": astronaut.get("date_of_death"),
        "nationality": countries_for_nationality(astronaut.get("nationality")),
        "bio": astronaut.get("bio") or "",
        "wiki": astronaut.get("wiki"),
        "last_flight": astronaut.get("last_flight"),
        "first_flight": astronaut.get("first_flight"),
        "social_media_links": _social_media_links(astronaut),
    }
    if mode != "list":
        flights = astronaut.get("flights")
        landings = astronaut.get("landings")
        converted["flights_count"] = astronaut.get(
            "flights_count", len(flights) if isinstance(flights, list) else None
        )
        converted["landings_count"] = astronaut.get(
            "landings_count", len(landings) if isinstance(landings, list) else None
        )
        converted["spacewalks_count"] = astronaut.get("spacewalks_count", 0)
    if mode == "detailed":
        converted["flights"] = [_launch_230(launch) for launch in astronaut.get("flights") or []]
        converted["landings"] = [
            flight_list_item(flight, "2.3.0", now=now) for flight in astronaut.get("landings") or []
        ]
        converted["spacewalks"] = []
    return converted


def astronaut_detail(
    astronaut: JsonObject, version: str, *, now: datetime | None = None
) -> JsonObject:
    """A resolved 2.2.0 astronaut detail as `/astronaut/{id}/` of `version` sends it."""
    if version != "2.3.0":
        return copy.deepcopy(astronaut)
    return astronaut_item(astronaut, "2.3.0", "detailed", now=now)


def crew_astronaut(astronaut: JsonObject) -> JsonObject:
    """A 2.2.0 astronaut as a flight's crew embeds it (the shape of flight 219's crews)."""
    embedded = {
        key: copy.deepcopy(astronaut[key]) for key in _CREW_ASTRONAUT_KEYS if key in astronaut
    }
    if "agency" in embedded:
        embedded["agency"] = _agency_mini_220(embedded["agency"])
    return embedded


# Docking events


def docking_event_item(
    event: JsonObject,
    version: str,
    *,
    flight: JsonObject | None = None,
    station: JsonObject | None = None,
    now: datetime | None = None,
) -> JsonObject:
    """A 2.2.0 `/docking_event/` item as the docking event list of `version` sends it.

    `flight` is the chasing flight's resolved detail when the catalog has it, `station`
    the stored (2.3.0) target station.
    """
    if version != "2.3.0":
        return copy.deepcopy(event)
    vehicle = event.get("flight_vehicle") or {}
    if flight is not None:
        chaser = flight_list_item(flight, "2.3.0", now=now)
        chaser["launch"] = {
            "id": flight["launch"]["id"],
            "url": convert_url(flight["launch"].get("url"), "2.3.0"),
            "name": flight["launch"].get("name"),
        }
        del chaser["response_mode"]
    else:
        chaser = {
            "id": vehicle.get("id"),
            "url": api_url("2.3.0", "spacecraft/flight", vehicle.get("id")),
            "destination": vehicle.get("destination"),
            "mission_end": vehicle.get("mission_end"),
            "spacecraft": _spacecraft_230(vehicle["spacecraft"], detailed=False),
            "launch": {
                "id": event.get("launch_id"),
                "url": api_url("2.3.0", "launch", event.get("launch_id")),
            },
            "landing": None,
            "duration": None,
            "turn_around_time": None,
        }
    return {
        "id": event["id"],
        "url": api_url("2.3.0", "docking_event", event["id"]),
        "docking": event.get("docking"),
        "departure": event.get("departure"),
        "docking_location": _docking_location_230(event.get("docking_location"), station),
        "space_station_target": None if station is None else _station_mini(station, "2.3.0"),
        "flight_vehicle_target": None,
        "payload_flight_target": None,
        "response_mode": "normal",
        "flight_vehicle_chaser": chaser,
        "space_station_chaser": None,
        "payload_flight_chaser": None,
    }


def _station_id_of_event(event: JsonObject) -> int | None:
    embedded = event.get("spacestation") or (event.get("docking_location") or {}).get(
        "spacestation"
    )
    return embedded.get("id") if isinstance(embedded, dict) else None


# The catalog


class Catalog:
    """LL2 objects, resolved and converted on demand; see the module docstring.

    `now` is the catalog's present: durations of flights still going and ages count up
    to it. The tables are plain dicts keyed by id, in the 2.2.0 shape (stations: 2.3.0);
    change them through the mutation methods so derived data stays in step.
    """

    def __init__(self, *, now: datetime | None = None) -> None:
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.flights: dict[int, JsonObject] = {}
        self.spacecraft: dict[int, JsonObject] = {}
        self.astronauts: dict[int, JsonObject] = {}
        self.stations: dict[int, JsonObject] = {}
        self.docking_events: dict[int, JsonObject] = {}
        self._index: _Index | None = None

    # Construction

    @classmethod
    def from_fixtures(cls, *, now: datetime | None = None) -> Catalog:
        """The recorded objects: flights 219, 186, 90; astronauts; docking events; stations."""
        catalog = cls(now=now)
        catalog._load_stations()
        for astronaut in load_fixture(ASTRONAUT_LIST)["results"]:
            catalog.put_astronaut(astronaut)
        catalog.put_flight(load_fixture(FLIGHT_219))
        for name in (FLIGHT_186, FLIGHT_90):
            catalog.put_flight(_detail_from_list_item(load_fixture(name)))
        detail_545 = load_fixture(ASTRONAUT_545)
        catalog.put_astronaut({**catalog.astronauts.get(545, {}), **detail_545})
        catalog._load_docking_events()
        return catalog

    @classmethod
    def synthetic(
        cls,
        flights: int = 300,
        astronauts: int = 700,
        seed: int = 0,
        now: datetime | None = None,
    ) -> Catalog:
        """The fixtures plus generated flights and astronauts, `flights`/`astronauts` in all.

        Spacecraft 78 (Soyuz TMA-15) gets 26 flights (so `flights` must be at least 33);
        2 to 4 crewed flights are in space at `now`, docked at the ISS, and one cargo
        ship (Progress MS-31, no crew); crews are drawn from the generated astronauts.
        The same seed and `now` give the same catalog.
        """
        catalog = cls.from_fixtures(now=now)
        _Generator(catalog, random.Random(seed)).run(flights, astronauts)
        return catalog

    def _load_stations(self) -> None:
        for station in load_fixture(SPACE_STATIONS)["results"]:
            self.stations[station["id"]] = station
        for station in _missing_stations(self.stations, load_fixture(FLIGHT_219)):
            self.stations[station["id"]] = station

    def _load_docking_events(self) -> None:
        events = _rewrite_urls(load_fixture(DOCKING_EVENTS)["results"], "2.2.0")
        by_location: dict[int, dict[int, int]] = {}
        resolved: list[tuple[JsonObject, int | None]] = []
        for event in events:
            station_id = self._station_for_destination(event["flight_vehicle"].get("destination"))
            resolved.append((event, station_id))
            if station_id is not None:
                votes = by_location.setdefault(event["docking_location"]["id"], {})
                votes[station_id] = votes.get(station_id, 0) + 1
        for event, found in resolved:
            votes = by_location.get(event["docking_location"]["id"], {})
            station_id = found or (max(votes, key=lambda s: votes[s]) if votes else None)
            if station_id is not None:
                event["docking_location"]["spacestation"] = _station_mini(
                    self.stations[station_id], "2.2.0"
                )
            self.docking_events[event["id"]] = event

    def _station_for_destination(self, destination: object) -> int | None:
        if not isinstance(destination, str):
            return None
        wanted = _station_key(destination)
        for station in self.stations.values():
            if _station_key(str(station["name"])) == wanted:
                return int(station["id"])
        return _STATION_ALIASES.get(destination)

    # Mutations

    def put_flight(self, detail: JsonObject) -> None:
        """Add or replace a flight (2.2.0 detail); its spacecraft and crew are stored too."""
        detail = copy.deepcopy(detail)
        self.flights[detail["id"]] = detail
        self._register(detail, detail.keys())

    def put_astronaut(self, detail: JsonObject) -> None:
        """Add or replace an astronaut (2.2.0 list item or detail)."""
        self.astronauts[detail["id"]] = copy.deepcopy(detail)
        self._index = None

    def patch_flight(self, flight_id: int, patch: Mapping[str, Any]) -> None:
        """Shallow-merge `patch` into a stored flight (KeyError if unknown).

        A patched `spacecraft` or crew replaces the stored spacecraft or astronauts too.
        """
        flight = self.flights[flight_id]
        flight.update(copy.deepcopy(dict(patch)))
        self._register(flight, patch.keys())

    def land_flight(self, flight_id: int, at: datetime, success: bool = True) -> None:
        """End a flight at `at`, as LL2 records it everywhere at once: mission end and
        landing, its docking's departure (four hours before), the spacecraft and the
        crew no longer in space."""
        flight = self.flights[flight_id]
        flight["mission_end"] = iso_z(at)
        landing = flight.get("landing") or copy.deepcopy(_parsed(FLIGHT_219)["landing"])
        landing.update({"attempt": True, "success": success})
        flight["landing"] = landing
        if not flight.get("landing_crew"):
            flight["landing_crew"] = [
                {**copy.deepcopy(member), "id": member["id"] + 500_000}
                for member in flight.get("launch_crew") or []
            ]
        for event in flight.get("docking_events") or []:
            if event.get("departure") is None:
                event["departure"] = iso_z(at - timedelta(hours=4))
        spacecraft_id = flight["spacecraft"]["id"]
        if spacecraft_id in self.spacecraft:
            self.spacecraft[spacecraft_id]["in_space"] = False
        for astronaut_id in self._crew_ids(flight):
            if astronaut_id in self.astronauts:
                self.astronauts[astronaut_id]["in_space"] = False
        self._index = None

    def undock(self, flight_id: int, at: datetime) -> None:
        """Set `departure` on the flight's open docking event (LookupError if none)."""
        for event in self.flights[flight_id].get("docking_events") or []:
            if event.get("departure") is None:
                event["departure"] = iso_z(at)
                self._index = None
                return
        raise LookupError(f"flight {flight_id} has no open docking event")

    def launch_crew(self, template_id: int, at: datetime) -> int:
        """A new crewed flight launched at `at`, as LL2 records it everywhere at once: a
        new spacecraft and a fresh crew in space, shaped like flight `template_id` (its
        crew's records copied under new ids). No docking yet. Returns the flight's id."""
        template = self.flight(template_id)
        flight_id = max(self.flights) + 1
        craft = copy.deepcopy(template["spacecraft"])
        craft.update(
            {"id": max(self.spacecraft) + 1, "name": f"{craft['name']} II", "in_space": True}
        )
        crew = []
        next_astronaut = max(self.astronauts) + 1
        for offset, member in enumerate(template.get("launch_crew") or []):
            astronaut = copy.deepcopy(self.astronauts[member["astronaut"]["id"]])
            astronaut.update(
                {
                    "id": next_astronaut + offset,
                    "name": f"{astronaut['name']} Jr.",
                    "in_space": True,
                    "last_flight": iso_z(at),
                }
            )
            self.astronauts[astronaut["id"]] = astronaut
            crew.append({**copy.deepcopy(member), "astronaut": crew_astronaut(astronaut)})
        launch = copy.deepcopy(template["launch"])
        launch.update({"id": str(uuid.uuid4()), "net": iso_z(at)})
        self.spacecraft[craft["id"]] = craft
        self.flights[flight_id] = {
            **{key: copy.deepcopy(value) for key, value in template.items()},
            "id": flight_id,
            "url": api_url("2.2.0", "spacecraft/flight", flight_id),
            "mission_end": None,
            "launch_crew": crew,
            "onboard_crew": [],
            "landing_crew": [],
            "spacecraft": craft,
            "launch": launch,
            "landing": {**(template.get("landing") or {}), "attempt": False, "success": None},
            "docking_events": [],
        }
        self._index = None
        return flight_id

    def dock(self, flight_id: int, at: datetime, station_id: int = ISS_ID) -> int:
        """The flight docks at a station at `at`; returns the new docking event's id."""
        station = self.stations[station_id]
        event_id = max([*self.docking_events, *self._flight_docking_ids()]) + 1
        self.flights[flight_id].setdefault("docking_events", []).append(
            {
                "id": event_id,
                "spacestation": _station_embedded_220(station),
                "docking": iso_z(at),
                "departure": None,
                "docking_location": {
                    "id": 19,
                    "name": "Harmony forward",
                    "spacestation": _station_mini(station, "2.2.0"),
                },
            }
        )
        self._index = None
        return event_id

    def _flight_docking_ids(self) -> list[int]:
        return [
            event["id"]
            for flight in self.flights.values()
            for event in flight.get("docking_events") or []
        ]

    def _register(self, flight: JsonObject, keys: Iterable[str]) -> None:
        """Store the spacecraft and crew astronauts of `flight` that `keys` name."""
        keys = set(keys)
        spacecraft = flight.get("spacecraft")
        if "spacecraft" in keys and isinstance(spacecraft, dict):
            self.spacecraft[spacecraft["id"]] = copy.deepcopy(spacecraft)
        for crew in keys.intersection(_CREWS):
            for member in flight.get(crew) or []:
                astronaut = member["astronaut"]
                stored = self.astronauts.setdefault(astronaut["id"], {})
                stored.update(copy.deepcopy(astronaut))
        self._index = None

    @staticmethod
    def _crew_ids(flight: JsonObject) -> list[int]:
        ids: list[int] = []
        for crew in _CREWS:
            for member in flight.get(crew) or []:
                if member["astronaut"]["id"] not in ids:
                    ids.append(member["astronaut"]["id"])
        return ids

    # Resolution

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index.build(self)
        return self._index

    def flight_summary(self, flight_id: int) -> JsonObject:
        """A flight's resolved 2.2.0 detail without crews and docking events (cheaper)."""
        stored = self.flights[flight_id]
        resolved = {
            key: copy.deepcopy(value)
            for key, value in stored.items()
            if key not in (*_CREWS, "docking_events", "spacecraft")
        }
        spacecraft = self.spacecraft.get(stored["spacecraft"]["id"], stored["spacecraft"])
        resolved["spacecraft"] = copy.deepcopy(spacecraft)
        return resolved

    def flight(self, flight_id: int) -> JsonObject:
        """The resolved 2.2.0 detail of a flight (KeyError if unknown)."""
        resolved = copy.deepcopy(self.flights[flight_id])
        spacecraft = self.spacecraft.get(resolved["spacecraft"]["id"])
        if spacecraft is not None:
            resolved["spacecraft"] = copy.deepcopy(spacecraft)
        for crew in _CREWS:
            for member in resolved.get(crew) or []:
                stored = self.astronauts.get(member["astronaut"]["id"])
                if stored is not None:
                    member["astronaut"] = crew_astronaut(stored)
        return resolved

    def astronaut(self, astronaut_id: int) -> JsonObject:
        """The resolved 2.2.0 detail of an astronaut, `flights`/`landings` included."""
        resolved = copy.deepcopy(self.astronauts[astronaut_id])
        launches = {launch["id"]: launch for launch in resolved.get("flights") or []}
        landings = {flight["id"]: flight for flight in resolved.get("landings") or []}
        for flight_id in self.index.flown.get(astronaut_id, ()):
            launch = copy.deepcopy(self.flights[flight_id]["launch"])
            launches[launch["id"]] = launch
        for flight_id in self.index.landed.get(astronaut_id, ()):
            landings[flight_id] = flight_list_item(self.flight_summary(flight_id), "2.2.0")
        resolved["flights"] = sorted(launches.values(), key=lambda launch: launch.get("net") or "")
        resolved["landings"] = sorted(landings.values(), key=lambda flight: flight["id"])
        if "flights_count" in resolved:
            resolved["flights_count"] = len(resolved["flights"])
        if "landings_count" in resolved:
            resolved["landings_count"] = len(resolved["landings"])
        return resolved

    def docking_event_list(self) -> list[JsonObject]:
        """Every docking event in the 2.2.0 `/docking_event/` shape, by id."""
        events = dict(self.docking_events)
        for flight_id in sorted(self.flights):
            stored = self.flights[flight_id]
            if not stored.get("docking_events"):
                continue
            flight = self.flight_summary(flight_id)
            for event in stored["docking_events"]:
                events[event["id"]] = {
                    "id": event["id"],
                    "url": api_url("2.2.0", "docking_event", event["id"]),
                    "launch_id": flight["launch"]["id"],
                    "docking": event.get("docking"),
                    "departure": event.get("departure"),
                    "flight_vehicle": {
                        key: flight.get(key)
                        for key in ("id", "url", "destination", "mission_end", "spacecraft")
                    },
                    "docking_location": copy.deepcopy(event.get("docking_location")),
                }
        return [copy.deepcopy(events[event_id]) for event_id in sorted(events)]

    # Queries (lists of ids, for the stand-in's filters)

    def query_flights(
        self, *, spacecraft: int | None = None, search: str | None = None
    ) -> list[int]:
        """Flight ids in LL2's order for this endpoint (by id: it declares no ordering)."""
        selected: list[int] = []
        needle = search.casefold() if search else None
        for flight_id in sorted(self.flights):
            flight = self.flights[flight_id]
            craft: JsonObject = (
                self.spacecraft.get(flight["spacecraft"]["id"]) or flight["spacecraft"]
            )
            if spacecraft is not None and craft["id"] != spacecraft:
                continue
            if needle is not None:
                names = f"{craft.get('name') or ''}\n{flight['launch'].get('name') or ''}"
                if needle not in names.casefold():
                    continue
            selected.append(flight_id)
        return selected

    def flights_in_space(self, *, crewed: bool | None = None) -> list[int]:
        """Flights up now (launched, no mission end, spacecraft in space), by id; for
        tests and control, not an LL2 filter (`/spacecraft_flights/` has none)."""
        return [
            flight_id
            for flight_id in sorted(self.flights)
            if self.flights[flight_id].get("mission_end") is None
            and self.spacecraft.get(self.flights[flight_id]["spacecraft"]["id"], {}).get("in_space")
            and (crewed is None or bool(self._crew_ids(self.flights[flight_id])) == crewed)
        ]

    def query_spacecraft(
        self, *, in_space: bool | None = None, is_placeholder: bool | None = None
    ) -> list[int]:
        """Spacecraft ids by id, filtered as `/spacecraft/` (2.3.0) filters them."""
        return [
            craft_id
            for craft_id in sorted(self.spacecraft)
            if (in_space is None or bool(self.spacecraft[craft_id].get("in_space")) == in_space)
            and (
                is_placeholder is None
                or bool(self.spacecraft[craft_id].get("is_placeholder")) == is_placeholder
            )
        ]

    def query_astronauts(
        self,
        *,
        search: str | None = None,
        in_space: bool | None = None,
        statuses: Iterable[int] | None = None,
        has_flown: bool | None = None,
        ordering: str | None = None,
    ) -> list[int]:
        """Astronaut ids: by id unless `ordering` names a field LL2 declares (others are
        dropped, as DRF drops them)."""
        wanted_statuses = None if statuses is None else set(statuses)
        needle = search.casefold() if search else None
        selected: list[int] = []
        for astronaut_id in sorted(self.astronauts):
            astronaut = self.astronauts[astronaut_id]
            agency = astronaut.get("agency") or {}
            if needle is not None:
                haystack = "\n".join(
                    str(astronaut.get(key) or "") for key in ("name", "nationality")
                )
                if needle not in f"{haystack}\n{agency.get('name') or ''}".casefold():
                    continue
            if in_space is not None and bool(astronaut.get("in_space")) != in_space:
                continue
            status = (astronaut.get("status") or {}).get("id")
            if wanted_statuses is not None and status not in wanted_statuses:
                continue
            if has_flown is not None and self._has_flown(astronaut) != has_flown:
                continue
            selected.append(astronaut_id)
        if ordering:
            field = ordering.removeprefix("-")
            if field in _ASTRONAUT_ORDERINGS:
                selected = _sorted_nulls_last(
                    selected,
                    lambda aid: _ASTRONAUT_ORDERINGS[field](self.astronauts[aid]),
                    descending=ordering.startswith("-"),
                )
        return selected

    def _has_flown(self, astronaut: JsonObject) -> bool:
        return bool(
            astronaut.get("first_flight")
            or astronaut.get("flights")
            or self.index.flown.get(astronaut["id"])
        )

    def query_docking_events(
        self,
        *,
        flight_id: int | None = None,
        station_id: int | None = None,
        ordering: str | None = None,
    ) -> list[JsonObject]:
        """Docking events by id, or by `docking`/`departure` (declared orderings; a
        null departure sorts last ascending and first descending, as PostgreSQL does)."""
        selected = [
            event
            for event in self.docking_event_list()
            if (flight_id is None or event["flight_vehicle"]["id"] == flight_id)
            and (station_id is None or _station_id_of_event(event) == station_id)
        ]
        field = (ordering or "").removeprefix("-")
        if field in ("docking", "departure"):
            descending = bool(ordering and ordering.startswith("-"))
            present = [event for event in selected if event.get(field)]
            missing = [event for event in selected if not event.get(field)]
            present.sort(key=lambda event: (str(event[field]), event["id"]), reverse=descending)
            selected = missing + present if descending else present + missing
        return selected

    # Payloads (what the stand-in sends)

    def flight_payload(self, flight_id: int, version: str, *, detailed: bool) -> JsonObject:
        resolved = self.flight(flight_id)
        turn_around = self.index.turn_around.get(flight_id)
        if detailed:
            return flight_detail(
                resolved,
                version,
                now=self.now,
                stations=self.stations,
                turn_around_time=turn_around,
            )
        return flight_list_item(resolved, version, now=self.now, turn_around_time=turn_around)

    def astronaut_payload(
        self, astronaut_id: int, version: str, mode: AstronautMode = "normal"
    ) -> JsonObject:
        if version != "2.3.0":
            if mode == "detailed":
                return self.astronaut(astronaut_id)
            return astronaut_item(self.astronauts[astronaut_id], version)
        if mode == "detailed":
            return astronaut_detail(self.astronaut(astronaut_id), version, now=self.now)
        astronaut = copy.deepcopy(self.astronauts[astronaut_id])
        launches = {launch["id"] for launch in astronaut.get("flights") or []}
        launches.update(
            self.flights[fid]["launch"]["id"] for fid in self.index.flown.get(astronaut_id, ())
        )
        landings = {flight["id"] for flight in astronaut.get("landings") or []}
        landings.update(self.index.landed.get(astronaut_id, ()))
        astronaut["flights_count"] = len(launches)
        astronaut["landings_count"] = len(landings)
        return astronaut_item(astronaut, version, mode, now=self.now)

    def docking_event_payload(self, event: JsonObject, version: str) -> JsonObject:
        flight_id = event["flight_vehicle"]["id"]
        station_id = _station_id_of_event(event)
        return docking_event_item(
            event,
            version,
            flight=self.flight_summary(flight_id) if flight_id in self.flights else None,
            station=self.stations.get(station_id) if station_id is not None else None,
            now=self.now,
        )

    def spacecraft_payload(self, craft_id: int, *, detailed: bool) -> JsonObject:
        """A spacecraft as 2.3.0 `/spacecraft/` lists it; detailed: with its flights."""
        payload = _spacecraft_230(self.spacecraft[craft_id], detailed=detailed)
        if detailed:
            payload["response_mode"] = "detailed"
            payload["flights"] = [
                self.flight_payload(flight_id, "2.3.0", detailed=False)
                for flight_id in sorted(self.flights)
                if self.flights[flight_id]["spacecraft"]["id"] == craft_id
            ]
        return payload

    def station_payloads(self, version: str) -> list[JsonObject]:
        return [space_station_item(self.stations[sid], version) for sid in sorted(self.stations)]


@dataclass(frozen=True)
class _Index:
    """Derived lookups, rebuilt after a mutation: who flew what, turn-around times."""

    flown: Mapping[int, tuple[int, ...]]
    landed: Mapping[int, tuple[int, ...]]
    turn_around: Mapping[int, str]

    @classmethod
    def build(cls, catalog: Catalog) -> _Index:
        flown: dict[int, list[int]] = {}
        landed: dict[int, list[int]] = {}
        by_craft: dict[int, list[JsonObject]] = {}
        for flight_id in sorted(catalog.flights):
            flight = catalog.flights[flight_id]
            for crew, table in (("launch_crew", flown), ("landing_crew", landed)):
                for member in flight.get(crew) or []:
                    ids = table.setdefault(member["astronaut"]["id"], [])
                    if flight_id not in ids:
                        ids.append(flight_id)
            by_craft.setdefault(flight["spacecraft"]["id"], []).append(flight)
        turn_around: dict[int, str] = {}
        for flights in by_craft.values():
            flights.sort(key=lambda f: str(f["launch"].get("net") or ""))
            for previous, current in itertools.pairwise(flights):
                ended = parse_time(previous.get("mission_end"))
                launched = parse_time(current["launch"].get("net"))
                if ended is not None and launched is not None:
                    turn_around[current["id"]] = iso_duration(launched - ended)
        return cls(
            flown={k: tuple(v) for k, v in flown.items()},
            landed={k: tuple(v) for k, v in landed.items()},
            turn_around=turn_around,
        )


_ASTRONAUT_ORDERINGS: dict[str, Callable[[JsonObject], Any]] = {
    "id": lambda a: a["id"],
    "name": lambda a: a.get("name"),
    "time_in_space": lambda a: (
        _duration_seconds(a["time_in_space"]) if a.get("time_in_space") else None
    ),
    "eva_time": lambda a: _duration_seconds(a["eva_time"]) if a.get("eva_time") else None,
    "last_flight": lambda a: a.get("last_flight"),
    "flights_count": lambda a: a.get("flights_count"),
    "date_of_birth": lambda a: a.get("date_of_birth"),
}


def _sorted_nulls_last(ids: list[int], key: Callable[[int], Any], *, descending: bool) -> list[int]:
    present = [aid for aid in ids if key(aid) is not None]
    missing = [aid for aid in ids if key(aid) is None]
    return sorted(present, key=key, reverse=descending) + missing


def _detail_from_list_item(item: JsonObject) -> JsonObject:
    """A 2.2.0 flight list item as a detail: no crew, no docking events, landing unknown."""
    return {
        "id": item["id"],
        "url": item["url"],
        "mission_end": item.get("mission_end"),
        "destination": item.get("destination"),
        "launch_crew": [],
        "onboard_crew": [],
        "landing_crew": [],
        "spacecraft": item["spacecraft"],
        "launch": item["launch"],
        "landing": None,
        "docking_events": [],
    }


def _station_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


_STATION_ALIASES = {
    "Mir Space Station": 5,
    "Skylab Station in Low Earth Orbit": 6,
    "Tiangong Space Station": TIANGONG_ID,
}


def _missing_stations(
    stations: Mapping[int, JsonObject], flight_219: JsonObject
) -> list[JsonObject]:
    """The six stations the 9-item fixture page leaves out, in the same (2.3.0) shape.

    The ISS is built from flight 219's embedded station and the fixture agencies;
    the others are cloned from their nearest fixture sibling.
    """
    agencies = {
        astronaut["agency"]["id"]: astronaut["agency"]
        for astronaut in _parsed(ASTRONAUT_LIST)["results"]
        if astronaut.get("agency")
    }
    embedded = flight_219["docking_events"][0]["spacestation"]
    iss = _station_from_embedded_220(embedded)
    iss.update(
        {
            "url": api_url("2.3.0", "spacestation", ISS_ID),
            "deorbited": None,
            "owners": [_agency_normal_230(agencies[aid]) for aid in (44, 63, 27, 37, 16)],
            "response_mode": "normal",
            "active_expeditions": [],
        }
    )
    clones = (
        (9, 14, "Salyut 1", "1971-04-19", "1971-10-11", None),
        (13, 14, "Salyut 5", "1976-06-22", "1977-08-08", None),
        (15, 14, "Salyut 7", "1982-04-19", "1991-02-07", None),
        (17, 16, "Genesis II", "2007-06-28", None, None),
        (TIANGONG_ID, 8, "Tiangong", "2021-04-29", None, {"id": 1, "name": "Active"}),
    )
    built = [iss]
    for station_id, template_id, name, founded, deorbited, status in clones:
        station = copy.deepcopy(stations[template_id])
        station.update(
            {
                "id": station_id,
                "url": api_url("2.3.0", "spacestation", station_id),
                "name": name,
                "image": None,
                "founded": founded,
                "deorbited": deorbited,
                "description": f"{name} is a space station launched on {founded}.",
            }
        )
        if status is not None:
            station["status"] = status
        built.append(station)
    return built


# Synthetic data

_ROLE_COMMANDER = {"id": 1, "role": "Commander", "priority": 0}
_ROLE_PILOT = {"id": 2, "role": "Pilot", "priority": 1}
_ROLE_ENGINEER = {"id": 3, "role": "Flight Engineer", "priority": 2}
_ROLE_SPECIALIST = {"id": 4, "role": "Mission Specialist", "priority": 3}

# Nationality: (weight, agency id, first names, surnames); Chinese names are family-first.
_PEOPLE: dict[str, tuple[int, int, str, str]] = {
    "American": (
        20,
        44,
        "Michael|Jennifer|Robert|Christina|José|Sunita|Kjell|Nicole|Raja|Kayla|Warren|"
        "Stephanie|Victor|Jasmin|Loral|Zena|Andre|Jeanette|Frank|Tracy",
        "Hernández|O'Connor|Nguyen|Van Horn|McArthur|Smith-Jones|Lindgren|Mann|Glover|"
        "Epps|Rubio|Moghbeli|Whitson|Acabá|Dyson|Caldwell Dyson|Wakefield|Marshburn|"
        "Ochoa|De La Cruz",
    ),
    "Russian": (
        16,
        63,
        "Aleksandr|Sergey|Oleg|Dmitry|Nikolai|Andrei|Yelena|Anna|Konstantin|Pyotr|"
        "Mikhail|Yuri|Valery|Gennady|Fyodor|Anatoli|Ivan|Maksim|Svetlana|Denis",
        "Volkov|Kuznetsov|Shkaplerov|Kononenko|Serov|Kikina|Borisov|Matveyev|Lazutkin|"
        "Padalka|Zaletin|Titov|Chub|Prokopyev|Petelin|Novitsky|Sergeyev|Kud-Sverchkov|"
        "Tsibliyev|Yurchikhin",
    ),
    "Chinese": (
        8,
        17,
        "Haipeng|Hongbo|Guangfu|Yaping|Shengjie|Haichao|Lu|Cong|Tingbo|Xuzhe|Jie|"
        "Zhiming|Dong|Wei|Lina",
        "Zhang|Wang|Liu|Chen|Nie|Jing|Fei|Tang|Ye|Gui|Cai|Song|Li|Jiang|Zhu",
    ),
    "Japanese": (
        5,
        37,
        "Koichi|Soichi|Akihiko|Naoko|Chiaki|Satoshi|Takuya|Kimiya|Norishige|Mamoru|Ayu",
        "Wakata|Noguchi|Hoshide|Yamazaki|Mukai|Furukawa|Ōnishi|Yui|Kanai|Mōri|Suwa|Yoneda",
    ),
    "Canadian": (
        3,
        16,
        "Jeremy|Joshua|Jenni|Chris|Julie|Marc|Roberta|Dafydd|Émilie",
        "Hansen|Kutryk|Sidey-Gibbons|Hadfield|Payette|Garneau|Saint-Jacques|Bondar|Tremblay",
    ),
    "French": (
        3,
        27,
        "Jean-Loup|Thomas|Léopold|Claudie|Sophie|Philippe|Michel|Hélène|Benoît|Jean-Jacques",
        "Chrétien|Haigneré|Clervoy|Perrin|Tognini|Lefèvre|Dubois-Mercier|Béranger|Favier",
    ),
    "German": (
        3,
        27,
        "Jürgen|Ulf|Reinhold|Matthias|Ernst|Sigmund|Insa|Gerhard|Käthe",
        "Schröder|Müller|Merbold|Ewald|Flade|Jähn|Weiß|Reiter|Schlegel|Thiele",
    ),
    "Italian": (
        3,
        27,
        "Umberto|Paolo|Luca|Samantha|Roberto|Franco|Maurizio|Walter|Chiara",
        "Guidoni|Nespoli|Vittori|Malerba|Cheli|Di Pippo|Villadei|Della Vedova|Cristoforetti",
    ),
    "Belgian": (
        2,
        27,
        "Frank|Dirk|Raphaël|Marleen|Pieter|Anaïs",
        "De Winne|Frimout|Van den Berg|De Smet|Liégeois|Van Rompaey",
    ),
    "Dutch": (1, 27, "André|Wubbo|Marijke|Sanne", "Kuipers|Ockels|van der Meer|de Vries"),
    "Spanish": (
        2,
        27,
        "Pedro|Pablo|Sara|Marta|Álvaro|Nuria",
        "Duque|García|Álvarez|López-Alegría|Martínez Ruiz|Fernández",
    ),
    "Brazilian": (1, 12, "Marcos|João|Luíza|Thaís", "Pontes|Gonçalves|Araújo|Conceição"),
    "Mexican": (1, 1022, "Rodolfo|Katya|Iñaki", "Neri Vela|Echazarreta|Muñoz"),
    "Czech": (1, 27, "Vladimír|Aleš|Tereza|Jiří", "Remek|Svoboda|Dvořák|Novák|Kovář"),
    "Polish": (
        1,
        1022,
        "Mirosław|Sławosz|Agnieszka|Łukasz",
        "Hermaszewski|Uznański-Wiśniewski|Kowalczyk|Wiśniewski",
    ),
    "Hungarian": (1, 1022, "Bertalan|Tibor|Gyula|Zsófia", "Farkas|Kapu|Cserényi|Szőke"),
    "Swedish": (1, 27, "Christer|Marcus|Åsa|Björn", "Fuglesang|Wandt|Åström|Lindqvist"),
    "Danish": (1, 27, "Andreas|Søren|Mette", "Mogensen|Sørensen|Østergaard"),
    "Norwegian": (1, 27, "Kristian|Ingrid|Håkon", "Ødegaard|Bjørnstad|Hæhre"),
    "Indian": (
        2,
        1022,
        "Rakesh|Shubhanshu|Prasanth|Angad|Kalpana|Sirisha",
        "Sharma|Shukla|Balakrishnan Nair|Pratap|Chawla|Krishnan",
    ),
    "Emirati": (
        1,
        198,
        "Hazza|Sultan|Nora|Mohammad",
        "Al Mansouri|Al Neyadi|Al Matrooshi|Al Mulla",
    ),
    "Saudi": (1, 1022, "Rayyanah|Ali|Sultan", "Barnawi|Al Qarni|bin Salman Al Saud"),
    "Turkish": (1, 1022, "Alper|Tuva Cihangir|Şebnem", "Gezeravcı|Atasever|Yıldırım"),  # noqa: RUF001
    "South Korean": (1, 1022, "So-yeon|Ko|Min-jun", "Yi|San|Park"),
    "Vietnamese": (1, 1022, "Tuân|Thảo|Minh", "Phạm|Nguyễn|Trần"),
    "British": (
        2,
        27,
        "Tim|Helen|Meganne|Rosemary|John-Paul",
        "Peake|Sharman|Christian|Coogan|McDowell-Smith",
    ),
    "Irish": (1, 27, "Aoife|Niamh|Cian", "Ní Dhomhnaill|O'Sullivan|Mac Giolla Phádraig"),
    "Kazakhstani": (1, 182, "Aidyn|Talgat|Aigerim", "Aimbetov|Musabayev|Zhaksybekova"),
    "Ukrainian": (1, 1022, "Leonid|Oksana|Bohdan", "Kadenyuk|Shevchenko|Kovalenko"),
}
_FEMININE = {"Yelena", "Anna", "Svetlana"}
_FAMILY_FIRST = {"Chinese", "Vietnamese", "South Korean"}


@dataclass(frozen=True)
class _Craft:
    """One kind of generated flight: how it launches, where it goes, how it lands."""

    kind: str
    rocket: tuple[int, str, str, str]
    agency_id: int
    pad: str
    destination: str
    station_id: int
    crew: tuple[JsonObject, ...]
    commander_nationality: str | None
    days: tuple[int, int]
    docking_hours: tuple[int, int]
    ports: tuple[tuple[int, str], ...]
    landing: str


_SOYUZ_CREW = (_ROLE_COMMANDER, _ROLE_ENGINEER, _ROLE_ENGINEER)
_DRAGON_CREW = (_ROLE_COMMANDER, _ROLE_PILOT, _ROLE_SPECIALIST, _ROLE_SPECIALIST)
_ISS = "International Space Station"
_KINDS = {
    "soyuz_tma": _Craft(
        "soyuz_tma",
        (34, "Soyuz", "Soyuz FG", "FG"),
        63,
        "baikonur",
        _ISS,
        ISS_ID,
        _SOYUZ_CREW,
        "Russian",
        (150, 200),
        (34, 50),
        ((20, "Zarya nadir"), (3, "Poisk zenith"), (13, "Rassvet nadir")),
        "kazakhstan",
    ),
    "soyuz_ms": _Craft(
        "soyuz_ms",
        (185, "Soyuz 2.1a", "Soyuz 2.1a", "2.1a"),
        63,
        "baikonur",
        _ISS,
        ISS_ID,
        _SOYUZ_CREW,
        "Russian",
        (170, 205),
        (3, 6),
        ((3, "Poisk zenith"), (13, "Rassvet nadir"), (2, "Zvezda aft")),
        "kazakhstan",
    ),
    "shuttle": _Craft(
        "shuttle",
        (41, "Space Shuttle", "Space Shuttle", ""),
        191,
        "lc39a",
        _ISS,
        ISS_ID,
        (_ROLE_COMMANDER, _ROLE_PILOT, _ROLE_SPECIALIST, _ROLE_SPECIALIST, _ROLE_SPECIALIST),
        "American",
        (8, 16),
        (40, 50),
        ((17, "Destiny forward"), (19, "Harmony forward")),
        "runway",
    ),
    "crew_dragon": _Craft(
        "crew_dragon",
        (164, "Falcon 9", "Falcon 9 Block 5", "Block 5"),
        121,
        "lc39a",
        _ISS,
        ISS_ID,
        _DRAGON_CREW,
        "American",
        (140, 200),
        (20, 30),
        ((19, "Harmony forward"), (30, "Harmony zenith")),
        "splashdown",
    ),
    "axiom": _Craft(
        "axiom",
        (164, "Falcon 9", "Falcon 9 Block 5", "Block 5"),
        121,
        "lc39a",
        _ISS,
        ISS_ID,
        _DRAGON_CREW,
        "American",
        (14, 21),
        (20, 30),
        ((19, "Harmony forward"), (30, "Harmony zenith")),
        "splashdown",
    ),
    "starliner": _Craft(
        "starliner",
        (196, "Atlas V", "Atlas V N22", "N22"),
        124,
        "slc41",
        _ISS,
        ISS_ID,
        (_ROLE_COMMANDER, _ROLE_PILOT),
        "American",
        (8, 60),
        (24, 30),
        ((19, "Harmony forward"),),
        "white_sands",
    ),
    "progress": _Craft(
        "progress",
        (185, "Soyuz 2.1a", "Soyuz 2.1a", "2.1a"),
        63,
        "baikonur",
        _ISS,
        ISS_ID,
        (),
        None,
        (170, 200),
        (3, 6),
        ((2, "Zvezda aft"), (3, "Poisk zenith")),
        "kazakhstan",
    ),
    "shenzhou": _Craft(
        "shenzhou",
        (53, "Long March 2F", "Long March 2F/G", "F/G"),
        17,
        "jiuquan",
        "Tiangong Space Station",
        TIANGONG_ID,
        _SOYUZ_CREW,
        "Chinese",
        (150, 190),
        (6, 8),
        ((40, "Tianhe forward"), (41, "Tianhe radial")),
        "dongfeng",
    ),
}

_ROLES_OF_KIND = {"progress": "cargo"}

_CONFIGS: dict[str, tuple[int, str, int, int, str | None]] = {
    # kind: (config id, name, agency id, crew capacity, image from)
    "soyuz_ms": (57, "Soyuz MS", 63, 3, "soyuz"),
    "progress": (58, "Progress MS", 63, 0, None),
    "crew_dragon": (3, "Crew Dragon", 121, 4, None),
    "axiom": (3, "Crew Dragon", 121, 4, None),
    "starliner": (52, "CST-100 Starliner", 80, 4, None),
    "shenzhou": (23, "Shenzhou", 17, 3, None),
}

_LANDINGS: dict[str, tuple[tuple[int, str, str], tuple[int, str, str]]] = {
    "runway": ((25, "Shuttle Landing Facility", "SLF"), (6, "Horizontal Landing", "HL")),
    "splashdown": ((23, "Atlantic Ocean", "ATL"), (5, "Splashdown", "SPL")),
    "white_sands": ((34, "White Sands Space Harbor", "WSSH"), (7, "Airbag Landing", "ABL")),
    "dongfeng": ((31, "Dongfeng Landing Site", "DFLS"), (4, "Parachute Landing", "PCL")),
}

_OTHER_AGENCIES: dict[int, tuple[str, str]] = {
    124: ("United Launch Alliance", "Commercial"),
    191: ("United Space Alliance", "Commercial"),
}


class _Generator:
    """Adds generated astronauts and flights to a fixture catalog (see `Catalog.synthetic`)."""

    def __init__(self, catalog: Catalog, rng: random.Random) -> None:
        self.catalog = catalog
        self.rng = rng
        self.now = catalog.now
        self.template = load_fixture(FLIGHT_219)
        self.shuttle_template = load_fixture(FLIGHT_186)
        self.agencies: dict[int, JsonObject] = {}
        for astronaut in load_fixture(ASTRONAUT_LIST)["results"]:
            if astronaut.get("agency"):
                self.agencies[astronaut["agency"]["id"]] = astronaut["agency"]
        self.next_ids = {"flight": 1001, "astronaut": 2001, "member": 100_001, "event": 1001}
        self.next_ids.update({"landing": 5001, "spacecraft": 901, "mission": 9001, "rocket": 9001})
        self.busy: dict[int, list[tuple[datetime, datetime]]] = {}
        self.missions: dict[str, int] = {}
        self.generated: list[JsonObject] = []

    def new_id(self, kind: str) -> int:
        value = self.next_ids[kind]
        self.next_ids[kind] = value + 1
        return value

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, start: datetime, end: datetime) -> datetime:
        span = max(int((end - start).total_seconds()), 1)
        return start + timedelta(seconds=self.rng.randrange(span))

    # Astronauts

    def run(self, flights: int, astronauts: int) -> None:
        base_flights = len(self.catalog.flights)
        in_space = self.rng.randint(2, 4)
        if flights < base_flights + 26 + in_space + 1:
            raise ValueError(f"flights must be at least {base_flights + 27 + in_space}")
        self.add_astronauts(astronauts - len(self.catalog.astronauts))
        plans = self.plan_history(flights - base_flights - in_space - 1)
        plans.sort(key=lambda plan: plan[2])
        for plan in plans:
            self.add_flight(*plan)
        now = self.now
        for number, (kind, name) in enumerate(
            (
                ("soyuz_ms", "Soyuz MS-29"),
                ("crew_dragon", "Crew Dragon Freedom"),
                ("starliner", "Starliner Calypso"),
                ("axiom", "Crew Dragon Grace"),
            )[:in_space]
        ):
            craft_id = self.spacecraft_for(kind, name)
            launched = now - timedelta(days=2 + 9 * number, hours=self.rng.randint(0, 20))
            self.add_flight(kind, craft_id, launched, None)
        self.finish_astronauts()
        # A cargo ship docked at the ISS: in space, but no crew to announce.
        cargo_id = self.spacecraft_for("progress", "Progress MS-31")
        self.add_flight("progress", cargo_id, now - timedelta(days=5), None)

    def add_astronauts(self, count: int) -> None:
        taken = {str(a.get("name")) for a in self.catalog.astronauts.values()}
        nationalities = list(_PEOPLE)
        weights = [_PEOPLE[n][0] for n in nationalities]
        added = 0
        while added < count:
            nationality = self.rng.choices(nationalities, weights)[0]
            name = self.unique_name(nationality, taken)
            if name is not None:
                taken.add(name)
                astronaut = self.astronaut(name, nationality)
                self.catalog.astronauts[astronaut["id"]] = astronaut
                self.generated.append(astronaut)
                added += 1

    def unique_name(self, nationality: str, taken: set[str]) -> str | None:
        """A new name for `nationality`, None when its names are used up."""
        _, _, firsts, lasts = _PEOPLE[nationality]
        family_first = nationality in _FAMILY_FIRST
        for attempt in range(60):
            first = self.rng.choice(firsts.split("|"))
            last = self.rng.choice(lasts.split("|"))
            if nationality == "Russian" and first in _FEMININE and last[-2:] in ("ov", "ev", "in"):
                last += "a"
            if family_first:
                name = f"{last} {first}"
            elif attempt >= 20:
                name = f"{first} {chr(ord('A') + self.rng.randrange(26))}. {last}"
            else:
                name = f"{first} {last}"
            if name not in taken:
                return name
        return None

    def astronaut(self, name: str, nationality: str) -> JsonObject:
        astronaut_id = self.new_id("astronaut")
        agency = copy.deepcopy(self.agencies[_PEOPLE[nationality][1]])
        born = date(1950, 1, 1) + timedelta(days=self.rng.randrange(365 * 46))
        died = None
        if born.year < 1960 and self.rng.random() < 0.15:
            died = born + timedelta(days=365 * self.rng.randint(62, 75))
        status = {"id": 1, "name": "Active"} if born.year >= 1968 else {"id": 2, "name": "Retired"}
        if died is not None:
            status = {"id": 11, "name": "Deceased"}
        private = agency["type"] in ("Private", "Commercial")
        astronaut_type = (
            {"id": 3, "name": "Private"} if private else {"id": 2, "name": "Government"}
        )
        slug = re.sub(r"[^a-z0-9]+", "2520", name.casefold())
        stamp = born.strftime("%Y%m%d")
        has_image = self.rng.random() < 0.85
        return {
            "id": astronaut_id,
            "url": api_url("2.2.0", "astronaut", astronaut_id),
            "name": name,
            "status": status,
            "type": astronaut_type,
            "in_space": False,
            "time_in_space": "P0D",
            "eva_time": "P0D",
            "age": None,
            "date_of_birth": born.isoformat(),
            "date_of_death": None if died is None else died.isoformat(),
            "nationality": nationality,
            "twitter": (
                f"https://twitter.com/{slug.replace('2520', '_')}"
                if self.rng.random() < 0.2
                else None
            ),
            "instagram": None,
            "bio": (
                f"{name} is a {nationality} astronaut of the {agency['name']}, "
                f"born on {born.strftime('%d %B %Y')}."
            ),
            "agency": agency,
            "profile_image": (
                "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media/images/"
                f"{slug}_image_{stamp}.jpg"
                if has_image
                else None
            ),
            "profile_image_thumbnail": (
                f"https://ll.thespacedevs.com/2.2.0/astronaut/{astronaut_id}/cache/{stamp}.jpg"
                if has_image
                else None
            ),
            "wiki": (
                f"https://en.wikipedia.org/wiki/{name.replace(' ', '_')}"
                if self.rng.random() < 0.6
                else None
            ),
            "flights_count": 0,
            "landings_count": 0,
            "last_flight": None,
            "first_flight": None,
        }

    def finish_astronauts(self) -> None:
        index = _Index.build(self.catalog)
        for astronaut_id, flight_ids in index.flown.items():
            astronaut = self.catalog.astronauts[astronaut_id]
            nets = [self.catalog.flights[fid]["launch"]["net"] for fid in flight_ids]
            known = [astronaut.get("first_flight"), astronaut.get("last_flight")]
            stamps = sorted(value for value in [*nets, *known] if value)
            astronaut["first_flight"], astronaut["last_flight"] = stamps[0], stamps[-1]
            if "flights_count" in astronaut:
                seconds = 0
                for flight_id in flight_ids:
                    flight = self.catalog.flights[flight_id]
                    end = parse_time(flight.get("mission_end")) or self.now
                    launched = parse_time(flight["launch"]["net"])
                    seconds += int((end - launched).total_seconds()) if launched else 0
                astronaut["time_in_space"] = iso_duration(timedelta(seconds=seconds))
                astronaut["flights_count"] = len(flight_ids)
                astronaut["landings_count"] = len(index.landed.get(astronaut_id, ()))
        self.catalog._index = None

    # Flights

    def plan_history(self, count: int) -> list[tuple[str, int, datetime, datetime | None]]:
        """(kind, spacecraft id, launch, mission end) of every ended generated flight."""
        plans: list[tuple[str, int, datetime, datetime | None]] = []
        reusable: list[tuple[str, int, int]] = [
            ("soyuz_tma", 78, 26),
            ("shuttle", 40, self.rng.randint(10, 20)),
            ("shuttle", self.spacecraft_for("shuttle", "Space Shuttle Discovery"), 0),
            ("shuttle", self.spacecraft_for("shuttle", "Space Shuttle Atlantis"), 0),
            ("crew_dragon", self.spacecraft_for("crew_dragon", "Crew Dragon Resilience", 417), 0),
            ("crew_dragon", self.spacecraft_for("crew_dragon", "Crew Dragon Endurance"), 0),
        ]
        left = count
        for kind, craft_id, wanted in reusable:
            flights = min(left, wanted or self.rng.randint(6, 15))
            left -= flights
            plans.extend(self.schedule(kind, craft_id, flights))
        singles = ("soyuz_ms", "shenzhou")
        earliest = datetime(2003, 1, 1, tzinfo=UTC)
        for number in range(left):
            kind = singles[number % 2]
            serial = 30 + number // 2 if kind == "soyuz_ms" else 21 + number // 2
            name = f"Soyuz MS-{serial}" if kind == "soyuz_ms" else f"Shenzhou-{serial}"
            craft_id = self.spacecraft_for(kind, name)
            launched = self.moment(earliest, self.now - timedelta(days=400))
            days = self.rng.randint(*_KINDS[kind].days)
            plans.append((kind, craft_id, launched, launched + timedelta(days=days)))
        return plans

    def schedule(
        self, kind: str, craft_id: int, flights: int
    ) -> list[tuple[str, int, datetime, datetime | None]]:
        """`flights` flights of one spacecraft, back in time from about a year ago.

        They keep clear of the spacecraft's recorded flights (219 for 78; 90 and 186 for 40).
        """
        craft = _KINDS[kind]
        recorded = [
            (parse_time(f["launch"]["net"]), parse_time(f.get("mission_end")))
            for f in self.catalog.flights.values()
            if f["spacecraft"]["id"] == craft_id
        ]
        margin = timedelta(days=60)
        cursor = self.now - timedelta(days=self.rng.randint(60, 700))
        plans: list[tuple[str, int, datetime, datetime | None]] = []
        while len(plans) < flights:
            ended = cursor - timedelta(seconds=self.rng.randrange(86_400))
            launched = ended - timedelta(
                days=self.rng.randint(*craft.days), seconds=self.rng.randrange(86_400)
            )
            clash = next(
                (
                    start
                    for start, stop in recorded
                    if start is not None
                    and stop is not None
                    and launched < stop + margin
                    and ended > start - margin
                ),
                None,
            )
            if clash is not None:
                cursor = clash - margin
                continue
            plans.append((kind, craft_id, launched, ended))
            cursor = launched - timedelta(days=self.rng.randint(60, 240))
        return plans

    def spacecraft_for(self, kind: str, name: str, craft_id: int | None = None) -> int:
        craft_id = craft_id or self.new_id("spacecraft")
        base = (self.shuttle_template if kind == "shuttle" else self.template)["spacecraft"]
        spacecraft = copy.deepcopy(base)
        single_use = kind in ("soyuz_ms", "shenzhou")
        spacecraft.update(
            {
                "id": craft_id,
                "url": api_url("2.2.0", "spacecraft", craft_id),
                "name": name,
                "serial_number": f"{name.split()[-1]}-{craft_id}",
                "is_placeholder": False,
                "in_space": False,
                "time_in_space": "P0D",
                "time_docked": "P0D",
                "flights_count": 0,
                "mission_ends_count": 0,
                "status": {"id": 4, "name": "Single Use"}
                if single_use
                else {"id": 1, "name": "Active"},
                "description": f"{name} is a {_ROLES_OF_KIND.get(kind, 'crewed')} spacecraft.",
            }
        )
        if kind in _CONFIGS:
            spacecraft["spacecraft_config"] = self.config(kind)
        self.catalog.spacecraft[craft_id] = spacecraft
        return craft_id

    def config(self, kind: str) -> JsonObject:
        config_id, name, agency_id, capacity, image = _CONFIGS[kind]
        config: JsonObject = copy.deepcopy(self.template["spacecraft"]["spacecraft_config"])
        config.update(
            {
                "id": config_id,
                "url": api_url("2.2.0", "config/spacecraft", config_id),
                "name": name,
                "agency": copy.deepcopy(self.agencies.get(agency_id, config["agency"])),
                "in_use": True,
                "crew_capacity": capacity,
                "human_rated": capacity > 0,
                "wiki_link": f"https://en.wikipedia.org/wiki/{name.replace(' ', '_')}",
            }
        )
        if image is None:
            config["image_url"] = None
        return config

    def add_flight(
        self, kind: str, craft_id: int, launched: datetime, ended: datetime | None
    ) -> None:
        craft = _KINDS[kind]
        spacecraft = self.catalog.spacecraft[craft_id]
        flight_id = self.new_id("flight")
        crew = self.pick_crew(craft, launched, ended)
        mission = self.mission_name(kind, spacecraft)
        launch = self.launch(craft, spacecraft, mission, launched, crew)
        docked = launched + timedelta(hours=self.rng.randint(*craft.docking_hours))
        if ended is not None and docked >= ended:
            docked = launched + (ended - launched) / 3
        departure = None if ended is None else ended - timedelta(hours=self.rng.randint(3, 6))
        detail: JsonObject = {
            "id": flight_id,
            "url": api_url("2.2.0", "spacecraft/flight", flight_id),
            "mission_end": None if ended is None else iso_z(ended),
            "destination": craft.destination,
            "launch_crew": self.members(crew, craft),
            "onboard_crew": [],
            "landing_crew": [] if ended is None else self.members(crew, craft),
            "spacecraft": spacecraft,
            "launch": launch,
            "landing": self.landing(craft, success=None if ended is None else True),
            "docking_events": [self.docking_event(craft, docked, departure)],
        }
        spacecraft["flights_count"] = (spacecraft.get("flights_count") or 0) + 1
        time_in_space = _duration_seconds(spacecraft.get("time_in_space"))
        end = ended or self.now
        spacecraft["time_in_space"] = iso_duration(
            timedelta(seconds=time_in_space) + (end - launched)
        )
        if ended is None:
            spacecraft["in_space"] = True
        else:
            spacecraft["mission_ends_count"] = (spacecraft.get("mission_ends_count") or 0) + 1
        for astronaut in crew:
            astronaut["in_space"] = ended is None or bool(astronaut.get("in_space"))
            if ended is None:
                astronaut["status"] = {"id": 1, "name": "Active"}
        self.catalog.flights[flight_id] = detail
        self.catalog._index = None

    def mission_name(self, kind: str, spacecraft: JsonObject) -> str:
        number = self.missions[kind] = self.missions.get(kind, 0) + 1
        prefixes = {"shuttle": ("STS-", 135), "crew_dragon": ("Crew-", 9), "axiom": ("Ax-", 4)}
        if kind in prefixes:
            prefix, offset = prefixes[kind]
            return f"{prefix}{offset + number}"
        if kind == "starliner":
            return f"Starliner-{number}"
        if kind == "soyuz_tma":
            return f"{spacecraft['name']} reflight {number}"
        return str(spacecraft["name"])

    def pick_crew(
        self, craft: _Craft, launched: datetime, ended: datetime | None
    ) -> list[JsonObject]:
        if not craft.crew:
            return []
        end = ended or self.now + timedelta(days=200)
        chinese_only = craft.commander_nationality == "Chinese"
        pool = [
            astronaut
            for astronaut in self.generated or list(self.catalog.astronauts.values())
            if (astronaut.get("type") or {}).get("id") != 6
            and (astronaut.get("nationality") == "Chinese") == chinese_only
            and self.can_fly(astronaut, launched, end, ended is None)
        ]
        self.rng.shuffle(pool)
        commanders = [a for a in pool if a.get("nationality") == craft.commander_nationality]
        crew = commanders[:1]
        crew += [a for a in pool if a not in crew][: len(craft.crew) - len(crew)]
        for astronaut in crew:
            self.busy.setdefault(astronaut["id"], []).append((launched, end))
        return crew

    def can_fly(self, astronaut: JsonObject, launched: datetime, end: datetime, now: bool) -> bool:
        born = astronaut.get("date_of_birth")
        if not born or not 27 <= launched.year - int(born[:4]) <= 60:
            return False
        if astronaut.get("date_of_death") or (now and astronaut.get("in_space")):
            return False
        return all(
            end <= start or launched >= stop for start, stop in self.busy.get(astronaut["id"], [])
        )

    def members(self, crew: list[JsonObject], craft: _Craft) -> list[JsonObject]:
        return [
            {
                "id": self.new_id("member"),
                "role": dict(role),
                "astronaut": crew_astronaut(astronaut),
            }
            for astronaut, role in zip(crew, craft.crew, strict=False)
        ]

    def launch(
        self,
        craft: _Craft,
        spacecraft: JsonObject,
        mission: str,
        launched: datetime,
        crew: list[JsonObject],
    ) -> JsonObject:
        template = self.shuttle_template if craft.kind == "shuttle" else self.template
        launch: JsonObject = copy.deepcopy(template["launch"])
        launch_id = self.uuid()
        rocket_config_id, rocket_name, full_name, variant = craft.rocket
        if craft.kind == "shuttle":
            full_name = f"{spacecraft['name']} {spacecraft['serial_number']}"
        rocket_label = rocket_name if craft.kind != "shuttle" else str(spacecraft["name"])
        name = f"{rocket_label} | {mission}"
        names = ", ".join(str(a["name"]) for a in crew) or "its crew"
        stamp = iso_z(launched)
        launch.update(
            {
                "id": launch_id,
                "url": api_url("2.2.0", "launch", launch_id),
                "slug": re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-"),
                "name": name,
                "last_updated": iso_z(min(launched + timedelta(days=30), self.now)),
                "net": stamp,
                "window_end": stamp,
                "window_start": stamp,
                "launch_service_provider": self.agency_mini(craft.agency_id),
                "rocket": {
                    "id": self.new_id("rocket"),
                    "configuration": {
                        "id": rocket_config_id,
                        "url": api_url("2.2.0", "config/launcher", rocket_config_id),
                        "name": rocket_name,
                        "family": rocket_name.split()[0],
                        "full_name": full_name,
                        "variant": variant,
                    },
                },
                "mission": {
                    "id": self.new_id("mission"),
                    "name": mission,
                    "description": f"{mission} carries {names} to the {craft.destination}.",
                    "launch_designator": None,
                    "type": "Human Exploration",
                    "orbit": {"id": 8, "name": "Low Earth Orbit", "abbrev": "LEO"},
                    "agencies": [],
                    "info_urls": [],
                    "vid_urls": [],
                },
                "pad": self.pad(craft.pad, template["launch"]["pad"]),
            }
        )
        if craft.kind != "soyuz_tma":
            launch["program"] = []
        return launch

    def agency_mini(self, agency_id: int) -> JsonObject:
        agency = self.agencies.get(agency_id)
        if agency is None:
            name, agency_type = _OTHER_AGENCIES[agency_id]
            return {
                "id": agency_id,
                "url": api_url("2.2.0", "agencies", agency_id),
                "name": name,
                "type": agency_type,
            }
        return {key: agency[key] for key in ("id", "url", "name", "type")}

    def pad(self, key: str, template: JsonObject) -> JsonObject:
        pad = copy.deepcopy(template)
        if key == "slc41":
            pad.update({"id": 29, "name": "Space Launch Complex 41", "map_url": None})
            pad["url"] = api_url("2.2.0", "pad", 29)
            pad["location"].update(
                {"id": 12, "name": "Cape Canaveral SFS, FL, USA", "country_code": "USA"}
            )
            pad["location"]["url"] = api_url("2.2.0", "location", 12)
        elif key == "jiuquan":
            pad.update({"id": 70, "name": "SLS-1", "country_code": "CHN", "map_url": None})
            pad["url"] = api_url("2.2.0", "pad", 70)
            pad["location"].update(
                {
                    "id": 17,
                    "url": api_url("2.2.0", "location", 17),
                    "name": "Jiuquan Satellite Launch Center, People's Republic of China",
                    "country_code": "CHN",
                    "description": "Jiuquan is China's first launch site and its crewed one.",
                    "timezone_name": "Asia/Shanghai",
                }
            )
        return pad

    def landing(self, craft: _Craft, success: bool | None) -> JsonObject:
        landing: JsonObject = copy.deepcopy(self.template["landing"])
        landing.update({"id": self.new_id("landing"), "attempt": True, "success": success})
        if craft.landing in _LANDINGS:
            (loc_id, loc_name, loc_abbrev), (type_id, type_name, type_abbrev) = _LANDINGS[
                craft.landing
            ]
            landing["location"].update(
                {"id": loc_id, "name": loc_name, "abbrev": loc_abbrev, "description": loc_name}
            )
            landing["type"].update(
                {"id": type_id, "name": type_name, "abbrev": type_abbrev, "description": None}
            )
        landing["description"] = (
            "" if success is None else f"The crew landed safely ({landing['location']['name']})."
        )
        return landing

    def docking_event(
        self, craft: _Craft, docked: datetime, departure: datetime | None
    ) -> JsonObject:
        station = self.catalog.stations[craft.station_id]
        port_id, port_name = self.rng.choice(craft.ports)
        return {
            "id": self.new_id("event"),
            "spacestation": _station_embedded_220(station),
            "docking": iso_z(docked),
            "departure": None if departure is None else iso_z(departure),
            "docking_location": {
                "id": port_id,
                "name": port_name,
                "spacestation": _station_mini(station, "2.2.0"),
            },
        }
