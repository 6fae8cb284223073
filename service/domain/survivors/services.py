"""Survivor profiles: the one place that decides who sees which survivor (ARCHITECTURE §5).

`visible_to(actor)` is the scope clause; detail, list, count and every write go through it,
so lists can never show more than details allow (SECURITY S3), and a survivor outside the
scope answers exactly like one that does not exist (S2).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import User
from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import (
    PreferencesUpdate,
    SurvivorCreate,
    SurvivorDetail,
    SurvivorSummary,
    SurvivorUpdate,
)
from service.kernel.actor import Actor
from service.kernel.audit import record, visible_or_not_found
from service.kernel.roles import Role

NOT_FOUND = "survivor: not found"
_JSON_FIELDS = (
    "skills",
    "languages",
    "education",
    "work_history",
    "goals",
    "children",
    "right_to_work",
    "safety",
)


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The survivors an actor may see. Admins and partners see none through this door."""
    if actor.role is Role.COUNSELLOR:
        return and_(Survivor.counsellor_id == actor.user_id, Survivor.organisation_id == actor.organisation_id)
    if actor.role is Role.COORDINATOR:
        return Survivor.organisation_id == actor.organisation_id
    if actor.role is Role.SURVIVOR:
        return Survivor.user_id == actor.user_id
    return false()


def may_edit(actor: Actor) -> bool:
    return actor.role in (Role.COUNSELLOR, Role.COORDINATOR)


def to_detail(row: Survivor) -> SurvivorDetail:
    """The full profile, for those in scope."""
    return msgspec.convert(
        {
            "id": row.id,
            "organisation_id": row.organisation_id,
            "counsellor_id": row.counsellor_id,
            "has_account": row.user_id is not None,
            "display_name": row.display_name,
            "contact": row.contact,
            "exact_location": row.exact_location,
            "shelter": row.shelter,
            "nationality": row.nationality,
            "notes": row.notes,
            "region": row.region,
            "birth_year": row.birth_year,
            "availability": row.availability or None,
            "readiness": row.readiness,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            **{name: getattr(row, name) for name in _JSON_FIELDS},
        },
        SurvivorDetail,
        from_attributes=True,
    )


def to_summary(row: Survivor) -> SurvivorSummary:
    return SurvivorSummary(
        id=row.id,
        display_name=row.display_name,
        region=row.region,
        readiness=row.readiness,
        counsellor_id=row.counsellor_id,
        created_at=row.created_at,
    )


def _plain(changes: dict[str, Any]) -> dict[str, Any]:
    """msgspec structs inside a change set, as JSON-ready builtins for JSON columns."""
    return {key: msgspec.to_builtins(value) for key, value in changes.items()}


class SurvivorService(SQLAlchemyAsyncRepositoryService[Survivor]):
    class Repo(SQLAlchemyAsyncRepository[Survivor]):
        model_type = Survivor

    repository_type = Repo

    async def get_visible(self, actor: Actor, survivor_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Survivor:
        """Her record if the actor may see it; otherwise not found, with a denied audit row."""
        return await visible_survivor(self.repository.session, actor, survivor_id, alchemy)

    async def read(self, actor: Actor, survivor_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Survivor:
        row = await self.get_visible(actor, survivor_id, alchemy)
        await record(self.repository.session, actor, "survivor.read", "survivor", row.id)
        return row

    async def page(self, actor: Actor, limit: int, offset: int) -> tuple[list[Survivor], int]:
        rows, total = await self.get_many_and_count(
            visible_to(actor), LimitOffset(limit=limit, offset=offset), order_by=[("created_at", True)]
        )
        await record(self.repository.session, actor, "survivor.list", "survivor", None, detail=f"count={len(rows)}")
        return list(rows), total

    async def count_visible(self, actor: Actor) -> int:
        total = await self.count(visible_to(actor))
        await record(self.repository.session, actor, "survivor.count", "survivor", None, detail=f"count={total}")
        return total

    async def create_for(self, actor: Actor, data: SurvivorCreate) -> Survivor:
        if not may_edit(actor) or actor.organisation_id is None:
            raise PermissionDeniedException(detail="role: only counsellors and coordinators register survivors")
        values = _plain(msgspec.structs.asdict(data))
        values["availability"] = values.get("availability") or []
        row = Survivor(
            **values,
            organisation_id=actor.organisation_id,
            # A counsellor's new survivor joins her own caseload; a coordinator assigns later.
            counsellor_id=actor.user_id if actor.role is Role.COUNSELLOR else None,
            waiting_since=date.today(),
        )
        row = await self.create(row, auto_commit=False)
        await record(self.repository.session, actor, "survivor.create", "survivor", row.id)
        return row

    async def update_for(
        self, actor: Actor, survivor_id: UUID, data: SurvivorUpdate | PreferencesUpdate, alchemy: SQLAlchemyAsyncConfig
    ) -> Survivor:
        row = await self.get_visible(actor, survivor_id, alchemy)
        if isinstance(data, SurvivorUpdate) and not may_edit(actor):
            raise PermissionDeniedException(detail="role: not allowed to edit profiles")
        changes = {key: value for key, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
        if "availability" in changes and changes["availability"] is None:
            changes["availability"] = []
        for key, value in _plain(changes).items():
            setattr(row, key, value)
        await self.repository.session.flush()
        await record(
            self.repository.session,
            actor,
            "survivor.update",
            "survivor",
            row.id,
            detail=",".join(sorted(changes))[:200],
        )
        return row

    async def assign_counsellor(
        self, actor: Actor, survivor_id: UUID, counsellor_id: UUID | None, alchemy: SQLAlchemyAsyncConfig
    ) -> Survivor:
        if actor.role is not Role.COORDINATOR:
            raise PermissionDeniedException(detail="role: only coordinators assign counsellors")
        row = await self.get_visible(actor, survivor_id, alchemy)
        if counsellor_id is not None:
            counsellor = await self.repository.session.scalar(
                select(User).where(
                    User.id == counsellor_id,
                    User.role == Role.COUNSELLOR.value,
                    User.organisation_id == actor.organisation_id,
                    User.is_active.is_(True),
                )
            )
            if counsellor is None:
                raise NotFoundException(detail="counsellor_id: no active counsellor with this id in your organisation")
        row.counsellor_id = counsellor_id
        await self.repository.session.flush()
        await record(self.repository.session, actor, "survivor.assign", "survivor", row.id)
        return row


async def visible_survivor(
    db: AsyncSession, actor: Actor, survivor_id: UUID, alchemy: SQLAlchemyAsyncConfig, action: str = "survivor.read"
) -> Survivor:
    """Her record if the caller may see her; otherwise a 404 that reads like a missing id, with a
    denied audit row `action` committed despite the failing request (SECURITY S2, S18). Every
    area looks her up through this and passes the row on, rather than checking again."""
    return await visible_or_not_found(
        db,
        alchemy,
        actor,
        select(Survivor).where(Survivor.id == survivor_id, visible_to(actor)),
        action=action,
        object_type="survivor",
        object_id=survivor_id,
        detail=NOT_FOUND,
    )


async def provide_survivor_service(db_session: NamedDependency[AsyncSession]) -> SurvivorService:
    return SurvivorService(session=db_session)
