"""Survivor profiles through the JSON API."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.support.factories import Factory


async def test_counsellor_lists_only_her_caseload(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    mine, other = await factory.user("counsellor", ngo), await factory.user("counsellor", ngo)
    own = await factory.survivor(ngo, mine)
    await factory.survivor(ngo, other)
    await factory.login(client, mine)
    response = await client.get("/api/survivors")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [str(own.id)]
    assert response.json()["total"] == 1
