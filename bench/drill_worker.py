"""Worker drills on PostgreSQL (SECURITY R2–R5), with a real SMTP sink (aiosmtpd).

    python bench/drill_worker.py [--followups 1000] [--kills 50]

1. crash: the follow-ups fall due in `--kills` slices; for each slice a worker starts and is
   SIGKILLed at a random moment (0–1.5 s) after it started working; then one worker
   finishes: every follow-up processed, every email delivered.
2. two workers, all follow-ups due at once: distinct results, no duplicates.
3. downtime: the follow-ups fell due over the last hour while no worker ran; one worker
   starts: each is processed, and those past the late threshold (30 min) escalated as late.
4. throughput: follow-ups processed per second (first to last `processed_at`) with one and
   two workers.

"Delivered" is checked at the sink by Message-ID (derived from the outbox idempotency key).
Delivery is at-least-once: a kill between the relay accepting a message and the worker
marking it sent makes the next worker send it again with the same Message-ID. The table
shows such raw repeats separately from distinct deliveries; the last line counts them as
duplicated. The last line is machine-readable:
``lost <n> duplicated <n> dropped <n> throughput <x>/s`` (throughput with one worker).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
KEY = "drill-key-" + "d" * 32
os.environ.setdefault("ONWARD_ENCRYPTION_KEY", KEY)
os.environ.setdefault("ONWARD_VAR_DIR", tempfile.mkdtemp(prefix="onward-drill-"))

import asyncpg  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, insert, select, text, update  # noqa: E402

from service.db.config import build_alchemy_config  # noqa: E402
from service.domain.accounts.models import Organisation, User  # noqa: E402
from service.domain.followups.models import FollowUp  # noqa: E402
from service.domain.survivors.models import Survivor  # noqa: E402
from service.kernel.audit import AuditEvent  # noqa: E402
from service.messaging.mailer import message_id  # noqa: E402
from service.messaging.models import OutboxMessage  # noqa: E402
from service.settings import DatabaseSettings  # noqa: E402

MAIL_FROM = "Notifications <notifications@drill.invalid>"
LATE_AFTER_MINUTES = 30


class Sink:
    """Keeps the Message-ID of every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd hook name
        with self.lock:
            self.ids.append(str(message_from_bytes(envelope.content)["Message-ID"]))
        return "250 OK"

    def take(self) -> list[str]:
        with self.lock:
            taken, self.ids = self.ids, []
        return taken


@dataclass
class Result:
    name: str
    followups: int = 0
    processed: int = 0
    late: int = 0
    lost: int = 0
    duplicate_results: int = 0
    emails_expected: int = 0
    emails_delivered: int = 0
    raw_repeats: int = 0
    emails_missing: int = 0
    dropped: int = 0
    seconds: float = 0.0
    rate: float = 0.0
    notes: list[str] = field(default_factory=list)


