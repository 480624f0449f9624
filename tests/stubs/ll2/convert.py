"""Turns a resolved LL2 2.2.0 object into what LL2 sends for a version: for 2.3.0 that
means image objects, country lists, `response_mode`, `landing_location`,
`space_station_target`, `{id, name}` agency types and the 2.3.0 URLs. Also the fixtures'
names and LL2's time and duration formats."""

from __future__ import annotations

import copy
import functools
import json
import re
import zlib
from collections.abc import Mapping
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
CREWS = ("launch_crew", "onboard_crew", "landing_crew")


@functools.cache
def parsed_fixture(name: str) -> Any:
    return json.loads(fixture(name).read_text(encoding="utf-8"))


def load_fixture(name: str) -> Any:
    """A fresh copy of one parsed fixture file."""
    return copy.deepcopy(parsed_fixture(name))


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


def duration_seconds(value: object) -> int:
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


def rewrite_urls(value: Any, version: str) -> Any:
    if isinstance(value, dict):
        return {
            key: convert_url(item, version) if key == "url" else rewrite_urls(item, version)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [rewrite_urls(item, version) for item in value]
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
    return _countries(codes, _COUNTRY_BY_ALPHA3)


def countries_for_nationality(nationality: object) -> list[JsonObject]:
    """Country objects for a 2.2.0 `nationality` (`"Belgian"`; unknown ones are left out)."""
    return _countries(nationality, _COUNTRY_BY_NATIONALITY)


def _countries(value: object, table: Mapping[object, Mapping[str, object]]) -> list[JsonObject]:
    """Each comma-separated part of `value` that `table` knows, as a fresh country object."""
    if not isinstance(value, str):
        return []
    return [dict(table[part.strip()]) for part in value.split(",") if part.strip() in table]


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


def agency_normal_230(agency: JsonObject) -> JsonObject:
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


def station_embedded_220(station: JsonObject) -> JsonObject:
    """The station as a 2.2.0 flight's docking event embeds it (`spacestation`)."""
    item = space_station_item(station, "2.2.0")
    keys = ("id", "url", "name", "status", "founded", "description", "orbit", "image_url")
    return {key: item[key] for key in keys}


def station_mini(station: JsonObject, version: str) -> JsonObject:
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


def station_from_embedded_220(embedded: JsonObject) -> JsonObject:
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
        "agencies": [agency_normal_230(agency) for agency in mission.get("agencies") or []],
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
            (agency_normal_230(agency) if detailed else _agency_mini_230(agency))
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


def spacecraft_230(spacecraft: JsonObject, detailed: bool) -> JsonObject:
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
        "spacecraft": spacecraft_230(detail["spacecraft"], detailed=False),
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
            else station_from_embedded_220(embedded)
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
        "spacestation": None if station is None else station_mini(station, "2.3.0"),
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
    converted["spacecraft"] = spacecraft_230(detail["spacecraft"], detailed=True)
    converted["response_mode"] = "detailed"
    for crew in CREWS:
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
            "spacecraft": spacecraft_230(vehicle["spacecraft"], detailed=False),
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
        "space_station_target": None if station is None else station_mini(station, "2.3.0"),
        "flight_vehicle_target": None,
        "payload_flight_target": None,
        "response_mode": "normal",
        "flight_vehicle_chaser": chaser,
        "space_station_chaser": None,
        "payload_flight_chaser": None,
    }


def station_id_of_event(event: JsonObject) -> int | None:
    embedded = event.get("spacestation") or (event.get("docking_location") or {}).get(
        "spacestation"
    )
    return embedded.get("id") if isinstance(embedded, dict) else None


# The catalog


# Launches (`launch/upcoming/`, 2.3.0 `launches/upcoming/`)

UPCOMING_CREW12_TBD = "2.2.0_launch_upcoming_detailed_crew12_tbd_day_precision.json"
UPCOMING_CREW12_GO = "2.2.0_launch_upcoming_detailed_crew12_go_before_slip.json"
UPCOMING_CREW12_SLIPPED = "2.2.0_launch_upcoming_detailed_crew12_go_after_1day_slip.json"
UPCOMING_CREW13_TBD = "2.2.0_launch_upcoming_detailed_crew13_tbd_month_precision.json"
UPCOMING_PAGE_NORMAL = "2.2.0_launch_upcoming_page_limit5_normal.json"

LaunchMode = Literal["list", "normal", "detailed"]

LAUNCH_STATUSES: dict[int, tuple[str, str]] = {
    1: ("Go for Launch", "Go"),
    2: ("To Be Determined", "TBD"),
    3: ("Launch Successful", "Success"),
    4: ("Launch Failure", "Failure"),
    5: ("On Hold", "Hold"),
    6: ("Launch in Flight", "In Flight"),
    7: ("Launch was a Partial Failure", "Partial Failure"),
    8: ("To Be Confirmed", "TBC"),
    9: ("Payload Deployed", "Deployed"),
}
"""LL2's launch statuses (`/config/launch_statuses/`); 9 exists only in 2.3.0, where 2.2.0
still shows 6 (In Flight)."""
NET_PRECISIONS: dict[int, tuple[str, str]] = {
    0: ("Second", "SEC"),
    1: ("Minute", "MIN"),
    2: ("Hour", "HR"),
    5: ("Day", "DAY"),
    7: ("Month", "M"),
}
"""The NET precisions seen in the recordings."""

