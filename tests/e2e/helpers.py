"""Steps shared by the browser journeys: sign in, and check a page (screenshot + axe-core)."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import SCREENSHOTS
from tests.support.factories import PASSWORD

SERIOUS = ("serious", "critical")


def sign_in(page: Any, email: str, code: str | None = None, password: str = PASSWORD) -> None:
    """Fill the sign-in form as a person would, and wait for the next page."""
    page.goto("/login")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    if code:
        page.fill("#f-totp", code)
    with page.expect_response(lambda response: response.url.endswith("/login") and response.request.method == "POST"):
        page.click("form[action='/login'] button[type=submit]")
    # The sign-in page is boosted (htmx swaps the next page in): wait for the swap itself.
    page.wait_for_selector("form[action='/login']", state="detached")
    page.wait_for_load_state("networkidle")


def sign_out(page: Any) -> None:
    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login")


def check_page(page: Any, name: str, axe_source: str) -> None:
    """Screenshot the page, then run axe-core: no serious or critical violation allowed.

    axe is evaluated through DevTools rather than added as a <script> tag: our CSP
    (`script-src 'self'`) rightly refuses inline scripts, and the journeys keep it enforced.
    """
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                               target: v.nodes[0] && v.nodes[0].target.join(' ')}));
        }"""
    )
    serious = [violation for violation in violations if violation["impact"] in SERIOUS]
    assert serious == [], f"{name}: {serious}"
