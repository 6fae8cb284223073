"""Counsellors' follow-ups and alerts, her milestone timeline, and coordinators' allocation rounds.

Pages over the same domain functions as the JSON API: `followups.services` (due and overdue
lists, one follow-up in scope, answers that raise alerts and record milestones),
`followups.notices` (her own alerts), `milestones.services` (timeline, achievements) and
`matches.rounds` (list, read, create, accept). Scope, audit and transactions live there; a
follow-up, survivor or round outside the caller's scope answers the same 404 page as an
unknown id. The caseload page shows the follow-up panel through `followups_panel`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups import notices, services
from service.domain.followups.models import FollowUp
from service.domain.followups.rules import MISSED_CHECKINS, RISK_SIGNALS
from service.domain.followups.schemas import FollowUpAnswer
from service.domain.milestones.kinds import CATALOGUE
from service.domain.milestones.schemas import AchievementCreate, Timeline
from service.domain.milestones.services import achieve
from service.domain.referrals.timeline import timeline
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_survivor, visible_to
from service.kernel.actor import Actor, now_utc
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import STAFF
from service.settings import Settings
from service.web.followups_chart import ChartRow, chart
from service.web.forms import CHECK_FIELD, N_, FormField, read_form, validate
from service.web.i18n import RTL
from service.web.rendering import PageDep

PANEL_LIMIT = 100
_PLAN = re.compile(r"^plan_(\d{1,4})d$")

RISK_NAMES = {
    "job_lost": N_("Job lost"),
    "informal_work": N_("Informal work"),
    "employer_housing": N_("Housing tied to the employer"),
    "new_debt": N_("New debt"),
    "former_exploiter_contact": N_("Contact from a person who exploited her before"),
    MISSED_CHECKINS: N_("Check-ins without an answer"),
}
ALERT_NAMES = {
    "alert": N_("A check-in needs attention"),
    "missed": N_("Check-ins without an answer"),
    "late": N_("A check-in was not handled in time"),
}
MILESTONE_NAMES = {
    "right_to_work": N_("Right to work"),
    "bank_account": N_("Bank account opened"),
    "language_level": N_("Language level reached"),
    "course_completed": N_("Course completed"),
    "first_formal_contract": N_("First formal contract"),
    "employed_3_months": N_("Three months employed"),
    "employed_6_months": N_("Six months employed"),
    "income_covers_needs": N_("Income covers her needs"),
    "own_housing": N_("Own housing"),
    "no_longer_relies_on_support": N_("No longer relies on support"),
    "savings_buffer": N_("Savings buffer"),
}
SOURCE_NAMES = {"staff": N_("Recorded by staff"), "self": N_("Told by her"), "followup": N_("From a check-in")}
CONTRACT_NAMES = {
    "formal": N_("Formal contract"),
    "informal": N_("Informal, without a written contract"),
    "none": N_("No contract"),
}
ANSWER_FIELDS = (
    FormField("still_there", "optional_text"),
    FormField("contract", "optional_text", N_("Please choose one of the options.")),
    FormField("hours_per_week", "optional_text", N_("Please enter hours between 0 and 80.")),
    FormField("monthly_income", "optional_int", N_("Please enter a whole amount between 0 and 100000.")),
    FormField("problems", "optional_text", N_("This text is too long.")),
    FormField("risk_signals", "optional_text"),
)
MILESTONE_FIELDS = (
    FormField("milestone", "text", N_("Please choose a milestone.")),
    FormField("achieved_on", "text", N_("Please enter a date (year-month-day) that is not in the future.")),
    FormField("qualifier", "text", N_("Please use letters, digits, colons and dashes only (at most 40).")),
    FormField("evidence", "text", N_("This text is too long.")),
)
TRI_STATE = {"yes": True, "no": False}


# --- the caseload panel -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowUpItem:
    """A follow-up as the dashboard lists it: who, what, when, and how urgent."""

    id: UUID
    survivor_id: UUID
    name: str
    kind: str
    days: int | None
    due_at: datetime
    overdue: bool
    late: bool
    risk_flags: list[str]


def plan_days(kind: str) -> int | None:
    """`plan_30d` → 30; other kinds (a permit ending) → None."""
    found = _PLAN.match(kind)
    return int(found.group(1)) if found else None


async def _names(db: AsyncSession, actor: Actor, ids: set[UUID]) -> dict[UUID, str]:
    """Display names of survivors in the caller's scope (the same clause as every read)."""
    if not ids:
        return {}
    rows = await db.execute(select(Survivor.id, Survivor.display_name).where(Survivor.id.in_(ids), visible_to(actor)))
    return dict(rows.tuples().all())


