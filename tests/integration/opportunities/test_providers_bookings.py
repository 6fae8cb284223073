"""Booking and releasing seats and childcare places."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from service.domain.accounts.models import Organisation
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.track_record import give_track_record


async def posted_by_a_partner(
    client: AsyncTestClient, factory: Factory, body: dict[str, Any]
) -> tuple[Organisation, str]:
    """A new vetted partner posts ``body``; returns her organisation and the listing's id."""
    org = await factory.org("partner")
    await give_track_record(factory, org)  # established, so her clean place publishes at once
    csrf = await factory.login(client, await factory.user("partner", org))
    created = await client.post("/api/opportunities", json=body, headers=csrf)
    assert created.status_code == 201, created.text
    client.cookies.clear()
    return org, created.json()["id"]


async def test_counsellor_books_and_releases_a_place(client: AsyncTestClient, factory: Factory) -> None:
    _, place = await posted_by_a_partner(client, factory, listing_payload("childcare", capacity=1))
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    first, second = await factory.survivor(ngo, counsellor), await factory.survivor(ngo, counsellor)
    csrf = await factory.login(client, counsellor)
    booked = await client.post(
        f"/api/opportunities/{place}/bookings", json={"survivor_id": str(first.id)}, headers=csrf
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["status"] == "booked"
    assert (await client.get(f"/api/opportunities/{place}")).json()["capacity_left"] == 0
    full = await client.post(f"/api/opportunities/{place}/bookings", json={"survivor_id": str(second.id)}, headers=csrf)
    assert full.status_code == 409
    assert full.json()["detail"].startswith("capacity_left")
    booking = booked.json()["id"]
    released = await client.post(f"/api/bookings/{booking}/release", headers=csrf)
    assert released.status_code == 200
    assert released.json()["status"] == "released"
    assert (await client.get(f"/api/opportunities/{place}")).json()["capacity_left"] == 1
    assert (await client.post(f"/api/bookings/{booking}/release", headers=csrf)).status_code == 409
    rebooked = await client.post(
        f"/api/opportunities/{place}/bookings", json={"survivor_id": str(second.id)}, headers=csrf
    )
    assert rebooked.status_code == 201
    listed = (await client.get("/api/bookings")).json()
    assert {item["id"] for item in listed} == {booking, rebooked.json()["id"]}


async def test_she_cannot_hold_two_places_in_one_listing(client: AsyncTestClient, factory: Factory) -> None:
    _, place = await posted_by_a_partner(client, factory, listing_payload("childcare", capacity=3))
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    csrf = await factory.login(client, counsellor)
    body = {"survivor_id": str(survivor.id)}
    assert (await client.post(f"/api/opportunities/{place}/bookings", json=body, headers=csrf)).status_code == 201
    twice = await client.post(f"/api/opportunities/{place}/bookings", json=body, headers=csrf)
    assert twice.status_code == 409
    assert (await client.get(f"/api/opportunities/{place}")).json()["capacity_left"] == 2


async def test_out_of_scope_survivor_or_listing_is_not_found(client: AsyncTestClient, factory: Factory) -> None:
    _, place = await posted_by_a_partner(client, factory, listing_payload("childcare", capacity=2))
    _, hidden = await posted_by_a_partner(client, factory, listing_payload("childcare", capacity=2, draft=True))
    ngo = await factory.org()
    mine, other = await factory.user("counsellor", ngo), await factory.user("counsellor", ngo)
    own, foreign = await factory.survivor(ngo, mine), await factory.survivor(ngo, other)
    csrf = await factory.login(client, mine)
    not_mine = await client.post(
        f"/api/opportunities/{place}/bookings", json={"survivor_id": str(foreign.id)}, headers=csrf
    )
    assert not_mine.status_code == 404
    draft = await client.post(f"/api/opportunities/{hidden}/bookings", json={"survivor_id": str(own.id)}, headers=csrf)
    assert draft.status_code == 404
    assert (await client.get(f"/api/opportunities/{place}")).json()["capacity_left"] == 2
    client.cookies.clear()
    csrf_other = await factory.login(client, other)
    theirs = await client.post(
        f"/api/opportunities/{place}/bookings", json={"survivor_id": str(foreign.id)}, headers=csrf_other
    )
    client.cookies.clear()
    csrf = await factory.login(client, mine)
    assert (await client.post(f"/api/bookings/{theirs.json()['id']}/release", headers=csrf)).status_code == 404


async def test_jobs_and_suspended_partners_cannot_be_booked(client: AsyncTestClient, factory: Factory) -> None:
    _, job_id = await posted_by_a_partner(client, factory, listing_payload())
    partner_org, place = await posted_by_a_partner(client, factory, listing_payload("childcare", capacity=2))
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    survivor = await factory.survivor(ngo)
    csrf = await factory.login(client, coordinator)
    body = {"survivor_id": str(survivor.id)}
    assert (await client.post(f"/api/opportunities/{job_id}/bookings", json=body, headers=csrf)).status_code == 409
    await client.post(
        f"/api/partners/{partner_org.id}/vetting", json={"status": "suspended", "reason": "complaint"}, headers=csrf
    )
    suspended = await client.post(f"/api/opportunities/{place}/bookings", json=body, headers=csrf)
    assert suspended.status_code == 409
    assert (await client.get(f"/api/opportunities/{place}")).json()["capacity_left"] == 2
