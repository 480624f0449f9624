"""Hypothesis strategies for LL2 2.3.0 objects, generated from LL2's OpenAPI schema.

`json_schema(name)` turns one `components.schemas` entry into a self-contained JSON
schema:

- `$ref`s are inlined. LL2's schemas are deep rather than recursive (a detailed
  flight reaches 64 component schemas), so below `FULL_DEPTH` levels of `$ref` an
  object keeps only its required properties and its arrays stay empty: every drawn
  object is still valid against the real schema, just smaller.
- OpenAPI `nullable: true` becomes a union with `{"type": "null"}`; the
  `allOf: [{$ref}]` wrapper OpenAPI uses to make a reference nullable is unwrapped.
- A `oneOf` with a `discriminator` (the polymorphic list results) becomes an
  `anyOf` whose branches pin the discriminating property to their mapping key, the
  way LL2 picks the shape. A plain `oneOf` would reject every detailed object,
  since a detailed object is also a valid normal one.
- `format`s other than `date`, `date-time` and `uri` (`uuid`, `double`, `int64`)
  put no constraint on generation and are dropped; annotations (`readOnly`,
  `title`, `description`, `example`, `default`) are dropped.
- Arrays hold at most `MAX_ITEMS` items, again only to keep examples small.

`objects(name)` draws from that schema. hypothesis-jsonschema 0.23.1 cannot draw
objects with the Hypothesis this project uses (it calls the internal
`conjecture.utils.many(...).more()`, which Hypothesis 6.170 no longer has), so
`from_json_schema` covers the keywords the converted schemas use, and nothing else:
`type`, `properties`/`required`, `items`/`maxItems`, `anyOf`, `const`, `minimum`/
`maximum`, `maxLength`, `pattern` and the three kept formats. Any other keyword is
an error rather than silently ignored, and so is a `oneOf` without a discriminator.
Objects also get, now and then, a key the schema does not name (`unknown_...`: the
schema allows them; the models must ignore them).
"""

from __future__ import annotations

import json
import string
from datetime import datetime
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.paths import OPENAPI_SCHEMA

FULL_DEPTH = 3
MAX_ITEMS = 2
_UNKNOWN_KEY_PREFIX = "unknown_"

_KEPT_FORMATS = frozenset({"date", "date-time", "uri"})
_ANNOTATIONS = frozenset({"readOnly", "writeOnly", "title", "description", "example", "default"})
_REF_PREFIX = "#/components/schemas/"

JsonSchema = dict[str, Any]


@cache
def _components() -> dict[str, JsonSchema]:
    document = json.loads(OPENAPI_SCHEMA.read_text(encoding="utf-8"))
    schemas: dict[str, JsonSchema] = document["components"]["schemas"]
    return schemas


def _ref_name(ref: str) -> str:
    if not ref.startswith(_REF_PREFIX):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref.removeprefix(_REF_PREFIX)


def _convert(node: JsonSchema, depth: int) -> JsonSchema:
    """One OpenAPI schema node as plain JSON schema; `depth` counts inlined `$ref`s."""
    if "$ref" in node:
        return _convert(_components()[_ref_name(node["$ref"])], depth + 1)
    if node.get("nullable"):
        rest = {key: value for key, value in node.items() if key != "nullable"}
        return {"anyOf": [_convert(rest, depth), {"type": "null"}]}
    if "allOf" in node:
        (only,) = node["allOf"]
        if set(node) - _ANNOTATIONS != {"allOf"}:
            raise ValueError(f"cannot inline an allOf with constraints of its own: {node}")
        return _convert(only, depth)
    if "oneOf" in node:
        return _convert_one_of(node, depth)
    schema: JsonSchema = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or (key == "format" and value not in _KEPT_FORMATS):
            continue
        if key == "properties":
            required = set(node.get("required", ()))
            schema[key] = {
                name: _convert(prop, depth)
                for name, prop in value.items()
                if depth < FULL_DEPTH or name in required
            }
        elif key == "items":
            schema[key] = _convert(value, depth)
            schema["maxItems"] = MAX_ITEMS if depth < FULL_DEPTH else 0
        else:
            schema[key] = value
    return schema


def _convert_one_of(node: JsonSchema, depth: int) -> JsonSchema:
    if "discriminator" not in node:
        raise ValueError(f"cannot convert a oneOf without a discriminator: {node}")
    discriminator = node["discriminator"]
    prop = discriminator["propertyName"]
    branches = []
    for key, ref in discriminator["mapping"].items():
        branch = _convert({"$ref": ref}, depth)
        branch["properties"][prop] = {"const": key}
        branches.append(branch)
    return {"anyOf": branches}


