"""Partner-check shapes: one checklist item in, the checklist out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from service.kernel.schemas import Strict

Evidence = Annotated[str, Meta(min_length=3, max_length=1000)]


class CheckCreate(Strict):
    kind: Literal["registration", "licence", "contact", "references"]
    outcome: Literal["passed", "failed", "not_applicable"]
    evidence: Evidence
    """What was seen or heard (register entry, inspection letter, who was called)."""


class CheckRead(Struct, kw_only=True):
    id: UUID
    kind: str
    outcome: str
    evidence: str
    checked_by_id: UUID | None
    checked_by_org_id: UUID | None
    checked_at: datetime
    expires_at: datetime


class ChecklistEntry(Struct, kw_only=True):
    kind: str
    state: str
    """missing, failed, expired, renew (runs out within 30 days) or current."""
    check: CheckRead | None


class Checklist(Struct, kw_only=True):
    partner_id: UUID
    vetting_status: str
    complete: bool
    items: list[ChecklistEntry]
