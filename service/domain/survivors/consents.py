"""Her consents: per purpose, per partner for sharing, always time-limited for sharing."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import NotFoundException, ValidationException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import Organisation, OrgKind, VettingStatus
from service.domain.survivors.models import Consent, ConsentPurpose, Survivor
from service.domain.survivors.schemas import ConsentCreate, ConsentRead
from service.domain.survivors.services import visible_to
from service.domain.survivors.sharing import MAX_SHARE_DAYS, SHAREABLE_FIELDS, in_force
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now
from service.kernel.roles import Role
from service.messaging.outbox import cancel_partner_messages


def to_read(row: Consent, now: datetime) -> ConsentRead:
    return ConsentRead(
        id=row.id,
        survivor_id=row.survivor_id,
        purpose=row.purpose,
        partner_id=row.partner_id,
        fields=list(row.fields),
        granted_at=row.granted_at,
        expires_at=row.expires_at,
        withdrawn_at=row.withdrawn_at,
        active=in_force(row, now),
    )


async def list_consents(db: AsyncSession, actor: Actor, survivor: Survivor) -> list[Consent]:
    rows = (
        await db.scalars(select(Consent).where(Consent.survivor_id == survivor.id).order_by(Consent.granted_at))
    ).all()
    await record(db, actor, "consent.list", "survivor", survivor.id, detail=f"count={len(rows)}")
    return list(rows)


async def grant(db: AsyncSession, actor: Actor, survivor: Survivor, data: ConsentCreate) -> Consent:
    """Record a consent; sharing needs a vetted partner, a field set and an expiry."""
    now = now_utc()
    if data.expires_at is not None and data.expires_at.tzinfo is None:
        raise ValidationException(detail="expires_at: must include a time zone")
    if data.expires_at is not None and data.expires_at <= now:
        raise ValidationException(detail="expires_at: must be in the future")
    if data.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value:
        if data.partner_id is None:
            raise ValidationException(detail="partner_id: required when sharing with a partner")
        if data.expires_at is None:
            raise ValidationException(detail="expires_at: sharing consent must end on a date")
        if data.expires_at > now + timedelta(days=MAX_SHARE_DAYS):
            raise ValidationException(detail=f"expires_at: at most {MAX_SHARE_DAYS} days ahead")
        unknown = sorted(set(data.fields) - SHAREABLE_FIELDS)
        if unknown:
            raise ValidationException(detail=f"fields: cannot be shared: {', '.join(unknown)}")
        if not data.fields:
            raise ValidationException(detail="fields: choose at least one field to share")
        partner = await db.scalar(
            select(Organisation).where(
                Organisation.id == data.partner_id,
                Organisation.kind == OrgKind.PARTNER.value,
                Organisation.vetting_status == VettingStatus.VETTED.value,
            )
        )
        if partner is None:
            raise NotFoundException(detail="partner_id: no vetted partner with this id")
    elif data.partner_id is not None or data.fields:
        raise ValidationException(detail="partner_id: only sharing consents name a partner and fields")
    row = Consent(
        survivor_id=survivor.id,
        purpose=data.purpose,
        partner_id=data.partner_id,
        fields=sorted(set(data.fields)),
        granted_at=now,
        expires_at=data.expires_at,
        recorded_by_id=actor.user_id,
        via_survivor=actor.role is Role.SURVIVOR,
    )
    db.add(row)
    await db.flush()
    await record(db, actor, "consent.grant", "consent", row.id, detail=f"purpose={data.purpose}")
    return row


async def withdraw(db: AsyncSession, actor: Actor, consent_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Consent:
    """Withdraw at once; withdrawing twice is harmless (the first time stands)."""
    row = await db.scalar(
        select(Consent)
        .join(Survivor, Survivor.id == Consent.survivor_id)
        .where(Consent.id == consent_id, visible_to(actor))
    )
    if row is None:
        await record_now(alchemy, actor, "consent.withdraw", "consent", consent_id, outcome="denied")
        raise NotFoundException(detail="consent: not found")
    if row.withdrawn_at is None:
        row.withdrawn_at = now_utc()
        await db.flush()
        # Messages not yet sent to that partner about her are cancelled with the consent (S6).
        await cancel_partner_messages(db, row.survivor_id, row.partner_id)
    await record(db, actor, "consent.withdraw", "consent", row.id)
    return row
