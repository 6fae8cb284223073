"""The `onward` CLI as an operator uses it: a real subprocess against each database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from service.domain.accounts.models import User
from tests.support.factories import Factory

ROOT = Path(__file__).resolve().parents[3]


def onward(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONWARD_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "service", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


async def test_users_create_makes_an_account_that_can_log_in(database_url: str, factory: Factory) -> None:
    result = onward(
        database_url,
        "users", "create", "--email", "Ops.Person@Example.org", "--role", "counsellor",
        "--org", "Field Office", "--password", "a long operator pass phrase",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "created counsellor ops.person@example.org" in result.stdout
    async with factory.alchemy.get_session() as db:
        user = await db.scalar(select(User).where(User.email == "ops.person@example.org"))
    assert user is not None and user.organisation is not None and user.organisation.name == "Field Office"


def test_users_create_refuses_a_weak_password_with_a_clear_message(database_url: str) -> None:
    result = onward(
        database_url, "users", "create", "--email", "x@example.org", "--role", "counsellor", "--org", "O",
        "--password", "short",
    )  # fmt: skip
    assert result.returncode != 0
    assert "at least 12 characters" in result.stderr
    assert "Traceback" not in result.stderr


async def test_demo_load_is_idempotent_and_prints_logins(database_url: str, factory: Factory) -> None:
    first = onward(database_url, "demo", "load")
    assert first.returncode == 0, first.stderr
    assert "counsellor1.berlin@demo.onward.example" in first.stdout
    async with factory.alchemy.get_session() as db:
        users_after_first = await db.scalar(select(func.count()).select_from(User))
    second = onward(database_url, "demo", "load")
    assert second.returncode == 0 and "already loaded" in second.stdout
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(func.count()).select_from(User)) == users_after_first


def test_demo_code_prints_six_digits_for_demo_accounts_only(database_url: str) -> None:
    code = onward(database_url, "demo", "code", "admin@demo.onward.example")
    assert code.returncode == 0 and code.stdout.strip().isdigit() and len(code.stdout.strip()) == 6
    assert onward(database_url, "demo", "code", "someone@example.org").returncode != 0
