"""Partner checks as a checklist: each item stored with its evidence, who checked and when,
valid for a year. Which NGOs may check partners is their organisation's `may_check_partners`
flag (an administrator sets it); administrators always may.

A partner can be marked as checked only when every item is current and passed (the licence
item may be "does not apply"); an item that has run out asks to be renewed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import Organisation, OrgKind
from service.domain.opportunities.check_models import CheckKind, CheckOutcome, PartnerCheck
from service.kernel.actor import Actor, aware, now_utc
from service.kernel.audit import record, record_now
from service.kernel.roles import Role

CHECKLIST = (CheckKind.REGISTRATION, CheckKind.LICENCE, CheckKind.CONTACT, CheckKind.REFERENCES)
VALID_FOR = timedelta(days=365)
RENEW_WITHIN = timedelta(days=30)
PARTNER_NOT_FOUND = "partner: not found"


async def may_check(db: AsyncSession, actor: Actor) -> bool:
    """Administrators, and coordinators of an NGO that an administrator allowed to check partners."""
    if actor.role is Role.ADMIN:
        return True
    if actor.role is not Role.COORDINATOR or actor.organisation_id is None:
        return False
    return bool(
        await db.scalar(select(Organisation.may_check_partners).where(Organisation.id == actor.organisation_id))
    )


async def require_checker(db: AsyncSession, actor: Actor) -> None:
    if not await may_check(db, actor):
        raise PermissionDeniedException(detail="role: your organisation does not check partners")


async def partner_for_checks(
    db: AsyncSession, actor: Actor, org_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> Organisation:
    """The partner organisation, for someone who may check partners; 404 (audited) otherwise."""
    await require_checker(db, actor)
    org = await db.scalar(
        select(Organisation).where(Organisation.id == org_id, Organisation.kind == OrgKind.PARTNER.value)
    )
    if org is None:
        await record_now(alchemy, actor, "partner.check", "organisation", org_id, outcome="denied")
        raise NotFoundException(detail=PARTNER_NOT_FOUND)
    return org


@dataclass(frozen=True)
class ChecklistItem:
    kind: CheckKind
    check: PartnerCheck | None
    state: str
    """`missing`, `failed`, `expired`, `renew` (runs out within 30 days) or `current`."""

    @property
    def satisfied(self) -> bool:
        return self.state in ("current", "renew")


def _state(check: PartnerCheck | None, now: datetime) -> str:
    if check is None:
        return "missing"
    if check.outcome == CheckOutcome.FAILED.value:
        return "failed"
    expires = aware(check.expires_at)
    if expires <= now:
        return "expired"
    return "renew" if expires - now <= RENEW_WITHIN else "current"


async def latest_checks(db: AsyncSession, org_ids: Collection[UUID]) -> dict[UUID, dict[str, PartnerCheck]]:
    """The newest check of each kind, per partner."""
    if not org_ids:
        return {}
    rows = await db.scalars(
        select(PartnerCheck).where(PartnerCheck.organisation_id.in_(org_ids)).order_by(PartnerCheck.checked_at)
    )
    latest: dict[UUID, dict[str, PartnerCheck]] = {}
    for row in rows:
        latest.setdefault(row.organisation_id, {})[row.kind] = row
    return latest


def checklist_of(latest: dict[str, PartnerCheck], now: datetime) -> list[ChecklistItem]:
    return [ChecklistItem(kind, latest.get(kind.value), _state(latest.get(kind.value), now)) for kind in CHECKLIST]


async def checklist(db: AsyncSession, org_id: UUID) -> list[ChecklistItem]:
    return checklist_of((await latest_checks(db, [org_id])).get(org_id, {}), now_utc())


async def to_renew(db: AsyncSession, org_ids: Collection[UUID]) -> set[UUID]:
    """The partners among `org_ids` whose checklist is not complete and current now."""
    now = now_utc()
    latest = await latest_checks(db, org_ids)
    return {
        org_id for org_id in org_ids if not all(item.satisfied for item in checklist_of(latest.get(org_id, {}), now))
    }


async def record_check(
    db: AsyncSession,
    actor: Actor,
    org_id: UUID,
    kind: str,
    outcome: str,
    evidence: str,
    alchemy: SQLAlchemyAsyncConfig,
) -> PartnerCheck:
    """One item of the checklist, valid for a year; audited."""
    org = await partner_for_checks(db, actor, org_id, alchemy)
    if outcome == CheckOutcome.NOT_APPLICABLE.value and kind != CheckKind.LICENCE.value:
        raise ValidationException(detail="outcome: only a licence check can be 'does not apply'")
    now = now_utc()
    check = PartnerCheck(
        organisation_id=org.id,
        kind=kind,
        outcome=outcome,
        evidence=evidence.strip(),
        checked_by_id=actor.user_id,
        checked_by_org_id=actor.organisation_id,
        checked_at=now,
        expires_at=now + VALID_FOR,
    )
    db.add(check)
    await db.flush()
    await record(db, actor, "partner.check", "organisation", org.id, detail=f"kind={kind},outcome={outcome}")
    return check


async def still_to_do(db: AsyncSession, org_id: UUID) -> list[str]:
    """The checklist items that keep a partner from being marked as checked."""
    return [item.kind.value for item in await checklist(db, org_id) if not item.satisfied]