def _item(row: FollowUp, names: dict[UUID, str], *, overdue: bool) -> FollowUpItem:
    return FollowUpItem(
        id=row.id,
        survivor_id=row.survivor_id,
        name=names.get(row.survivor_id, ""),
        kind=row.kind,
        days=plan_days(row.kind),
        due_at=row.due_at,
        overdue=overdue,
        late=row.late,
        risk_flags=list(row.risk_flags),
    )


async def followups_panel(
    db: AsyncSession, actor: Actor, settings: Settings, survivor_id: UUID | None = None
) -> dict[str, Any]:
    """The caseload dashboard's follow-ups (overdue first, then due; oldest first in each) and
    her open alerts, through the same services as GET /api/followups and /api/notices; with
    `survivor_id`, one profile's. `more` says the oldest PANEL_LIMIT of a kind are shown, not all."""
    overdue = await services.list_for(db, actor, "overdue", settings.worker, PANEL_LIMIT + 1, survivor_id)
    due = await services.list_for(db, actor, "due", settings.worker, PANEL_LIMIT + 1, survivor_id)
    more = len(overdue) > PANEL_LIMIT or len(due) > PANEL_LIMIT
    overdue, due = overdue[:PANEL_LIMIT], due[:PANEL_LIMIT]
    names = await _names(db, actor, {row.survivor_id for row in (*overdue, *due)})
    items = [_item(row, names, overdue=True) for row in overdue] + [_item(row, names, overdue=False) for row in due]
    alerts = await notices.open_alerts(db, actor)
    if survivor_id is not None:
        alerts = [alert for alert in alerts if alert.survivor_id == survivor_id]
    return {
        "followups": items,
        "more": more,
        "limit": PANEL_LIMIT,
        "alerts": alerts,
        "risk_names": RISK_NAMES,
        "alert_names": ALERT_NAMES,
    }


# --- follow-up answers ---------------------------------------------------------------------


