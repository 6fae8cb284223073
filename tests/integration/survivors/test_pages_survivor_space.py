"""Her opportunities ("I'm interested", "Not for me", the kind filter) and her milestones."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from providers.models import Opportunity
from service.domain.accounts.models import Organisation, User
from service.domain.milestones.models import Achievement
from service.domain.referrals import services as referrals
from service.domain.referrals.models import Referral, ReferralEvent
from service.domain.survivors.models import Survivor
from service.kernel.actor import Actor
from service.kernel.audit import AuditEvent
from service.kernel.roles import Role
from service.messaging.models import OutboxMessage
from tests.support.factories import Factory
from tests.support.listings import listing, profile
from tests.support.pages import sign_in

_URLS = re.compile(r'(?:href|action)="([^"]+)"')
# Fixed words only, and the kind filter's fixed values: no ids of hers, no names (SECURITY S17).
_OPAQUE = re.compile(r"^/(?:[a-z\-/.]+|consents/[0-9a-f\-]{36}/withdraw)(?:\?kind=[a-z_]+)?$")


class World:
    def __init__(self, survivor: Survivor, account: User, counsellor: User, partner: Organisation) -> None:
        self.survivor, self.account, self.counsellor, self.partner = survivor, account, counsellor, partner


async def _world(factory: Factory, **fields: Any) -> World:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name=f"Green Laundry {ngo.id.hex[:6]}")
    survivor = await factory.survivor(ngo, counsellor, **profile(**fields))
    account = await factory.user("survivor", ngo, survivor=survivor)
    return World(survivor, account, counsellor, partner)


async def _suggest(
    factory: Factory, world: World, opportunity: Opportunity, survivor: Survivor | None = None
) -> Referral:
    """A suggestion her counsellor made (as POST /api/survivors/{id}/referrals stores it)."""
    async with factory.alchemy.get_session() as db:
        row = Referral(
            survivor_id=(survivor or world.survivor).id,
            opportunity_id=opportunity.id,
            partner_id=opportunity.organisation_id,
            status="suggested",
            created_by_id=world.counsellor.id,
        )
        db.add(row)
        await db.commit()
        return row


async def _referrals(factory: Factory, survivor: Survivor) -> list[Referral]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(Referral).where(Referral.survivor_id == survivor.id))).all())


async def _events(factory: Factory, referral_id: UUID) -> list[tuple[str | None, str, str | None]]:
    async with factory.alchemy.get_session() as db:
        rows = await db.execute(
            select(ReferralEvent.from_status, ReferralEvent.to_status, ReferralEvent.actor_role)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(ReferralEvent.at)
        )
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def _audit(factory: Factory, action: str, object_id: object) -> list[str]:
    async with factory.alchemy.get_session() as db:
        rows = await db.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == action, AuditEvent.object_id == str(object_id))
        )
        return list(rows.all())


async def _count(factory: Factory, model: Any) -> int:
    async with factory.alchemy.get_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_she_sees_suggested_and_matched_listings_published_only(
    client: AsyncTestClient, factory: Factory
) -> None:
    world = await _world(factory)
    await listing(factory, world.partner.id, title="Kitchen helper", languages=[{"code": "de", "level": "A2"}])
    course = await listing(factory, world.partner.id, kind="course", title="Barista course", course_level=1)
    await listing(factory, world.partner.id, title="Draft job", status="draft")
    unvetted = await factory.org("partner", vetted=False)
    await listing(factory, unvetted.id, title="Unchecked job")
    await _suggest(factory, world, course)
    await sign_in(client, factory, world.account)

    page = await client.get("/my/opportunities")

    assert page.status_code == 200, page.text[:300]
    text = page.text
    assert "Kitchen helper" in text and "Barista course" in text
    assert "Draft job" not in text and "Unchecked job" not in text
    suggested = text.split('id="suggested-heading"')[1].split("</section>")[0]
    assert "Barista course" in suggested and "Kitchen helper" not in suggested
    assert "Close to you" in text and "Fits your languages" in text
    assert "Mon-Fri 09:00-13:00" in text
    assert "shares nothing" in text
    assert "<title>Notes</title>" in text and 'id="quick-exit"' in text
    assert await _audit(factory, "matches.read", world.survivor.id) == ["allowed"]
    assert await _audit(factory, "referral.list", world.survivor.id) == ["allowed"]


async def test_the_kind_filter_keeps_one_kind(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await listing(factory, world.partner.id, title="Kitchen helper")
    await listing(factory, world.partner.id, kind="course", title="Barista course", course_level=1)
    await sign_in(client, factory, world.account)

    page = await client.get("/my/opportunities", params={"kind": "course"})

    assert page.status_code == 200
    assert "Barista course" in page.text and "Kitchen helper" not in page.text
    assert '<option value="course" selected>' in page.text
    form = page.text.split('<form method="get" action="/my/opportunities"')[1].split("</form>")[0]
    assert re.findall(r'name="([^"]+)"', form) == ["kind"]


async def test_an_unknown_kind_is_refused_with_a_message(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await sign_in(client, factory, world.account)
    page = await client.get("/my/opportunities", params={"kind": "weapons"})
    assert page.status_code == 400
    assert "Please choose one of the kinds listed." in page.text and 'aria-invalid="true"' in page.text


async def test_interested_in_a_match_creates_a_referral_her_counsellor_sees(
    client: AsyncTestClient, factory: Factory
) -> None:
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    csrf = await sign_in(client, factory, world.account)
    outbox = await _count(factory, OutboxMessage)

    response = await client.post(
        "/my/opportunities/answer",
        data={"_csrf": csrf, "listing": str(job.id), "answer": "interested"},
        follow_redirects=False,
    )

    assert response.status_code == 303 and response.headers["location"] == "/my/opportunities"
    [referral] = await _referrals(factory, world.survivor)
    assert (referral.opportunity_id, referral.status, referral.created_by_id) == (
        job.id,
        "interested",
        world.account.id,
    )
    assert referral.consent_id is None
    assert await _events(factory, referral.id) == [
        (None, "suggested", "survivor"),
        ("suggested", "interested", "survivor"),
    ]
    assert await _audit(factory, "referral.transition", referral.id) == ["allowed", "allowed"]
    # Nothing goes to the partner: the one new message is her counsellor's in-app notice.
    assert await _count(factory, OutboxMessage) == outbox + 1
    async with factory.alchemy.get_session() as db:
        [notice] = (await db.scalars(select(OutboxMessage))).all()
        assert (notice.recipient_user_id, notice.channel, notice.template, notice.recipient_org_id) == (
            world.counsellor.id,
            "in_app",
            "signal_interested",
            None,
        )
    page = await client.get("/my/opportunities")
    answered = page.text.split('id="answered-heading"')[1]
    assert "Kitchen helper" in answered and "Your contact person will talk with you" in answered
    matched = page.text.split('id="matched-heading"')[1].split("</section>")[0]
    assert "Kitchen helper" not in matched

    client.cookies.clear()
    await factory.login(client, world.counsellor)
    seen = (await client.get(f"/api/survivors/{world.survivor.id}/referrals")).json()
    assert [(row["opportunity_id"], row["status"]) for row in seen] == [(str(job.id), "interested")]


async def test_tapping_twice_changes_nothing_more(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    csrf = await sign_in(client, factory, world.account)
    form = {"_csrf": csrf, "listing": str(job.id), "answer": "interested"}
    for _ in range(2):
        response = await client.post("/my/opportunities/answer", data=form, follow_redirects=False)
        assert response.status_code == 303
    [referral] = await _referrals(factory, world.survivor)
    assert len(await _events(factory, referral.id)) == 2


async def test_interested_in_a_suggestion_moves_it_along(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    suggestion = await _suggest(factory, world, job)
    csrf = await sign_in(client, factory, world.account)

    response = await client.post(
        "/my/opportunities/answer",
        data={"_csrf": csrf, "listing": str(job.id), "answer": "interested", "kind": "job"},
        follow_redirects=False,
    )

    assert response.status_code == 303 and response.headers["location"] == "/my/opportunities?kind=job"
    [referral] = await _referrals(factory, world.survivor)
    assert (referral.id, referral.status) == (suggestion.id, "interested")
    assert await _events(factory, referral.id) == [("suggested", "interested", "survivor")]


async def test_not_for_me_declines_and_is_not_shown_again(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    course = await listing(factory, world.partner.id, kind="course", title="Barista course", course_level=1)
    await _suggest(factory, world, course)
    csrf = await sign_in(client, factory, world.account)

    for opportunity in (job, course):
        response = await client.post(
            "/my/opportunities/answer",
            data={"_csrf": csrf, "listing": str(opportunity.id), "answer": "not_for_me"},
            follow_redirects=False,
        )
        assert response.status_code == 303

    assert {row.status for row in await _referrals(factory, world.survivor)} == {"declined"}
    page = await client.get("/my/opportunities")
    assert "Kitchen helper" not in page.text and "Barista course" not in page.text


async def test_interest_in_a_bundle_covers_its_childcare_place(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory, children=[{"age_years": 3, "needs_care": True}])
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    care = await listing(factory, world.partner.id, kind="childcare", title="Kita Sonnenschein")
    csrf = await sign_in(client, factory, world.account)

    page = await client.get("/my/opportunities", params={"kind": "childcare"})
    assert "Childcare available" in page.text and "Kita Sonnenschein" in page.text
    response = await client.post(
        "/my/opportunities/answer",
        data={"_csrf": csrf, "listing": str(job.id), "with": str(care.id), "answer": "interested"},
        follow_redirects=False,
    )

    assert response.status_code == 303
    found = {row.opportunity_id: row.status for row in await _referrals(factory, world.survivor)}
    assert found == {job.id: "interested", care.id: "interested"}


async def test_a_wrong_answer_form_gets_400_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    csrf = await sign_in(client, factory, world.account)

    bad_listing = await client.post(
        "/my/opportunities/answer", data={"_csrf": csrf, "listing": "not-an-id", "answer": "interested"}
    )
    no_answer = await client.post("/my/opportunities/answer", data={"_csrf": csrf, "listing": str(job.id)})

    assert bad_listing.status_code == 400
    assert "Please choose one of the opportunities shown." in bad_listing.text
    assert no_answer.status_code == 400
    assert "Please choose “I'm interested” or “Not for me”." in no_answer.text
    assert await _referrals(factory, world.survivor) == []


async def test_a_listing_not_published_answers_not_found(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    draft = await listing(factory, world.partner.id, title="Draft job", status="draft")
    unvetted = await listing(factory, (await factory.org("partner", vetted=False)).id, title="Unchecked job")
    csrf = await sign_in(client, factory, world.account)
    for opportunity_id in (draft.id, unvetted.id, UUID(int=7)):
        response = await client.post(
            "/my/opportunities/answer",
            data={"_csrf": csrf, "listing": str(opportunity_id), "answer": "interested"},
        )
        assert response.status_code == 404 and "This page does not exist" in response.text
    assert await _referrals(factory, world.survivor) == []


async def test_her_answer_never_touches_another_womans_suggestion(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    other = await factory.survivor(await factory.org(), None, **profile())
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    theirs = await _suggest(factory, world, job, survivor=other)
    csrf = await sign_in(client, factory, world.account)

    response = await client.post(
        "/my/opportunities/answer",
        data={"_csrf": csrf, "listing": str(job.id), "answer": "not_for_me"},
        follow_redirects=False,
    )

    assert response.status_code == 303
    [still] = await _referrals(factory, other)
    assert (still.id, still.status) == (theirs.id, "suggested")
    [mine] = await _referrals(factory, world.survivor)
    assert mine.status == "declined"


async def test_paused_she_sees_no_suggestions(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory, readiness="not_now")
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    await _suggest(factory, world, await listing(factory, world.partner.id, title="Bakery helper"))
    await sign_in(client, factory, world.account)
    page = await client.get("/my/opportunities")
    assert page.status_code == 200
    assert "Suggestions are paused" in page.text
    assert "Kitchen helper" not in page.text and "Bakery helper" not in page.text
    assert job.id not in {row.opportunity_id for row in await _referrals(factory, world.survivor)}


async def test_her_pages_are_not_for_staff(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await sign_in(client, factory, world.counsellor)
    for path in ("/my/opportunities", "/my/milestones"):
        response = await client.get(path)
        assert response.status_code == 403 and "not available with your account" in response.text


async def _achieve(factory: Factory, survivor: Survivor, milestone: str, on: date, **fields: Any) -> None:
    async with factory.alchemy.get_session() as db:
        db.add(
            Achievement(
                survivor_id=survivor.id,
                milestone=milestone,
                achieved_on=on,
                recorded_at=datetime.now(UTC),
                source="staff",
                **fields,
            )
        )
        await db.commit()


async def test_her_milestones_in_her_words_with_what_may_come_next(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await _achieve(factory, world.survivor, "bank_account", date(2026, 3, 2), evidence="Canary statement seen")
    await _achieve(factory, world.survivor, "language_level", date(2026, 6, 1), qualifier="de:B1")
    await sign_in(client, factory, world.account)

    page = await client.get("/my/milestones")

    assert page.status_code == 200
    text = page.text
    assert "I opened my own bank account" in text and "I reached level B1 in German" in text
    assert "March 2, 2026" in text
    assert text.index("I opened my own bank account") < text.index("I reached level B1")
    ahead = text.split('id="ahead-heading"')[1]
    assert "The right to work" in ahead and "A bank account of my own" not in ahead
    assert "Canary" not in text  # staff's evidence stays with staff
    assert "<title>Notes</title>" in text and 'id="quick-exit"' in text
    assert await _audit(factory, "milestone.timeline", world.survivor.id) == ["allowed"]


async def test_her_milestones_page_when_nothing_is_recorded(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await sign_in(client, factory, world.account)
    page = await client.get("/my/milestones")
    assert page.status_code == 200 and "every path starts somewhere" in page.text


async def test_her_space_links_to_both_pages_with_opaque_urls(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await listing(factory, world.partner.id, title="Kitchen helper")
    await sign_in(client, factory, world.account)
    space = await client.get("/my")
    assert 'href="/my/opportunities"' in space.text and 'href="/my/milestones"' in space.text
    for path in ("/my", "/my/opportunities", "/my/opportunities?kind=job", "/my/milestones"):
        urls = [url for url in _URLS.findall((await client.get(path)).text) if url.startswith("/")]
        assert urls and all(_OPAQUE.match(url) for url in urls), (path, urls)
        assert str(world.survivor.id) not in (await client.get(path)).text


async def test_her_opportunities_in_arabic(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    await listing(factory, world.partner.id, title="Kitchen helper")
    csrf = await sign_in(client, factory, world.account)
    await client.post("/language", data={"_csrf": csrf, "locale": "ar", "next": "/my/opportunities"})
    page = await client.get("/my/opportunities")
    assert 'dir="rtl"' in page.text and "I'm interested" not in page.text and "Kitchen helper" in page.text


async def test_two_taps_at_once_make_one_referral(client: AsyncTestClient, factory: Factory) -> None:
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    csrf = await sign_in(client, factory, world.account)
    form = {"_csrf": csrf, "listing": str(job.id), "answer": "interested"}

    responses = await asyncio.gather(
        *(client.post("/my/opportunities/answer", data=form, follow_redirects=False) for _ in range(2))
    )

    assert [response.status_code for response in responses] == [303, 303]
    [referral] = await _referrals(factory, world.survivor)
    assert referral.status == "interested"
    assert len(await _events(factory, referral.id)) == 2


async def test_a_second_tap_racing_the_first_finds_its_referral(factory: Factory, backend: str) -> None:
    """Two transactions insert the same (survivor, listing) at once: the second waits on the
    unique key, rolls back to its savepoint and answers with the first one's referral."""
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time: the two inserts cannot overlap")
    world = await _world(factory)
    job = await listing(factory, world.partner.id, title="Kitchen helper")
    actor = Actor(
        user_id=world.account.id,
        role=Role.SURVIVOR,
        organisation_id=world.account.organisation_id,
        email=world.account.email,
        via="session",
    )
    async with factory.alchemy.get_session() as first, factory.alchemy.get_session() as second:
        mine = await referrals.answer_listing(first, actor, job.id, "interested", factory.alchemy)
        racing = asyncio.create_task(referrals.answer_listing(second, actor, job.id, "interested", factory.alchemy))
        await asyncio.sleep(0.3)  # the second insert now waits on the first one's unique key
        assert not racing.done()
        await first.commit()
        theirs = await racing
        await second.commit()
    assert theirs.id == mine.id
    [referral] = await _referrals(factory, world.survivor)
    assert referral.status == "interested" and len(await _events(factory, referral.id)) == 2
