"""Retention: the worker anonymises closed cases after the configured period, not before, and
running it twice has one effect."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from service.domain.accounts.models import User
from service.domain.datarights.retention import anonymise_closed
from service.domain.followups.models import FollowUp
from service.domain.survivors.models import Survivor
from service.kernel.audit import AuditEvent
from service.settings import Settings
from service.worker import registered_jobs
from tests.support.datarights import SECRETS, findings, orm_dump, rich_case
from tests.support.factories import Factory


def _with_days(settings: Settings, days: int) -> Settings:
    return dataclasses.replace(settings, worker=dataclasses.replace(settings.worker, retention_closed_days=days))


async def _close(factory: Factory, survivor_id: object, days_ago: int) -> None:
    async with factory.alchemy.get_session() as db:
        closed = datetime.now(UTC) - timedelta(days=days_ago)
        await db.execute(update(Survivor).where(Survivor.id == survivor_id).values(closed_at=closed))
        await db.commit()


async def test_a_closed_case_is_kept_until_the_period_ends(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await rich_case(client, factory)
    await _close(factory, case.survivor.id, days_ago=29)
    assert await anonymise_closed(_with_days(settings, 30), factory.alchemy) == 0
    assert findings(await orm_dump(factory), SECRETS)


async def test_a_closed_case_is_anonymised_after_the_period(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await rich_case(client, factory)
    open_case = await factory.survivor(case.ngo, case.counsellor, display_name="Still supported")
    await _close(factory, case.survivor.id, days_ago=31)
    assert await anonymise_closed(_with_days(settings, 30), factory.alchemy) == 1
    dump = await orm_dump(factory)
    dump.pop("audit_event")
    assert findings(dump, [*SECRETS, case.survivor_user.email]) == []
    async with factory.alchemy.get_session() as db:
        row = await db.get(Survivor, case.survivor.id)
        assert row is not None and row.readiness == "anonymised" and row.user_id is None and row.region == "DE30"
        assert await db.get(User, case.survivor_user.id) is None
        # Countable facts stay: her follow-up answers (without free text) and the other case.
        assert await db.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.survivor_id == row.id)) > 0
        assert (await db.get(Survivor, open_case.id)).display_name == "Still supported"  # type: ignore[union-attr]
        audited = await db.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "survivor.anonymise")
        )
    assert audited == 1
    # Idempotent: a second run finds nothing to do.
    assert await anonymise_closed(_with_days(settings, 30), factory.alchemy) == 0


def test_the_retention_job_is_registered() -> None:
    assert "retention" in registered_jobs()
