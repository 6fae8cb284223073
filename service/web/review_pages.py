"""Coordinators' and administrators' pages: the review queue, partner vetting, and reports.

Every decision goes through the same services as the JSON API: `OpportunityService.review`
(approve, return or reject with a reason; audited), `vetting.set_vetting` (vet or suspend with
a reason; a suspension unpublishes the partner's listings) and `reports.report_for` (aggregate,
consented survivors only, small cells suppressed; audited). The form is checked first, so a
missing reason answers 400 with a message and writes nothing.

Decisions work without JavaScript (a form post, then 303 back to the list); with htmx the
same post answers the one updated row, swapped in place.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, HTTPException, NotFoundException
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from providers.schemas import ReviewDecision, VettingDecision
from service.domain.accounts.models import Organisation
from service.domain.opportunities import vetting
from service.domain.opportunities.services import OpportunityService, provide_opportunity_service
from service.domain.reports.services import GroupBy, report_for
from service.domain.reports.suppression import THRESHOLD
from service.kernel.actor import Actor
from service.kernel.audit import record_now
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import Role, roles
from service.web import labels
from service.web.forms import N_, FormField, read_form
from service.web.navigation import NavItem
from service.web.rendering import PageDep
from service.web.review_views import (
    DECISION_NAMES,
    SEVERITY_NAMES,
    charts,
    flag_views,
    highlight,
    matched_phrases,
    review_reason_names,
    table_views,
)

REVIEWER = roles(Role.COORDINATOR, Role.ADMIN)
QUEUE_LIMIT = 50
PARTNER_LIMIT = 200
REASON_NEEDED = N_("Please give a reason (3 to 500 characters); the partner will read it.")
DECISION_NEEDED = N_("Please choose approve, return or reject.")
STATUS_NEEDED = N_("Please choose to vet or to suspend this partner.")
NOT_VETTED = N_("This partner is not checked yet: vet the partner first, then approve the listing.")
ALREADY_DONE = N_("This was already decided by someone else. Reload the page to see the current state.")
BAD_DATE = N_("Please enter a date such as 2026-01-31.")
END_BEFORE_START = N_("The end must be after the start.")
BAD_GROUP = N_("Please choose organisation, region or intake quarter.")
REVIEW_FIELDS = (FormField("decision", "text", DECISION_NEEDED), FormField("reason", "text", REASON_NEEDED))
VETTING_FIELDS = (FormField("status", "text", STATUS_NEEDED), FormField("reason", "text", REASON_NEEDED))
QueryText = Annotated[str | None, QueryParameter(max_length=20)]


def _is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def _reason_ok(reason: str) -> bool:
    return 3 <= len(reason) <= 500


def _check_review(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    values, errors = read_form(form, REVIEW_FIELDS)
    if values.get("decision") not in DECISION_NAMES:
        errors["decision"] = DECISION_NEEDED
    if not _reason_ok(values.get("reason", "")):
        errors["reason"] = REASON_NEEDED
    return values, errors


def _conflict_message(exc: HTTPException) -> str:
    return NOT_VETTED if (exc.detail or "").startswith("organisation:") else ALREADY_DONE


def listing_view(row: Opportunity, partner: Organisation | None) -> dict[str, Any]:
    """A waiting listing with its flags and the partner's words marked in its text."""
    flags = flag_views(row.vetting_flags)
    phrases = matched_phrases(flags)
    return {
        "row": row,
        "partner": partner,
        "flags": flags,
        "reasons": review_reason_names(row.vetting_flags),
        "title": highlight(row.title, phrases),
        "description": highlight(row.description or "", phrases),
    }


async def _listing_views(db: AsyncSession, actor: Actor, rows: list[Opportunity]) -> list[dict[str, Any]]:
    partners = await vetting.partners_by_id(db, actor, {row.organisation_id for row in rows})
    return [listing_view(row, partners.get(row.organisation_id)) for row in rows]


