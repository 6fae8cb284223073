"""An existing database with people, listings and referrals in it upgrades from the last release
(b63b36dde5e9) to today's head on both backends: no migration may rebuild a table that others
point at (on SQLite, batch mode drops and recreates it, and the foreign keys of its rows fail)."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

import asyncpg
import pytest
from advanced_alchemy.alembic.commands import AlembicCommands

from service.db.config import build_alchemy_config
from service.settings import DatabaseSettings
from tests.conftest import _PG_STATE
from tests.support.db import create_database, drop_database

LAST_RELEASE = "b63b36dde5e9"
ORG = "INSERT INTO organisation (id, name, kind, country, vetting_status, created_at, updated_at) VALUES ({})"
SURVIVOR = (
    "INSERT INTO survivor (id, organisation_id, display_name, region, skills, languages, education, work_history, "
    "goals, availability, children, right_to_work, safety, readiness, created_at, updated_at) VALUES ({})"
)
OPPORTUNITY = (
    "INSERT INTO opportunity (id, organisation_id, kind, status, title, description, essential_skills, "
    "optional_skills, languages, language_codes, schedule, mask_mon, mask_tue, mask_wed, mask_thu, mask_fri, "
    "mask_sat, mask_sun, region, lat, lon, capacity, capacity_left, starts_on, women_only, accommodation_provided, "
    "travel_abroad, contact_channels, vetting_flags, created_at, updated_at) VALUES ({})"
)
REFERRAL = (
    "INSERT INTO referral (id, survivor_id, opportunity_id, partner_id, status, created_at, updated_at) VALUES ({})"
)


def _upgrade(url: str, revision: str) -> None:
    config = build_alchemy_config(DatabaseSettings(url=url))
    AlembicCommands(sqlalchemy_config=config).upgrade(revision=revision)
    asyncio.run(config.get_engine().dispose())


def _current(url: str) -> str:
    config = build_alchemy_config(DatabaseSettings(url=url))

    async def read() -> str:
        async with config.get_engine().connect() as connection:
            from sqlalchemy import text

            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        await config.get_engine().dispose()
        return str(version)

    return asyncio.run(read())


def _head() -> str:
    config = build_alchemy_config(DatabaseSettings(url="sqlite+aiosqlite:///:memory:"))
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(AlembicCommands(sqlalchemy_config=config).config)
    (head,) = script.get_heads()
    return head


@pytest.fixture(params=["sqlite", "postgres"])
def last_release(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the last release, with an NGO, a woman, a listing and a referral in it."""
    ngo, partner, survivor, listing = (uuid.uuid4() for _ in range(4))
    if request.param == "sqlite":
        path = tmp_path / "released.db"
        url = f"sqlite+aiosqlite:///{path}"
        _upgrade(url, LAST_RELEASE)
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA foreign_keys=ON")
        for org, kind in ((ngo, "support"), (partner, "partner")):
            connection.execute(
                ORG.format(f"?, ?, '{kind}', 'DE', 'vetted', '2026-01-01', '2026-01-01'"), (org.bytes, kind)
            )
        connection.execute(
            SURVIVOR.format(
                "?, ?, 'x', 'DE30', '[]', '[]', '[]', '[]', '{}', '[]', '[]', '{}', '{}', 'ready', '2026-01-01', '2026-01-01'"
            ),
            (survivor.bytes, ngo.bytes),
        )
        connection.execute(
            OPPORTUNITY.format(
                "?, ?, 'job', 'published', 't', 'd', '[]', '[]', '[]', ',', '[]', 0, 0, 0, 0, 0, 0, 0, 'DE30', 52.5, "
                "13.4, 1, 1, '2027-01-01', 0, 0, 0, '[]', '[]', '2026-01-01', '2026-01-01'"
            ),
            (listing.bytes, partner.bytes),
        )
        connection.execute(
            REFERRAL.format("?, ?, ?, ?, 'suggested', '2026-01-01', '2026-01-01'"),
            (uuid.uuid4().bytes, survivor.bytes, listing.bytes, partner.bytes),
        )
        connection.commit()
        connection.close()
        return url
    if not _PG_STATE.get("ok"):
        pytest.skip("PostgreSQL not reachable")
    name = f"onward_release_{uuid.uuid4().hex[:8]}"
    asyncio.run(create_database(name))
    request.addfinalizer(lambda: asyncio.run(drop_database(name)))
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    _upgrade(url, LAST_RELEASE)

    async def seed() -> None:
        connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        for org, kind in ((ngo, "support"), (partner, "partner")):
            await connection.execute(ORG.format(f"$1, $2, '{kind}', 'DE', 'vetted', now(), now()"), org, kind)
        await connection.execute(
            SURVIVOR.format(
                "$1, $2, 'x', 'DE30', '[]', '[]', '[]', '[]', '{}', '[]', '[]', '{}', '{}', 'ready', now(), now()"
            ),
            survivor,
            ngo,
        )
        await connection.execute(
            OPPORTUNITY.format(
                "$1, $2, 'job', 'published', 't', 'd', '[]', '[]', '[]', ',', '[]', 0, 0, 0, 0, 0, 0, 0, 'DE30', 52.5, "
                "13.4, 1, 1, '2027-01-01', false, false, false, '[]', '[]', now(), now()"
            ),
            listing,
            partner,
        )
        await connection.execute(
            REFERRAL.format("$1, $2, $3, $4, 'suggested', now(), now()"), uuid.uuid4(), survivor, listing, partner
        )
        await connection.close()

    asyncio.run(seed())
    return url


def test_a_database_in_use_upgrades_from_the_last_release_to_head(last_release: str) -> None:
    _upgrade(last_release, "head")
    assert _current(last_release) == _head()
