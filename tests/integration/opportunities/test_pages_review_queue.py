"""The review queue puts danger first, pages through everything, filters, and shows each
listing as a participant would read it (no field names, the indicator in words)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from providers.models import Opportunity, set_flags
from providers.schedule import EMPTY_WEEK
from service.web.paging import PAGE_SIZE
from tests.support.factories import Factory
from tests.support.pages import sign_in

HIGH = {"rule_id": "document_retention", "reason": "r", "severity": "high", "evidence": '"we keep your passport"'}
MEDIUM = {
    "rule_id": "tied_accommodation",
    "reason": "r",
    "severity": "medium",
    "evidence": "accommodation_provided=true",
}


def waiting(org_id: Any, title: str, age_days: int, flags: list[dict[str, Any]], **extra: Any) -> Opportunity:
    fields: dict[str, Any] = {
        "kind": "job",
        "description": "We keep your passport safe. Work in our kitchen.",
        "pay_amount": 9.0,
        "pay_period": "day",
        "currency": "EUR",
        "contract_type": "informal",
        "hours_per_week": 40.0,
        "accommodation_provided": True,
        "rent_deducted": True,
        "documents_held_by": "employer",
        "wages_paid": "cash",
        "language_codes": ",de,",
        **extra,
    }
    row = Opportunity(
        organisation_id=org_id,
        status="pending_review",
        title=title,
        region="DE30",
        place_name="Berlin",
        lat=52.52,
        lon=13.41,
        capacity=1,
        capacity_left=1,
        starts_on=date(2027, 1, 4),
        schedule=list(EMPTY_WEEK),
        updated_at=datetime.now(UTC) - timedelta(days=age_days),
        **fields,
    )
    set_flags(row, flags)
    return row


async def seed(factory: Factory) -> dict[str, Any]:
    checked = await factory.org("partner", name="Checked kitchens")
    unchecked = await factory.org("partner", vetted=False, name="New kitchens")
    rows = [
        waiting(checked.id, "Medium old", 9, [MEDIUM]),
        waiting(checked.id, "High new", 1, [HIGH]),
        waiting(unchecked.id, "Unchecked old", 20, [], language_codes=",fr,"),
        waiting(checked.id, "Second look", 30, []),
        waiting(checked.id, "High old", 5, [HIGH, MEDIUM]),
        waiting(unchecked.id, "Unchecked course", 3, [], kind="course", contract_type=None, pay_amount=None,
                pay_period=None, accommodation_provided=False, rent_deducted=None, documents_held_by=None,
                wages_paid=None, cost_amount=0.0),
    ]  # fmt: skip
    async with factory.alchemy.get_session() as db:
        db.add_all(rows)
        await db.commit()
    return {"checked": checked, "unchecked": unchecked}


def titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<h2 class="title">(.*?)</h2>', html)]


async def test_high_then_medium_then_unchecked_then_the_rest_oldest_first(
    client: AsyncTestClient, factory: Factory
) -> None:
    await seed(factory)
    await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    page = await client.get("/review")
    assert page.status_code == 200
    assert titles(page.text) == [
        "High old",
        "High new",
        "Medium old",
        "Unchecked old",
        "Unchecked course",
        "Second look",
    ]
    counts = page.text.split('id="group-counts">')[1].split("</ul>")[0]
    assert (
        re.sub(r"<[^>]+>|\s+", " ", counts).split()
        == (
            "High concern: 2 Some concern: 1 No warning sign, partner not checked yet: 2 Waiting for a second look: 1"
        ).split()
    )


async def test_a_card_reads_like_the_listing_with_the_indicator_in_words(
    client: AsyncTestClient, factory: Factory
) -> None:
    await seed(factory)
    await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    page = await client.get("/review?flag=document_retention")
    assert titles(page.text) == ["High old", "High new"]
    card = page.text.split('<li class="card listing"')[1]
    for words in (
        "ILO indicator 7: retention of identity documents",
        "<mark>We keep your passport</mark>",
        "9 EUR per day",
        "Informal, no written contract",
        "Berlin, Berlin",
        "The employer keeps them",
        "In cash",
        "Rent taken out of the wages",
    ):
        assert words in card, words
    for code in ("accommodation_provided", "documents_held_by", "DE30", "pay_period", "document_retention"):
        assert code not in card.split("<form")[0], code


async def test_filters_narrow_the_queue_and_its_counts_and_a_wrong_one_is_a_400(
    client: AsyncTestClient, factory: Factory
) -> None:
    orgs = await seed(factory)
    await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    assert titles((await client.get("/review?kind=course")).text) == ["Unchecked course"]
    assert titles((await client.get(f"/review?partner={orgs['unchecked'].id}")).text) == [
        "Unchecked old",
        "Unchecked course",
    ]
    assert titles((await client.get("/review?language=fr")).text) == ["Unchecked old"]
    assert (await client.get("/review?kind=casting")).status_code == 400
    assert (await client.get("/review?partner=not-an-id")).status_code == 400
    assert (await client.get("/review?flag=made_up")).status_code == 400


async def test_every_waiting_listing_is_reachable_page_by_page(client: AsyncTestClient, factory: Factory) -> None:
    org = await factory.org("partner", name="Many listings")
    async with factory.alchemy.get_session() as db:
        db.add_all(waiting(org.id, f"Listing {index:03d}", index, []) for index in range(PAGE_SIZE + 3))
        db.add(waiting(org.id, "Danger", 0, [HIGH]))
        await db.commit()
    await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    first = await client.get("/review")
    seen = titles(first.text)
    assert seen[0] == "Danger" and len(seen) == PAGE_SIZE and 'href="/review?page=2"' in first.text
    second = await client.get("/review?page=2")
    seen += titles(second.text)
    assert sorted(seen) == sorted(["Danger", *(f"Listing {index:03d}" for index in range(PAGE_SIZE + 3))])
    assert (await client.get("/review?page=3")).status_code == 400
