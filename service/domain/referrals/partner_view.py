"""What a partner sees of a candidate: a stable pseudonym and the fields she chose, nothing else.

Every read checks her consent live (not withdrawn, not expired, for this partner), so
withdrawal or expiry cuts access on the partner's very next request, whatever else happened
(SECURITY S6). The profile is built by `sharing.partner_profile` from the allowlist (S4). A
candidate the partner may not see answers exactly like one that never existed (S2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import NotFoundException
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.referrals.lifecycle import VISIBLE_TO_PARTNER
from service.domain.referrals.models import Referral
from service.domain.referrals.schemas import CandidateRead
from service.domain.survivors.models import Consent, ConsentPurpose, Survivor
from service.domain.survivors.sharing import in_force_clause, partner_profile, pseudonym
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now

NOT_FOUND = "candidate: not found"


def shared_with(partner_id: UUID | None, now: datetime) -> ColumnElement[bool]:
    """Referrals shared with this partner under a consent that is active right now."""
    return and_(
        Referral.partner_id == partner_id,
        Referral.status.in_(sorted(VISIBLE_TO_PARTNER)),
        Consent.id == Referral.consent_id,
        Consent.survivor_id == Referral.survivor_id,
        Consent.partner_id == Referral.partner_id,
        Consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value,
        in_force_clause(now),
    )


def candidate(referral: Referral, consent: Consent, survivor: Survivor) -> CandidateRead:
    return CandidateRead(
        candidate=pseudonym(survivor.id, referral.partner_id),
        referral_id=referral.id,
        opportunity_id=referral.opportunity_id,
        status=referral.status,
        shared_until=consent.expires_at,
        fields=partner_profile(survivor, consent),
    )


def _query(actor: Actor, now: datetime) -> Any:
    return (
        select(Referral, Consent, Survivor)
        .join(Consent, Consent.id == Referral.consent_id)
        .join(Survivor, Survivor.id == Referral.survivor_id)
        .where(shared_with(actor.organisation_id, now))
    )


async def list_candidates(db: AsyncSession, actor: Actor) -> list[CandidateRead]:
    rows = (await db.execute(_query(actor, now_utc()).order_by(Referral.created_at))).all()
    await record(db, actor, "candidate.list", "referral", None, detail=f"count={len(rows)}")
    return [candidate(*row) for row in rows]


async def get_candidate(
    db: AsyncSession, actor: Actor, referral_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> CandidateRead:
    row = (await db.execute(_query(actor, now_utc()).where(Referral.id == referral_id))).first()
    if row is None:
        await record_now(alchemy, actor, "candidate.read", "referral", referral_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    await record(db, actor, "candidate.read", "referral", referral_id)
    return candidate(*row)
