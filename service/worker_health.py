"""The worker's heartbeat rows, which its container healthcheck reads (`onward worker-health`).

A process that merely exists (the old `kill(1, 0)` check) may have lost its database or hung
its scheduler; a heartbeat row written by a scheduler job proves both are alive. Each worker
writes `beat:<host>:<pid>` into worker_lease; the healthcheck, running in the same container,
asks for a fresh row of its own host.
"""

from __future__ import annotations

import socket
from datetime import timedelta

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import delete, func, select

from service.domain.system.models import WorkerLease
from service.kernel.actor import now_utc
from service.settings import Settings

BEAT_PREFIX = "beat:"


def beat_name(holder: str) -> str:
    return (BEAT_PREFIX + holder)[:64]


def beat_seconds(settings: Settings) -> int:
    """How often a worker beats: often enough for a healthcheck allowing three missed beats."""
    return max(5, min(30, settings.worker.lease_seconds // 4))


async def beat(settings: Settings, alchemy: SQLAlchemyAsyncConfig, holder: str) -> None:
    """Write (or refresh) this worker's heartbeat row."""
    async with alchemy.get_session() as db:
        row = await db.scalar(select(WorkerLease).where(WorkerLease.name == beat_name(holder)))
        if row is None:
            db.add(WorkerLease(name=beat_name(holder), holder=holder, heartbeat_at=now_utc()))
        else:
            row.heartbeat_at = now_utc()
        await db.commit()


async def forget(alchemy: SQLAlchemyAsyncConfig, holder: str) -> None:
    async with alchemy.get_session() as db:
        await db.execute(delete(WorkerLease).where(WorkerLease.name == beat_name(holder)))
        await db.commit()


async def fresh_beats(alchemy: SQLAlchemyAsyncConfig, max_age_seconds: int, host: str | None = None) -> int:
    """Workers on ``host`` (this machine by default) that beat within ``max_age_seconds``."""
    prefix = beat_name(f"{host or socket.gethostname()}:")
    since = now_utc() - timedelta(seconds=max_age_seconds)
    async with alchemy.get_session() as db:
        count = await db.scalar(
            select(func.count())
            .select_from(WorkerLease)
            .where(WorkerLease.name.startswith(prefix, autoescape=True), WorkerLease.heartbeat_at >= since)
        )
    return int(count or 0)
