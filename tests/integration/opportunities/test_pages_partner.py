"""Partner pages: listings (create, edit, submit, close) with per-field errors, the CSV upload,
her vetting status with reasons, and the candidates shared with her organisation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
    "place_name": "Berlin",
    "capacity": "2",
    "starts_on": "2027-01-04",
    "slot": ["mon-09", "mon-10", "mon-11", "mon-12", "wed-14", "wed-15", "wed-16", "wed-17"],
    "language_0": "de",
    "language_level_0": "A2",
}
BY_KIND: dict[str, dict[str, str]] = {
    "job": {
        "currency": "EUR",
        "pay_amount": "14.5",
        "pay_period": "hour",
        "contract_type": "employment",
        "hours_per_week": "8",
        "accommodation_provided": "no",
        "travel_abroad": "no",
        "costs_deducted": "no",
        "documents_held_by": "worker",
        "wages_paid": "bank_account",
    },
    "course": {"title": "Basic bookkeeping", "cost_amount": "0", "course_level": "1"},
    "language_class": {"title": "German for work", "class_language": "de", "level_from": "A1", "level_to": "A2"},
    "childcare": {
        "title": "Morning childcare",
        "age_min": "1",
        "age_max": "5",
        "language_0": "",
        "language_level_0": "",
    },
}


async def partner_signed_in(client: AsyncTestClient, factory: Factory, **org: Any) -> tuple[User, Organisation, str]:
    partner_org = await factory.org("partner", **org)
    partner = await factory.user("partner", partner_org)
    return partner, partner_org, await sign_in(client, factory, partner)


async def listings_of(factory: Factory, org: Organisation) -> list[Opportunity]:
    async with factory.alchemy.get_session() as db:
        # the earlier listings of an established partner (tests.support.track_record) are not hers to see here
        mine = select(Opportunity).where(
            Opportunity.organisation_id == org.id, Opportunity.title.not_like("Earlier job%")
        )
        return list((await db.scalars(mine)).all())


async def audit_actions(factory: Factory, user: User) -> list[str]:
    async with factory.alchemy.get_session() as db:
        rows = await db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.at))
        return list(rows.all())


async def create(client: AsyncTestClient, csrf: str, kind: str, action: str = "draft", **changes: Any) -> Any:
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


KITCHEN_ASSISTANT = "http://data.europa.eu/esco/occupation/e1cf6897-158d-4b48-a39e-2a3a8cac216c"


async def test_draft_is_sent_for_review_and_published_for_a_vetted_partner(
    client: AsyncTestClient, factory: Factory
) -> None:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    partner, org, csrf = await partner_signed_in(client, factory)
    await give_track_record(factory, org)
    # The occupation by words in her language; the form then offers its ESCO skills as ticks.
    shown = await create(client, csrf, "job", action="skills", occupation_text="kitchen helper")
    assert shown.status_code == 200 and f'name="occupation_current" value="{KITCHEN_ASSISTANT}"' in shown.text
    offered = re.findall(r'name="essential_skills" value="([^"]+)"', shown.text)
    assert offered and await listings_of(factory, org) == []  # showing the skills saves nothing
    await create(
        client,
        csrf,
        "job",
        occupation_text="kitchen helper",
        essential_skills=offered[:1],
        optional_skills=offered[1:2],
    )
    [row] = await listings_of(factory, org)
    assert (row.occupation_uri, row.essential_skills, row.optional_skills) == (
        KITCHEN_ASSISTANT,
        offered[:1],
        offered[1:2],
    )
    assert (row.place_name, row.lat, row.lon, row.region) == ("Berlin", 52.52, 13.41, "DE30")
    page = await client.get(f"/listings/{row.id}")
    assert "A draft: nobody else sees it" in page.text and f'action="/listings/{row.id}/submit"' in page.text
    assert "kitchen assistant" in page.text and "esco" not in page.text.lower()  # names, never addresses
    sent = await client.post(f"/listings/{row.id}/submit", data={"_csrf": csrf}, follow_redirects=False)
    assert sent.status_code == 303
    [row] = await listings_of(factory, org)
    assert row.status == "published"
    assert "Published: participants" in (await client.get(f"/listings/{row.id}")).text
    again = await client.post(f"/listings/{row.id}/submit", data={"_csrf": csrf})
    assert again.status_code == 409 and "Only a draft can be sent for review." in again.text
    assert (await audit_actions(factory, partner)).count("opportunity.submit") == 1


async def test_no_good_match_for_the_occupation_is_named_and_nothing_is_written(
    client: AsyncTestClient, factory: Factory
) -> None:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    _, org, csrf = await partner_signed_in(client, factory)
    response = await create(client, csrf, "job", occupation_text="qqqq zzzz xxxx")
    assert response.status_code == 400 and 'id="e-occupation_text"' in response.text
    assert await listings_of(factory, org) == []


async def test_every_wrong_field_is_named_and_nothing_is_written(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    response = await create(
        client,
        csrf,
        "job",
        title="",
        region="Berlin",
        starts_on="2027-02-30",
        language_0="de",
        language_level_0="fluent",
        pay_amount="",
        pay_period="fortnight",
        documents_held_by="",
        wages_paid="gold",
    )
    assert response.status_code == 400
    for field in ("title", "region", "starts_on", "languages", "pay_amount", "pay_period", "documents_held_by"):
        assert f'id="e-{field}"' in response.text, field
    assert 'id="e-wages_paid"' in response.text
    assert "Please choose a region from the list." in response.text
    assert await listings_of(factory, org) == []


async def test_a_town_outside_the_region_is_named_and_a_missing_town_is_the_region_centre(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    wrong = await create(client, csrf, "course", place_name="Torino")
    assert wrong.status_code == 400 and 'id="e-place_name"' in wrong.text
    assert 'value="Torino"' in wrong.text  # what she typed is kept
    assert await listings_of(factory, org) == []
    await create(client, csrf, "course", region="ITC1", place_name="Torino")
    await create(client, csrf, "course", region="DE40", place_name="")
    rows = sorted(await listings_of(factory, org), key=lambda row: row.region)
    assert [(row.region, row.place_name, row.lat, row.lon) for row in rows] == [
        ("DE40", None, 52.4, 13.07),
        ("ITC1", "Turin", 45.07, 7.69),
    ]


async def test_the_answers_about_a_job_are_stored_and_shown(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    missing = await create(client, csrf, "job", accommodation_provided="yes", travel_abroad="yes")
    assert 'id="e-rent_deducted"' in missing.text and 'id="e-travel_charged"' in missing.text
    answers = {"accommodation_provided": "yes", "rent_deducted": "yes", "travel_abroad": "yes", "travel_charged": "no"}
    await create(client, csrf, "job", pay_period="piece", documents_held_by="employer", wages_paid="cash", **answers)
    [row] = await listings_of(factory, org)
    assert (row.accommodation_provided, row.rent_deducted, row.travel_abroad, row.travel_charged) == (
        True,
        True,
        True,
        False,
    )
    assert (row.costs_deducted, row.documents_held_by, row.wages_paid, row.pay_period) == (
        False,
        "employer",
        "cash",
        "piece",
    )
    page = await client.get(f"/listings/{row.id}")
    for words in ("The employer keeps them", "In cash", "per piece (piece rate)", "Monday", "09:00–13:00"):
        assert words in page.text, words


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
    assert 'value="mon-09" aria-label="Monday 09:00–10:00" checked' in form.text
    assert 'value="tue-09" aria-label="Tuesday 09:00–10:00">' in form.text
    assert '<option value="de" selected>German</option>' in form.text
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
    if decision == "reject":  # a refusal reads as such, not as a listing she closed herself
        assert "Status: Not accepted" in page.text and "Status: Closed" not in page.text
        assert '<td data-label="Status">Not accepted</td>' in (await client.get("/listings")).text


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
    assert example.text.startswith("kind,title,description,region,place_name,capacity,starts_on")
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
    assert '<td>2</td>\n    <td>Region <span class="muted">(column “region” in the file)</span></td>' in response.text
    assert "<td>3</td>\n    <td>Oldest age, in years" in response.text
    assert await listings_of(factory, org) == []


async def test_a_row_with_many_mistakes_gets_every_one_named_in_words(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    csv = (
        "kind,title,region,capacity,starts_on,women_only,pay_period,age_min,age_max\n"
        "childcare,Morning care,DE30,4,2027-01-04,false,,1,5\n"
        "childcare,Evening care,Berlin,two,04/01/2027,maybe,,1,\n"
    )
    files = {"file": ("listings.csv", csv.encode(), "text/csv")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files)
    assert response.status_code == 400 and "Please correct these 5 problems" in response.text
    for words in (
        "Please use a region code such as DE30.",
        "Please enter a number of places from 0 to 10000.",
        "Please enter the start date as YYYY-MM-DD.",
        "Please write true or false.",
        "Please enter the oldest age, from 0 to 17, not below the youngest.",
    ):
        assert words in response.text, words
    assert "Berlin" not in response.text.split('id="import-problems"')[1].split("</table>")[0]
    assert await listings_of(factory, org) == []


async def test_the_json_example_imports_too(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    example = await client.get("/listings/import/example.json")
    assert example.headers["content-type"].startswith("application/json")
    files = {"file": ("listings.json", example.content, "application/json")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/listings?imported=4"
    [job] = [row for row in await listings_of(factory, org) if row.kind == "job"]
    assert (job.place_name, job.documents_held_by, job.wages_paid) == ("Berlin", "worker", "bank_account")


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
        "kind,title,region,place_name,capacity,starts_on,currency,pay_amount,pay_period,contract_type,hours_per_week\n"
        "job,Dishwasher,DE30,Berlin,1,2027-01-04,EUR,14,hour,informal,20\n"
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


async def test_a_days_pay_is_screened_against_the_hourly_minimum(client: AsyncTestClient, factory: Factory) -> None:
    _, org, csrf = await partner_signed_in(client, factory)
    await create(client, csrf, "job", action="submit", pay_amount="40", pay_period="day", hours_per_week="40")
    [row] = await listings_of(factory, org)
    assert row.status == "pending_review" and "below_minimum_wage" in {flag["rule_id"] for flag in row.vetting_flags}


JOBPOSTING = (Path(__file__).parents[2] / "data" / "jobposting.jsonld").read_bytes()


async def test_job_postings_become_drafts_with_what_was_not_carried_over(
    client: AsyncTestClient, factory: Factory
) -> None:
    partner, org, csrf = await partner_signed_in(client, factory)
    files = {"file": ("jobs.jsonld", JOBPOSTING, "application/ld+json")}
    response = await client.post("/listings/import", data={"_csrf": csrf}, files=files)
    assert response.status_code == 200 and "2 job postings were saved as drafts." in response.text
    assert "The salary is a range: the lowest figure is shown." in response.text
    assert "The kind of employment is not one we can name: please choose the contract." in response.text
    rows = sorted(await listings_of(factory, org), key=lambda row: row.title)
    assert [(row.status, row.region, row.place_name, row.vetting_flags) for row in rows] == [
        ("draft", "DE40", None, []),
        ("draft", "DE21", "Munich", []),
    ]
    incomplete = rows[0]  # no contract, no hours: it cannot be sent as it is
    refused = await client.post(f"/listings/{incomplete.id}/submit", data={"_csrf": csrf})
    assert refused.status_code == 400 and "This draft is not complete yet." in refused.text
    assert (await listings_of(factory, org))[0].status == "draft"
    edit = await client.get(f"/listings/{incomplete.id}/edit")
    assert edit.status_code == 200 and "Buchhaltung" in edit.text
    complete = rows[1]
    answers = {
        "accommodation_provided": "no",
        "travel_abroad": "no",
        "costs_deducted": "no",
        "documents_held_by": "worker",
        "wages_paid": "bank_account",
    }
    form = {**COMMON, **BY_KIND["job"], **answers, "title": complete.title, "region": "DE21", "place_name": "Munich"}
    saved = await client.post(f"/listings/{complete.id}/edit", data={"_csrf": csrf, **form}, follow_redirects=False)
    assert saved.status_code == 303
    await give_track_record(factory, org)  # a first listing of a new partner is always read by a person
    sent = await client.post(f"/listings/{complete.id}/submit", data={"_csrf": csrf}, follow_redirects=False)
    assert sent.status_code == 303
    assert {row.id: row.status for row in await listings_of(factory, org)}[complete.id] == "published"
    assert "opportunity.create" in await audit_actions(factory, partner)


async def test_the_api_takes_job_postings_and_refuses_other_json(client: AsyncTestClient, factory: Factory) -> None:
    partner_org = await factory.org("partner")
    partner = await factory.user("partner", partner_org)
    headers = await factory.login(client, partner)
    ld = {**headers, "content-type": "application/ld+json"}
    created = await client.post("/api/opportunities/import/jobposting", content=JOBPOSTING, headers=ld)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["created"] == 2 and {"row": 1, "field": "qualifications", "message": "not used"} in body["notes"]
    refused = await client.post("/api/opportunities/import/jobposting", content=b'[{"kind": "job"}]', headers=ld)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "file"
    wrong_type = await client.post(
        "/api/opportunities/import/jobposting", content=JOBPOSTING, headers={**headers, "content-type": "text/csv"}
    )
    assert wrong_type.status_code == 415
    assert len(await listings_of(factory, partner_org)) == 2
