"""Listings as callers see and change them: the one visibility rule, lifecycle and review.

`visible_to(actor)` is the scope clause for opportunities; detail, list, search, count and
every write go through it, so a partner never reaches another partner's listing and a
counsellor or survivor never sees anything but published listings of vetted partners
(SECURITY S3, S7). A listing outside the scope answers exactly like one that does not exist,
and the attempt leaves a denied audit row (S2, S18).

Lifecycle: draft → pending_review → published → closed. Submitting or editing screens the
listing (providers.screening); only a clean listing of a vetted partner publishes on its own.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

import msgspec
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException, PermissionDeniedException, ValidationException
from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from providers.imports import ExistingListing, ImportFormatError, near_duplicates, read_csv, read_json, validate_rows
from providers.models import Opportunity, OpportunityStatus
from providers.review_policy import review_reasons
from providers.schemas import (
    FieldProblem,
    ImportProblem,
    ImportReport,
    NearDuplicate,
    OpportunityCreate,
    OpportunityRead,
    ReviewDecision,
    check_listing,
)
from providers.services import (
    OpportunityConflict,
    apply_listing,
    change_capacity,
    partner_is_vetted,
    published_clause,
    screen_row,
)
from service.domain.accounts.models import Organisation, VettingStatus
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now
from service.kernel.roles import Role

NOT_FOUND = "opportunity: not found"
REVIEWERS = frozenset({Role.COORDINATOR, Role.ADMIN})
_EDITABLE = tuple(name for name in OpportunityCreate.__struct_fields__ if name not in ("kind", "draft", "blocks"))


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """The listings an actor may see: her organisation's (partner), all (reviewers), or
    published listings of vetted partners (counsellors, survivors)."""
    if actor.role is Role.PARTNER:
        if actor.organisation_id is None:
            return false()
        return Opportunity.organisation_id == actor.organisation_id
    if actor.role in REVIEWERS:
        return true()
    if actor.role in (Role.COUNSELLOR, Role.SURVIVOR):
        return published_clause()
    return false()


def to_read(row: Opportunity, actor: Actor) -> OpportunityRead:
    """The listing for this caller. Screening flags go to reviewers only: telling a partner which
    rule fired would teach a trafficker how to word the next offer."""
    values: dict[str, Any] = {
        name: getattr(row, name) for name in OpportunityRead.__struct_fields__ if hasattr(row, name)
    }
    values["vetting_flags"] = row.vetting_flags if actor.role in REVIEWERS else None
    if actor.role not in REVIEWERS and actor.role is not Role.PARTNER:
        values["review_reason"] = None
    return msgspec.convert(values, OpportunityRead, from_attributes=True)


def invalid(problems: list[FieldProblem]) -> ValidationException:
    """A 400 whose detail names the first field, with every problem listed."""
    first = problems[0]
    return ValidationException(
        detail=f"{first.field}: {first.message}",
        extra=[{"key": p.field, "message": p.message, "source": "body"} for p in problems],
    )


def conflict(error: OpportunityConflict | str) -> ClientException:
    return ClientException(detail=str(error), status_code=409)


def _current(row: Opportunity) -> dict[str, Any]:
    """The stored listing in the create shape, so an edit is re-validated as a whole."""
    values = {name: getattr(row, name) for name in _EDITABLE}
    values["kind"] = row.kind
    return values


class OpportunityService(SQLAlchemyAsyncRepositoryService[Opportunity]):
    class Repo(SQLAlchemyAsyncRepository[Opportunity]):
        model_type = Opportunity

    repository_type = Repo

    @property
    def db(self) -> AsyncSession:
        return self.repository.session

    async def get_visible(
        self, actor: Actor, opportunity_id: UUID, alchemy: SQLAlchemyAsyncConfig, action: str = "opportunity.read"
    ) -> Opportunity:
        """The listing if the actor may see it; otherwise not found, with a denied audit row."""
        row = await self.get_one_or_none(Opportunity.id == opportunity_id, visible_to(actor))
        if row is None:
            await record_now(alchemy, actor, action, "opportunity", opportunity_id, outcome="denied")
            raise NotFoundException(detail=NOT_FOUND)
        return row

    async def page(
        self, actor: Actor, filters: list[ColumnElement[bool]], limit: int, offset: int
    ) -> tuple[list[Opportunity], int]:
        """Search within the actor's scope, newest first."""
        rows, total = await self.get_many_and_count(
            visible_to(actor), *filters, LimitOffset(limit=limit, offset=offset), order_by=[("created_at", True)]
        )
        return list(rows), total

    async def count_visible(self, actor: Actor, filters: list[ColumnElement[bool]]) -> int:
        """How many listings the search finds for this actor: always the page's total."""
        return await self.count(visible_to(actor), *filters)

    async def review_queue(self, actor: Actor, limit: int, offset: int) -> tuple[list[Opportunity], int]:
        """Listings waiting for a coordinator, oldest first."""
        if actor.role not in REVIEWERS:
            raise PermissionDeniedException(detail="role: only coordinators review listings")
        rows, total = await self.get_many_and_count(
            visible_to(actor),
            Opportunity.status == OpportunityStatus.PENDING_REVIEW.value,
            LimitOffset(limit=limit, offset=offset),
            order_by=[("updated_at", False)],
        )
        return list(rows), total

    async def _writing_partner(self, actor: Actor) -> Organisation:
        if actor.role is not Role.PARTNER or actor.organisation_id is None:
            raise PermissionDeniedException(detail="role: only partners write listings")
        org = await self.db.get_one(Organisation, actor.organisation_id)
        if org.vetting_status == VettingStatus.SUSPENDED.value:
            raise PermissionDeniedException(detail="organisation: suspended partners cannot change listings")
        return org

    async def build(self, actor: Actor, listing: OpportunityCreate, *, vetted: bool) -> Opportunity:
        """A new listing of the actor's organisation, validated and (unless a draft) screened."""
        problems, week = check_listing(listing)
        if problems or week is None:
            raise invalid(problems)
        row = Opportunity(
            organisation_id=actor.organisation_id,
            created_by_id=actor.user_id,
            kind=listing.kind,
            status=OpportunityStatus.DRAFT.value,
            capacity=listing.capacity,
            capacity_left=listing.capacity,
        )
        apply_listing(row, listing, week)
        if not listing.draft:
            reasons = await review_reasons(self.db, row)
            screen_row(row, partner_vetted=vetted, now=now_utc(), review_reasons=reasons)
        return row

    async def create_for(self, actor: Actor, listing: OpportunityCreate) -> Opportunity:
        """Create, screen and (if clean and vetted) publish one listing."""
        org = await self._writing_partner(actor)
        row = await self.build(actor, listing, vetted=org.vetting_status == VettingStatus.VETTED.value)
        row = await self.create(row, auto_commit=False)
        await record(self.db, actor, "opportunity.create", "opportunity", row.id, detail=f"status={row.status}")
        return row

    async def update_for(
        self, actor: Actor, opportunity_id: UUID, data: Any, alchemy: SQLAlchemyAsyncConfig
    ) -> Opportunity:
        """Apply a partial edit. A published or waiting listing is screened again; a published
        one that now raises a flag goes back to review at once."""
        row = await self.get_visible(actor, opportunity_id, alchemy, "opportunity.update")
        org = await self._writing_partner(actor)
        if row.status == OpportunityStatus.CLOSED.value:
            raise conflict("status: a closed listing cannot be edited")
        changes = {key: value for key, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
        merged = _current(row) | msgspec.to_builtins(changes)
        if "blocks" in changes:
            merged.pop("schedule", None)
        try:
            listing = msgspec.convert(merged, OpportunityCreate)
        except msgspec.ValidationError as error:
            raise ValidationException(detail=str(error)) from error
        problems, week = check_listing(listing)
        if problems or week is None:
            raise invalid(problems)
        was = row.status
        apply_listing(row, listing, week)
        if listing.capacity != row.capacity:
            try:
                await change_capacity(self.db, row, listing.capacity)
            except OpportunityConflict as error:
                raise conflict(error) from error
        if was != OpportunityStatus.DRAFT.value:
            reasons = await review_reasons(self.db, row)
            screen_row(
                row,
                partner_vetted=org.vetting_status == VettingStatus.VETTED.value,
                now=now_utc(),
                review_reasons=reasons,
            )
            if was == OpportunityStatus.PENDING_REVIEW.value:
                # Rewording a flagged listing must not publish it past the coordinator.
                row.status = OpportunityStatus.PENDING_REVIEW.value
                row.published_at = None
        await self.db.flush()
        await record(self.db, actor, "opportunity.update", "opportunity", row.id, detail=f"status={was}->{row.status}")
        return row

    async def submit(self, actor: Actor, opportunity_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Opportunity:
        """Send a draft to screening: published if clean and vetted, else pending_review."""
        row = await self.get_visible(actor, opportunity_id, alchemy, "opportunity.submit")
        org = await self._writing_partner(actor)
        if row.status != OpportunityStatus.DRAFT.value:
            raise conflict(f"status: only a draft can be submitted (this one is {row.status})")
        reasons = await review_reasons(self.db, row)
        screen_row(
            row, partner_vetted=org.vetting_status == VettingStatus.VETTED.value, now=now_utc(), review_reasons=reasons
        )
        await self.db.flush()
        await record(self.db, actor, "opportunity.submit", "opportunity", row.id, detail=f"status={row.status}")
        return row

    async def close(self, actor: Actor, opportunity_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Opportunity:
        """Close a listing for good (its partner, or a coordinator pulling it)."""
        row = await self.get_visible(actor, opportunity_id, alchemy, "opportunity.close")
        # Even a suspended partner may close her listings: closing only ever hides something.
        if actor.role is not Role.PARTNER and actor.role not in REVIEWERS:
            raise PermissionDeniedException(detail="role: not allowed to close listings")
        if row.status == OpportunityStatus.CLOSED.value:
            raise conflict("status: already closed")
        was = row.status
        row.status = OpportunityStatus.CLOSED.value
        row.closed_at = now_utc()
        await self.db.flush()
        await record(self.db, actor, "opportunity.close", "opportunity", row.id, detail=f"status={was}->closed")
        return row

    async def import_for(self, actor: Actor, raw: bytes, fmt: Literal["csv", "json"]) -> tuple[ImportReport, bool]:
        """Validate a whole file, then store every row or none; returns the report and success.

        Near-duplicates (of her listings or of earlier rows) are reported, not refused: the
        partner may well run two identical classes.
        """
        org = await self._writing_partner(actor)
        try:
            parsed = read_csv(raw) if fmt == "csv" else read_json(raw)
        except ImportFormatError as error:
            return _failed([error.problem], []), False
        valid, problems = validate_rows(parsed, from_csv=fmt == "csv")
        if not parsed:
            problems = [ImportProblem(0, "file", "holds no listings")]
        existing = (
            await self.db.execute(
                select(Opportunity.id, Opportunity.kind, Opportunity.title, Opportunity.schedule).where(
                    Opportunity.organisation_id == org.id, Opportunity.status != OpportunityStatus.CLOSED.value
                )
            )
        ).all()
        duplicates = near_duplicates(
            valid, [ExistingListing(str(item.id), item.kind, item.title, item.schedule) for item in existing]
        )
        if problems:
            return _failed(problems, duplicates), False
        vetted = org.vetting_status == VettingStatus.VETTED.value
        rows = [await self.build(actor, item.listing, vetted=vetted) for item in valid]
        self.db.add_all(rows)
        await self.db.flush()
        for row in rows:
            await record(
                self.db, actor, "opportunity.create", "opportunity", row.id, detail=f"import,status={row.status}"
            )
        return ImportReport(created=len(rows), ids=[row.id for row in rows], duplicates=duplicates), True

    async def review(
        self, actor: Actor, opportunity_id: UUID, decision: ReviewDecision, alchemy: SQLAlchemyAsyncConfig
    ) -> Opportunity:
        """A coordinator's decision on a waiting listing: approve, return to draft, or reject."""
        if actor.role not in REVIEWERS:
            raise PermissionDeniedException(detail="role: only coordinators review listings")
        row = await self.get_visible(actor, opportunity_id, alchemy, "opportunity.review")
        if row.status != OpportunityStatus.PENDING_REVIEW.value:
            raise conflict(f"status: only a listing waiting for review can be reviewed (this one is {row.status})")
        now = now_utc()
        if decision.decision == "approve":
            if not await partner_is_vetted(self.db, row.organisation_id):
                raise conflict("organisation: the partner is not vetted; vet the partner first")
            row.status, row.published_at = OpportunityStatus.PUBLISHED.value, now
        elif decision.decision == "return":
            row.status = OpportunityStatus.DRAFT.value
        else:
            row.status, row.closed_at = OpportunityStatus.CLOSED.value, now
        row.reviewed_by_id, row.reviewed_at, row.review_reason = actor.user_id, now, decision.reason
        await self.db.flush()
        await record(
            self.db, actor, "opportunity.review", "opportunity", row.id, detail=f"decision={decision.decision}"
        )
        return row


def _failed(problems: list[ImportProblem], duplicates: list[NearDuplicate]) -> ImportReport:
    first = problems[0]
    return ImportReport(
        created=0,
        errors=problems,
        duplicates=duplicates,
        detail=f"row {first.row}, {first.field}: {first.message}; nothing was imported",
    )


async def provide_opportunity_service(db_session: NamedDependency[AsyncSession]) -> OpportunityService:
    return OpportunityService(session=db_session)


__all__ = ["NOT_FOUND", "OpportunityService", "provide_opportunity_service", "to_read", "visible_to"]
