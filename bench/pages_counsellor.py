"""Benchmark: a counsellor's pages on the large demo on PostgreSQL, server time per page.

    ONWARD_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/DB ONWARD_ENCRYPTION_KEY=… \\
        .venv/bin/python bench/pages_counsellor.py [--requests 60]

The database must hold the large demo (`onward database upgrade --no-prompt`, then
`onward demo load --size large`, with the same encryption key). The app runs in this process
(Litestar's test client, lifespan included): each time is from the request entering the app to
the response leaving it, so no network or browser time is counted. Signed in as the Berlin
demo coordinator (her organisation holds a quarter of the 5,000 survivors) and as one of its
counsellors, after two warm-up requests per page: the caseload (first page, a search by name
over every name in her scope, sorted by name), a profile, and its suggestions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ONWARD_COOKIE_SECURE", "false")
os.environ.setdefault("ONWARD_EMBEDDED_WORKER", "false")
os.environ.setdefault("ONWARD_LOG_LEVEL", "WARNING")

from litestar.testing import AsyncTestClient  # noqa: E402

from bench.machine_info import describe  # noqa: E402
from service.asgi import create_app  # noqa: E402
from service.db.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402
from service.domain.accounts.crypto import totp_now  # noqa: E402

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
PERSON = re.compile(r'href="/people/([0-9a-f-]{36})"')
TARGET_MS = 150.0


async def sign_in(client: AsyncTestClient, email: str, mfa: bool) -> None:
    form = await client.get("/login")
    found = CSRF.search(form.text)
    assert found, "no CSRF field on the login page"
    data = {"email": email, "password": DEMO_PASSWORD, "_csrf": found.group(1)}
    if mfa:
        data["totp"] = totp_now(DEMO_TOTP_SECRET)
    response = await client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, f"sign-in of {email} failed: {response.status_code}"


async def timed(client: AsyncTestClient, path: str, requests: int) -> list[float]:
    for _ in range(2):
        warm = await client.get(path)
        assert warm.status_code == 200, f"{path}: {warm.status_code}"
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = await client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, f"{path}: {response.status_code}"
    return times


async def run(requests: int) -> list[tuple[str, str, list[float]]]:
    results: list[tuple[str, str, list[float]]] = []
    async with AsyncTestClient(app=create_app()) as coordinator:
        await sign_in(coordinator, f"coordinator.berlin@{DEMO_DOMAIN}", mfa=True)
        first = await coordinator.get("/caseload")
        total = re.search(r"([\d,]+) people", first.text)
        scope = f"coordinator, {total.group(1) if total else '?'} people"
        for label, path in (
            ("caseload, first page", "/caseload"),
            ("caseload, search by name", "/caseload?q=ana"),
            ("caseload, sorted by name", "/caseload?sort=name&page=3"),
        ):
            results.append((label, scope, await timed(coordinator, path, requests)))
    async with AsyncTestClient(app=create_app()) as counsellor:
        await sign_in(counsellor, f"counsellor1.berlin@{DEMO_DOMAIN}", mfa=False)
        caseload = await counsellor.get("/caseload")
        people = PERSON.findall(caseload.text)
        assert people, "the demo counsellor has nobody in her caseload"
        total = re.search(r"([\d,]+) people", caseload.text)
        scope = f"counsellor, {total.group(1) if total else '?'} people"
        results.append(("caseload, first page", scope, await timed(counsellor, "/caseload", requests)))
        results.append(("profile", scope, await timed(counsellor, f"/people/{people[0]}", requests)))
        results.append(("suggestions", scope, await timed(counsellor, f"/people/{people[0]}/matches", requests)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    args = parser.parse_args()
    url = os.environ.get("ONWARD_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("set ONWARD_DATABASE_URL to the PostgreSQL database holding the large demo")
    results = asyncio.run(run(args.requests))
    print(describe())
    print(f"database: PostgreSQL, large demo; {args.requests} requests per page after 2 warm-ups; in-process")
    print(f"{'page':<28} {'who':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95 < {TARGET_MS:.0f}")
    for label, who, times in results:
        values = np.array(times) * 1000.0
        p50, p95, worst = np.percentile(values, 50), np.percentile(values, 95), values.max()
        verdict = "ok" if p95 < TARGET_MS else "over"
        print(f"{label:<28} {who:<28} {p50:8.1f} {p95:8.1f} {worst:8.1f}  {verdict}")


if __name__ == "__main__":
    main()
