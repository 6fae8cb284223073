"""Allocation rounds: computed, stored as `proposed`, reviewable, and accepted into referrals."""

from __future__ import annotations

from collections import Counter
from datetime import date

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from providers.models import Opportunity
from service.domain.accounts.models import Organisation, User
from service.domain.referrals.models import Referral
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory
from tests.support.listings import listing, profile


async def _coordinator(factory: Factory) -> tuple[Organisation, User, Organisation]:
    ngo = await factory.org()
    partner = await factory.org("partner")
    return ngo, await factory.user("coordinator", ngo), partner


async def test_a_round_is_stored_and_respects_capacities(client: AsyncTestClient, factory: Factory) -> None:
    ngo, coordinator, partner = await _coordinator(factory)
    job = await listing(factory, partner.id, title="Only place", capacity=1)
    survivors = [await factory.survivor(ngo, None, **profile()) for _ in range(3)]
    await factory.survivor(ngo, None, **profile(readiness="not_now"))  # not in a default round
    headers = await factory.login(client, coordinator)

    created = await client.post("/api/allocation-rounds", json={}, headers=headers)

    assert created.status_code == 201, created.text
    round_ = created.json()
    assert round_["status"] == "proposed" and round_["survivor_count"] == 3
    [assignment] = round_["assignments"]
    assert assignment["opportunity_id"] == str(job.id) and assignment["referral_ids"] == []
    assert assignment["why"].startswith(f"job {job.id}: fit")
    assert round_["placed"] == round_["greedy_placed"] == 1
    assert round_["objective"] >= round_["greedy_objective"] > 0
    assert round_["method"].startswith("optimal") and round_["gap"] == 0.0  # proved, and said so
    assert round_["bound"] == round_["objective"]
    others = {str(s.id) for s in survivors} - {assignment["survivor_id"]}
    assert set(round_["unplaced"]) == others
    stored = await client.get(f"/api/allocation-rounds/{round_['id']}")
    assert stored.status_code == 200 and stored.json() == round_
    listed = (await client.get("/api/allocation-rounds")).json()
    assert [r["id"] for r in listed] == [round_["id"]]
    async with factory.alchemy.get_session() as db:
        actions = (await db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == coordinator.id))).all()
    assert {"allocation_round.create", "allocation_round.read", "allocation_round.list"} <= set(actions)


async def test_accepting_creates_suggested_referrals_once(client: AsyncTestClient, factory: Factory) -> None:
    ngo, coordinator, partner = await _coordinator(factory)
    job = await listing(factory, partner.id, title="Kitchen assistant", capacity=2)
    care = await listing(factory, partner.id, kind="childcare", title="Kita", capacity=2)
    mother = await factory.survivor(ngo, None, **profile(children=[{"age_years": 2, "needs_care": True}]))
    other = await factory.survivor(ngo, None, **profile())
    headers = await factory.login(client, coordinator)
    round_ = (await client.post("/api/allocation-rounds", json={}, headers=headers)).json()
    by_survivor = {a["survivor_id"]: a for a in round_["assignments"]}
    assert by_survivor[str(mother.id)]["childcare_id"] == str(care.id)
    assert by_survivor[str(other.id)]["childcare_id"] is None

    accepted = await client.post(f"/api/allocation-rounds/{round_['id']}/accept", headers=headers)

    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["status"] == "accepted" and body["accepted_at"] is not None
    async with factory.alchemy.get_session() as db:
        referrals = (await db.scalars(select(Referral))).all()
    assert Counter((str(r.survivor_id), str(r.opportunity_id), r.status) for r in referrals) == Counter(
        {
            (str(mother.id), str(job.id), "suggested"): 1,
            (str(mother.id), str(care.id), "suggested"): 1,
            (str(other.id), str(job.id), "suggested"): 1,
        }
    )
    assert sorted(len(a["referral_ids"]) for a in body["assignments"]) == [1, 2]
    again = await client.post(f"/api/allocation-rounds/{round_['id']}/accept", headers=headers)
    assert again.status_code == 409
    async with factory.alchemy.get_session() as db:
        outcomes = (
            await db.scalars(
                select(AuditEvent.outcome).where(
                    AuditEvent.action == "allocation_round.accept", AuditEvent.object_id == round_["id"]
                )
            )
        ).all()
    assert sorted(outcomes) == ["allowed", "denied"]


