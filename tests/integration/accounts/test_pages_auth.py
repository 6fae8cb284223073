"""Pages: sign-in, sign-out, second-factor enrolment and the language switch."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.accounts.crypto import totp_now
from service.domain.accounts.models import User
from tests.support.factories import PASSWORD, Factory
from tests.support.pages import csrf_in, sign_in


async def test_login_page_sets_the_double_submit_cookie(client: AsyncTestClient) -> None:
    response = await client.get("/login")
    assert response.status_code == 200
    assert client.cookies.get("onward_csrf") == csrf_in(response.text)


async def test_login_form_opens_the_same_session_as_the_api(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    await sign_in(client, factory, counsellor)
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["user"]["email"] == counsellor.email


async def test_wrong_password_gets_the_generic_message(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    form = await client.get("/login")
    data = {"email": counsellor.email, "password": "not the password at all", "_csrf": csrf_in(form.text)}
    response = await client.post("/login", data=data)
    assert response.status_code == 401
    assert "The email, password or code is not right" in response.text
    assert "not the password at all" not in response.text


async def test_enrolled_account_without_code_is_asked_for_it(client: AsyncTestClient, factory: Factory) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    form = await client.get("/login")
    data = {"email": coordinator.email, "password": PASSWORD, "_csrf": csrf_in(form.text)}
    response = await client.post("/login", data=data)
    assert response.status_code == 401
    assert "6-digit code" in response.text


async def test_coordinator_with_code_lands_on_the_caseload(client: AsyncTestClient, factory: Factory) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    await sign_in(client, factory, coordinator)
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/caseload"


async def test_logout_ends_the_session(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    csrf = await sign_in(client, factory, counsellor)
    cookie = client.cookies.get("onward_session")
    response = await client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set("onward_session", cookie or "")
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_logout_without_csrf_is_refused(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    await sign_in(client, factory, counsellor)
    response = await client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert (await client.get("/api/auth/me")).status_code == 200


async def test_partner_without_second_factor_is_sent_to_enrolment(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.user("partner", await factory.org("partner"), mfa=False)
    await sign_in(client, factory, partner)
    response = await client.get("/organisation", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/security"


async def test_enrolment_shows_the_secret_and_confirms_with_a_code(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.user("partner", await factory.org("partner"), mfa=False)
    csrf = await sign_in(client, factory, partner)
    page = await client.post("/account/security/start", data={"_csrf": csrf})
    async with factory.alchemy.get_session() as db:
        secret = await db.scalar(select(User.mfa_pending_secret).where(User.id == partner.id))
    assert secret and secret in page.text and "otpauth://totp/" in page.text
    done = await client.post("/account/security/confirm", data={"_csrf": csrf, "code": totp_now(secret)})
    assert done.status_code == 200
    assert (await client.get("/organisation")).status_code == 200


async def test_language_switch_before_login_is_remembered_in_a_cookie(client: AsyncTestClient) -> None:
    form = await client.get("/login")
    response = await client.post("/language", data={"_csrf": csrf_in(form.text), "locale": "de", "next": "/login"})
    assert response.status_code == 200
    assert client.cookies.get("onward_lang") == "de"
    assert "Anmelden" in response.text and 'lang="de"' in response.text


async def test_language_switch_when_signed_in_updates_her_account(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    csrf = await sign_in(client, factory, counsellor)
    await client.post("/language", data={"_csrf": csrf, "locale": "it", "next": "/caseload"})
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(User.locale).where(User.id == counsellor.id)) == "it"


async def test_arabic_pages_are_right_to_left(client: AsyncTestClient) -> None:
    response = await client.get("/login", headers={"accept-language": "ar"})
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "تسجيل الدخول" in response.text


async def test_browser_language_is_used_before_any_choice(client: AsyncTestClient) -> None:
    response = await client.get("/login", headers={"accept-language": "es;q=1, fr;q=0.8, en;q=0.5"})
    assert 'lang="fr"' in response.text


async def test_language_switch_refuses_a_foreign_return_address(client: AsyncTestClient) -> None:
    form = await client.get("/login")
    data = {"_csrf": csrf_in(form.text), "locale": "fr", "next": "//evil.example/"}
    response = await client.post("/language", data=data, follow_redirects=False)
    assert response.headers["location"] == "/login"
