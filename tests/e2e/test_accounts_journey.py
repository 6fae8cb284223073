"""Account lifecycle in a real browser: an invitation and a password reset travel through a
real SMTP server to a first sign-in; an administrator deactivates and reactivates an account."""

from __future__ import annotations

from email.message import Message
from typing import Any

from service.domain.accounts.crypto import totp_now
from service.worker import outbox_tick
from tests.e2e.conftest import Site, Watch, open_context
from tests.e2e.helpers import check_page, sign_in, sign_out
from tests.support.accounts import NEW_PASSWORD, link_in, mail_settings
from tests.support.factories import PASSWORD, Factory
from tests.support.smtp_sink import smtp_sink


def send_mail(site: Site) -> list[Message]:
    """Run the worker's outbox tick against a real SMTP server; links point at the test site."""

    async def run(factory: Factory) -> list[Message]:
        with smtp_sink() as sink:
            await outbox_tick(mail_settings(factory.settings, sink.port, public_url=site.url), factory.alchemy)
        return sink.messages

    return site.seed(run)


def choose_password(page: Any, name: str, axe_source: str) -> None:
    page.fill("#f-password", NEW_PASSWORD)
    page.fill("#f-password_again", "not the same at all")
    page.click("form button[type=submit]")
    page.wait_for_selector("#e-password_again")
    check_page(page, f"{name}-errors", axe_source)
    page.fill("#f-password", NEW_PASSWORD)
    page.fill("#f-password_again", NEW_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("a.button[href='/login']")
    check_page(page, f"{name}-saved", axe_source)


def test_an_invitation_travels_by_email_to_her_first_sign_in(
    site: Site, context: Any, browser: Any, watch: Watch, axe_source: str
) -> None:
    async def build(factory: Factory) -> dict[str, str]:
        ngo = await factory.org(name="Harbour Counselling")
        admin = await factory.user("admin")
        return {"email": admin.email, "secret": factory.totp_secrets[admin.id], "ngo": str(ngo.id)}

    world = site.seed(build)
    page = context.new_page()
    sign_in(page, world["email"], code=totp_now(world["secret"]))
    page.click("a:has-text('Invite someone')")
    page.wait_for_selector("#f-email")
    page.fill("#f-email", "lena@example.org")
    page.fill("#f-display_name", "Lena")
    page.select_option("#f-role", "counsellor")
    page.select_option("#f-organisation_id", world["ngo"])
    page.select_option("#f-locale", "de")
    check_page(page, "accounts-invite-form", axe_source)
    page.click("button:has-text('Send the invitation')")
    page.wait_for_url("**/directory/users")
    assert "lena@example.org" in page.inner_text("table.list")
    check_page(page, "accounts-users-invited", axe_source)
    sign_out(page)

    [email] = send_mail(site)
    assert email["To"] == "lena@example.org"
    path, token = link_in(email)
    # Her own browser: nothing of the administrator's visit (language cookie) carries over.
    her_browser = open_context(browser, site, watch, viewport={"width": 1100, "height": 900})
    invitee = her_browser.new_page()
    invitee.goto(f"{path}?token={token}")
    assert invitee.locator("html").get_attribute("lang") == "de"
    assert "lena@example.org" in invitee.inner_text("main")
    check_page(invitee, "accounts-welcome", axe_source)
    choose_password(invitee, "accounts-welcome", axe_source)
    invitee.click("a.button[href='/login']")
    sign_in(invitee, "lena@example.org", password=NEW_PASSWORD)
    assert invitee.url.endswith("/caseload")
    check_page(invitee, "accounts-first-sign-in", axe_source)
    invitee.goto(f"{path}?token={token}")
    assert "Link" in invitee.inner_text("h1")  # "Dieser Link funktioniert nicht mehr"
    check_page(invitee, "accounts-link-gone", axe_source)
    her_browser.close()


def test_a_password_reset_travels_by_email_to_a_sign_in(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> str:
        ngo = await factory.org()
        return (await factory.user("counsellor", ngo, email="forgetful@example.org")).email

    address = site.seed(build)
    page = context.new_page()
    page.goto("/login")
    page.click("a:has-text('Forgot your password?')")
    page.wait_for_selector("#f-email")
    page.fill("#f-email", address)
    check_page(page, "accounts-reset-form", axe_source)
    page.click("button:has-text('Send the link')")
    page.wait_for_selector("text=Check your email")
    check_page(page, "accounts-reset-sent", axe_source)

    [email] = send_mail(site)
    path, token = link_in(email)
    assert path == "/account/new-password"
    page.goto(f"{path}?token={token}")
    check_page(page, "accounts-new-password", axe_source)
    choose_password(page, "accounts-new-password", axe_source)
    page.click("a.button[href='/login']")
    sign_in(page, address, password=NEW_PASSWORD)
    assert page.url.endswith("/caseload")


def test_an_administrator_deactivates_and_reactivates_an_account(
    site: Site, context: Any, browser: Any, watch: Watch, axe_source: str
) -> None:
    async def build(factory: Factory) -> dict[str, str]:
        ngo = await factory.org(name="Riverside Support")
        counsellor = await factory.user("counsellor", ngo, email="sam@example.org")
        admin = await factory.user("admin")
        return {"email": admin.email, "secret": factory.totp_secrets[admin.id], "counsellor": counsellor.email}

    world = site.seed(build)
    # She is signed in elsewhere while the administrator works.
    her_browser = open_context(browser, site, watch, viewport={"width": 1100, "height": 900})
    hers = her_browser.new_page()
    sign_in(hers, world["counsellor"])
    assert hers.url.endswith("/caseload")

    page = context.new_page()
    sign_in(page, world["email"], code=totp_now(world["secret"]))
    page.click(f"a:has-text('{world['counsellor']}')")
    page.wait_for_selector("#actions-heading")
    assert "Riverside Support" in page.inner_text("dl.facts")
    check_page(page, "accounts-user-detail", axe_source)
    page.click("button:has-text('Deactivate this account')")
    page.wait_for_selector("button:has-text('Reactivate this account')")
    assert "Deactivated" in page.inner_text("dl.facts")
    check_page(page, "accounts-user-deactivated", axe_source)

    hers.goto("/caseload")
    assert "/login" in hers.url  # her session ended at once
    hers.fill("#f-email", world["counsellor"])
    hers.fill("#f-password", PASSWORD)
    hers.click("form[action='/login'] button[type=submit]")
    hers.wait_for_selector("[role=alert]")
    assert "/login" in hers.url

    page.click("button:has-text('Reactivate this account')")
    page.wait_for_selector("button:has-text('Deactivate this account')")
    sign_in(hers, world["counsellor"])
    assert hers.url.endswith("/caseload")
    her_browser.close()


def test_a_coordinator_records_partner_checks_with_evidence(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> dict[str, str]:
        coordinator = await factory.user("coordinator", await factory.org())
        partner = await factory.org("partner", vetted=False, name="Corner Bakery (checks)")
        return {"email": coordinator.email, "secret": factory.totp_secrets[coordinator.id], "partner": str(partner.id)}

    world = site.seed(build)
    page = context.new_page()
    sign_in(page, world["email"], code=totp_now(world["secret"]))
    page.goto("/review/partners")
    page.click(f"#partner-{world['partner']} >> text=Checks and evidence")
    page.wait_for_selector("#record-heading")
    page.select_option("#f-kind", "registration")
    page.fill("#f-evidence", "x")
    page.click("button:has-text('Save the check')")
    page.wait_for_selector("#e-evidence")
    assert page.locator("#e-outcome").is_visible()
    check_page(page, "accounts-partner-checks-errors", axe_source)
    page.check("#f-outcome")
    page.fill("#f-evidence", "Register entry HRB 4711 seen on the court register.")
    page.click("button:has-text('Save the check')")
    page.wait_for_selector("tr.check-current")
    assert "HRB 4711" in page.inner_text("table.list")
    check_page(page, "accounts-partner-checks", axe_source)


def test_a_coordinator_takes_a_proposal_out_of_a_round(site: Site, context: Any, axe_source: str) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        from tests.support.listings import listing, profile

        ngo = await factory.org()
        coordinator = await factory.user("coordinator", ngo)
        partner = await factory.org("partner", name="Harbour Café (e2e)")
        await listing(factory, partner.id, title="Café helper (e2e)", capacity=2, region="DE60", lat=53.55, lon=9.99)
        for name in ("Dana M.", "Eva P."):
            await factory.survivor(ngo, None, display_name=name, **profile(region="DE60"))
        return coordinator.email, factory.totp_secrets[coordinator.id]

    email, secret = site.seed(build)
    page = context.new_page()
    sign_in(page, email, code=totp_now(secret))
    page.goto("/rounds")
    page.check("#f-kind-job")
    page.click("button:has-text('Compute a proposal')")
    page.wait_for_selector("#assigned-heading")
    assert "The total fit adds up" in page.inner_text("dl.facts")
    first = page.locator("tbody tr").first
    name = first.locator("td a").first.inner_text()
    assert name in ("Dana M.", "Eva P.")
    first.locator("button:has-text('Take out of this round')").click()
    page.wait_for_selector("tr.dropped")
    assert "Taken out of this round by a coordinator before accepting." in page.inner_text("main")
    check_page(page, "accounts-round-dropped", axe_source)
    page.click("button:has-text('Accept and make the suggestions')")
    page.wait_for_selector("text=Accepted on")
    assert "1 suggestion made" in page.inner_text("main")
