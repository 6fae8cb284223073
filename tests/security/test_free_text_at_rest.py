"""SECURITY S28: every free-text part of her profile is encrypted at rest, existing rows are
converted by the migration, and a partner reads such text only where her consent names it."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import asyncpg
import pytest
from advanced_alchemy.alembic.commands import AlembicCommands
from advanced_alchemy.types import EncryptedText
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.db.config import build_alchemy_config
from service.domain.survivors.models import Survivor
from service.settings import DatabaseSettings, encryption_key
from tests.conftest import _PG_STATE
from tests.support.cases import as_user, make_case, shared_referral
from tests.support.db import create_database, drop_database
from tests.support.factories import Factory

TYPED = {
    "work_history": [{"title": "CANARY-TITLE-club-nightingale", "years": 2, "formal": False}],
    "education": [{"isced_level": 3, "field": "CANARY-FIELD-school-in-ruse", "completed": True}],
    "skills": [{"uri": "http://data.europa.eu/esco/skill/abc-1", "level": 2, "evidence": "CANARY-EVIDENCE-for-mr-x"}],
    "goals": {"sectors": ["CANARY-SECTOR-near-aunt-petra"], "currency": "EUR"},
}
PREVIOUS_HEAD = "accounts_0001"
"""The revision before hardening_0001 (b63b36dde5e9 until the labels and scale revisions were merged)."""
CANARIES = ("CANARY-TITLE", "CANARY-FIELD", "CANARY-EVIDENCE", "CANARY-SECTOR")


async def _raw_survivor_rows(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split("///", 1)[1])
        try:
            return repr(connection.execute("SELECT * FROM survivor").fetchall())
        finally:
            connection.close()
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return repr(await connection.fetch("SELECT * FROM survivor"))
    finally:
        await connection.close()


async def test_typed_profile_text_is_not_in_the_raw_database(database_url: str, factory: Factory) -> None:
    ngo = await factory.org()
    survivor = await factory.survivor(ngo, **TYPED)
    raw = await _raw_survivor_rows(database_url)
    assert "DE30" in raw  # the row is really there
    for canary in CANARIES:
        assert canary not in raw, canary
    async with factory.alchemy.get_session() as db:
        stored = await db.get_one(Survivor, survivor.id)
    assert stored.work_history == TYPED["work_history"] and stored.goals == TYPED["goals"]


async def test_a_partner_reads_typed_text_only_for_the_fields_her_consent_names(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory, **TYPED)
    referral, _ = await shared_referral(client, factory, case, ["region", "languages"])
    await as_user(client, factory, case.partner_user)
    narrow = (await client.get(f"/api/partner/candidates/{referral}")).text
    for canary in CANARIES:
        assert canary not in narrow, canary

    other = await make_case(factory, **TYPED)
    named, _ = await shared_referral(client, factory, other, ["work_history"])
    await as_user(client, factory, other.partner_user)
    wide = (await client.get(f"/api/partner/candidates/{named}")).json()
    assert wide["fields"]["work_history"][0]["title"] == TYPED["work_history"][0]["title"]
    assert "CANARY-FIELD" not in repr(wide) and "CANARY-SECTOR" not in repr(wide)


def _upgrade(url: str, revision: str) -> None:
    config = build_alchemy_config(DatabaseSettings(url=url))
    AlembicCommands(sqlalchemy_config=config).upgrade(revision=revision)
    asyncio.run(config.get_engine().dispose())


@pytest.fixture(params=["sqlite", "postgres"])
def before_hardening(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the revision before this change, holding one plaintext profile."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    else:
        if not _PG_STATE.get("ok"):
            pytest.skip("PostgreSQL not reachable")
        name = f"onward_sealed_{uuid.uuid4().hex[:8]}"
        asyncio.run(create_database(name))
        request.addfinalizer(lambda: asyncio.run(drop_database(name)))
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    _upgrade(url, PREVIOUS_HEAD)
    return url


async def test_the_migration_encrypts_existing_profiles(before_hardening: str) -> None:
    import json

    url = before_hardening
    name = EncryptedText(key=encryption_key).process_bind_param("Old Profile", None)  # type: ignore[arg-type]
    org_id, survivor_id = uuid.uuid4(), uuid.uuid4()
    insert_org = (
        "INSERT INTO organisation (id, name, kind, country, vetting_status, created_at, updated_at) VALUES ({})"
    )
    columns = (
        "id, organisation_id, display_name, region, skills, languages, education, work_history, goals, "
        "availability, children, right_to_work, safety, readiness, created_at, updated_at"
    )
    values = (
        [json.dumps(TYPED[name]) for name in ("skills",)]
        + ["[]"]
        + [json.dumps(TYPED[name]) for name in ("education", "work_history", "goals")]
    )
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.split("///", 1)[1])
        connection.execute(
            insert_org.format("?, 'Old NGO', 'support', 'DE', 'vetted', '2026-01-01', '2026-01-01'"), (org_id.bytes,)
        )
        connection.execute(
            f"INSERT INTO survivor ({columns}) VALUES (?, ?, ?, 'DE30', ?, ?, ?, ?, ?, '[]', '[]', '{{}}', '{{}}', 'ready', "
            "'2026-01-01', '2026-01-01')",
            (survivor_id.bytes, org_id.bytes, name, *values),
        )
        connection.commit()
        connection.close()
    else:
        connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        await connection.execute(insert_org.format("$1, 'Old NGO', 'support', 'DE', 'vetted', now(), now()"), org_id)
        await connection.execute(
            f"INSERT INTO survivor ({columns}) VALUES ($1, $2, $3, 'DE30', $4::jsonb, $5::jsonb, $6::jsonb, $7::jsonb, "
            "$8::jsonb, '[]', '[]', '{}', '{}', 'ready', now(), now())",
            survivor_id, org_id, name, *values,
        )  # fmt: skip
        await connection.close()
    assert "CANARY-TITLE" in await _raw_survivor_rows(url)

    await asyncio.to_thread(_upgrade, url, "head")

    raw = await _raw_survivor_rows(url)
    for canary in CANARIES:
        assert canary not in raw, canary
    config = build_alchemy_config(DatabaseSettings(url=url))
    async with config.get_session() as db:
        stored = await db.scalar(select(Survivor).where(Survivor.id == survivor_id))
    await config.get_engine().dispose()
    assert stored is not None
    assert (stored.skills, stored.education, stored.work_history, stored.goals) == (
        TYPED["skills"], TYPED["education"], TYPED["work_history"], TYPED["goals"]
    )  # fmt: skip
