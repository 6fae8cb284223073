"""Administrators and coordinators manage accounts and organisations in the pages: an account's
page, deactivate/reactivate (sessions end), reset the second factor, change the role within
the rules; organisations created, edited, deactivated. Bad input is named by field."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from service.domain.accounts.models import Organisation, User
from service.kernel.audit import AuditEvent
from tests.support.factories import PASSWORD, Factory
from tests.support.pages import csrf_in, sign_in


async def _stored(factory: Factory, model: type, key: object) -> object:
    async with factory.alchemy.get_session() as db:
        return await db.get_one(model, key)


async def test_account_page_shows_role_organisation_status_and_last_sign_in(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org(name="Lighthouse Support")
    counsellor = await factory.user("counsellor", ngo, email="c@example.org")
    await sign_in(client, factory, counsellor)
    client.cookies.clear()
    admin = await factory.user("admin")
    await sign_in(client, factory, admin)
    listing = await client.get("/directory/users")
    assert f'href="/directory/users/{counsellor.id}"' in listing.text
    page = await client.get(f"/directory/users/{counsellor.id}")
    assert page.status_code == 200
    for expected in ("c@example.org", "Counsellor", "Lighthouse Support", "Active", " UTC", "Not set up"):
        assert expected in page.text, expected
    async with factory.alchemy.get_session() as db:
        reads = await db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "user.read", AuditEvent.object_id == str(counsellor.id))
        )
    assert reads == 1


async def test_deactivation_ends_her_sessions_and_reactivation_lets_her_back(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    await sign_in(client, factory, counsellor)
    her_cookies = dict(client.cookies)
    client.cookies.clear()
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    url = f"/directory/users/{counsellor.id}/active"
    undecided = await client.post(url, data={"_csrf": csrf})
    assert undecided.status_code == 400 and 'id="e-active"' in undecided.text
    off = await client.post(url, data={"_csrf": csrf, "active": "off"}, follow_redirects=False)
    assert off.status_code == 303
    mine = dict(client.cookies)
    client.cookies.clear()
    client.cookies.update(her_cookies)
    assert (await client.get("/api/auth/me")).status_code == 401
    client.cookies.clear()
    refused = await client.post("/api/auth/login", json={"email": counsellor.email, "password": PASSWORD})
    assert refused.status_code == 401
    client.cookies.update(mine)
    assert (await client.post(url, data={"_csrf": csrf, "active": "on"}, follow_redirects=False)).status_code == 303
    client.cookies.clear()
    back = await client.post("/api/auth/login", json={"email": counsellor.email, "password": PASSWORD})
    assert back.status_code == 200


async def test_coordinator_cannot_deactivate_herself_or_see_an_administrator(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    admin = await factory.user("admin")
    csrf = await sign_in(client, factory, coordinator)
    mine = await client.get(f"/directory/users/{coordinator.id}")
    assert "Deactivate this account" not in mine.text
    refused = await client.post(f"/directory/users/{coordinator.id}/active", data={"_csrf": csrf, "active": "off"})
    assert refused.status_code == 400 and 'id="e-active"' in refused.text
    assert (await _stored(factory, User, coordinator.id)).is_active  # type: ignore[attr-defined]
    assert (await client.get(f"/directory/users/{admin.id}")).status_code == 404


async def test_second_factor_reset_sends_her_to_set_it_up_again(client: AsyncTestClient, factory: Factory) -> None:
    partner_org = await factory.org("partner")
    partner = await factory.user("partner", partner_org)
    csrf = await sign_in(client, factory, await factory.user("admin"))
    page = await client.get(f"/directory/users/{partner.id}")
    assert "Reset two-step sign-in" in page.text
    done = await client.post(
        f"/directory/users/{partner.id}/second-factor", data={"_csrf": csrf, "confirm": "yes"}, follow_redirects=False
    )
    assert done.status_code == 303
    stored = await _stored(factory, User, partner.id)
    assert stored.mfa_secret is None  # type: ignore[attr-defined]
    again = await client.post(f"/directory/users/{partner.id}/second-factor", data={"_csrf": csrf, "confirm": "yes"})
    assert again.status_code == 400 and 'id="e-mfa"' in again.text
    client.cookies.clear()
    login = await client.get("/login")
    signed = await client.post(
        "/login",
        data={"_csrf": csrf_in(login.text), "email": partner.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/account/security"


async def test_role_changes_only_within_the_rules(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    page = await client.get(f"/directory/users/{counsellor.id}")
    assert 'value="coordinator"' in page.text and 'value="admin"' not in page.text
    url = f"/directory/users/{counsellor.id}/role"
    for refused in ("admin", "partner", "boss"):
        response = await client.post(url, data={"_csrf": csrf, "role": refused})
        assert response.status_code == 400 and 'id="e-role"' in response.text, refused
    assert (await _stored(factory, User, counsellor.id)).role == "counsellor"  # type: ignore[attr-defined]
    moved = await client.post(url, data={"_csrf": csrf, "role": "coordinator"}, follow_redirects=False)
    assert moved.status_code == 303
    assert (await _stored(factory, User, counsellor.id)).role == "coordinator"  # type: ignore[attr-defined]


async def test_administrator_creates_edits_and_deactivates_an_organisation(
    client: AsyncTestClient, factory: Factory
) -> None:
    await factory.org(name="Taken Name")
    csrf = await sign_in(client, factory, await factory.user("admin"))
    form = await client.get("/directory/organisations/new")
    assert "Deutschland" in form.text or "Germany" in form.text
    bad = await client.post("/directory/organisations/new", data={"_csrf": csrf, "name": "x", "country": "ZZ"})
    assert bad.status_code == 400
    for field in ("e-name", "e-kind", "e-country"):
        assert f'id="{field}"' in bad.text, field
    clash = await client.post(
        "/directory/organisations/new", data={"_csrf": csrf, "name": "Taken Name", "kind": "partner", "country": "DE"}
    )
    assert clash.status_code == 400 and 'id="e-name"' in clash.text
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(func.count()).select_from(Organisation)) == 1
    created = await client.post(
        "/directory/organisations/new",
        data={"_csrf": csrf, "name": "Green Bakery", "kind": "partner", "country": "AT", "partner_type": "employer"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    url = created.headers["location"]
    renamed = await client.post(url, data={"_csrf": csrf, "name": "Taken Name", "country": "AT"})
    assert renamed.status_code == 400 and 'id="e-name"' in renamed.text
    saved = await client.post(
        url, data={"_csrf": csrf, "name": "Green Bakery Ltd", "country": "DE"}, follow_redirects=False
    )
    assert saved.status_code == 303
    async with factory.alchemy.get_session() as db:
        org = await db.scalar(select(Organisation).where(Organisation.name == "Green Bakery Ltd"))
    assert org is not None and org.country == "DE" and org.vetting_status == "pending"
    member = await factory.user("partner", org)
    off = await client.post(f"{url}/active", data={"_csrf": csrf, "active": "off"}, follow_redirects=False)
    assert off.status_code == 303
    client.cookies.clear()
    body = {"email": member.email, "password": PASSWORD, "totp": factory.code(member)}
    assert (await client.post("/api/auth/login", json=body)).status_code == 401
    assert "Deactivated" in (await sign_in_and_get(client, factory, "/directory/organisations")).text


async def sign_in_and_get(client: AsyncTestClient, factory: Factory, path: str) -> object:
    await sign_in(client, factory, await factory.user("admin"))
    return await client.get(path)


async def test_lifecycle_api_shares_the_rules(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    headers = await factory.login(client, await factory.user("coordinator", ngo))
    to_admin = await client.put(f"/api/users/{counsellor.id}/role", json={"role": "admin"}, headers=headers)
    assert to_admin.status_code == 400 and to_admin.json()["detail"].startswith("role:")
    moved = await client.put(f"/api/users/{counsellor.id}/role", json={"role": "coordinator"}, headers=headers)
    assert moved.status_code == 200 and moved.json()["role"] == "coordinator"
    org = await client.put(f"/api/organisations/{ngo.id}/active", json={"active": False}, headers=headers)
    assert org.status_code == 403
