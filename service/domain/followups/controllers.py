"""JSON API for follow-ups (due/overdue lists, answers, the organisation's plan) and in-app notices."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, QueryParameter, RequestBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import User
from service.domain.followups import notices, plans, services
from service.domain.followups.schemas import AnswerResult, FollowUpAnswer, FollowUpRead, NoticeRead, PlanPolicy
from service.kernel.audit import record
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import CASE_ROLES, STAFF, Role, roles
from service.messaging.templates import render

StatusQuery = Annotated[Literal["due", "overdue"], QueryParameter(description="due or overdue")]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]


class FollowUpController(Controller):
    path = "/api/followups"
    tags = ["followups"]

    @get("/", operation_id="ListFollowUps", opt=STAFF)
    async def list_followups(
        self,
        actor: ActorDep,
        settings: SettingsDep,
        db_session: NamedDependency[AsyncSession],
        status: StatusQuery = "due",
        limit: Limit = 200,
    ) -> list[FollowUpRead]:
        """Due or overdue follow-ups: her caseload (counsellor) or the organisation (coordinator)."""
        rows = await services.list_for(db_session, actor, status, settings.worker, limit)
        return [services.to_read(row) for row in rows]

    @post("/{followup_id:uuid}/answer", operation_id="AnswerFollowUp", opt=CASE_ROLES, status_code=200)
    async def answer_followup(
        self,
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        db_session: NamedDependency[AsyncSession],
        followup_id: FromPath[UUID],
        data: RequestBody[FollowUpAnswer],
    ) -> AnswerResult:
        """Record the follow-up form; risk flags alert her counsellor and the coordinators."""
        return await services.answer(db_session, actor, followup_id, data, alchemy, settings.worker)

    @get("/policy", operation_id="GetFollowUpPolicy", opt=STAFF)
    async def get_policy(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> PlanPolicy:
        """The organisation's plan: days after placement or enrolment when she is asked."""
        assert actor.organisation_id is not None  # staff always belong to an organisation
        return PlanPolicy(plan_days=await plans.plan_days(db_session, actor.organisation_id))

    @put("/policy", operation_id="SetFollowUpPolicy", opt=roles(Role.COORDINATOR))
    async def set_policy(
        self, actor: ActorDep, db_session: NamedDependency[AsyncSession], data: RequestBody[PlanPolicy]
    ) -> PlanPolicy:
        """Change the organisation's plan (applies to placements from now on)."""
        if actor.organisation_id is None:
            raise PermissionDeniedException(detail="role: coordinators of an organisation only")
        days = await plans.set_plan_days(db_session, actor.organisation_id, data.plan_days)
        await record(db_session, actor, "followup.policy", "organisation", actor.organisation_id)
        return PlanPolicy(plan_days=days)


class NoticeController(Controller):
    """In-app notices: the caller's own delivered messages, in her language."""

    path = "/api/notices"
    tags = ["notices"]

    @get("/", operation_id="ListNotices")
    async def list_notices(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> list[NoticeRead]:
        """Her notices, newest first."""
        locale = await db_session.scalar(select(User.locale).where(User.id == actor.user_id))
        return [
            NoticeRead(id=row.id, sent_at=row.sent_at, read_at=row.read_at, **render(row.template, locale)._asdict())
            for row in await notices.list_notices(db_session, actor)
        ]

    @post("/{notice_id:uuid}/read", operation_id="MarkNoticeRead", status_code=204)
    async def mark_read(
        self, actor: ActorDep, db_session: NamedDependency[AsyncSession], notice_id: FromPath[UUID]
    ) -> None:
        """Mark one of her notices read."""
        await notices.mark_read(db_session, actor, notice_id)


ROUTE_HANDLERS: list[Any] = [FollowUpController, NoticeController]
