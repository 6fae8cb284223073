"""The append-only audit trail and its writer (SECURITY S18). Rows hold opaque ids only.

`record` adds the row to the caller's transaction, so the audit row and the change it
describes commit or roll back together; if the audit insert fails, the request fails.
`record_now` is for events whose request is about to fail (denied access, failed login) and
so be rolled back, but which must still leave a trace. It commits on the request's own
session when there is one: the request's unfinished work is rolled back first (it would be
anyway), so the audit row never waits on a lock the same request holds — which on SQLite
would mean waiting for itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.types import DateTimeUTC
from litestar.exceptions import NotFoundException
from sqlalchemy import Index, Select, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from service.kernel.actor import Actor, now_utc
from service.kernel.request_context import commit_despite_failure

T = TypeVar("T")


class AuditEvent(UUIDBase):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    actor_id: Mapped[UUID | None] = mapped_column(default=None, index=True)
    """No foreign key on purpose: the trail outlives erased accounts."""
    actor_role: Mapped[str | None] = mapped_column(String(16), default=None)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32), default=None)
    object_id: Mapped[str | None] = mapped_column(String(64), default=None)
    outcome: Mapped[str] = mapped_column(String(8), default="allowed")
    detail: Mapped[str | None] = mapped_column(String(200), default=None)
    """A short code-like note (e.g. `count=12`, `reason=bad_password`), never free text."""


def _event(
    actor: Actor | None,
    action: str,
    object_type: str | None,
    object_id: UUID | str | None,
    outcome: str,
    detail: str | None,
    actor_id: UUID | None,
) -> AuditEvent:
    return AuditEvent(
        at=now_utc(),
        actor_id=actor.user_id if actor else actor_id,
        actor_role=actor.role.value if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        outcome=outcome,
        detail=detail,
    )


async def record(
    db: AsyncSession,
    actor: Actor | None,
    action: str,
    object_type: str | None = None,
    object_id: UUID | str | None = None,
    *,
    outcome: str = "allowed",
    detail: str | None = None,
    actor_id: UUID | None = None,
) -> None:
    """Add one audit row to the current transaction and flush it (fail closed)."""
    db.add(_event(actor, action, object_type, object_id, outcome, detail, actor_id))
    await db.flush()


async def record_now(
    alchemy: SQLAlchemyAsyncConfig,
    actor: Actor | None,
    action: str,
    object_type: str | None = None,
    object_id: UUID | str | None = None,
    *,
    outcome: str = "denied",
    detail: str | None = None,
    actor_id: UUID | None = None,
) -> None:
    """Write one audit row that survives the failing request (see the module docstring)."""
    await commit_despite_failure(alchemy, _event(actor, action, object_type, object_id, outcome, detail, actor_id))


async def visible_or_not_found(
    db: AsyncSession,
    alchemy: SQLAlchemyAsyncConfig,
    actor: Actor,
    statement: Select[tuple[T]],
    *,
    action: str,
    object_type: str,
    object_id: UUID,
    detail: str,
) -> T:
    """The one row a scoped query finds; otherwise a denied audit row and a 404 that reads
    exactly like a missing id (SECURITY S2)."""
    row = await db.scalar(statement)
    if row is None:
        await record_now(alchemy, actor, action, object_type, object_id, outcome="denied")
        raise NotFoundException(detail=detail)
    return row
