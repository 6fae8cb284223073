"""The compose topology, as processes (container images cannot be pulled here): PostgreSQL with
the two roles, Caddy from Debian terminating HTTPS with its internal CA in front of two
`onward run` processes, two `onward worker` processes, and an SMTP sink as the relay.

Through Caddy over HTTPS a counsellor signs in and finds matches; a due follow-up reaches her
and the counsellor by email exactly once although two workers run; and with one web process
gone, Caddy still answers from the other.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from service.db.roles import grant_application_role
from tests.conftest import _PG_STATE, make_settings
from tests.support.db import create_database, drop_database, migrate
from tests.support.due_followups import due_followups
from tests.support.factories import PASSWORD, Factory
from tests.support.listings import listing, profile
from tests.support.servers import free_port
from tests.support.smtp_sink import Sink, smtp_sink
from tests.support.tools import require_tool

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.postgres


@dataclass
class Stack:
    base_url: str
    root_ca: Path
    webs: list[subprocess.Popen[bytes]]
    sink: Sink
    app_url: str
    logs: Path

    def tail(self) -> str:
        return "\n".join(
            f"== {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in sorted(self.logs.glob("*.log"))
        )


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait(url: str, seconds: float, **client: object) -> None:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=3, **client)  # type: ignore[arg-type]
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except (httpx.TransportError, OSError) as exc:
            last = repr(exc)
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready: {last}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not _PG_STATE.get("ok"):
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    require_tool("caddy", "make browser-tools installs it")
    suffix = uuid.uuid4().hex[:8]
    name, role = f"onward_stack_{suffix}", f"onward_app_{suffix}"
    asyncio.run(create_database(name))
    owner_url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    migrate(owner_url)
    asyncio.run(grant_application_role(owner_url, role, None))
    app_url = f"postgresql+asyncpg://{role}@127.0.0.1:5432/{name}"
    logs = tmp_path_factory.mktemp("stack")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with smtp_sink() as sink:
            https_port, web_ports = free_port(), [free_port(), free_port()]
            domain = f"localhost:{https_port}"
            common = {
                "ONWARD_DATABASE_URL": app_url,
                "ONWARD_ALLOWED_HOSTS": ",".join([domain, *(f"127.0.0.1:{port}" for port in web_ports)]),
                "ONWARD_TRUSTED_PROXIES": "127.0.0.1",
                "ONWARD_COOKIE_SECURE": "true",
                "ONWARD_EMBEDDED_WORKER": "false",
                "ONWARD_SMTP_HOST": "127.0.0.1",
                "ONWARD_SMTP_PORT": str(sink.port),
                "ONWARD_QUIET_HOURS": "0-0",
                "ONWARD_WORKER_TICK_SECONDS": "1",
            }
            webs = [
                _spawn([sys.executable, "-m", "service", "run", "--host", "127.0.0.1", "--port", str(port)], common, logs / f"web-{port}.log")
                for port in web_ports
            ]  # fmt: skip
            processes += webs
            processes += [
                _spawn([sys.executable, "-m", "service", "worker"], common, logs / f"worker-{index}.log")
                for index in (1, 2)
            ]
            caddy_home = tmp_path_factory.mktemp("caddy")
            caddy_env = {
                "ONWARD_DOMAIN": domain,
                "ONWARD_UPSTREAMS": " ".join(f"127.0.0.1:{port}" for port in web_ports),
                "CADDY_ADMIN": f"127.0.0.1:{free_port()}",
                "CADDY_HTTP_PORT": str(free_port()),
                "CADDY_HTTPS_PORT": str(https_port),
                "XDG_DATA_HOME": str(caddy_home / "data"),
                "XDG_CONFIG_HOME": str(caddy_home / "config"),
                "HOME": str(caddy_home),
            }
            processes.append(
                _spawn(["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"], caddy_env, logs / "caddy.log")
            )  # fmt: skip
            for port in web_ports:
                _wait(f"http://127.0.0.1:{port}/health/ready", 60)
            root_ca = caddy_home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
            deadline = time.monotonic() + 30
            while not root_ca.exists() and time.monotonic() < deadline:
                time.sleep(0.3)
            base_url = f"https://{domain}"
            _wait(f"{base_url}/health/ready", 30, verify=_trusting(root_ca))
            yield Stack(base_url, root_ca, webs, sink, app_url, logs)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        asyncio.run(drop_database(name))
        asyncio.run(_drop_role(role))


def _wait_for_messages(sink: Sink, count: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while len(sink.messages) < count and time.monotonic() < deadline:
        time.sleep(0.5)


def _trusting(root_ca: Path) -> ssl.SSLContext:
    """A client context that trusts Caddy's internal CA (and nothing else)."""
    return ssl.create_default_context(cafile=str(root_ca))


async def _drop_role(role: str) -> None:
    import asyncpg

    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        await connection.execute(f"DROP ROLE IF EXISTS {role}")
    finally:
        await connection.close()


async def test_sign_in_over_https_find_matches_and_send_a_followup(stack: Stack) -> None:
    factory = Factory(make_settings(stack.app_url))
    try:
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        partner = await factory.org("partner", name=f"Good Kitchen {ngo.id.hex[:6]}")
        survivor = await factory.survivor(ngo, counsellor, **profile())
        her = await factory.user("survivor", ngo, survivor=survivor)
        await listing(factory, partner.id, title="Kitchen assistant", languages=[{"code": "de", "level": "A2"}])

        async with httpx.AsyncClient(base_url=stack.base_url, verify=_trusting(stack.root_ca), timeout=20) as client:
            login = await client.post("/api/auth/login", json={"email": counsellor.email, "password": PASSWORD})
            assert login.status_code == 200, login.text + stack.tail()
            cookie = login.headers["set-cookie"].lower()
            assert "secure" in cookie and "httponly" in cookie
            # Each process's index notices a new listing within about a second of a request
            # (published_index.current), and Caddy spreads the requests over both processes.
            titles: list[str] = []
            for _ in range(40):
                matches = await client.get(f"/api/survivors/{survivor.id}/matches")
                assert matches.status_code == 200, matches.text
                titles = [item["opportunity"]["title"] for item in matches.json()["items"]]
                if titles:
                    break
                await asyncio.sleep(0.5)
            assert titles == ["Kitchen assistant"]

        await due_followups(factory, survivor, 1)
        await asyncio.to_thread(_wait_for_messages, stack.sink, 2, 60)
        await asyncio.sleep(3)  # time for a duplicate to show, had two workers both sent it
        recipients = sorted(str(message["To"]) for message in stack.sink.messages)
        assert recipients == sorted([counsellor.email, her.email]), stack.tail()
        assert len(set(stack.sink.ids())) == 2
    finally:
        await factory.close()


def test_caddy_answers_from_the_other_web_process_when_one_is_gone(stack: Stack) -> None:
    stack.webs[0].terminate()
    stack.webs[0].wait(timeout=15)
    with httpx.Client(base_url=stack.base_url, verify=_trusting(stack.root_ca), timeout=20) as client:
        statuses = [client.get("/health/ready").status_code for _ in range(6)]
    assert statuses == [200] * 6, stack.tail()
