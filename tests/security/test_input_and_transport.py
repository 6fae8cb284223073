"""SECURITY S22–S24: bad input gets a clear 4xx and writes nothing; hosts, CORS, headers, errors."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text

from service.domain.survivors.models import Survivor
from tests.conftest import app_for, make_settings
from tests.support.factories import Factory


async def _counsellor_session(client: AsyncTestClient, factory: Factory) -> dict[str, str]:
    return await factory.login(client, await factory.user("counsellor", await factory.org()))


async def _survivor_count(factory: Factory) -> int:
    async with factory.alchemy.get_session() as db:
        return int(await db.scalar(select(func.count()).select_from(Survivor)) or 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "A", "region": "DE30", "languages": [{"code": "de", "level": "D1"}]}, "level"),
        ({"display_name": "A", "region": "DE30", "birth_year": 1800}, "birth_year"),
        ({"display_name": "A", "region": "DE30", "birth_year": "nineteen"}, "birth_year"),
        ({"display_name": "", "region": "DE30"}, "display_name"),
        ({"display_name": "A", "region": "Berlin"}, "region"),
        ({"display_name": "A", "region": "DE30", "availability": ["1" * 48] * 6}, "availability"),
        ({"display_name": "A", "region": "DE30", "skills": [{"uri": "cooking", "level": 2}]}, "uri"),
        ({"display_name": "A", "region": "DE30", "safety": {"max_commute_minutes": -5}}, "max_commute_minutes"),
        ({"display_name": "A", "region": "DE30", "shoe_size": 38}, "shoe_size"),
        ({"region": "DE30"}, "display_name"),
    ],
)
async def test_invalid_profile_gets_400_naming_the_field_and_writes_nothing(
    client: AsyncTestClient, factory: Factory, body: dict, field: str
) -> None:
    headers = await _counsellor_session(client, factory)
    response = await client.post("/api/survivors", json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert field in response.json()["detail"]
    assert await _survivor_count(factory) == 0


async def test_malformed_json_gets_400(client: AsyncTestClient, factory: Factory) -> None:
    headers = await _counsellor_session(client, factory)
    response = await client.post(
        "/api/survivors", content=b'{"display_name": "A", ', headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _survivor_count(factory) == 0


async def test_oversized_body_gets_413(client: AsyncTestClient, factory: Factory) -> None:
    headers = await _counsellor_session(client, factory)
    huge = {"display_name": "A", "region": "DE30", "notes": "x" * 2_000_000}
    response = await client.post("/api/survivors", json=huge, headers=headers)
    assert response.status_code == 413
    assert await _survivor_count(factory) == 0


async def test_hostile_host_header_gets_400(client: AsyncTestClient) -> None:
    response = await client.get("/health/live", headers={"host": "evil.example.com"})
    assert response.status_code == 400


async def test_unlisted_origin_gets_no_cors_grant(database_url: str) -> None:
    settings = make_settings(database_url, cors_origins=["https://partner.example.org"])
    async with AsyncTestClient(app=app_for(settings)) as client:
        listed = await client.get("/health/live", headers={"origin": "https://partner.example.org"})
        unlisted = await client.get("/health/live", headers={"origin": "https://evil.example.com"})
        preflight = await client.options(
            "/api/survivors",
            headers={"origin": "https://evil.example.com", "access-control-request-method": "POST"},
        )
    assert listed.headers.get("access-control-allow-origin") == "https://partner.example.org"
    assert "access-control-allow-origin" not in unlisted.headers
    assert preflight.headers.get("access-control-allow-origin") != "https://evil.example.com"


async def test_responses_carry_the_security_headers(client: AsyncTestClient, factory: Factory) -> None:
    await _counsellor_session(client, factory)
    for response in (await client.get("/api/survivors"), await client.get("/api/survivors/not-a-uuid")):
        headers = response.headers
        assert headers["cache-control"] == "no-store"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "http" not in headers["content-security-policy"]  # no third-party source


async def test_server_errors_show_no_traceback_sql_or_personal_data(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, notes="CANARY-ERR-91")
    await factory.login(client, counsellor)
    async with factory.alchemy.get_session() as db:
        # Break the table under the app so that the next read fails inside the database layer.
        await db.execute(text("ALTER TABLE survivor RENAME COLUMN notes TO notes_gone"))
        await db.commit()
    try:
        response = await client.get(f"/api/survivors/{survivor.id}")
    finally:
        async with factory.alchemy.get_session() as db:  # the PostgreSQL schema is shared by the session
            await db.execute(text("ALTER TABLE survivor RENAME COLUMN notes_gone TO notes"))
            await db.commit()
    assert response.status_code == 500
    body = response.text
    for leak in ("Traceback", "SELECT", "survivor.", "CANARY-ERR-91", "notes_gone", "sqlalchemy"):
        assert leak not in body
    assert "reference" in response.json()["detail"]


async def test_nul_characters_are_refused_with_400(client: AsyncTestClient, factory: Factory) -> None:
    headers = await _counsellor_session(client, factory)
    body = {"display_name": "A\u0000B", "region": "DE30"}
    response = await client.post("/api/survivors", json=body, headers=headers)
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    client.cookies.clear()
    login = await client.post("/api/auth/login", json={"email": "a\u0000b@example.org", "password": "x" * 12})
    assert login.status_code == 400
    assert await _survivor_count(factory) == 0
