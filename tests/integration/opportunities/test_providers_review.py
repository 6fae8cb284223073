"""Coordinator review of flagged listings and partner vetting, both audited."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.accounts.models import Organisation, User
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.partner_checks import complete_checks
from tests.support.track_record import give_track_record

RISKY = "Models wanted, no experience needed, 5000 EUR a week. Free accommodation abroad, we pay your ticket."


async def audit_rows(factory: Factory, action: str) -> list[AuditEvent]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(AuditEvent).where(AuditEvent.action == action))).all())


async def flagged_listing(client: AsyncTestClient, factory: Factory) -> tuple[User, str]:
    """A listing held by screening, from a partner with an otherwise clean record."""
    partner_org = await factory.org("partner")
    await give_track_record(factory, partner_org)
    partner = await factory.user("partner", partner_org)
    csrf = await factory.login(client, partner)
    listing = (await client.post("/api/opportunities", json=listing_payload(description=RISKY), headers=csrf)).json()
    assert listing["status"] == "pending_review"
    client.cookies.clear()
    return partner, listing["id"]


async def as_coordinator(client: AsyncTestClient, factory: Factory) -> tuple[User, dict[str, str]]:
    coordinator = await factory.user("coordinator", await factory.org())
    return coordinator, await factory.login(client, coordinator)


async def test_coordinator_approves_a_flagged_listing_and_it_is_audited(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, listing = await flagged_listing(client, factory)
    coordinator, csrf = await as_coordinator(client, factory)
    response = await client.post(
        f"/api/opportunities/{listing}/review",
        json={"decision": "approve", "reason": "called the restaurant, a genuine offer"},
        headers=csrf,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert (await client.get("/api/opportunities/review")).json()["total"] == 0
    [event] = await audit_rows(factory, "opportunity.review")
    assert (event.actor_id, event.object_id, event.detail) == (coordinator.id, listing, "decision=approve")
    again = await client.post(
        f"/api/opportunities/{listing}/review", json={"decision": "reject", "reason": "changed mind"}, headers=csrf
    )
    assert again.status_code == 409


async def test_rejected_listing_is_closed_and_the_partner_sees_why(client: AsyncTestClient, factory: Factory) -> None:
    partner, listing = await flagged_listing(client, factory)
    _, csrf = await as_coordinator(client, factory)
    response = await client.post(
        f"/api/opportunities/{listing}/review",
        json={"decision": "reject", "reason": "pay and travel terms are not acceptable"},
        headers=csrf,
    )
    assert response.json()["status"] == "closed"
    client.cookies.clear()
    await factory.login(client, partner)
    seen = (await client.get(f"/api/opportunities/{listing}")).json()
    assert (seen["status"], seen["review_reason"]) == ("closed", "pay and travel terms are not acceptable")
    assert "vetting_flags" not in seen


async def test_returned_listing_goes_back_to_draft_for_the_partner(client: AsyncTestClient, factory: Factory) -> None:
    partner, listing = await flagged_listing(client, factory)
    _, csrf = await as_coordinator(client, factory)
    response = await client.post(
        f"/api/opportunities/{listing}/review",
        json={"decision": "return", "reason": "say where she lives"},
        headers=csrf,
    )
    assert response.json()["status"] == "draft"
    client.cookies.clear()
    partner_csrf = await factory.login(client, partner)
    await client.patch(f"/api/opportunities/{listing}", json={"description": "Canteen work."}, headers=partner_csrf)
    resubmitted = await client.post(f"/api/opportunities/{listing}/submit", headers=partner_csrf)
    assert resubmitted.json()["status"] == "published"


async def test_review_needs_a_reason_and_a_reviewer(client: AsyncTestClient, factory: Factory) -> None:
    partner, listing = await flagged_listing(client, factory)
    csrf = await factory.login(client, partner)
    forbidden = await client.post(
        f"/api/opportunities/{listing}/review", json={"decision": "approve", "reason": "looks fine"}, headers=csrf
    )
    assert forbidden.status_code == 403
    client.cookies.clear()
    _, csrf = await as_coordinator(client, factory)
    missing = await client.post(f"/api/opportunities/{listing}/review", json={"decision": "approve"}, headers=csrf)
    assert missing.status_code == 400
    assert "reason" in missing.json()["detail"]


async def test_suspending_a_partner_unpublishes_her_listings_at_once(client: AsyncTestClient, factory: Factory) -> None:
    partner_org = await factory.org("partner")
    await give_track_record(factory, partner_org)
    csrf = await factory.login(client, await factory.user("partner", partner_org))
    listing = (await client.post("/api/opportunities", json=listing_payload(), headers=csrf)).json()
    assert listing["status"] == "published"
    client.cookies.clear()
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    await factory.login(client, counsellor)
    assert (await client.get("/api/opportunities")).json()["total"] == 1
    client.cookies.clear()
    coordinator, csrf = await as_coordinator(client, factory)
    response = await client.post(
        f"/api/partners/{partner_org.id}/vetting",
        json={"status": "suspended", "reason": "reports of withheld wages"},
        headers=csrf,
    )
    assert response.status_code == 200, response.text
    assert response.json()["vetting_status"] == "suspended"
    assert response.json()["vetted_by_id"] == str(coordinator.id)
    queue = (await client.get("/api/opportunities/review")).json()["items"]
    assert [item["id"] for item in queue] == [listing["id"]]
    assert "partner_suspended" in {flag["rule_id"] for flag in queue[0]["vetting_flags"]}
    client.cookies.clear()
    await factory.login(client, counsellor)
    assert (await client.get("/api/opportunities")).json()["total"] == 0
    assert (await client.get(f"/api/opportunities/{listing['id']}")).status_code == 404
    [event] = await audit_rows(factory, "partner.vetting")
    assert event.object_id == str(partner_org.id)
    assert event.detail == "status=vetted->suspended,unpublished=1"
    async with factory.alchemy.get_session() as db:
        org = await db.get_one(Organisation, partner_org.id)
        assert (org.vetting_reason, org.vetted_by_id) == ("reports of withheld wages", coordinator.id)


async def test_revetting_does_not_republish_and_approval_needs_a_vetted_partner(
    client: AsyncTestClient, factory: Factory
) -> None:
    partner_org = await factory.org("partner", vetted=False)
    csrf = await factory.login(client, await factory.user("partner", partner_org))
    listing = (await client.post("/api/opportunities", json=listing_payload(), headers=csrf)).json()
    client.cookies.clear()
    _, csrf = await as_coordinator(client, factory)
    approve = {"decision": "approve", "reason": "fine"}
    blocked = await client.post(f"/api/opportunities/{listing['id']}/review", json=approve, headers=csrf)
    assert blocked.status_code == 409
    assert blocked.json()["detail"].startswith("organisation")
    decision = {"status": "vetted", "reason": "site visit done"}
    unchecked = await client.post(f"/api/partners/{partner_org.id}/vetting", json=decision, headers=csrf)
    assert unchecked.status_code == 409 and unchecked.json()["detail"].startswith("checks:")
    await complete_checks(client, partner_org.id, csrf)
    vet = await client.post(f"/api/partners/{partner_org.id}/vetting", json=decision, headers=csrf)
    assert vet.json()["vetting_status"] == "vetted"
    assert (await client.get(f"/api/opportunities/{listing['id']}")).json()["status"] == "pending_review"
    approved = await client.post(f"/api/opportunities/{listing['id']}/review", json=approve, headers=csrf)
    assert approved.json()["status"] == "published"
    same = await client.post(
        f"/api/partners/{partner_org.id}/vetting", json={"status": "vetted", "reason": "again"}, headers=csrf
    )
    assert same.status_code == 409


async def test_vetting_is_for_partner_organisations_and_reviewers_only(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    partner_org = await factory.org("partner", vetted=False)
    decision = {"status": "vetted", "reason": "checked"}
    csrf = await factory.login(client, await factory.user("partner", partner_org))
    assert (
        await client.post(f"/api/partners/{partner_org.id}/vetting", json=decision, headers=csrf)
    ).status_code == 403
    client.cookies.clear()
    csrf = await factory.login(client, await factory.user("counsellor", ngo))
    assert (
        await client.post(f"/api/partners/{partner_org.id}/vetting", json=decision, headers=csrf)
    ).status_code == 403
    client.cookies.clear()
    _, csrf = await as_coordinator(client, factory)
    assert (await client.post(f"/api/partners/{ngo.id}/vetting", json=decision, headers=csrf)).status_code == 404
    pending = (await client.get("/api/partners?status=pending")).json()
    assert [item["id"] for item in pending] == [str(partner_org.id)]


async def test_a_suspended_partner_may_close_but_not_publish(client: AsyncTestClient, factory: Factory) -> None:
    partner_org = await factory.org("partner")
    partner = await factory.user("partner", partner_org)
    csrf = await factory.login(client, partner)
    listing = (await client.post("/api/opportunities", json=listing_payload(), headers=csrf)).json()
    client.cookies.clear()
    _, coordinator_csrf = await as_coordinator(client, factory)
    await client.post(
        f"/api/partners/{partner_org.id}/vetting",
        json={"status": "suspended", "reason": "complaint under investigation"},
        headers=coordinator_csrf,
    )
    client.cookies.clear()
    csrf = await factory.login(client, partner)
    assert (await client.post("/api/opportunities", json=listing_payload(), headers=csrf)).status_code == 403
    edit = await client.patch(f"/api/opportunities/{listing['id']}", json={"title": "Kitchen help"}, headers=csrf)
    assert edit.status_code == 403
    closed = await client.post(f"/api/opportunities/{listing['id']}/close", headers=csrf)
    assert closed.json()["status"] == "closed"
