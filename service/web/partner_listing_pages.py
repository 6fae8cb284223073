"""A partner's pages: her listings (create, edit, submit, close), CSV upload, her vetting
status, and the candidates shared with her organisation.

Every read and write goes through the same services as the JSON API: `OpportunityService`
(scope `visible_to`: her organisation's listings only; screening, audit, all-or-nothing
import) and `referrals.partner_view` (pseudonym, consented fields only, consent checked live
on every request, audit). A listing or candidate outside her scope answers with the same 404
page as an unknown id.

Screening flags are never shown to a partner (see `opportunities.services.to_read`: telling
her which rule fired would teach a trafficker how to word the next offer). She is told, in
plain words, why a listing waits, and the coordinator's own reason when one was given.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, NotFoundException, ValidationException
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity, OpportunityStatus
from service.domain.accounts import services as accounts
from service.domain.accounts.models import Organisation, VettingStatus
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service, visible_to
from service.domain.referrals import partner_view
from service.domain.taxonomy.labels import Label, concept_labels
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web.forms import N_
from service.web.names import permit_names
from service.web.navigation import NavItem
from service.web.paging import PAGE_SIZE, PageNumber, Pages, offset, page_number
from service.web.partner_forms import (
    BY_KIND,
    CEFR_LEVELS,
    CONTRACT_TYPES,
    COURSE_LEVELS,
    CURRENCY_CODES,
    KINDS,
    MESSAGES,
    PAY_PERIODS,
    field_of,
    form_values,
    listing_update,
    new_listing,
    read_listing,
    week_text,
)
from service.web.partner_words import (
    ALREADY_CLOSED,
    CANDIDATE_FIELDS,
    CANDIDATE_STATUS,
    CHOOSE_FILE,
    CSV_TEMPLATE,
    NOT_A_DRAFT,
    NOT_EDITABLE,
    VETTING_NOTES,
    problem_message,
    standing,
)
from service.web.rendering import PageDep

PARTNER = roles(Role.PARTNER)
Imported = Annotated[int | None, QueryParameter(ge=1, le=1000)]
KindQuery = Annotated[Literal["job", "course", "language_class", "childcare"] | None, QueryParameter()]


def _form_context(kind: str, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": kind,
        "fields": BY_KIND[kind],
        "values": values,
        "errors": errors,
        "currencies": {code: code for code in CURRENCY_CODES},
        "cefr_levels": {level: level for level in CEFR_LEVELS},
        "contract_types": CONTRACT_TYPES,
        "pay_periods": PAY_PERIODS,
        "course_levels": COURSE_LEVELS,
    }


async def _concept_labels(db: AsyncSession, uris: set[str], language: str) -> dict[str, Label]:
    """Names in the page's language (then English, then any: the label service), never addresses."""
    return await concept_labels(db, uris, language)


def _candidate_uris(fields: dict[str, Any]) -> set[str]:
    uris = {entry.get("uri") for entry in fields.get("skills") or [] if isinstance(entry, dict)}
    uris |= {entry.get("occupation_uri") for entry in fields.get("work_history") or [] if isinstance(entry, dict)}
    uris |= set((fields.get("goals") or {}).get("target_occupations") or [])
    return {uri for uri in uris if isinstance(uri, str) and uri}


def _see(path: str) -> Response[Any]:
    return Response(content="", status_code=303, headers={"Location": path})


async def _organisation(db: AsyncSession, actor: Actor, alchemy: Any) -> Organisation:
    if actor.organisation_id is None:
        raise NotFoundException(detail="organisation: not found")
    return await accounts.get_organisation(db, actor, actor.organisation_id, alchemy)


def _service_errors(exc: Exception) -> dict[str, str]:
    """A refusal from the service after our own checks (a race, or a rule only it knows)."""
    detail = getattr(exc, "detail", "") or ""
    name = field_of(detail.split(":", 1)[0].strip())
    if isinstance(exc, ClientException) and exc.status_code == 409 and name == "capacity":
        return {"capacity": MESSAGES["capacity_booked"]}
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        found = {field_of(str(item.get("key", ""))) for item in exc.extra if isinstance(item, dict)}
        return {key: MESSAGES[key] for key in found if key in MESSAGES} or {"title": MESSAGES["title"]}
    return {name: MESSAGES[name]} if name in MESSAGES else {"__all__": NOT_EDITABLE}


