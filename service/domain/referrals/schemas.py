"""Referral shapes in and out. Writes forbid unknown fields (SECURITY S5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from msgspec import Meta, Struct

from service.kernel.schemas import Strict

Status = Literal[
    "suggested", "interested", "shared", "applied", "accepted", "declined", "placed", "enrolled", "completed", "dropped"
]
Reason = Annotated[str, Meta(min_length=1, max_length=500)]


class ReferralCreate(Strict):
    opportunity_id: UUID


class TransitionRequest(Strict):
    to: Status
    reason: Reason


class ShareRequest(Strict):
    consent_id: UUID


class InterestRequest(Strict):
    reason: Annotated[str, Meta(max_length=500)] = ""


class ReferralEventRead(Struct, kw_only=True):
    at: datetime
    from_status: str | None
    to_status: str
    actor_id: UUID | None
    actor_role: str | None
    reason: str


class ReferralRead(Struct, kw_only=True):
    id: UUID
    survivor_id: UUID
    opportunity_id: UUID
    partner_id: UUID
    status: str
    consent_id: UUID | None
    started_at: datetime | None
    created_at: datetime
    events: list[ReferralEventRead]
    proposal_id: UUID | None = None
    """Shared by the referrals proposed together as one bundle."""


class CandidateRead(Struct, kw_only=True):
    """What a partner sees: a pseudonym and only the fields she chose to share."""

    candidate: str
    referral_id: UUID
    opportunity_id: UUID
    status: str
    shared_until: datetime | None
    fields: dict[str, Any]


class CandidatePage(Struct, kw_only=True):
    items: list[CandidateRead]
    total: int