def read_answer(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer form as FollowUpAnswer's values, with an error per field that cannot be read."""
    values, errors = read_form(form, ANSWER_FIELDS)
    still = values.pop("still_there", None)
    if still is not None:
        if still in TRI_STATE:
            values["still_there"] = TRI_STATE[still]
        elif still != "unknown":
            errors["still_there"] = CHECK_FIELD
    hours = values.pop("hours_per_week", None)
    if hours is not None:
        try:
            values["hours_per_week"] = float(hours.replace(",", "."))
        except ValueError:
            errors["hours_per_week"] = ANSWER_FIELDS[2].message
    values["risk_signals"] = [value for value in form.getall("risk_signals", []) if value]
    return values, errors


def answer_context(
    followup: FollowUp, survivor: Survivor, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "followup": followup,
        "survivor": survivor,
        "days": plan_days(followup.kind),
        "values": values,
        "errors": errors,
        "risk_names": RISK_NAMES,
        "risk_signals": RISK_SIGNALS,
        "contract_names": CONTRACT_NAMES,
    }


class FollowUpPages(Controller):
    """One follow-up: its answer form, or what was answered; and marking alerts read."""

    @get("/followups/{checkin_id:uuid}", opt=STAFF)
    async def followup(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        checkin_id: FromPath[UUID],
    ) -> Any:
        """The answer form (or the answer given), if her survivor is in scope."""
        followup, survivor = await services.read_visible(db_session, actor, checkin_id, alchemy)
        return page.render("followups/answer.html", **answer_context(followup, survivor, {}, {}))

    @post("/followups/{checkin_id:uuid}/answer", opt=STAFF, status_code=303)
    async def answer(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        checkin_id: FromPath[UUID],
    ) -> Any:
        """Record the answer through followups.services.answer (alerts and milestones as the API)."""
        followup, survivor = await services.read_visible(db_session, actor, checkin_id, alchemy)
        form = await request.form()
        values, errors = read_answer(form)
        data = validate(values, FollowUpAnswer, ANSWER_FIELDS, errors)
        if data is None or errors:
            shown = {**values, "still_there": form.get("still_there"), "hours_per_week": form.get("hours_per_week")}
            return page.render("followups/answer.html", status=400, **answer_context(followup, survivor, shown, errors))
        assert isinstance(data, FollowUpAnswer)
        try:
            await services.answer(db_session, actor, checkin_id, data, alchemy, settings.worker)
        except services.Conflict:
            context = answer_context(followup, survivor, {}, {})
            return page.render("followups/answer.html", status=409, conflict=True, **context)
        return Response(content="", status_code=303, headers={"Location": f"/followups/{checkin_id}"})

    @post("/notices/{alert_id:uuid}/read", opt=STAFF, status_code=303)
    async def mark_read(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, alert_id: FromPath[UUID]
    ) -> Response[Any]:
        """Mark one of her alerts read (followups.notices.mark_read), back to the caseload."""
        await notices.mark_read(db_session, actor, alert_id)
        return Response(content="", status_code=303, headers={"Location": "/caseload"})


# --- the milestone timeline ------------------------------------------------------------------


def timeline_context(survivor: Survivor, found: Timeline, today: date, language: str, page: Any) -> dict[str, Any]:
    """The chart, the table that says the same in words, and what is still ahead."""
    reached: dict[str, list[date]] = {}
    for row in found.achievements:
        reached.setdefault(row.milestone, []).append(row.achieved_on)
    rows = [
        ChartRow(page.t(MILESTONE_NAMES[m.code]), reached.get(m.code, []), ahead=m.code not in reached)
        for m in CATALOGUE
    ]
    checkins = [entry.at.date() for entry in found.entries if entry.kind == "followup"]
    steps = [entry.at.date() for entry in found.entries if entry.kind == "referral"]
    rows.append(ChartRow(page.t(N_("Check-ins answered")), checkins, small=True))
    rows.append(ChartRow(page.t(N_("Referral steps")), steps, small=True))
    since = survivor.created_at.date() if survivor.created_at else today
    drawn = chart(
        rows,
        since=since,
        today=today,
        rtl=language in RTL,
        labels={"today": page.t(N_("Today")), "ahead": page.t(N_("Still ahead"))},
    )
    ahead = [m.code for m in CATALOGUE if m.code not in reached]
    return {
        "survivor": survivor,
        "chart": drawn,
        "achievements": found.achievements,
        "ahead": ahead,
        "checkins": len(checkins),
        "steps": len(steps),
        "milestone_names": MILESTONE_NAMES,
        "source_names": SOURCE_NAMES,
        "catalogue": CATALOGUE,
        "today": today,
    }


def read_milestone(form: Any, today: date) -> tuple[AchievementCreate | None, dict[str, Any], dict[str, str]]:
    values, errors = read_form(form, MILESTONE_FIELDS)
    if "achieved_on" not in errors:
        try:
            when = msgspec.convert(values["achieved_on"], date)
        except msgspec.ValidationError:
            errors["achieved_on"] = MILESTONE_FIELDS[1].message
        else:
            if when > today:
                errors["achieved_on"] = MILESTONE_FIELDS[1].message
    data = validate(values, AchievementCreate, MILESTONE_FIELDS, errors)
    return (data if isinstance(data, AchievementCreate) and not errors else None), values, errors


class MilestonePages(Controller):
    """Her timeline as a chart and a table, and recording a milestone."""

    async def _render(
        self,
        page: Any,
        db: AsyncSession,
        actor: Actor,
        survivor: Survivor,
        *,
        status: int = 200,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Any:
        found = await timeline(db, actor, survivor.id)
        today = now_utc().date()
        context = timeline_context(survivor, found, today, page.language, page)
        shown = values or {"achieved_on": today.isoformat()}
        return page.render("followups/milestones.html", status=status, values=shown, errors=errors or {}, **context)

    @get("/people/{survivor_id:uuid}/milestones", opt=STAFF)
    async def milestones(
        self,
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """The timeline of a survivor in scope (the same reads as GET /api/survivors/{id}/milestones)."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy, "milestone.read")
        return await self._render(page, db_session, actor, survivor)

    @post("/people/{survivor_id:uuid}/milestones", opt=STAFF, status_code=303)
    async def record_milestone(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Record one milestone through milestones.services.achieve (a second time keeps the first)."""
        survivor = await visible_survivor(db_session, actor, survivor_id, alchemy, "milestone.read")
        data, values, errors = read_milestone(await request.form(), now_utc().date())
        if data is None:
            return await self._render(page, db_session, actor, survivor, status=400, values=values, errors=errors)
        await achieve(
            db_session,
            actor,
            survivor.id,
            data.milestone,
            achieved_on=data.achieved_on,
            evidence=data.evidence,
            qualifier=data.qualifier,
        )
        return Response(content="", status_code=303, headers={"Location": f"/people/{survivor.id}/milestones"})


CONTROLLERS = (FollowUpPages, MilestonePages)
