"""Test databases: migrate with the real migrations, reset between tests."""

from __future__ import annotations

import asyncio

import asyncpg
from advanced_alchemy.alembic.commands import AlembicCommands

from service.db.config import build_alchemy_config
from service.settings import DatabaseSettings

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_available() -> bool:
    async def probe() -> bool:
        try:
            connection = await asyncpg.connect(PG_ADMIN_URL, timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        await connection.close()
        return True

    return asyncio.run(probe())


async def create_database(name: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def migrate(url: str) -> None:
    """Apply every migration, exactly as `onward database upgrade` does."""
    config = build_alchemy_config(DatabaseSettings(url=url))
    AlembicCommands(sqlalchemy_config=config).upgrade(revision="head")
    asyncio.run(config.get_engine().dispose())


def _plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def reset_postgres(url: str) -> None:
    """Empty every table. Triggers are bypassed only here, by the superuser, for cleanup."""
    connection = await asyncpg.connect(_plain_url(url))
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        if tables:
            names = ", ".join(f'"{row["tablename"]}"' for row in tables)
            await connection.execute("SET session_replication_role = replica")
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            await connection.execute("SET session_replication_role = DEFAULT")
    finally:
        await connection.close()
