"""The worker: APScheduler 3 as a ticking clock; all state lives in our own tables.

Each job has a fixed id, `coalesce=True` (a backlog of missed ticks runs once) and an explicit
`misfire_grace_time` (APScheduler's 1-second default would silently skip ticks on a busy
machine). Jobs only claim and process rows, so a worker can die at any point and another
picks up where it stopped. On SQLite exactly one worker may run: a second one refuses.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from litestar import Litestar
from sqlalchemy import delete, select

from service.domain.accounts.sessions import purge_expired
from service.domain.followups.jobs import run_followups, run_sweeps
from service.domain.survivors.recipients import MessageRecipients
from service.domain.system.models import WorkerLease
from service.kernel.actor import now_utc
from service.messaging.sender import run_outbox
from service.settings import Settings

logger = logging.getLogger("onward.worker")
SQLITE_LOCK = "sqlite-single-worker"
Job = Callable[[Settings, SQLAlchemyAsyncConfig], Awaitable[None]]


class WorkerAlreadyRunning(RuntimeError):
    """Raised when a second worker starts against SQLite."""


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def acquire_sqlite_lock(settings: Settings, alchemy: SQLAlchemyAsyncConfig, holder: str) -> None:
    """Take the single-worker row, unless a live worker holds it (stale rows are taken over)."""
    stale_after = timedelta(seconds=settings.worker.lease_seconds)
    async with alchemy.get_session() as db:
        row = await db.scalar(select(WorkerLease).where(WorkerLease.name == SQLITE_LOCK))
        now = now_utc()
        if row is not None:
            beat = row.heartbeat_at if row.heartbeat_at.tzinfo else row.heartbeat_at.replace(tzinfo=now.tzinfo)
            if row.holder != holder and now - beat < stale_after:
                raise WorkerAlreadyRunning(
                    f"another worker ({row.holder}) is running against this SQLite database; "
                    "SQLite supports one worker (use PostgreSQL for several)"
                )
            row.holder, row.heartbeat_at = holder, now
        else:
            db.add(WorkerLease(name=SQLITE_LOCK, holder=holder, heartbeat_at=now))
        await db.commit()


async def release_sqlite_lock(alchemy: SQLAlchemyAsyncConfig, holder: str) -> None:
    async with alchemy.get_session() as db:
        await db.execute(delete(WorkerLease).where(WorkerLease.name == SQLITE_LOCK, WorkerLease.holder == holder))
        await db.commit()


async def heartbeat(settings: Settings, alchemy: SQLAlchemyAsyncConfig, holder: str) -> None:
    async with alchemy.get_session() as db:
        row = await db.scalar(select(WorkerLease).where(WorkerLease.name == SQLITE_LOCK, WorkerLease.holder == holder))
        if row is not None:
            row.heartbeat_at = now_utc()
            await db.commit()


async def housekeeping(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Remove sessions past their lifetime and login failures past the throttling window."""
    async with alchemy.get_session() as db:
        removed = await purge_expired(db, settings.security)
        await db.commit()
    if removed:
        logger.info("housekeeping removed %d sessions", removed)


async def _drain(run: Callable[[], Awaitable[tuple[int, int]]], batch_size: int) -> None:
    """Run one claim-and-process pass after another until a pass finds less than a batch."""
    while True:
        claimed, _ = await run()
        if claimed < batch_size:
            return


async def followups_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Process every due follow-up (and every one whose lease ran out): its messages go to the outbox."""
    holder = holder_id()
    await _drain(lambda: run_followups(settings, alchemy, holder), settings.worker.batch_size)


async def outbox_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Send every sendable message, asking this service's recipient rules before each."""
    holder, recipients = holder_id(), MessageRecipients()
    await _drain(lambda: run_outbox(settings, alchemy, holder, recipients), settings.worker.batch_size)


async def sweeps_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Missed check-ins (and their alerts) and permit-expiry follow-ups."""
    await _drain(lambda: run_sweeps(settings, alchemy), settings.worker.batch_size)


def registered_jobs(settings: Settings | None = None) -> dict[str, tuple[Job, int]]:
    """Job id → (coroutine, interval seconds). Later features add their claim jobs here."""
    from service.domain.datarights.retention import retention_tick

    tick = settings.worker.tick_seconds if settings is not None else 5
    return {
        "housekeeping": (housekeeping, 300),
        "followups": (followups_tick, tick),
        "outbox": (outbox_tick, tick),
        "followup-sweeps": (sweeps_tick, 600),
        "retention": (retention_tick, 3600),
    }


def build_scheduler(settings: Settings, alchemy: SQLAlchemyAsyncConfig, holder: str) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600, "replace_existing": True}
    for job_id, (job, seconds) in registered_jobs(settings).items():
        scheduler.add_job(job, "interval", seconds=seconds, id=job_id, args=[settings, alchemy], **options)
    if settings.db.is_sqlite:
        scheduler.add_job(
            heartbeat,
            "interval",
            seconds=max(5, settings.worker.lease_seconds // 4),
            id="heartbeat",
            args=[settings, alchemy, holder],
            **options,
        )
    return scheduler


@asynccontextmanager
async def running_worker(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> AsyncIterator[AsyncIOScheduler]:
    holder = holder_id()
    if settings.db.is_sqlite:
        await acquire_sqlite_lock(settings, alchemy, holder)
    scheduler = build_scheduler(settings, alchemy, holder)
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)
        if settings.db.is_sqlite:
            await release_sqlite_lock(alchemy, holder)


def embedded_lifespan(
    settings: Settings, alchemy: SQLAlchemyAsyncConfig
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """The worker inside the web process, for the single-process embedded `make run`."""

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async with running_worker(settings, alchemy):
            yield

    return lifespan


async def run_forever(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """`onward worker`: run until SIGTERM/SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    import signal

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with running_worker(settings, alchemy):
        logger.info("worker %s started", holder_id())
        await stop.wait()
    await alchemy.get_engine().dispose()
