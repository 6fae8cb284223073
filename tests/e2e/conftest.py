"""Browser tests: Debian's Chromium (through Playwright) against a real uvicorn server.

One server per test file on a free 127.0.0.1 port, on a temporary SQLite database migrated with
the real migrations (a copy of one migrated template per worker); each test seeds its own
people through the Factory (real services), opens a fresh browser context, and fails if any
page asked a host other than ours for anything.
Without Chromium the tests are skipped locally and fail under CI=true.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_settings
from tests.support.db import migrate
from tests.support.factories import Factory
from tests.support.servers import WebProcess, start_web_process
from tests.support.tools import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "tests" / "artifacts" / "screenshots"
EXIT_URL = "https://www.wikipedia.org/"
NEUTRAL_PAGE = (
    "<!doctype html><html lang='en'><head><title>Wikipedia</title></head><body><h1>Wikipedia</h1></body></html>"
)
T = TypeVar("T")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


_require = require


@dataclass
class Site:
    """The running server, its database (for seeding through the Factory) and its address."""

    server: WebProcess
    database_url: str

    @property
    def url(self) -> str:
        return self.server.base_url

    def seed(self, build: Callable[[Factory], Awaitable[T]]) -> T:
        """Run `build` with a Factory on the server's database (its own event loop)."""

        async def run() -> T:
            factory = Factory(make_settings(self.database_url))
            try:
                return await build(factory)
            finally:
                await factory.close()

        # Playwright's sync API keeps an event loop running in this thread: seed from another.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def e2e_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database per worker, copied for each test file's server."""
    path = tmp_path_factory.mktemp("e2e-template") / "template.db"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, e2e_template: Path) -> Iterator[Site]:
    """A server and database per test file: what one file's journeys publish (listings, people)
    never reaches another file's, whichever files a worker happens to run before it."""
    _require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    _require(AXE.exists(), f"axe-core not found at {AXE} (npm ci)")
    folder = tmp_path_factory.mktemp("e2e")
    shutil.copyfile(e2e_template, folder / "onward.db")
    database_url = f"sqlite+aiosqlite:///{folder / 'onward.db'}"
    server = start_web_process(
        {"ONWARD_DATABASE_URL": database_url, "ONWARD_COOKIE_SECURE": "false", "ONWARD_OPENAPI": "false"}, folder
    )
    try:
        yield Site(server=server, database_url=database_url)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    """Per module, not per session: Playwright's sync API keeps an event loop running in this
    thread while it is open, which async tests collected after tests/e2e/ could not share."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What the browser asked for that was not ours, and what the CSP refused."""

    foreign: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)


def open_context(browser: Any, site: Site, watch: Watch, **options: Any) -> Any:
    """A fresh browser context whose only way out is the quick exit's top-level navigation."""
    context = browser.new_context(base_url=site.url, **options)
    ours = urlsplit(site.url).netloc

    def route(route: Any) -> None:
        request = route.request
        if request.is_navigation_request() and request.url.startswith(EXIT_URL):
            # The quick exit leaves for a neutral site: answered here, so no real network is used.
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
        else:
            watch.foreign.append(request.url)
            route.abort()

    def listen(page: Any) -> None:
        page.on("console", lambda message: _csp_message(watch, message.text))

    # Only other hosts are intercepted: our own requests (the sign-out beacon sent while the page
    # unloads included) go straight to the server.
    context.route(lambda url: urlsplit(url).netloc != ours, route)
    context.on("page", listen)
    return context


def _csp_message(watch: Watch, text: str) -> None:
    if "Content Security Policy" in text:
        watch.csp.append(text[:300])


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def context(browser: Any, site: Site, watch: Watch) -> Iterator[Any]:
    """A desktop-sized context; CSP enforced (axe is evaluated through DevTools, not injected)."""
    made = open_context(browser, site, watch, viewport={"width": 1100, "height": 900})
    yield made
    made.close()
    assert watch.foreign == [], f"requests to other hosts: {watch.foreign}"
    assert watch.csp == [], f"CSP violations: {watch.csp}"


@pytest.fixture
def phone(browser: Any, site: Site, watch: Watch) -> Iterator[Any]:
    """A small phone screen, touch enabled."""
    made = open_context(browser, site, watch, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield made
    made.close()
    assert watch.foreign == [], f"requests to other hosts: {watch.foreign}"
    assert watch.csp == [], f"CSP violations: {watch.csp}"


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder() -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text()