class ReviewPages(Controller):
    """Listings held for review (by screening, or because their partner is not vetted yet)."""

    path = "/review"
    dependencies = {"opportunities": Provide(provide_opportunity_service)}

    @get("/", opt=REVIEWER)
    async def queue(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
    ) -> Any:
        """The oldest waiting listings first, each with its flags and its partner's state."""
        return page.render("review/queue.html", **await self._queue_context(db_session, opportunities, actor))

    async def _queue_context(
        self,
        db: AsyncSession,
        opportunities: OpportunityService,
        actor: Actor,
        problem: tuple[UUID, dict[str, Any], dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        rows, total = await opportunities.review_queue(actor, QUEUE_LIMIT, 0)
        views = await _listing_views(db, actor, rows)
        notice = None
        if problem is not None:
            found = [view for view in views if view["row"].id == problem[0]]
            for view in found:
                view["values"], view["errors"] = problem[1], problem[2]
            if not found:
                # Decided meanwhile (or beyond the first page): say so at the top.
                notice = problem[2].get("__all__", ALREADY_DONE)
        return {"listings": views, "total": total, "notice": notice, **_row_names()}

    @post("/listings/{opportunity_id:uuid}", opt=REVIEWER, status_code=303)
    async def decide(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        opportunities: NamedDependency[OpportunityService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        opportunity_id: FromPath[UUID],
    ) -> Response[Any]:
        """Approve, return or reject through OpportunityService.review; a reason is required."""
        values, errors = _check_review(await request.form())
        status = 400
        if not errors:
            decision = ReviewDecision(decision=values["decision"], reason=values["reason"])
            try:
                row = await opportunities.review(actor, opportunity_id, decision, alchemy)
            except ClientException as exc:
                if exc.status_code != 409:
                    raise
                errors, status = {"__all__": _conflict_message(exc)}, 409
            else:
                if not _is_htmx(request):
                    return Response(content="", status_code=303, headers={"Location": "/review"})
                partners = await vetting.partners_by_id(db_session, actor, {row.organisation_id})
                view = listing_view(row, partners.get(row.organisation_id))
                return page.render("review/_listing.html", status=200, item=view, **_row_names())
        if _is_htmx(request):
            # The row as stored (nothing was written), with the messages and what she typed.
            row = await opportunities.get_visible(actor, opportunity_id, alchemy, "opportunity.review")
            partners = await vetting.partners_by_id(db_session, actor, {row.organisation_id})
            view = {**listing_view(row, partners.get(row.organisation_id)), "values": values, "errors": errors}
            return page.render("review/_listing.html", status=status, item=view, **_row_names())
        await opportunities.get_visible(actor, opportunity_id, alchemy, "opportunity.review")
        context = await self._queue_context(db_session, opportunities, actor, (opportunity_id, values, errors))
        return page.render("review/queue.html", status=status, **context)


#: What a decided row says: the status each decision leaves the listing in.
OUTCOME_NAMES = {
    "published": DECISION_NAMES["approve"],
    "draft": DECISION_NAMES["return"],
    "closed": DECISION_NAMES["reject"],
}


def _row_names() -> dict[str, Any]:
    return {"severity_names": SEVERITY_NAMES, "outcome_names": OUTCOME_NAMES}


class PartnerVettingPages(Controller):
    """Partner organisations by vetting state, with vet and suspend (always with a reason)."""

    path = "/review/partners"

    @get("/", opt=REVIEWER)
    async def partners(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        status: QueryText = None,
    ) -> Any:
        """Partners waiting for checks by default; `status` shows vetted or suspended ones."""
        shown = status if status in ("pending", "vetted", "suspended") else "pending"
        rows = await vetting.list_partners(db_session, actor, shown, PARTNER_LIMIT, 0)
        return page.render("review/partners.html", partners=[{"org": row} for row in rows], shown=shown)

    @post("/{org_id:uuid}/vetting", opt=REVIEWER, status_code=303)
    async def set_vetting(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> Response[Any]:
        """Vet or suspend through vetting.set_vetting (audited); a reason is required."""
        values, errors = read_form(await request.form(), VETTING_FIELDS)
        if values.get("status") not in ("vetted", "suspended"):
            errors["status"] = STATUS_NEEDED
        if not _reason_ok(values.get("reason", "")):
            errors["reason"] = REASON_NEEDED
        status = 400
        if not errors:
            try:
                org = await vetting.set_vetting(
                    db_session,
                    actor,
                    org_id,
                    VettingDecision(status=values["status"], reason=values["reason"]),
                    alchemy,
                )
            except ClientException as exc:
                if exc.status_code != 409:
                    raise
                errors, status = {"__all__": ALREADY_DONE}, 409
            else:
                if not _is_htmx(request):
                    return Response(content="", status_code=303, headers={"Location": "/review/partners"})
                return page.render("review/_partner.html", item={"org": org, "done": True})
        shown = (await vetting.partners_by_id(db_session, actor, {org_id})).get(org_id)
        if shown is None:
            # Unknown, or not a partner: the API's answer and its denied audit row.
            await record_now(alchemy, actor, "partner.vetting", "organisation", org_id, outcome="denied")
            raise NotFoundException(detail=vetting.PARTNER_NOT_FOUND)
        item = {"org": shown, "values": values, "errors": errors}
        if _is_htmx(request):
            return page.render("review/_partner.html", status=status, item=item)
        rows = await vetting.list_partners(db_session, actor, shown.vetting_status, PARTNER_LIMIT, 0)
        listed = [item if row.id == org_id else {"org": row} for row in rows]
        if all(row.id != org_id for row in rows):
            listed.insert(0, item)
        return page.render("review/partners.html", status=status, partners=listed, shown=shown.vetting_status)


def _parse_day(raw: str | None) -> tuple[date | None, bool]:
    if not raw:
        return None, True
    try:
        return date.fromisoformat(raw.strip()), True
    except ValueError:
        return None, False


class ReportPages(Controller):
    """Outcome indicators: the API's report (same scope, same suppression) as tables and charts."""

    @get("/reports", opt=REVIEWER)
    async def reports(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        by: QueryText = None,
        start: QueryText = None,
        end: QueryText = None,
    ) -> Any:
        """Filters in a GET form; a bad filter answers 400 with its message and no report."""
        values = {"by": by or GroupBy.ORGANISATION.value, "start": start or "", "end": end or ""}
        errors: dict[str, str] = {}
        group = next((choice for choice in GroupBy if choice.value == values["by"]), None)
        if group is None:
            errors["by"] = BAD_GROUP
        first, ok = _parse_day(start)
        if not ok:
            errors["start"] = BAD_DATE
        last, ok = _parse_day(end)
        if not ok:
            errors["end"] = BAD_DATE
        if first is not None and last is not None and last <= first:
            errors["end"] = END_BEFORE_START
        context: dict[str, Any] = {
            "values": values,
            "errors": errors,
            "scope_all": actor.role is Role.ADMIN,
            "threshold": THRESHOLD,
        }
        if errors or group is None:
            return page.render("review/reports.html", status=400, report=None, **context)
        report = await report_for(db_session, actor, group, first, last, "html")
        kinds = labels.translated(page.language)["kind_names"]
        query = {key: value for key, value in values.items() if value}
        return page.render(
            "review/reports.html",
            report=report,
            tables=table_views(report, page.t, kinds, page.language),
            charts=charts(report, page.t, kinds, page.language),
            csv_query=query,
            **context,
        )


CONTROLLERS = (ReviewPages, PartnerVettingPages, ReportPages)
NAV = (
    NavItem(frozenset({"coordinator", "admin"}), "/review", N_("Review"), 62),
    NavItem(frozenset({"coordinator", "admin"}), "/reports", N_("Reports"), 63),
)
