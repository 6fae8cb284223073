"""Shared fixtures: the environment is set before the app is imported; every DB test runs on
SQLite and on the real PostgreSQL; each test starts from an empty, migrated database."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

_VAR = Path(tempfile.mkdtemp(prefix="onward-test-var-"))
os.environ.update(
    {
        "ONWARD_VAR_DIR": str(_VAR),
        "ONWARD_ENCRYPTION_KEY": "test-key-" + "k" * 32,
        "ONWARD_COOKIE_SECURE": "false",
        "ONWARD_EMBEDDED_WORKER": "false",
        "ONWARD_LOG_LEVEL": "INFO",
        # Still Argon2id, with cheap parameters: the suite hashes hundreds of passwords.
        "ONWARD_PASSWORD_HASH_PROFILE": "test",
    }
)
os.environ.pop("ONWARD_DATABASE_URL", None)

from litestar import Litestar  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402

from service.asgi import create_app  # noqa: E402
from service.settings import AppSettings, DatabaseSettings, SecuritySettings, Settings  # noqa: E402
from tests.support.db import PG_ADMIN_URL, migrate, pg_available, reset_postgres  # noqa: E402
from tests.support.factories import Factory  # noqa: E402

PG_REQUIRED = os.environ.get("CI", "").lower() == "true"
_PG_STATE: dict[str, object] = {}


def pytest_configure(config: pytest.Config) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ok = pg_available()
    _PG_STATE["ok"] = ok
    if not ok and PG_REQUIRED:
        raise pytest.UsageError(f"CI=true but PostgreSQL is not reachable at {PG_ADMIN_URL}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _PG_STATE.get("ok"):
        terminalreporter.write_sep(
            "!", "PostgreSQL NOT REACHABLE at 127.0.0.1:5432: every PostgreSQL test was SKIPPED", red=True, bold=True
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    shutil.rmtree(_VAR, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of our own on the real server, migrated once, dropped at the end."""
    if not _PG_STATE.get("ok"):
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    name = f"onward_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    from tests.support.db import create_database, drop_database

    asyncio.run(create_database(name))
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    migrate(url)
    yield url
    asyncio.run(drop_database(name))


@pytest.fixture(scope="session")
def sqlite_live(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file this worker's tests use in turn: one URL, so one app (see `app_for`)."""
    return tmp_path_factory.mktemp("sqlite-live") / "onward.db"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty migrated database, on each backend in turn."""
    if request.param == "sqlite":
        target: Path = request.getfixturevalue("sqlite_live")
        # Unlinked, not overwritten: a connection the last test left open keeps its own inode,
        # and no stale journal or WAL file is ever read against the fresh copy.
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite+aiosqlite:///{target}"
    url = request.getfixturevalue("postgres_url")
    asyncio.run(reset_postgres(url))
    return url


@pytest.fixture
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


def make_settings(database_url: str, **security: object) -> Settings:
    return Settings(
        app=AppSettings(debug=False, embedded_worker=False, warm_matches=False),
        db=DatabaseSettings(url=database_url),
        security=SecuritySettings(**{"cookie_secure": False, **security}),  # type: ignore[arg-type]
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


_APPS: dict[str, tuple[Litestar, dict[str, Any]]] = {}


def app_for(settings: Settings) -> Litestar:
    """This worker's application for ``settings``, with its state as a new app has it.

    Building an app costs 0.2-0.4 s (Litestar copies every route handler as it registers it),
    most of a test's set-up, so each distinct settings builds one per worker. Everything a
    test can leave behind lives in ``app.state`` (the matching catalogue, the database engine
    and session maker, put there again at each start-up) and is reset here; the database
    itself is emptied by `database_url`.
    """
    key = repr(settings)
    if key not in _APPS:
        app = create_app(settings)
        _APPS[key] = (app, dict(app.state.dict()))
        return app
    app, initial = _APPS[key]
    for name in list(app.state.dict()):
        del app.state[name]
    app.state.update(initial)
    return app


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    app = app_for(settings)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
async def factory(settings: Settings) -> AsyncIterator[Factory]:
    made = Factory(settings)
    yield made
    await made.close()
