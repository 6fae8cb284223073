"""SECURITY S1: every route of the app × every kind of actor → the expected status.

The route list is read from the app's route table, so a new route without a row here fails
the test (default deny must be a decision, not an accident).
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from service.domain.survivors.models import Consent
from tests.support.factories import Factory
from tests.support.matrix import (
    ACTORS,
    COUNSELLORS,
    LOGGED_IN,
    PARTNERS,
    STAFF,
    SURVIVORS,
    Row,
    World,
    everyone,
    logged_in,
    only,
    survivor_scoped,
    unique,
)

CORE_ROWS: tuple[Row, ...] = (
    Row("GET", "/health/live", everyone(200)),
    Row("GET", "/health/ready", everyone(200)),
    Row("GET", "/schema", logged_in(200)),
    Row("GET", "/schema/openapi.json", logged_in(200)),
    Row("GET", "/schema/{path}", logged_in(200)),
    Row("GET", "/api/auth/me", logged_in(200)),
    Row(
        "POST",
        "/api/auth/login",
        everyone(401),
        body=lambda w: {"email": f"nobody{next(unique)}@example.org", "password": "wrong password 123"},
    ),
    Row(
        "POST",
        "/api/auth/password",
        logged_in(400),
        body=lambda w: {"current_password": "not the password", "new_password": "another long pass phrase"},
    ),
    Row(
        "POST",
        "/api/auth/mfa/setup",
        logged_in(400, **dict.fromkeys((*SURVIVORS, *COUNSELLORS), 200)),
    ),
    Row("POST", "/api/auth/mfa/confirm", logged_in(400), body=lambda w: {"code": "000000"}),
    Row("GET", "/api/auth/tokens", logged_in(200, **dict.fromkeys(SURVIVORS, 403))),
    Row("POST", "/api/auth/tokens", logged_in(201, **dict.fromkeys(SURVIVORS, 403)), body=lambda w: {"name": "matrix"}),
    Row(
        "DELETE",
        "/api/auth/tokens/{token_id}",
        logged_in(404, counsellor_owner=204, **dict.fromkeys(SURVIVORS, 403)),
    ),
    Row("GET", "/api/users", logged_in(200)),
    Row(
        "POST",
        "/api/users",
        only({"admin": 201, "coordinator_same": 201}),
        body=lambda w: {
            "email": f"matrix{next(unique)}@example.org",
            "password": "a long enough pass phrase",
            "role": "counsellor",
            "organisation_id": w.ids["ngo"],
        },
    ),
    Row(
        "GET",
        "/api/users/{user_id}",
        logged_in(404, counsellor_owner=200, coordinator_same=200, admin=200),
    ),
    Row(
        "PATCH",
        "/api/users/{user_id}",
        logged_in(404, counsellor_owner=200, coordinator_same=200, admin=200),
        body=lambda w: {"locale": "de"},
    ),
    Row("GET", "/api/organisations", logged_in(200)),
    Row(
        "POST",
        "/api/organisations",
        only({"admin": 201}),
        body=lambda w: {"name": f"Matrix org {next(unique)}", "kind": "partner"},
    ),
    Row(
        "GET",
        "/api/organisations/{org_id}",
        logged_in(200, coordinator_other=404, **dict.fromkeys(PARTNERS, 404)),
    ),
    Row(
        "PATCH",
        "/api/organisations/{org_id}",
        only({"admin": 200}),
        body=lambda w: {"country": "DE"},
    ),
    Row(
        "GET",
        "/api/survivors",
        only(dict.fromkeys((*SURVIVORS, *STAFF), 200)),
    ),
    Row("GET", "/api/survivors/count", only(dict.fromkeys((*SURVIVORS, *STAFF), 200))),
    Row(
        "POST",
        "/api/survivors",
        only(dict.fromkeys(STAFF, 201)),
        body=lambda w: {"display_name": "New person", "region": "DE30"},
    ),
    Row("GET", "/api/survivors/{survivor_id}", survivor_scoped(200)),
    Row(
        "PATCH",
        "/api/survivors/{survivor_id}",
        survivor_scoped(200, survivor_ok=False),
        body=lambda w: {"notes": "updated in the matrix"},
    ),
    Row(
        "PUT",
        "/api/survivors/{survivor_id}/counsellor",
        only({"coordinator_same": 200, "coordinator_other": 404}),
        body=lambda w: {"counsellor_id": w.ids["counsellor_owner"]},
    ),
    Row("GET", "/api/survivors/{survivor_id}/consents", survivor_scoped(200)),
    Row(
        "POST",
        "/api/survivors/{survivor_id}/consents",
        survivor_scoped(201),
        body=lambda w: {"purpose": "reporting"},
    ),
    Row("POST", "/api/consents/{consent_id}/withdraw", survivor_scoped(200)),
    Row("GET", "/api/me/profile", only(dict.fromkeys(SURVIVORS, 200))),
    Row("PATCH", "/api/me/profile", only(dict.fromkeys(SURVIVORS, 200)), body=lambda w: {"readiness": "ready"}),
    Row("GET", "/api/audit", only({"admin": 200})),
    Row("POST", "/api/auth/logout", logged_in(200), ends_session=True),
)


AREAS = [
    importlib.import_module(f"tests.security.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("matrix_*.py"))
]
MATRIX: tuple[Row, ...] = CORE_ROWS + tuple(row for area in AREAS for row in area.ROWS)


def route_table(app: Litestar) -> set[tuple[str, str]]:
    """Every (method, path) the app serves, with path parameters as `{name}`."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        path = route.path_format.rstrip("/") or "/"
        for method in getattr(route, "methods", set()):
            if method in {"HEAD", "OPTIONS"}:
                continue
            found.add((method, path))
    return found