class ListingPages(Controller):
    """Her organisation's listings and their lifecycle."""

    path = "/listings"
    dependencies = {"opportunities": Provide(provide_opportunity_service)}

    @get("/", opt=PARTNER)
    async def listings(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        imported: Imported = None,
        page_asked: PageNumber = None,
    ) -> Any:
        """Her vetting status, her listings with their status a page at a time, newest first
        (service/web/paging.py), and (after an upload) what came in."""
        org = await _organisation(db_session, actor, alchemy)
        number = page_number(page_asked)
        rows, total = await opportunities.page(actor, [], PAGE_SIZE, offset(number))
        if not rows and number > 1:  # the count rides on the rows: past the end, count apart
            total = await opportunities.count_visible(actor, [])
        pages = Pages(number, total, len(rows))
        counts: dict[str, int] = {}
        if imported:
            newest, _ = await opportunities.page(actor, [], imported, 0)
            counts = dict(Counter(row.status for row in newest))
        return page.render(
            "partner/listings.html",
            status=200 if pages.exists else 400,
            organisation=org,
            vetting_note=VETTING_NOTES.get(org.vetting_status, VETTING_NOTES["pending"]),
            listings=rows if pages.exists else [],
            total=total,
            pages=pages,
            imported=imported,
            imported_counts=counts,
        )

    @get("/new", opt=PARTNER)
    async def new_form(self, page: PageDep, kind: KindQuery = None) -> Any:
        """Which kind of listing, then that kind's form."""
        if kind is None:
            return page.render("partner/choose_kind.html", kinds=KINDS)
        return page.render("partner/listing_form.html", listing=None, **_form_context(kind, {}, {}))

    @post("/new", opt=PARTNER, status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
    ) -> Response[Any]:
        """Create through OpportunityService.create_for: as a draft, or sent for review at once."""
        form = await request.form()
        kind = form.get("kind")
        if kind not in KINDS:
            return page.render("partner/choose_kind.html", status=400, kinds=KINDS)
        values, shown, errors = read_listing(form, kind)
        listing = new_listing(kind, values, form.get("action") != "submit", errors)
        if listing is not None:
            try:
                row = await opportunities.create_for(actor, listing)
            except (ValidationException, ClientException) as exc:
                if exc.status_code == 403:
                    raise
                errors.update(_service_errors(exc))
            else:
                return _see(f"/listings/{row.id}")
        return page.render("partner/listing_form.html", status=400, listing=None, **_form_context(kind, shown, errors))

    @get("/{listing_id:uuid}", opt=PARTNER)
    async def detail(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        listing_id: FromPath[UUID],
    ) -> Any:
        """One of her listings: its status in plain words, its fields, and what she may do next."""
        row = await opportunities.get_visible(actor, listing_id, alchemy)
        return await self._detail(page, db_session, actor, alchemy, row)

    async def _detail(
        self,
        page: Any,
        db: AsyncSession,
        actor: Actor,
        alchemy: Any,
        row: Opportunity,
        status: int = 200,
        problem: str | None = None,
    ) -> Any:
        org = await _organisation(db, actor, alchemy)
        note, reason = standing(row, org)
        uris = {*row.essential_skills, *row.optional_skills, *([row.occupation_uri] if row.occupation_uri else [])}
        return page.render(
            "partner/listing.html",
            status=status,
            listing=row,
            note=note,
            reason=reason,
            problem=problem,
            schedule=week_text(row.schedule),
            concepts=await _concept_labels(db, uris, page.language),
            writable=org.vetting_status != VettingStatus.SUSPENDED.value,
            contract_types=CONTRACT_TYPES,
            pay_periods=PAY_PERIODS,
            course_levels=COURSE_LEVELS,
        )

    @get("/{listing_id:uuid}/edit", opt=PARTNER)
    async def edit_form(
        self,
        page: PageDep,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        listing_id: FromPath[UUID],
    ) -> Any:
        """The editor, filled with what is stored (a closed listing goes back to its page)."""
        row = await opportunities.get_visible(actor, listing_id, alchemy)
        if row.status == OpportunityStatus.CLOSED.value:
            return _see(f"/listings/{row.id}")
        return page.render("partner/listing_form.html", listing=row, **_form_context(row.kind, form_values(row), {}))

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
            return await self._detail(page, db_session, actor, alchemy, row, 409, NOT_EDITABLE)
        values, shown, errors = read_listing(await request.form(), row.kind)
        update = listing_update(row, values, errors)
        if update is not None:
            try:
                await opportunities.update_for(actor, listing_id, update, alchemy)
            except (ValidationException, ClientException) as exc:
                if exc.status_code == 403:
                    raise
                errors.update(_service_errors(exc))
            else:
                return _see(f"/listings/{listing_id}")
        return page.render(
            "partner/listing_form.html", status=400, listing=row, **_form_context(row.kind, shown, errors)
        )

    @post("/{listing_id:uuid}/submit", opt=PARTNER, status_code=303)
    async def submit(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        listing_id: FromPath[UUID],
    ) -> Response[Any]:
        """Send a draft to screening (OpportunityService.submit)."""
        row = await opportunities.get_visible(actor, listing_id, alchemy, "opportunity.submit")
        if row.status != OpportunityStatus.DRAFT.value:
            return await self._detail(page, db_session, actor, alchemy, row, 409, NOT_A_DRAFT)
        await opportunities.submit(actor, listing_id, alchemy)
        return _see(f"/listings/{listing_id}")

    @post("/{listing_id:uuid}/close", opt=PARTNER, status_code=303)
    async def close(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        listing_id: FromPath[UUID],
    ) -> Response[Any]:
        """Close for good (OpportunityService.close)."""
        row = await opportunities.get_visible(actor, listing_id, alchemy, "opportunity.close")
        if row.status == OpportunityStatus.CLOSED.value:
            return await self._detail(page, db_session, actor, alchemy, row, 409, ALREADY_CLOSED)
        await opportunities.close(actor, listing_id, alchemy)
        return _see(f"/listings/{listing_id}")

    @get("/import", opt=PARTNER)
    async def import_form(self, page: PageDep) -> Any:
        """The upload form, with the columns explained and an example file."""
        return page.render("partner/import.html", problems=[], file_error=None)

    @post("/import", opt=PARTNER, status_code=303)
    async def import_file(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
    ) -> Response[Any]:
        """All or nothing (OpportunityService.import_for): every problem by row and field, or the count."""
        upload = (await request.form()).get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page.render("partner/import.html", status=400, problems=[], file_error=CHOOSE_FILE)
        raw = await upload.read()
        fmt: Literal["csv", "json"] = "json" if upload.filename.lower().endswith(".json") else "csv"
        report, ok = await opportunities.import_for(actor, raw, fmt)
        if ok:
            return _see(f"/listings?imported={report.created}")
        problems = [
            {"row": problem.row, "field": problem.field, "message": problem_message(problem)}
            for problem in report.errors
        ]
        return page.render("partner/import.html", status=400, problems=problems, file_error=None)

    @get("/import/example.csv", opt=PARTNER)
    async def example_csv(self) -> Response[str]:
        """An example file with the expected header and one row of each kind."""
        return Response(
            content=CSV_TEMPLATE,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="onward-listings-example.csv"'},
        )


