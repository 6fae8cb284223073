"""JSON API: a partner's checklist, and recording one check."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.opportunities import partner_checks
from service.domain.opportunities.check_models import PartnerCheck
from service.domain.opportunities.check_schemas import CheckCreate, Checklist, ChecklistEntry, CheckRead
from service.kernel.audit import record
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles

CHECKERS = roles(Role.ADMIN, Role.COORDINATOR)


def check_read(row: PartnerCheck) -> CheckRead:
    return CheckRead(
        id=row.id,
        kind=row.kind,
        outcome=row.outcome,
        evidence=row.evidence,
        checked_by_id=row.checked_by_id,
        checked_by_org_id=row.checked_by_org_id,
        checked_at=row.checked_at,
        expires_at=row.expires_at,
    )


async def checklist_read(db: AsyncSession, org_id: UUID, vetting_status: str) -> Checklist:
    items = await partner_checks.checklist(db, org_id)
    return Checklist(
        partner_id=org_id,
        vetting_status=vetting_status,
        complete=all(item.satisfied for item in items),
        items=[
            ChecklistEntry(kind=item.kind.value, state=item.state, check=check_read(item.check) if item.check else None)
            for item in items
        ],
    )


class PartnerCheckController(Controller):
    path = "/api/partners/{org_id:uuid}/checks"
    tags = ["partners"]

    @get("/", operation_id="PartnerChecklist", opt=CHECKERS)
    async def checklist(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, alchemy: AlchemyDep, org_id: FromPath[UUID]
    ) -> Checklist:
        """Each item with its latest check, evidence and who checked; whether all are current."""
        org = await partner_checks.partner_for_checks(db_session, actor, org_id, alchemy)
        await record(db_session, actor, "partner.checks.read", "organisation", org.id)
        return await checklist_read(db_session, org.id, org.vetting_status)

    @post("/", operation_id="RecordPartnerCheck", opt=CHECKERS)
    async def record_check(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
        data: RequestBody[CheckCreate],
    ) -> CheckRead:
        """Record one check with its evidence; valid for a year."""
        row = await partner_checks.record_check(
            db_session, actor, org_id, data.kind, data.outcome, data.evidence, alchemy
        )
        return check_read(row)


ROUTE_HANDLERS = (PartnerCheckController,)
