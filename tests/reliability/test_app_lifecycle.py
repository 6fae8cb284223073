"""An application that stops closes its database connections: none outlives it (nor its event
loop) on the server or in the pool, whichever config of the process it is."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from service.asgi import create_app
from service.settings import Settings


async def _server_connections(database_url: str) -> int:
    name = database_url.rsplit("/", 1)[1]
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        count = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name
        )
    finally:
        await connection.close()
    return int(count)


async def test_shutdown_closes_the_database_connections(settings: Settings, backend: str) -> None:
    # Two apps in one process: the second's advanced-alchemy state key gets a suffix, the case
    # in which the library's own lifespan left its connections open.
    for _ in range(2):
        app = create_app(settings)
        async with AsyncTestClient(app=app) as client:
            assert (await client.get("/health/ready")).status_code == 200
            engine = app.state["alchemy"].get_engine()
            assert isinstance(engine, AsyncEngine)
            assert engine.pool.checkedin() >= 1  # type: ignore[attr-defined]
            if backend == "postgres":
                assert await _server_connections(settings.db.url) >= 1
        assert engine.pool.checkedin() == 0  # type: ignore[attr-defined]
        if backend == "postgres":
            assert await _server_connections(settings.db.url) == 0
