"""Generated astronauts and flights added to the fixture catalog (`Catalog.synthetic`):
names by nationality, crews that never fly two flights at once, dockings, landings."""

from __future__ import annotations

import copy
import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tests.stubs.ll2.catalog import Catalog, CatalogIndex
from tests.stubs.ll2.convert import (
    ASTRONAUT_LIST,
    FLIGHT_186,
    FLIGHT_219,
    ISS_ID,
    TIANGONG_ID,
    JsonObject,
    api_url,
    crew_astronaut,
    duration_seconds,
    iso_duration,
    iso_z,
    load_fixture,
    parse_time,
    station_embedded_220,
    station_mini,
)

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
    "Turkish": (1, 1022, "Alper|Tuva Cihangir|Şebnem", "Gezeravcı|Atasever|Yıldırım"),
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


class Generator:
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
        index = CatalogIndex.build(self.catalog)
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
        time_in_space = duration_seconds(spacecraft.get("time_in_space"))
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
            "spacestation": station_embedded_220(station),
            "docking": iso_z(docked),
            "departure": None if departure is None else iso_z(departure),
            "docking_location": {
                "id": port_id,
                "name": port_name,
                "spacestation": station_mini(station, "2.2.0"),
            },
        }
