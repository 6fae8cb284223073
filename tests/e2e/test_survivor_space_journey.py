"""Her journey on a phone: her opportunities (filter, "I'm interested", "Not for me"), her steps,
Arabic, the quick exit from the new pages (Back does not return), and reading without JavaScript."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from service.domain.milestones.models import Achievement
from service.domain.referrals.models import Referral
from tests.e2e.conftest import EXIT_URL, Site, Watch, open_context
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import PASSWORD, Factory
from tests.support.listings import listing, profile

_run = itertools.count(1)
PHONE_WIDTH = 360


def _seed(site: Site) -> tuple[str, str, str]:
    """Her account, a job that matches her and a course her counsellor suggested (unique titles:
    the server and its catalogue are shared by every browser test)."""
    n = f"{next(_run)}-{datetime.now(UTC).strftime('%H%M%S%f')}"
    job_title, course_title = f"Laundry assistant {n}", f"Sewing course {n}"

    async def build(factory: Factory) -> str:
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        partner = await factory.org("partner", name=f"Green Laundry {n}")
        survivor = await factory.survivor(ngo, counsellor, **profile())
        await listing(factory, partner.id, title=job_title, languages=[{"code": "de", "level": "A2"}])
        course = await listing(factory, partner.id, kind="course", title=course_title, course_level=1)
        async with factory.alchemy.get_session() as db:
            db.add(
                Referral(
                    survivor_id=survivor.id,
                    opportunity_id=course.id,
                    partner_id=partner.id,
                    status="suggested",
                    created_by_id=counsellor.id,
                )
            )
            db.add(
                Achievement(
                    survivor_id=survivor.id,
                    milestone="bank_account",
                    achieved_on=date(2026, 3, 2),
                    recorded_at=datetime.now(UTC),
                    evidence="statement seen",
                )
            )
            await db.commit()
        return (await factory.user("survivor", ngo, survivor=survivor)).email

    return site.seed(build), job_title, course_title


def _card(page: Any, title: str) -> Any:
    return page.locator("li.card", has_text=title)


def _open_opportunities(page: Any, title: str) -> None:
    """Her opportunities, once the shared catalogue has caught up with the new listing (its
    background check runs about once a second)."""
    page.click("a[href='/my/opportunities'] >> nth=0")
    for _ in range(20):
        page.wait_for_selector("#matched-heading")
        if _card(page, title).count():
            return
        page.wait_for_timeout(500)
        page.reload()
    raise AssertionError(f"{title} never appeared among her matches")


def _fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_her_opportunities_and_steps_on_a_phone(site: Site, phone: Any, axe_source: str) -> None:
    email, job, course = _seed(site)
    page = phone.new_page()
    sign_in(page, email)
    page.wait_for_selector("#ways-heading")
    check_page(page, "survivor_space-my", axe_source)

    _open_opportunities(page, job)
    assert page.title() == "Notes"
    assert _card(page, job).locator(".reasons li").count() >= 1
    assert _card(page, course).count() == 1
    _fits_the_phone(page)
    check_page(page, "survivor_space-opportunities", axe_source)

    page.select_option("#f-kind", "course")
    page.click("form.filter button[type=submit]")
    page.wait_for_url("**/my/opportunities?kind=course")
    assert _card(page, job).count() == 0 and _card(page, course).count() == 1
    check_page(page, "survivor_space-opportunities-course", axe_source)

    _card(page, course).locator("button[value=not_for_me]").click()
    page.wait_for_function("(title) => !document.body.innerText.includes(title)", arg=course)
    page.select_option("#f-kind", "")
    page.click("form.filter button[type=submit]")
    page.wait_for_selector("#matched-heading")
    _card(page, job).locator("button[value=interested]").click()
    page.wait_for_selector("#answered-heading")
    answered = page.locator("section[aria-labelledby=answered-heading]")
    assert job in answered.inner_text() and "Your contact person will talk with you" in answered.inner_text()
    check_page(page, "survivor_space-opportunities-answered", axe_source)

    page.click("nav a[href='/my/milestones']")
    page.wait_for_selector("#reached-heading")
    assert "I opened my own bank account" in page.locator("main").inner_text()
    assert page.title() == "Notes"
    _fits_the_phone(page)
    check_page(page, "survivor_space-milestones", axe_source)

    page.click("button[lang=ar]")
    page.wait_for_selector("html[dir=rtl]", state="attached")
    check_page(page, "survivor_space-milestones-ar", axe_source)
    page.click("nav a[href='/my/opportunities']")
    page.wait_for_selector("#matched-heading")
    _fits_the_phone(page)
    check_page(page, "survivor_space-opportunities-ar", axe_source)
    page.click("button[lang=en]")
    page.wait_for_selector("html[dir=ltr]", state="attached")
    sign_out(page)


@pytest.mark.parametrize("path", ["/my/opportunities", "/my/milestones"])
def test_quick_exit_from_her_new_pages_leaves_no_way_back(site: Site, phone: Any, path: str) -> None:
    email, _, _ = _seed(site)
    page = phone.new_page()
    sign_in(page, email)
    page.click(f"nav a[href='{path}']")
    page.wait_for_url(f"**{path}")
    page.wait_for_load_state("networkidle")
    page.click("#quick-exit")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert not page.url.startswith(site.url), page.url
    statuses = []
    for _ in range(25):  # the sign-out beacon may land a moment after she left
        statuses.append(phone.request.get(f"{site.url}/api/auth/me").status)
        if statuses[-1] == 401:
            break
        page.wait_for_timeout(200)
    assert statuses[-1] == 401, statuses


def test_her_opportunities_work_without_javascript(site: Site, browser: Any) -> None:
    email, job, course = _seed(site)
    watch = Watch()
    context = open_context(
        browser, site, watch, java_script_enabled=False, viewport={"width": PHONE_WIDTH, "height": 740}
    )
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url("**/my")
        assert page.get_attribute("#quick-exit", "href") == EXIT_URL
        for _ in range(20):
            page.goto("/my/opportunities")
            if _card(page, job).count():
                break
            page.wait_for_timeout(500)
        page.select_option("#f-kind", "course")
        page.click("form.filter button[type=submit]")
        page.wait_for_url("**/my/opportunities?kind=course")
        assert _card(page, job).count() == 0 and _card(page, course).count() == 1
        _card(page, course).locator("button[value=interested]").click()
        page.wait_for_url("**/my/opportunities?kind=course")
        assert course in page.locator("section[aria-labelledby=answered-heading]").inner_text()
        page.goto("/my/milestones")
        assert "I opened my own bank account" in page.locator("main").inner_text()
    finally:
        context.close()
    assert watch.foreign == [] and watch.csp == []
