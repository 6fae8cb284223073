"""GET /api/survivors/{id}/matches: ranked, explained suggestions for one survivor."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from providers.models import Opportunity
from service.domain.accounts.models import Organisation, User
from service.domain.matches.published_index import published_index_of
from service.domain.survivors.models import Survivor
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory
from tests.support.listings import listing, profile


async def _world(factory: Factory, **fields: Any) -> tuple[Organisation, User, Organisation, Survivor]:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name=f"Good Kitchen {ngo.id.hex[:6]}")
    survivor = await factory.survivor(ngo, counsellor, **profile(**fields))
    return ngo, counsellor, partner, survivor


async def _audit(factory: Factory, action: str, object_id: object) -> list[str]:
    async with factory.alchemy.get_session() as db:
        rows = await db.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == action, AuditEvent.object_id == str(object_id))
        )
        return list(rows.all())


async def test_counsellor_sees_ranked_explained_matches(client: AsyncTestClient, factory: Factory) -> None:
    _, counsellor, partner, survivor = await _world(factory)
    job = await listing(factory, partner.id, title="Kitchen assistant", languages=[{"code": "de", "level": "A2"}])
    await listing(factory, partner.id, kind="course", title="Barista course", course_level=2)
    await factory.login(client, counsellor)

    response = await client.get(f"/api/survivors/{survivor.id}/matches")

    assert response.status_code == 200, response.text
    body = response.json()
    assert {item["opportunity"]["kind"] for item in body["items"]} == {"job", "course"}
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    first = next(item for item in body["items"] if item["opportunity"]["id"] == str(job.id))
    assert first["opportunity"] == {
        "id": str(job.id),
        "kind": "job",
        "title": "Kitchen assistant",
        "partner": partner.name,
        "region": "DE30",
        "schedule": "Mon-Fri 09:00-13:00",
        "week": [("0" * 18 + "1" * 8 + "0" * 22)] * 5 + ["0" * 48] * 2,
        "skills": [],
    }
    assert set(first["contributions"]) >= {"essential_skills", "language", "timetable", "commute", "pay"}
    assert "needs A2 de, has B1" in first["met"]
    assert first["bundle"] is None
    assert body["profile_reasons"] == []
    assert await _audit(factory, "matches.read", survivor.id) == ["allowed"]


async def test_her_coordinator_and_she_herself_see_her_matches(client: AsyncTestClient, factory: Factory) -> None:
    ngo, _, partner, survivor = await _world(factory)
    await listing(factory, partner.id)
    for user in (await factory.user("coordinator", ngo), await factory.user("survivor", ngo, survivor=survivor)):
        client.cookies.clear()
        await factory.login(client, user)
        response = await client.get(f"/api/survivors/{survivor.id}/matches")
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == 1


async def test_outsiders_get_not_found_and_a_denied_audit_row(client: AsyncTestClient, factory: Factory) -> None:
    ngo, _, partner, survivor = await _world(factory)
    other_ngo = await factory.org()
    outsiders = {
        "another counsellor of her organisation": (await factory.user("counsellor", ngo), 404),
        "a coordinator of another organisation": (await factory.user("coordinator", other_ngo), 404),
        "another survivor": (
            await factory.user("survivor", ngo, survivor=await factory.survivor(ngo, None, **profile())),
            404,
        ),
        "a partner": (await factory.user("partner", partner), 403),
    }
    for who, (user, status) in outsiders.items():
        client.cookies.clear()
        await factory.login(client, user)
        response = await client.get(f"/api/survivors/{survivor.id}/matches")
        assert response.status_code == status, (who, response.text)
    assert await _audit(factory, "matches.read", survivor.id) == ["denied"] * 3


async def test_unknown_survivor_is_not_found(client: AsyncTestClient, factory: Factory) -> None:
    _, counsellor, _, _ = await _world(factory)
    await factory.login(client, counsellor)
    response = await client.get("/api/survivors/00000000-0000-4000-8000-000000000000/matches")
    assert response.status_code == 404
    assert response.json()["detail"] == "survivor: not found"


async def test_impossible_profiles_get_an_empty_list_with_reasons(client: AsyncTestClient, factory: Factory) -> None:
    ngo, counsellor, partner, _ = await _world(factory)
    await listing(factory, partner.id)
    await listing(factory, partner.id, kind="course", region="DE40", lat=52.4, lon=13.06)
    cases = {
        "no availability given": {"availability": []},
        "readiness paused: she asked for no suggestions for now": {"readiness": "not_now"},
        "no opportunity passes her filters": {"safety": {"exclusion_regions": ["DE"], "max_commute_minutes": 60}},
    }
    await factory.login(client, counsellor)
    for reason, fields in cases.items():
        survivor = await factory.survivor(ngo, counsellor, **profile(**fields))
        response = await client.get(f"/api/survivors/{survivor.id}/matches")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["items"] == [] and reason in body["profile_reasons"], body
    assert body["excluded_reasons"] == {"excluded region": 2}


async def test_only_published_listings_of_vetted_partners_appear(client: AsyncTestClient, factory: Factory) -> None:
    _, counsellor, partner, survivor = await _world(factory)
    shown = await listing(factory, partner.id, title="Published")
    for status in ("draft", "pending_review", "closed"):
        await listing(factory, partner.id, title=status, status=status)
    pending_partner = await factory.org("partner", vetted=False)
    await listing(factory, pending_partner.id, title="Unvetted partner")
    await factory.login(client, counsellor)

    body = (await client.get(f"/api/survivors/{survivor.id}/matches")).json()

    assert [item["opportunity"]["id"] for item in body["items"]] == [str(shown.id)]
    assert body["excluded_reasons"] == {}


async def test_new_and_closed_listings_show_on_the_next_request(client: AsyncTestClient, factory: Factory) -> None:
    _, counsellor, partner, survivor = await _world(factory)
    published_index_of(client.app.state).freshness = 0.0  # check the fingerprint on every request
    first = await listing(factory, partner.id, title="First")
    await factory.login(client, counsellor)
    url = f"/api/survivors/{survivor.id}/matches"
    assert [i["opportunity"]["title"] for i in (await client.get(url)).json()["items"]] == ["First"]

    second = await listing(factory, partner.id, title="Second")
    async with factory.alchemy.get_session() as db:
        row = await db.get(Opportunity, first.id)
        assert row is not None
        row.status = "closed"
        await db.commit()

    items = (await client.get(url)).json()["items"]
    assert [i["opportunity"]["id"] for i in items] == [str(second.id)]

    # a place taken by an UPDATE that leaves updated_at alone is still noticed (reconciliation)
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Opportunity).where(Opportunity.id == second.id).values(capacity_left=0))
        await db.commit()
    body = (await client.get(url)).json()
    assert body["items"] == [] and body["excluded_reasons"] == {"no places left": 1}
    catalogue = published_index_of(client.app.state)
    assert (catalogue.rebuilds, catalogue.increments) == (1, 2)


async def test_kind_and_limit_are_validated(client: AsyncTestClient, factory: Factory) -> None:
    _, counsellor, partner, survivor = await _world(factory)
    for _ in range(3):
        await listing(factory, partner.id)
    await listing(factory, partner.id, kind="course")
    await factory.login(client, counsellor)
    url = f"/api/survivors/{survivor.id}/matches"

    bad = await client.get(url, params={"kind": "cleaning"})
    assert bad.status_code == 400 and "kind" in bad.json()["detail"], bad.text
    for limit in (0, 101):
        assert (await client.get(url, params={"limit": limit})).status_code == 400
    jobs = (await client.get(url, params={"kind": "job", "limit": 2})).json()["items"]
    assert [item["opportunity"]["kind"] for item in jobs] == ["job", "job"]


async def test_a_mother_of_a_young_child_gets_job_and_childcare_bundles(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, counsellor, partner, survivor = await _world(factory, children=[{"age_years": 3, "needs_care": True}])
    job = await listing(factory, partner.id, title="Kitchen assistant")
    care = await listing(factory, partner.id, kind="childcare", title="Kita Sonnenschein")
    await listing(factory, partner.id, kind="childcare", title="Kita for older children", age_min=6, age_max=12)
    await factory.login(client, counsellor)

    for kind in (None, "childcare"):
        params = {"kind": kind} if kind else {}
        body = (await client.get(f"/api/survivors/{survivor.id}/matches", params=params)).json()
        [item] = body["items"]
        assert item["opportunity"]["id"] == str(job.id)
        bundle = item["bundle"]
        assert [part["id"] for part in bundle["parts"]] == [str(job.id), str(care.id)]
        assert "Kita Sonnenschein" in bundle["explanation"] and "aged 3" in bundle["explanation"]
        assert bundle["score"] <= item["score"] + 1e-9
        assert any("childcare" in line for line in item["bridges"])


async def test_a_new_listing_reaches_suggestions_through_the_background_check(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, counsellor, partner, survivor = await _world(factory)
    catalogue = published_index_of(client.app.state)
    catalogue.freshness = 0.2
    await listing(factory, partner.id, title="First")
    await factory.login(client, counsellor)
    url = f"/api/survivors/{survivor.id}/matches"
    assert [i["opportunity"]["title"] for i in (await client.get(url)).json()["items"]] == ["First"]

    await listing(factory, partner.id, title="Second")
    await asyncio.sleep(0.3)
    assert (await client.get(url)).status_code == 200  # served from the cache; starts the check
    for _ in range(100):
        if catalogue.task is not None and catalogue.task.done():
            break
        await asyncio.sleep(0.05)

    titles = sorted(i["opportunity"]["title"] for i in (await client.get(url)).json()["items"])
    assert titles == ["First", "Second"]
    assert catalogue.rebuilds == 1
