"""Each audience's main journey in a real browser: sign in, do the job, sign out."""

from __future__ import annotations

from typing import Any

from service.domain.accounts.crypto import totp_now
from service.web.paging import PAGE_SIZE
from tests.e2e.conftest import Site
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.factories import Factory, share_consent


def test_counsellor_opens_her_caseload_and_edits_a_profile(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        survivor = await factory.survivor(ngo, counsellor, display_name="Mira K.", region="DE30")
        await share_consent(factory, survivor, await factory.org("partner", name="Care Home Linde (e2e)"))
        return counsellor.email, str(survivor.id)

    email, survivor_id = site.seed(build)
    page = context.new_page()
    sign_in(page, email)
    assert page.url.endswith("/caseload")
    check_page(page, "counsellor-caseload", axe_source)
    page.click("text=Mira K.")
    check_page(page, "counsellor-profile", axe_source)
    page.click(f"a[href='/people/{survivor_id}/edit']")  # "Change" on the part about her
    check_page(page, "counsellor-edit", axe_source)
    page.fill("#f-birth_year", "nineteen ninety")
    page.click("button:has-text('Save')")
    assert page.locator("#e-birth_year").is_visible()
    check_page(page, "counsellor-edit-errors", axe_source)
    page.fill("#f-birth_year", "1990")
    page.select_option("#f-region", label="Brandenburg")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/people/{survivor_id}**")
    facts = page.inner_text("main")
    assert "Brandenburg" in facts and "DE40" not in facts and "1990" in facts
    page.click("text=Permissions")
    check_page(page, "counsellor-consents", axe_source)
    sign_out(page)


def test_a_coordinator_pages_through_a_large_caseload(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        ngo = await factory.org()
        coordinator = await factory.user("coordinator", ngo)
        for index in range(PAGE_SIZE + 2):
            await factory.survivor(ngo, None, display_name=f"Person {index:02d} (e2e)")
        return coordinator.email, factory.totp_secrets[coordinator.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    assert "Page 1 of 2" in page.inner_text("main")
    page.click("nav.pages >> text=Next page")
    page.wait_for_url("**/caseload?page=2")
    assert page.locator("table.list tbody tr").count() == 2
    check_page(page, "counsellor-caseload-page-2", axe_source)
    page.click("nav.pages >> text=Previous page")
    page.wait_for_url("**/caseload?page=1")
    assert page.locator("table.list tbody tr").count() == PAGE_SIZE
    sign_out(page)


def test_survivor_pauses_suggestions_and_withdraws_a_consent(site: Site, phone: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> str:
        ngo = await factory.org()
        survivor = await factory.survivor(ngo, await factory.user("counsellor", ngo))
        await share_consent(factory, survivor, await factory.org("partner", name="Bakery Morgen (e2e)"))
        return (await factory.user("survivor", ngo, survivor=survivor)).email

    email = site.seed(build)
    page = phone.new_page()
    sign_in(page, email)
    page.wait_for_selector("#pace-heading")
    assert page.title() == "Notes"
    check_page(page, "survivor-space", axe_source)
    page.click("button:has-text('Not now')")
    page.wait_for_selector("text=Suggestions are paused")
    page.click(".consents button:has-text('Withdraw')")
    page.wait_for_selector("text=Withdrawn on")
    check_page(page, "survivor-space-paused-withdrawn", axe_source)
    assert page.locator(".consents button:has-text('Withdraw')").count() == 0
    sign_out(page)


def test_coordinator_signs_in_with_a_code_and_lists_accounts(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str, str]:
        ngo = await factory.org()
        coordinator = await factory.user("coordinator", ngo)
        colleague = await factory.user("counsellor", ngo)
        return coordinator.email, factory.totp_secrets[coordinator.id], colleague.email

    email, secret, colleague = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    page.click("nav >> text=Accounts")
    assert colleague in page.inner_text("table")
    check_page(page, "coordinator-accounts", axe_source)
    page.click("text=Invite someone")
    check_page(page, "coordinator-new-account", axe_source)
    page.click("nav >> text=Organisations")
    check_page(page, "coordinator-organisations", axe_source)
    sign_out(page)


def test_partner_sees_her_organisation(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        partner = await factory.user("partner", await factory.org("partner", name="Hotel Aurora (e2e)"))
        return partner.email, factory.totp_secrets[partner.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    assert "Hotel Aurora (e2e)" in page.inner_text("h1")
    check_page(page, "partner-organisation", axe_source)
    sign_out(page)
