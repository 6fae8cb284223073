"""Read access to the audit trail for platform administrators (ids and actions only)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.audit.schemas import AuditPage, AuditRead
from service.kernel.audit import AuditEvent, record
from service.kernel.deps import ActorDep
from service.kernel.roles import Role, roles


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]

    @get("/", operation_id="ListAuditEvents", opt=roles(Role.ADMIN))
    async def list_audit_events(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
        outcome: Annotated[str | None, QueryParameter(pattern=r"^(allowed|denied)$")] = None,
    ) -> AuditPage:
        """Newest first; filter by outcome to review denied access."""
        query = select(AuditEvent)
        count = select(func.count()).select_from(AuditEvent)
        if outcome:
            query, count = query.where(AuditEvent.outcome == outcome), count.where(AuditEvent.outcome == outcome)
        rows = (await db_session.scalars(query.order_by(AuditEvent.at.desc()).limit(limit).offset(offset))).all()
        total = await db_session.scalar(count)
        await record(db_session, actor, "audit.list", "audit_event", None, detail=f"count={len(rows)}")
        return AuditPage(
            items=[
                AuditRead(
                    id=row.id,
                    at=row.at,
                    actor_id=row.actor_id,
                    actor_role=row.actor_role,
                    action=row.action,
                    object_type=row.object_type,
                    object_id=row.object_id,
                    outcome=row.outcome,
                    detail=row.detail,
                )
                for row in rows
            ],
            total=int(total or 0),
        )
