"""Reports: load per-survivor facts for those who consented to reporting, then count and
suppress (SECURITY S19). Nothing identifying leaves this module: groups are organisations,
regions or intake quarters, and every published count is at least 5 or withheld.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from enum import StrEnum
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from service.domain.accounts.models import Organisation
from service.domain.followups.models import FollowUp
from service.domain.milestones.kinds import CATALOGUE
from service.domain.milestones.models import Achievement
from service.domain.referrals.models import Referral, ReferralEvent
from service.domain.reports import indicators as ind
from service.domain.reports.suppression import THRESHOLD, Grid, PublishedGrid, publish, statistic_or_none
from service.domain.survivors.models import Survivor
from service.domain.survivors.sharing import reporting_clause
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record
from service.kernel.roles import Role


class GroupBy(StrEnum):
    ORGANISATION = "organisation"
    REGION = "region"
    PERIOD = "period"


class Table(msgspec.Struct, kw_only=True):
    """A published table: `null` marks a suppressed cell."""

    name: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None


class Statistic(msgspec.Struct, kw_only=True):
    group: str
    median_days_to_first_formal_contract: float | None
    median_monthly_income_change: float | None


class Report(msgspec.Struct, kw_only=True):
    by: str
    start: date | None
    end: date | None
    threshold: int
    tables: list[Table]
    statistics: list[Statistic]


def _reporting_consent(now: datetime) -> ColumnElement[bool]:
    return reporting_clause(Survivor.id, now)


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


async def load_facts(
    db: AsyncSession, organisation_id: UUID | None, by: GroupBy, start: date | None, end: date | None
) -> list[ind.SurvivorFacts]:
    """One fact record per consenting survivor in scope (all organisations when None)."""
    now = now_utc()
    # Anonymised closed cases still count: what is left of them is no longer personal data.
    where = [_reporting_consent(now)]
    if organisation_id is not None:
        where.append(Survivor.organisation_id == organisation_id)
    if start is not None:
        where.append(Survivor.created_at >= datetime.combine(start, time.min, tzinfo=now.tzinfo))
    if end is not None:
        where.append(Survivor.created_at < datetime.combine(end, time.min, tzinfo=now.tzinfo))
    survivors = (
        await db.execute(
            select(Survivor.id, Survivor.region, Survivor.created_at, Organisation.name)
            .join(Organisation, Organisation.id == Survivor.organisation_id)
            .where(and_(*where))
        )
    ).all()
    scope = select(Survivor.id).where(and_(*where))
    referrals: dict[UUID, list[ind.ReferralFact]] = defaultdict(list)
    dropped: dict[UUID, datetime] = {
        referral_id: at
        for referral_id, at in (
            await db.execute(
                select(ReferralEvent.referral_id, ReferralEvent.at)
                .join(Referral, Referral.id == ReferralEvent.referral_id)
                .where(ReferralEvent.to_status == "dropped", Referral.survivor_id.in_(scope))
            )
        ).all()
    }
    for referral_id, survivor_id, status, started_at, kind in (
        await db.execute(
            select(Referral.id, Referral.survivor_id, Referral.status, Referral.started_at, Opportunity.kind)
            .join(Opportunity, Opportunity.id == Referral.opportunity_id)
            .where(Referral.survivor_id.in_(scope))
        )
    ).all():
        drop = dropped.get(referral_id)
        referrals[survivor_id].append(
            ind.ReferralFact(
                kind=kind,
                status=status,
                started_on=_day(started_at) if started_at else None,
                dropped_on=_day(drop) if drop else None,
            )
        )
    reached: dict[UUID, set[str]] = defaultdict(set)
    contract_on: dict[UUID, date] = {}
    for survivor_id, milestone, achieved_on in (
        await db.execute(
            select(Achievement.survivor_id, Achievement.milestone, Achievement.achieved_on).where(
                Achievement.survivor_id.in_(scope)
            )
        )
    ).all():
        reached[survivor_id].add(milestone)
        if milestone == "first_formal_contract":
            contract_on[survivor_id] = min(achieved_on, contract_on.get(survivor_id, achieved_on))
    incomes: dict[UUID, list[int]] = defaultdict(list)
    for survivor_id, answers in (
        await db.execute(
            select(FollowUp.survivor_id, FollowUp.answers)
            .where(FollowUp.survivor_id.in_(scope), FollowUp.answered_at.is_not(None))
            .order_by(FollowUp.answered_at)
        )
    ).all():
        income = (answers or {}).get("monthly_income")
        if isinstance(income, int):
            incomes[survivor_id].append(income)
    facts = []
    for survivor_id, region, created_at, org_name in survivors:
        group = {GroupBy.ORGANISATION: org_name, GroupBy.REGION: region, GroupBy.PERIOD: ind.quarter_of(created_at)}[by]
        facts.append(
            ind.SurvivorFacts(
                group=group,
                intake_on=_day(created_at),
                referrals=tuple(referrals[survivor_id]),
                milestones=frozenset(reached[survivor_id]),
                first_formal_contract_on=contract_on.get(survivor_id),
                incomes=tuple(incomes[survivor_id]),
            )
        )
    return facts


def _table(name: str, rows: list[str], columns: list[str], grid: Grid) -> Table:
    if not rows or not columns:
        # Nobody in scope: an empty table, with no total that could say "none" about anyone.
        empty: list[list[int | None]] = [[] for _ in rows] if columns == [] else []
        return Table(
            name=name, rows=rows, columns=columns, cells=empty, row_totals=[], column_totals=[], grand_total=None
        )
    shown: PublishedGrid = publish(grid)
    return Table(
        name=name,
        rows=rows,
        columns=columns,
        cells=shown.cells,
        row_totals=shown.row_totals,
        column_totals=shown.column_totals,
        grand_total=shown.grand_total,
    )


def build_report(
    facts: list[ind.SurvivorFacts], by: GroupBy, start: date | None, end: date | None, today: date
) -> Report:
    """Count, then suppress every table; the report never carries an unsuppressed small cell."""
    milestones = [milestone.code for milestone in CATALOGUE]
    raw = ind.compute(facts, milestones, today)
    groups = raw.groups
    tables = [
        # Activity columns measure different things, so only column totals are additive.
        _table("activity", groups, list(ind.ACTIVITY_COLUMNS), Grid(raw.activity, row_totals=False)),
        _table("referrals", list(ind.REFERRAL_KINDS), list(ind.OUTCOMES), Grid(raw.referrals)),
        _table("retention", groups, list(ind.RETENTION_COLUMNS), Grid(raw.retention, row_totals=False)),
        # One survivor reaches several milestones, so a group's column sum counts nothing
        # useful; leaving it out also keeps a milestone nobody reached from spreading
        # suppression across every other row.
        _table("milestones", milestones, groups, Grid(raw.milestone_counts, column_totals=False)),
    ]
    statistics = [
        Statistic(
            group=group,
            median_days_to_first_formal_contract=statistic_or_none(*raw.median_days_to_contract[index]),
            median_monthly_income_change=statistic_or_none(*raw.median_income_change[index]),
        )
        for index, group in enumerate(groups)
    ]
    return Report(by=by.value, start=start, end=end, threshold=THRESHOLD, tables=tables, statistics=statistics)


def scope_of(actor: Actor) -> UUID | None:
    """Coordinators see their own organisation; admins see all organisations (aggregates only)."""
    if actor.role is Role.ADMIN:
        return None
    if actor.role is Role.COORDINATOR and actor.organisation_id is not None:
        return actor.organisation_id
    raise PermissionError("reports: coordinators and admins only")


async def report_for(
    db: AsyncSession, actor: Actor, by: GroupBy, start: date | None, end: date | None, fmt: str
) -> Report:
    """The suppressed report in the actor's scope, audited."""
    facts = await load_facts(db, scope_of(actor), by, start, end)
    report = build_report(facts, by, start, end, now_utc().date())
    await record(db, actor, "report.read", "report", None, detail=f"by={by.value},format={fmt}")
    return report
