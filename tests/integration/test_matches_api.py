"""GET /api/survivors/{id}/matches: ranked, explained suggestions for one survivor."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.audit.models import AuditEvent
from tests.integration.matches_support import listing, profile, week
from tests.support.factories import Factory


async def _world(factory: Factory) -> tuple[object, object, object, object]:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name="Good Kitchen GmbH")
    survivor = await factory.survivor(ngo, counsellor, **profile())
    return ngo, counsellor, partner, survivor


async def test_counsellor_sees_ranked_explained_matches(client: AsyncTestClient, factory: Factory) -> None:
    ngo, counsellor, partner, survivor = await _world(factory)
    job = await listing(factory, partner.id, title="Kitchen assistant", languages=[{"code": "de", "level": "A2"}])
    await listing(factory, partner.id, kind="course", title="Barista course", course_level=2)
    await factory.login(client, counsellor)

    response = await client.get(f"/api/survivors/{survivor.id}/matches")

    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["opportunity"]["kind"] for item in body["items"]] != []
    first = next(item for item in body["items"] if item["opportunity"]["id"] == str(job.id))
    assert first["opportunity"]["partner"] == "Good Kitchen GmbH"
    assert first["opportunity"]["schedule"] == "Mon-Fri 09:00-13:00"
    assert set(first["contributions"]) >= {"essential_skills", "language", "timetable", "commute"}
    assert any("needs A2 de, has B1" in line for line in first["met"])
    assert first["bundle"] is None
    assert "capacity" not in first["opportunity"] and "pay_amount" not in first["opportunity"]
    assert body["profile_reasons"] == []
