"""The `followups` area in a real browser: a counsellor answers a due check-in, reads her
alerts and records a milestone on the timeline (also in Arabic, right to left); a coordinator
starts, reviews and accepts an allocation round."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from service.domain.accounts.crypto import totp_now
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.due_followups import due_followups
from tests.support.factories import Factory
from tests.support.followups import delivered_alert, flag
from tests.support.listings import listing, profile


def test_counsellor_answers_a_check_in_and_records_a_milestone(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        coordinator = await factory.user("coordinator", ngo)
        survivor = await factory.survivor(
            ngo, counsellor, display_name="Mira K.", goals={"monthly_income_target": 1400}
        )
        await due_followups(factory, survivor, 1)
        [overdue] = await due_followups(factory, survivor, 1, overdue_by=timedelta(days=20))
        await flag(factory, overdue, "new_debt")
        await delivered_alert(factory, overdue, counsellor.id)
        await delivered_alert(factory, overdue, coordinator.id)
        return counsellor.email, str(survivor.id)

    email, survivor_id = site.seed(build)
    page = context.new_page()
    sign_in(page, email)
    assert page.url.endswith("/caseload")
    assert "New debt" in page.inner_text("section[aria-labelledby=followups-heading]")
    check_page(page, "followups-caseload", axe_source)

    page.click("tbody tr.overdue >> text=Record the answer")
    check_page(page, "followups-answer", axe_source)
    page.check("#f-still_there-yes")
    page.select_option("#f-contract", "formal")
    page.fill("#f-hours_per_week", "lots")
    page.fill("#f-monthly_income", "1500")
    page.click("button:has-text('Save the answer')")
    assert page.locator("#e-hours_per_week").is_visible()
    check_page(page, "followups-answer-errors", axe_source)
    page.fill("#f-hours_per_week", "30")
    page.click("button:has-text('Save the answer')")
    page.wait_for_selector("#answered-heading")
    check_page(page, "followups-answered", axe_source)

    page.click("text=See her milestones")
    page.wait_for_url(f"**/people/{survivor_id}/milestones")
    reached = page.inner_text("table.list")
    assert "First formal contract" in reached and "Income covers her needs" in reached
    page.select_option("#f-milestone", "bank_account")
    page.fill("#f-evidence", "Bank card seen.")
    page.click("button:has-text('Record')")
    page.wait_for_selector("text=Bank card seen.")
    assert page.locator("svg[role=img] circle[fill='#2e6b3a']").count() == 3
    check_page(page, "followups-milestones", axe_source)

    page.click("footer button[value=ar]")
    page.wait_for_selector("html[dir=rtl]")
    assert page.get_attribute("svg[role=img]", "direction") == "rtl"
    check_page(page, "followups-milestones-rtl", axe_source)
    page.click("footer button[value=en]")
    page.wait_for_selector("html[dir=ltr]")

    page.goto("/caseload")
    page.click("section[aria-labelledby=followups-heading] button:has-text('Mark as read')")
    page.wait_for_url("**/caseload")
    assert page.locator("section[aria-labelledby=followups-heading] button:has-text('Mark as read')").count() == 0
    sign_out(page)


def test_coordinator_starts_reviews_and_accepts_a_round(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        ngo = await factory.org()
        coordinator = await factory.user("coordinator", ngo)
        partner = await factory.org("partner", name="Bakery Sonne (e2e)")
        # The site's database is shared by every browser test on this worker, and other files
        # publish Berlin jobs too: Hamburg keeps this round to its own listing whatever ran first.
        await listing(
            factory, partner.id, title="Bakery assistant (e2e)", capacity=1, region="DE60", lat=53.55, lon=9.99
        )
        for name in ("Ana R.", "Bea S."):
            await factory.survivor(ngo, None, display_name=name, **profile(region="DE60"))
        return coordinator.email, factory.totp_secrets[coordinator.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    page.click("nav >> text=Allocation rounds")
    check_page(page, "followups-rounds", axe_source)
    page.check("#f-kind-job")
    page.click("button:has-text('Compute a proposal')")
    page.wait_for_selector("#assigned-heading")
    text = page.inner_text("main")
    assert "Bakery assistant (e2e)" in text and "Ana R." in text and "Bea S." in text  # her caseload: names
    check_page(page, "followups-round", axe_source)
    page.click("button:has-text('Accept and make the suggestions')")
    page.wait_for_selector("text=Accepted on")
    assert "1 suggestion made" in page.inner_text("main")
    check_page(page, "followups-round-accepted", axe_source)
    sign_out(page)