_LAUNCH_LIST_KEYS = (
    "id",
    "url",
    "name",
    "slug",
    "launch_designator",
    "status",
    "last_updated",
    "net",
    "net_precision",
    "window_end",
    "window_start",
    "image",
    "infographic",
)
_LAUNCH_NORMAL_KEYS_220 = (
    *(key for key in _LAUNCH_LIST_KEYS if key != "launch_designator"),
    "probability",
    "weather_concerns",
    "holdreason",
    "failreason",
    "hashtag",
    "launch_service_provider",
    "rocket",
    "mission",
    "pad",
    "webcast_live",
    "program",
    "orbital_launch_attempt_count",
    "location_launch_attempt_count",
    "pad_launch_attempt_count",
    "agency_launch_attempt_count",
    "orbital_launch_attempt_count_year",
    "location_launch_attempt_count_year",
    "pad_launch_attempt_count_year",
    "agency_launch_attempt_count_year",
)
"""What `/2.2.0/launch/upcoming/` sends per launch in normal mode (the limit-5 recording)."""


def launch_status(status_id: int, version: str) -> JsonObject:
    """LL2's status object; 2.2.0 has no Payload Deployed and shows In Flight instead."""
    if version != "2.3.0" and status_id == 9:
        status_id = 6
    name, abbrev = LAUNCH_STATUSES[status_id]
    return {"id": status_id, "name": name, "abbrev": abbrev, "description": name}


def net_precision(precision_id: int) -> JsonObject:
    name, abbrev = NET_PRECISIONS[precision_id]
    return {"id": precision_id, "name": name, "abbrev": abbrev, "description": name}


def _stage_230(stage: JsonObject) -> JsonObject:
    """A 2.2.0 `spacecraft_stage` (one spacecraft flight) as 2.3.0's list item
    (`SpacecraftFlightDetailedSerializerNoLaunch`)."""
    return {
        "id": stage["id"],
        "url": api_url("2.3.0", "spacecraft/flight", stage["id"]),
        "destination": stage.get("destination"),
        "mission_end": stage.get("mission_end"),
        "spacecraft": spacecraft_230(stage["spacecraft"], detailed=True),
        "landing": _landing_230(stage.get("landing")),
        "duration": None,
        "turn_around_time": None,
        "response_mode": "detailed",
        **{crew: [_crew_member_230(m, None) for m in stage.get(crew) or []] for crew in CREWS},
        "docking_events": [],
    }


def _video_230(video: JsonObject) -> JsonObject:
    return {**copy.deepcopy(video), "live": bool(video.get("live", False))}


def upcoming_launch(launch: JsonObject, version: str, mode: LaunchMode) -> JsonObject:
    """A launch in the recorded 2.2.0 detailed shape as `launch/upcoming/` of `version`
    sends it in `mode`: `list` has status, NET, precision and window; `normal` adds the
    provider, rocket (id and configuration only), mission, pad, probability, weather and
    `webcast_live`; `detailed` adds `vidURLs` (2.3.0 `vid_urls`), updates, timeline and
    `rocket.spacecraft_stage` (2.2.0 one object or null, 2.3.0 a list)."""
    if version != "2.3.0" and (launch.get("status") or {}).get("id") == 9:
        launch = {**launch, "status": launch_status(9, version)}
    rocket = launch.get("rocket") or {}
    stage = rocket.get("spacecraft_stage")
    if version != "2.3.0":
        if mode == "list":
            return {key: copy.deepcopy(launch.get(key)) for key in _LAUNCH_LIST_KEYS}
        if mode == "normal":
            normal = {key: copy.deepcopy(launch.get(key)) for key in _LAUNCH_NORMAL_KEYS_220}
            normal["rocket"] = {k: copy.deepcopy(rocket.get(k)) for k in ("id", "configuration")}
            return {**normal, "type": "normal"}
        detailed = copy.deepcopy(launch)
        detailed["rocket"] = {**copy.deepcopy(rocket), "spacecraft_stage": copy.deepcopy(stage)}
        detailed.setdefault("vidURLs", [])
        return {**detailed, "type": "detailed"}
    converted = _launch_230(launch)
    if mode == "list":
        return {
            **{key: converted.get(key) for key in _LAUNCH_LIST_KEYS},
            "response_mode": "list",
        }
    if mode == "normal":
        return converted
    converted["response_mode"] = "detailed"
    converted["flightclub_url"] = launch.get("flightclub_url")
    converted["updates"] = copy.deepcopy(launch.get("updates") or [])
    converted["info_urls"] = copy.deepcopy(launch.get("infoURLs") or [])
    converted["vid_urls"] = [_video_230(video) for video in launch.get("vidURLs") or []]
    converted["timeline"] = copy.deepcopy(launch.get("timeline") or [])
    converted["pad_turnaround"] = launch.get("pad_turnaround")
    converted["mission_patches"] = []
    converted["rocket"] = {
        **converted["rocket"],
        "launcher_stage": [],
        "spacecraft_stage": [] if stage is None else [_stage_230(stage)],
        "payloads": [],
    }
    return converted
