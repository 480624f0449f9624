"""Pydantic models for the parts of Launch Library 2 that Capcom uses.

One set of models reads both API versions. LL2 2.3.0 renamed and reshaped a few
fields (image objects instead of URL strings, nationality as country objects,
`landing_location` instead of `location`, docking events with chaser/target); a
`mode="before"` validator on each affected model folds the 2.3.0 shape into the
2.2.0 one, so the rest of the code sees a single shape.

Every field is optional with a default unless LL2 always sends it (`id`, a crew
member's `astronaut`), unknown keys are ignored, durations become `timedelta` and
times aware UTC datetimes. Values of the wrong kind degrade instead of failing the
whole response: unreadable times, dates and durations become None, a null list an
empty one, a null name an empty string, a number where text is expected its text,
and a plain string where a `{id, name}` object is expected that object's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

T = TypeVar("T")

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value: object) -> timedelta | None:
    """Read an ISO 8601 duration (`P333DT11H32S`, `PT9H56M59S`, `P0D`).

    Years and months are counted as 365 and 30 days: LL2 does not use them, and
    a duration is a length of time, not a calendar span. A number is seconds.
    Anything unreadable, or too long for a `timedelta`, is None.
    """
    if value is None or isinstance(value, timedelta):
        return value
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return timedelta(seconds=value)
        if not isinstance(value, str):
            return None
        match = _DURATION.match(value.strip())
        if match is None or value.strip() in ("P", "PT", "-P"):
            return None
        parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
        delta = timedelta(
            days=parts.get("years", 0) * 365
            + parts.get("months", 0) * 30
            + parts.get("weeks", 0) * 7
            + parts.get("days", 0),
            hours=parts.get("hours", 0),
            minutes=parts.get("minutes", 0),
            seconds=parts.get("seconds", 0),
        )
    except (OverflowError, ValueError):
        return None
    return -delta if match.group("sign") else delta


def _utc(value: object) -> datetime | None:
    """Read LL2 times (`2009-05-27T10:34:53Z`) as aware UTC; naive ones are UTC.

    Anything else, and times that fall outside `datetime`'s range once moved to
    UTC (`0001-01-01T00:00:00+01:00`), is None.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return None


