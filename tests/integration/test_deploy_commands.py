"""Commands the compose migrator runs on every start: both must be safe to repeat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.domain.accounts.models import User
from tests.support.factories import Factory

ROOT = Path(__file__).resolve().parents[2]


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