class CandidatePages(Controller):
    """Candidates shared with her organisation, each under the participant's active consent."""

    path = "/candidates"
    dependencies = {"opportunities": Provide(provide_opportunity_service)}

    @get("/", opt=PARTNER)
    async def candidates(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
    ) -> Any:
        """The list, as GET /api/partner/candidates gives it (audited there)."""
        items = await partner_view.list_candidates(db_session, actor)
        ids = {item.opportunity_id for item in items}
        titles = {}
        if ids:
            rows = await opportunities.get_many(Opportunity.id.in_(ids), visible_to(actor))
            titles = {row.id: row.title for row in rows}
        return page.render(
            "partner/candidates.html", candidates=items, titles=titles, candidate_status=CANDIDATE_STATUS
        )

    @get("/{referral_id:uuid}", opt=PARTNER)
    async def candidate(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        referral_id: FromPath[UUID],
    ) -> Any:
        """One pseudonymised profile exactly as GET /api/partner/candidates/{id} gives it."""
        item = await partner_view.get_candidate(db_session, actor, referral_id, alchemy)
        rows = await opportunities.get_many(Opportunity.id == item.opportunity_id, visible_to(actor))
        return page.render(
            "partner/candidate.html",
            candidate=item,
            listing=rows[0] if rows else None,
            candidate_status=CANDIDATE_STATUS,
            field_names=CANDIDATE_FIELDS,
            availability=week_text(item.fields.get("availability") or []),
            concepts=await _concept_labels(db_session, _candidate_uris(item.fields), page.language),
            course_levels=COURSE_LEVELS,
            permit_names=permit_names(page.language),
        )


CONTROLLERS = (ListingPages, CandidatePages)
NAV = (
    NavItem(frozenset({"partner"}), "/listings", N_("Your listings"), 11),
    NavItem(frozenset({"partner"}), "/candidates", N_("Candidates"), 12),
)
