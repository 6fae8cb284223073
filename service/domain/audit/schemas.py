"""Audit trail shapes out: ids and actions only, never personal text."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from msgspec import Struct


class AuditRead(Struct, kw_only=True):
    id: UUID
    at: datetime
    actor_id: UUID | None
    actor_role: str | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    detail: str | None


class AuditPage(Struct, kw_only=True):
    items: list[AuditRead]
    total: int
