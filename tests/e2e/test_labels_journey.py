"""Names, never addresses, in a real browser (issue 13, points 3 to 5): a counsellor whose pages
are in English enters two skills in German for a woman, sees suggestions that name skills and
regions (no ESCO address anywhere on the page), with a bundle drawn as her week, proposes the
bundle and finds its referrals grouped as one proposal."""

from __future__ import annotations

from typing import Any

from skills.starter import load_starter
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import Factory
from tests.support.listings import listing, profile, week

SKILL = "http://data.europa.eu/esco/skill/"
COOKING = f"{SKILL}f3934441-4bff-4076-9945-e6c51a01c467"
SEWING = f"{SKILL}a3ef84f9-c436-437a-bc6f-4956ae13e1eb"
CLEANING = f"{SKILL}4f1b6304-f54a-42f0-9604-5427a28d240f"


def _add_skill(page: Any, survivor_id: str, words: str, name: str, shot: str, axe_source: str) -> None:
    page.goto(f"/people/{survivor_id}/skills")
    page.fill("#f-new_skill", words)
    option = page.locator("#new_skill-suggestions label", has_text=name).first
    option.wait_for()
    assert "(German)" in option.inner_text()
    if shot:
        check_page(page, shot, axe_source)
    option.click()
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/people/{survivor_id}")


def test_counsellor_enters_german_skills_and_proposes_a_bundle_in_names(
    site: Site, context: Any, axe_source: str
) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        async with factory.alchemy.get_session() as db:
            await load_starter(db)
            await db.commit()
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        partner = await factory.org("partner", name="Atelier Mitte (e2e)")
        languages = [{"code": "ro", "level": "native"}, {"code": "de", "level": "B1"}]
        fields = profile(children=[{"age_years": 3}], display_name="Ioana M.", languages=languages)
        survivor = await factory.survivor(ngo, counsellor, **fields)
        await listing(
            factory,
            partner.id,
            title="Canteen and sewing room helper (e2e)",
            essential_skills=[COOKING, SEWING, CLEANING],
            schedule=week("mon-fri", "09:00", "13:00"),
        )
        await listing(factory, partner.id, kind="childcare", title="Kita Sonnenblume (e2e)")
        await listing(factory, partner.id, kind="course", title="Cleaning basics (e2e)", essential_skills=[CLEANING])
        return counsellor.email, str(survivor.id)

    email, survivor_id = site.seed(build)
    page = context.new_page()
    sign_in(page, email)
    assert page.locator("html").get_attribute("lang") == "en"

    _add_skill(page, survivor_id, "Kochen", "use cooking techniques", "labels-skills-kochen", axe_source)
    _add_skill(page, survivor_id, "nähen", "sew pieces of fabric", "", axe_source)
    page.goto(f"/people/{survivor_id}/skills")
    assert "use cooking techniques" in page.inner_text("main") and "sew pieces of fabric" in page.inner_text("main")

    page.goto(f"/people/{survivor_id}/matches")
    for _ in range(20):  # the shared catalogue's background check may not have seen the listings yet
        if page.locator("text=Canteen and sewing room helper (e2e)").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    card = page.locator("li.card", has_text="Canteen and sewing room helper (e2e)")
    text = card.inner_text()
    assert "She already has: use cooking techniques and sew pieces of fabric." in text
    assert "Still to learn: perform cleaning duties." in text
    assert "The course “Cleaning basics (e2e)” in these suggestions teaches perform cleaning duties." in text
    assert "Kita Sonnenblume (e2e)" in text and "Berlin" in text
    assert card.locator("table.week").count() == 1
    visible = page.inner_text("body")
    assert "data.europa.eu" not in visible and "DE30" not in visible
    check_page(page, "labels-matches", axe_source)
    card.locator("table.week").screenshot(path=str(_shots() / "labels-bundle-week.png"))

    card.locator("button:has-text('Propose these together')").click()
    page.wait_for_selector("li.card:has-text('Canteen and sewing room helper (e2e)') >> text=Already proposed")
    page.click("a:has-text('See referrals') >> nth=0")
    page.wait_for_url(f"**/people/{survivor_id}/referrals")
    group = page.locator("li.proposal", has_text="Proposed together: Canteen and sewing room helper (e2e)")
    assert group.count() == 1
    assert group.locator("li.card").count() == 2 and "Kita Sonnenblume (e2e)" in group.inner_text()
    assert "data.europa.eu" not in page.inner_text("body")
    check_page(page, "labels-referrals-grouped", axe_source)
    sign_out(page)


def _shots() -> Any:
    from tests.e2e.conftest import SCREENSHOTS

    return SCREENSHOTS
