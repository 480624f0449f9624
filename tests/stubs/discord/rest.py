"""A REST request as the stand-in's handlers see it, and Discord's error answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

JSON = dict[str, Any]


class FormErrors:
    """Collects errors in Discord's nested `errors` shape (`{"0": {"name": {"_errors": []}}}`)."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def __bool__(self) -> bool:
        return bool(self.tree)

    def add(self, path: Sequence[str | int], code: str, message: str) -> None:
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def body(self) -> JSON:
        return {"message": "Invalid Form Body", "code": 50035, "errors": self.tree}


Path = tuple[str | int, ...]


class DiscordError(Exception):
    def __init__(self, status: int, message: str, code: int, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: JSON = {"message": message, "code": code, **extra}

    @classmethod
    def form(cls, errors: FormErrors) -> DiscordError:
        body = errors.body()
        return cls(400, body["message"], body["code"], errors=body["errors"])


UNKNOWN_CHANNEL: Final = (404, "Unknown Channel", 10003)
UNKNOWN_GUILD: Final = (404, "Unknown Guild", 10004)
UNKNOWN_MESSAGE: Final = (404, "Unknown Message", 10008)
UNKNOWN_SCHEDULED_EVENT: Final = (404, "Unknown Guild Scheduled Event", 10070)
UNKNOWN_WEBHOOK: Final = (404, "Unknown Webhook", 10015)
UNKNOWN_INTERACTION: Final = (404, "Unknown interaction", 10062)
MISSING_ACCESS: Final = (403, "Missing Access", 50001)
MISSING_PERMISSIONS: Final = (403, "Missing Permissions", 50013)
NOT_AUTHOR: Final = (403, "Cannot edit a message authored by another user", 50005)
MAX_SCHEDULED_EVENTS: Final = (
    400,
    "Maximum number of uncompleted guild scheduled events reached (100)",
    30038,
)
FINISHED_EVENT: Final = (400, "Cannot update a finished event", 180000)
EMPTY_MESSAGE: Final = (400, "Cannot send an empty message", 50006)
ALREADY_ACKNOWLEDGED: Final = (400, "Interaction has already been acknowledged.", 40060)
INVALID_WEBHOOK_TOKEN: Final = (401, "Invalid Webhook Token", 50027)
UNAUTHORIZED: Final = (401, "401: Unauthorized", 0)
TOO_LARGE: Final = (413, "Request entity too large", 40005)
INVALID_JSON: Final = (400, "The request body contains invalid JSON.", 50109)
MAX_FOLLOWUPS: Final = (
    400,
    "This interaction has hit the maximum number of follow up messages",
    40094,
)


@dataclass(frozen=True)
class File:
    filename: str
    size: int
    content_type: str
    part: str = ""
    """The multipart field it came in (`files[0]`)."""
    data: bytes = field(default=b"", repr=False)


@dataclass
@dataclass
class Request:
    method: str
    path: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    files: list[File]
    received: float

    def param(self, name: str) -> int:
        return self._snowflake(name, self.params[name])

    def query_int(self, name: str, default: int) -> int:
        value = self.query.get(name)
        return default if value is None else self._snowflake(name, value)

    @staticmethod
    def _snowflake(name: str, value: str) -> int:
        try:
            return int(value)
        except ValueError:
            errors = FormErrors()
            errors.add((name,), "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
            raise DiscordError.form(errors) from None

    @property
    def json(self) -> JSON:
        return self.body if isinstance(self.body, dict) else {}


Reply = tuple[int, Any]
Handler = Callable[[Request], Awaitable[Reply]]
