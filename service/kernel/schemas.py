"""The base every request body is built on."""

from __future__ import annotations

from msgspec import Struct


class Strict(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for request bodies: an unknown field is an error naming that field (SECURITY S5)."""
