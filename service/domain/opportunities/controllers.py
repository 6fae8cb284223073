"""JSON API for partner listings, their review, partner vetting and bookings. Routing only:
every rule lives in the services next to this module and in providers/."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException
from litestar.params import FromPath, QueryParameter, RequestBody
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from providers.schemas import (
    BookingCreate,
    BookingRead,
    ImportReport,
    OpportunityCreate,
    OpportunityPage,
    OpportunityRead,
    OpportunityUpdate,
    PartnerRead,
    ReviewDecision,
    VettingDecision,
)
from providers.services import search_clauses
from service.domain.opportunities import bookings, vetting
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service, to_read
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import CASE_ROLES, STAFF, Role, roles

Limit = Annotated[int, QueryParameter(ge=1, le=200, description="page size")]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000)]
KindQuery = Annotated[Literal["job", "course", "language_class", "childcare"] | None, QueryParameter()]
StatusQuery = Annotated[Literal["draft", "pending_review", "published", "closed"] | None, QueryParameter()]
RegionQuery = Annotated[str | None, QueryParameter(pattern=r"^[A-Z]{2}[0-9A-Z]{0,3}$", description="NUTS prefix")]
LanguageQuery = Annotated[str | None, QueryParameter(pattern=r"^[a-z]{2}$", description="ISO 639-1")]
OccupationQuery = Annotated[
    str | None,
    QueryParameter(pattern=r"^http://data\.europa\.eu/esco/occupation/[A-Za-z0-9\-]{1,64}$", description="ESCO URI"),
]
WithinQuery = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[01]{48}(,[01]{48}){6}$",
        description="her week: 7 comma-separated days of 48 half-hours; listings must fit inside it",
    ),
]
READERS = roles(Role.PARTNER, Role.COORDINATOR, Role.ADMIN, Role.COUNSELLOR, Role.SURVIVOR)
PARTNER = roles(Role.PARTNER)
REVIEWER = roles(Role.COORDINATOR, Role.ADMIN)
BOOKER = STAFF
_CSV_TYPES = ("text/csv", "application/csv")


def _filters(
    kind: str | None,
    region: str | None,
    language: str | None,
    occupation: str | None,
    within: str | None,
    status: str | None,
) -> list[ColumnElement[bool]]:
    return search_clauses(
        kind=kind,
        region=region,
        language=language,
        occupation=occupation,
        within=within.split(",") if within else None,
        status=status,
    )


class OpportunityController(Controller):
    path = "/api/opportunities"
    tags = ["opportunities"]
    dependencies = {"opportunities": Provide(provide_opportunity_service)}

    @get("/", operation_id="ListOpportunities", opt=READERS)
    async def list_opportunities(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        kind: KindQuery = None,
        region: RegionQuery = None,
        language: LanguageQuery = None,
        occupation: OccupationQuery = None,
        within: WithinQuery = None,
        status: StatusQuery = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OpportunityPage:
        """Search the listings the caller may see: her own (partner), all (coordinator), or
        published listings of vetted partners (counsellor, survivor)."""
        filters = _filters(kind, region, language, occupation, within, status)
        rows, total = await opportunities.page(actor, filters, limit, offset)
        return OpportunityPage(items=[to_read(row, actor) for row in rows], total=total, limit=limit, offset=offset)

    @get("/count", operation_id="CountOpportunities", opt=READERS)
    async def count_opportunities(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        kind: KindQuery = None,
        region: RegionQuery = None,
        language: LanguageQuery = None,
        occupation: OccupationQuery = None,
        within: WithinQuery = None,
        status: StatusQuery = None,
    ) -> dict[str, int]:
        """How many listings the same search finds: always equal to the list's total."""
        filters = _filters(kind, region, language, occupation, within, status)
        return {"total": await opportunities.count_visible(actor, filters)}

    @post("/", operation_id="CreateOpportunity", opt=PARTNER)
    async def create_opportunity(
        self, opportunities: NamedDependency[OpportunityService], actor: ActorDep, data: RequestBody[OpportunityCreate]
    ) -> OpportunityRead:
        """Create a listing of the caller's organisation. Unless `draft`, it is screened at once:
        published when clean and the partner is vetted, otherwise waiting for review."""
        return to_read(await opportunities.create_for(actor, data), actor)

    @post("/import", operation_id="ImportOpportunities", opt=PARTNER, status_code=201)
    async def import_opportunities(
        self, opportunities: NamedDependency[OpportunityService], actor: ActorDep, request: Request[Any, Any, Any]
    ) -> Response[ImportReport]:
        """Import listings from CSV (`text/csv` body, or a multipart `file`) or a JSON array.
        All or nothing: any invalid row → 422 with every problem by row and field."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            upload = (await request.form()).get("file")
            if not isinstance(upload, UploadFile):
                raise ClientException(detail="file: attach the CSV or JSON file as `file`")
            raw = await upload.read()
            fmt: Literal["csv", "json"] = "json" if (upload.filename or "").lower().endswith(".json") else "csv"
        elif content_type in _CSV_TYPES or content_type == "application/json":
            raw = await request.body()
            fmt = "json" if content_type == "application/json" else "csv"
        else:
            raise ClientException(
                detail="content-type: send text/csv, application/json or multipart/form-data", status_code=415
            )
        report, ok = await opportunities.import_for(actor, raw, fmt)
        return Response(report, status_code=201 if ok else 422)

    @get("/review", operation_id="ListReviewQueue", opt=REVIEWER)
    async def review_queue(
        self, opportunities: NamedDependency[OpportunityService], actor: ActorDep, limit: Limit = 50, offset: Offset = 0
    ) -> OpportunityPage:
        """Listings waiting for a coordinator (flagged by screening, or from unvetted partners)."""
        rows, total = await opportunities.review_queue(actor, limit, offset)
        return OpportunityPage(items=[to_read(row, actor) for row in rows], total=total, limit=limit, offset=offset)

    @get("/{opportunity_id:uuid}", operation_id="GetOpportunity", opt=READERS)
    async def get_opportunity(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
    ) -> OpportunityRead:
        """One listing, if in the caller's scope; otherwise not found."""
        return to_read(await opportunities.get_visible(actor, opportunity_id, alchemy), actor)

    @patch("/{opportunity_id:uuid}", operation_id="UpdateOpportunity", opt=PARTNER)
    async def update_opportunity(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
        data: RequestBody[OpportunityUpdate],  # type: ignore[valid-type]
    ) -> OpportunityRead:
        """Edit her own listing; a published one is screened again and may go back to review."""
        return to_read(await opportunities.update_for(actor, opportunity_id, data, alchemy), actor)

    @post("/{opportunity_id:uuid}/submit", operation_id="SubmitOpportunity", opt=PARTNER, status_code=200)
    async def submit_opportunity(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
    ) -> OpportunityRead:
        """Send a draft to screening."""
        return to_read(await opportunities.submit(actor, opportunity_id, alchemy), actor)

    @post(
        "/{opportunity_id:uuid}/close",
        operation_id="CloseOpportunity",
        opt=roles(Role.PARTNER, Role.COORDINATOR, Role.ADMIN),
        status_code=200,
    )
    async def close_opportunity(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
    ) -> OpportunityRead:
        """Close a listing for good (its partner, or a coordinator pulling it)."""
        return to_read(await opportunities.close(actor, opportunity_id, alchemy), actor)

    @post("/{opportunity_id:uuid}/review", operation_id="ReviewOpportunity", opt=REVIEWER, status_code=200)
    async def review_opportunity(
        self,
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
        data: RequestBody[ReviewDecision],
    ) -> OpportunityRead:
        """Approve (publish), return to the partner as a draft, or reject (close), with a reason."""
        return to_read(await opportunities.review(actor, opportunity_id, data, alchemy), actor)

    @post("/{opportunity_id:uuid}/bookings", operation_id="BookPlace", opt=BOOKER, status_code=201)
    async def book_place(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
        data: RequestBody[BookingCreate],
    ) -> BookingRead:
        """Book a seat or childcare place for a survivor in the caller's scope; 409 when full."""
        row = await bookings.book(db_session, actor, opportunity_id, data.survivor_id, alchemy)
        return bookings.to_booking_read(row)


