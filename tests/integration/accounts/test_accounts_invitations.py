"""Invitations through the JSON API: the email travels through a real SMTP server, the link
sets her own password once, expires, and is stored only as a hash (SECURITY S32)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select, text, update

from service.domain.accounts.link_models import OneTimeLink
from service.domain.accounts.models import User
from service.domain.survivors.models import Consent, Survivor
from service.messaging.models import OutboxMessage
from service.settings import Settings
from tests.support.accounts import NEW_PASSWORD, body_of, link_in, links_of, send_outbox, subject_of
from tests.support.cases import as_user
from tests.support.factories import Factory


async def _invite(client: AsyncTestClient, headers: dict[str, str], **fields: object) -> dict[str, object]:
    body = {"email": "new.person@example.org", "role": "counsellor", "locale": "de", **fields}
    response = await client.post("/api/invitations", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_invitation_email_sets_her_own_password_once(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    ngo = await factory.org()
    csrf = await as_user(client, factory, await factory.user("coordinator", ngo))
    invited = await _invite(client, csrf)
    assert invited["invitation_pending"] is True and invited["organisation_id"] == str(ngo.id)

    [email] = await send_outbox(factory, settings)
    assert email["To"] == "new.person@example.org"
    assert subject_of(email) == "Ihr Zugang ist bereit"  # her language, neutral wording
    assert ngo.name not in email.as_string()
    path, token = link_in(email)
    assert path == "/account/welcome"

    client.cookies.clear()
    used = await client.post("/api/auth/welcome", json={"token": token, "password": NEW_PASSWORD})
    assert used.status_code == 200, used.text
    again = await client.post("/api/auth/welcome", json={"token": token, "password": NEW_PASSWORD + "x"})
    assert again.status_code == 400 and again.json()["detail"].startswith("token:")
    login = await client.post("/api/auth/login", json={"email": "new.person@example.org", "password": NEW_PASSWORD})
    assert login.status_code == 200 and login.json()["user"]["invitation_pending"] is False

    # Only the hash is kept: the token appears in no table.
    async with factory.alchemy.get_session() as db:
        for table in ("one_time_link", "outbox_message", "audit_event"):
            rows = (await db.execute(text(f'SELECT * FROM "{table}"'))).all()
            assert token not in repr(rows), table


async def test_an_invited_account_cannot_sign_in_before_choosing_a_password(
    client: AsyncTestClient, factory: Factory
) -> None:
    csrf = await as_user(client, factory, await factory.user("admin"))
    partner = await factory.org("partner")
    await _invite(client, csrf, role="partner", organisation_id=str(partner.id), email="p@example.org")
    client.cookies.clear()
    for password in ("", "a fresh and long pass phrase"):
        response = await client.post("/api/auth/login", json={"email": "p@example.org", "password": password or "x"})
        assert response.status_code == 401


async def test_an_expired_or_replaced_link_no_longer_works(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    admin = await factory.user("admin")
    csrf = await as_user(client, factory, admin)
    invited = await _invite(client, csrf, organisation_id=str((await factory.org()).id))
    [first] = await send_outbox(factory, settings)
    _, old_token = link_in(first)
    again = await client.post(f"/api/users/{invited['id']}/invitation", headers=csrf)
    assert again.status_code == 200
    [second] = await send_outbox(factory, settings)
    _, new_token = link_in(second)
    assert new_token != old_token
    client.cookies.clear()
    replaced = await client.post("/api/auth/welcome", json={"token": old_token, "password": NEW_PASSWORD})
    assert replaced.status_code == 400
    async with factory.alchemy.get_session() as db:
        await db.execute(update(OneTimeLink).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        await db.commit()
    expired = await client.post("/api/auth/welcome", json={"token": new_token, "password": NEW_PASSWORD})
    assert expired.status_code == 400 and expired.json() == replaced.json()
    async with factory.alchemy.get_session() as db:
        user = await db.get_one(User, invited["id"])
    assert user.has_password is False


async def test_a_link_expires_after_48_hours(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await as_user(client, factory, await factory.user("coordinator", await factory.org()))
    invited = await _invite(client, csrf)
    [link] = await links_of(factory, invited["id"])
    lifetime = link.expires_at - link.created_at
    assert lifetime == timedelta(hours=48)
    assert len(link.token_hash) == 64


async def test_coordinator_cannot_invite_an_administrator_or_into_another_organisation(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo, other = await factory.org(), await factory.org()
    csrf = await as_user(client, factory, await factory.user("coordinator", ngo))
    admin = await client.post("/api/invitations", json={"email": "a@example.org", "role": "admin"}, headers=csrf)
    assert admin.status_code == 403
    elsewhere = await client.post(
        "/api/invitations",
        json={"email": "b@example.org", "role": "counsellor", "organisation_id": str(other.id)},
        headers=csrf,
    )
    assert elsewhere.status_code == 403
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(User).where(User.email.in_(["a@example.org", "b@example.org"]))) is None
        assert (await db.scalars(select(OneTimeLink))).all() == []


async def test_counsellor_invites_her_with_her_consent_recorded(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    csrf = await as_user(client, factory, counsellor)
    url = f"/api/survivors/{survivor.id}/invitation"
    refused = await client.post(url, json={"email": "her@example.org", "locale": "ro"}, headers=csrf)
    assert refused.status_code == 400 and "she_agreed" in refused.json()["detail"]
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(User).where(User.email == "her@example.org")) is None
        assert (await db.scalars(select(Consent))).all() == []
    invited = await client.post(
        url, json={"email": "her@example.org", "locale": "ro", "she_agreed": True}, headers=csrf
    )
    assert invited.status_code == 201, invited.text
    async with factory.alchemy.get_session() as db:
        consent = await db.scalar(select(Consent).where(Consent.survivor_id == survivor.id))
        row = await db.get_one(Survivor, survivor.id)
    assert consent is not None and consent.purpose == "own_account" and consent.recorded_by_id == counsellor.id
    assert str(row.user_id) == invited.json()["id"]
    [link] = await links_of(factory, row.user_id)
    assert link.consent_id == consent.id
    async with factory.alchemy.get_session() as db:
        # Her email is discreet (quiet hours apply); send it now, whatever the hour of the test.
        [message] = (await db.scalars(select(OutboxMessage))).all()
        assert message.discreet and message.channel == "email"
        message.not_before = datetime.now(UTC)
        await db.commit()
    [email] = await send_outbox(factory, settings)
    assert subject_of(email) == "Contul tău este gata"
    for word in ("survivor", "Survivor", ngo.name, counsellor.email):
        assert word not in body_of(email)


async def test_another_caseloads_survivor_cannot_be_invited(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    survivor = await factory.survivor(ngo, await factory.user("counsellor", ngo))
    csrf = await as_user(client, factory, await factory.user("counsellor", ngo))
    response = await client.post(
        f"/api/survivors/{survivor.id}/invitation",
        json={"email": "her@example.org", "she_agreed": True},
        headers=csrf,
    )
    assert response.status_code == 404
