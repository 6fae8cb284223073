"""The review queue page over the large demo on PostgreSQL: p50/p95 of the first page, a later
page and a filtered page, as the Berlin demo coordinator sees them.

    .venv/bin/python bench/review_queue.py [--size large] [--requests 40]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/onward_bench_queue]

Steps: the database is dropped and created, `onward database upgrade`, `onward demo load`
(timed), a real uvicorn process (tests/support/servers.py), then Chromium (Playwright) signs
in with the demo password and TOTP and times GET requests through the browser's own session
(page.request, so the cookies are the signed-in ones). Run on demand, not in the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine_info import describe  # noqa: E402
from bench.reports_screenshot import CHROMIUM, CHROMIUM_ARGS, onward, sign_in  # noqa: E402
from tests.support.servers import start_web_process  # noqa: E402


async def fresh_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/onward_bench_queue")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="onward-queue-bench-"))
    asyncio.run(fresh_database(options.postgres))
    env = {
        **os.environ,
        "ONWARD_DATABASE_URL": options.postgres,
        "ONWARD_VAR_DIR": str(folder),
        "ONWARD_COOKIE_SECURE": "false",
        "ONWARD_EMBEDDED_WORKER": "false",
        "ONWARD_OPENAPI": "false",
    }
    env.pop("ONWARD_ENCRYPTION_KEY", None)
    print(describe())
    onward(["database", "upgrade", "--no-prompt"], env)
    load_seconds, _ = onward(["demo", "load", "--size", options.size], env)
    server = start_web_process({key: env[key] for key in env if key.startswith("ONWARD_")}, folder)
    timings: dict[str, list[float]] = {}
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            sign_in(page, server.base_url)
            first = page.request.get(f"{server.base_url}/review")
            waiting = first.text().count('class="card listing"')
            for path in ("/review", "/review?page=2", "/review?kind=job&language=de"):
                timings[path] = []
                for _ in range(options.requests):
                    started = time.perf_counter()
                    response = page.request.get(f"{server.base_url}{path}")
                    timings[path].append(time.perf_counter() - started)
                    if response.status not in (200, 400):
                        raise SystemExit(f"{path}: {response.status}")
            browser.close()
    finally:
        server.stop()
    print(
        f"`onward demo load --size {options.size}` on PostgreSQL: {load_seconds:.1f} s; "
        f"first page holds {waiting} cards"
    )
    print("| page | p50 ms | p95 ms |\n|---|---|---|")
    for path, values in timings.items():
        print(f"| {path} | {statistics.median(values) * 1000:.0f} | {percentile(values, 0.95) * 1000:.0f} |")


if __name__ == "__main__":
    main()
