"""SECURITY S27/S18: on PostgreSQL the application role cannot rewrite the audit trail.

The owner migrates and runs `onward database grant`; the application connects as a role that
is neither superuser nor owner. Every known bypass of the append-only triggers fails for it,
and the product's ordinary work still succeeds as it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import _PG_STATE, app_for, make_settings
from tests.support.db import PG_ADMIN_URL, create_database, drop_database, migrate
from tests.support.factories import Factory

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Roles:
    owner_url: str
    app_url: str
    role: str


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@pytest.fixture(scope="module")
def roles() -> Iterator[Roles]:
    if not _PG_STATE.get("ok"):
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    name, role = f"onward_roles_{suffix}", f"onward_app_{suffix}"
    asyncio.run(create_database(name))
    owner_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    migrate(owner_url)
    result = subprocess.run(
        [sys.executable, "-m", "service", "database", "grant", "--role", role],
        cwd=ROOT,
        env={**os.environ, "ONWARD_DATABASE_URL": owner_url, "ONWARD_APP_DB_PASSWORD": "app role pass phrase"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        assert result.returncode == 0, result.stderr + result.stdout
        yield Roles(owner_url, f"postgresql+asyncpg://{role}@127.0.0.1:5432/{name}", role)
    finally:
        asyncio.run(drop_database(name))
        asyncio.run(_drop_role(role))


async def _drop_role(role: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f"DROP ROLE IF EXISTS {role}")
    finally:
        await connection.close()


@pytest.fixture
async def as_app(roles: Roles) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(_plain(roles.app_url))
    yield connection
    await connection.close()


async def _audit_rows(roles: Roles) -> int:
    connection = await asyncpg.connect(_plain(roles.owner_url))
    try:
        return int(await connection.fetchval("SELECT count(*) FROM audit_event"))
    finally:
        await connection.close()


async def test_the_application_role_is_neither_superuser_nor_owner(as_app: asyncpg.Connection, roles: Roles) -> None:
    role = await as_app.fetchrow(
        "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = $1", roles.role
    )
    assert role is not None and not any(role.values())
    owned = await as_app.fetchval(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1", roles.role
    )
    assert owned == 0
    for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
        assert not await as_app.fetchval("SELECT has_table_privilege('audit_event', $1)", privilege), privilege
    for privilege in ("SELECT", "INSERT"):
        assert await as_app.fetchval("SELECT has_table_privilege('audit_event', $1)", privilege), privilege


BYPASSES = [
    "UPDATE audit_event SET outcome = 'ok'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
    "SET session_replication_role = replica",
    "SET LOCAL session_replication_role = replica",
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change",
    "DROP TRIGGER audit_event_no_change ON audit_event",
    "DROP TABLE audit_event",
    "CREATE TABLE audit_copy (id int)",
    "ALTER TABLE audit_event OWNER TO CURRENT_USER",
]


@pytest.mark.parametrize("statement", BYPASSES)
async def test_no_route_around_the_append_only_audit_trail(
    as_app: asyncpg.Connection, roles: Roles, statement: str
) -> None:
    await as_app.execute(
        "INSERT INTO audit_event (id, at, action, object_type, outcome) "
        "VALUES (gen_random_uuid(), now(), 'probe', 'test', 'ok')"
    )
    before = await _audit_rows(roles)
    with pytest.raises(asyncpg.PostgresError):
        async with as_app.transaction():
            await as_app.execute(statement)
            # Had the statement passed, this would be the deletion it enabled.
            await as_app.execute("DELETE FROM audit_event")
    assert await _audit_rows(roles) == before


async def test_the_product_works_as_the_application_role(roles: Roles) -> None:
    settings = make_settings(roles.app_url)
    factory = Factory(settings)
    try:
        async with AsyncTestClient(app=app_for(settings)) as client:
            org = await factory.org()
            counsellor = await factory.user("counsellor", org)
            headers = await factory.login(client, counsellor)
            created = await client.post(
                "/api/survivors", json={"display_name": "Role Probe", "region": "DE30"}, headers=headers
            )
            assert created.status_code == 201, created.text
            read = await client.get(f"/api/survivors/{created.json()['id']}", headers=headers)
            assert read.status_code == 200, read.text
            token = await client.post("/api/auth/tokens", json={"name": "script"}, headers=headers)
            assert token.status_code == 201, token.text
            assert (await client.post("/api/auth/logout", headers=headers)).status_code == 200
    finally:
        await factory.close()
    assert await _audit_rows(roles) >= 3


async def test_the_owner_can_bypass_the_triggers_which_is_why_the_app_is_not_the_owner(roles: Roles) -> None:
    """The finding itself: as the superuser owner, `session_replication_role` deletes audit rows."""
    connection = await asyncpg.connect(_plain(roles.owner_url))
    try:
        transaction = connection.transaction()
        await transaction.start()
        await connection.execute(
            "INSERT INTO audit_event (id, at, action, object_type, outcome) "
            "VALUES (gen_random_uuid(), now(), 'probe', 'owner', 'ok')"
        )
        await connection.execute("SET LOCAL session_replication_role = replica")
        deleted = await connection.execute("DELETE FROM audit_event WHERE object_type = 'owner'")
        await transaction.rollback()  # the probe leaves nothing behind
        assert deleted == "DELETE 1"
    finally:
        await connection.close()
