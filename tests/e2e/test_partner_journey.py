"""A partner's journey in a real browser: sign in with her code, create a listing (a wrong field
first), edit it, close it, upload a CSV with problems and then a good one, read the candidate
shared with her organisation, see her listings in Arabic (right to left), and sign out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from providers.models import Opportunity
from service.domain.accounts.crypto import totp_now
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Consent
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import Factory
from tests.support.track_record import give_track_record

GOOD_CSV = (
    "kind,title,region,lat,lon,capacity,starts_on,age_min,age_max\n"
    "childcare,Morning care (e2e),DE30,52.5,13.4,4,2027-01-04,1,5\n"
    "childcare,Afternoon care (e2e),DE30,52.5,13.4,4,2027-01-04,2,6\n"
)
BAD_CSV = GOOD_CSV + "childcare,Evening care (e2e),berlin,52.5,13.4,4,2027-01-04,6,2\n"


async def _shared_candidate(factory: Factory, partner_org: Any) -> None:
    """A participant who shares her skills and languages with this partner for a job of hers."""
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(
        ngo,
        counsellor,
        display_name="Never Shown (e2e)",
        skills=[{"uri": "http://data.europa.eu/esco/skill/e2e-1", "level": 3}],
        languages=[{"code": "de", "level": "B1"}],
    )
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        job = Opportunity(
            organisation_id=partner_org.id,
            kind="job",
            status="published",
            title="Bakery helper (e2e)",
            region="DE30",
            lat=52.5,
            lon=13.4,
            capacity=2,
            capacity_left=2,
            starts_on=date(2027, 1, 4),
        )
        consent = Consent(
            survivor_id=survivor.id,
            purpose="share_with_partner",
            partner_id=partner_org.id,
            fields=["skills", "languages"],
            granted_at=now,
            expires_at=now + timedelta(days=30),
        )
        db.add_all([job, consent])
        await db.flush()
        db.add(
            Referral(
                survivor_id=survivor.id,
                opportunity_id=job.id,
                partner_id=partner_org.id,
                status="shared",
                consent_id=consent.id,
            )
        )
        await db.commit()


def test_partner_manages_listings_uploads_a_file_and_reads_a_candidate(
    site: Site, context: Any, axe_source: str, tmp_path: Any
) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        partner_org = await factory.org("partner", name="Atelier Nord (e2e)")
        await give_track_record(factory, partner_org)  # established: her clean job publishes at once
        partner = await factory.user("partner", partner_org)
        await _shared_candidate(factory, partner_org)
        return partner.email, factory.totp_secrets[partner.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    page.click("nav >> text=Your listings")
    page.wait_for_url("**/listings")
    assert "Your organisation is checked." in page.inner_text("main")
    check_page(page, "partner-listings", axe_source)

    page.click("main >> text=New listing")
    check_page(page, "partner-new-kind", axe_source)
    page.click(".cards >> text=Job")
    page.wait_for_selector("#f-pay_amount")
    page.fill("#f-title", "Kitchen assistant (e2e)")
    page.fill("#f-description", "Prepare vegetables and keep the canteen kitchen clean.")
    page.fill("#f-region", "berlin")
    page.fill("#f-lat", "52.52")
    page.fill("#f-lon", "13.41")
    page.fill("#f-starts_on", "2027-01-04")
    page.fill("#f-schedule", "mon 09:00-13:00; wed 14:00-18:00")
    page.fill("#f-hours_per_week", "8")
    page.fill("#f-capacity", "2")
    page.select_option("#f-currency", "EUR")
    page.fill("#f-pay_amount", "14.5")
    page.select_option("#f-pay_period", "hour")
    page.select_option("#f-contract_type", "employment")
    page.click("button:has-text('Send for review')")
    page.wait_for_selector("#e-region")
    check_page(page, "partner-listing-errors", axe_source)
    page.fill("#f-region", "DE30")
    page.click("button:has-text('Send for review')")
    page.wait_for_selector("h1:has-text('Kitchen assistant (e2e)')")
    assert "Published: participants" in page.inner_text("main")
    check_page(page, "partner-listing", axe_source)

    page.click("main a:has-text('Edit')")
    page.wait_for_selector("#f-title")
    check_page(page, "partner-listing-edit", axe_source)
    page.fill("#f-title", "Kitchen helper (e2e)")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Kitchen helper (e2e)')")
    page.click("button:has-text('Close listing')")
    page.wait_for_selector("text=Closed: it is no longer shown to anyone.")

    page.goto("/listings/import")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD_CSV)
    good.write_text(GOOD_CSV)
    page.set_input_files("#f-file", str(bad))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("#import-problems")
    assert "Nothing was imported." in page.inner_text("main")
    check_page(page, "partner-import-errors", axe_source)
    page.set_input_files("#f-file", str(good))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("text=2 listings were imported.")
    assert "Morning care (e2e)" in page.inner_text("table")
    check_page(page, "partner-import-done", axe_source)

    page.click("nav >> text=Candidates")
    page.wait_for_url("**/candidates")
    assert "Bakery helper (e2e)" in page.inner_text("table")
    check_page(page, "partner-candidates", axe_source)
    page.click("table a")
    page.wait_for_selector("#shared-fields")
    shown = page.inner_text("main")
    # names, never addresses: a skill the taxonomy does not hold is said to be unknown
    assert "data.europa.eu" not in shown and "a skill no longer in the list" in shown and "Never Shown (e2e)" not in shown
    check_page(page, "partner-candidate", axe_source)

    page.goto("/listings")
    page.click("footer button[lang='ar']")
    page.wait_for_selector("html[dir='rtl']")
    check_page(page, "partner-listings-ar", axe_source)
    page.click("footer button[lang='en']")
    page.wait_for_selector("html[dir='ltr']")
    sign_out(page)
