"""What matching receives: only published listings of vetted partners, as plain records."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from matching.schedule import unpack_week
from service.domain.opportunities.for_matching import published_for_matching
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.track_record import give_track_record

JOB = listing_payload(
    capacity=2,
    blocks=[{"day": "tue", "start": "09:00", "end": "13:00"}],
    pay_amount=15,
    pay_period="hour",
    contract_type="employment",
    hours_per_week=20,
    languages=[{"code": "de", "level": "A2"}],
    essential_skills=["http://data.europa.eu/esco/skill/abc-1"],
)


async def test_matching_gets_published_listings_of_vetted_partners_only(
    client: AsyncTestClient, factory: Factory
) -> None:
    vetted = await factory.org("partner")
    await give_track_record(factory, vetted)  # established: her clean job publishes at once
    csrf = await factory.login(client, await factory.user("partner", vetted))
    published = (await client.post("/api/opportunities", json=JOB, headers=csrf)).json()
    await client.post("/api/opportunities", json={**JOB, "draft": True}, headers=csrf)
    client.cookies.clear()
    pending = await factory.org("partner", vetted=False)
    csrf = await factory.login(client, await factory.user("partner", pending))
    await client.post("/api/opportunities", json=JOB, headers=csrf)

    async with factory.alchemy.get_session() as db:
        records = await published_for_matching(db)

    [record] = records
    assert (record.id, record.kind, record.partner_vetted, record.capacity_left) == (published["id"], "job", True, 2)
    assert record.pay is not None and round(record.pay.monthly) == round(15 * 20 * 52 / 12)
    assert record.contract == "formal"
    assert [(need.language, need.level) for need in record.languages] == [("de", "A2")]
    assert record.essential_skills == ("http://data.europa.eu/esco/skill/abc-1",)
    assert unpack_week(record.schedule).sum() == 8
    assert unpack_week(record.schedule)[48 + 18]  # Tuesday 09:00
