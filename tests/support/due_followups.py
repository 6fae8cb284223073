"""Due follow-ups in bulk, written straight into the tables (as a plan would write them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from service.domain.accounts.models import Organisation, User
from service.domain.followups.models import FollowUp
from service.domain.survivors.models import Survivor
from tests.support.factories import Factory


async def caseload(factory: Factory, *, with_account: bool = True) -> tuple[Organisation, User, User, Survivor]:
    """An NGO, a counsellor, a coordinator and one survivor (with her own account)."""
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    coordinator = await factory.user("coordinator", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    if with_account:
        await factory.user("survivor", ngo, survivor=survivor)
    return ngo, counsellor, coordinator, survivor


async def due_followups(
    factory: Factory, survivor: Survivor, count: int, *, overdue_by: timedelta = timedelta(minutes=1)
) -> list[FollowUp]:
    now = datetime.now(UTC)
    rows = [
        FollowUp(
            survivor_id=survivor.id,
            kind="plan_7d",
            due_at=now - overdue_by - timedelta(seconds=index),
            idempotency_key=f"test:{uuid4()}",
        )
        for index in range(count)
    ]
    async with factory.alchemy.get_session() as db:
        db.add_all(rows)
        await db.commit()
    return rows
