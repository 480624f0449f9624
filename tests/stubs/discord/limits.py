"""Discord's message limits as the stand-in enforces them: embeds, components, mentions,
autocomplete choices and modals. Plain data in, errors out: one walk over the payload.
Limits follow Discord's API documentation (`resources/message`, `interactions/*`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from tests.stubs.discord.rest import FormErrors, Path

JSON = dict[str, Any]

MESSAGE_FLAG_EPHEMERAL: Final = 1 << 6
MESSAGE_FLAG_LOADING: Final = 1 << 7
MESSAGE_FLAG_COMPONENTS_V2: Final = 1 << 15


def _max_length(errors: FormErrors, path: Path, value: object, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _required_text(errors: FormErrors, path: Path, value: object, limit: int) -> None:
    if not isinstance(value, str) or not value:
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
    else:
        _max_length(errors, path, value, limit)


def is_http_url(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _url(errors: FormErrors, path: Path, value: object, *, attachment_ok: bool) -> None:
    if attachment_ok and isinstance(value, str) and value.startswith("attachment://"):
        return
    if not is_http_url(value):
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")


def check_embed(embed: object, errors: FormErrors, path: Path) -> int:
    """Checks one embed; returns its size in characters as Discord counts it for the 6000 cap."""
    if not isinstance(embed, Mapping):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return 0
    size = 0
    title = embed.get("title")
    if title is not None:
        _max_length(errors, (*path, "title"), title, 256)
        size += len(str(title))
    description = embed.get("description")
    if description is not None:
        _max_length(errors, (*path, "description"), description, 4096)
        size += len(str(description))
    if "url" in embed and embed["url"] is not None:
        _url(errors, (*path, "url"), embed["url"], attachment_ok=False)
    color = embed.get("color")
    if color is not None and (not isinstance(color, int) or not 0 <= color <= 0xFFFFFF):
        errors.add((*path, "color"), "NUMBER_TYPE_MAX", "int value should be <= 16777215.")
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if isinstance(media, Mapping):
            _url(errors, (*path, key, "url"), media.get("url"), attachment_ok=True)
    footer = embed.get("footer")
    if isinstance(footer, Mapping):
        _required_text(errors, (*path, "footer", "text"), footer.get("text"), 2048)
        size += len(str(footer.get("text") or ""))
        if footer.get("icon_url") is not None:
            _url(errors, (*path, "footer", "icon_url"), footer["icon_url"], attachment_ok=True)
    author = embed.get("author")
    if isinstance(author, Mapping):
        _required_text(errors, (*path, "author", "name"), author.get("name"), 256)
        size += len(str(author.get("name") or ""))
        if author.get("url") is not None:
            _url(errors, (*path, "author", "url"), author["url"], attachment_ok=False)
        if author.get("icon_url") is not None:
            _url(errors, (*path, "author", "icon_url"), author["icon_url"], attachment_ok=True)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors.add((*path, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for index, field in enumerate(fields):
        fpath = (*path, "fields", index)
        if not isinstance(field, Mapping):
            errors.add(fpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        _required_text(errors, (*fpath, "name"), field.get("name"), 256)
        _required_text(errors, (*fpath, "value"), field.get("value"), 1024)
        size += len(str(field.get("name") or "")) + len(str(field.get("value") or ""))
    return size


_BUTTON: Final = 2
_SELECTS: Final = frozenset({3, 5, 6, 7, 8})


def _check_custom_id(
    errors: FormErrors, path: Path, component: Mapping[str, Any], seen: set[str]
) -> None:
    custom_id = component.get("custom_id")
    _required_text(errors, (*path, "custom_id"), custom_id, 100)
    if isinstance(custom_id, str) and custom_id:
        if custom_id in seen:
            errors.add(
                (*path, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)


def _check_button(
    errors: FormErrors, path: Path, button: Mapping[str, Any], seen: set[str]
) -> None:
    _max_length(errors, (*path, "label"), button.get("label"), 80)
    style = button.get("style")
    if style == 5:
        _url(errors, (*path, "url"), button.get("url"), attachment_ok=False)
        if "custom_id" in button:
            errors.add((*path, "custom_id"), "BUTTON_COMPONENT_INVALID", "Link buttons have no id")
    elif style == 6:
        if "sku_id" not in button:
            errors.add((*path, "sku_id"), "BASE_TYPE_REQUIRED", "This field is required")
    elif style in (1, 2, 3, 4):
        _check_custom_id(errors, path, button, seen)
    else:
        errors.add(
            (*path, "style"), "BASE_TYPE_CHOICES", f"Value must be one of (1..6), not {style}"
        )


def _check_select(
    errors: FormErrors, path: Path, select: Mapping[str, Any], seen: set[str]
) -> None:
    _check_custom_id(errors, path, select, seen)
    _max_length(errors, (*path, "placeholder"), select.get("placeholder"), 150)
    min_values = select.get("min_values", 1)
    max_values = select.get("max_values", 1)
    if not isinstance(min_values, int) or not 0 <= min_values <= 25:
        errors.add((*path, "min_values"), "NUMBER_TYPE_MAX", "int value should be <= 25.")
    if not isinstance(max_values, int) or not 1 <= max_values <= 25:
        errors.add((*path, "max_values"), "NUMBER_TYPE_MAX", "int value should be <= 25.")
    if select.get("type") != 3:
        return
    options = select.get("options") or []
    if not 1 <= len(options) <= 25:
        errors.add(
            (*path, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
        )
    values: set[str] = set()
    for index, option in enumerate(options):
        opath = (*path, "options", index)
        _required_text(errors, (*opath, "label"), option.get("label"), 100)
        _required_text(errors, (*opath, "value"), option.get("value"), 100)
        _max_length(errors, (*opath, "description"), option.get("description"), 100)
        value = option.get("value")
        if isinstance(value, str):
            if value in values:
                errors.add(
                    (*opath, "value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Select option values must be unique",
                )
            values.add(value)
    if isinstance(max_values, int) and options and max_values > len(options):
        errors.add(
            (*path, "max_values"),
            "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
            "max_values cannot exceed the number of options",
        )


def _check_row(errors: FormErrors, path: Path, row: object, seen: set[str]) -> None:
    if not isinstance(row, Mapping) or row.get("type") != 1:
        errors.add(path, "UNION_TYPE_CHOICES", 'Value of field "type" must be 1 (action row).')
        return
    children = row.get("components") or []
    if not 1 <= len(children) <= 5:
        errors.add(
            (*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    has_select = any(isinstance(c, Mapping) and c.get("type") in _SELECTS for c in children)
    if has_select and len(children) > 1:
        errors.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for index, child in enumerate(children):
        cpath = (*path, "components", index)
        ctype = child.get("type") if isinstance(child, Mapping) else None
        if ctype == _BUTTON:
            _check_button(errors, cpath, child, seen)
        elif ctype in _SELECTS:
            _check_select(errors, cpath, child, seen)
        else:
            errors.add(cpath, "UNION_TYPE_CHOICES", f"Component type {ctype} is not allowed here")


def _walk_v2(errors: FormErrors, path: Path, components: Sequence[Any], seen: set[str]) -> int:
    """Checks a components-v2 tree; returns how many components it holds."""
    count = 0
    for index, component in enumerate(components):
        cpath = (*path, index)
        if not isinstance(component, Mapping):
            errors.add(cpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        count += 1
        ctype = component.get("type")
        nested = component.get("components")
        if ctype == 1:
            _check_row(errors, cpath, component, seen)
            count += len(nested or [])
        else:
            if ctype == _BUTTON:
                _check_button(errors, cpath, component, seen)
            elif ctype in _SELECTS:
                _check_select(errors, cpath, component, seen)
            if isinstance(nested, list):
                count += _walk_v2(errors, (*cpath, "components"), nested, seen)
        accessory = component.get("accessory")
        if isinstance(accessory, Mapping):
            count += 1
            if accessory.get("type") == _BUTTON:
                _check_button(errors, (*cpath, "accessory"), accessory, seen)
    return count


def check_components(
    components: object, errors: FormErrors, path: Path, *, components_v2: bool
) -> None:
    if not isinstance(components, list):
        errors.add(path, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        return
    seen: set[str] = set()
    if components_v2:
        if _walk_v2(errors, path, components, seen) > 40:
            errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
        return
    if len(components) > 5:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for index, row in enumerate(components):
        _check_row(errors, (*path, index), row, seen)


def check_allowed_mentions(value: object, errors: FormErrors, path: Path) -> None:
    if not isinstance(value, Mapping):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = value.get("parse") or []
    for index, kind in enumerate(parse):
        if kind not in ("users", "roles", "everyone"):
            errors.add((*path, "parse", index), "BASE_TYPE_CHOICES", "Value must be one of {...}")
    for kind in ("users", "roles"):
        ids = value.get(kind) or []
        if ids and kind in parse:
            errors.add(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        if len(ids) > 100:
            errors.add((*path, kind), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")


def check_message(payload: Mapping[str, Any], errors: FormErrors, path: Path = ()) -> None:
    """Checks the parts of a message body (create or edit) that Discord limits."""
    flags = payload.get("flags") or 0
    components_v2 = bool(flags & MESSAGE_FLAG_COMPONENTS_V2)
    content = payload.get("content")
    if content is not None:
        if not isinstance(content, str):
            errors.add((*path, "content"), "STRING_TYPE_CONVERT", "Could not interpret as string.")
        elif components_v2 and content:
            errors.add(
                (*path, "content"),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        else:
            _max_length(errors, (*path, "content"), content, 2000)
    embeds = payload.get("embeds")
    if embeds is not None:
        if not isinstance(embeds, list):
            errors.add((*path, "embeds"), "LIST_TYPE_CONVERT", "Only iterables may be used")
        else:
            if components_v2 and embeds:
                errors.add(
                    (*path, "embeds"),
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
                )
            if len(embeds) > 10:
                errors.add(
                    (*path, "embeds"), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."
                )
            total = sum(
                check_embed(embed, errors, (*path, "embeds", i)) for i, embed in enumerate(embeds)
            )
            if total > 6000:
                errors.add(
                    (*path, "embeds"),
                    "MAX_EMBED_SIZE_EXCEEDED",
                    "Embed size exceeds maximum size of 6000",
                )
    components = payload.get("components")
    if components is not None:
        check_components(components, errors, (*path, "components"), components_v2=components_v2)
    allowed = payload.get("allowed_mentions")
    if allowed is not None:
        check_allowed_mentions(allowed, errors, (*path, "allowed_mentions"))


def is_empty_message(message: Mapping[str, Any]) -> bool:
    """Whether a (merged) message would show nothing — Discord answers 50006 for those."""
    return not (
        message.get("content")
        or message.get("embeds")
        or message.get("attachments")
        or message.get("components")
        or message.get("sticker_ids")
        or message.get("poll")
    )


def check_autocomplete(data: object, errors: FormErrors, path: Path) -> None:
    choices = data.get("choices") if isinstance(data, Mapping) else None
    if not isinstance(choices, list):
        errors.add((*path, "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        return
    if len(choices) > 25:
        errors.add((*path, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for index, choice in enumerate(choices):
        cpath = (*path, "choices", index)
        if not isinstance(choice, Mapping):
            errors.add(cpath, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        name = choice.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            errors.add(
                (*cpath, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        value = choice.get("value")
        if isinstance(value, str):
            _max_length(errors, (*cpath, "value"), value, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            errors.add((*cpath, "value"), "BASE_TYPE_REQUIRED", "This field is required")


def check_modal(data: object, errors: FormErrors, path: Path) -> None:
    if not isinstance(data, Mapping):
        errors.add(path, "BASE_TYPE_REQUIRED", "This field is required")
        return
    _required_text(errors, (*path, "custom_id"), data.get("custom_id"), 100)
    _required_text(errors, (*path, "title"), data.get("title"), 45)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errors.add(
            (*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
