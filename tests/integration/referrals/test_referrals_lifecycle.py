"""Referral lifecycle: every step audited with actor and reason; illegal steps get 409 and a
message; placement writes the follow-up plan; sharing needs her active consent (SECURITY S6)."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from service.domain.followups.models import FollowUp
from service.domain.milestones.models import Achievement
from service.kernel.audit import AuditEvent
from tests.support.cases import as_user, make_case, shared_referral
from tests.support.factories import Factory, share_consent


async def _suggest(client: AsyncTestClient, csrf: dict[str, str], survivor_id: object, opportunity_id: object) -> str:
    created = await client.post(
        f"/api/survivors/{survivor_id}/referrals", json={"opportunity_id": str(opportunity_id)}, headers=csrf
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "suggested"
    return str(created.json()["id"])


async def _move(client: AsyncTestClient, csrf: dict[str, str], referral: str, to: str) -> dict[str, object]:
    moved = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": to, "reason": f"because {to}"}, headers=csrf
    )
    assert moved.status_code == 200, moved.text
    return dict(moved.json())


async def test_placement_walks_the_lifecycle_audited_and_writes_the_plan(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    csrf = await as_user(client, factory, case.counsellor)
    referral = await _suggest(client, csrf, case.survivor.id, case.job.id)
    # She says she is interested herself.
    own = await as_user(client, factory, case.survivor_user)
    mine = await client.get("/api/me/referrals")
    assert [row["id"] for row in mine.json()] == [referral]
    interested = await client.post(f"/api/me/referrals/{referral}/interested", json={"reason": "yes"}, headers=own)
    assert interested.status_code == 200, interested.text
    assert interested.json()["status"] == "interested"
    consent = await share_consent(factory, case.survivor, case.partner, ["skills"])
    shared = await client.post(f"/api/referrals/{referral}/share", json={"consent_id": str(consent.id)}, headers=own)
    assert shared.status_code == 200, shared.text
    csrf = await as_user(client, factory, case.counsellor)
    for step in ("applied", "accepted"):
        await _move(client, csrf, referral, step)
    placed = await _move(client, csrf, referral, "placed")
    assert placed["status"] == "placed" and placed["started_at"]
    events = placed["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [  # type: ignore[union-attr]
        (None, "suggested"),
        ("suggested", "interested"),
        ("interested", "shared"),
        ("shared", "applied"),
        ("applied", "accepted"),
        ("accepted", "placed"),
    ]
    assert all(e["actor_id"] and e["actor_role"] for e in events)  # type: ignore[union-attr]
    assert events[-1]["reason"] == "because placed"  # type: ignore[index]
    async with factory.alchemy.get_session() as db:
        kinds = sorted((await db.scalars(select(FollowUp.kind).where(FollowUp.survivor_id == case.survivor.id))).all())
        audited = await db.scalar(
            select(func.count()).where(AuditEvent.action == "referral.transition", AuditEvent.object_id == referral)
        )
    assert kinds == sorted(["plan_7d", "plan_30d", "plan_91d", "plan_182d", "plan_365d"])
    assert audited == 6


async def test_illegal_transitions_are_refused_with_409_and_a_reason(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await as_user(client, factory, case.counsellor)
    referral = await _suggest(client, csrf, case.survivor.id, case.course.id)
    skipped = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "applied", "reason": "skip"}, headers=csrf
    )
    assert skipped.status_code == 409
    assert "cannot go from suggested to applied" in skipped.json()["detail"]
    shared = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "shared", "reason": "no consent"}, headers=csrf
    )
    assert shared.status_code == 409 and "consent" in shared.json()["detail"]
    async with factory.alchemy.get_session() as db:
        refusals = await db.scalar(
            select(func.count()).where(
                AuditEvent.action == "referral.transition",
                AuditEvent.object_id == referral,
                AuditEvent.outcome == "denied",
            )
        )
    assert refusals == 2  # each refused step is kept in the audit, not only the ones that happened
    await _move(client, csrf, referral, "interested")
    consent = await share_consent(factory, case.survivor, case.partner, ["skills"])
    assert (
        await client.post(f"/api/referrals/{referral}/share", json={"consent_id": str(consent.id)}, headers=csrf)
    ).status_code == 200
    await _move(client, csrf, referral, "applied")
    await _move(client, csrf, referral, "accepted")
    placed = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "placed", "reason": "wrong kind"}, headers=csrf
    )
    assert placed.status_code == 409 and "enrolled" in placed.json()["detail"]
    await _move(client, csrf, referral, "enrolled")
    await _move(client, csrf, referral, "completed")
    final = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "dropped", "reason": "after the end"}, headers=csrf
    )
    assert final.status_code == 409 and "final status" in final.json()["detail"]
    async with factory.alchemy.get_session() as db:
        course_done = await db.scalar(
            select(func.count()).where(
                Achievement.survivor_id == case.survivor.id, Achievement.milestone == "course_completed"
            )
        )
    assert course_done == 1


async def test_the_same_listing_is_suggested_once(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await as_user(client, factory, case.counsellor)
    await _suggest(client, csrf, case.survivor.id, case.job.id)
    again = await client.post(
        f"/api/survivors/{case.survivor.id}/referrals", json={"opportunity_id": str(case.job.id)}, headers=csrf
    )
    assert again.status_code == 409


async def test_survivor_may_only_say_interested(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await as_user(client, factory, case.counsellor)
    referral = await _suggest(client, csrf, case.survivor.id, case.job.id)
    own = await as_user(client, factory, case.survivor_user)
    refused = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "applied", "reason": "me"}, headers=own
    )
    assert refused.status_code == 403


async def test_sharing_without_an_active_consent_for_that_partner_fails(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    other_partner = await factory.org("partner")
    csrf = await as_user(client, factory, case.counsellor)
    referral = await _suggest(client, csrf, case.survivor.id, case.job.id)
    await _move(client, csrf, referral, "interested")
    wrong_partner = await share_consent(factory, case.survivor, other_partner, ["skills"])
    withdrawn = await share_consent(factory, case.survivor, case.partner, ["skills"], withdrawn=True)
    expired = await share_consent(factory, case.survivor, case.partner, ["skills"], days=-1)
    for consent in (wrong_partner, withdrawn, expired):
        refused = await client.post(
            f"/api/referrals/{referral}/share", json={"consent_id": str(consent.id)}, headers=csrf
        )
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"].startswith("consent_id:")
    listed = await client.get(f"/api/survivors/{case.survivor.id}/referrals")
    assert listed.json()[0]["status"] == "interested"


async def test_referrals_outside_the_scope_are_not_found(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    stranger = await factory.user("counsellor", case.ngo)
    csrf = await as_user(client, factory, stranger)
    hidden = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "applied", "reason": "x"}, headers=csrf
    )
    missing = await client.post(
        "/api/referrals/00000000-0000-4000-8000-000000000000/transition",
        json={"to": "applied", "reason": "x"},
        headers=csrf,
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
