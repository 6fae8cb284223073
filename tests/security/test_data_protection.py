"""SECURITY S2, S3, S5, S7, S16–S18: scope, encryption at rest, no personal data in logs, audit."""

from __future__ import annotations

import logging
import os
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text

from service.domain.accounts.models import User
from service.domain.survivors.models import Survivor
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory

CANARIES = {
    "display_name": "CANARY-NAME-7f3a",
    "contact": "CANARY-PHONE-19c2",
    "exact_location": "CANARY-STREET-55b1",
    "shelter": "CANARY-SHELTER-a0d4",
    "nationality": "CANARY-NATION-e8f0",
    "notes": "CANARY-NOTES-3c77",
}


async def _create_canary_survivor(client: AsyncTestClient, factory: Factory) -> dict[str, Any]:
    counsellor = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, counsellor)
    response = await client.post("/api/survivors", json={**CANARIES, "region": "DE30"}, headers=headers)
    assert response.status_code == 201, response.text
    assert (await client.get(f"/api/survivors/{response.json()['id']}")).json()["notes"] == CANARIES["notes"]
    return response.json()


async def _raw_dump(database_url: str) -> str:
    """Every value of every table, read without the application (as a stolen backup would be)."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split("///", 1)[1])
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = [repr(connection.execute(f'SELECT * FROM "{table}"').fetchall()) for table in tables]
        connection.close()
        return "\n".join(dump)
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        tables = [
            row["tablename"]
            for row in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        ]
        dump = [repr(await connection.fetch(f'SELECT * FROM "{table}"')) for table in tables]
    finally:
        await connection.close()
    return "\n".join(dump)


async def test_raw_database_holds_no_plaintext_canary(
    client: AsyncTestClient, factory: Factory, database_url: str
) -> None:
    await _create_canary_survivor(client, factory)
    dump = await _raw_dump(database_url)
    assert "DE30" in dump  # the dump really contains the survivor row
    for canary in CANARIES.values():
        assert canary not in dump
    assert factory.settings.security.encryption_key not in dump


def test_encryption_key_is_not_in_migrations() -> None:
    key = os.environ["ONWARD_ENCRYPTION_KEY"]
    migrations = Path(__file__).resolve().parents[2] / "service" / "db" / "migrations"
    for path in migrations.rglob("*.py"):
        content = path.read_text()
        assert key not in content and "encryption_key" not in content, path


async def test_no_canary_reaches_any_log_line(
    client: AsyncTestClient, factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = await _create_canary_survivor(client, factory)
    await client.patch(f"/api/survivors/{created['id']}", json={"notes": CANARIES["notes"] + "-again"})
    await client.post("/api/survivors", json={**CANARIES, "region": "not a region"})
    logged = "\n".join(record.getMessage() + str(record.args) for record in caplog.records)
    for canary in CANARIES.values():
        assert canary not in logged


async def test_out_of_scope_survivor_answers_exactly_like_a_missing_one(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    someone_elses = await factory.survivor(ngo, await factory.user("counsellor", ngo))
    await factory.login(client, await factory.user("counsellor", ngo))
    hidden = await client.get(f"/api/survivors/{someone_elses.id}")
    missing = await client.get("/api/survivors/00000000-0000-4000-8000-000000000000")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.headers["content-type"] == missing.headers["content-type"]


async def test_another_ngo_cannot_see_or_change_our_survivors(client: AsyncTestClient, factory: Factory) -> None:
    ours, theirs = await factory.org(), await factory.org()
    survivor = await factory.survivor(ours, await factory.user("counsellor", ours))
    headers = await factory.login(client, await factory.user("coordinator", theirs))
    assert (await client.get(f"/api/survivors/{survivor.id}")).status_code == 404
    assert (
        await client.patch(f"/api/survivors/{survivor.id}", json={"notes": "x"}, headers=headers)
    ).status_code == 404
    assert (await client.get("/api/survivors")).json()["total"] == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_lists_and_counts_equal_the_details_each_actor_may_open(
    client: AsyncTestClient, factory: Factory, seed: int
) -> None:
    """S3 over a random ownership graph: two NGOs, counsellors, survivors, some unassigned."""
    rng = random.Random(seed)
    orgs = [await factory.org(), await factory.org()]
    counsellors = {org.id: [await factory.user("counsellor", org) for _ in range(2)] for org in orgs}
    survivors: list[Survivor] = []
    for _ in range(rng.randint(4, 8)):
        org = rng.choice(orgs)
        owner = rng.choice([*counsellors[org.id], None])
        survivors.append(await factory.survivor(org, owner))
    actors: list[User] = [user for group in counsellors.values() for user in group]
    actors += [await factory.user("coordinator", org) for org in orgs]
    actors.append(await factory.user("survivor", _org_of(orgs, survivors[0]), survivor=survivors[0]))
    for actor in actors:
        client.cookies.clear()
        await factory.login(client, actor)
        listed = {item["id"] for item in (await client.get("/api/survivors?limit=200")).json()["items"]}
        count = (await client.get("/api/survivors/count")).json()["total"]
        openable = {str(s.id) for s in survivors if (await client.get(f"/api/survivors/{s.id}")).status_code == 200}
        assert listed == openable, actor.role
        assert count == len(openable)


def _org_of(orgs: list[Any], survivor: Survivor) -> Any:
    return next(org for org in orgs if org.id == survivor.organisation_id)


@pytest.mark.parametrize(
    "extra",
    [
        {"organisation_id": "00000000-0000-4000-8000-000000000001"},
        {"counsellor_id": "00000000-0000-4000-8000-000000000001"},
        {"user_id": "00000000-0000-4000-8000-000000000001"},
        {"id": "00000000-0000-4000-8000-000000000001"},
    ],
)
async def test_extra_fields_on_a_survivor_update_are_refused_and_nothing_changes(
    client: AsyncTestClient, factory: Factory, extra: dict[str, str]
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, notes="before")
    headers = await factory.login(client, counsellor)
    response = await client.patch(f"/api/survivors/{survivor.id}", json={"notes": "after", **extra}, headers=headers)
    assert response.status_code == 400
    assert next(iter(extra)) in response.json()["detail"]
    after = (await client.get(f"/api/survivors/{survivor.id}")).json()
    assert after["notes"] == "before" and after["counsellor_id"] == str(counsellor.id)


async def test_role_cannot_be_raised_through_a_user_update(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, counsellor)
    response = await client.patch(f"/api/users/{counsellor.id}", json={"role": "admin"}, headers=headers)
    assert response.status_code == 400
    assert (await client.get("/api/auth/me")).json()["user"]["role"] == "counsellor"


async def test_reads_denials_and_logins_are_audited(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    mine = await factory.survivor(ngo, counsellor)
    hidden = await factory.survivor(ngo, None)
    await client.post("/api/auth/login", json={"email": counsellor.email, "password": "wrong password!!"})
    await factory.login(client, counsellor)
    await client.get(f"/api/survivors/{mine.id}")
    await client.get(f"/api/survivors/{hidden.id}")
    async with factory.alchemy.get_session() as db:
        events = (await db.scalars(select(AuditEvent))).all()
    seen = {(e.action, e.object_id, e.outcome) for e in events}
    assert ("survivor.read", str(mine.id), "allowed") in seen
    assert ("survivor.read", str(hidden.id), "denied") in seen
    assert ("login", str(counsellor.id), "allowed") in seen
    assert ("login", str(counsellor.id), "denied") in seen
    assert all(e.actor_id == counsellor.id for e in events if e.action == "survivor.read")


async def test_audit_rows_cannot_be_changed_or_deleted(factory: Factory, backend: str) -> None:
    async with factory.alchemy.get_session() as db:
        db.add(AuditEvent(at=datetime.now(UTC), action="test"))
        await db.commit()
    for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
        async with factory.alchemy.get_session() as db:
            with pytest.raises(Exception, match="append-only"):
                await db.execute(text(statement))
                await db.commit()


async def test_request_fails_when_its_audit_row_cannot_be_written(
    client: AsyncTestClient, factory: Factory, database_url: str, backend: str
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, notes="CANARY-AUDIT-FAIL")
    await factory.login(client, counsellor)
    async with factory.alchemy.get_session() as db:
        if backend == "sqlite":
            await db.execute(
                text(
                    "CREATE TRIGGER audit_broken BEFORE INSERT ON audit_event "
                    "BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END"
                )
            )
        else:
            await db.execute(
                text("ALTER TABLE audit_event ADD CONSTRAINT audit_broken CHECK (action = 'never') NOT VALID")
            )
        await db.commit()
    try:
        response = await client.get(f"/api/survivors/{survivor.id}")
    finally:
        async with factory.alchemy.get_session() as db:  # the PostgreSQL schema is shared by the session
            drop = "DROP TRIGGER audit_broken" if backend == "sqlite" else "ALTER TABLE audit_event DROP CONSTRAINT audit_broken"
            await db.execute(text(drop))
            await db.commit()
    assert response.status_code == 500
    assert "CANARY-AUDIT-FAIL" not in response.text
