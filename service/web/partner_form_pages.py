"""A partner writes a listing: the form of each kind, by names only (create and edit), and the
suggestions htmx asks for while she types an occupation, a skill or a town.

Saving goes through ``OpportunityService.create_for`` / ``update_for``, the same as the JSON
API (screening, audit, one transaction). "Show the skills" re-renders the form with the skills
ESCO lists for the occupation she chose, without saving anything.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, ValidationException
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from providers import places
from providers.models import OpportunityStatus
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web import partner_concepts
from service.web.partner_form_view import form_context
from service.web.partner_forms import KINDS, MESSAGES, field_of, form_values, listing_update, new_listing, read_listing
from service.web.partner_listing_pages import render_detail
from service.web.partner_words import NOT_EDITABLE
from service.web.rendering import PageDep
from skills.normalise import Kind

PARTNER = roles(Role.PARTNER)
KindQuery = Annotated[Literal["job", "course", "language_class", "childcare"] | None, QueryParameter()]
SHOW_SKILLS = "skills"


def _see(path: str) -> Response[Any]:
    return Response(content="", status_code=303, headers={"Location": path})


def service_errors(exc: Exception) -> dict[str, str]:
    """A refusal from the service after our own checks (a race, or a rule only it knows)."""
    detail = getattr(exc, "detail", "") or ""
    name = field_of(detail.split(":", 1)[0].strip())
    if isinstance(exc, ClientException) and exc.status_code == 409 and name == "capacity":
        return {"capacity": MESSAGES["capacity_booked"]}
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        found = {field_of(str(item.get("key", ""))) for item in exc.extra if isinstance(item, dict)}
        return {key: MESSAGES[key] for key in found if key in MESSAGES} or {"title": MESSAGES["title"]}
    return {name: MESSAGES[name]} if name in MESSAGES else {"__all__": NOT_EDITABLE}


class ListingFormPages(Controller):
    """The listing form, per kind."""

    path = "/listings"
    dependencies = {"opportunities": Provide(provide_opportunity_service)}

    @get("/new", opt=PARTNER)
    async def new_form(self, page: PageDep, db_session: NamedDependency[AsyncSession], kind: KindQuery = None) -> Any:
        """Which kind of listing, then that kind's form."""
        if kind is None:
            return page.render("partner/choose_kind.html", kinds=KINDS)
        context = await form_context(db_session, page.language, kind, {}, {})
        return page.render("partner/listing_form.html", listing=None, **context)

    @post("/new", opt=PARTNER, status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
    ) -> Response[Any]:
        """Create through OpportunityService.create_for: as a draft, or sent for review at once."""
        form = await request.form()
        kind = form.get("kind")
        if kind not in KINDS:
            return page.render("partner/choose_kind.html", status=400, kinds=KINDS)
        values, shown, errors = read_listing(form, kind)
        if "occupation_uri" in values or kind in ("job", "course"):
            await partner_concepts.read_concepts(db_session, form, page.language, values, shown, errors)
        if form.get("action") == SHOW_SKILLS:
            context = await form_context(db_session, page.language, kind, shown, {})
            return page.render("partner/listing_form.html", listing=None, **context)
        listing = new_listing(kind, values, form.get("action") != "submit", errors)
        if listing is not None:
            try:
                row = await opportunities.create_for(actor, listing)
            except (ValidationException, ClientException) as exc:
                if exc.status_code == 403:
                    raise
                errors.update(service_errors(exc))
            else:
                return _see(f"/listings/{row.id}")
        context = await form_context(db_session, page.language, kind, shown, errors)
        return page.render("partner/listing_form.html", status=400, listing=None, **context)

    @get("/{listing_id:uuid}/edit", opt=PARTNER)
    async def edit_form(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        listing_id: FromPath[UUID],
    ) -> Any:
        """The editor, filled with what is stored (a closed listing goes back to its page)."""
        row = await opportunities.get_visible(actor, listing_id, alchemy)
        if row.status == OpportunityStatus.CLOSED.value:
            return _see(f"/listings/{row.id}")
        shown = form_values(row)
        if row.occupation_uri:
            shown["occupation_text"] = (
                await partner_concepts.concept_names(db_session, {row.occupation_uri}, page.language)
            )[row.occupation_uri]
        context = await form_context(db_session, page.language, row.kind, shown, {})
        return page.render("partner/listing_form.html", listing=row, **context)

    @post("/{listing_id:uuid}/edit", opt=PARTNER, status_code=303)
    async def edit(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        listing_id: FromPath[UUID],
    ) -> Response[Any]:
        """Save through OpportunityService.update_for (a published listing is screened again)."""
        row = await opportunities.get_visible(actor, listing_id, alchemy, "opportunity.update")
        if row.status == OpportunityStatus.CLOSED.value:
            return await render_detail(page, db_session, actor, alchemy, row, 409, NOT_EDITABLE)
        form = await request.form()
        values, shown, errors = read_listing(form, row.kind)
        if row.kind in ("job", "course"):
            await partner_concepts.read_concepts(db_session, form, page.language, values, shown, errors)
        if form.get("action") == SHOW_SKILLS:
            context = await form_context(db_session, page.language, row.kind, shown, {})
            return page.render("partner/listing_form.html", listing=row, **context)
        update = listing_update(row, values, errors)
        if update is not None:
            try:
                await opportunities.update_for(actor, listing_id, update, alchemy)
            except (ValidationException, ClientException) as exc:
                if exc.status_code == 403:
                    raise
                errors.update(service_errors(exc))
            else:
                return _see(f"/listings/{listing_id}")
        context = await form_context(db_session, page.language, row.kind, shown, errors)
        return page.render("partner/listing_form.html", status=400, listing=row, **context)

    @post("/suggest", opt=PARTNER, status_code=200)
    async def suggest(
        self, request: Request[Any, Any, Any], page: PageDep, db_session: NamedDependency[AsyncSession]
    ) -> Any:
        """An htmx fragment: terms for the occupation or skill being typed, or the region's towns."""
        form = await request.form()
        wanted = form.get("suggest")
        if wanted == "place":
            region = form.get("region")
            text = form.get("place_name")
            code = region if isinstance(region, str) else ""
            towns = places.suggest_towns(code, text, 12) if isinstance(text, str) and len(text) <= 80 else []
            return page.render("partner/_towns.html", towns=[town.name for town in towns])
        field: Kind = "skill" if wanted == "skill" else "occupation"
        text = form.get(f"{field}_text")
        found = await partner_concepts.suggestions(
            db_session, text.strip() if isinstance(text, str) else "", page.language, field
        )
        return page.render("partner/_suggestions.html", field=field, options=found, asked=bool(text))


CONTROLLERS = (ListingFormPages,)
