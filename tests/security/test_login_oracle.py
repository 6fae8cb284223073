"""SECURITY S30: before the second factor, a right password and a wrong one answer alike."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from service.domain.accounts.models import LoginFailure
from tests.support.factories import PASSWORD, Factory
from tests.support.pages import csrf_in

_CSRF_VALUE = re.compile(r'value="[A-Za-z0-9_\-]{20,}"')


async def _api_attempt(client: AsyncTestClient, email: str, password: str) -> tuple[int, dict]:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    body = response.json()
    body.pop("reference", None)
    return response.status_code, body


async def test_api_answers_right_password_without_code_like_a_wrong_password(
    client: AsyncTestClient, factory: Factory
) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    right = await _api_attempt(client, coordinator.email, PASSWORD)
    wrong = await _api_attempt(client, coordinator.email, "not the password at all")
    unknown = await _api_attempt(client, "nobody-here@example.org", PASSWORD)
    assert right[0] == 401
    assert right == wrong == unknown


async def test_right_password_without_code_counts_toward_throttling_like_a_wrong_one(
    client: AsyncTestClient, factory: Factory
) -> None:
    """Otherwise the 429 that wrong passwords earn would, by its absence, confirm a right one."""
    coordinator = await factory.user("coordinator", await factory.org())
    await _api_attempt(client, coordinator.email, PASSWORD)
    async with factory.alchemy.get_session() as db:
        failures = await db.scalar(select(func.count()).select_from(LoginFailure))
    assert failures == 1


async def _page_attempt(client: AsyncTestClient, email: str, password: str) -> tuple[int, str]:
    form = await client.get("/login")
    response = await client.post("/login", data={"email": email, "password": password, "_csrf": csrf_in(form.text)})
    return response.status_code, _CSRF_VALUE.sub('value=""', response.text)


async def test_login_page_answers_right_password_without_code_like_a_wrong_password(
    client: AsyncTestClient, factory: Factory
) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    right = await _page_attempt(client, coordinator.email, PASSWORD)
    wrong = await _page_attempt(client, coordinator.email, "not the password at all")
    assert right[0] == wrong[0] == 401
    assert right[1] == wrong[1]
    # The next step asks for the code, whichever password was typed.
    assert "6-digit code" in right[1]
