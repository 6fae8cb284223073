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
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from providers.jobposting import is_jobposting
from providers.models import Opportunity, OpportunityStatus
from service.domain.accounts import services as accounts
from service.domain.accounts.models import Organisation, VettingStatus
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service, visible_to
from service.domain.referrals import outcomes, partner_view
from service.domain.taxonomy.labels import Label, concept_labels
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.kernel.spreadsheet import safe_csv
from service.web.forms import N_
from service.web.listing_view import listing_facts
from service.web.names import permit_names
from service.web.navigation import NavItem
from service.web.outcome_words import OUTCOME_NAMES, REASON_NAMES
from service.web.paging import PAGE_SIZE, PageNumber, Pages, offset, page_number
from service.web.partner_concepts import concept_names
from service.web.partner_forms import (
    COURSE_LEVELS,
    week_text,
)
from service.web.partner_import_words import shown_note, shown_problem
from service.web.partner_words import (
    ALREADY_CLOSED,
    CANDIDATE_FIELDS,
    CANDIDATE_STATUS,
    CHOOSE_FILE,
    CSV_TEMPLATE,
    INCOMPLETE,
    JSON_TEMPLATE,
    NOT_A_DRAFT,
    VETTING_NOTES,
    standing,
)
from service.web.rendering import PageDep

PARTNER = roles(Role.PARTNER)
Imported = Annotated[int | None, QueryParameter(ge=1, le=1000)]
KindQuery = Annotated[Literal["job", "course", "language_class", "childcare"] | None, QueryParameter()]


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


async def render_detail(
    page: Any,
    db: AsyncSession,
    actor: Actor,
    alchemy: Any,
    row: Opportunity,
    status: int = 200,
    problem: str | None = None,
) -> Any:
    """One of her listings: its status in plain words, its fields, and what she may do next."""
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
        facts=listing_facts(row, page.language, await concept_names(db, uris, page.language), partner=True),
        writable=org.vetting_status != VettingStatus.SUSPENDED.value,
    )


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
        return await render_detail(page, db_session, actor, alchemy, row)

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
            return await render_detail(page, db_session, actor, alchemy, row, 409, NOT_A_DRAFT)
        try:
            await opportunities.submit(actor, listing_id, alchemy)
        except ValidationException:  # an imported draft not completed yet
            return await render_detail(page, db_session, actor, alchemy, row, 400, INCOMPLETE)
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
            return await render_detail(page, db_session, actor, alchemy, row, 409, ALREADY_CLOSED)
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
        fmt: Literal["csv", "json"] = "json" if upload.filename.lower().endswith((".json", ".jsonld")) else "csv"
        if fmt == "json" and is_jobposting(raw):
            report, ok = await opportunities.import_jobpostings_for(actor, raw)
        else:
            report, ok = await opportunities.import_for(actor, raw, fmt)
        if ok and report.notes:  # a JobPosting import: say what she must complete in the drafts
            drafts = await opportunities.get_many(Opportunity.id.in_(report.ids), visible_to(actor))
            return page.render(
                "partner/import.html",
                problems=[],
                file_error=None,
                drafts=sorted(drafts, key=lambda row: row.title),
                notes=[shown_note(note.row, note.field, note.message) for note in report.notes],
            )
        if ok:
            return _see(f"/listings?imported={report.created}")
        problems = [shown_problem(problem.row, problem.field, problem.message) for problem in report.errors]
        return page.render("partner/import.html", status=400, problems=problems, file_error=None)

    @get("/import/example.csv", opt=PARTNER)
    async def example_csv(self) -> Response[str]:
        """An example file with the expected header and one row of each kind."""
        return Response(
            content=safe_csv(CSV_TEMPLATE),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="onward-listings-example.csv"'},
        )

    @get("/import/example.json", opt=PARTNER)
    async def example_json(self) -> Response[str]:
        """The same example as JSON: one listing of each kind."""
        return Response(
            content=JSON_TEMPLATE,
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="onward-listings-example.json"'},
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
        return await render_candidate(page, db_session, actor, alchemy, referral_id)


async def render_candidate(
    page: Any,
    db: AsyncSession,
    actor: Actor,
    alchemy: Any,
    referral_id: UUID,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Any:
    """The candidate under her live consent (404 once it ends), and what her organisation reported."""
    item = await partner_view.get_candidate(db, actor, referral_id, alchemy)
    rows = await OpportunityService(session=db).get_many(Opportunity.id == item.opportunity_id, visible_to(actor))
    return page.render(
        "partner/candidate.html",
        status=status,
        candidate=item,
        listing=rows[0] if rows else None,
        candidate_status=CANDIDATE_STATUS,
        field_names=CANDIDATE_FIELDS,
        availability=week_text(item.fields.get("availability") or []),
        concepts=await _concept_labels(db, _candidate_uris(item.fields), page.language),
        course_levels=COURSE_LEVELS,
        permit_names=permit_names(page.language),
        reported=await outcomes.partner_outcomes(db, actor, referral_id),
        outcome_names=OUTCOME_NAMES,
        reason_names=REASON_NAMES,
        errors=errors or {},
    )


CONTROLLERS = (ListingPages, CandidatePages)
NAV = (
    NavItem(frozenset({"partner"}), "/listings", N_("Your listings"), 11),
    NavItem(frozenset({"partner"}), "/candidates", N_("Candidates"), 12),
)
