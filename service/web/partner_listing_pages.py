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
from providers.schemas import ImportProblem
from service.deps import ActorDep, AlchemyDep
from service.domain.accounts import services as accounts
from service.domain.accounts.auth import Actor
from service.domain.accounts.guards import roles
from service.domain.accounts.models import Organisation, Role, VettingStatus
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service, visible_to
from service.domain.referrals import partner_view
from service.domain.skills import services as skill_services
from service.web import NavItem
from service.web.auth_pages import PageDep
from service.web.forms import N_
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

PARTNER = roles(Role.PARTNER)
LISTING_LIMIT = 200
IMPORT_FORMATS = ("csv", "json")
Imported = Annotated[int | None, QueryParameter(ge=1, le=1000)]
KindQuery = Annotated[Literal["job", "course", "language_class", "childcare"] | None, QueryParameter()]

VETTING_NOTES = {
    "pending": N_("Your organisation is waiting for checks by a coordinator. Until then, your listings wait too."),
    "vetted": N_(
        "Your organisation is checked. A listing is published when you send it, unless a coordinator "
        "needs to look at it first."
    ),
    "suspended": N_(
        "Your organisation is suspended: its listings are not shown and cannot be changed. "
        "Please contact the coordinators you work with."
    ),
}
RETURNED = N_("A coordinator returned this listing to you. Please change it, then send it for review again.")
DRAFT = N_("A draft: nobody else sees it until you send it for review.")
WAITING_CHECKS = N_("Waiting: your organisation is not checked yet. Listings are published after the checks.")
WAITING_SUSPENDED = N_("Waiting: your organisation is suspended, so a coordinator will look at this listing again.")
WAITING_REVIEW = N_(
    "Waiting for a coordinator: some listings are read by a person before they are published, "
    "for everyone's safety. The decision will appear here."
)
PUBLISHED = N_("Published: participants and their counsellors can find it.")
REJECTED = N_("A coordinator decided not to publish this listing.")
CLOSED = N_("Closed: it is no longer shown to anyone.")
NOT_EDITABLE = N_("A closed listing cannot be changed.")
ALREADY_CLOSED = N_("This listing is already closed.")
NOT_A_DRAFT = N_("Only a draft can be sent for review.")
FILE_UNREADABLE = N_("The file could not be read. Please upload a CSV file (UTF-8) with the header row.")
FILE_EMPTY = N_("The file holds no listings.")
FILE_TOO_LONG = N_("The file has more than 1000 rows. Please split it.")
UNKNOWN_COLUMN = N_("This column is not one we know. Please use the columns of the example file.")
COLUMN_TWICE = N_("A column appears twice in the header.")
ROW_CELLS = N_("This row does not have as many cells as the header.")
CHOOSE_FILE = N_("Please choose a CSV file to upload.")
CANDIDATE_STATUS = {
    "shared": N_("Shared with you"),
    "applied": N_("Applied"),
    "accepted": N_("Accepted"),
    "placed": N_("Started work"),
    "enrolled": N_("Enrolled"),
    "completed": N_("Place completed"),
}
CANDIDATE_FIELDS = {
    "skills": N_("Skills"),
    "languages": N_("Languages"),
    "education": N_("Education"),
    "work_history": N_("Work experience"),
    "availability": N_("Available times"),
    "goals": N_("Goals"),
    "region": N_("Region"),
    "birth_year": N_("Year of birth"),
    "right_to_work": N_("Work permit"),
    "display_name": N_("Name"),
    "contact": N_("Contact"),
}
CSV_TEMPLATE = (
    "kind,title,description,region,lat,lon,capacity,starts_on,ends_on,schedule,hours_per_week,languages,"
    "women_only,sector,currency,pay_amount,pay_period,contract_type,contact_channels,cost_amount,course_level,"
    "certificate,class_language,level_from,level_to,age_min,age_max\r\n"
    "job,Kitchen assistant,Prepare vegetables and keep our canteen kitchen clean.,DE30,52.52,13.41,2,2027-01-04,,"
    "mon 09:00-15:00; tue 09:00-15:00; wed 09:00-15:00,18,de:A2,false,hospitality,EUR,14.5,hour,employment,"
    "email; phone,,,,,,,,\r\n"
    "course,Basic bookkeeping,Ten evening lessons with a certificate.,DE30,52.5,13.4,12,2027-02-01,2027-04-05,"
    "mon 18:00-20:00,2,de:B1,false,,,,,,,0,1,Certificate of attendance,,,,,\r\n"
    "language_class,German for work,Everyday German for the workplace.,DE30,52.5,13.4,15,2027-01-11,,"
    "tue 10:00-12:00; thu 10:00-12:00,4,,true,,,,,,,,,,de,A1,A2,,\r\n"
    "childcare,Morning childcare,Care for small children during courses.,DE30,52.5,13.4,6,2027-01-04,,"
    "mon 08:30-12:30; tue 08:30-12:30,,,true,,,,,,,,,,,,,1,5\r\n"
)


