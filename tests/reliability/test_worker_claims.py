"""The worker's claims: SKIP LOCKED on PostgreSQL, leases, idempotency (SECURITY R3, R5, R6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from service.domain.followups.jobs import claim_followups, process_followup
from service.domain.followups.models import FollowUp
from service.kernel.audit import AuditEvent
from service.messaging.models import OutboxMessage
from service.messaging.outbox import enqueue
from service.settings import Settings
from service.worker import WorkerAlreadyRunning, acquire_sqlite_lock, release_sqlite_lock
from tests.support.cases import with_worker
from tests.support.due_followups import caseload, due_followups
from tests.support.factories import Factory


async def _count(factory: Factory, statement: object) -> int:
    async with factory.alchemy.get_session() as db:
        return int(await db.scalar(statement) or 0)  # type: ignore[call-overload]


async def test_two_concurrent_claimers_get_disjoint_rows(factory: Factory, settings: Settings, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite runs a single worker")
    _, _, _, survivor = await caseload(factory)
    await due_followups(factory, survivor, 10)
    worker = with_worker(settings, batch_size=5).worker
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as first, factory.alchemy.get_session() as second:
        a = await claim_followups(first, "worker-a", now, worker)  # locks held: not committed yet
        b = await claim_followups(second, "worker-b", now, worker)
        await first.commit()
        await second.commit()
    assert len(a) == len(b) == 5
    assert set(a).isdisjoint(b)


async def test_a_lease_is_taken_over_after_it_expires_but_not_before(factory: Factory, settings: Settings) -> None:
    _, _, _, survivor = await caseload(factory)
    await due_followups(factory, survivor, 3)
    worker = with_worker(settings, lease_seconds=60).worker
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        mine = await claim_followups(db, "slow-but-alive", now, worker)
        await db.commit()
    async with factory.alchemy.get_session() as db:
        early = await claim_followups(db, "other", now + timedelta(seconds=59), worker)
        await db.commit()
    async with factory.alchemy.get_session() as db:
        late = await claim_followups(db, "other", now + timedelta(seconds=61), worker)
        await db.commit()
    assert len(mine) == 3
    assert early == []
    assert sorted(late) == sorted(mine)


async def test_processing_twice_has_one_effect(factory: Factory, settings: Settings) -> None:
    _, _, _, survivor = await caseload(factory)
    [followup] = await due_followups(factory, survivor, 1)
    worker = settings.worker
    async with factory.alchemy.get_session() as db:
        await claim_followups(db, "w", datetime.now(UTC), worker)
        await db.commit()
    async with factory.alchemy.get_session() as db:
        assert await process_followup(db, followup.id, "w", worker) is True
    messages = await _count(factory, select(func.count()).select_from(OutboxMessage))
    # reminder (in-app + email) to the counsellor, check-in (in-app + email) to her
    assert messages == 4
    async with factory.alchemy.get_session() as db:
        assert await process_followup(db, followup.id, "w", worker) is False
        again = await enqueue(
            db,
            worker,
            key=f"followup:{followup.id}",
            template="reminder",
            recipients=[survivor.counsellor_id],  # type: ignore[list-item]
            now=datetime.now(UTC),
        )
        await db.commit()
    assert again == 0
    assert await _count(factory, select(func.count()).select_from(OutboxMessage)) == messages
    processed = select(func.count()).where(AuditEvent.action == "followup.processed")
    assert await _count(factory, processed) == 1


async def test_a_worker_that_lost_its_lease_changes_nothing(factory: Factory, settings: Settings) -> None:
    _, _, _, survivor = await caseload(factory)
    [followup] = await due_followups(factory, survivor, 1)
    worker = with_worker(settings, lease_seconds=30).worker
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        await claim_followups(db, "stalled", now - timedelta(seconds=31), worker)
        await db.commit()
    async with factory.alchemy.get_session() as db:
        assert await claim_followups(db, "rescuer", now, worker) == [followup.id]
        await db.commit()
    async with factory.alchemy.get_session() as db:
        assert await process_followup(db, followup.id, "stalled", worker) is False
    async with factory.alchemy.get_session() as db:
        assert await process_followup(db, followup.id, "rescuer", worker) is True
    async with factory.alchemy.get_session() as db:
        row = await db.get_one(FollowUp, followup.id)
        assert (row.status, row.attempts, row.claimed_by) == ("done", 2, None)


async def test_a_late_followup_is_escalated_to_the_coordinator(factory: Factory, settings: Settings) -> None:
    _, counsellor, coordinator, survivor = await caseload(factory, with_account=False)
    [followup] = await due_followups(factory, survivor, 1, overdue_by=timedelta(hours=2))
    worker = with_worker(settings, late_after_minutes=60).worker
    async with factory.alchemy.get_session() as db:
        await claim_followups(db, "w", datetime.now(UTC), worker)
        await db.commit()
    async with factory.alchemy.get_session() as db:
        assert await process_followup(db, followup.id, "w", worker)
    async with factory.alchemy.get_session() as db:
        row = await db.get_one(FollowUp, followup.id)
        sent = {
            (m.template, m.recipient_user_id)
            for m in (await db.scalars(select(OutboxMessage).where(OutboxMessage.followup_id == followup.id))).all()
        }
    assert row.late is True and row.status == "done"
    assert sent == {("reminder", counsellor.id), ("late", coordinator.id)}


async def test_a_second_worker_on_sqlite_refuses_to_start(factory: Factory, settings: Settings, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the single-worker lock is SQLite's")
    await acquire_sqlite_lock(settings, factory.alchemy, "first")
    with pytest.raises(WorkerAlreadyRunning):
        await acquire_sqlite_lock(settings, factory.alchemy, "second")
    await release_sqlite_lock(factory.alchemy, "first")
    await acquire_sqlite_lock(settings, factory.alchemy, "second")
