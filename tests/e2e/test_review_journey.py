"""A coordinator's review journey in a real browser: the vetting queue (decisions swapped in
place by htmx, and the same decision without JavaScript), partner checks, and the reports page
with its charts; screenshots and axe-core on each page."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from providers.models import Opportunity
from providers.review_policy import reason_flag
from providers.schedule import EMPTY_WEEK
from providers.services import screen_row
from service.domain.accounts.crypto import totp_now
from service.domain.survivors.models import Consent
from tests.e2e.conftest import SCREENSHOTS, Site, Watch, open_context
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import PASSWORD, Factory

RISKY = "Models wanted, no experience needed, 5000 EUR a week. Free accommodation abroad, we pay your ticket."


def _waiting(org_id: Any, title: str, description: str, reasons: tuple[str, ...] = ()) -> Opportunity:
    """A job screened as the service screens it: flagged (or with a review reason), so it waits."""
    row = Opportunity(
        organisation_id=org_id,
        kind="job",
        status="draft",
        title=title,
        description=description,
        region="DE30",
        lat=52.52,
        lon=13.41,
        capacity=1,
        capacity_left=1,
        starts_on=date(2027, 1, 4),
        schedule=list(EMPTY_WEEK),
        pay_amount=15,
        pay_period="hour",
        currency="EUR",
        contract_type="employment",
        hours_per_week=20,
        accommodation_provided=False,
        travel_abroad=False,
        contact_channels=[],
    )
    flags = [reason_flag(reason, "e2e") for reason in reasons]
    screen_row(row, partner_vetted=True, now=datetime.now(UTC), review_reasons=flags)
    assert row.status == "pending_review" and row.vetting_flags
    return row


async def _review_world(factory: Factory) -> dict[str, str]:
    ngo = await factory.org(name="Neue Wege (e2e review)")
    coordinator = await factory.user("coordinator", ngo)
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name="Sunrise Models Agency (e2e)")
    pending = await factory.org("partner", vetted=False, name="Bakery Morgen (e2e review)")
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        listings = [
            _waiting(partner.id, "Hostess, travel paid (e2e)", RISKY),
            _waiting(partner.id, "Promoter, big money (e2e)", "Promoters wanted, big money, no experience needed."),
            _waiting(partner.id, "Dancer, cash daily (e2e)", "Dancers wanted, paid cash daily, 5000 EUR a week."),
            _waiting(partner.id, "Kitchen helper (e2e)", "Kitchen work, written contract.", ("first_listings",)),
        ]
        db.add_all(listings)
        await db.commit()
        ids = [str(row.id) for row in listings]
    async with factory.alchemy.get_session() as db:
        # Seven counted in DE30 and three in DE40: the second region's cells are withheld.
        for index in range(10):
            survivor = await factory.survivor(ngo, counsellor, region="DE30" if index < 7 else "DE40")
            db.add(Consent(survivor_id=survivor.id, purpose="reporting", granted_at=now))
        await db.commit()
    return {
        "email": coordinator.email,
        "secret": factory.totp_secrets[coordinator.id],
        "first": ids[0],
        "second": ids[1],
        "third": ids[2],
        "clean": ids[3],
        "pending": str(pending.id),
    }


def test_coordinator_reviews_listings_vets_a_partner_and_reads_the_report(
    site: Site, context: Any, browser: Any, watch: Watch, axe_source: str
) -> None:
    world = site.seed(_review_world)
    page = context.new_page()
    sign_in(page, world["email"], code=totp_now(world["secret"]))
    page.click("nav >> text=Review")
    page.wait_for_url("**/review")
    first = page.locator(f"#listing-{world['first']}")
    assert "Red flag" in first.inner_text() or "ILO indicator" in first.inner_text()
    assert first.locator("mark").count() >= 1
    clean = page.locator(f"#listing-{world['clean']}").inner_text()
    assert "Why a person reads this listing" in clean and "first three listings" in clean
    assert "Warning signs" not in clean and "not checked yet" not in clean
    check_page(page, "review-queue", axe_source)

    # A reason is required: with the browser's own check removed, the server says so (400),
    # and htmx swaps the row with its message in place.
    first.locator("textarea").evaluate("node => node.removeAttribute('required')")
    first.locator("button[value=reject]").click()
    page.wait_for_selector(f"#listing-{world['first']} .error")
    assert "Please give a reason" in page.locator(f"#listing-{world['first']}").inner_text()
    check_page(page, "review-queue-reason-needed", axe_source)

    row = page.locator(f"#listing-{world['first']}")
    row.locator("textarea").fill("Recruits on looks and pays for travel abroad: not a job we can offer.")
    row.locator("button[value=reject]").click()
    page.wait_for_selector(f"#listing-{world['first']} >> text=Rejected")
    second = page.locator(f"#listing-{world['second']}")
    second.locator("textarea").fill("Please describe the duties, the pay and the contract.")
    second.locator("button[value=return]").click()
    page.wait_for_selector(f"#listing-{world['second']} >> text=Returned to the partner")
    assert page.url.endswith("/review")  # swapped in place, no navigation

    page.click("text=Partner checks")
    page.wait_for_url("**/review/partners")
    check_page(page, "review-partners", axe_source)
    partner = page.locator(f"#partner-{world['pending']}")
    partner.locator("textarea").fill("Registered bakery, visited on site.")
    partner.locator("button[value=vetted]").click()
    page.wait_for_selector(f"#partner-{world['pending']} >> text=Saved.")
    assert "Checked" in page.locator(f"#partner-{world['pending']}").inner_text()

    page.click("nav >> text=Reports")
    page.wait_for_url("**/reports")
    assert page.locator("figure.chart svg").count() >= 1
    csv = page.locator("a[href^='/api/reports/indicators.csv']").get_attribute("href")
    assert csv is not None and "by=organisation" in csv
    check_page(page, "review-reports", axe_source)
    page.select_option("#f-by", "region")
    page.click("button:has-text('Show report')")
    page.wait_for_url("**/reports?by=region*")
    activity = page.locator("section[aria-labelledby=t-activity]").inner_text()
    assert "Berlin" in activity and "Brandenburg" in activity and "withheld" in activity
    assert "DE30" not in activity and "DE40" not in activity
    assert "by=region" in (page.locator("a[href^='/api/reports/indicators.csv']").get_attribute("href") or "")
    check_page(page, "review-reports-by-region", axe_source)
    # Arabic: the page turns right-to-left; the charts keep their left-to-right drawing.
    page.click("footer button[lang=ar]")
    page.wait_for_selector("html[dir=rtl]")
    assert page.locator("figure.chart[dir=ltr] svg").count() >= 1
    assert "withheld" not in page.inner_text("main")
    check_page(page, "review-reports-ar", axe_source)
    page.click("footer button[lang=en]")
    page.wait_for_selector("html[dir=ltr]")
    sign_out(page)

    # Without JavaScript the same decision is a form post and a 303 back to the queue.
    plain = open_context(browser, site, watch, java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        nojs = plain.new_page()
        nojs.goto("/login")
        nojs.fill("#f-email", world["email"])
        nojs.fill("#f-password", PASSWORD)
        # The next time step's code: the one used above may not be replayed.
        nojs.fill("#f-totp", totp_now(world["secret"], time.time() + 30))
        nojs.click("form[action='/login'] button[type=submit]")
        nojs.goto("/review")
        third = nojs.locator(f"#listing-{world['third']}")
        third.locator("textarea").fill("Cash pay and looks: not publishable.")
        third.locator("button[value=reject]").click()
        nojs.wait_for_url("**/review")
        assert nojs.locator(f"#listing-{world['third']}").count() == 0
        # axe-core needs JavaScript: this page's markup is the one checked above, so a screenshot.
        nojs.screenshot(path=str(SCREENSHOTS / "review-queue-phone-nojs.png"), full_page=True)
    finally:
        plain.close()
