"""Two real web processes on one PostgreSQL database agree on sessions and on login throttling.

SECURITY S8/S9 (sessions live in the database, so logout anywhere ends them everywhere) and S13
(failed logins are counted in the database, not per process). Each process is a real
`uvicorn service.asgi:create_app --factory` on its own port.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from service.domain.accounts.auth import SESSION_COOKIE
from service.domain.accounts.models import User
from service.settings import Settings
from tests.conftest import make_settings
from tests.support.db import reset_postgres
from tests.support.factories import PASSWORD, Factory
from tests.support.servers import WebProcess, start_web_process

pytestmark = pytest.mark.postgres
REQUEST_TIMEOUT = 10.0


@pytest.fixture(scope="module")
def pair(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebProcess, WebProcess]]:
    """Processes A and B, both ready, on the same freshly emptied PostgreSQL database."""
    asyncio.run(reset_postgres(postgres_url))
    env = {
        "ONWARD_DATABASE_URL": postgres_url,
        "ONWARD_COOKIE_SECURE": "false",
        "ONWARD_EMBEDDED_WORKER": "false",
    }
    logs = tmp_path_factory.mktemp("web-logs")
    started: list[WebProcess] = []
    try:
        started.append(start_web_process(env, logs))
        started.append(start_web_process(env, logs))
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def pg_settings(postgres_url: str) -> Settings:
    return make_settings(postgres_url)


@pytest.fixture
async def pg_factory(pg_settings: Settings) -> AsyncIterator[Factory]:
    made = Factory(pg_settings)
    yield made
    await made.close()


@pytest.fixture
async def counsellor(pg_factory: Factory) -> User:
    return await pg_factory.user("counsellor", await pg_factory.org(), mfa=False)


def client_for(server: WebProcess, session: str | None = None) -> httpx.AsyncClient:
    cookies = {SESSION_COOKIE: session} if session else None
    return httpx.AsyncClient(base_url=server.base_url, cookies=cookies, timeout=REQUEST_TIMEOUT)


async def log_in(server: WebProcess, user: User, password: str = PASSWORD) -> httpx.Response:
    async with client_for(server) as client:
        return await client.post("/api/auth/login", json={"email": user.email, "password": password})


async def me(server: WebProcess, session: str) -> int:
    async with client_for(server, session) as client:
        return (await client.get("/api/auth/me")).status_code


async def test_session_opened_on_one_process_is_accepted_by_the_other(
    pair: tuple[WebProcess, WebProcess], counsellor: User
) -> None:
    a, b = pair
    login = await log_in(a, counsellor)
    assert login.status_code == 200, login.text
    assert await me(b, login.cookies[SESSION_COOKIE]) == 200


async def test_logout_on_one_process_ends_the_session_on_the_other(
    pair: tuple[WebProcess, WebProcess], counsellor: User
) -> None:
    a, b = pair
    login = await log_in(a, counsellor)
    assert login.status_code == 200, login.text
    session, csrf = login.cookies[SESSION_COOKIE], login.json()["csrf_token"]
    assert await me(a, session) == 200
    async with client_for(b, session) as client:
        logout = await client.post("/api/auth/logout", headers={"x-csrf-token": csrf})
    assert logout.status_code == 200, logout.text
    assert await me(a, session) == 401


async def test_failed_logins_on_both_processes_add_up_to_one_lockout(
    pair: tuple[WebProcess, WebProcess], counsellor: User, pg_settings: Settings
) -> None:
    a, b = pair
    allowed = pg_settings.security.login_max_failures
    # Alternating keeps each process below the limit on its own: only a shared count locks out.
    for attempt in range(allowed):
        server = (a, b)[attempt % 2]
        failed = await log_in(server, counsellor, password="not the password at all")
        assert failed.status_code == 401, (attempt, failed.status_code, failed.text)
    for server in (a, b):
        locked = await log_in(server, counsellor)
        assert locked.status_code == 429, (server.base_url, locked.status_code, locked.text)
