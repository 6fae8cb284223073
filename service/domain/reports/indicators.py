"""Indicator arithmetic, pure: per-survivor facts in, count tables and medians out.

Each consenting survivor belongs to exactly one group (her organisation, her region, or the
quarter of her intake: a cohort view), and every measure about her is counted in that group.
That keeps tables additive (a group's counts sum to the total) so that suppression can reason
about totals.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

RETENTION_MONTHS = (3, 6, 12)
REFERRAL_KINDS = ("job", "course", "language_class", "childcare")
OUTCOMES = ("open", "declined", "started", "completed", "dropped")
"""Referral outcomes: `open` gathers every status before a decision (suggested … accepted);
`started` is placed (a job) or enrolled (anything else): one column, so that the structural
zeros of "job enrolled" and "course placed" do not force suppression across the table."""
ACTIVITY_COLUMNS = ("survivors_supported", "referrals", "placements", "enrolments")
RETENTION_COLUMNS = tuple(f"{kind}_{months}m" for months in RETENTION_MONTHS for kind in ("eligible", "retained"))


@dataclass(frozen=True)
class ReferralFact:
    kind: str
    status: str
    started_on: date | None = None
    """When she was placed or enrolled."""
    dropped_on: date | None = None


@dataclass(frozen=True)
class SurvivorFacts:
    """Everything the indicators need about one consenting survivor, and nothing identifying."""

    group: str
    intake_on: date
    referrals: tuple[ReferralFact, ...] = ()
    milestones: frozenset[str] = frozenset()
    first_formal_contract_on: date | None = None
    incomes: tuple[int, ...] = field(default=())
    """Monthly incomes she reported in follow-ups, oldest first."""


def outcome_of(status: str) -> str:
    if status in {"placed", "enrolled"}:
        return "started"
    return status if status in OUTCOMES else "open"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # The 31st of a short month becomes its last day.
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def quarter_of(day: date | datetime) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def retained(referral: ReferralFact, months: int, today: date) -> tuple[bool, bool]:
    """(eligible, retained): a job placement at least `months` old, and still held then."""
    held = referral.status in {"placed", "completed", "dropped"}
    if referral.kind != "job" or referral.started_on is None or not held:
        return False, False
    mark = add_months(referral.started_on, months)
    if mark > today:
        return False, False
    return True, referral.dropped_on is None or referral.dropped_on >= mark


@dataclass
class Indicators:
    """Raw (unsuppressed) indicators for a list of groups."""

    groups: list[str]
    activity: list[list[int]]
    referrals: list[list[int]]
    """kinds × outcomes, over all groups."""
    retention: list[list[int]]
    milestones: list[str]
    milestone_counts: list[list[int]]
    """milestones × groups: survivors who reached it."""
    median_days_to_contract: list[tuple[float | None, int]]
    median_income_change: list[tuple[float | None, int]]


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def compute(facts: Iterable[SurvivorFacts], milestones: Sequence[str], today: date) -> Indicators:
    """Count every indicator per group (groups sorted for stable output)."""
    rows = list(facts)
    groups = sorted({fact.group for fact in rows})
    at = {group: index for index, group in enumerate(groups)}
    activity = [[0] * len(ACTIVITY_COLUMNS) for _ in groups]
    referrals = [[0] * len(OUTCOMES) for _ in REFERRAL_KINDS]
    retention = [[0] * len(RETENTION_COLUMNS) for _ in groups]
    milestone_counts = [[0] * len(groups) for _ in milestones]
    contract_days: list[list[float]] = [[] for _ in groups]
    income_change: list[list[float]] = [[] for _ in groups]
    for fact in rows:
        g = at[fact.group]
        activity[g][0] += 1
        activity[g][1] += len(fact.referrals)
        activity[g][2] += sum(1 for r in fact.referrals if r.started_on and r.kind == "job")
        activity[g][3] += sum(1 for r in fact.referrals if r.started_on and r.kind != "job")
        for referral in fact.referrals:
            if referral.kind in REFERRAL_KINDS:
                referrals[REFERRAL_KINDS.index(referral.kind)][OUTCOMES.index(outcome_of(referral.status))] += 1
        for position, months in enumerate(RETENTION_MONTHS):
            # She counts once per horizon: retained if any of her eligible placements held.
            results = [retained(referral, months, today) for referral in fact.referrals]
            if any(eligible for eligible, _ in results):
                retention[g][2 * position] += 1
                retention[g][2 * position + 1] += any(kept for _, kept in results)
        for index, key in enumerate(milestones):
            milestone_counts[index][g] += key in fact.milestones
        if fact.first_formal_contract_on is not None:
            contract_days[g].append(float((fact.first_formal_contract_on - fact.intake_on).days))
        if len(fact.incomes) >= 2:
            income_change[g].append(float(fact.incomes[-1] - fact.incomes[0]))
    return Indicators(
        groups=groups,
        activity=activity,
        referrals=referrals,
        retention=retention,
        milestones=list(milestones),
        milestone_counts=milestone_counts,
        median_days_to_contract=[(_median(values), len(values)) for values in contract_days],
        median_income_change=[(_median(values), len(values)) for values in income_change],
    )
