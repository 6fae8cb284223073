"""Partners, reviewers and counsellors in plain words, in a real browser (issue 14):

* a partner creates a job by names only (occupation typed in her words, its ESCO skills ticked,
  region and town by name, a week of hours, her answers about the conditions), imports
  schema.org JobPostings and a CSV whose one row has many mistakes;
* a coordinator works the review queue from the most dangerous listing down;
* a partner records an interview that the candidate's counsellor confirms with her.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from providers.models import Opportunity, set_flags
from providers.schedule import EMPTY_WEEK
from service.domain.accounts.crypto import totp_now
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Consent
from skills.starter import load_starter
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import Factory

JOBPOSTING = Path(__file__).resolve().parents[1] / "data" / "jobposting.jsonld"
MANY_MISTAKES = (
    "kind,title,region,place_name,capacity,starts_on,women_only,age_min,age_max\n"
    "childcare,Morning care (e2e),DE30,Berlin,4,2027-01-04,true,1,5\n"
    "childcare,Evening care (e2e),Berlin,,two,04/01/2027,maybe,1,\n"
)


def test_a_partner_creates_a_job_by_names_and_imports_postings_and_a_csv(
    site: Site, context: Any, axe_source: str, tmp_path: Any
) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        async with factory.alchemy.get_session() as db:
            await load_starter(db)
            await db.commit()
        org = await factory.org("partner", name="Küche Mitte (e2e)")
        partner = await factory.user("partner", org)
        return partner.email, factory.totp_secrets[partner.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    page.goto("/listings/new?kind=job")
    page.fill("#f-title", "Kitchen helper (names only)")
    page.fill("#f-description", "Prepare vegetables and keep the kitchen clean.")
    page.fill("#f-occupation_text", "kitchen help")
    page.wait_for_selector("#occupation-suggestions input[type=radio]")
    check_page(page, "partners-job-occupation-suggestions", axe_source)
    page.click("button:has-text('Show the skills of this occupation')")
    page.wait_for_selector("input[name='essential_skills']")
    boxes = page.locator("input[name='essential_skills']")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("input[name='optional_skills']").nth(2).check()
    page.select_option("#f-region", label="Brandenburg")
    page.fill("#f-place_name", "Pots")
    page.wait_for_selector("#towns option[value='Potsdam']", state="attached")
    page.fill("#f-place_name", "Potsdam")
    page.fill("#f-starts_on", "2027-02-01")
    for hour in range(8, 14):
        for day in ("mon", "tue", "thu"):
            page.check(f"input[name='slot'][value='{day}-{hour:02d}']")
    page.fill("#f-hours_per_week", "18")
    page.fill("#f-capacity", "1")
    page.select_option("#f-language_0", label="German")
    page.select_option("#f-language_level_0", "A2")
    page.select_option("#f-currency", "EUR")
    page.fill("#f-pay_amount", "105")
    page.select_option("#f-pay_period", "day")
    page.select_option("#f-contract_type", "fixed_term")
    page.check("#f-accommodation_provided-yes")
    page.check("#f-rent_deducted-no")
    page.check("#f-travel_abroad-no")
    page.check("#f-costs_deducted-no")
    page.check("#f-documents_held_by-worker")
    page.check("#f-wages_paid-bank_account")
    check_page(page, "partners-job-form-filled", axe_source)
    page.click("button:has-text('Send for review')")
    page.wait_for_selector("h1:has-text('Kitchen helper (names only)')")
    shown = page.inner_text("main")
    for words in ("kitchen assistant", "Potsdam, Brandenburg", "Monday 08:00–14:00", "German (A2)", "105 EUR per day"):
        assert words in shown, words
    assert "esco" not in shown.lower() and "DE40" not in shown and "52.4" not in shown
    check_page(page, "partners-job-page", axe_source)

    page.goto("/listings/import")
    page.set_input_files("#f-file", str(JOBPOSTING))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("#import-notes")
    assert "2 job postings were saved as drafts." in page.inner_text("main")
    check_page(page, "partners-import-jobposting", axe_source)

    page.goto("/listings/import")
    bad = tmp_path / "many-mistakes.csv"
    bad.write_text(MANY_MISTAKES)
    page.set_input_files("#f-file", str(bad))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("#import-problems")
    problems = page.inner_text("#import-problems")
    for words in ("Please use a region code such as DE30.", "Please write true or false.", "YYYY-MM-DD"):
        assert words in problems, words
    assert "Please correct these 5 problems" in page.inner_text("main")
    check_page(page, "partners-import-many-mistakes", axe_source)
    page.click("footer button[lang='de']")
    page.wait_for_selector("html[lang='de']")
    page.goto("/listings/new?kind=job")
    check_page(page, "partners-job-form-de", axe_source)
    page.click("footer button[lang='en']")
    sign_out(page)


HIGH = {"rule_id": "document_retention", "reason": "r", "severity": "high", "evidence": '"we keep your passport"'}
MEDIUM = {"rule_id": "below_minimum_wage", "reason": "r", "severity": "medium", "evidence": "pay 4 EUR/hour"}


def _waiting(org_id: Any, title: str, days: int, flags: list[dict[str, Any]], description: str) -> Opportunity:
    row = Opportunity(
        organisation_id=org_id,
        kind="job",
        status="pending_review",
        title=title,
        description=description,
        region="DE30",
        place_name="Berlin",
        lat=52.52,
        lon=13.41,
        capacity=1,
        capacity_left=1,
        starts_on=date(2027, 1, 4),
        schedule=list(EMPTY_WEEK),
        pay_amount=4.0,
        pay_period="hour",
        currency="EUR",
        contract_type="informal",
        hours_per_week=40.0,
        documents_held_by="employer",
        wages_paid="cash",
        updated_at=datetime.now(UTC) - timedelta(days=days),
    )
    set_flags(row, flags)
    return row


def test_a_coordinator_works_the_queue_from_the_most_dangerous_listing_down(
    site: Site, context: Any, axe_source: str
) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        checked = await factory.org("partner", name="Hotel Spree (e2e)")
        new = await factory.org("partner", vetted=False, name="Neu Catering (e2e)")
        async with factory.alchemy.get_session() as db:
            db.add_all(
                [
                    _waiting(checked.id, "Cleaner, old and mild (e2e)", 30, [MEDIUM], "Cleaning rooms."),
                    _waiting(new.id, "Cook, partner not checked (e2e)", 40, [], "Cooking for our canteen."),
                    _waiting(checked.id, "Hostess abroad (e2e)", 2, [HIGH], "We keep your passport for you."),
                ]
            )
            await db.commit()
        coordinator = await factory.user("coordinator", await factory.org())
        return coordinator.email, factory.totp_secrets[coordinator.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    page.goto("/review")
    titles = page.locator(".review-queue h2.title").all_inner_texts()
    # (the first journey's job, with accommodation provided, waits too: a medium flag, newer)
    assert titles[:2] == ["Hostess abroad (e2e)", "Cleaner, old and mild (e2e)"]
    assert titles[-1] == "Cook, partner not checked (e2e)"
    first = page.locator(".review-queue li.card").first
    assert "ILO indicator 7: retention of identity documents" in first.inner_text()
    assert "The employer keeps them" in first.inner_text() and "4 EUR per hour" in first.inner_text()
    check_page(page, "partners-review-queue", axe_source)
    first.locator("textarea").fill("Keeping passports is forced labour; we do not publish this.")
    first.locator("button[value='reject']").click()
    page.wait_for_selector(".review-queue li.card >> text=Rejected")
    second = page.locator(".review-queue li.card").nth(1)
    second.locator("textarea").fill("Pay is below the minimum wage; please correct it.")
    second.locator("button[value='return']").click()
    page.wait_for_selector(".review-queue li.card >> text=Returned to the partner")
    check_page(page, "partners-review-queue-decided", axe_source)
    page.goto("/review")
    left = page.locator(".review-queue h2.title").all_inner_texts()
    assert "Hostess abroad (e2e)" not in left and left[-1] == "Cook, partner not checked (e2e)"
    page.select_option("#q-flag", index=0)
    page.select_option("#q-kind", "job")
    page.click("form.filters button")
    page.wait_for_url("**/review?kind=job**")
    check_page(page, "partners-review-queue-filtered", axe_source)
    sign_out(page)


def test_a_partner_records_an_interview_that_the_counsellor_confirms(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> dict[str, str]:
        org = await factory.org("partner", name="Bäckerei Ost (e2e)")
        partner = await factory.user("partner", org)
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        survivor = await factory.survivor(ngo, counsellor, display_name="Never Shown To Partners (e2e)")
        now = datetime.now(UTC)
        async with factory.alchemy.get_session() as db:
            job = _waiting(org.id, "Bakery helper (e2e)", 0, [], "Bread and cakes.")
            job.status, job.documents_held_by, job.wages_paid = "published", "worker", "bank_account"
            consent = Consent(
                survivor_id=survivor.id,
                purpose="share_with_partner",
                partner_id=org.id,
                fields=["languages"],
                granted_at=now,
                expires_at=now + timedelta(days=30),
            )
            db.add_all([job, consent])
            await db.flush()
            referral = Referral(
                survivor_id=survivor.id,
                opportunity_id=job.id,
                partner_id=org.id,
                status="shared",
                consent_id=consent.id,
            )
            db.add(referral)
            await db.commit()
        return {
            "partner": partner.email,
            "partner_secret": factory.totp_secrets[partner.id],
            "counsellor": counsellor.email,
            "survivor": str(survivor.id),
            "referral": str(referral.id),
        }

    world = site.seed(build)
    page = context.new_page()
    sign_in(page, world["partner"], code=totp_now(world["partner_secret"]))
    page.goto(f"/candidates/{world['referral']}")
    page.check("#f-outcome-invited")
    check_page(page, "partners-candidate-outcome", axe_source)
    page.click("#outcomes button:has-text('Record')")
    page.wait_for_selector("#outcomes li:has-text('Invited to an interview')")
    assert "Never Shown To Partners" not in page.inner_text("main")
    sign_out(page)

    sign_in(page, world["counsellor"])
    page.goto(f"/people/{world['survivor']}/referrals")
    assert "reports: Invited to an interview" in page.inner_text("main")
    check_page(page, "partners-counsellor-outcome", axe_source)
    page.click("button:has-text('Confirm with her')")
    page.wait_for_selector("text=Step taken: Applied.")
    assert page.inner_text(f"#r-{world['referral']} .status") == "She applied"
    check_page(page, "partners-counsellor-outcome-confirmed", axe_source)
    sign_out(page)