def _date(value: object) -> date | None:
    """Read a calendar date (`1971-08-09`, or the date part of a time); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _text(value: object) -> object:
    """Text as LL2 sends it; empty strings mean 'not set' (`"info_link": ""`).

    Every line break becomes a plain LF: LL2 bios carry Windows CR LF breaks, and a
    stray CR must not reach users. Numbers pass (the models turn them into their
    text); other non-text is None.
    """
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _name(value: object) -> object:
    """A name LL2 always sends, so a missing one reads as empty rather than failing."""
    text = _text(value)
    return "" if text is None else text


def _list(value: object) -> object:
    """LL2 lists may come as null; anything that is not a list reads as empty."""
    return value if isinstance(value, list) else []


Duration = Annotated[timedelta | None, BeforeValidator(parse_duration)]
UtcDatetime = Annotated[datetime | None, BeforeValidator(_utc)]
OptionalDate = Annotated[date | None, BeforeValidator(_date)]
Text = Annotated[str | None, BeforeValidator(_text)]
Name = Annotated[str, BeforeValidator(_name)]
ListOf = Annotated[list[T], BeforeValidator(_list)]


def _image_url(data: dict[str, Any], target: str, *sources: str) -> None:
    """Fold a 2.3.0 `image` object (or a URL string) into the 2.2.0 URL field `target`."""
    if data.get(target):
        return
    for source in sources:
        value = data.get(source)
        if isinstance(value, dict):
            data[target] = value.get("image_url")
            data.setdefault(f"{target}_thumbnail", value.get("thumbnail_url"))
            return
        if isinstance(value, str) and value:
            data[target] = value
            return


def _named(value: object) -> object:
    """2.3.0 sends `{id, name}` objects where 2.2.0 sent plain names."""
    if isinstance(value, dict):
        return value.get("name")
    return value


def _country_codes(value: object) -> str | None:
    """2.3.0 `country` (one country object or a list) as 2.2.0's `country_code`.

    Several countries are joined with commas, the way 2.2.0 writes multinational
    agencies (`"BEL,FRA,..."`).
    """
    countries = value if isinstance(value, list) else [value]
    codes = [
        country["alpha_3_code"].strip()
        for country in countries
        if isinstance(country, dict)
        and isinstance(country.get("alpha_3_code"), str)
        and country["alpha_3_code"].strip()
    ]
    return ",".join(codes) or None


NameText = Annotated[str | None, BeforeValidator(lambda v: _text(_named(v)))]


class LL2Model(BaseModel):
    model_config = ConfigDict(
        extra="ignore", frozen=True, populate_by_name=True, coerce_numbers_to_str=True
    )


class _ImageFromObject(LL2Model):
    """2.3.0 sends an `image` object where 2.2.0 sent an `image_url` string."""

    @model_validator(mode="before")
    @classmethod
    def _fold_image(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            _image_url(data, "image_url", "image")
        return data


class _CountryCodeFromCountries(LL2Model):
    """2.3.0 sends `country` objects where 2.2.0 sent a `country_code` string."""

    @model_validator(mode="before")
    @classmethod
    def _fold_country(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("country_code") and data.get("country"):
            data = {**data, "country_code": _country_codes(data["country"])}
        return data


class Named(LL2Model):
    """The many `{id, name}` lookups: statuses, types, orbits (a plain string is the name)."""

    id: int | None = None
    name: Text = None
    abbrev: Text = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"name": data}
        return data


class Country(LL2Model):
    id: int | None = None
    name: Text = None
    alpha_2_code: Text = None
    alpha_3_code: Text = None
    nationality_name: Text = None


class Agency(_CountryCodeFromCountries):
    id: int | None = None
    name: Text = None
    abbrev: Text = None
    type: NameText = None
    country_code: Text = None


class SpacecraftConfig(_ImageFromObject):
    id: int | None = None
    name: Text = None
    type: Named | None = None
    agency: Agency | None = None
    image_url: Text = None
    wiki_link: Text = None
    info_link: Text = None
    crew_capacity: int | None = None
    human_rated: bool | None = None


class Spacecraft(_ImageFromObject):
    id: int
    url: Text = None
    name: Name = ""
    serial_number: Text = None
    is_placeholder: bool | None = None
    in_space: bool | None = None
    time_in_space: Duration = None
    time_docked: Duration = None
    flights_count: int | None = None
    status: Named | None = None
    description: Text = None
    spacecraft_config: SpacecraftConfig | None = None
    image_url: Text = None


def _nationalities(value: object) -> list[str]:
    """2.2.0 `"Russian"` (or `"American, Russian"`), 2.3.0 a list of country objects.

    A country counts by its `nationality_name`, else its `name`; blanks are skipped, and
    line breaks read as in any other text (`_text`).
    """
    if isinstance(value, str):
        names = value.split(",")
    elif isinstance(value, list):
        names = [
            next(
                (
                    text
                    for text in (country.get("nationality_name"), country.get("name"))
                    if isinstance(text, str) and text.strip()
                ),
                "",
            )
            for country in value
            if isinstance(country, dict)
        ]
    else:
        return []
    texts = (_text(name) for name in names)
    return [text.strip() for text in texts if isinstance(text, str)]


class AstronautFlightRef(LL2Model):
    """A launch in an astronaut's `flights` list (2.2.0 and 2.3.0 send launches)."""

    id: str | int
    name: Text = None
    net: UtcDatetime = None


class FlightRef(LL2Model):
    """A spacecraft flight embedded in another object (an astronaut's `landings`, a
    docking event's chaser): never with crew."""

    id: int
    mission_end: UtcDatetime = None
    destination: Text = None
    spacecraft: Spacecraft | None = None


SAME_LAUNCH_SECONDS = 600.0
"""An astronaut's `last_flight` names the launch that took them up by its time only.
Crewed launches are days apart, so two times within ten minutes are one launch, and
the margin absorbs a launch time LL2 revised on the flight but not (yet) on its crew."""


def same_launch(first: float, second: float) -> bool:
    """Whether two UNIX times are those of one launch (`SAME_LAUNCH_SECONDS`)."""
    return abs(first - second) <= SAME_LAUNCH_SECONDS


