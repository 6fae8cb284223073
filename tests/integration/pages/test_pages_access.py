"""Page routes behind the same guards as the API: anonymous visitors are sent to sign in,
responses carry the security headers, static files are public and our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from tests.support.pages import page_gets

STATIC = Path(__file__).resolve().parents[3] / "service" / "static"


@pytest.mark.parametrize("path", page_gets())
async def test_anonymous_visitor_is_sent_to_sign_in(client: AsyncTestClient, path: str) -> None:
    response = await client.get(path, follow_redirects=False)
    assert (response.status_code, response.headers.get("location")) == (303, "/login")


async def test_pages_carry_the_security_headers(client: AsyncTestClient) -> None:
    response = await client.get("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_pages_load_nothing_from_other_hosts(client: AsyncTestClient) -> None:
    page = (await client.get("/login")).text
    assert 'src="http' not in page and 'href="http' not in page.replace('href="https://www.wikipedia.org/"', "")


async def test_vendored_htmx_is_served_with_its_licence(client: AsyncTestClient) -> None:
    response = await client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert "Zero-Clause BSD" in (STATIC / "vendor" / "htmx" / "LICENSE").read_text()


def test_templates_hold_no_inline_script_or_style() -> None:
    for template in (STATIC.parent / "templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and " style=" not in text and " on" + "click=" not in text, template


async def test_pages_are_served_as_html(client: AsyncTestClient) -> None:
    for path in ("/login", "/people/00000000-0000-4000-8000-000000000000"):
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
