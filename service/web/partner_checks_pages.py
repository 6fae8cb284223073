"""A partner's checks as a checklist: each item with its evidence, who checked and until when,
and a form to record one (partner_checks decides who may and what counts)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import Organisation, User
from service.domain.opportunities import partner_checks
from service.domain.opportunities.check_schemas import CheckCreate
from service.kernel.audit import record
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web.forms import N_, FormField, read_form, validate
from service.web.rendering import PageDep, see_other

CHECKERS = roles(Role.ADMIN, Role.COORDINATOR)
KIND_NAMES = {
    "registration": N_("Registration number looked up"),
    "licence": N_("Labour inspection or licence, where one applies"),
    "contact": N_("A visit or a call"),
    "references": N_("References"),
}
OUTCOME_NAMES = {"passed": N_("Passed"), "failed": N_("Not passed"), "not_applicable": N_("Does not apply")}
STATE_NAMES = {
    "missing": N_("Not done yet"),
    "failed": N_("Not passed"),
    "expired": N_("Ran out: please renew"),
    "renew": N_("Runs out soon: please renew"),
    "current": N_("Done"),
}
FIELDS = (
    FormField("kind", "text", N_("Please choose which check you made.")),
    FormField("outcome", "text", N_("Please choose the outcome.")),
    FormField("evidence", "text", N_("Please describe what you saw or heard (3 to 1000 characters).")),
)
ONLY_LICENCE = N_("Only the licence check can be marked as not applying.")


async def _page(page: Any, db: AsyncSession, org: Organisation, status: int = 200, **form: Any) -> Any:
    items = await partner_checks.checklist(db, org.id)
    people = {item.check.checked_by_id for item in items if item.check and item.check.checked_by_id}
    orgs = {item.check.checked_by_org_id for item in items if item.check and item.check.checked_by_org_id}
    names: dict[Any, str] = {}
    if people:
        for user in (await db.scalars(select(User).where(User.id.in_(people)))).all():
            names[user.id] = user.display_name or user.email
    org_names: dict[Any, str] = {}
    if orgs:
        found = await db.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(orgs)))
        org_names = dict(found.tuples().all())
    return page.render(
        "review/partner_checks.html",
        status=status,
        organisation=org,
        items=items,
        complete=all(item.satisfied for item in items),
        checker_names=names,
        checker_orgs=org_names,
        kind_names={code: page.t(label) for code, label in KIND_NAMES.items()},
        outcome_names={code: page.t(label) for code, label in OUTCOME_NAMES.items()},
        state_names={code: page.t(label) for code, label in STATE_NAMES.items()},
        values=form.get("values", {}),
        errors=form.get("errors", {}),
    )


class PartnerCheckPages(Controller):
    """`/review/partners/{id}/checks`: the checklist and the form to record a check."""

    path = "/review/partners/{org_id:uuid}/checks"

    @get("/", opt=CHECKERS)
    async def checks(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> Any:
        """Every item with its latest check; audited."""
        org = await partner_checks.partner_for_checks(db_session, actor, org_id, alchemy)
        await record(db_session, actor, "partner.checks.read", "organisation", org.id)
        return await _page(page, db_session, org)

    @post("/", opt=CHECKERS, status_code=303)
    async def record_check(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> Response[Any]:
        """Record one check (valid for a year); every wrong field is named, nothing is written."""
        org = await partner_checks.partner_for_checks(db_session, actor, org_id, alchemy)
        values, errors = read_form(await request.form(), FIELDS)
        data = validate(values, CheckCreate, FIELDS, errors)
        if isinstance(data, CheckCreate):
            try:
                await partner_checks.record_check(
                    db_session, actor, org.id, data.kind, data.outcome, data.evidence, alchemy
                )
            except ValidationException:
                errors["outcome"] = ONLY_LICENCE
            else:
                return see_other(f"/review/partners/{org.id}/checks")
        return await _page(page, db_session, org, 400, values=values, errors=errors)


CONTROLLERS = (PartnerCheckPages,)
