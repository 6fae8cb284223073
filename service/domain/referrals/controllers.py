"""JSON API for referrals (staff and the survivor herself) and the partner's candidate view."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, RequestBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.milestones.schemas import Timeline
from service.domain.referrals import partner_view, services
from service.domain.referrals.schemas import (
    CandidatePage,
    CandidateRead,
    InterestRequest,
    ReferralCreate,
    ReferralRead,
    ShareRequest,
    TransitionRequest,
)
from service.domain.referrals.timeline import timeline
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_survivor, visible_to
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import CASE_ROLES, STAFF, Role, roles


class ReferralController(Controller):
    path = "/api"
    tags = ["referrals"]

    @post("/survivors/{survivor_id:uuid}/referrals", operation_id="CreateReferral", opt=STAFF)
    async def create_referral(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
        data: RequestBody[ReferralCreate],
    ) -> ReferralRead:
        """Suggest a published listing to her (status `suggested`)."""
        referral = await services.create(db_session, actor, survivor_id, data.opportunity_id, alchemy)
        return await services.to_read(db_session, referral)

    @get("/survivors/{survivor_id:uuid}/referrals", operation_id="ListReferrals", opt=CASE_ROLES)
    async def list_referrals(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
    ) -> list[ReferralRead]:
        """Her referrals with every status change (who, when, why)."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy, "referral.read")
        return [await services.to_read(db_session, row) for row in await services.list_for(db_session, actor, survivor)]

    @post("/referrals/{referral_id:uuid}/transition", operation_id="TransitionReferral", opt=STAFF, status_code=200)
    async def transition_referral(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        referral_id: FromPath[UUID],
        data: RequestBody[TransitionRequest],
    ) -> ReferralRead:
        """Move one step along the lifecycle; a step that is not allowed gets 409 saying why."""
        referral = await services.transition(db_session, actor, referral_id, data.to, data.reason, alchemy)
        return await services.to_read(db_session, referral)

    @post("/referrals/{referral_id:uuid}/share", operation_id="ShareReferral", opt=CASE_ROLES, status_code=200)
    async def share_referral(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        db_session: NamedDependency[AsyncSession],
        referral_id: FromPath[UUID],
        data: RequestBody[ShareRequest],
    ) -> ReferralRead:
        """Share her profile with the listing's partner under her active consent for that partner."""
        referral = await services.share(db_session, actor, referral_id, data.consent_id, alchemy, settings.worker)
        return await services.to_read(db_session, referral)


class MyReferralController(Controller):
    """What she does herself, without knowing her record's id."""

    path = "/api/me/referrals"
    tags = ["me"]

    @get("/", operation_id="ListMyReferrals", opt=roles(Role.SURVIVOR))
    async def list_my_referrals(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> list[ReferralRead]:
        """Her own referrals."""
        survivor = await db_session.scalar(select(Survivor).where(visible_to(actor)))
        if survivor is None:
            raise NotFoundException(detail="survivor: not found")
        return [await services.to_read(db_session, row) for row in await services.list_for(db_session, actor, survivor)]

    @post("/{referral_id:uuid}/interested", operation_id="SayInterested", opt=roles(Role.SURVIVOR), status_code=200)
    async def say_interested(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        referral_id: FromPath[UUID],
        data: RequestBody[InterestRequest | None] = None,
    ) -> ReferralRead:
        """ "I'm interested": she moves her own suggestion to `interested`."""
        reason = data.reason if data is not None else ""
        referral = await services.transition(db_session, actor, referral_id, "interested", reason, alchemy)
        return await services.to_read(db_session, referral)


class PartnerCandidateController(Controller):
    """A partner's view of candidates shared with her organisation."""

    path = "/api/partner/candidates"
    tags = ["partner"]

    @get("/", operation_id="ListCandidates", opt=roles(Role.PARTNER))
    async def list_candidates(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> CandidatePage:
        """Candidates shared with the caller's organisation under an active consent."""
        items = await partner_view.list_candidates(db_session, actor)
        return CandidatePage(items=items, total=len(items))

    @get("/{referral_id:uuid}", operation_id="GetCandidate", opt=roles(Role.PARTNER))
    async def get_candidate(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        referral_id: FromPath[UUID],
    ) -> CandidateRead:
        """One candidate; after withdrawal or expiry, not found (same answer as a missing id)."""
        return await partner_view.get_candidate(db_session, actor, referral_id, alchemy)


class TimelineController(Controller):
    """Her timeline: milestones, referral steps and answered check-ins (paths under milestones)."""

    path = "/api"
    tags = ["milestones"]

    @get("/survivors/{survivor_id:uuid}/milestones", operation_id="GetTimeline", opt=CASE_ROLES)
    async def get_timeline(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
    ) -> Timeline:
        """Her achievements and timeline (milestones, referral steps, answered check-ins)."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy, "milestone.read")
        return await timeline(db_session, actor, survivor.id)

    @get("/me/milestones", operation_id="GetMyTimeline", opt=roles(Role.SURVIVOR))
    async def get_my_timeline(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> Timeline:
        """Her own timeline."""
        survivor_id = await db_session.scalar(select(Survivor.id).where(visible_to(actor)))
        if survivor_id is None:
            raise NotFoundException(detail="survivor: not found")
        return await timeline(db_session, actor, survivor_id)


ROUTE_HANDLERS: list[Any] = [ReferralController, MyReferralController, PartnerCandidateController, TimelineController]
