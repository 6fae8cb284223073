"""Milestone shapes in and out. Writes forbid unknown fields (SECURITY S5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from service.kernel.schemas import Strict

MilestoneCode = Literal[
    "right_to_work",
    "bank_account",
    "language_level",
    "course_completed",
    "first_formal_contract",
    "employed_3_months",
    "employed_6_months",
    "income_covers_needs",
    "own_housing",
    "no_longer_relies_on_support",
    "savings_buffer",
]


class CatalogueEntry(Struct, kw_only=True):
    code: str
    label: str
    repeatable: bool


class AchievementCreate(Strict):
    milestone: MilestoneCode
    achieved_on: date
    evidence: Annotated[str, Meta(max_length=500)] = ""
    qualifier: Annotated[str, Meta(pattern=r"^[A-Za-z0-9:_\-]{0,40}$")] = ""


class AchievementRead(Struct, kw_only=True):
    id: UUID
    survivor_id: UUID
    milestone: str
    label: str
    qualifier: str
    achieved_on: date
    evidence: str
    source: str
    recorded_by_id: UUID | None
    recorded_at: datetime


class TimelineEntry(Struct, kw_only=True):
    at: datetime
    kind: Literal["milestone", "referral", "followup"]
    code: str
    """Milestone code, referral status reached, or follow-up kind."""
    label: str
    object_id: UUID


class Timeline(Struct, kw_only=True):
    survivor_id: UUID
    achievements: list[AchievementRead]
    entries: list[TimelineEntry]
