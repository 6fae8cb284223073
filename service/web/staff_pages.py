"""Counsellors' and coordinators' pages: caseload, a profile, its editor and its consents.

Every read and write goes through the same services as the JSON API (SurvivorService with its
`visible_to` scope, `consents`), so a page can never show or change more than the API allows;
a survivor outside the caseload answers with the same 404 page as an unknown id.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import Organisation
from service.domain.survivors import consents
from service.domain.survivors.models import Consent, Survivor
from service.domain.survivors.schemas import Safety, SurvivorUpdate
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.domain.survivors.sharing import in_force
from service.kernel.actor import now_utc
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import CASE_ROLES, STAFF, Role
from service.web.consent_form import empty_form
from service.web.followups_pages import followups_panel
from service.web.forms import N_, FormField, read_form, validate
from service.web.navigation import NavItem
from service.web.paging import PAGE_SIZE, PageNumber, Pages, offset, page_number
from service.web.rendering import PageDep

PROFILE_FIELDS = (
    FormField("display_name", "text", N_("Please enter a name (at most 200 characters).")),
    FormField("region", "text", N_("Please use a region code such as DE30.")),
    FormField("contact", "optional_text", N_("This text is too long.")),
    FormField("nationality", "optional_text", N_("This text is too long.")),
    FormField("notes", "optional_text", N_("This text is too long.")),
    FormField("birth_year", "optional_int", N_("Please enter a year between 1930 and 2012.")),
    FormField("readiness", "text"),
)
SAFETY_FIELDS = (
    FormField("women_only_workplace", "bool"),
    FormField("no_night_work", "bool"),
    FormField("max_commute_minutes", "int", N_("Please enter minutes between 0 and 240.")),
)


def profile_values(row: Survivor) -> dict[str, Any]:
    """The editor's fields as stored, to fill the form."""
    safety = row.safety or {}
    return {
        **{field.name: getattr(row, field.name) for field in PROFILE_FIELDS},
        "women_only_workplace": bool(safety.get("women_only_workplace")),
        "no_night_work": bool(safety.get("no_night_work")),
        "max_commute_minutes": safety.get("max_commute_minutes", 45),
    }


class CaseloadPages(Controller):
    """The caseload and the profiles in it."""

    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/caseload", opt=STAFF)
    async def caseload(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        settings: SettingsDep,
        actor: ActorDep,
        page_asked: PageNumber = None,
    ) -> Any:
        """Her survivors (a coordinator: her organisation's, possibly thousands) with region and
        readiness, a page at a time (service/web/paging.py), and the follow-ups and alerts that
        need her (service/web/followups_pages.py)."""
        number = page_number(page_asked)
        rows, total = await survivors.page(actor, PAGE_SIZE, offset(number))
        if not rows and number > 1:  # the count rides on the rows: past the end, count apart
            total = await survivors.count_visible(actor)
        pages = Pages(number, total, len(rows))
        panel = await followups_panel(db_session, actor, settings)
        if not pages.exists:
            return page.render("staff/caseload.html", status=400, survivors=[], total=total, pages=pages, panel=panel)
        return page.render("staff/caseload.html", survivors=rows, total=total, pages=pages, panel=panel)

    @get("/people/{survivor_id:uuid}", opt=STAFF)
    async def profile(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        settings: SettingsDep,
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """One profile, if it is in her scope, with her follow-ups and alerts."""
        row = await survivors.read(actor, survivor_id, alchemy)
        panel = await followups_panel(db_session, actor, settings, survivor_id=row.id)
        return page.render("staff/profile.html", survivor=row, panel=panel)

    @get("/people/{survivor_id:uuid}/edit", opt=STAFF)
    async def edit_form(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """The editor, filled with what is stored."""
        row = await survivors.read(actor, survivor_id, alchemy)
        return page.render("staff/edit.html", survivor=row, values=profile_values(row), errors={})

    @post("/people/{survivor_id:uuid}/edit", opt=STAFF, status_code=303)
    async def edit(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Response[Any]:
        """Save through SurvivorService.update_for; every wrong field is named on the form."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        form = await request.form()
        values, errors = read_form(form, PROFILE_FIELDS)
        safety_values, safety_errors = read_form(form, SAFETY_FIELDS)
        safety = validate({**(row.safety or {}), **safety_values}, Safety, SAFETY_FIELDS, safety_errors)
        update = validate(values, SurvivorUpdate, PROFILE_FIELDS, errors)
        errors.update(safety_errors)
        if update is None or safety is None or errors:
            shown = {**profile_values(row), **values, **safety_values}
            return page.render("staff/edit.html", status=400, survivor=row, values=shown, errors=errors)
        assert isinstance(update, SurvivorUpdate)
        update.safety = safety  # type: ignore[assignment]
        await survivors.update_for(actor, survivor_id, update, alchemy)
        return Response(content="", status_code=303, headers={"Location": f"/people/{survivor_id}"})

    @get("/people/{survivor_id:uuid}/consents", opt=STAFF)
    async def consents(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Every consent she gave, active or not, each active one with a withdraw button."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        rows = await consents.list_consents(db_session, actor, row)
        views = await consent_views(db_session, rows)
        form = await empty_form(db_session, row)
        return page.render("staff/consents.html", survivor=row, consents=views, consent_form=form)


class ConsentPages(Controller):
    """Withdrawing a consent: one route for her and for her counsellor."""

    @post("/consents/{consent_id:uuid}/withdraw", opt=CASE_ROLES, status_code=303)
    async def withdraw(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        consent_id: FromPath[UUID],
    ) -> Response[Any]:
        """Withdraw at once (consents.withdraw), then back to the list it was on."""
        row = await consents.withdraw(db_session, actor, consent_id, alchemy)
        target = "/my" if actor.role is Role.SURVIVOR else f"/people/{row.survivor_id}/consents"
        return Response(content="", status_code=303, headers={"Location": target})


async def consent_views(db: AsyncSession, rows: list[Consent]) -> list[dict[str, Any]]:
    """Consents with their state and the partner's name, active ones first, newest first."""
    now = now_utc()
    partner_ids = {row.partner_id for row in rows if row.partner_id is not None}
    names: dict[UUID, str] = {}
    if partner_ids:
        found = await db.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(partner_ids)))
        names = {org_id: name for org_id, name in found.all()}
    views = [
        {"row": row, "active": in_force(row, now), "partner": names.get(row.partner_id) if row.partner_id else None}
        for row in sorted(rows, key=lambda row: row.granted_at, reverse=True)
    ]
    return sorted(views, key=lambda view: not view["active"])


__all__ = ["CaseloadPages", "ConsentPages"]


CONTROLLERS = (CaseloadPages, ConsentPages)
NAV = (NavItem(frozenset({"counsellor", "coordinator"}), "/caseload", N_("Caseload"), 10),)
