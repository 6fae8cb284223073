"""Matches she can explain (issue 13, point 5): reasons name the skills, what is missing comes
with what would bridge it, a bundle is one proposal with its week drawn, and proposing it
creates referrals that stay grouped as one proposal afterwards."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.accounts.models import Organisation, User
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Survivor
from skills.starter import load_starter
from tests.support.factories import Factory
from tests.support.listings import listing, profile, week
from tests.support.pages import sign_in

SKILL = "http://data.europa.eu/esco/skill/"
COOKING = f"{SKILL}f3934441-4bff-4076-9945-e6c51a01c467"
CLEANING = f"{SKILL}4f1b6304-f54a-42f0-9604-5427a28d240f"
RECIPE = f"{SKILL}a0d96ce8-aeeb-4ffb-bd78-21c0598179ff"


async def _world(factory: Factory, **fields: Any) -> tuple[User, Organisation, Survivor]:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name=f"Kitchen Garden {ngo.id.hex[:6]}")
    values = profile(skills=[{"uri": COOKING, "level": 3}], **fields)
    survivor = await factory.survivor(ngo, counsellor, **values)
    return counsellor, partner, survivor


async def _referrals(factory: Factory, survivor_id: UUID) -> list[Referral]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(Referral).where(Referral.survivor_id == survivor_id))).all())


async def test_reasons_name_the_skills_and_a_course_that_bridges_the_gap(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, partner, survivor = await _world(factory)
    await listing(factory, partner.id, title="Kitchen helper", essential_skills=[COOKING, CLEANING, RECIPE])
    await listing(
        factory, partner.id, kind="course", title="Cleaning basics", essential_skills=[CLEANING], course_level=1
    )
    await sign_in(client, factory, counsellor)

    text = " ".join((await client.get(f"/people/{survivor.id}/matches")).text.split())

    assert "She already has: use cooking techniques." in text
    assert "perform cleaning duties" in text and "work according to recipe" in text
    assert "The course “Cleaning basics” in these suggestions teaches perform cleaning duties." in text
    assert "data.europa.eu" not in text.replace('value="', "")


async def test_a_bundle_is_one_proposal_with_its_week_and_stays_grouped(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, partner, survivor = await _world(factory, children=[{"age_years": 3}])
    job = await listing(factory, partner.id, title="Kitchen helper", schedule=week("mon-fri", "09:00", "13:00"))
    care = await listing(factory, partner.id, kind="childcare", title="Little Bears nursery")
    single = await listing(factory, partner.id, kind="course", title="Barista course", course_level=2)
    csrf = await sign_in(client, factory, counsellor)

    page = await client.get(f"/people/{survivor.id}/matches")
    assert 'class="week"' in page.text and "Her week with this proposal" in page.text
    assert '<th scope="row">09:00</th>' in page.text

    bundle = {"_csrf": csrf, "opportunity_id": str(job.id), "part": str(care.id)}
    assert (await client.post(f"/people/{survivor.id}/matches/propose", data=bundle)).status_code == 200
    alone = {"_csrf": csrf, "opportunity_id": str(single.id)}
    assert (await client.post(f"/people/{survivor.id}/matches/propose", data=alone)).status_code == 200

    stored = {row.opportunity_id: row.proposal_id for row in await _referrals(factory, survivor.id)}
    assert stored[job.id] is not None and stored[job.id] == stored[care.id] and stored[single.id] is None

    referrals = " ".join((await client.get(f"/people/{survivor.id}/referrals")).text.split())
    assert "Proposed together: Kitchen helper" in referrals and "One proposal of 2 parts" in referrals
    grouped = referrals.split(f'id="p-{stored[job.id]}"')[1].split('id="r-')
    assert (
        len(grouped) == 3
        and "Barista course" not in referrals.split(f'id="p-{stored[job.id]}"')[1].split("</section>")[0]
    )

    api = await client.get(f"/api/survivors/{survivor.id}/referrals")
    assert {row["proposal_id"] for row in api.json() if row["opportunity_id"] != str(single.id)} == {
        str(stored[job.id])
    }


async def test_a_bundle_with_a_part_that_is_not_a_listing_writes_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, partner, survivor = await _world(factory, children=[{"age_years": 3}])
    job = await listing(factory, partner.id, title="Kitchen helper")
    csrf = await sign_in(client, factory, counsellor)

    bad = {"_csrf": csrf, "opportunity_id": str(job.id), "part": "not-a-listing"}
    response = await client.post(f"/people/{survivor.id}/matches/propose", data=bad)
    assert response.status_code == 400 and "Please choose a suggestion from the list." in response.text
    gone = {"_csrf": csrf, "opportunity_id": str(job.id), "part": "00000000-0000-4000-8000-000000000000"}
    assert (await client.post(f"/people/{survivor.id}/matches/propose", data=gone)).status_code == 409
    assert await _referrals(factory, survivor.id) == []
