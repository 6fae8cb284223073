"""The quick exit, languages (Arabic right to left), CSRF on forms, and reading without JavaScript."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import EXIT_URL, SCREENSHOTS, Site, Watch, open_context
from tests.e2e.helpers import check_page, sign_in
from tests.support.factories import Factory, share_consent


def _survivor(site: Site) -> str:
    async def build(factory: Factory) -> str:
        ngo = await factory.org()
        survivor = await factory.survivor(ngo, await factory.user("counsellor", ngo))
        await share_consent(factory, survivor, await factory.org("partner"))
        return (await factory.user("survivor", ngo, survivor=survivor)).email

    return site.seed(build)


def _on_onward(page: Any, site: Site) -> bool:
    return page.url.startswith(site.url)


def test_quick_exit_leaves_no_way_back_to_onward(site: Site, phone: Any) -> None:
    email = _survivor(site)
    page = phone.new_page()
    sign_in(page, email)
    page.wait_for_selector("#pace-heading")
    page.click("#quick-exit")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert not _on_onward(page, site), page.url


def test_quick_exit_also_signs_her_out(site: Site, phone: Any) -> None:
    email = _survivor(site)
    page = phone.new_page()
    sign_in(page, email)
    page.wait_for_selector("#pace-heading")
    page.click("#quick-exit")
    page.wait_for_url(EXIT_URL)
    # The sign-out beacon is sent as the page unloads and may land a moment later.
    statuses = []
    for _ in range(25):
        statuses.append(phone.request.get(f"{site.url}/api/auth/me").status)
        if statuses[-1] == 401:
            break
        page.wait_for_timeout(200)
    assert statuses[-1] == 401, statuses


def test_escape_twice_is_a_quick_exit_too(site: Site, phone: Any) -> None:
    email = _survivor(site)
    page = phone.new_page()
    sign_in(page, email)
    page.wait_for_selector("#pace-heading")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)


def test_language_switch_to_arabic_turns_the_page_right_to_left(site: Site, context: Any, axe_source: str) -> None:
    page = context.new_page()
    page.goto("/login")
    page.click("button[lang=ar]")
    page.wait_for_selector("html[dir=rtl]", state="attached")
    assert page.locator("h1").inner_text() == "تسجيل الدخول"
    check_page(page, "login-ar", axe_source)
    page.reload()
    assert page.evaluate("document.documentElement.lang") == "ar"


def test_her_language_choice_follows_her_account(site: Site, context: Any, browser: Any, axe_source: str) -> None:
    email = _survivor(site)
    page = context.new_page()
    sign_in(page, email)
    page.click("button[lang=ar]")
    page.wait_for_selector("html[dir=rtl]", state="attached")
    check_page(page, "survivor-space-ar", axe_source)
    elsewhere = browser.new_context(base_url=site.url)
    try:
        other = elsewhere.new_page()
        sign_in(other, email)
        other.wait_for_selector("#pace-heading")
        assert other.evaluate("document.documentElement.dir") == "rtl"
    finally:
        elsewhere.close()


def test_every_language_renders_the_sign_in_page(site: Site, context: Any, axe_source: str) -> None:
    page = context.new_page()
    page.goto("/login")
    for code in ("de", "fr", "it", "ro", "en"):
        page.click(f"button[lang={code}]")
        page.wait_for_selector(f"html[lang={code}]", state="attached")
        check_page(page, f"login-{code}", axe_source)


def test_form_post_without_the_csrf_token_is_refused(site: Site, context: Any) -> None:
    async def build(factory: Factory) -> tuple[str, str]:
        ngo = await factory.org()
        counsellor = await factory.user("counsellor", ngo)
        survivor = await factory.survivor(ngo, counsellor)
        return counsellor.email, str(survivor.id)

    email, survivor_id = site.seed(build)
    page = context.new_page()
    sign_in(page, email)
    page.goto(f"/people/{survivor_id}/edit")
    page.evaluate("document.querySelector('form.stack input[name=_csrf]').remove()")
    page.fill("#f-display_name", "Forged")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.click("button:has-text('Save')")
    assert posted.value.status == 403
    page.goto(f"/people/{survivor_id}")
    assert page.locator("h1").inner_text() != "Forged"


def test_her_page_reads_without_javascript(site: Site, browser: Any) -> None:
    email = _survivor(site)
    watch = Watch()
    watch_context = open_context(browser, site, watch, java_script_enabled=False)
    try:
        page = watch_context.new_page()
        page.goto("/login")
        page.fill("#f-email", email)
        page.fill("#f-password", "correct horse battery staple")
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url("**/my")
        assert page.locator("#pace-heading").is_visible()
        assert page.get_attribute("#quick-exit", "href") == EXIT_URL
        page.screenshot(path=str(SCREENSHOTS / "survivor-space-nojs.png"), full_page=True)
    finally:
        watch_context.close()
    assert watch.foreign == []
