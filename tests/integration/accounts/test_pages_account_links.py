"""The pages of the one-time links: choosing a password through an invitation or a reset,
asking for a reset (same page for every address), and her own sign-in from her profile."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.accounts.models import User
from service.domain.survivors.models import Consent
from service.settings import Settings
from tests.support.accounts import NEW_PASSWORD, link_in, send_outbox
from tests.support.factories import Factory
from tests.support.pages import csrf_in, sign_in


async def _invited(client: AsyncTestClient, factory: Factory, settings: Settings, role: str = "counsellor") -> str:
    ngo = await factory.org()
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    form = {"_csrf": csrf, "email": "welcome@example.org", "role": role, "locale": "fr", "display_name": "Ana"}
    assert (await client.post("/directory/users/new", data=form)).status_code == 200
    client.cookies.clear()
    [email] = await send_outbox(factory, settings)
    path, token = link_in(email)
    assert path == "/account/welcome"
    return token


async def test_invitation_page_asks_for_the_password_twice_and_names_each_problem(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    token = await _invited(client, factory, settings)
    form_page = await client.get(f"/account/welcome?token={token}")
    assert form_page.status_code == 200 and "welcome@example.org" in form_page.text
    assert '<html lang="fr"' in form_page.text and "Choisir votre mot de passe" in form_page.text  # her language
    csrf = csrf_in(form_page.text)
    base = {"_csrf": csrf, "token": token}
    different = await client.post("/account/welcome", data={**base, "password": NEW_PASSWORD, "password_again": "x"})
    assert different.status_code == 400 and 'id="e-password_again"' in different.text
    weak = await client.post("/account/welcome", data={**base, "password": "short", "password_again": "short"})
    assert weak.status_code == 400 and 'id="e-password"' in weak.text and 'value="short"' not in weak.text
    async with factory.alchemy.get_session() as db:
        assert (await db.scalar(select(User).where(User.email == "welcome@example.org"))).has_password is False  # type: ignore[union-attr]
    done = await client.post(
        "/account/welcome", data={**base, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert done.status_code == 200 and 'href="/login"' in done.text
    gone = await client.get(f"/account/welcome?token={token}")
    assert gone.status_code == 410
    login = await client.get("/login")
    signed = await client.post(
        "/login",
        data={"_csrf": csrf_in(login.text), "email": "welcome@example.org", "password": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/caseload"


async def test_an_invited_partner_is_sent_on_to_set_up_her_second_factor(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    admin = await factory.user("admin")
    partner = await factory.org("partner")
    csrf = await sign_in(client, factory, admin)
    form = {"_csrf": csrf, "email": "p@example.org", "role": "partner", "organisation_id": str(partner.id)}
    assert (await client.post("/directory/users/new", data={**form, "locale": "en"})).status_code == 200
    client.cookies.clear()
    [email] = await send_outbox(factory, settings)
    _, token = link_in(email)
    page = await client.get(f"/account/welcome?token={token}")
    chosen = {"_csrf": csrf_in(page.text), "token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert (await client.post("/account/welcome", data=chosen)).status_code == 200
    login = await client.get("/login")
    signed = await client.post(
        "/login",
        data={"_csrf": csrf_in(login.text), "email": "p@example.org", "password": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/account/security"


async def test_reset_page_answers_alike_and_its_link_sets_a_new_password(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    user = await factory.user("counsellor", await factory.org())
    form = await client.get("/account/reset")
    csrf = csrf_in(form.text)
    known = await client.post("/account/reset", data={"_csrf": csrf, "email": user.email})
    unknown = await client.post("/account/reset", data={"_csrf": csrf, "email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200 and known.text == unknown.text
    empty = await client.post("/account/reset", data={"_csrf": csrf, "email": ""})
    assert empty.status_code == 400 and 'id="e-email"' in empty.text
    [email] = await send_outbox(factory, settings)
    _, token = link_in(email)
    page = await client.get(f"/account/new-password?token={token}")
    chosen = {"_csrf": csrf_in(page.text), "token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert (await client.post("/account/new-password", data=chosen)).status_code == 200
    assert (await client.post("/account/new-password", data=chosen)).status_code == 410


async def test_reset_page_says_to_wait_after_too_many_requests(client: AsyncTestClient, factory: Factory) -> None:
    csrf = csrf_in((await client.get("/account/reset")).text)
    for _ in range(3):
        await client.post("/account/reset", data={"_csrf": csrf, "email": "someone@example.org"})
    throttled = await client.post("/account/reset", data={"_csrf": csrf, "email": "someone@example.org"})
    assert throttled.status_code == 429 and 'role="alert"' in throttled.text


async def test_counsellor_invites_her_from_her_profile_only_with_her_consent(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    csrf = await sign_in(client, factory, counsellor)
    profile = await client.get(f"/people/{survivor.id}")
    assert f'href="/people/{survivor.id}/account"' in profile.text
    url = f"/people/{survivor.id}/account"
    refused = await client.post(url, data={"_csrf": csrf, "email": "her@example", "locale": "ar"})
    assert refused.status_code == 400 and 'id="e-email"' in refused.text and 'id="e-she_agreed"' in refused.text
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(Consent))).all() == []
    sent = await client.post(url, data={"_csrf": csrf, "email": "her@example.org", "locale": "ar", "she_agreed": "on"})
    assert sent.status_code == 200 and "her@example.org" in sent.text
    async with factory.alchemy.get_session() as db:
        [consent] = (await db.scalars(select(Consent))).all()
        her = await db.scalar(select(User).where(User.email == "her@example.org"))
    assert consent.purpose == "own_account" and her is not None and her.role == "survivor" and her.locale == "ar"
