"""A local stand-in for Launch Library 2: `server` (the aiohttp app: pagination, filters,
429s, faults, the control API; `python -m tests.stubs.ll2`), `catalog` (the data it serves),
`convert` (2.2.0 objects into what each version sends) and `synthetic` (generated flights
and astronauts)."""

from tests.stubs.ll2.catalog import Catalog
from tests.stubs.ll2.convert import VERSIONS, iso_duration
from tests.stubs.ll2.server import Fault, LL2Stub, RequestRecord, throttled_detail

__all__ = [
    "VERSIONS",
    "Catalog",
    "Fault",
    "LL2Stub",
    "RequestRecord",
    "iso_duration",
    "throttled_detail",
]
