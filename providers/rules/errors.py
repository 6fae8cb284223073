"""The one error type of the rule data, and the shared field check."""

from __future__ import annotations

from typing import Any


class RuleDataError(ValueError):
    """A rule data file is missing, malformed or inconsistent with the catalogue."""


def require(entry: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = entry.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise RuleDataError(f"{where}: {key!r} must be a non-empty {kind.__name__}")
    return value
