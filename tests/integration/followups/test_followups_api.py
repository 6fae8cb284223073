"""Follow-ups through the API: due and overdue lists in scope, the answer form, early-warning
alerts, milestones set from answers, per-organisation plans, permit expiry, her timeline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from service.domain.followups.jobs import mark_missed
from service.domain.followups.models import FollowUp
from service.domain.followups.plans import ensure_permit_followups
from service.domain.referrals.models import Referral
from service.messaging.models import OutboxMessage
from service.settings import Settings
from tests.support.cases import as_user, make_case, shared_referral
from tests.support.due_followups import due_followups
from tests.support.factories import Factory


async def _placed(client: AsyncTestClient, factory: Factory, case: object, started_days_ago: int) -> list[FollowUp]:
    """Her job referral placed `started_days_ago` days ago, with its plan."""
    referral, _ = await shared_referral(client, factory, case, ["skills"])  # type: ignore[arg-type]
    csrf = await as_user(client, factory, case.counsellor)  # type: ignore[attr-defined]
    for step in ("applied", "accepted", "placed"):
        moved = await client.post(
            f"/api/referrals/{referral}/transition", json={"to": step, "reason": "test"}, headers=csrf
        )
        assert moved.status_code == 200, moved.text
    started = datetime.now(UTC) - timedelta(days=started_days_ago)
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Referral).where(Referral.id == referral).values(started_at=started))
        await db.commit()
        return list((await db.scalars(select(FollowUp).order_by(FollowUp.due_at))).all())


async def test_due_and_overdue_lists_follow_the_caseload(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    other_counsellor = await factory.user("counsellor", case.ngo)
    sibling = await factory.survivor(case.ngo, other_counsellor)
    mine = await due_followups(factory, case.survivor, 2)
    [overdue] = await due_followups(factory, case.survivor, 1, overdue_by=timedelta(days=20))
    theirs = await due_followups(factory, sibling, 1)
    await as_user(client, factory, case.counsellor)
    due = {row["id"] for row in (await client.get("/api/followups?status=due")).json()}
    late = {row["id"] for row in (await client.get("/api/followups?status=overdue")).json()}
    assert due == {str(row.id) for row in mine}
    assert late == {str(overdue.id)}
    await as_user(client, factory, case.coordinator)
    org_due = {row["id"] for row in (await client.get("/api/followups?status=due")).json()}
    assert org_due == {str(row.id) for row in (*mine, *theirs)}
    outsider = await factory.user("coordinator", await factory.org())
    await as_user(client, factory, outsider)
    assert (await client.get("/api/followups?status=due")).json() == []
    assert (await client.get("/api/followups?status=later")).status_code == 400


async def test_an_answer_updates_milestones_she_reached(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    plan = await _placed(client, factory, case, started_days_ago=95)
    csrf = await as_user(client, factory, case.counsellor)
    answer = {"still_there": True, "contract": "formal", "hours_per_week": 30, "monthly_income": 1600}
    answered = await client.post(f"/api/followups/{plan[2].id}/answer", json=answer, headers=csrf)
    assert answered.status_code == 200, answered.text
    assert sorted(answered.json()["milestones_reached"]) == [
        "employed_3_months",
        "first_formal_contract",
        "income_covers_needs",
    ]
    assert answered.json()["risk_flags"] == []
    again = await client.post(f"/api/followups/{plan[2].id}/answer", json=answer, headers=csrf)
    assert again.status_code == 409
    await as_user(client, factory, case.survivor_user)
    timeline = (await client.get("/api/me/milestones")).json()
    assert {row["milestone"] for row in timeline["achievements"]} == {
        "employed_3_months",
        "first_formal_contract",
        "income_covers_needs",
    }
    assert {entry["kind"] for entry in timeline["entries"]} == {"milestone", "referral", "followup"}
    assert all(row["recorded_by_id"] == str(case.counsellor.id) for row in timeline["achievements"])


async def test_income_below_her_target_reaches_no_income_milestone(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    plan = await _placed(client, factory, case, started_days_ago=10)
    csrf = await as_user(client, factory, case.counsellor)
    body = {"still_there": True, "contract": "formal", "monthly_income": 900}
    answered = await client.post(f"/api/followups/{plan[0].id}/answer", json=body, headers=csrf)
    assert answered.json()["milestones_reached"] == ["first_formal_contract"]


async def test_risk_signals_alert_the_counsellor_and_the_coordinator(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    plan = await _placed(client, factory, case, started_days_ago=8)
    csrf = await as_user(client, factory, case.counsellor)
    body = {
        "still_there": False,
        "contract": "informal",
        "problems": "the landlord is her boss",
        "risk_signals": ["employer_housing", "new_debt", "former_exploiter_contact"],
    }
    answered = await client.post(f"/api/followups/{plan[0].id}/answer", json=body, headers=csrf)
    assert answered.status_code == 200, answered.text
    assert answered.json()["risk_flags"] == [
        "employer_housing",
        "former_exploiter_contact",
        "informal_work",
        "job_lost",
        "new_debt",
    ]
    async with factory.alchemy.get_session() as db:
        alerts = (await db.scalars(select(OutboxMessage).where(OutboxMessage.template == "alert"))).all()
    assert {row.recipient_user_id for row in alerts} == {case.counsellor.id, case.coordinator.id}
    assert {row.channel for row in alerts} == {"in_app", "email"}


async def test_a_quiet_answer_raises_no_alert(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    plan = await _placed(client, factory, case, started_days_ago=8)
    csrf = await as_user(client, factory, case.counsellor)
    body = {"still_there": True, "contract": "formal"}
    assert (await client.post(f"/api/followups/{plan[0].id}/answer", json=body, headers=csrf)).status_code == 200
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(OutboxMessage).where(OutboxMessage.template == "alert"))).all() == []


async def test_two_missed_checkins_raise_an_alert(factory: Factory, settings: Settings) -> None:
    case = await make_case(factory)
    old = await due_followups(factory, case.survivor, 2, overdue_by=timedelta(days=40))
    async with factory.alchemy.get_session() as db:
        await db.execute(update(FollowUp).values(status="done"))
        await db.commit()
    async with factory.alchemy.get_session() as db:
        assert await mark_missed(db, settings.worker, datetime.now(UTC)) == 2
        await db.commit()
    async with factory.alchemy.get_session() as db:
        alerts = (await db.scalars(select(OutboxMessage).where(OutboxMessage.template == "missed"))).all()
        flagged = (await db.scalars(select(FollowUp.risk_flags).where(FollowUp.id.in_([r.id for r in old])))).all()
    assert {row.recipient_user_id for row in alerts} == {case.counsellor.id, case.coordinator.id}
    assert ["missed_checkins"] in flagged


async def test_the_organisation_plan_decides_the_checkins(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await as_user(client, factory, case.coordinator)
    changed = await client.put("/api/followups/policy", json={"plan_days": [14, 60, 14]}, headers=csrf)
    assert changed.status_code == 200 and changed.json() == {"plan_days": [14, 60]}
    plan = await _placed(client, factory, case, started_days_ago=0)
    assert [row.kind for row in plan] == ["plan_14d", "plan_60d"]


async def test_a_permit_ending_creates_a_followup_sixty_days_before(factory: Factory) -> None:
    ends = date.today() + timedelta(days=100)
    case = await make_case(
        factory, right_to_work={"permit_kind": "residence_permit_work", "valid_until": ends.isoformat()}
    )
    async with factory.alchemy.get_session() as db:
        assert await ensure_permit_followups(db, datetime.now(UTC)) == 1
        assert await ensure_permit_followups(db, datetime.now(UTC)) == 0
        await db.commit()
        row = await db.scalar(select(FollowUp).where(FollowUp.survivor_id == case.survivor.id))
    assert row is not None and row.kind == "permit_expiry"
    assert row.due_at.date() == ends - timedelta(days=60)