class BookingController(Controller):
    path = "/api/bookings"
    tags = ["opportunities"]

    @get("/", operation_id="ListBookings", opt=CASE_ROLES)
    async def list_bookings(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        survivor_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> list[BookingRead]:
        """Bookings of the survivors in the caller's scope."""
        rows = await bookings.list_bookings(db_session, actor, survivor_id)
        return [bookings.to_booking_read(row) for row in rows]

    @get("/{booking_id:uuid}", operation_id="GetBooking", opt=CASE_ROLES)
    async def get_booking(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        booking_id: FromPath[UUID],
    ) -> BookingRead:
        """One booking, if its survivor is in the caller's scope."""
        return bookings.to_booking_read(await bookings.get_booking(db_session, actor, booking_id, alchemy))

    @post("/{booking_id:uuid}/release", operation_id="ReleaseBooking", opt=BOOKER, status_code=200)
    async def release_booking(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        booking_id: FromPath[UUID],
    ) -> BookingRead:
        """Give the place back; 409 if it was already released."""
        return bookings.to_booking_read(await bookings.release(db_session, actor, booking_id, alchemy))


class PartnerVettingController(Controller):
    path = "/api/partners"
    tags = ["partners"]

    @get("/", operation_id="ListPartners", opt=REVIEWER)
    async def list_partners(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        status: Annotated[Literal["pending", "vetted", "suspended"] | None, QueryParameter()] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[PartnerRead]:
        """Partner organisations with their vetting state (`status=pending` is the vetting queue)."""
        rows = await vetting.list_partners(db_session, actor, status, limit, offset)
        return [vetting.to_partner_read(row) for row in rows]

    @post("/{org_id:uuid}/vetting", operation_id="SetPartnerVetting", opt=REVIEWER, status_code=200)
    async def set_vetting(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
        data: RequestBody[VettingDecision],
    ) -> PartnerRead:
        """Vet or suspend a partner, with a reason; suspension unpublishes her listings at once."""
        return vetting.to_partner_read(await vetting.set_vetting(db_session, actor, org_id, data, alchemy))


ROUTE_HANDLERS = [OpportunityController, BookingController, PartnerVettingController]
"""Registered by service/routes.py."""
