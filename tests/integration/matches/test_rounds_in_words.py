"""Allocation rounds in words: people by the name the coordinator may see, the total fit in one
sentence, a proposal taken out before accepting the rest, and people already placed left out."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.referrals.models import Referral
from tests.support.factories import Factory
from tests.support.listings import listing, profile
from tests.support.pages import sign_in


async def _world(factory: Factory, people: int = 2, capacity: int = 2) -> tuple[object, object, list[object], object]:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    partner = await factory.org("partner")
    job = await listing(factory, partner.id, title="Kitchen assistant", capacity=capacity)
    survivors = [await factory.survivor(ngo, None, display_name=f"Person {n}", **profile()) for n in range(people)]
    return coordinator, partner, survivors, job


async def test_the_round_page_names_people_and_explains_the_total_fit(
    client: AsyncTestClient, factory: Factory
) -> None:
    coordinator, _, _survivors, _ = await _world(factory)
    csrf = await sign_in(client, factory, coordinator)
    started = await client.post("/rounds", data={"_csrf": csrf}, follow_redirects=False)
    page = (await client.get(started.headers["location"])).text
    assert "Person 0" in page and "Person 1" in page
    assert "The total fit adds up how well each person fits her proposed place" in page
    assert "Participant " not in page


async def test_a_proposal_taken_out_is_not_suggested_when_the_rest_is_accepted(
    client: AsyncTestClient, factory: Factory
) -> None:
    coordinator, _, _survivors, job = await _world(factory)
    headers = await factory.login(client, coordinator)
    round_ = (await client.post("/api/allocation-rounds", json={}, headers=headers)).json()
    assert len(round_["assignments"]) == 2
    taken, kept = round_["assignments"]
    url = f"/api/allocation-rounds/{round_['id']}/assignments/{taken['id']}/drop"
    dropped = await client.post(url, headers=headers)
    assert dropped.status_code == 200
    body = dropped.json()
    assert [a["dropped"] for a in body["assignments"]] == [True, False]
    assert taken["survivor_id"] in body["unplaced"]
    accepted = await client.post(f"/api/allocation-rounds/{round_['id']}/accept", headers=headers)
    assert accepted.status_code == 200
    async with factory.alchemy.get_session() as db:
        referrals = (await db.scalars(select(Referral))).all()
    assert [(str(r.survivor_id), r.opportunity_id) for r in referrals] == [(kept["survivor_id"], job.id)]  # type: ignore[attr-defined]
    late = await client.post(f"/api/allocation-rounds/{round_['id']}/assignments/{kept['id']}/drop", headers=headers)
    assert late.status_code == 409


async def test_taking_out_in_the_page_lists_her_without_a_place(client: AsyncTestClient, factory: Factory) -> None:
    coordinator, _, _survivors, _ = await _world(factory)
    headers = await factory.login(client, coordinator)
    round_ = (await client.post("/api/allocation-rounds", json={}, headers=headers)).json()
    client.cookies.clear()
    csrf = await sign_in(client, factory, coordinator)
    first = round_["assignments"][0]
    response = await client.post(
        f"/rounds/{round_['id']}/assignments/{first['id']}/drop", data={"_csrf": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    page = (await client.get(f"/rounds/{round_['id']}")).text
    assert "Taken out of this round by a coordinator before accepting." in page
    assert page.count("Take out of this round") == 1  # only the one still proposed


async def test_people_already_placed_are_left_out(client: AsyncTestClient, factory: Factory) -> None:
    coordinator, partner, survivors, job = await _world(factory, people=3)
    placed = survivors[0]
    async with factory.alchemy.get_session() as db:
        db.add(Referral(survivor_id=placed.id, opportunity_id=job.id, partner_id=partner.id, status="placed"))  # type: ignore[attr-defined]
        await db.commit()
    headers = await factory.login(client, coordinator)
    default = (await client.post("/api/allocation-rounds", json={}, headers=headers)).json()
    assert default["survivor_count"] == 2
    assert str(placed.id) not in {a["survivor_id"] for a in default["assignments"]}  # type: ignore[attr-defined]
    chosen = {"survivor_ids": [str(s.id) for s in survivors]}  # type: ignore[attr-defined]
    explicit = (await client.post("/api/allocation-rounds", json=chosen, headers=headers)).json()
    assert explicit["unplaced"][str(placed.id)].startswith("she has started a job or a course")  # type: ignore[attr-defined]
    assert str(placed.id) not in {a["survivor_id"] for a in explicit["assignments"]}  # type: ignore[attr-defined]
