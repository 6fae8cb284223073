"""SECURITY S29: no 5xx from any body; deep nesting is refused with 400 before decoding."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from tests.support.factories import Factory

DEEP = 5_000


def _nested(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    return (opener * depth + closer * depth).encode()


@pytest.mark.parametrize(
    "body",
    [
        _nested(DEEP),
        b'{"email": ' + _nested(DEEP) + b', "password": "x"}',
        b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    ],
    ids=["arrays", "inside-an-object", "objects"],
)
async def test_deeply_nested_login_body_gets_400_unauthenticated(client: AsyncTestClient, body: bytes) -> None:
    response = await client.post("/api/auth/login", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert "nest" in response.json()["detail"]


async def test_deeply_nested_body_on_an_authenticated_route_gets_400(client: AsyncTestClient, factory: Factory) -> None:
    headers = await factory.login(client, await factory.user("counsellor", await factory.org()))
    body = b'{"display_name": "A", "region": "DE30", "notes": ' + _nested(2_000) + b"}"
    response = await client.post(
        "/api/survivors", content=body, headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert "nest" in response.json()["detail"]


async def test_brackets_inside_strings_do_not_count_as_nesting(client: AsyncTestClient, factory: Factory) -> None:
    user = await factory.user("counsellor", await factory.org())
    response = await client.post(
        "/api/auth/login",
        json={"email": user.email, "password": "[" * 150 + '\\"{' * 20},
    )
    # A wrong password, not a refused body.
    assert response.status_code == 401, response.text


async def test_ordinary_nesting_is_accepted(client: AsyncTestClient, factory: Factory) -> None:
    headers = await factory.login(client, await factory.user("counsellor", await factory.org()))
    body = {"display_name": "A", "region": "DE30", "languages": [{"code": "de", "level": "B1"}]}
    response = await client.post("/api/survivors", json=body, headers=headers)
    assert response.status_code == 201, response.text
