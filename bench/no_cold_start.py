"""Benchmark: no cold start and fast catalogue changes over two real web processes on PostgreSQL.

Seeds a scratch database as bench/api_matches.py does, starts two uvicorn processes (each builds
its matching index at startup, before /health/ready answers 200), then measures

* seconds from process start until ready (the index build happens here, not in a request);
* each process's first matches request after the start against its tenth (should be alike);
* how long a listing closed, and then published again, takes to reach both processes' matches
  (requests keep coming every 50 ms; the index catches up incrementally, never rebuilds).

    python bench/no_cold_start.py --opportunities 50000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ONWARD_ENCRYPTION_KEY", "bench-" + "k" * 40)
os.environ.setdefault("ONWARD_COOKIE_SECURE", "false")
os.environ.setdefault("ONWARD_EMBEDDED_WORKER", "false")
os.environ.setdefault("ONWARD_LOG_LEVEL", "WARNING")

from bench.api_matches import PASSWORD, seed
from bench.matching import machine

REACH_LIMIT_SECONDS = 30.0
READY_WAIT_SECONDS = 600.0


async def set_status(url: str, opportunity_id: str, status: str) -> None:
    """Close or publish one listing as a partner's action would (bumps updated_at)."""
    from providers.models import Opportunity
    from service.db.config import build_alchemy_config
    from service.settings import DatabaseSettings

    alchemy = build_alchemy_config(DatabaseSettings(url=url))
    async with alchemy.get_session() as db:
        row = await db.get(Opportunity, uuid.UUID(opportunity_id))
        assert row is not None
        row.status = status
        row.updated_at = datetime.now(UTC)
        await db.commit()
    await alchemy.get_engine().dispose()


def shown(client: httpx.Client, survivor_id: str, opportunity_id: str) -> bool:
    items = client.get(f"/api/survivors/{survivor_id}/matches").json()["items"]
    return any(item["opportunity"]["id"] == opportunity_id for item in items)


def reach(clients: list[httpx.Client], survivor_id: str, opportunity_id: str, present: bool) -> list[float]:
    """Seconds until each process shows (or stops showing) the listing, polling every 50 ms."""
    started = time.perf_counter()
    out: list[float | None] = [None] * len(clients)
    while time.perf_counter() - started < REACH_LIMIT_SECONDS and None in out:
        for i, client in enumerate(clients):
            if out[i] is None and shown(client, survivor_id, opportunity_id) == present:
                out[i] = time.perf_counter() - started
        time.sleep(0.05)
    return [REACH_LIMIT_SECONDS if t is None else t for t in out]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--survivors", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(machine())

    from tests.support.db import create_database, drop_database, migrate
    from tests.support.servers import WebProcess, start_web_process

    # the test helper waits 30 s for readiness; a large catalogue's index build takes longer here
    WebProcess.wait_ready.__defaults__ = (READY_WAIT_SECONDS,)

    name = f"onward_bench_cold_{os.getpid()}"
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    asyncio.run(create_database(name))
    servers = []
    rows: list[tuple[str, str]] = []
    firsts: list[tuple[float, float]] = []
    try:
        migrate(url)
        email, ids, _ = asyncio.run(seed(url, args.opportunities, args.survivors, args.seed))
        with tempfile.TemporaryDirectory(prefix="onward-bench-") as folder:
            for i in range(2):
                started = time.perf_counter()
                env = {"ONWARD_DATABASE_URL": url, "ONWARD_VAR_DIR": folder, "ONWARD_LOG_LEVEL": "WARNING"}
                logs = Path(folder) / f"web{i}"
                logs.mkdir()
                servers.append(start_web_process(env, logs))
                rows.append(
                    (f"process {i + 1}: start until ready", f"{time.perf_counter() - started:.1f} s (index built)")
                )
            clients = [httpx.Client(base_url=s.base_url, timeout=120.0) for s in servers]
            for i, client in enumerate(clients):
                assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
                times: list[float] = []
                for survivor_id in ids[:10]:
                    t0 = time.perf_counter()
                    response = client.get(f"/api/survivors/{survivor_id}/matches")
                    times.append(time.perf_counter() - t0)
                    assert response.status_code == 200, response.text
                firsts.append((times[0], times[-1]))
                rows.append(
                    (
                        f"process {i + 1}: 1st / 10th matches request",
                        f"{times[0] * 1000:.0f} / {times[-1] * 1000:.0f} ms",
                    )
                )
            survivor_id = next(s for s in ids if clients[0].get(f"/api/survivors/{s}/matches").json()["items"])
            target = clients[0].get(f"/api/survivors/{survivor_id}/matches").json()["items"][0]["opportunity"]["id"]
            asyncio.run(set_status(url, target, "closed"))
            closed = reach(clients, survivor_id, target, present=False)
            asyncio.run(set_status(url, target, "published"))
            published = reach(clients, survivor_id, target, present=True)
            for client in clients:
                client.close()
            rows.append(
                ("listing closed: gone from process 1 / 2", " / ".join(f"{t * 1000:.0f}" for t in closed) + " ms")
            )
            rows.append(
                ("listing published: shown by process 1 / 2", " / ".join(f"{t * 1000:.0f}" for t in published) + " ms")
            )
            for server in servers:
                server.stop()
            servers = []
    finally:
        for server in servers:
            server.stop()
        asyncio.run(drop_database(name))
    rows.insert(0, ("catalogue", f"{args.opportunities:,} published listings, 2 web processes (uvicorn), PostgreSQL"))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    worst = max(closed + published)
    first = max(a for a, _ in firsts) * 1000
    tenth = max(b for _, b in firsts) * 1000
    print(
        f"no cold start: first matches request {first:.0f} ms (tenth {tenth:.0f} ms), "
        f"changes reach both processes within {worst:.2f} s"
    )


if __name__ == "__main__":
    main()