async def build_world(factory: Factory) -> World:
    world = World()
    ngo, other_ngo = await factory.org(), await factory.org()
    consented, unconsented, withdrawn = [await factory.org("partner") for _ in range(3)]
    owner = await factory.user("counsellor", ngo)
    target = await factory.survivor(ngo, owner)
    sibling = await factory.survivor(ngo, await factory.user("counsellor", ngo))
    users = {
        "survivor_self": await factory.user("survivor", ngo, survivor=target),
        "survivor_other": await factory.user("survivor", ngo, survivor=sibling),
        "counsellor_owner": owner,
        "counsellor_other": await factory.user("counsellor", ngo),
        "coordinator_same": await factory.user("coordinator", ngo),
        "coordinator_other": await factory.user("coordinator", other_ngo),
        "partner_consented": await factory.user("partner", consented),
        "partner_unconsented": await factory.user("partner", unconsented),
        "partner_withdrawn": await factory.user("partner", withdrawn),
        "admin": await factory.user("admin"),
    }
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        for partner_key, withdrawn_at in (("partner_consented", None), ("partner_withdrawn", now)):
            db.add(
                Consent(
                    survivor_id=target.id,
                    purpose="share_with_partner",
                    partner_id=users[partner_key].organisation_id,
                    fields=["skills", "languages"],
                    granted_at=now,
                    expires_at=now + timedelta(days=30),
                    withdrawn_at=withdrawn_at,
                )
            )
        reporting = Consent(survivor_id=target.id, purpose="reporting", granted_at=now)
        db.add(reporting)
        await db.commit()
    world.users = users
    world.ids = {
        "ngo": str(ngo.id),
        "survivor_id": str(target.id),
        "user_id": str(owner.id),
        "org_id": str(ngo.id),
        "consent_id": str(reporting.id),
        "counsellor_owner": str(owner.id),
        "path": "openapi.json",
        **{f"{key}_org": str(users[key].organisation_id) for key in PARTNERS},
    }
    return world


async def test_every_route_has_a_row_in_the_matrix(client: AsyncTestClient) -> None:
    served = route_table(client.app)
    listed = {(row.method, row.path) for row in MATRIX}
    assert served - listed == set(), "routes without an access-matrix row (add them to MATRIX)"
    assert listed - served == set(), "matrix rows for routes that no longer exist"


async def test_access_matrix(client: AsyncTestClient, factory: Factory) -> None:
    world = await build_world(factory)
    for area in AREAS:
        if hasattr(area, "setup"):
            await area.setup(factory, world)
    headers: dict[str, dict[str, str]] = {}
    cookies: dict[str, dict[str, str]] = {}

    async def login(actor: str) -> None:
        client.cookies.clear()
        headers[actor] = await factory.login(client, world.users[actor])
        cookies[actor] = dict(client.cookies)
        client.cookies.clear()

    for actor in LOGGED_IN:
        await login(actor)
    # The token deleted by its owner in the matrix.
    client.cookies.update(cookies["counsellor_owner"])
    created = await client.post("/api/auth/tokens", json={"name": "to revoke"}, headers=headers["counsellor_owner"])
    world.ids["token_id"] = created.json()["token"]["id"]
    client.cookies.clear()

    failures: list[str] = []
    cells = 0
    for row in MATRIX:
        path = row.path.format(**world.ids)
        for actor in ACTORS:
            client.cookies.clear()
            request_headers: dict[str, str] = {}
            if actor != "anonymous":
                client.cookies.update(cookies[actor])
                request_headers = headers[actor]
            body = row.body(world) if row.body else None
            response = await client.request(
                row.method,
                path,
                json=body,
                headers={**(request_headers if row.method != "GET" else {}), **(row.headers or {})},
            )
            cells += 1
            if response.status_code != row.expected[actor]:
                failures.append(
                    f"{row.method} {row.path} as {actor}: {response.status_code} != {row.expected[actor]}"
                    f" ({response.text[:120]})"
                )
            if row.ends_session and actor != "anonymous":
                await login(actor)
    assert not failures, "\n".join(failures)
    assert cells == len(MATRIX) * len(ACTORS)


# Tables that a read legitimately touches: its own audit row and the caller's session/token
# "last seen" stamps. Everything else must be byte-for-byte unchanged by GET and HEAD.
_BOOKKEEPING = {"audit_event", "user_session", "api_token", "login_failure", "alembic_version"}


async def _snapshot(factory: Factory) -> dict[str, list[str]]:
    from advanced_alchemy.base import orm_registry
    from sqlalchemy import text

    tables = sorted(set(orm_registry.metadata.tables) - _BOOKKEEPING)
    snapshot: dict[str, list[str]] = {}
    async with factory.alchemy.get_session() as db:
        for table in tables:
            rows = (await db.execute(text(f'SELECT * FROM "{table}"'))).all()
            snapshot[table] = sorted(repr(tuple(row)) for row in rows)
    return snapshot


async def test_get_and_head_never_change_data(client: AsyncTestClient, factory: Factory) -> None:
    world = await build_world(factory)
    for area in AREAS:
        if hasattr(area, "setup"):
            await area.setup(factory, world)
    world.ids.setdefault("token_id", "00000000-0000-4000-8000-000000000000")
    sessions: dict[str, dict[str, str]] = {}
    for actor in LOGGED_IN:
        client.cookies.clear()
        await factory.login(client, world.users[actor])
        sessions[actor] = dict(client.cookies)
    before = await _snapshot(factory)
    for row in MATRIX:
        if row.method != "GET":
            continue
        for actor in ACTORS:
            client.cookies.clear()
            if actor != "anonymous":
                client.cookies.update(sessions[actor])
            path = row.path.format(**world.ids)
            await client.get(path)
            await client.head(path)
    assert await _snapshot(factory) == before
