"""Vetting partner organisations: pending → vetted | suspended, with who, when and why.

Suspension takes effect at once: visibility requires a vetted partner, and the partner's
published listings go back to review in the same transaction (so re-vetting alone never
republishes them).
"""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.schemas import PartnerRead, VettingDecision
from providers.services import unpublish_partner
from service.domain.accounts.models import Organisation, OrgKind, VettingStatus
from service.domain.opportunities import partner_checks
from service.domain.opportunities.services import REVIEWERS, conflict
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now

PARTNER_NOT_FOUND = "partner: not found"


def to_partner_read(org: Organisation) -> PartnerRead:
    return PartnerRead(
        id=org.id,
        name=org.name,
        partner_type=org.partner_type,
        vetting_status=org.vetting_status,
        vetted_by_id=org.vetted_by_id,
        vetted_at=org.vetted_at,
        vetting_reason=org.vetting_reason,
    )


def _require_reviewer(actor: Actor) -> None:
    if actor.role not in REVIEWERS:
        raise PermissionDeniedException(detail="role: only coordinators and administrators vet partners")


async def list_partners(
    db: AsyncSession, actor: Actor, status: str | None, limit: int, offset: int
) -> list[Organisation]:
    """Partner organisations, optionally by vetting status (the vetting queue is `pending`), for
    those who may check partners (partner_checks.may_check)."""
    await partner_checks.require_checker(db, actor)
    statement = select(Organisation).where(Organisation.kind == OrgKind.PARTNER.value)
    if status is not None:
        statement = statement.where(Organisation.vetting_status == status)
    return list((await db.scalars(statement.order_by(Organisation.name).limit(limit).offset(offset))).all())


async def partners_by_id(db: AsyncSession, actor: Actor, ids: Collection[UUID]) -> dict[UUID, Organisation]:
    """The partner organisations among `ids` (the review queue shows each listing's partner
    and its vetting state) to any reviewer."""
    _require_reviewer(actor)
    if not ids:
        return {}
    statement = select(Organisation).where(Organisation.id.in_(ids), Organisation.kind == OrgKind.PARTNER.value)
    return {row.id: row for row in (await db.scalars(statement)).all()}


async def set_vetting(
    db: AsyncSession, actor: Actor, org_id: UUID, decision: VettingDecision, alchemy: SQLAlchemyAsyncConfig
) -> Organisation:
    """Vet or suspend a partner; audited, and a suspension unpublishes her listings at once.
    Marking a partner as checked needs its whole checklist current (partner_checks)."""
    await partner_checks.require_checker(db, actor)
    org = await db.scalar(
        select(Organisation).where(Organisation.id == org_id, Organisation.kind == OrgKind.PARTNER.value)
    )
    if org is None:
        await record_now(alchemy, actor, "partner.vetting", "organisation", org_id, outcome="denied")
        raise NotFoundException(detail=PARTNER_NOT_FOUND)
    if org.vetting_status == decision.status:
        raise conflict(f"status: the partner is already {decision.status}")
    if decision.status == VettingStatus.VETTED.value:
        missing = await partner_checks.still_to_do(db, org.id)
        if missing:
            raise conflict(f"checks: still to do or to renew: {', '.join(missing)}")
    now = now_utc()
    was = org.vetting_status
    org.vetting_status = decision.status
    org.vetted_by_id, org.vetted_at, org.vetting_reason = actor.user_id, now, decision.reason
    unpublished = 0
    if decision.status == VettingStatus.SUSPENDED.value:
        unpublished = await unpublish_partner(db, org.id, now)
    await db.flush()
    await record(
        db,
        actor,
        "partner.vetting",
        "organisation",
        org.id,
        detail=f"status={was}->{decision.status},unpublished={unpublished}",
    )
    return org
