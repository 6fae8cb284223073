"""Commands the compose migrator runs on every start: both must be safe to repeat."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.domain.accounts.models import User
from service.domain.system.models import WorkerLease
from service.kernel.actor import now_utc
from service.worker_health import beat_name
from tests.support.factories import Factory

ROOT = Path(__file__).resolve().parents[3]


def onward(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", *args],
        cwd=ROOT,
        env={**os.environ, "ONWARD_DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_bootstrap_admin_creates_the_first_administrator_once(database_url: str, factory: Factory) -> None:
    env = {"ONWARD_ADMIN_EMAIL": "Ops@Example.org", "ONWARD_ADMIN_PASSWORD": "a long operator pass phrase"}
    first = onward(database_url, "users", "bootstrap-admin", **env)
    assert first.returncode == 0, first.stderr
    assert "created the first administrator ops@example.org" in first.stdout
    again = onward(database_url, "users", "bootstrap-admin", **{**env, "ONWARD_ADMIN_EMAIL": "other@example.org"})
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout
    async with factory.alchemy.get_session() as db:
        admins = await db.scalar(select(func.count()).select_from(User).where(User.role == "admin"))
    assert admins == 1


def test_bootstrap_admin_without_an_address_says_what_to_set(database_url: str) -> None:
    result = onward(database_url, "users", "bootstrap-admin", ONWARD_ADMIN_EMAIL="", ONWARD_ADMIN_PASSWORD="")
    assert result.returncode != 0
    assert "ONWARD_ADMIN_EMAIL" in result.stderr and "Traceback" not in result.stderr


def test_bootstrap_admin_refuses_a_weak_password_clearly(database_url: str) -> None:
    result = onward(
        database_url,
        "users",
        "bootstrap-admin",
        ONWARD_ADMIN_EMAIL="a@example.org",
        ONWARD_ADMIN_PASSWORD="onwardonward",
    )
    assert result.returncode != 0
    assert "password:" in result.stderr and "Traceback" not in result.stderr


def test_database_grant_on_sqlite_has_nothing_to_do(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL grants: tests/security/test_database_roles.py")
    result = onward(database_url, "database", "grant")
    assert result.returncode == 0, result.stderr
    assert "nothing to grant" in result.stdout


def _wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_worker_health_reads_the_heartbeat_the_worker_writes(database_url: str) -> None:
    assert onward(database_url, "worker-health").returncode != 0  # no worker yet
    worker = subprocess.Popen(
        [sys.executable, "-m", "service", "worker"],
        cwd=ROOT,
        env={**os.environ, "ONWARD_DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(lambda: onward(database_url, "worker-health").returncode == 0, 60)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    # A stopped worker removes its row; a hung one stops refreshing it: either way unhealthy.
    assert onward(database_url, "worker-health").returncode != 0


async def test_a_stale_heartbeat_is_unhealthy(database_url: str, factory: Factory) -> None:
    async with factory.alchemy.get_session() as db:
        db.add(
            WorkerLease(
                name=beat_name(f"{socket.gethostname()}:1"),
                holder="hung",
                heartbeat_at=now_utc() - timedelta(minutes=5),
            )
        )
        await db.commit()
    result = onward(database_url, "worker-health", "--max-age-seconds", "60")
    assert result.returncode != 0 and "no worker heartbeat" in result.stderr
