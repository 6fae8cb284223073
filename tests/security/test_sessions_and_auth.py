"""SECURITY S8–S15: sessions, tokens, cookies, CSRF, throttling, passwords, MFA, public routes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from service.domain.accounts.auth import SESSION_COOKIE
from service.domain.accounts.crypto import totp_now
from service.domain.accounts.models import User, UserSession
from service.settings import Settings
from tests.conftest import app_for, make_settings
from tests.support.factories import PASSWORD, Factory


async def test_planted_session_id_is_not_adopted_at_login(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker", domain="testserver.local")
    await factory.login(client, user)
    assert client.cookies.get(SESSION_COOKIE) not in (None, "planted-by-an-attacker")
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker", domain="testserver.local")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_login_rotates_an_existing_session(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, user)
    first = client.cookies.get(SESSION_COOKIE)
    again = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD}, headers=headers)
    assert again.status_code == 200
    second = client.cookies.get(SESSION_COOKIE)
    assert first != second
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, first or "", domain="testserver.local")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_logout_ends_the_session_on_the_next_request(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, user)
    cookie = client.cookies.get(SESSION_COOKIE)
    assert (await client.post("/api/auth/logout", headers=headers)).status_code == 200
    client.cookies.set(SESSION_COOKIE, cookie or "", domain="testserver.local")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_password_change_revokes_other_sessions_and_tokens(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    bearer = await factory.token(client, user)
    await factory.login(client, user)
    other_session = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    headers = await factory.login(client, user)
    changed = await client.post(
        "/api/auth/password",
        json={"current_password": PASSWORD, "new_password": "a brand new pass phrase"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert (await client.get("/api/auth/me")).status_code == 200  # this browser got a fresh session
    client.cookies.clear()
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401
    client.cookies.set(SESSION_COOKIE, other_session or "", domain="testserver.local")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_deactivation_revokes_sessions_and_tokens(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    counsellor = await factory.user("counsellor", ngo)
    bearer = await factory.token(client, counsellor)
    await factory.login(client, counsellor)
    session = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    headers = await factory.login(client, coordinator)
    response = await client.patch(f"/api/users/{counsellor.id}", json={"is_active": False}, headers=headers)
    assert response.status_code == 200
    client.cookies.clear()
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401
    client.cookies.set(SESSION_COOKIE, session or "", domain="testserver.local")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_revoked_api_token_stops_working(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, user)
    created = (await client.post("/api/auth/tokens", json={"name": "script"}, headers=headers)).json()
    revoked = await client.delete(f"/api/auth/tokens/{created['token']['id']}", headers=headers)
    assert revoked.status_code == 204
    client.cookies.clear()
    response = await client.get("/api/auth/me", headers={"authorization": f"Bearer {created['secret']}"})
    assert response.status_code == 401


async def _age_session(factory: Factory, user: User, *, idle: timedelta, age: timedelta) -> None:
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        await db.execute(
            update(UserSession)
            .where(UserSession.user_id == user.id)
            .values(last_seen_at=now - idle, created_at=now - age)
        )
        await db.commit()


async def test_idle_session_expires_after_30_minutes(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    await factory.login(client, user)
    await _age_session(factory, user, idle=timedelta(minutes=29), age=timedelta(hours=1))
    assert (await client.get("/api/auth/me")).status_code == 200
    await _age_session(factory, user, idle=timedelta(minutes=31), age=timedelta(hours=1))
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_session_expires_12_hours_after_login_even_when_busy(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    await factory.login(client, user)
    await _age_session(factory, user, idle=timedelta(minutes=1), age=timedelta(hours=12, minutes=1))
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_session_cookie_is_httponly_samesite_and_secure_when_configured(
    database_url: str, factory: Factory
) -> None:
    settings = make_settings(database_url, cookie_secure=True)
    user = await factory.user("counsellor", await factory.org())
    async with AsyncTestClient(app=app_for(settings), base_url="https://testserver.local") as secure:
        response = await secure.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


async def test_unsafe_request_without_csrf_token_is_refused(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    user = await factory.user("counsellor", ngo)
    await factory.login(client, user)
    body = {"display_name": "Someone", "region": "DE30"}
    assert (await client.post("/api/survivors", json=body)).status_code == 403
    bad = await client.post("/api/survivors", json=body, headers={"x-csrf-token": "forged"})
    assert bad.status_code == 403 and "csrf" in bad.json()["detail"]
    async with factory.alchemy.get_session() as db:
        from service.domain.survivors.models import Survivor

        assert (await db.scalars(select(Survivor))).all() == []


async def test_csrf_token_in_a_form_field_is_accepted(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, user)
    response = await client.post("/api/auth/logout", data={"_csrf": headers["x-csrf-token"]})
    assert response.status_code == 200


async def test_bearer_token_requests_need_no_csrf_token(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    bearer = await factory.token(client, user)
    response = await client.post("/api/survivors", json={"display_name": "Someone", "region": "DE30"}, headers=bearer)
    assert response.status_code == 201


async def test_login_is_throttled_per_account(client: AsyncTestClient, factory: Factory, settings: Settings) -> None:
    user = await factory.user("counsellor", await factory.org())
    for _ in range(settings.security.login_max_failures):
        bad = await client.post("/api/auth/login", json={"email": user.email, "password": "wrong password!!"})
        assert bad.status_code == 401
    right = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert right.status_code == 429
    assert "retry-after" in right.headers


async def test_spoofed_forwarded_for_from_untrusted_peer_does_not_reset_throttling(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    limit = settings.security.login_max_failures * 4
    for attempt in range(limit):
        response = await client.post(
            "/api/auth/login",
            json={"email": f"guess{attempt}@example.org", "password": "wrong password!!"},
            headers={"x-forwarded-for": f"10.0.0.{attempt}"},
        )
        assert response.status_code == 401
    blocked = await client.post(
        "/api/auth/login",
        json={"email": "fresh@example.org", "password": "wrong password!!"},
        headers={"x-forwarded-for": "10.9.9.9"},
    )
    assert blocked.status_code == 429


async def test_passwords_are_stored_as_argon2id(factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    assert user.password_hash.startswith("$argon2id$")


async def test_short_and_common_passwords_are_refused(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    headers = await factory.login(client, coordinator)
    for password, reason in (("short", "at least 12"), ("Password2024!", "too common"), ("qwertyuiop12", "too common")):
        response = await client.post(
            "/api/users",
            json={"email": "new.person@example.org", "password": password, "role": "counsellor"},
            headers=headers,
        )
        assert response.status_code == 400
        assert reason in response.json()["detail"]


async def test_mfa_role_without_code_is_refused_and_with_code_admitted(
    client: AsyncTestClient, factory: Factory
) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    missing = await client.post("/api/auth/login", json={"email": coordinator.email, "password": PASSWORD})
    assert missing.status_code == 401 and missing.json()["detail"] == "login: email, password or code is wrong"
    wrong = await client.post(
        "/api/auth/login", json={"email": coordinator.email, "password": PASSWORD, "totp": "000000"}
    )
    assert wrong.status_code == 401
    await factory.login(client, coordinator)
    assert (await client.get("/api/auth/me")).status_code == 200


async def test_a_totp_code_cannot_be_replayed(client: AsyncTestClient, factory: Factory) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    code = totp_now(factory.totp_secrets[coordinator.id])
    body = {"email": coordinator.email, "password": PASSWORD, "totp": code}
    assert (await client.post("/api/auth/login", json=body)).status_code == 200
    client.cookies.clear()
    assert (await client.post("/api/auth/login", json=body)).status_code == 401


async def test_mfa_role_must_enrol_before_anything_else(client: AsyncTestClient, factory: Factory) -> None:
    coordinator = await factory.user("coordinator", await factory.org(), mfa=False)
    response = await client.post("/api/auth/login", json={"email": coordinator.email, "password": PASSWORD})
    assert response.status_code == 200 and response.json()["mfa_setup_required"] is True
    headers = {"x-csrf-token": response.json()["csrf_token"]}
    assert (await client.get("/api/survivors")).status_code == 403
    setup = (await client.post("/api/auth/mfa/setup", headers=headers)).json()
    assert setup["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = await client.post("/api/auth/mfa/confirm", json={"code": totp_now(setup["secret"])}, headers=headers)
    assert confirmed.status_code == 200
    assert (await client.get("/api/survivors")).status_code == 200
    async with factory.alchemy.get_session() as db:
        stored = await db.scalar(select(User).where(User.id == coordinator.id))
        assert stored is not None and stored.mfa_secret == setup["secret"]


async def test_public_routes_are_exactly_the_allowlist(client: AsyncTestClient) -> None:
    public = {
        (method, route.path)
        for route in client.app.routes
        for method, (handler, *_) in getattr(route, "route_handler_map", {}).items()
        if handler.opt.get("public") and method not in {"HEAD", "OPTIONS"}
    }
    assert public == {
        ("GET", "/health/live"),
        ("GET", "/health/ready"),
        ("POST", "/api/auth/login"),
        # One-time links: ask for a reset, choose a password through an invitation or reset link.
        ("POST", "/api/auth/reset"),
        ("POST", "/api/auth/welcome"),
        ("POST", "/api/auth/new-password"),
        # Pages: the sign-in form, the language switch (before sign-in too) and static files.
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/language"),
        ("GET", "/static/{file_path:path}"),
        # Pages of the one-time links (accounts/links.py): the reset request and choosing a password.
        ("GET", "/account/reset"),
        ("POST", "/account/reset"),
        ("GET", "/account/welcome"),
        ("POST", "/account/welcome"),
        ("GET", "/account/new-password"),
        ("POST", "/account/new-password"),
    }


def test_production_password_profile_is_argon2id_with_rfc9106_parameters() -> None:
    from service.domain.accounts.crypto import _PROFILES

    standard = _PROFILES["standard"]
    assert standard.type.name == "ID"
    assert standard.time_cost >= 3 and standard.memory_cost >= 64 * 1024


async def test_multipart_form_post_with_csrf_field_is_accepted(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    headers = await factory.login(client, user)
    response = await client.post("/api/auth/logout", files={"_csrf": (None, headers["x-csrf-token"])})
    assert response.status_code == 200, response.text