def _problem_message(problem: ImportProblem) -> str:
    """Our words for one import problem (the API's English never reaches the page)."""
    name = field_of(problem.field)
    if name in MESSAGES:
        return MESSAGES[name]
    if problem.row == 0:
        if problem.message == "unknown column":
            return UNKNOWN_COLUMN
        if "twice" in problem.message:
            return COLUMN_TWICE
        if "holds no" in problem.message:
            return FILE_EMPTY
        if "more than" in problem.message:
            return FILE_TOO_LONG
        return FILE_UNREADABLE
    if name == "row":
        return ROW_CELLS
    if name == "kind":
        return N_("Please use one of: job, course, language_class, childcare.")
    return N_("Please check this cell.")


def standing(row: Opportunity, org: Organisation) -> tuple[str, str | None]:
    """Why the listing is where it is, in plain words, and the coordinator's reason if any."""
    reviewed = row.reviewed_at is not None and bool(row.review_reason)
    if row.status == OpportunityStatus.DRAFT.value:
        return (RETURNED, row.review_reason) if reviewed else (DRAFT, None)
    if row.status == OpportunityStatus.PENDING_REVIEW.value:
        if org.vetting_status == VettingStatus.SUSPENDED.value:
            return WAITING_SUSPENDED, None
        if org.vetting_status != VettingStatus.VETTED.value:
            return WAITING_CHECKS, None
        return WAITING_REVIEW, None
    if row.status == OpportunityStatus.PUBLISHED.value:
        return PUBLISHED, row.review_reason if reviewed else None
    if reviewed and row.closed_at is not None and row.closed_at == row.reviewed_at:
        return REJECTED, row.review_reason
    return CLOSED, None


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


async def _concept_labels(db: AsyncSession, uris: set[str], language: str) -> dict[str, str]:
    """ESCO labels in the page's language (English, then any, as fallback; the URI if unknown)."""
    if not uris:
        return {}
    index = await skill_services.current_index(db)
    return {uri: index.label(uri, language) for uri in uris}


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
    ) -> Any:
        """Her vetting status, her listings with their status, and (after an upload) what came in."""
        org = await _organisation(db_session, actor, alchemy)
        rows, total = await opportunities.page(actor, [], LISTING_LIMIT, 0)
        counts: dict[str, int] = {}
        if imported:
            newest, _ = await opportunities.page(actor, [], imported, 0)
            counts = dict(Counter(row.status for row in newest))
        return page.render(
            "partner/listings.html",
            organisation=org,
            vetting_note=VETTING_NOTES.get(org.vetting_status, VETTING_NOTES["pending"]),
            listings=rows,
            total=total,
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
            {"row": problem.row, "field": problem.field, "message": _problem_message(problem)}
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
        )


CONTROLLERS = (ListingPages, CandidatePages)
NAV = (
    NavItem(frozenset({"partner"}), "/listings", N_("Your listings"), 11),
    NavItem(frozenset({"partner"}), "/candidates", N_("Candidates"), 12),
)