async def test_another_organisations_round_is_not_found(client: AsyncTestClient, factory: Factory) -> None:
    ngo, coordinator, partner = await _coordinator(factory)
    await listing(factory, partner.id)
    await factory.survivor(ngo, None, **profile())
    headers = await factory.login(client, coordinator)
    round_id = (await client.post("/api/allocation-rounds", json={}, headers=headers)).json()["id"]

    client.cookies.clear()
    other_headers = await factory.login(client, await factory.user("coordinator", await factory.org()))
    assert (await client.get(f"/api/allocation-rounds/{round_id}")).status_code == 404
    assert (await client.post(f"/api/allocation-rounds/{round_id}/accept", headers=other_headers)).status_code == 404
    assert (await client.get("/api/allocation-rounds")).json() == []
    client.cookies.clear()
    counsellor_headers = await factory.login(client, await factory.user("counsellor", ngo))
    refused = await client.post("/api/allocation-rounds", json={}, headers=counsellor_headers)
    assert refused.status_code == 403
    async with factory.alchemy.get_session() as db:
        denied = (
            await db.scalars(
                select(AuditEvent.action).where(AuditEvent.outcome == "denied", AuditEvent.object_id == round_id)
            )
        ).all()
    assert sorted(denied) == ["allocation_round.accept", "allocation_round.read"]


async def test_survivors_outside_her_organisation_are_not_found(client: AsyncTestClient, factory: Factory) -> None:
    ngo, coordinator, _ = await _coordinator(factory)
    mine = await factory.survivor(ngo, None, **profile())
    theirs = await factory.survivor(await factory.org(), None, **profile())
    headers = await factory.login(client, coordinator)
    response = await client.post(
        "/api/allocation-rounds", json={"survivor_ids": [str(mine.id), str(theirs.id)]}, headers=headers
    )
    assert response.status_code == 404 and response.json()["detail"].startswith("survivor_ids")


async def test_kinds_narrow_the_round(client: AsyncTestClient, factory: Factory) -> None:
    ngo, coordinator, partner = await _coordinator(factory)
    await listing(factory, partner.id, title="Job")
    course = await listing(factory, partner.id, kind="course", title="Course")
    survivor = await factory.survivor(ngo, None, **profile())
    headers = await factory.login(client, coordinator)
    body = {"survivor_ids": [str(survivor.id)], "kinds": ["course"]}
    round_ = (await client.post("/api/allocation-rounds", json=body, headers=headers)).json()
    assert [a["opportunity_id"] for a in round_["assignments"]] == [str(course.id)]
    bad = await client.post("/api/allocation-rounds", json={"kinds": ["childcare"]}, headers=headers)
    assert bad.status_code == 400


async def test_prioritise_waiting_gives_the_last_place_to_the_longest_wait(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo, coordinator, partner = await _coordinator(factory)
    await listing(factory, partner.id, capacity=1)
    recent = await factory.survivor(ngo, None, **profile(waiting_since=date.today()))
    longest = await factory.survivor(ngo, None, **profile(waiting_since=date(2025, 1, 1)))
    headers = await factory.login(client, coordinator)
    body = {"survivor_ids": [str(recent.id), str(longest.id)], "prioritise_waiting": True}
    round_ = (await client.post("/api/allocation-rounds", json=body, headers=headers)).json()
    [assignment] = round_["assignments"]
    assert assignment["survivor_id"] == str(longest.id)
    assert assignment["weight"] > assignment["score"]
    assert "priority" in assignment["why"]


async def test_a_listing_closed_before_acceptance_is_noted_not_fatal(client: AsyncTestClient, factory: Factory) -> None:
    ngo, coordinator, partner = await _coordinator(factory)
    job = await listing(factory, partner.id)
    await factory.survivor(ngo, None, **profile())
    headers = await factory.login(client, coordinator)
    round_ = (await client.post("/api/allocation-rounds", json={}, headers=headers)).json()
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Opportunity).where(Opportunity.id == job.id).values(status="closed"))
        await db.commit()

    accepted = (await client.post(f"/api/allocation-rounds/{round_['id']}/accept", headers=headers)).json()

    [assignment] = accepted["assignments"]
    assert accepted["status"] == "accepted"
    assert assignment["referral_ids"] == [] and "no published listing" in assignment["note"]
