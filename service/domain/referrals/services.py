"""Referral rules: who may create, move and share a referral, each step audited.

Scope is the survivor's (`survivors.services.visible_to`): a referral outside the caller's
scope answers exactly like one that does not exist (SECURITY S2). Every status change writes a
ReferralEvent (actor, reason) and an audit row in the same transaction. Sharing needs her
active consent for the listing's partner (S6); placement or enrolment writes the follow-up
plan in the same transaction (R1).
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from providers.services import published_clause
from service.domain.accounts.directory import partner_users
from service.domain.followups.plans import create_plan
from service.domain.milestones.services import achieve
from service.domain.referrals import lifecycle
from service.domain.referrals.models import Referral, ReferralEvent
from service.domain.referrals.schemas import ReferralEventRead, ReferralRead
from service.domain.survivors.models import Consent, ConsentPurpose, Survivor
from service.domain.survivors.services import visible_survivor, visible_to
from service.domain.survivors.sharing import allows
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now
from service.kernel.roles import Role
from service.messaging.outbox import enqueue
from service.settings import WorkerSettings

NOT_FOUND = "referral: not found"
COURSE_KINDS = frozenset({"course", "language_class"})


class Conflict(ClientException):
    status_code = 409


async def _event(db: AsyncSession, actor: Actor, referral: Referral, to: str, reason: str) -> None:
    db.add(
        ReferralEvent(
            referral_id=referral.id,
            at=now_utc(),
            from_status=referral.status if to != "suggested" else None,
            to_status=to,
            actor_id=actor.user_id,
            actor_role=actor.role.value,
            reason=reason,
        )
    )
    await record(db, actor, "referral.transition", "referral", referral.id, detail=f"{referral.status}->{to}")


async def to_read(db: AsyncSession, referral: Referral) -> ReferralRead:
    events = (
        await db.scalars(
            select(ReferralEvent).where(ReferralEvent.referral_id == referral.id).order_by(ReferralEvent.at)
        )
    ).all()
    return ReferralRead(
        id=referral.id,
        survivor_id=referral.survivor_id,
        opportunity_id=referral.opportunity_id,
        partner_id=referral.partner_id,
        status=referral.status,
        consent_id=referral.consent_id,
        started_at=referral.started_at,
        created_at=referral.created_at,
        proposal_id=referral.proposal_id,
        events=[
            ReferralEventRead(
                at=event.at,
                from_status=event.from_status,
                to_status=event.to_status,
                actor_id=event.actor_id,
                actor_role=event.actor_role,
                reason=event.reason,
            )
            for event in events
        ],
    )


async def visible_referral(
    db: AsyncSession, actor: Actor, referral_id: UUID, alchemy: SQLAlchemyAsyncConfig, *, lock: bool = False
) -> tuple[Referral, Survivor]:
    """The referral and its survivor, if she is in the caller's scope; otherwise not found."""
    query = (
        select(Referral, Survivor)
        .join(Survivor, Survivor.id == Referral.survivor_id)
        .where(Referral.id == referral_id, visible_to(actor))
    )
    found = (await db.execute(query.with_for_update(of=Referral) if lock else query)).first()
    if found is None:
        await record_now(alchemy, actor, "referral.read", "referral", referral_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    return found[0], found[1]


async def create(
    db: AsyncSession,
    actor: Actor,
    survivor_id: UUID,
    opportunity_id: UUID,
    alchemy: SQLAlchemyAsyncConfig,
    proposal_id: UUID | None = None,
) -> Referral:
    """Suggest a published listing of a vetted partner to her (``proposal_id``: the bundle it is
    proposed with, shared by the bundle's other referrals)."""
    survivor = await visible_survivor(db, actor, survivor_id, alchemy, "referral.read")
    opportunity = await db.scalar(select(Opportunity).where(Opportunity.id == opportunity_id, published_clause()))
    if opportunity is None:
        raise NotFoundException(detail="opportunity_id: no published listing with this id")
    existing = await db.scalar(
        select(Referral.id).where(Referral.survivor_id == survivor.id, Referral.opportunity_id == opportunity_id)
    )
    if existing is not None:
        raise Conflict(detail="opportunity_id: this listing was already suggested to her")
    referral = Referral(
        survivor_id=survivor.id,
        opportunity_id=opportunity.id,
        partner_id=opportunity.organisation_id,
        status="suggested",
        created_by_id=actor.user_id,
        proposal_id=proposal_id,
    )
    db.add(referral)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent identical suggestion won the race
        raise Conflict(detail="opportunity_id: this listing was already suggested to her") from exc
    await _event(db, actor, referral, "suggested", "")
    return referral


HER_ANSWERS = frozenset({"interested", "declined"})
PAST_INTEREST = frozenset(lifecycle.ORDER) - {"suggested", "interested", "declined"}
"""Statuses in which "I'm interested" has already been said (and acted on)."""


async def answer_listing(
    db: AsyncSession, actor: Actor, opportunity_id: UUID, answer: str, alchemy: SQLAlchemyAsyncConfig
) -> Referral:
    """Her own answer to a listing ("I'm interested" or "not for me"), one transaction, audited.

    A listing already suggested to her moves along the lifecycle (`transition`); a published
    listing she found among her matches becomes a referral created by her (`suggested`, then
    her answer, both as events her counsellor sees). The same answer twice changes nothing.
    Nothing is shared with the partner: sharing stays a separate step that needs her consent.
    """
    if actor.role is not Role.SURVIVOR or answer not in HER_ANSWERS:
        raise PermissionDeniedException(detail="role: only she answers for herself, interested or declined")
    survivor = await db.scalar(select(Survivor).where(visible_to(actor)))
    if survivor is None:
        raise NotFoundException(detail="survivor: not found")
    existing = await db.scalar(
        select(Referral).where(Referral.survivor_id == survivor.id, Referral.opportunity_id == opportunity_id)
    )
    if existing is None:
        opportunity = await db.scalar(select(Opportunity).where(Opportunity.id == opportunity_id, published_clause()))
        if opportunity is None:
            raise NotFoundException(detail="opportunity_id: no published listing with this id")
        referral = Referral(
            survivor_id=survivor.id,
            opportunity_id=opportunity.id,
            partner_id=opportunity.organisation_id,
            status="suggested",
            created_by_id=actor.user_id,
        )
        try:
            async with db.begin_nested():
                db.add(referral)
                await db.flush()
        except IntegrityError:  # her second tap, sent before the first one finished
            existing = await db.scalar(
                select(Referral).where(Referral.survivor_id == survivor.id, Referral.opportunity_id == opportunity_id)
            )
            if existing is None:
                raise
        else:
            await _event(db, actor, referral, "suggested", "found by herself")
            existing = referral
    if existing.status == answer or (answer == "interested" and existing.status in PAST_INTEREST):
        return existing
    return await transition(db, actor, existing.id, answer, "", alchemy)


async def list_for(db: AsyncSession, actor: Actor, survivor: Survivor) -> list[Referral]:
    rows = (
        await db.scalars(select(Referral).where(Referral.survivor_id == survivor.id).order_by(Referral.created_at))
    ).all()
    await record(db, actor, "referral.list", "survivor", survivor.id, detail=f"count={len(rows)}")
    return list(rows)


async def transition(
    db: AsyncSession,
    actor: Actor,
    referral_id: UUID,
    target: str,
    reason: str,
    alchemy: SQLAlchemyAsyncConfig,
) -> Referral:
    """Move a referral one step, or refuse with 409 and the reason."""
    referral, survivor = await visible_referral(db, actor, referral_id, alchemy, lock=True)
    if actor.role is Role.SURVIVOR and target not in ("interested", "declined"):
        raise PermissionDeniedException(detail="role: she may say she is interested or decline")
    kind = await db.scalar(select(Opportunity.kind).where(Opportunity.id == referral.opportunity_id))
    try:
        lifecycle.check(referral.status, target, kind or "")
    except lifecycle.TransitionRefused as refused:
        # The refusal is kept (its own transaction), whether it came from the API or a page.
        await record_now(alchemy, actor, "referral.transition", "referral", referral_id, outcome="denied")
        raise Conflict(detail=str(refused)) from refused
    await _event(db, actor, referral, target, reason)
    now = now_utc()
    previous, referral.status = referral.status, target
    if target in lifecycle.STARTED:
        referral.started_at = now
        await create_plan(
            db,
            survivor_id=survivor.id,
            organisation_id=survivor.organisation_id,
            referral_id=referral.id,
            started_at=now,
        )
    if target == "completed" and previous == "enrolled" and kind in COURSE_KINDS:
        await achieve(
            db, actor, survivor.id, "course_completed", qualifier=str(referral.opportunity_id), source="staff"
        )
    await db.flush()
    return referral


async def share(
    db: AsyncSession,
    actor: Actor,
    referral_id: UUID,
    consent_id: UUID,
    alchemy: SQLAlchemyAsyncConfig,
    worker: WorkerSettings,
) -> Referral:
    """Share her profile with the listing's partner under an active consent for that partner."""
    referral, survivor = await visible_referral(db, actor, referral_id, alchemy, lock=True)
    now = now_utc()
    consent = await db.scalar(
        select(Consent).where(
            Consent.id == consent_id,
            Consent.survivor_id == survivor.id,
            Consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value,
            Consent.partner_id == referral.partner_id,
        )
    )
    if consent is None or not allows(consent, referral.partner_id, (), now):
        await record_now(alchemy, actor, "referral.share", "referral", referral.id, outcome="denied")
        raise Conflict(detail="consent_id: no active consent to share with this listing's partner")
    if referral.status == "interested":
        await _event(db, actor, referral, "shared", "")
        referral.status = "shared"
    elif referral.status not in lifecycle.VISIBLE_TO_PARTNER:
        raise Conflict(detail=f"referral: cannot share from {referral.status}; she must be interested first")
    referral.consent_id = consent.id
    await record(db, actor, "referral.share", "referral", referral.id, detail=f"consent={consent.id}")
    await enqueue(
        db,
        worker,
        key=f"share:{referral.id}:{consent.id}",
        template="candidate",
        recipients=[user.id for user in await partner_users(db, referral.partner_id)],
        now=now,
        survivor_id=survivor.id,
        partner_id=referral.partner_id,
    )
    await db.flush()
    return referral
