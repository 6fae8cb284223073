"""Helpers for page tests: sign in through the login form, read values out of pages, list the page routes."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from service.asgi import create_app
from service.domain.accounts.models import User
from service.domain.survivors.models import Consent, Survivor
from tests.conftest import make_settings
from tests.support.factories import PASSWORD, Factory

_CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def csrf_in(html: str) -> str:
    """The CSRF token a page embeds in its forms."""
    found = _CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


async def sign_in(client: AsyncTestClient, factory: Factory, user: User, password: str = PASSWORD) -> str:
    """Sign in with the login form, as a browser does; returns the session's CSRF token."""
    form = await client.get("/login")
    data = {"email": user.email, "password": password, "_csrf": csrf_in(form.text)}
    code = factory.code(user)
    if code:
        data["totp"] = code
    response = await client.post("/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    landing = await client.get(response.headers["location"])
    return csrf_in(landing.text)


async def stored_survivor(factory: Factory, survivor_id: object) -> Survivor:
    async with factory.alchemy.get_session() as db:
        row = await db.get(Survivor, survivor_id)
        assert row is not None
        return row


async def stored_consent(factory: Factory, consent_id: object) -> Consent:
    async with factory.alchemy.get_session() as db:
        row = await db.get(Consent, consent_id)
        assert row is not None
        return row


def page_gets() -> list[str]:
    """Every GET page (handlers in service/web) that is not public, with a placeholder id for every path parameter."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    found = set()
    for route in app.routes:
        for method, (handler, *_) in getattr(route, "route_handler_map", {}).items():
            if method == "GET" and handler.fn.__module__.startswith("service.web") and not handler.opt.get("public"):
                found.add(re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", route.path_format))
    return sorted(found)
