"""HTML forms → the same msgspec schemas the JSON API validates, with one error per field.

A browser form sends strings. We turn each declared field into the value the schema expects,
then validate field by field (msgspec stops at the first error; a person wants to see every
field that needs attention at once). Error texts are message ids, translated when rendered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_type_hints

import msgspec


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


Kind = Literal["text", "optional_text", "int", "optional_int", "bool"]
CHECK_FIELD = N_("Please check this field.")


@dataclass(frozen=True)
class FormField:
    """One input of a form: its name, how to read it, and what to say when it is wrong."""

    name: str
    kind: Kind = "text"
    message: str = CHECK_FIELD


def _read(field: FormField, raw: str | None) -> tuple[Any, bool]:
    """(value, ok). Checkboxes are absent when unticked; empty optional fields mean "none"."""
    if field.kind == "bool":
        return raw is not None and raw not in ("", "false", "0"), True
    text = (raw or "").strip()
    if field.kind == "optional_text":
        return (text or None), True
    if field.kind in ("int", "optional_int"):
        if not text:
            return None, field.kind == "optional_int"
        try:
            return int(text), True
        except ValueError:
            return None, False
    return text, True


def read_form(form: Mapping[str, Any], fields: Iterable[FormField]) -> tuple[dict[str, Any], dict[str, str]]:
    """The typed values of the declared fields, and errors for those that cannot be read."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        raw = form.get(field.name)
        value, ok = _read(field, raw if isinstance(raw, str) else None)
        if ok:
            values[field.name] = value
        else:
            errors[field.name] = field.message
    return values, errors


def validate(
    values: dict[str, Any], schema: type[msgspec.Struct], fields: Iterable[FormField], errors: dict[str, str]
) -> msgspec.Struct | None:
    """The schema instance, or None with `errors` filled per field (field by field, so every
    wrong field is reported, not only the first)."""
    by_name = {field.name: field for field in fields}
    hints = get_type_hints(schema, include_extras=True)
    for name, value in values.items():
        if name in errors:
            continue
        try:
            # Each value against its own annotated type (constraints included), so a field is
            # judged on its own and a missing neighbour is not blamed on it.
            msgspec.convert(value, hints[name])
        except msgspec.ValidationError:
            errors[name] = by_name[name].message if name in by_name else CHECK_FIELD
    if errors:
        return None
    try:
        return msgspec.convert(values, schema)
    except msgspec.ValidationError:
        # Only a rule across fields can fail here; no such rule exists in our schemas today.
        errors["__all__"] = CHECK_FIELD
        return None