class Astronaut(LL2Model):
    """An astronaut, list or detail shape; `flights`/`landings` only in the detail."""

    id: int
    url: Text = None
    name: Name = ""
    status: Named | None = None
    type: Named | None = None
    agency: Agency | None = None
    in_space: bool | None = None
    time_in_space: Duration = None
    eva_time: Duration = None
    date_of_birth: OptionalDate = None
    date_of_death: OptionalDate = None
    nationalities: ListOf[str] = Field(default_factory=list)
    bio: Text = None
    wiki: Text = None
    profile_image: Text = None
    profile_image_thumbnail: Text = None
    first_flight: UtcDatetime = None
    last_flight: UtcDatetime = None
    flights_count: int | None = None
    landings_count: int | None = None
    flights: ListOf[AstronautFlightRef] = Field(default_factory=list)
    landings: ListOf[FlightRef] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _fold_230(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        _image_url(data, "profile_image", "image")
        if "nationalities" not in data:
            data["nationalities"] = _nationalities(data.get("nationality"))
        return data

    @property
    def flight_count(self) -> int | None:
        if self.flights_count is not None:
            return self.flights_count
        return len(self.flights) or None

    @property
    def nationality(self) -> str | None:
        return ", ".join(self.nationalities) or None


class CrewRole(LL2Model):
    """A crew member's role; a plain string is the role's name."""

    id: int | None = None
    role: Text = None
    priority: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"role": data}
        return data


class CrewMember(LL2Model):
    id: int | None = None
    role: CrewRole | None = None
    astronaut: Astronaut


class Location(_CountryCodeFromCountries):
    id: int | None = None
    name: Text = None
    country_code: Text = None


class Pad(LL2Model):
    id: int | None = None
    name: Text = None
    wiki_url: Text = None
    map_url: Text = None
    location: Location | None = None


class LauncherConfig(LL2Model):
    id: int | None = None
    name: Text = None
    full_name: Text = None


class Rocket(LL2Model):
    id: int | None = None
    configuration: LauncherConfig | None = None

    @property
    def name(self) -> str | None:
        if self.configuration is None:
            return None
        return self.configuration.full_name or self.configuration.name


class Mission(LL2Model):
    id: int | None = None
    name: Text = None
    description: Text = None
    type: NameText = None
    orbit: Named | None = None


class Launch(LL2Model):
    id: str
    url: Text = None
    name: Text = None
    net: UtcDatetime = None
    net_precision: Named | None = None
    status: Named | None = None
    launch_service_provider: Agency | None = None
    rocket: Rocket | None = None
    mission: Mission | None = None
    pad: Pad | None = None
    image: Text = None

    @model_validator(mode="before")
    @classmethod
    def _fold_230(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("image"), dict):
            data = {**data, "image": data["image"].get("image_url")}
        return data


