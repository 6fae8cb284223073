"""Pages for coordinators and administrators (accounts, organisations) and for partners."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.accounts.models import User
from service.messaging.models import OutboxMessage
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.pages import sign_in


async def test_coordinator_sees_only_her_organisations_accounts(client: AsyncTestClient, factory: Factory) -> None:
    ngo, other = await factory.org(), await factory.org()
    mine = await factory.user("counsellor", ngo, email="mine@example.org")
    await factory.user("counsellor", other, email="theirs@example.org")
    await sign_in(client, factory, await factory.user("coordinator", ngo))
    page = await client.get("/directory/users")
    assert mine.email in page.text and "theirs@example.org" not in page.text


async def test_coordinator_invites_a_counsellor(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    form = {
        "_csrf": csrf,
        "email": "new.counsellor@example.org",
        "display_name": "New counsellor",
        "role": "counsellor",
        "locale": "ro",
    }
    response = await client.post("/directory/users/new", data=form)
    assert response.status_code == 200 and "new.counsellor@example.org" in response.text
    async with factory.alchemy.get_session() as db:
        created = await db.scalar(select(User).where(User.email == "new.counsellor@example.org"))
    assert created is not None and created.organisation_id == ngo.id and created.locale == "ro"
    assert created.has_password is False  # she chooses it through her invitation link


async def test_coordinator_cannot_open_an_administrator_account(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    form = {"_csrf": csrf, "email": "boss@example.org", "role": "admin"}
    form["locale"] = "en"
    response = await client.post("/directory/users/new", data=form)
    assert response.status_code == 400 and 'id="e-role"' in response.text


async def test_bad_address_and_role_are_named_on_the_form_and_nothing_is_written(
    client: AsyncTestClient, factory: Factory
) -> None:
    csrf = await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    form = {"_csrf": csrf, "email": "not an address", "role": "gardener", "locale": "en"}
    response = await client.post("/directory/users/new", data=form)
    assert response.status_code == 400 and 'id="e-email"' in response.text and 'id="e-role"' in response.text
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(User).where(User.email == "not an address")) is None
        assert (await db.scalars(select(OutboxMessage))).all() == []


async def test_administrator_lists_organisations(client: AsyncTestClient, factory: Factory) -> None:
    await factory.org("partner", name="Listed Partner")
    await sign_in(client, factory, await factory.user("admin"))
    assert "Listed Partner" in (await client.get("/directory/organisations")).text


async def test_partner_sees_her_organisation(client: AsyncTestClient, factory: Factory) -> None:
    partner_org = await factory.org("partner", name="Sunny Kitchen")
    await sign_in(client, factory, await factory.user("partner", partner_org))
    page = await client.get("/organisation")
    assert page.status_code == 200 and "Sunny Kitchen" in page.text and "No listings yet." in page.text


async def test_partner_sees_her_listings(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.user("partner", await factory.org("partner"))
    csrf = await sign_in(client, factory, partner)
    listing = listing_payload(title="Kitchen assistant (page test)")
    created = await client.post("/api/opportunities", json=listing, headers={"x-csrf-token": csrf})
    assert created.status_code == 201, created.text
    assert "Kitchen assistant (page test)" in (await client.get("/organisation")).text
