"""Partner pages: listings (create, edit, submit, close) with per-field errors, the CSV upload,
her vetting status with reasons, and the candidates shared with her organisation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from providers.models import Opportunity
from service.domain.accounts.models import Organisation, User
from service.domain.survivors.models import Consent
from service.kernel.audit import AuditEvent
from service.web.paging import PAGE_SIZE
from skills.starter import load_starter
from tests.support.cases import CANARIES, make_case, shared_referral
from tests.support.factories import Factory
from tests.support.listings import listing
from tests.support.pages import sign_in
from tests.support.track_record import give_track_record

MISSING = "00000000-0000-4000-8000-000000000000"
COMMON = {
    "title": "Kitchen assistant",
    "description": "Prepare vegetables and keep the canteen kitchen clean.",
    "region": "DE30",
    "lat": "52.52",
    "lon": "13.41",
    "capacity": "2",
    "starts_on": "2027-01-04",
    "schedule": "mon 09:00-13:00; wed 14:00-18:00",
    "languages": "de:A2",
}
BY_KIND: dict[str, dict[str, str]] = {
    "job": {
        "currency": "EUR",
        "pay_amount": "14.5",
        "pay_period": "hour",
        "contract_type": "employment",
        "hours_per_week": "8",
    },
    "course": {"title": "Basic bookkeeping", "cost_amount": "0", "course_level": "1"},
    "language_class": {"title": "German for work", "class_language": "de", "level_from": "A1", "level_to": "A2"},
    "childcare": {"title": "Morning childcare", "age_min": "1", "age_max": "5", "languages": ""},
}


async def partner_signed_in(client: AsyncTestClient, factory: Factory, **org: Any) -> tuple[User, Organisation, str]:
    partner_org = await factory.org("partner", **org)
    partner = await factory.user("partner", partner_org)
    return partner, partner_org, await sign_in(client, factory, partner)


async def listings_of(factory: Factory, org: Organisation) -> list[Opportunity]:
    async with factory.alchemy.get_session() as db:
        # the earlier listings of an established partner (tests.support.track_record) are not hers to see here
        mine = select(Opportunity).where(Opportunity.organisation_id == org.id, Opportunity.title.not_like("Earlier job%"))
        return list((await db.scalars(mine)).all())


async def audit_actions(factory: Factory, user: User) -> list[str]:
    async with factory.alchemy.get_session() as db:
        rows = await db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.at))
        return list(rows.all())


async def create(client: AsyncTestClient, csrf: str, kind: str, action: str = "draft", **changes: str) -> Any:
    form = {"_csrf": csrf, "kind": kind, "action": action, **COMMON, **BY_KIND[kind], **changes}
    return await client.post("/listings/new", data=form, follow_redirects=False)


@pytest.mark.parametrize("kind", ["job", "course", "language_class", "childcare"])
async def test_each_kind_is_created_through_its_own_form(client: AsyncTestClient, factory: Factory, kind: str) -> None:
    partner, org, csrf = await partner_signed_in(client, factory)
    form = await client.get(f"/listings/new?kind={kind}")
    assert form.status_code == 200 and 'name="kind" value="' + kind + '"' in form.text
    response = await create(client, csrf, kind)
    assert response.status_code == 303, response.text[:500]
    [row] = await listings_of(factory, org)
    assert (row.kind, row.status, row.title) == (kind, "draft", BY_KIND[kind].get("title", COMMON["title"]))
    assert response.headers["location"] == f"/listings/{row.id}"
    assert "opportunity.create" in await audit_actions(factory, partner)


async def test_draft_is_sent_for_review_and_published_for_a_vetted_partner(
    client: AsyncTestClient, factory: Factory
) -> None:
    partner, org, csrf = await partner_signed_in(client, factory)
    await give_track_record(factory, org)
    skill = "http://data.europa.eu/esco/skill/abc-1"
    await create(client, csrf, "job", essential_skills=skill)
    [row] = await listings_of(factory, org)
    assert row.essential_skills == [skill]
    page = await client.get(f"/listings/{row.id}")
    assert "A draft: nobody else sees it" in page.text and f'action="/listings/{row.id}/submit"' in page.text
    # an address the taxonomy does not hold is said to be unknown, never shown as the address
    assert skill not in page.text and "a skill no longer in the list" in page.text
    sent = await client.post(f"/listings/{row.id}/submit", data={"_csrf": csrf}, follow_redirects=False)
    assert sent.status_code == 303
    [row] = await listings_of(factory, org)
    assert row.status == "published"
    assert "Published: participants" in (await client.get(f"/listings/{row.id}")).text
    again = await client.post(f"/listings/{row.id}/submit", data={"_csrf": csrf})
    assert again.status_code == 409 and "Only a draft can be sent for review." in again.text
    assert (await audit_actions(factory, partner)).count("opportunity.submit") == 1


async def test_every_wrong_field_is_named_and_nothing_is_written(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    response = await create(
        client,
        csrf,
        "job",
        title="",
        region="berlin",
        lat="north",
        starts_on="2027-02-30",
        schedule="mon 9-13",
        languages="german",
        pay_amount="",
    )
    assert response.status_code == 400
    for field in ("title", "region", "lat", "starts_on", "schedule", "languages", "pay_amount"):
        assert f'id="e-{field}"' in response.text, field
    assert "Please use a region code such as DE30." in response.text
    assert 'value="berlin"' in response.text  # what she typed is kept
    assert await listings_of(factory, org) == []


async def test_cross_field_rules_are_named_on_their_field(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    response = await create(client, csrf, "childcare", age_min="6", age_max="2", ends_on="2026-12-01")
    assert response.status_code == 400
    assert 'id="e-age_max"' in response.text and 'id="e-ends_on"' in response.text
    assert 'id="e-age_min"' not in response.text
    assert await listings_of(factory, org) == []


async def test_an_unknown_kind_is_refused(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    response = await client.post("/listings/new", data={"_csrf": csrf, "kind": "casting", **COMMON})
    assert response.status_code == 400 and await listings_of(factory, org) == []


async def test_edit_saves_and_an_emptied_field_is_cleared(client: AsyncTestClient, factory: Factory) -> None:
    partner, org, csrf = await partner_signed_in(client, factory)
    await create(client, csrf, "job", ends_on="2027-06-30")
    [row] = await listings_of(factory, org)
    form = await client.get(f"/listings/{row.id}/edit")
    assert 'value="mon 09:00-13:00; wed 14:00-18:00"' in form.text and 'value="de:A2"' in form.text
    changes = {**COMMON, **BY_KIND["job"], "title": "Kitchen helper", "ends_on": "", "capacity": "3"}
    saved = await client.post(f"/listings/{row.id}/edit", data={"_csrf": csrf, **changes}, follow_redirects=False)
    assert saved.status_code == 303
    [row] = await listings_of(factory, org)
    assert (row.title, row.ends_on, row.capacity, row.capacity_left) == ("Kitchen helper", None, 3, 3)
    assert "opportunity.update" in await audit_actions(factory, partner)


async def test_a_wrong_edit_is_named_and_changes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    await create(client, csrf, "job")
    [before] = await listings_of(factory, org)
    changes = {**COMMON, **BY_KIND["job"], "title": "New title", "pay_amount": "-3", "hours_per_week": "100"}
    response = await client.post(f"/listings/{before.id}/edit", data={"_csrf": csrf, **changes})
    assert response.status_code == 400
    assert 'id="e-pay_amount"' in response.text and 'id="e-hours_per_week"' in response.text
    [after] = await listings_of(factory, org)
    assert (after.title, after.pay_amount, after.updated_at) == (before.title, before.pay_amount, before.updated_at)


async def test_closing_is_final(client: AsyncTestClient, factory: Factory) -> None:
    partner, org, csrf = await partner_signed_in(client, factory)
    await create(client, csrf, "course", action="submit")
    [row] = await listings_of(factory, org)
    closed = await client.post(f"/listings/{row.id}/close", data={"_csrf": csrf}, follow_redirects=False)
    assert closed.status_code == 303
    [row] = await listings_of(factory, org)
    assert row.status == "closed" and row.closed_at is not None
    page = await client.get(f"/listings/{row.id}")
    assert "Closed: it is no longer shown to anyone." in page.text and "/edit" not in page.text
    assert (await client.get(f"/listings/{row.id}/edit", follow_redirects=False)).status_code == 303
    edit = await client.post(f"/listings/{row.id}/edit", data={"_csrf": csrf, **COMMON, **BY_KIND["course"]})
    assert edit.status_code == 409 and "A closed listing cannot be changed." in edit.text
    again = await client.post(f"/listings/{row.id}/close", data={"_csrf": csrf})
    assert again.status_code == 409
    assert (await audit_actions(factory, partner)).count("opportunity.close") == 1


async def test_a_flagged_listing_waits_with_a_plain_reason_and_no_rule(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    response = await create(client, csrf, "job", action="submit", contract_type="informal")
    assert response.status_code == 303
    [row] = await listings_of(factory, org)
    assert row.status == "pending_review" and row.vetting_flags  # the screener held it
    page = await client.get(f"/listings/{row.id}")
    assert "Waiting for a coordinator" in page.text
    for flag in row.vetting_flags:  # which rule fired is for coordinators only
        assert flag["rule_id"] not in page.text and flag["reason"] not in page.text


@pytest.mark.parametrize(
    ("decision", "status", "words"),
    [("return", "draft", "returned this listing to you"), ("reject", "closed", "decided not to publish")],
)
async def test_the_coordinators_decision_and_reason_are_shown(
    client: AsyncTestClient, factory: Factory, decision: str, status: str, words: str
) -> None:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    _, org, csrf = await partner_signed_in(client, factory)
    await create(client, csrf, "job", action="submit", contract_type="informal")
    [row] = await listings_of(factory, org)
    client.cookies.clear()
    headers = await factory.login(client, coordinator)
    reason = {"decision": decision, "reason": "Please state the contract in writing."}
    reviewed = await client.post(f"/api/opportunities/{row.id}/review", json=reason, headers=headers)
    assert reviewed.status_code == 200, reviewed.text
    client.cookies.clear()
    await sign_in(client, factory, (await users_of(factory, org))[0])
    page = await client.get(f"/listings/{row.id}")
    assert (await listings_of(factory, org))[0].status == status
    assert words in page.text and "Please state the contract in writing." in page.text


async def users_of(factory: Factory, org: Organisation) -> list[User]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(User).where(User.organisation_id == org.id))).all())


async def test_vetting_status_is_explained_in_her_language(client: AsyncTestClient, factory: Factory) -> None:
    partner_org = await factory.org("partner", vetted=False)
    partner = await factory.user("partner", partner_org)
    async with factory.alchemy.get_session() as db:
        await db.execute(update(User).where(User.id == partner.id).values(locale="de"))
        await db.commit()
    csrf = await sign_in(client, factory, partner)
    page = await client.get("/listings")
    assert "Ihre Organisation wartet auf die Prüfung" in page.text
    await create(client, csrf, "job", action="submit")
    [row] = await listings_of(factory, partner_org)
    assert row.status == "pending_review"
    assert "Ihre Organisation ist noch nicht geprüft" in (await client.get(f"/listings/{row.id}")).text


async def test_another_partners_listing_answers_like_a_missing_one(client: AsyncTestClient, factory: Factory) -> None:
    owner_org = await factory.org("partner")
    row = await listing(
        factory, owner_org.id, "childcare", status="draft", title="Not yours", capacity=1, age_min=1, age_max=3
    )
    partner, _, csrf = await partner_signed_in(client, factory)
    for path in ("", "/edit"):
        theirs, missing = await client.get(f"/listings/{row.id}{path}"), await client.get(f"/listings/{MISSING}{path}")
        assert theirs.status_code == missing.status_code == 404
    for action in ("edit", "submit", "close"):
        response = await client.post(f"/listings/{row.id}/{action}", data={"_csrf": csrf, **COMMON})
        assert response.status_code == 404, action
    [stored] = await listings_of(factory, owner_org)
    assert (stored.status, stored.title) == ("draft", "Not yours")
    assert "Not yours" not in (await client.get("/listings")).text
    async with factory.alchemy.get_session() as db:
        denied = await db.scalar(
            select(func.count()).where(AuditEvent.actor_id == partner.id, AuditEvent.outcome == "denied")
        )
    assert denied and denied >= 5


async def test_the_example_file_imports_and_the_count_and_status_are_shown(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    example = await client.get("/listings/import/example.csv")
    assert example.headers["content-type"].startswith("text/csv")
    assert example.text.startswith("kind,title,description,region,lat,lon,capacity,starts_on")
    files = {"file": ("listings.csv", example.content, "text/csv")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/listings?imported=4"
    page = await client.get(response.headers["location"])
    assert "4 listings were imported." in page.text
    assert sorted(row.kind for row in await listings_of(factory, org)) == [
        "childcare",
        "course",
        "job",
        "language_class",
    ]


async def test_an_upload_with_errors_lists_them_by_row_and_imports_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    csv = (
        "kind,title,region,lat,lon,capacity,starts_on,age_min,age_max\n"
        "childcare,Morning care,DE30,52.5,13.4,4,2027-01-04,1,5\n"
        "childcare,Evening care,berlin,52.5,13.4,4,2027-01-04,1,5\n"
        "childcare,Weekend care,DE30,52.5,13.4,4,2027-01-04,6,2\n"
    )
    files = {"file": ("listings.csv", csv.encode(), "text/csv")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files)
    assert response.status_code == 400
    assert "Nothing was imported." in response.text and 'id="import-problems"' in response.text
    assert "<td>2</td>\n    <td><code>region</code></td>" in response.text
    assert "<td>3</td>\n    <td><code>age_max</code></td>" in response.text
    assert await listings_of(factory, org) == []


async def test_an_unknown_column_and_a_missing_file_are_explained(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    files = {"file": ("listings.csv", b"kind,title,salary\njob,Cook,9000\n", "text/csv")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files)
    assert response.status_code == 400 and "This column is not one we know." in response.text
    empty = await client.post("/listings/import", data={"_csrf": csrf}, files={"other": ("x.txt", b"", "text/plain")})
    assert empty.status_code == 400 and 'id="e-file"' in empty.text
    assert await listings_of(factory, org) == []


async def test_imported_rows_that_raise_a_flag_wait_for_review(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    csv = (
        "kind,title,region,lat,lon,capacity,starts_on,currency,pay_amount,pay_period,contract_type,hours_per_week\n"
        "job,Dishwasher,DE30,52.5,13.4,1,2027-01-04,EUR,14,hour,informal,20\n"
    )
    files = {"file": ("listings.csv", csv.encode(), "text/csv")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files)
    assert response.status_code == 200 and "1 listing was imported." in response.text
    assert "Waiting for review: 1" in response.text
    assert [row.status for row in await listings_of(factory, org)] == ["pending_review"]


async def test_candidates_show_a_pseudonym_and_only_the_shared_fields(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory, skills=[{"uri": "http://data.europa.eu/esco/skill/abc-1", "level": 3}])
    referral, _ = await shared_referral(client, factory, case, ["skills", "region"])
    api_view = await api_candidate(client, factory, case, referral)
    client.cookies.clear()
    await sign_in(client, factory, case.partner_user)
    listing = await client.get("/candidates")
    detail = await client.get(f"/candidates/{referral}")
    assert listing.status_code == detail.status_code == 200
    assert api_view["candidate"] in listing.text and api_view["candidate"] in detail.text
    # names, never codes: an unknown skill address is said to be unknown, the region by its name
    assert "http://data.europa.eu/esco/skill/abc-1" not in detail.text and "DE30" not in detail.text
    assert "a skill no longer in the list" in detail.text and "Berlin" in detail.text
    assert "Shared with you" in detail.text
    for canary in CANARIES.values():
        assert canary not in listing.text and canary not in detail.text
    assert str(case.survivor.id) not in listing.text + detail.text
    actions = await audit_actions(factory, case.partner_user)
    assert "candidate.list" in actions and "candidate.read" in actions


async def api_candidate(client: AsyncTestClient, factory: Factory, case: Any, referral: str) -> dict[str, Any]:
    client.cookies.clear()
    await factory.login(client, case.partner_user)
    found = (await client.get(f"/api/partner/candidates/{referral}")).json()
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize("how", ["withdrawn", "expired"])
async def test_a_candidate_disappears_when_her_consent_ends(
    client: AsyncTestClient, factory: Factory, how: str
) -> None:
    case = await make_case(factory)
    referral, consent = await shared_referral(client, factory, case, ["skills"])
    await sign_in(client, factory, case.partner_user)
    assert (await client.get(f"/candidates/{referral}")).status_code == 200
    now = datetime.now(UTC)
    ended = {"withdrawn_at": now} if how == "withdrawn" else {"expires_at": now - timedelta(seconds=1)}
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Consent).where(Consent.id == consent).values(**ended))
        await db.commit()
    gone, missing = await client.get(f"/candidates/{referral}"), await client.get(f"/candidates/{MISSING}")
    assert gone.status_code == missing.status_code == 404
    page = await client.get("/candidates")
    assert "No one has shared a profile" in page.text and referral not in page.text


async def test_another_partner_never_sees_the_candidate(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    await partner_signed_in(client, factory)
    assert (await client.get(f"/candidates/{referral}")).status_code == 404
    assert referral not in (await client.get("/candidates")).text


async def test_a_suspended_partner_is_told_why_and_cannot_write(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    await create(client, csrf, "job", action="submit")
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Organisation).where(Organisation.id == org.id).values(vetting_status="suspended"))
        await db.execute(
            update(Opportunity).where(Opportunity.organisation_id == org.id).values(status="pending_review")
        )
        await db.commit()
    [row] = await listings_of(factory, org)
    page = await client.get("/listings")
    assert "Your organisation is suspended" in page.text and 'href="/listings/new"' not in page.text
    detail = await client.get(f"/listings/{row.id}")
    assert "Waiting: your organisation is suspended" in detail.text and f"/listings/{row.id}/edit" not in detail.text
    refused = await create(client, csrf, "course")
    assert refused.status_code == 403
    assert len(await listings_of(factory, org)) == 1


async def test_shared_skills_are_named_never_addressed(client: AsyncTestClient, factory: Factory) -> None:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    cleaning = "http://data.europa.eu/esco/skill/4f1b6304-f54a-42f0-9604-5427a28d240f"
    case = await make_case(factory, skills=[{"uri": cleaning, "level": 2}])
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    await sign_in(client, factory, case.partner_user)
    detail = await client.get(f"/candidates/{referral}")
    assert "perform cleaning duties" in detail.text and cleaning not in detail.text


async def test_listings_are_paged_newest_first_and_a_missing_page_is_a_400(
    client: AsyncTestClient, factory: Factory
) -> None:
    partner = await factory.org("partner")
    other = await factory.org("partner")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    titles = [f"Listing {index:03d}" for index in range(PAGE_SIZE + 1)]
    for index, title in enumerate(titles):
        await listing(factory, partner.id, status="draft", title=title, created_at=start + timedelta(hours=index))
    await listing(factory, other.id, status="draft", title="Someone else's listing")
    await sign_in(client, factory, await factory.user("partner", partner))

    first = await client.get("/listings")
    assert first.status_code == 200
    assert "51 listings · showing 1 to 50" in first.text and "Page 1 of 2" in first.text
    assert [title for title in titles if title in first.text] == titles[1:]
    second = await client.get("/listings?page=2")
    assert [title for title in titles if title in second.text] == titles[:1]
    assert 'href="/listings?page=1"' in second.text and "Next page" not in second.text
    assert "Someone else's listing" not in first.text + second.text
    missing = await client.get("/listings?page=3")
    assert missing.status_code == 400
    assert "There is no such page: please choose a page from 1 to 2." in missing.text
    assert "51 listings" in missing.text
    assert not any(title in missing.text for title in titles)
