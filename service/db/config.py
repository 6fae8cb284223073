"""The database wiring: one advanced-alchemy config per process, built from settings."""

from __future__ import annotations

from pathlib import Path

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from service.settings import DatabaseSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        # Foreign keys are off by default in SQLite; WAL lets the worker and the web read
        # while the other writes; busy_timeout waits for a lock instead of failing at once.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def build_alchemy_config(db: DatabaseSettings) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config: engine, session factory, Alembic location, autocommit."""
    engine_config = (
        EngineConfig(echo=db.echo)
        if db.is_sqlite
        else EngineConfig(echo=db.echo, pool_size=db.pool_size, pool_pre_ping=True)
    )
    config = SQLAlchemyAsyncConfig(
        connection_string=db.url,
        engine_config=engine_config,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        # One transaction per request: committed on 2xx/3xx, rolled back otherwise.
        before_send_handler="autocommit_include_redirects",
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS_DIR),
            script_config=str(MIGRATIONS_DIR / "alembic.ini"),
            version_table_name="alembic_version",
            render_as_batch=True,
            compare_type=True,
        ),
        create_all=False,
    )
    if db.is_sqlite:
        _sqlite_pragmas(config.get_engine())
    return config