class Drill:
    """Seeds a caseload, runs `onward worker` subprocesses against one database, measures."""

    def __init__(self, database_url: str, sink: Sink, smtp_port: int, log_dir: Path) -> None:
        self.database_url = database_url
        self.sink = sink
        self.alchemy = build_alchemy_config(DatabaseSettings(url=database_url))
        self.log_dir = log_dir
        self.env = {
            **os.environ,
            "ONWARD_DATABASE_URL": database_url,
            "ONWARD_ENCRYPTION_KEY": os.environ["ONWARD_ENCRYPTION_KEY"],
            "ONWARD_WORKER_TICK_SECONDS": "1",
            "ONWARD_WORKER_LEASE_SECONDS": "5",
            "ONWARD_WORKER_BATCH_SIZE": "50",
            "ONWARD_SMTP_HOST": "127.0.0.1",
            "ONWARD_SMTP_PORT": str(smtp_port),
            "ONWARD_MAIL_FROM": MAIL_FROM,
            "ONWARD_QUIET_HOURS": "0-0",
            "ONWARD_FOLLOWUP_LATE_AFTER_MINUTES": str(LATE_AFTER_MINUTES),
            "ONWARD_LOG_LEVEL": "WARNING",
        }
        self.survivors: list[Any] = []
        self.since = datetime.now(UTC)
        self.workers: list[subprocess.Popen[bytes]] = []

    async def close(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait()
        await self.alchemy.get_engine().dispose()

    async def seed_people(self, survivors: int = 20) -> None:
        """One NGO: a coordinator, five counsellors, survivors who each have an account."""
        async with self.alchemy.get_session() as db:
            ngo = Organisation(name=f"Drill NGO {uuid.uuid4().hex[:6]}", kind="support")
            db.add(ngo)
            await db.flush()

            def user(role: str) -> User:
                return User(
                    email=f"{role}-{uuid.uuid4().hex[:10]}@drill.invalid",
                    password_hash="!",  # never logs in
                    role=role,
                    organisation_id=ngo.id,
                )

            coordinator, counsellors = user("coordinator"), [user("counsellor") for _ in range(5)]
            accounts = [user("survivor") for _ in range(survivors)]
            db.add_all([coordinator, *counsellors, *accounts])
            await db.flush()
            rows = [
                Survivor(
                    organisation_id=ngo.id,
                    counsellor_id=counsellors[index % len(counsellors)].id,
                    user_id=account.id,
                    display_name=f"Drill person {index}",
                    region="DE30",
                )
                for index, account in enumerate(accounts)
            ]
            db.add_all(rows)
            await db.commit()
            self.survivors = [row.id for row in rows]

    async def reset(self) -> None:
        """Empty the work tables between drills (people stay)."""
        async with self.alchemy.get_session() as db:
            await db.execute(text("TRUNCATE followup, outbox_message CASCADE"))
            await db.commit()
        self.sink.take()
        # The audit trail is append-only: each drill counts only its own rows.
        self.since = datetime.now(UTC)

    async def seed_followups(self, count: int, first_due: datetime, last_due: datetime) -> None:
        span = (last_due - first_due).total_seconds()
        now = datetime.now(UTC)
        rows = [
            {
                "id": uuid.uuid4(),
                "survivor_id": self.survivors[index % len(self.survivors)],
                "kind": "plan_7d",
                "due_at": first_due + timedelta(seconds=span * index / max(count - 1, 1)),
                "status": "scheduled",
                "attempts": 0,
                "idempotency_key": f"drill:{uuid.uuid4()}",
                "late": False,
                "answers": {},
                "risk_flags": [],
                "created_at": now,
                "updated_at": now,
            }
            for index in range(count)
        ]
        async with self.alchemy.get_session() as db:
            await db.execute(insert(FollowUp), rows)
            await db.commit()

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"worker-{len(self.workers)}.log", "wb")  # the child keeps it open
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "worker"], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        self.workers.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    async def outstanding(self) -> tuple[int, int]:
        async with self.alchemy.get_session() as db:
            followups = await db.scalar(select(func.count()).where(FollowUp.status.in_(("scheduled", "claimed"))))
            messages = await db.scalar(select(func.count()).where(OutboxMessage.status.in_(("pending", "sending"))))
        return int(followups or 0), int(messages or 0)

    async def fall_due(self, count: int) -> None:
        """Make the next `count` future follow-ups due now."""
        async with self.alchemy.get_session() as db:
            now = datetime.now(UTC)
            future = select(FollowUp.id).where(FollowUp.due_at > now).order_by(FollowUp.id).limit(count)
            await db.execute(update(FollowUp).where(FollowUp.id.in_(future.scalar_subquery())).values(due_at=now))
            await db.commit()

    async def progress(self) -> tuple[int, int, int]:
        """Rows claimed, processed and sent so far: changes as soon as a worker does anything."""
        async with self.alchemy.get_session() as db:
            claimed = await db.scalar(select(func.coalesce(func.sum(FollowUp.attempts), 0)))
            done = await db.scalar(select(func.count()).where(FollowUp.status == "done"))
            sent = await db.scalar(select(func.count()).where(OutboxMessage.status != "pending"))
        return int(claimed or 0), int(done or 0), int(sent or 0)

    async def wait_drained(self, limit: float) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if await self.outstanding() == (0, 0):
                return True
            await asyncio.sleep(0.25)
        return False

    async def measure(self, name: str, started: float) -> Result:
        result = Result(name=name, seconds=time.monotonic() - started)
        delivered = self.sink.take()
        async with self.alchemy.get_session() as db:
            result.followups = int(await db.scalar(select(func.count()).select_from(FollowUp)) or 0)
            result.processed = int(await db.scalar(select(func.count()).where(FollowUp.status == "done")) or 0)
            result.late = int(await db.scalar(select(func.count()).where(FollowUp.late.is_(True))) or 0)
            audit = (
                await db.execute(
                    select(func.count(), func.count(func.distinct(AuditEvent.object_id))).where(
                        AuditEvent.action == "followup.processed", AuditEvent.at >= self.since
                    )
                )
            ).one()
            email = OutboxMessage.channel == "email"
            keys = (await db.scalars(select(OutboxMessage.idempotency_key).where(email))).all()
            late_alerts = int(
                await db.scalar(
                    select(func.count(func.distinct(OutboxMessage.followup_id))).where(OutboxMessage.template == "late")
                )
                or 0
            )
            span = (await db.execute(select(func.min(FollowUp.processed_at), func.max(FollowUp.processed_at)))).one()
        expected = {message_id(key, MAIL_FROM) for key in keys}
        distinct = set(delivered)
        result.lost = result.followups - result.processed
        result.duplicate_results = int(audit[0]) - int(audit[1])
        result.emails_expected = len(expected)
        result.emails_delivered = len(distinct & expected)
        result.emails_missing = len(expected - distinct)
        result.raw_repeats = len(delivered) - len(distinct)
        # Dropped: not processed at all, or processed late without the escalation.
        result.dropped = result.lost + (result.late - late_alerts)
        if span[0] is not None and span[1] is not None and span[1] > span[0]:
            result.rate = result.processed / (span[1] - span[0]).total_seconds()
        if distinct - expected:
            result.notes.append(f"{len(distinct - expected)} unexpected Message-IDs")
        return result


