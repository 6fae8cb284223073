"""JSON kept encrypted at rest (SECURITY S28): a profile part that may hold typed text.

Work-history titles, education fields, skill evidence and goal sectors are typed by a
counsellor ("worked at club X" can identify her), so the whole JSON value is encrypted like
the other identifying columns. Nothing queries inside these values in SQL: matching, sharing
and exports read them decrypted in Python.
"""

from __future__ import annotations

import json
from typing import Any

from advanced_alchemy.types import EncryptedText
from sqlalchemy.engine import Dialect


class EncryptedJson(EncryptedText):
    """A JSON value (list or object) stored as encrypted text; pass ``key`` as a callable."""

    cache_ok = True

    @property
    def python_type(self) -> type[Any]:  # type: ignore[override]
        return object

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return super().process_bind_param(json.dumps(value, separators=(",", ":"), ensure_ascii=False), dialect)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        text = super().process_result_value(value, dialect)
        return None if text is None else json.loads(text)


def sealed_json() -> EncryptedJson:
    """The column type of her profile's typed parts, keyed by the settings (never a literal)."""
    from service.settings import encryption_key

    return EncryptedJson(key=encryption_key)
