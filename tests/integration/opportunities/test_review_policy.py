"""Nothing risky published unread (providers.review_policy), on SQLite and PostgreSQL.

A clean-looking job still waits for a coordinator when it is one of the partner's first
three, when the partner had a listing held or rejected, or when its sector is high-risk; the
reasons are in the review queue's data. An established partner's clean job publishes at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

from service.domain.accounts.models import Organisation
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.pages import sign_in
from tests.support.track_record import give_track_record, past_listing

HELD_FLAGS = [
    {"rule_id": "document_retention", "reason": "passport kept", "severity": "high", "evidence": '"passport"'}
]


async def partner(client: AsyncTestClient, factory: Factory) -> tuple[Organisation, dict[str, str]]:
    org = await factory.org("partner")
    return org, await factory.login(client, await factory.user("partner", org))


async def reasons_in_queue(client: AsyncTestClient, factory: Factory, listing_id: str) -> list[dict[str, Any]]:
    """The review reasons a coordinator sees for one listing in the review queue."""
    client.cookies.clear()
    await factory.login(client, await factory.user("coordinator", await factory.org()))
    queue = (await client.get("/api/opportunities/review")).json()
    [item] = [entry for entry in queue["items"] if entry["id"] == listing_id]
    return [flag for flag in item["vetting_flags"] if flag["kind"] == "review_reason"]


async def post_job(client: AsyncTestClient, csrf: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/opportunities", json=listing_payload(**fields), headers=csrf)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_new_partners_first_three_listings_are_read_whatever_the_text(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, csrf = await partner(client, factory)
    first = await post_job(client, csrf)
    assert first["status"] == "pending_review"
    [reason] = await reasons_in_queue(client, factory, first["id"])
    assert reason["rule_id"] == "first_listings" and reason["severity"] == "review"
    assert "0 earlier listing" in reason["evidence"]


async def test_two_published_listings_are_not_yet_a_record_three_are(client: AsyncTestClient, factory: Factory) -> None:
    org, csrf = await partner(client, factory)
    await give_track_record(factory, org, count=2)
    assert (await post_job(client, csrf))["status"] == "pending_review"
    await give_track_record(factory, org, count=1)
    established = await post_job(client, csrf, title="Dishwasher")
    assert established["status"] == "published"


async def test_a_partner_with_an_earlier_held_listing_is_always_read(client: AsyncTestClient, factory: Factory) -> None:
    org, csrf = await partner(client, factory)
    await give_track_record(factory, org)
    async with factory.alchemy.get_session() as db:
        db.add(past_listing(org, "Held job", at=datetime(2026, 7, 1, tzinfo=UTC), flags=HELD_FLAGS))
        await db.commit()
    listing = await post_job(client, csrf)
    assert listing["status"] == "pending_review"
    [reason] = await reasons_in_queue(client, factory, listing["id"])
    assert reason["rule_id"] == "earlier_held_or_rejected" and "held by screening" in reason["evidence"]


async def test_a_partner_with_an_earlier_rejected_listing_is_always_read(
    client: AsyncTestClient, factory: Factory
) -> None:
    org, csrf = await partner(client, factory)
    await give_track_record(factory, org)
    async with factory.alchemy.get_session() as db:
        db.add(past_listing(org, "Rejected job", at=datetime(2026, 7, 1, tzinfo=UTC), rejected=True))
        await db.commit()
    listing = await post_job(client, csrf)
    assert listing["status"] == "pending_review"
    [reason] = await reasons_in_queue(client, factory, listing["id"])
    assert reason["rule_id"] == "earlier_held_or_rejected" and "rejected" in reason["evidence"]


async def test_a_listing_in_a_high_risk_sector_is_always_read(client: AsyncTestClient, factory: Factory) -> None:
    org, csrf = await partner(client, factory)
    await give_track_record(factory, org)
    listing = await post_job(client, csrf, sector="Nachtleben und Unterhaltung")
    assert listing["status"] == "pending_review"
    [reason] = await reasons_in_queue(client, factory, listing["id"])
    assert reason["rule_id"] == "high_risk_sector" and "Nachtleben" in reason["evidence"]


async def test_an_established_partners_clean_job_publishes_with_no_reason(
    client: AsyncTestClient, factory: Factory
) -> None:
    org, csrf = await partner(client, factory)
    await give_track_record(factory, org)
    listing = await post_job(client, csrf, sector="Gastronomie")
    assert listing["status"] == "published"


async def test_the_review_page_says_why_a_clean_listing_waits(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await partner(client, factory)
    listing = await post_job(client, csrf, title="Quiet kitchen job")
    assert listing["status"] == "pending_review"
    client.cookies.clear()
    staff_csrf = await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    page = (await client.get("/review")).text
    assert "Why a person reads this listing" in page
    assert (
        "One of the partner&#39;s first three listings" in page or "One of the partner's first three listings" in page
    )
    assert "its partner is not checked yet" not in page
    await client.post("/language", data={"_csrf": staff_csrf, "locale": "de", "next": "/review"})
    german = (await client.get("/review")).text
    assert "Warum eine Person dieses Angebot liest" in german
