"""Erasure (SECURITY S20): after it, no table (raw or decrypted), no outbox row and no export
mentions her; the audit trail keeps only an opaque id; others' rows survive."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from providers.models import Opportunity
from service.kernel.audit import AuditEvent
from service.messaging.models import OutboxMessage
from tests.support.cases import as_user
from tests.support.datarights import SECRETS, findings, id_forms, orm_dump, raw_dump, rich_case
from tests.support.factories import Factory


async def test_after_erasure_no_table_mentions_her(
    client: AsyncTestClient, factory: Factory, database_url: str
) -> None:
    case = await rich_case(client, factory)
    needles = [*SECRETS, *id_forms(case.survivor.id, case.survivor_user.id), case.survivor_user.email]
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(func.count()).select_from(OutboxMessage)) > 0
    assert findings(await orm_dump(factory), needles), "the case should mention her before erasure"

    csrf = await as_user(client, factory, case.coordinator)
    erased = await client.post("/api/erasures", json={"survivor_id": str(case.survivor.id)}, headers=csrf)
    assert erased.status_code == 200, erased.text
    assert erased.json()["rows"]["survivor"] == 1

    raw = await raw_dump(database_url, skip=frozenset({"audit_event"}))
    assert findings(raw, needles) == []
    decrypted = await orm_dump(factory)
    audit = decrypted.pop("audit_event")
    assert findings(decrypted, needles) == []
    # The audit keeps only opaque ids: no name, no canary, no email.
    assert findings({"audit_event": audit}, [*SECRETS, case.survivor_user.email]) == []
    async with factory.alchemy.get_session() as db:
        actions = (
            await db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(case.survivor.id)))
        ).all()
        assert "survivor.erase" in actions
        # Shared rows are untouched: the partner's listings are still there.
        assert await db.scalar(select(func.count()).select_from(Opportunity)) == 2
    # No export can bring her back, and her own login is gone.
    assert (await client.get(f"/api/survivors/{case.survivor.id}/export")).status_code == 404
    client.cookies.clear()
    relogin = await client.post("/api/auth/login", json={"email": case.survivor_user.email, "password": "x" * 20})
    assert relogin.status_code == 401


async def test_only_a_coordinator_of_her_organisation_may_erase(client: AsyncTestClient, factory: Factory) -> None:
    case = await rich_case(client, factory)
    body = {"survivor_id": str(case.survivor.id)}
    csrf = await as_user(client, factory, case.counsellor)
    assert (await client.post("/api/erasures", json=body, headers=csrf)).status_code == 403
    other = await factory.user("coordinator", await factory.org())
    csrf = await as_user(client, factory, other)
    assert (await client.post("/api/erasures", json=body, headers=csrf)).status_code == 404
    csrf = await as_user(client, factory, case.counsellor)
    assert (await client.get(f"/api/survivors/{case.survivor.id}")).status_code == 200


async def test_her_booked_seat_returns_to_the_pool(client: AsyncTestClient, factory: Factory) -> None:
    from datetime import UTC, datetime

    from providers.models import Booking

    case = await rich_case(client, factory)
    async with factory.alchemy.get_session() as db:
        db.add(Booking(opportunity_id=case.course.id, survivor_id=case.survivor.id, booked_at=datetime.now(UTC)))
        course = await db.get(Opportunity, case.course.id)
        assert course is not None
        course.capacity_left = course.capacity - 1
        await db.commit()
    csrf = await as_user(client, factory, case.coordinator)
    assert (
        await client.post("/api/erasures", json={"survivor_id": str(case.survivor.id)}, headers=csrf)
    ).status_code == 200
    async with factory.alchemy.get_session() as db:
        course = await db.get(Opportunity, case.course.id)
        assert course is not None and course.capacity_left == course.capacity
        assert await db.scalar(select(func.count()).select_from(Booking)) == 0


async def test_her_request_reaches_her_coordinators_until_she_is_erased(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await rich_case(client, factory)
    csrf = await as_user(client, factory, case.survivor_user)
    assert (await client.post("/api/me/erasure-request", headers=csrf)).status_code == 202
    other = await factory.user("coordinator", await factory.org())
    await as_user(client, factory, other)
    assert (await client.get("/api/erasures/requests")).json() == []
    csrf = await as_user(client, factory, case.coordinator)
    pending = (await client.get("/api/erasures/requests")).json()
    assert [row["survivor_id"] for row in pending] == [str(case.survivor.id)]
    assert (
        await client.post("/api/erasures", json={"survivor_id": str(case.survivor.id)}, headers=csrf)
    ).status_code == 200
    assert (await client.get("/api/erasures/requests")).json() == []
