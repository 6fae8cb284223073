"""A full case about one survivor (profile with canaries, consents, a shared and placed job
referral with its follow-up plan, an answered follow-up with milestones, messages), and a
scanner that reads every table both raw and through the ORM (decrypted)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
from advanced_alchemy.base import orm_registry
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

import service.db.models  # noqa: F401
from service.domain.followups.models import FollowUp
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Consent
from tests.support.cases import CANARIES, Case, as_user, make_case, shared_referral
from tests.support.factories import Factory


async def rich_case(client: AsyncTestClient, factory: Factory) -> Case:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills", "region"])
    csrf = await as_user(client, factory, case.counsellor)
    for step in ("applied", "accepted", "placed"):
        moved = await client.post(
            f"/api/referrals/{referral}/transition", json={"to": step, "reason": "ok"}, headers=csrf
        )
        assert moved.status_code == 200, moved.text
    async with factory.alchemy.get_session() as db:
        await db.execute(
            update(Referral).where(Referral.id == referral).values(started_at=datetime.now(UTC) - timedelta(days=40))
        )
        db.add(Consent(survivor_id=case.survivor.id, purpose="reporting", granted_at=datetime.now(UTC)))
        await db.commit()
        plan = list(
            (await db.scalars(select(FollowUp).where(FollowUp.referral_id == referral).order_by(FollowUp.due_at))).all()
        )
    answer = {"still_there": True, "contract": "formal", "monthly_income": 1600, "problems": "CANARY-PROBLEM-91ab"}
    answered = await client.post(f"/api/followups/{plan[0].id}/answer", json=answer, headers=csrf)
    assert answered.status_code == 200, answered.text
    client.cookies.clear()
    return case


async def raw_dump(database_url: str, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every value of every table, read without the application."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split("///", 1)[1])
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = {
            name: repr(connection.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names if name not in skip
        }
        connection.close()
        return dump
    connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        names = [
            row["tablename"]
            for row in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        ]
        return {name: repr(await connection.fetch(f'SELECT * FROM "{name}"')) for name in names if name not in skip}
    finally:
        await connection.close()


async def orm_dump(factory: Factory) -> dict[str, str]:
    """Every mapped row, decrypted, as text."""
    out: dict[str, str] = {}
    async with factory.alchemy.get_session() as db:
        for mapper in orm_registry.mappers:
            rows = (await db.scalars(select(mapper.class_))).all()
            out[mapper.local_table.name] = repr(  # type: ignore[union-attr]
                [{attr.key: getattr(row, attr.key) for attr in mapper.column_attrs} for row in rows]
            )
    return out


def id_forms(*ids: UUID) -> list[str]:
    """An id as text, as hex, and as the bytes SQLite may store."""
    return [form for value in ids for form in (str(value), value.hex, repr(value.bytes)[2:-1])]


def findings(dump: dict[str, str], needles: list[str]) -> list[tuple[str, str]]:
    return [(table, needle) for table, text in dump.items() for needle in needles if needle in text]


SECRETS: list[str] = [*CANARIES.values(), "CANARY-PROBLEM-91ab"]
__all__ = ["SECRETS", "findings", "id_forms", "orm_dump", "raw_dump", "rich_case"]
