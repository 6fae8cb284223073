"""Indicator arithmetic on small hand-made datasets."""

from __future__ import annotations

from datetime import date

from service.domain.reports.indicators import (
    ACTIVITY_COLUMNS,
    OUTCOMES,
    REFERRAL_KINDS,
    RETENTION_COLUMNS,
    ReferralFact,
    SurvivorFacts,
    add_months,
    compute,
    quarter_of,
)
from service.domain.reports.services import GroupBy, build_report

TODAY = date(2026, 11, 28)


def _facts() -> list[SurvivorFacts]:
    job = ReferralFact("job", "placed", started_on=date(2026, 1, 10))
    dropped = ReferralFact("job", "dropped", started_on=date(2026, 1, 10), dropped_on=date(2026, 5, 1))
    course = ReferralFact("course", "enrolled", started_on=date(2026, 9, 1))
    return [
        SurvivorFacts("A", date(2025, 12, 1), (job,), frozenset({"bank_account", "first_formal_contract"}),
                      first_formal_contract_on=date(2026, 1, 10), incomes=(800, 1200)),
        SurvivorFacts("A", date(2025, 12, 1), (dropped, ReferralFact("course", "declined")),
                      first_formal_contract_on=date(2026, 1, 30), incomes=(900, 1000, 1100)),
        SurvivorFacts("B", date(2026, 3, 1), (course,), frozenset({"bank_account"}), incomes=(500,)),
        SurvivorFacts("B", date(2026, 4, 1)),
    ]  # fmt: skip


def test_activity_counts_survivors_referrals_placements_and_enrolments() -> None:
    result = compute(_facts(), ["bank_account", "first_formal_contract"], TODAY)
    assert result.groups == ["A", "B"]
    assert dict(zip(ACTIVITY_COLUMNS, result.activity[0], strict=True)) == {
        "survivors_supported": 2, "referrals": 3, "placements": 2, "enrolments": 0,
    }  # fmt: skip
    assert result.activity[1] == [2, 1, 0, 1]


def test_referrals_by_kind_and_outcome() -> None:
    result = compute(_facts(), [], TODAY)
    job, course = REFERRAL_KINDS.index("job"), REFERRAL_KINDS.index("course")
    assert result.referrals[job][OUTCOMES.index("started")] == 1
    assert result.referrals[job][OUTCOMES.index("dropped")] == 1
    assert result.referrals[course][OUTCOMES.index("declined")] == 1
    assert result.referrals[course][OUTCOMES.index("started")] == 1
    assert sum(map(sum, result.referrals)) == 4


def test_retention_at_3_6_and_12_months() -> None:
    result = compute(_facts(), [], TODAY)
    row = dict(zip(RETENTION_COLUMNS, result.retention[0], strict=True))
    # Both placed on 10 January: eligible at 3 and 6 months, not yet at 12; the one who left
    # on 1 May kept her job past 3 months but not 6.
    assert row == {"eligible_3m": 2, "retained_3m": 2, "eligible_6m": 2, "retained_6m": 1,
                   "eligible_12m": 0, "retained_12m": 0}  # fmt: skip
    assert result.retention[1] == [0] * 6  # a course is not a job placement


def test_milestones_medians_of_time_to_contract_and_income_change() -> None:
    result = compute(_facts(), ["bank_account", "first_formal_contract"], TODAY)
    assert result.milestone_counts == [[1, 1], [1, 0]]
    assert result.median_days_to_contract[0] == (50.0, 2)  # 40 and 60 days
    assert result.median_income_change[0] == (300.0, 2)  # +400 and +200
    assert result.median_income_change[1] == (None, 0)  # one answer is no change


def test_calendar_helpers() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert quarter_of(date(2026, 5, 1)) == "2026-Q2"


def test_the_built_report_withholds_groups_below_five() -> None:
    report = build_report(_facts(), GroupBy.ORGANISATION, None, None, TODAY)
    activity = next(table for table in report.tables if table.name == "activity")
    assert all(value is None or value >= 5 for row in activity.cells for value in row)
    assert all(stat.median_days_to_first_formal_contract is None for stat in report.statistics)


def test_a_large_enough_group_is_published() -> None:
    facts = [SurvivorFacts("A", date(2025, 1, 1), first_formal_contract_on=date(2025, 1, 1 + n)) for n in range(7)]
    report = build_report(facts, GroupBy.ORGANISATION, None, None, TODAY)
    activity = next(table for table in report.tables if table.name == "activity")
    assert activity.cells[0][0] == 7
    assert report.statistics[0].median_days_to_first_formal_contract == 3.0