async def crash_drill(drill: Drill, count: int, kills: int, pause: tuple[float, float] = (0.0, 1.5)) -> Result:
    """Kill each worker at a random moment after it started working (not while it imports)."""
    await drill.reset()
    later = datetime.now(UTC) + timedelta(days=1)
    await drill.seed_followups(count, later, later)
    started = time.monotonic()
    for kill in range(kills):
        # A slice falls due just before each worker starts, so every incarnation has work to
        # be killed in, however slow start-up is on this machine.
        await drill.fall_due(count * (kill + 1) // kills - count * kill // kills)
        before = await drill.progress()
        process = drill.start_worker()
        for _ in range(400):  # up to 20 s for it to start working
            if await drill.progress() != before:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(random.uniform(*pause))
        process.kill()  # SIGKILL: no cleanup, leases and half-sent batches left behind
        process.wait()
    final = drill.start_worker()
    drained = await drill.wait_drained(limit=180)
    drill.stop(final)
    result = await drill.measure(f"1 crash ({kills} x SIGKILL)", started)
    result.rate = 0.0  # dominated by restarts: not a throughput figure
    if not drained:
        result.notes.append("not drained within 180 s")
    return result


async def parallel_drill(drill: Drill, count: int, workers: int) -> Result:
    await drill.reset()
    await drill.seed_followups(count, datetime.now(UTC) - timedelta(seconds=1), datetime.now(UTC))
    started = time.monotonic()
    processes = [drill.start_worker() for _ in range(workers)]
    drained = await drill.wait_drained(limit=180)
    for process in processes:
        drill.stop(process)
    label = "2 two workers" if workers == 2 else "4 one worker"
    result = await drill.measure(label, started)
    if not drained:
        result.notes.append("not drained within 180 s")
    return result


async def downtime_drill(drill: Drill, count: int) -> Result:
    await drill.reset()
    now = datetime.now(UTC)
    await drill.seed_followups(count, now - timedelta(hours=1), now - timedelta(seconds=1))
    started = time.monotonic()
    process = drill.start_worker()
    drained = await drill.wait_drained(limit=180)
    drill.stop(process)
    result = await drill.measure("3 downtime (1 h)", started)
    if not drained:
        result.notes.append("not drained within 180 s")
    return result


async def create_database() -> str:
    name = f"onward_drill_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def migrate(url: str) -> None:
    from advanced_alchemy.alembic.commands import AlembicCommands

    config = build_alchemy_config(DatabaseSettings(url=url))
    AlembicCommands(sqlalchemy_config=config).upgrade(revision="head")
    asyncio.run(config.get_engine().dispose())


def start_sink() -> tuple[Sink, Controller, int]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller, port


def table(results: list[Result]) -> str:
    header = (
        f"{'drill':<24}{'followups':>10}{'processed':>10}{'late':>6}{'lost':>6}{'dup res':>8}"
        f"{'emails':>8}{'deliv':>7}{'repeat':>7}{'missing':>8}{'dropped':>8}{'secs':>7}{'rate/s':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.name:<24}{r.followups:>10}{r.processed:>10}{r.late:>6}{r.lost:>6}{r.duplicate_results:>8}"
            f"{r.emails_expected:>8}{r.emails_delivered:>7}{r.raw_repeats:>7}{r.emails_missing:>8}"
            f"{r.dropped:>8}{r.seconds:>7.1f}{(f'{r.rate:.1f}' if r.rate else '-'):>8}"
            + (f"  ({'; '.join(r.notes)})" if r.notes else "")
        )
    return "\n".join(lines)


async def run_all(database_url: str, followups: int, kills: int, log_dir: Path) -> list[Result]:
    sink, controller, port = start_sink()
    drill = Drill(database_url, sink, port, log_dir)
    try:
        await drill.seed_people()
        results = [await crash_drill(drill, followups, kills)]
        results.append(await parallel_drill(drill, followups, 2))
        results.append(await downtime_drill(drill, followups))
        results.append(await parallel_drill(drill, followups, 1))
        return results
    finally:
        await drill.close()
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--followups", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=50)
    args = parser.parse_args()
    name = asyncio.run(create_database())
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    log_dir = Path(tempfile.mkdtemp(prefix="onward-drill-logs-"))
    try:
        migrate(url)
        results = asyncio.run(run_all(url, args.followups, args.kills, log_dir))
    finally:
        asyncio.run(drop_database(name))
    print(table(results))
    by_name = {r.name[0]: r for r in results}
    lost = sum(r.lost + r.emails_missing for r in results)
    duplicated = sum(r.duplicate_results + r.raw_repeats for r in results)
    dropped = sum(r.dropped for r in results)
    print(f"(1 worker {by_name['4'].rate:.1f}/s, 2 workers {by_name['2'].rate:.1f}/s; worker logs in {log_dir})")
    print(f"lost {lost} duplicated {duplicated} dropped {dropped} throughput {by_name['4'].rate:.1f}/s")
    shutil.rmtree(os.environ["ONWARD_VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
