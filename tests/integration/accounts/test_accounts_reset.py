"""Password reset by one-time link: the same answer for every address, throttled in the
database, and every session and API token of the account ends once it is used (S30, S32)."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from service.domain.accounts.link_models import LinkRequest, OneTimeLink
from service.domain.accounts.models import User
from service.messaging.models import OutboxMessage
from service.settings import Settings
from tests.support.accounts import NEW_PASSWORD, link_in, send_outbox, subject_of
from tests.support.cases import as_user
from tests.support.factories import PASSWORD, Factory


async def test_known_and_unknown_addresses_get_the_same_answer(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    user = await factory.user("counsellor", await factory.org(), email="known@example.org")
    known = await client.post("/api/auth/reset", json={"email": "Known@Example.org "})
    unknown = await client.post("/api/auth/reset", json={"email": "unknown@example.org"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    emails = await send_outbox(factory, settings)
    assert [str(m["To"]) for m in emails] == [user.email]
    assert subject_of(emails[0]) == "Choosing a new password"


async def test_reset_link_sets_a_new_password_and_ends_every_session_and_token(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    user = await factory.user("counsellor", await factory.org())
    bearer = await factory.token(client, user)
    await as_user(client, factory, user)
    browser_cookies = dict(client.cookies)
    client.cookies.clear()
    assert (await client.post("/api/auth/reset", json={"email": user.email})).status_code == 202
    [email] = await send_outbox(factory, settings)
    path, token = link_in(email)
    assert path == "/account/new-password"

    used = await client.post("/api/auth/new-password", json={"token": token, "password": NEW_PASSWORD})
    assert used.status_code == 200, used.text
    assert (await client.get("/api/auth/me", headers=bearer)).status_code == 401
    client.cookies.update(browser_cookies)
    assert (await client.get("/api/auth/me")).status_code == 401
    client.cookies.clear()
    old = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/auth/login", json={"email": user.email, "password": NEW_PASSWORD})
    assert new.status_code == 200
    client.cookies.clear()
    again = await client.post("/api/auth/new-password", json={"token": token, "password": NEW_PASSWORD + "!"})
    assert again.status_code == 400


async def test_a_weak_password_is_refused_and_the_link_still_works(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    user = await factory.user("counsellor", await factory.org())
    await client.post("/api/auth/reset", json={"email": user.email})
    [email] = await send_outbox(factory, settings)
    _, token = link_in(email)
    weak = await client.post("/api/auth/new-password", json={"token": token, "password": "password123"})
    assert weak.status_code == 400 and weak.json()["detail"].startswith("password:")
    async with factory.alchemy.get_session() as db:
        link = await db.scalar(select(OneTimeLink))
        stored = await db.get_one(User, user.id)
    assert link is not None and link.used_at is None and stored.password_changed_at is None


async def test_reset_requests_are_throttled_per_address_for_unknown_addresses_too(
    client: AsyncTestClient, factory: Factory
) -> None:
    user = await factory.user("counsellor", await factory.org())
    for email in (user.email, "nobody@example.org"):
        answers = [(await client.post("/api/auth/reset", json={"email": email})).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429], email
    async with factory.alchemy.get_session() as db:
        kept = await db.scalar(select(func.count()).select_from(LinkRequest))
        emails = await db.scalar(select(func.count()).select_from(OutboxMessage))
    assert kept == 6 and emails == 3  # counted in the shared database; only her address got mail


async def test_a_deactivated_account_gets_no_reset_email(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    user = await factory.user("counsellor", await factory.org())
    async with factory.alchemy.get_session() as db:
        (await db.get_one(User, user.id)).is_active = False
        await db.commit()
    assert (await client.post("/api/auth/reset", json={"email": user.email})).status_code == 202
    assert await send_outbox(factory, settings) == []
