"""Partner listings through the JSON API: lifecycle, screening, visibility and bad input."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from providers.models import Opportunity
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory
from tests.support.listings import WEEKDAYS_9_TO_5, listing_payload
from tests.support.track_record import give_track_record

RISKY = "Models wanted, no experience needed, 5000 EUR a week. Free accommodation abroad, we pay your ticket."


async def partner_session(
    client: AsyncTestClient, factory: Factory, *, vetted: bool = True, established: bool = False
) -> tuple[Any, dict]:
    """A partner user signed in; ``established``: her organisation already has three listings a
    person let through, so the review policy no longer reads every new one."""
    org = await factory.org("partner", vetted=vetted)
    if established:
        await give_track_record(factory, org)
    user = await factory.user("partner", org)
    return org, await factory.login(client, user)


async def count_listings(factory: Factory) -> int:
    async with factory.alchemy.get_session() as db:
        return int(await db.scalar(select(func.count()).select_from(Opportunity)) or 0)


async def test_clean_job_from_vetted_partner_is_published(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory, established=True)
    clean = listing_payload(capacity=2, blocks=WEEKDAYS_9_TO_5, lat=52.5213, lon=13.4101)
    response = await client.post("/api/opportunities", json=clean, headers=csrf)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "published"
    assert body["capacity_left"] == 2
    assert body["schedule"][0] == "0" * 18 + "1" * 16 + "0" * 14
    assert (body["lat"], body["lon"]) == (52.52, 13.41)  # coarse, never an address
    assert "vetting_flags" not in body


async def test_risky_job_waits_for_review_with_flags_only_reviewers_see(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, csrf = await partner_session(client, factory)
    response = await client.post(
        "/api/opportunities",
        json=listing_payload(title="Hostess job", description=RISKY, accommodation_provided=True),
        headers=csrf,
    )
    assert response.status_code == 201, response.text
    listing = response.json()
    assert listing["status"] == "pending_review"
    assert "vetting_flags" not in listing  # a partner never learns which rule fired
    client.cookies.clear()
    ngo = await factory.org()
    await factory.login(client, await factory.user("coordinator", ngo))
    queue = (await client.get("/api/opportunities/review")).json()
    assert [item["id"] for item in queue["items"]] == [listing["id"]]
    flags = queue["items"][0]["vetting_flags"]
    assert flags and all(flag["rule_id"] and flag["reason"] for flag in flags)


async def test_clean_listing_of_unvetted_partner_waits_for_review(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory, vetted=False)
    response = await client.post("/api/opportunities", json=listing_payload(), headers=csrf)
    assert response.status_code == 201
    assert response.json()["status"] == "pending_review"


async def test_lifecycle_draft_submit_close_and_illegal_transitions(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory, established=True)
    draft = (await client.post("/api/opportunities", json=listing_payload(draft=True), headers=csrf)).json()
    assert draft["status"] == "draft"
    opportunity = f"/api/opportunities/{draft['id']}"
    submitted = await client.post(f"{opportunity}/submit", headers=csrf)
    assert submitted.json()["status"] == "published"
    again = await client.post(f"{opportunity}/submit", headers=csrf)
    assert again.status_code == 409
    assert again.json()["detail"].startswith("status:")
    closed = await client.post(f"{opportunity}/close", headers=csrf)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert (await client.post(f"{opportunity}/close", headers=csrf)).status_code == 409
    assert (await client.patch(opportunity, json={"title": "New title"}, headers=csrf)).status_code == 409
    assert (await client.post(f"{opportunity}/submit", headers=csrf)).status_code == 409


async def test_status_and_owner_cannot_be_set_by_the_body(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory)
    for extra in ({"status": "published"}, {"organisation_id": "00000000-0000-0000-0000-000000000001"}):
        response = await client.post("/api/opportunities", json=listing_payload(draft=True, **extra), headers=csrf)
        assert response.status_code == 400
        assert next(iter(extra)) in response.json()["detail"]
    created = (await client.post("/api/opportunities", json=listing_payload(draft=True), headers=csrf)).json()
    edit = await client.patch(
        f"/api/opportunities/{created['id']}", json={"capacity_left": 99, "status": "published"}, headers=csrf
    )
    assert edit.status_code == 400
    assert (await client.get(f"/api/opportunities/{created['id']}")).json()["status"] == "draft"


async def test_partner_b_cannot_read_edit_close_or_list_partner_a_listings(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, csrf_a = await partner_session(client, factory)
    mine = (await client.post("/api/opportunities", json=listing_payload(), headers=csrf_a)).json()
    client.cookies.clear()
    _, csrf_b = await partner_session(client, factory)
    own_b = (await client.post("/api/opportunities", json=listing_payload(title="Cleaner"), headers=csrf_b)).json()
    target = f"/api/opportunities/{mine['id']}"
    missing = "/api/opportunities/00000000-0000-4000-8000-000000000000"
    read, absent = await client.get(target), await client.get(missing)
    assert read.status_code == absent.status_code == 404
    assert read.json() == absent.json()
    assert (await client.patch(target, json={"title": "Stolen"}, headers=csrf_b)).status_code == 404
    assert (await client.post(f"{target}/close", headers=csrf_b)).status_code == 404
    assert (await client.post(f"{target}/submit", headers=csrf_b)).status_code == 404
    listed = (await client.get("/api/opportunities")).json()
    assert [item["id"] for item in listed["items"]] == [own_b["id"]]
    assert (await client.get("/api/opportunities/count")).json() == {"total": 1}
    async with factory.alchemy.get_session() as db:
        denied = await db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.object_id == mine["id"], AuditEvent.outcome == "denied")
        )
        title = await db.scalar(select(Opportunity.title).where(Opportunity.id == UUID(mine["id"])))
    assert denied == 4
    assert title == "Kitchen assistant"


async def test_counsellor_and_survivor_see_only_published_listings_of_vetted_partners(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, csrf = await partner_session(client, factory, established=True)
    published = (await client.post("/api/opportunities", json=listing_payload(), headers=csrf)).json()
    draft = (
        await client.post("/api/opportunities", json=listing_payload(title="Draft job", draft=True), headers=csrf)
    ).json()
    risky = (
        await client.post("/api/opportunities", json=listing_payload(title="Hostess", description=RISKY), headers=csrf)
    ).json()
    client.cookies.clear()
    _, csrf_pending = await partner_session(client, factory, vetted=False)
    unvetted = (
        await client.post("/api/opportunities", json=listing_payload(title="Waiter"), headers=csrf_pending)
    ).json()
    assert (published["status"], risky["status"], unvetted["status"]) == (
        "published",
        "pending_review",
        "pending_review",
    )
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor_user = await factory.user("survivor", ngo, survivor=await factory.survivor(ngo, counsellor))
    for user in (counsellor, survivor_user):
        client.cookies.clear()
        await factory.login(client, user)
        listed = (await client.get("/api/opportunities")).json()
        assert [item["id"] for item in listed["items"]] == [published["id"]]
        assert listed["total"] == 1 == (await client.get("/api/opportunities/count")).json()["total"]
        for hidden in (draft, risky, unvetted):
            assert (await client.get(f"/api/opportunities/{hidden['id']}")).status_code == 404
        assert (await client.get(f"/api/opportunities/{published['id']}")).status_code == 200


async def test_bad_schedules_and_capacities_are_refused_naming_the_field(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, csrf = await partner_session(client, factory)
    cases = {
        "blocks[1]": listing_payload(blocks=[*WEEKDAYS_9_TO_5[:1], {"day": "mon", "start": "16:00", "end": "18:00"}]),
        "blocks[0].end": listing_payload(blocks=[{"day": "tue", "start": "22:00", "end": "06:00"}]),
        "capacity": listing_payload(capacity=-1),
        "currency": listing_payload(currency="XYZ"),
        "languages[0].code": listing_payload(languages=[{"code": "qq", "level": "B1"}]),
        "schedule": listing_payload(blocks=None, schedule=["0" * 48] * 6),
        "ends_on": listing_payload(ends_on="2026-12-01"),
        "pay_amount": listing_payload(pay_amount=None),
        "age_min": listing_payload(age_min=3),
    }
    for field, body in cases.items():
        response = await client.post("/api/opportunities", json=body, headers=csrf)
        assert response.status_code == 400, (field, response.text)
        assert response.json()["detail"].startswith(field), (field, response.json()["detail"])
    assert await count_listings(factory) == 0


async def test_editing_a_published_job_screens_it_again(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory, established=True)
    listing = (await client.post("/api/opportunities", json=listing_payload(), headers=csrf)).json()
    target = f"/api/opportunities/{listing['id']}"
    harmless = await client.patch(target, json={"title": "Kitchen helper"}, headers=csrf)
    assert harmless.json()["status"] == "published"
    risky = await client.patch(target, json={"description": RISKY}, headers=csrf)
    assert risky.status_code == 200
    assert risky.json()["status"] == "pending_review"
    reworded = await client.patch(target, json={"description": "Help in the kitchen."}, headers=csrf)
    assert reworded.json()["status"] == "pending_review"  # once flagged, a coordinator decides


async def test_capacity_edit_keeps_booked_places(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory)
    listing = (await client.post("/api/opportunities", json=listing_payload(capacity=3), headers=csrf)).json()
    edited = await client.patch(f"/api/opportunities/{listing['id']}", json={"capacity": 5}, headers=csrf)
    assert (edited.json()["capacity"], edited.json()["capacity_left"]) == (5, 5)
    negative = await client.patch(f"/api/opportunities/{listing['id']}", json={"capacity": -2}, headers=csrf)
    assert negative.status_code == 400
    assert negative.json()["detail"].startswith("capacity")


async def test_search_by_kind_region_language_occupation_and_week(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner_session(client, factory)
    cook = "http://data.europa.eu/esco/occupation/abc-123"
    kitchen = (await client.post("/api/opportunities", json=listing_payload(occupation_uri=cook), headers=csrf)).json()
    evening = listing_payload(
        title="Evening cleaner",
        region="DE21",
        blocks=[{"day": "wed", "start": "18:00", "end": "21:00"}],
        languages=[{"code": "en", "level": "A2"}],
    )
    cleaner = (await client.post("/api/opportunities", json=evening, headers=csrf)).json()
    course = listing_payload(
        "language_class", class_language="de", blocks=[{"day": "sat", "start": "10:00", "end": "12:00"}]
    )
    german = (await client.post("/api/opportunities", json=course, headers=csrf)).json()

    async def ids(query: str) -> set[str]:
        page = (await client.get(f"/api/opportunities?{query}")).json()
        assert page["total"] == (await client.get(f"/api/opportunities/count?{query}")).json()["total"]
        return {item["id"] for item in page["items"]}

    assert await ids("kind=language_class") == {german["id"]}
    assert await ids("region=DE2") == {cleaner["id"]}
    assert await ids("language=de") == {kitchen["id"], german["id"]}
    assert await ids(f"occupation={cook}") == {kitchen["id"]}
    weekend_and_evenings = ",".join(["0" * 36 + "1" * 12] * 5 + ["1" * 48] * 2)
    assert await ids(f"within={weekend_and_evenings}") == {cleaner["id"], german["id"]}
    assert (await client.get("/api/opportunities?region=de30")).status_code == 400