def json_schema(name: str) -> JsonSchema:
    """The component schema `name` as a self-contained JSON schema."""
    return _convert({"$ref": _REF_PREFIX + name}, 0)


_UTC_OFFSET_MINUTES = 24 * 60 - 1
_DRAWN_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "items",
        "maxItems",
        "anyOf",
        "const",
        "minimum",
        "maximum",
        "maxLength",
        "pattern",
        "format",
    }
)


def _offset(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


_DATES = st.dates().map(lambda day: day.isoformat())
# A tenth of the times sit at the ends of `datetime`'s range, where an offset can
# push the UTC equivalent out of it (`0001-01-01T00:00:00+01:00`).
_MOMENTS = st.integers(0, 9).flatmap(
    lambda n: st.sampled_from((datetime.min, datetime.max)) if n == 0 else st.datetimes()
)
_DATE_TIMES = st.builds(
    lambda moment, minutes: moment.isoformat() + _offset(minutes),
    _MOMENTS,
    st.integers(-_UTC_OFFSET_MINUTES, _UTC_OFFSET_MINUTES),
)


def _iso_duration(
    days: int | None, hours: int | None, minutes: int | None, seconds: int | None
) -> str:
    time = "".join(
        f"{value}{unit}"
        for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
        if value is not None
    )
    return "P" + ("" if days is None else f"{days}D") + (f"T{time}" if time else "")


# Free text sometimes reads as an ISO 8601 duration, up to ones no `timedelta` holds:
# LL2 types its durations (`time_in_space`, `duration`, ...) as free text.
_DURATION_PART = st.none() | st.integers(0, 10**15)
_DURATION_LIKE = st.builds(
    _iso_duration, _DURATION_PART, _DURATION_PART, _DURATION_PART, _DURATION_PART
)
_URL_PARTS = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
_URIS = st.builds("https://{}.example.org/{}".format, _URL_PARTS, _URL_PARTS)
_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date": _DATES,
    "date-time": _DATE_TIMES,
    "uri": _URIS,
}
_JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=10)


def _string(schema: JsonSchema) -> st.SearchStrategy[str]:
    max_length: int | None = schema.get("maxLength")
    if "format" in schema:
        strategy = _FORMATS[schema["format"]]
        if max_length is not None:
            strategy = strategy.filter(lambda text: len(text) <= max_length)
        return strategy
    if "pattern" in schema:
        strategy = st.from_regex(str(schema["pattern"]))
        if max_length is not None:
            strategy = strategy.filter(lambda text: len(text) <= max_length)
        return strategy
    text = st.text(max_size=max_length if max_length is not None else 50)
    if max_length is None:
        return text | _DURATION_LIKE
    return text | _DURATION_LIKE.filter(lambda value: len(value) <= max_length)


def _object(schema: JsonSchema) -> st.SearchStrategy[dict[str, Any]]:
    properties = {
        name: from_json_schema(prop) for name, prop in schema.get("properties", {}).items()
    }
    required = set(schema.get("required", ()))
    known = st.fixed_dictionaries(
        {name: value for name, value in properties.items() if name in required},
        optional={name: value for name, value in properties.items() if name not in required},
    )
    unknown = st.dictionaries(
        st.text(max_size=8).map(_UNKNOWN_KEY_PREFIX.__add__), _JSON_LEAVES, max_size=1
    )
    return st.builds(lambda extra, named: {**extra, **named}, unknown, known)


def from_json_schema(schema: JsonSchema) -> st.SearchStrategy[Any]:
    """Values valid against `schema`, which uses only the keywords listed above."""
    unsupported = set(schema) - _DRAWN_KEYWORDS
    if unsupported:
        raise ValueError(f"cannot draw from a schema with {sorted(unsupported)}")
    if "const" in schema:
        return st.just(schema["const"])
    if "anyOf" in schema:
        return st.one_of([from_json_schema(branch) for branch in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema)
    if kind == "array":
        return st.lists(from_json_schema(schema["items"]), max_size=schema["maxItems"])
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        return st.floats(
            schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise ValueError(f"cannot draw from a schema of type {kind!r}")


@cache
def objects(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects valid against the 2.3.0 component schema `name`."""
    strategy: st.SearchStrategy[dict[str, Any]] = from_json_schema(json_schema(name))
    return strategy
