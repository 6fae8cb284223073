"""SECURITY R7: 20 concurrent bookings of the last place on PostgreSQL → one succeeds, 19 get 409.

Twice: through the service function, each booking in its own session and transaction, all
holding a connection before any of them books (a barrier), so the conditional UPDATE really
races on the server; and through the HTTP API of two real web processes (uvicorn) at once.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from litestar.exceptions import HTTPException
from sqlalchemy import func, select

from providers.models import Booking, Opportunity
from service.domain.accounts.auth import TOKEN_PREFIX
from service.domain.accounts.crypto import token_digest
from service.domain.accounts.models import ApiToken, User
from service.domain.opportunities.bookings import book
from service.kernel.actor import Actor, now_utc
from service.kernel.roles import Role
from service.settings import AppSettings, DatabaseSettings, SecuritySettings, Settings
from tests.support.db import reset_postgres
from tests.support.factories import Factory
from tests.support.servers import start_web_process

CONTENDERS = 20
pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_factory(postgres_url: str) -> AsyncIterator[Factory]:
    await reset_postgres(postgres_url)
    settings = Settings(
        app=AppSettings(debug=False, embedded_worker=False),
        # Enough connections for every contender at once, so none waits in the pool.
        db=DatabaseSettings(url=postgres_url, pool_size=CONTENDERS + 5),
        security=SecuritySettings(cookie_secure=False),
    )
    made = Factory(settings)
    yield made
    await made.close()


async def _last_place(factory: Factory, kind: str) -> Opportunity:
    partner = await factory.org("partner")
    async with factory.alchemy.get_session() as db:
        row = Opportunity(
            organisation_id=partner.id,
            kind=kind,
            status="published",
            title=f"Last {kind} place",
            region="DE30",
            lat=52.5,
            lon=13.4,
            capacity=3,
            capacity_left=1,
            starts_on=date(2027, 1, 4),
        )
        db.add(row)
        await db.commit()
        return row


@pytest.mark.parametrize("kind", ["childcare", "course"])
async def test_twenty_concurrent_bookings_of_the_last_place_give_one_success(pg_factory: Factory, kind: str) -> None:
    factory = pg_factory
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    survivors = [await factory.survivor(ngo) for _ in range(CONTENDERS)]
    place = await _last_place(factory, kind)
    actor = Actor(
        user_id=coordinator.id, role=Role.COORDINATOR, organisation_id=ngo.id, email=coordinator.email, via="token"
    )
    barrier = asyncio.Barrier(CONTENDERS)

    async def contender(survivor_id: object) -> int:
        async with factory.alchemy.get_session() as db:
            await db.connection()  # hold a connection and an open transaction before the race
            await barrier.wait()
            try:
                await book(db, actor, place.id, survivor_id, factory.alchemy)  # type: ignore[arg-type]
            except HTTPException as error:
                await db.rollback()
                return error.status_code
            await db.commit()
            return 201

    statuses = await asyncio.gather(*(contender(survivor.id) for survivor in survivors))

    assert sorted(statuses) == [201] + [409] * (CONTENDERS - 1)
    async with factory.alchemy.get_session() as db:
        left = await db.scalar(select(Opportunity.capacity_left).where(Opportunity.id == place.id))
        bookings = await db.scalar(select(func.count()).select_from(Booking).where(Booking.opportunity_id == place.id))
    assert left == 0
    assert bookings == 1


async def _bearer(factory: Factory, user: User) -> dict[str, str]:
    """A personal API token for the user, written straight into the database."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with factory.alchemy.get_session() as db:
        db.add(
            ApiToken(token_hash=token_digest(raw), prefix=raw[:12], name="race", user_id=user.id, created_at=now_utc())
        )
        await db.commit()
    return {"authorization": f"Bearer {raw}"}


async def test_twenty_concurrent_http_bookings_on_two_web_processes(
    pg_factory: Factory, postgres_url: str, tmp_path: Path
) -> None:
    factory = pg_factory
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivors = [await factory.survivor(ngo, counsellor) for _ in range(CONTENDERS)]
    place = await _last_place(factory, "childcare")
    headers = await _bearer(factory, counsellor)
    env = {"ONWARD_DATABASE_URL": postgres_url, "ONWARD_DATABASE_POOL_SIZE": str(CONTENDERS)}
    servers = [start_web_process(env, tmp_path), start_web_process(env, tmp_path)]
    try:
        clients = [httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) for server in servers]
        responses = await asyncio.gather(
            *(
                clients[index % 2].post(
                    f"/api/opportunities/{place.id}/bookings", json={"survivor_id": str(survivor.id)}
                )
                for index, survivor in enumerate(survivors)
            )
        )
        for client in clients:
            await client.aclose()
    finally:
        for server in servers:
            server.stop()

    assert sorted(response.status_code for response in responses) == [201] + [409] * (CONTENDERS - 1)
    assert {response.json()["detail"] for response in responses if response.status_code == 409} == {
        "capacity_left: no place left"
    }
    async with factory.alchemy.get_session() as db:
        left = await db.scalar(select(Opportunity.capacity_left).where(Opportunity.id == place.id))
        bookings = await db.scalar(select(func.count()).select_from(Booking).where(Booking.opportunity_id == place.id))
    assert (left, bookings) == (0, 1)
