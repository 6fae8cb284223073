"""Coordinators' pages: the review queue (approve, return, reject with a reason), partner checks
(vet, suspend with a reason) and the reports page (the API's suppressed report as tables,
inline SVG charts and a CSV link with the same filters)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from providers.models import Opportunity
from service.domain.accounts.models import Organisation, User
from service.domain.survivors.models import Consent
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.pages import sign_in
from tests.support.partner_checks import complete_checks

RISKY = "Models wanted, no experience needed, 5000 EUR a week. Free accommodation abroad, we pay your ticket."
HTMX = {"HX-Request": "true"}


async def waiting_listing(
    client: AsyncTestClient, factory: Factory, *, vetted: bool = True, **overrides: Any
) -> tuple[Organisation, str]:
    """A listing held for review, created by a partner through the API (so it is screened)."""
    org = await factory.org("partner", vetted=vetted, name=f"Partner {'checked' if vetted else 'new'}")
    partner = await factory.user("partner", org)
    headers = await factory.login(client, partner)
    body = listing_payload(**({"description": RISKY} | overrides))
    created = await client.post("/api/opportunities", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending_review"
    client.cookies.clear()
    return org, created.json()["id"]


async def coordinator(client: AsyncTestClient, factory: Factory) -> tuple[User, str]:
    user = await factory.user("coordinator", await factory.org())
    return user, await sign_in(client, factory, user)


async def stored_listing(factory: Factory, listing_id: str) -> Opportunity:
    async with factory.alchemy.get_session() as db:
        row = await db.get(Opportunity, UUID(listing_id))
        assert row is not None
        return row


async def stored_org(factory: Factory, org_id: UUID) -> Organisation:
    async with factory.alchemy.get_session() as db:
        row = await db.get(Organisation, org_id)
        assert row is not None
        return row


async def audit_rows(factory: Factory, action: str) -> list[AuditEvent]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(AuditEvent).where(AuditEvent.action == action))).all())


# --- the review queue ----------------------------------------------------------------------


async def test_queue_names_the_indicator_and_marks_the_partners_words(
    client: AsyncTestClient, factory: Factory
) -> None:
    org, listing = await waiting_listing(client, factory, vetted=False)
    await coordinator(client, factory)
    page = await client.get("/review")
    assert page.status_code == 200
    assert f'id="listing-{listing}"' in page.text
    assert "Red flag: vague duties with unusually high pay" in page.text
    assert "<mark>5000 EUR a week</mark>" in page.text or "<mark>5000 EUR</mark>" in page.text
    assert org.name in page.text and "Waiting for checks" in page.text


async def test_listing_text_is_escaped_even_where_it_is_marked(client: AsyncTestClient, factory: Factory) -> None:
    await waiting_listing(
        client, factory, description="<script>alert(1)</script> Models wanted, 5000 EUR a week <b>cash</b>"
    )
    await coordinator(client, factory)
    page = await client.get("/review")
    assert "<script>alert(1)</script>" not in page.text and "<b>cash</b>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<mark>" in page.text


async def test_approving_with_a_reason_publishes_and_is_audited(client: AsyncTestClient, factory: Factory) -> None:
    _, listing = await waiting_listing(client, factory)
    user, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "decision": "approve", "reason": "Called the employer: a genuine canteen job."}
    response = await client.post(f"/review/listings/{listing}", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/review"
    stored = await stored_listing(factory, listing)
    assert (stored.status, stored.review_reason, stored.reviewed_by_id) == (
        "published",
        "Called the employer: a genuine canteen job.",
        user.id,
    )
    [event] = await audit_rows(factory, "opportunity.review")
    assert (event.actor_id, event.detail, event.outcome) == (user.id, "decision=approve", "allowed")
    assert f'id="listing-{listing}"' not in (await client.get("/review")).text


async def test_rejecting_without_a_reason_is_refused_and_writes_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, listing = await waiting_listing(client, factory)
    _, csrf = await coordinator(client, factory)
    response = await client.post(
        f"/review/listings/{listing}", data={"_csrf": csrf, "decision": "reject", "reason": " "}
    )
    assert response.status_code == 400
    assert "Please give a reason" in response.text and 'aria-invalid="true"' in response.text
    assert (await stored_listing(factory, listing)).status == "pending_review"
    assert await audit_rows(factory, "opportunity.review") == []


async def test_an_unknown_decision_is_refused(client: AsyncTestClient, factory: Factory) -> None:
    _, listing = await waiting_listing(client, factory)
    _, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "decision": "publish", "reason": "looks fine to me"}
    response = await client.post(f"/review/listings/{listing}", data=form)
    assert response.status_code == 400 and "Please choose approve, return or reject." in response.text
    assert (await stored_listing(factory, listing)).status == "pending_review"


async def test_htmx_return_answers_the_updated_row_only(client: AsyncTestClient, factory: Factory) -> None:
    _, listing = await waiting_listing(client, factory)
    _, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "decision": "return", "reason": "Please describe the duties and the contract."}
    response = await client.post(f"/review/listings/{listing}", data=form, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="card listing" id="listing-{listing}"')
    assert "<html" not in response.text and "Returned to the partner" in response.text
    assert "Please describe the duties and the contract." in response.text
    assert (await stored_listing(factory, listing)).status == "draft"


async def test_htmx_missing_reason_answers_the_row_with_its_message(client: AsyncTestClient, factory: Factory) -> None:
    _, listing = await waiting_listing(client, factory)
    _, csrf = await coordinator(client, factory)
    response = await client.post(
        f"/review/listings/{listing}", data={"_csrf": csrf, "decision": "reject", "reason": ""}, headers=HTMX
    )
    assert response.status_code == 400
    assert f'id="listing-{listing}"' in response.text and "<html" not in response.text
    assert "Please give a reason" in response.text
    assert (await stored_listing(factory, listing)).status == "pending_review"


async def test_approving_a_listing_of_an_unchecked_partner_asks_to_vet_first(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, listing = await waiting_listing(client, factory, vetted=False)
    _, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "decision": "approve", "reason": "fine as far as I can tell"}
    response = await client.post(f"/review/listings/{listing}", data=form)
    assert response.status_code == 409 and "vet the partner first" in response.text
    assert (await stored_listing(factory, listing)).status == "pending_review"
    assert await audit_rows(factory, "opportunity.review") == []


async def test_a_listing_decided_meanwhile_says_so(client: AsyncTestClient, factory: Factory) -> None:
    _, listing = await waiting_listing(client, factory)
    _, csrf = await coordinator(client, factory)
    first = {"_csrf": csrf, "decision": "reject", "reason": "Recruits on looks, not on skills."}
    assert (await client.post(f"/review/listings/{listing}", data=first, follow_redirects=False)).status_code == 303
    again = await client.post(f"/review/listings/{listing}", data={**first, "decision": "approve"})
    assert again.status_code == 409 and "already decided" in again.text
    assert (await stored_listing(factory, listing)).status == "closed"


async def test_htmx_decision_on_a_listing_decided_meanwhile_says_so_in_the_row(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, listing = await waiting_listing(client, factory)
    _, csrf = await coordinator(client, factory)
    first = {"_csrf": csrf, "decision": "approve", "reason": "Called the canteen, a genuine job."}
    assert (await client.post(f"/review/listings/{listing}", data=first, headers=HTMX)).status_code == 200
    again = await client.post(f"/review/listings/{listing}", data={**first, "decision": "reject"}, headers=HTMX)
    assert again.status_code == 409
    assert f'id="listing-{listing}"' in again.text and "already decided" in again.text and "Approved" in again.text
    assert (await stored_listing(factory, listing)).status == "published"


async def test_an_unknown_listing_is_the_404_page(client: AsyncTestClient, factory: Factory) -> None:
    _, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "decision": "approve", "reason": "for the record"}
    response = await client.post("/review/listings/00000000-0000-4000-8000-000000000000", data=form)
    assert response.status_code == 404


async def test_a_decision_without_csrf_is_refused(client: AsyncTestClient, factory: Factory) -> None:
    _, listing = await waiting_listing(client, factory)
    await coordinator(client, factory)
    form = {"decision": "approve", "reason": "no token here"}
    assert (await client.post(f"/review/listings/{listing}", data=form)).status_code == 403
    assert (await stored_listing(factory, listing)).status == "pending_review"


async def test_counsellors_and_partners_cannot_open_the_review_pages(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    await sign_in(client, factory, await factory.user("counsellor", ngo))
    for path in ("/review", "/review/partners", "/reports"):
        assert (await client.get(path)).status_code == 403
    client.cookies.clear()
    await sign_in(client, factory, await factory.user("partner", await factory.org("partner")))
    assert (await client.get("/review")).status_code == 403


# --- partner checks --------------------------------------------------------------------------


async def test_vetting_a_waiting_partner_with_a_reason_is_saved_and_audited(
    client: AsyncTestClient, factory: Factory
) -> None:
    org = await factory.org("partner", vetted=False, name="Bakery Morgen")
    user, csrf = await coordinator(client, factory)
    listed = await client.get("/review/partners")
    assert "Bakery Morgen" in listed.text
    form = {"_csrf": csrf, "status": "vetted", "reason": "Registered bakery, visited on 3 May."}
    unchecked = await client.post(f"/review/partners/{org.id}/vetting", data=form)
    assert unchecked.status_code == 409 and "checks page" in unchecked.text
    await complete_checks(client, org.id, {"x-csrf-token": csrf})
    response = await client.post(f"/review/partners/{org.id}/vetting", data=form, follow_redirects=False)
    assert response.status_code == 303
    stored = await stored_org(factory, org.id)
    assert (stored.vetting_status, stored.vetting_reason, stored.vetted_by_id) == (
        "vetted",
        "Registered bakery, visited on 3 May.",
        user.id,
    )
    [event] = await audit_rows(factory, "partner.vetting")
    assert event.actor_id == user.id and event.detail is not None and "pending->vetted" in event.detail


async def test_suspending_without_a_reason_is_refused_and_writes_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    org = await factory.org("partner", name="Clean Fast Ltd")
    _, csrf = await coordinator(client, factory)
    response = await client.post(
        f"/review/partners/{org.id}/vetting", data={"_csrf": csrf, "status": "suspended"}, headers=HTMX
    )
    assert response.status_code == 400
    assert f'id="partner-{org.id}"' in response.text and "Please give a reason" in response.text
    assert (await stored_org(factory, org.id)).vetting_status == "vetted"
    assert await audit_rows(factory, "partner.vetting") == []


async def test_suspending_over_htmx_answers_the_row(client: AsyncTestClient, factory: Factory) -> None:
    org = await factory.org("partner", name="Night Promotions")
    _, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "status": "suspended", "reason": "Reports of withheld wages."}
    response = await client.post(f"/review/partners/{org.id}/vetting", data=form, headers=HTMX)
    assert response.status_code == 200 and "Saved." in response.text and "Suspended" in response.text
    assert (await stored_org(factory, org.id)).vetting_status == "suspended"


async def test_a_support_organisation_cannot_be_vetted_here(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    _, csrf = await coordinator(client, factory)
    form = {"_csrf": csrf, "status": "suspended", "reason": "not a partner at all"}
    unknown = await client.post(f"/review/partners/{ngo.id}/vetting", data=form)
    missing = await client.post("/review/partners/00000000-0000-4000-8000-000000000000/vetting", data=form)
    assert unknown.status_code == missing.status_code == 404
    denied = await audit_rows(factory, "partner.vetting")
    assert [event.outcome for event in denied] == ["denied", "denied"]


# --- reports ---------------------------------------------------------------------------------


async def consenting_network(factory: Factory, consented: int, unconsented: int = 0) -> tuple[Organisation, User]:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        for index in range(consented + unconsented):
            survivor = await factory.survivor(ngo, counsellor, region="DE30")
            if index < consented:
                db.add(Consent(survivor_id=survivor.id, purpose="reporting", granted_at=now))
        await db.commit()
    return ngo, await factory.user("coordinator", ngo)


def first_cell(html: str, table: str) -> str:
    """The first data cell of one report table (after its row heading)."""
    section = html.split(f'id="t-{table}"', 1)[1]
    found = re.search(r"<tbody>\s*<tr>\s*<th scope=\"row\">[^<]*</th>\s*<td>(.*?)</td>", section, re.S)
    assert found, section[:500]
    return found.group(1).strip()


async def test_reports_count_only_consenting_participants(client: AsyncTestClient, factory: Factory) -> None:
    _, user = await consenting_network(factory, consented=7, unconsented=6)
    await sign_in(client, factory, user)
    page = await client.get("/reports", params={"by": "region"})
    assert page.status_code == 200
    assert first_cell(page.text, "activity") == "7"
    assert "Scope: your organisation." in page.text
    assert '<figure class="chart" dir="ltr"><svg' in page.text


async def test_a_small_group_is_shown_as_withheld_never_as_its_number(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, user = await consenting_network(factory, consented=3)
    await sign_in(client, factory, user)
    page = await client.get("/reports")
    assert first_cell(page.text, "activity") == '<span class="suppressed">withheld</span>'
    assert ">3<" not in page.text
    # The chart draws the same cell as an empty, labelled bar.
    assert "withheld</text>" in page.text


async def test_a_coordinator_sees_her_organisation_and_an_admin_all(client: AsyncTestClient, factory: Factory) -> None:
    first, user = await consenting_network(factory, consented=6)
    second, _ = await consenting_network(factory, consented=8)
    await sign_in(client, factory, user)
    mine = await client.get("/reports")
    assert first.name in mine.text and second.name not in mine.text
    client.cookies.clear()
    await sign_in(client, factory, await factory.user("admin"))
    everything = await client.get("/reports")
    assert first.name in everything.text and second.name in everything.text
    assert "Scope: all organisations." in everything.text


async def test_the_csv_link_carries_the_same_filters(client: AsyncTestClient, factory: Factory) -> None:
    _, user = await consenting_network(factory, consented=6)
    await sign_in(client, factory, user)
    page = await client.get("/reports", params={"by": "period", "start": "2020-01-01", "end": "2030-01-01"})
    link = re.search(r'href="(/api/reports/indicators\.csv\?[^"]+)"', page.text)
    assert link, "no CSV link"
    href = link.group(1).replace("&amp;", "&")
    assert "by=period" in href and "start=2020-01-01" in href and "end=2030-01-01" in href
    download = await client.get(href)
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "table,row,column,value" in download.text


async def test_bad_filters_answer_400_with_a_message_per_field(client: AsyncTestClient, factory: Factory) -> None:
    _, user = await consenting_network(factory, consented=1)
    await sign_in(client, factory, user)
    bad_day = await client.get("/reports", params={"start": "31/01/2026", "by": "planet"})
    assert bad_day.status_code == 400
    assert 'id="e-start"' in bad_day.text and 'id="e-by"' in bad_day.text and "t-activity" not in bad_day.text
    backwards = await client.get("/reports", params={"start": "2026-05-01", "end": "2026-01-01"})
    assert backwards.status_code == 400 and "The end must be after the start." in backwards.text
    assert await audit_rows(factory, "report.read") == []


async def test_reading_the_report_page_is_audited(client: AsyncTestClient, factory: Factory) -> None:
    _, user = await consenting_network(factory, consented=5)
    await sign_in(client, factory, user)
    assert (await client.get("/reports", params={"by": "region"})).status_code == 200
    [event] = await audit_rows(factory, "report.read")
    assert (event.actor_id, event.detail) == (user.id, "by=region,format=html")


async def test_the_report_page_is_translated(client: AsyncTestClient, factory: Factory) -> None:
    _, user = await consenting_network(factory, consented=3)
    csrf = await sign_in(client, factory, user)
    await client.post("/language", data={"_csrf": csrf, "locale": "de", "next": "/reports"})
    page = await client.get("/reports")
    assert 'lang="de"' in page.text and "withheld" not in page.text


# --- pure helpers --------------------------------------------------------------------------


def test_highlight_finds_the_quoted_words_in_any_case_and_spacing() -> None:
    from service.web.review_views import highlight

    segments = highlight("Models wanted,  NO experience\nneeded.", ["no experience needed", "Models"])
    assert segments == [("Models", True), (" wanted,  ", False), ("NO experience\nneeded", True), (".", False)]
    assert highlight("plain text", []) == [("plain text", False)]


def test_evidence_shows_the_partners_words_not_internal_signal_names() -> None:
    from service.web.review_views import flag_views, matched_phrases

    [flag] = flag_views(
        [
            {
                "rule_id": "vague_high_pay",
                "severity": "high",
                "evidence": 'high_pay "5000 EUR" + vague_duties "easy work…"',
            }
        ]
    )
    assert flag.evidence == '"5000 EUR" + "easy work…"' and flag.kind == "red_flag"
    assert matched_phrases([flag]) == ["5000 EUR", "easy work"]
