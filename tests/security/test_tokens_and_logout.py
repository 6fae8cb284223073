"""SECURITY S9: logout ends the session and the API tokens created in it.

Chosen over "tokens are separate credentials": a token made from a browser session belongs to
that sign-in, so signing out (on a shared NGO computer, say) leaves nothing behind. A token
made in another session lives until it is revoked, expires, or that session ends.
"""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.support.factories import Factory
from tests.support.pages import sign_in


async def _new_token(client: AsyncTestClient, csrf: dict[str, str]) -> dict[str, str]:
    response = await client.post("/api/auth/tokens", json={"name": "script"}, headers=csrf)
    assert response.status_code == 201, response.text
    return {"authorization": f"Bearer {response.json()['secret']}"}


async def _me(client: AsyncTestClient, bearer: dict[str, str]) -> int:
    saved = dict(client.cookies)
    client.cookies.clear()
    status = (await client.get("/api/auth/me", headers=bearer)).status_code
    for name, value in saved.items():
        client.cookies.set(name, value)
    return status


async def test_api_logout_revokes_the_tokens_created_in_that_session(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    csrf = await factory.login(client, counsellor)
    bearer = await _new_token(client, csrf)
    assert await _me(client, bearer) == 200
    assert (await client.post("/api/auth/logout", headers=csrf)).status_code == 200
    assert await _me(client, bearer) == 401


async def test_page_logout_revokes_the_tokens_created_in_that_session(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    csrf = await sign_in(client, factory, counsellor)
    bearer = await _new_token(client, {"x-csrf-token": csrf})
    response = await client.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert await _me(client, bearer) == 401


async def test_a_token_from_another_session_outlives_this_logout(client: AsyncTestClient, factory: Factory) -> None:
    counsellor = await factory.user("counsellor", await factory.org())
    bearer = await factory.token(client, counsellor)  # its own session, left open
    csrf = await factory.login(client, counsellor)
    assert (await client.post("/api/auth/logout", headers=csrf)).status_code == 200
    assert await _me(client, bearer) == 200
