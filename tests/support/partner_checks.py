"""Recording a partner's whole checklist through the API, as a checking coordinator would."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

CHECKLIST = (
    {"kind": "registration", "outcome": "passed", "evidence": "Register entry HRB 12345 seen on the court site."},
    {"kind": "licence", "outcome": "not_applicable", "evidence": "No licence applies to a bakery."},
    {"kind": "contact", "outcome": "passed", "evidence": "Visited the kitchen; spoke with the manager."},
    {"kind": "references", "outcome": "passed", "evidence": "Two NGOs placed people there without complaint."},
)


async def complete_checks(client: AsyncTestClient, org_id: Any, headers: dict[str, str]) -> None:
    for check in CHECKLIST:
        response = await client.post(f"/api/partners/{org_id}/checks", json=check, headers=headers)
        assert response.status_code == 201, response.text


async def checks_done(factory: Any, org_id: Any, checker: Any) -> None:
    """The whole checklist recorded (seeding a world where a partner awaits only the decision)."""
    from service.domain.opportunities.check_models import PartnerCheck
    from service.domain.opportunities.partner_checks import VALID_FOR
    from service.kernel.actor import now_utc

    now = now_utc()
    async with factory.alchemy.get_session() as db:
        for check in CHECKLIST:
            db.add(
                PartnerCheck(
                    organisation_id=org_id,
                    checked_by_id=checker.id,
                    checked_by_org_id=checker.organisation_id,
                    checked_at=now,
                    expires_at=now + VALID_FOR,
                    **check,
                )
            )
        await db.commit()