class Landing(LL2Model):
    id: int | None = None
    attempt: bool | None = None
    success: bool | None = None
    description: Text = None
    location: Named | None = None
    type: Named | None = None

    @model_validator(mode="before")
    @classmethod
    def _fold_230(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("location") and data.get("landing_location"):
            data = {**data, "location": data["landing_location"]}
        return data


class SpaceStation(_ImageFromObject):
    id: int
    url: Text = None
    name: Name = ""
    status: Named | None = None
    orbit: NameText = None
    founded: OptionalDate = None
    description: Text = None
    image_url: Text = None


class DockingLocation(LL2Model):
    id: int | None = None
    name: Text = None


class DockingEvent(LL2Model):
    """A docking: 2.2.0 `spacestation`, 2.3.0 `space_station_target`.

    `flight_vehicle` is the chaser (2.2.0 `flight_vehicle`, 2.3.0
    `flight_vehicle_chaser`).
    """

    id: int
    docking: UtcDatetime = None
    departure: UtcDatetime = None
    spacestation: SpaceStation | None = None
    docking_location: DockingLocation | None = None
    flight_vehicle: FlightRef | None = None

    @model_validator(mode="before")
    @classmethod
    def _fold_230(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if not data.get("spacestation"):
            data["spacestation"] = data.get("space_station_target") or (
                (data.get("docking_location") or {}).get("spacestation")
                if isinstance(data.get("docking_location"), dict)
                else None
            )
        if not data.get("flight_vehicle") and isinstance(data.get("flight_vehicle_chaser"), dict):
            data["flight_vehicle"] = data["flight_vehicle_chaser"]
        return data


class SpacecraftFlightSummary(LL2Model):
    """A spacecraft flight as list endpoints send it: no crew, no docking events."""

    id: int
    url: Text = None
    destination: Text = None
    mission_end: UtcDatetime = None
    spacecraft: Spacecraft | None = None
    launch: Launch | None = None
    landing: Landing | None = None
    duration: Duration = None

    @property
    def name(self) -> str | None:
        """The spacecraft's name, else the launch's; None when LL2 gives neither (each
        reply then names the flight by its id, in the reader's language)."""
        if self.spacecraft is not None and self.spacecraft.name:
            return self.spacecraft.name
        if self.launch is not None and self.launch.name:
            return self.launch.name
        return None

    @property
    def launched_at(self) -> datetime | None:
        return self.launch.net if self.launch is not None else None

    @property
    def mission_duration(self) -> timedelta | None:
        """LL2's `duration` (2.3.0), else mission end minus launch."""
        if self.duration is not None:
            return self.duration
        if self.mission_end is not None and self.launched_at is not None:
            return self.mission_end - self.launched_at
        return None

    def has_ended(self, now: datetime) -> bool:
        return self.mission_end is not None and self.mission_end <= now

    def has_launched(self, now: datetime) -> bool:
        return self.launched_at is not None and self.launched_at <= now

    def _is_back(self, now: datetime) -> bool:
        """The one rule for a flight being over: its mission ended, its landing's outcome
        is known, or LL2 marks its spacecraft as no longer in space."""
        if self.has_ended(now):
            return True
        if self.landing is not None and self.landing.success is not None:
            return True
        return self.spacecraft is not None and self.spacecraft.in_space is False

    def is_in_space(self, now: datetime) -> bool:
        """Launched and not back: `/inspace`, `/flight`, the index and the alerts agree."""
        return self.has_launched(now) and not self._is_back(now)

    def has_landed(self, now: datetime) -> bool:
        """Launched and back (a flight not yet launched has neither flown nor landed)."""
        return self.has_launched(now) and self._is_back(now)


class SpacecraftFlight(SpacecraftFlightSummary):
    """A spacecraft flight in detail: crews by phase and docking events."""

    launch_crew: ListOf[CrewMember] = Field(default_factory=list)
    onboard_crew: ListOf[CrewMember] = Field(default_factory=list)
    landing_crew: ListOf[CrewMember] = Field(default_factory=list)
    docking_events: ListOf[DockingEvent] = Field(default_factory=list)

    @property
    def crew(self) -> list[Astronaut]:
        """Every astronaut of the flight once, launch crew first."""
        members = (*self.launch_crew, *self.onboard_crew, *self.landing_crew)
        return [member.astronaut for member in each_astronaut_once(members)]


def each_astronaut_once(members: Iterable[CrewMember]) -> list[CrewMember]:
    """Each astronaut once, where LL2 first lists them."""
    seen: dict[int, CrewMember] = {}
    for member in members:
        seen.setdefault(member.astronaut.id, member)
    return list(seen.values())


class SpacecraftInSpace(Spacecraft):
    """A spacecraft as LL2 2.3.0 lists it with `mode=detailed`: with its flights."""

    flights: ListOf[SpacecraftFlightSummary] = Field(default_factory=list)

    def open_flights(self, now: datetime) -> list[SpacecraftFlightSummary]:
        """Its flights in space: one, for a craft that is really up."""
        return [flight for flight in self.flights if flight.is_in_space(now)]


M = TypeVar("M", bound=BaseModel)


class Page(LL2Model, Generic[M]):
    """A list page. `results` must be there: an object without it is not a page
    (LL2 answering something else must not read as an empty list)."""

    count: Annotated[int, BeforeValidator(lambda v: 0 if v is None else v)] = 0
    next: Text = None
    previous: Text = None
    results: ListOf[M]
