"""A counsellor's matching journey in a real browser: her suggestions with their reasons and
bundle, proposing one, moving the referral and sharing under her permission, then adding a
skill through the autocomplete; sign in first, sign out last."""

from __future__ import annotations

from typing import Any

from skills.starter import load_starter
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import Factory, share_consent
from tests.support.listings import listing, profile


def test_counsellor_proposes_a_bundle_moves_it_and_adds_a_skill(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        async with factory.alchemy.get_session() as db:
            await load_starter(db)
            await db.commit()
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        partner = await factory.org("partner", name="Green Kitchen (e2e)")
        fields = profile(children=[{"age_years": 3}], display_name="Lina S.", region="DE30")
        survivor = await factory.survivor(ngo, counsellor, **fields)
        await listing(factory, partner.id, title="Kitchen helper (e2e)", languages=[{"code": "de", "level": "A2"}])
        await listing(factory, partner.id, kind="childcare", title="Little Bears nursery (e2e)")
        await listing(factory, partner.id, kind="course", title="Barista course (e2e)", course_level=2)
        await share_consent(factory, survivor, partner)
        return counsellor.email, str(survivor.id)

    email, survivor_id = site.seed(build)
    page = context.new_page()
    sign_in(page, email)
    page.goto(f"/people/{survivor_id}")
    page.click("a:has-text('Suggestions')")
    # The server and its catalogue are shared by every browser test: the catalogue's background
    # check (about once a second) may not have seen the new listings at the first request.
    for _ in range(20):
        page.wait_for_selector("main h1")
        if page.locator("text=Kitchen helper (e2e)").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    page.wait_for_selector("text=Kitchen helper (e2e)")
    assert "Little Bears nursery (e2e)" in page.inner_text("main")
    assert "Why it fits" in page.inner_text("main")
    check_page(page, "matches-suggestions", axe_source)

    page.click("nav[aria-label='Kind of suggestion'] >> text=Courses")
    page.wait_for_url("**/matches?kind=course")
    assert "Barista course (e2e)" in page.inner_text("main")
    assert "Kitchen helper (e2e)" not in page.inner_text("main")
    page.click("nav[aria-label='Kind of suggestion'] >> text=All")

    page.locator("li.card", has_text="Kitchen helper (e2e)").locator(
        "button:has-text('Propose these together')"
    ).click()
    page.wait_for_selector("li.card:has-text('Kitchen helper (e2e)') >> text=Already proposed. Status: Proposed")
    check_page(page, "matches-suggestions-proposed", axe_source)

    page.click("a:has-text('See referrals') >> nth=0")
    page.wait_for_url(f"**/people/{survivor_id}/referrals")
    job_card = page.locator("li.card", has_text="Kitchen helper (e2e)")
    check_page(page, "matches-referrals", axe_source)
    job_card.locator("button:has-text('She is interested')").click()
    page.wait_for_selector("text=Please write a short reason")
    check_page(page, "matches-referrals-error", axe_source)
    job_card = page.locator("li.card", has_text="Kitchen helper (e2e)")
    job_card.locator("input[name=reason]").fill("She would like mornings in a kitchen")
    job_card.locator("button:has-text('She is interested')").click()
    page.wait_for_selector("li.card:has-text('Kitchen helper (e2e)') >> text=Share with this partner")
    page.locator("li.card", has_text="Kitchen helper (e2e)").locator(
        "button:has-text('Share with this partner')"
    ).click()
    page.wait_for_selector("li.card:has-text('Kitchen helper (e2e)') >> text=Profile shared")
    check_page(page, "matches-referrals-shared", axe_source)

    page.goto(f"/people/{survivor_id}/skills")
    page.fill("#f-new_skill", "cleaning")
    page.wait_for_selector("input[name=new_skill_uri][value^='http://data.europa.eu/esco/skill/']")
    check_page(page, "matches-skills-suggestions", axe_source)
    chosen = page.locator("input[name=new_skill_uri]").nth(1)
    chosen_id = chosen.get_attribute("id")
    chosen_name = page.locator(f"label[for='{chosen_id}']").inner_text().split("\n")[0].strip()
    chosen.check()
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/people/{survivor_id}**")
    # the profile is back; her skills page now lists the one she has, by its name
    page.goto(f"/people/{survivor_id}/skills")
    recorded = page.locator("fieldset:has(legend:has-text('Her skills')) .entry .title")
    assert recorded.count() == 1
    assert recorded.first.inner_text().strip()[:12] == chosen_name[:12]

    # The same suggestions in Arabic, right to left, with the explanations translated.
    page.goto(f"/people/{survivor_id}/matches")
    page.click("button[lang=ar]")
    page.wait_for_selector("html[dir=rtl]", state="attached")
    assert page.locator("h1").inner_text() == "الاقتراحات"
    assert "لماذا يناسب" in page.inner_text("main") and "Why it fits" not in page.inner_text("main")
    check_page(page, "matches-suggestions-ar", axe_source)
    sign_out(page)
