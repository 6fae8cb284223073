"""A counsellor's whole work in a real browser, on a fresh database: she adds a person (and is
warned before a second record), fills every part of the profile in plain inputs, finds her in
the caseload, sees what another woman told her and the follow-ups coming up, records a
permission until a date (desktop and phone), prints a CV and closes the case; a spot check in
Arabic, right to left. Screenshots: tests/artifacts/screenshots/counsellor-*.png."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from service.domain.followups.models import FollowUp
from skills.starter import load_starter
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import Factory


def _save(page: Any) -> None:
    page.click("main form.stack button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_counsellor_from_first_meeting_to_a_closed_case(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str, str]:
        async with factory.alchemy.get_session() as db:
            await load_starter(db)
            await db.commit()
        ngo = await factory.org(name="Neue Wege (e2e)")
        counsellor = await factory.user("counsellor", ngo)
        other = await factory.survivor(ngo, counsellor, display_name="Joy A.", birth_year=1990)
        account = await factory.user("survivor", ngo, survivor=other)
        async with factory.alchemy.get_session() as db:
            db.add(FollowUp(survivor_id=other.id, kind="plan_30d", due_at=datetime.now(UTC) + timedelta(days=3),
                            idempotency_key=f"e2e:{other.id}:30"))  # fmt: skip
            db.add(FollowUp(survivor_id=other.id, kind="plan_90d", due_at=datetime.now(UTC) + timedelta(days=60),
                            idempotency_key=f"e2e:{other.id}:90"))  # fmt: skip
            await db.commit()
        return counsellor.email, account.email, str(other.id)

    email, her_email, other_id = site.seed(build)

    # What another woman says herself reaches her counsellor: she pauses, from her own page.
    hers = context.new_page()
    sign_in(hers, her_email)
    hers.goto("/my")
    hers.click("button:has-text('Not now: pause suggestions')")
    hers.wait_for_selector("text=Suggestions are paused")
    check_page(hers, "counsellor-her-page-data", axe_source)
    assert "Download everything kept about you" in hers.inner_text("main")
    sign_out(hers)
    hers.close()

    page = context.new_page()
    sign_in(page, email)
    assert page.url.endswith("/caseload")
    panel = page.inner_text("section[aria-labelledby=followups-heading]")
    assert "She asked for a pause" in panel and "Coming up this week" in panel and "Coming up later" in panel
    check_page(page, "counsellor-caseload-signals", axe_source)

    # 1. Intake from the caseload.
    page.click("a:has-text('Add a person')")
    page.wait_for_url("**/people/new")
    check_page(page, "counsellor-intake", axe_source)
    page.click("button:has-text('Add her')")
    page.wait_for_selector("#e-display_name")
    assert page.locator("#e-region").is_visible()
    check_page(page, "counsellor-intake-errors", axe_source)
    page.fill("#f-display_name", "Amina K.")
    page.fill("#f-birth_year", "1994")
    page.select_option("#f-region", label="Berlin")
    page.select_option("#f-language_1", label="Arabic")
    page.select_option("#f-language_1_level", "native")
    page.fill("#f-language_2_other", "German")
    page.select_option("#f-language_2_level", "A2")
    page.fill("#f-contact", "Text messages only, never after 6 pm")
    page.click("button:has-text('Add her')")
    page.wait_for_selector("text=She is registered")
    profile_url = page.url.split("?")[0]
    assert "Berlin, Germany" in page.inner_text("main")
    assert "Arabic (native language)" in page.inner_text("main")
    check_page(page, "counsellor-profile-new", axe_source)

    # 2. Every part of the profile.
    page.click("#part-family a:has-text('Change')")
    page.fill("#f-child_0_age", "4")
    page.fill("#f-child_1_age", "15")
    page.uncheck("#f-child_1_care")
    page.select_option("#f-permit_kind", "residence_permit_work")
    page.fill("#f-valid_until", "2027-06-30")
    page.select_option("#f-permit_allows", "limited_hours")
    check_page(page, "counsellor-part-family", axe_source)
    _save(page)
    assert "Saved." in page.inner_text("#part-family")

    page.click("#part-week a:has-text('Change')")
    for field in ("week_0_morning", "week_1_morning", "week_2_afternoon", "week_3_morning"):
        page.check(f"#f-{field}")
    check_page(page, "counsellor-part-week", axe_source)
    _save(page)
    assert "Monday: Morning (6–12)" in page.inner_text("#part-week")

    page.click("#part-travel a:has-text('Change')")
    page.fill("#f-max_commute_minutes", "40")
    page.select_option("#f-travel_mode", "bike")
    page.check("#f-women_only_workplace")
    page.check("#f-no_night_work")
    page.select_option("#f-exclusion_regions", ["DE40"])
    check_page(page, "counsellor-part-travel", axe_source)
    _save(page)
    assert "Brandenburg, Germany" in page.inner_text("#part-travel")

    page.click("#part-history a:has-text('Change')")
    page.fill("#f-education_0_what", "Tailoring")
    page.select_option("#f-education_0_country", label="Syria")
    page.fill("#f-education_0_to", "2012")
    page.fill("#f-work_0_what", "Seamstress")
    page.select_option("#f-work_0_country", label="Syria")
    page.fill("#f-work_0_from", "2013")
    page.fill("#f-work_0_to", "2018")
    page.fill("#f-work_0_from", "20")
    _save(page)
    page.wait_for_selector("#e-work_0_from")
    check_page(page, "counsellor-part-history-errors", axe_source)
    page.fill("#f-work_0_from", "2013")
    _save(page)
    assert "Seamstress (2013–2018)" in page.inner_text("#part-history")

    page.click("#part-languages a:has-text('Change')")
    page.select_option("#f-new_language", label="French")
    page.select_option("#f-new_language_level", "B1")
    check_page(page, "counsellor-part-languages", axe_source)
    _save(page)
    assert "French" in page.inner_text("#part-languages")

    page.click("#part-goals a:has-text('Change')")
    page.wait_for_url("**/profile/goals")
    page.wait_for_load_state("networkidle")  # htmx is loaded (deferred) before she types
    page.locator("#f-new_occupation").press_sequentially("cook", delay=50)
    # The first search in a language builds its index on this shared server: allow for it.
    page.wait_for_selector("#new_occupation-suggestions input[type=radio] >> nth=1", timeout=90_000)
    page.locator("#new_occupation-suggestions input[type=radio]").nth(1).check()
    page.check("#f-sector-textile")
    page.check("#f-sector-food")
    page.fill("#f-monthly_income_target", "1600")
    check_page(page, "counsellor-part-goals", axe_source)
    _save(page)
    goals = page.inner_text("#part-goals")
    assert "Sewing and textiles" in goals and "1600" in goals and "—" not in goals.split("aiming for")[1][:4]
    check_page(page, "counsellor-profile-full", axe_source)
    assert "data.europa.eu" not in page.inner_text("main") and "DE30" not in page.inner_text("main")

    # The duplicate check: the same name and year of birth asks before a second record.
    page.goto("/people/new")
    page.fill("#f-display_name", "amina k.")
    page.fill("#f-birth_year", "1994")
    page.select_option("#f-region", label="Berlin")
    page.click("button:has-text('Add her')")
    page.wait_for_selector("#duplicate-warning")
    check_page(page, "counsellor-intake-duplicate", axe_source)

    # 7. The caseload: search by name.
    page.goto("/caseload")
    page.fill("#f-q", "amina")
    page.click("form.filters button:has-text('Show')")
    page.wait_for_url("**/caseload?q=amina**")
    listed = page.inner_text("table.list tbody")
    assert "Amina K." in listed and "Joy A." not in listed
    check_page(page, "counsellor-caseload-search", axe_source)
    page.click("section[aria-labelledby=followups-heading] button:has-text('Seen')")
    page.wait_for_load_state("networkidle")
    assert "She asked for a pause" not in page.inner_text("main")

    # 6. Follow-ups coming up on her profile.
    page.goto(f"/people/{other_id}")
    assert "Coming up this week" in page.inner_text("section[aria-labelledby=followups-heading]")

    # 8. A permission until a date: a shortcut fills the date.
    page.goto(f"{profile_url}/consents")
    page.check("#d-days-180")
    assert page.input_value("#f-until") == (datetime.now().date() + timedelta(days=180)).isoformat()
    check_page(page, "counsellor-consents", axe_source)
    page.check("#p-reporting")
    page.click("button:has-text('Give this permission')")
    page.wait_for_load_state("networkidle")
    assert "anonymous statistics" in page.inner_text("main").lower() or "statistics" in page.inner_text("main")

    # 10. Her CV in the language she chooses, and as printed.
    page.goto(profile_url)
    page.click("a:has-text('Print a CV for her')")
    page.select_option("#f-language", "de")
    page.click("form.filters button:has-text('Show')")
    page.wait_for_selector("article.cv[lang=de]")
    cv = page.inner_text("article.cv")
    assert "Berufserfahrung" in cv and "Seamstress" in cv and "Arabisch" in cv
    for secret in ("Berlin", "Text messages", "Neue Wege"):
        assert secret not in cv
    check_page(page, "counsellor-cv", axe_source)
    page.emulate_media(media="print")
    page.screenshot(path="tests/artifacts/screenshots/counsellor-cv-print.png", full_page=True)
    page.emulate_media(media="screen")

    # Arabic, right to left.
    page.goto(profile_url)
    page.click("footer button[value=ar]")
    page.wait_for_selector("html[dir=rtl]")
    check_page(page, "counsellor-profile-rtl", axe_source)
    page.click("footer button[value=en]")
    page.wait_for_selector("html[dir=ltr]")

    # 9. Closing the case with a reason; reopening.
    page.click("a:has-text('Close the case')")
    page.click("main form button:has-text('Close the case')")
    page.wait_for_selector("#e-reason")
    check_page(page, "counsellor-close-errors", axe_source)
    page.check("#r-moved_away")
    page.click("main form button:has-text('Close the case')")
    page.wait_for_selector("#case-closed")
    assert "Moved away" in page.inner_text("#case-closed") and "anonymised on" in page.inner_text("#case-closed")
    check_page(page, "counsellor-closed", axe_source)
    page.click("button:has-text('Reopen the case')")
    page.wait_for_selector("text=The case is open again.")
    sign_out(page)


def test_the_permission_form_on_a_phone(site: Site, phone: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        survivor = await factory.survivor(ngo, counsellor, display_name="Nadia P.")
        return counsellor.email, str(survivor.id)

    email, survivor_id = site.seed(build)
    page = phone.new_page()
    sign_in(page, email)
    page.goto(f"/people/{survivor_id}/consents")
    radio, label = page.locator("#d-days-90").bounding_box(), page.locator("label[for=d-days-90]").bounding_box()
    assert radio and label and abs((radio["y"] + radio["height"] / 2) - (label["y"] + label["height"] / 2)) < 12
    assert radio["width"] < 40  # beside its label, not stretched across the screen
    check_page(page, "counsellor-consents-phone", axe_source)
    page.goto(f"/people/{survivor_id}/profile/week")
    check_page(page, "counsellor-part-week-phone", axe_source)
