"""Export (SECURITY S21): her counsellor, her coordinator and she herself download everything
about her as JSON, audited; partners and other caseloads cannot."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.kernel.audit import AuditEvent
from tests.support.cases import CANARIES, as_user
from tests.support.datarights import rich_case
from tests.support.factories import Factory


async def test_her_counsellor_exports_everything_about_her(client: AsyncTestClient, factory: Factory) -> None:
    case = await rich_case(client, factory)
    await as_user(client, factory, case.counsellor)
    response = await client.get(f"/api/survivors/{case.survivor.id}/export")
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    body = response.json()
    assert body["profile"]["display_name"] == CANARIES["display_name"]
    assert body["profile"]["notes"] == CANARIES["notes"]
    assert body["account"]["email"] == case.survivor_user.email
    related = body["related"]
    assert {"consent", "referral", "referral_event", "followup", "milestone_achievement"} <= set(related)
    assert {row["purpose"] for row in related["consent"]} == {"share_with_partner", "reporting"}
    assert any(row["problems"] == "CANARY-PROBLEM-91ab" for row in related["followup"])
    assert "password_hash" not in response.text and "mfa_secret" not in response.text
    async with factory.alchemy.get_session() as db:
        actions = (
            await db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(case.survivor.id)))
        ).all()
    assert "survivor.export" in actions


async def test_she_exports_her_own_data(client: AsyncTestClient, factory: Factory) -> None:
    case = await rich_case(client, factory)
    await as_user(client, factory, case.survivor_user)
    response = await client.get("/api/me/export")
    assert response.status_code == 200, response.text
    assert response.json()["profile"]["id"] == str(case.survivor.id)


async def test_partners_and_other_caseloads_cannot_export(client: AsyncTestClient, factory: Factory) -> None:
    case = await rich_case(client, factory)
    await as_user(client, factory, case.partner_user)
    refused = await client.get(f"/api/survivors/{case.survivor.id}/export")
    assert refused.status_code == 403
    assert all(canary not in refused.text for canary in CANARIES.values())
    assert (await client.get("/api/me/export")).status_code == 403
    await as_user(client, factory, await factory.user("counsellor", case.ngo))
    hidden = await client.get(f"/api/survivors/{case.survivor.id}/export")
    missing = await client.get("/api/survivors/00000000-0000-4000-8000-000000000000/export")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
