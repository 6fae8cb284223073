"""Her own pages and profile show what she entered and what can be shared, never the
counsellor's notes, her shelter or exact location (someone may be watching her phone); the
full record stays in her export."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.support.factories import Factory
from tests.support.pages import sign_in

HIDDEN = {
    "notes": "CANARY-NOTES-counsellor-worries",
    "shelter": "CANARY-SHELTER-house-of-hope",
    "exact_location": "CANARY-LOCATION-Lindenstrasse-4",
    "contact": "CANARY-CONTACT-0151",
    "nationality": "CANARY-NATIONALITY",
}


async def _her(factory: Factory) -> object:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, display_name="Ana", goals={"sectors": ["hospitality"]}, **HIDDEN)
    return await factory.user("survivor", ngo, survivor=survivor)


async def test_her_pages_and_profile_carry_no_note_shelter_or_place(client: AsyncTestClient, factory: Factory) -> None:
    her = await _her(factory)
    csrf = await sign_in(client, factory, her)  # type: ignore[arg-type]
    for path in ("/my", "/my/opportunities", "/my/milestones", "/api/me/profile"):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:200])
        for canary in HIDDEN.values():
            assert canary not in response.text, (path, canary)
    profile = (await client.get("/api/me/profile")).json()
    assert profile["display_name"] == "Ana" and profile["goals"]["sectors"] == ["hospitality"]
    changed = await client.patch("/api/me/profile", json={"readiness": "not_now"}, headers={"x-csrf-token": csrf})
    assert changed.status_code == 200, changed.text
    assert not set(HIDDEN) & set(changed.json())


async def test_her_export_still_holds_the_full_record(client: AsyncTestClient, factory: Factory) -> None:
    her = await _her(factory)
    await sign_in(client, factory, her)  # type: ignore[arg-type]
    export = await client.get("/api/me/export")
    assert export.status_code == 200
    for canary in HIDDEN.values():
        assert canary in export.text
