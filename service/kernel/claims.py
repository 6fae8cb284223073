"""The one claim pattern of the worker (ARCHITECTURE §4, STYLE 8).

Rows are leased with `FOR UPDATE SKIP LOCKED` (ignored by SQLite, where one worker runs), so
concurrent workers take disjoint batches; a lease that runs out makes the row claimable again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.settings import WorkerSettings


async def claim_rows(
    db: AsyncSession,
    model: Any,
    claimable: ColumnElement[bool],
    order_by: Any,
    *,
    claimed_status: str,
    holder: str,
    now: datetime,
    worker: WorkerSettings,
) -> list[UUID]:
    """Lease up to a batch of claimable rows of `model` to `holder` (the caller commits)."""
    # An idle tick stays a read: on SQLite a write, even one changing nothing, takes the
    # database's single write lock away from the web requests.
    if await db.scalar(select(model.id).where(claimable).limit(1)) is None:
        return []
    batch = (
        select(model.id).where(claimable).order_by(order_by).limit(worker.batch_size).with_for_update(skip_locked=True)
    )
    result = await db.execute(
        update(model)
        .where(model.id.in_(batch.scalar_subquery()))
        .values(
            status=claimed_status,
            claimed_by=holder,
            lease_until=now + timedelta(seconds=worker.lease_seconds),
            attempts=model.attempts + 1,
        )
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


async def insert_ignoring_duplicates(db: AsyncSession, model: Any, rows: Sequence[dict[str, Any]]) -> int:
    """INSERT … ON CONFLICT (idempotency_key) DO NOTHING; returns how many rows were new."""
    if not rows:
        return 0
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(list(rows)).on_conflict_do_nothing(index_elements=["idempotency_key"])
    result = await db.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
