"""Follow-up shapes in and out. Writes forbid unknown fields (SECURITY S5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from service.kernel.schemas import Strict

RiskSignal = Literal["job_lost", "informal_work", "employer_housing", "new_debt", "former_exploiter_contact"]


class FollowUpAnswer(Strict):
    """The follow-up form: still there?, contract, hours, income, problems, risk signals."""

    still_there: bool | None = None
    contract: Literal["formal", "informal", "none"] | None = None
    hours_per_week: Annotated[float, Meta(ge=0, le=80)] | None = None
    monthly_income: Annotated[int, Meta(ge=0, le=100_000)] | None = None
    problems: Annotated[str, Meta(max_length=2000)] | None = None
    risk_signals: Annotated[list[RiskSignal], Meta(max_length=10)] = []


class FollowUpRead(Struct, kw_only=True):
    id: UUID
    survivor_id: UUID
    referral_id: UUID | None
    kind: str
    due_at: datetime
    status: str
    late: bool
    answered_at: datetime | None
    risk_flags: list[str]


class AnswerResult(Struct, kw_only=True):
    followup: FollowUpRead
    risk_flags: list[str]
    milestones_reached: list[str]


class PlanPolicy(Strict):
    plan_days: Annotated[list[Annotated[int, Meta(ge=1, le=1100)]], Meta(min_length=1, max_length=12)]


class NoticeRead(Struct, kw_only=True):
    id: UUID
    subject: str
    body: str
    sent_at: datetime | None
    read_at: datetime | None
