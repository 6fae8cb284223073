"""Each hard filter excludes with its stated reason, and only then."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest

from matching.engine import match_survivor
from matching.index import build_index
from matching.schedule import week_from_ranges
from matching.types import LanguageRequirement, RightToWork, Safety


def outcome(similarity, town, opportunity, survivor):  # type: ignore[no-untyped-def]
    index = build_index(similarity, [opportunity])
    return match_survivor(survivor, index, as_of=town.today)


def test_baseline_job_passes_every_filter(similarity, town, make_opportunity, make_survivor) -> None:
    result = outcome(similarity, town, make_opportunity(), make_survivor())
    assert [m.opportunity_id for m in result.matches] == ["job-1"]
    assert result.excluded == {}


@pytest.mark.parametrize(
    ("opportunity_changes", "survivor_changes", "reason"),
    [
        ({"status": "draft"}, {}, "not published"),
        ({"partner_vetted": False}, {}, "partner not vetted"),
        ({"capacity_left": 0}, {}, "no places left"),
        ({}, {"safety": Safety(exclusion_regions=frozenset({"R1"}))}, "excluded region"),
        ({"contract": "informal"}, {}, "informal work"),
        ({}, {"right_to_work": RightToWork(None, None)}, "no right to work"),
        ({}, {"safety": Safety(women_only=True)}, "not a women-only workplace"),
        ({"schedule": week_from_ranges((d, "20:00", "23:30") for d in range(5))},
         {"safety": Safety(no_night_work=True), "availability": week_from_ranges((d, "00:00", "24:00")
                                                                                 for d in range(7))},
         "night work"),
        ({"languages": (LanguageRequirement("de", "C1"),)}, {}, "language level too far below requirement"),
        ({"schedule": week_from_ranges((d, "20:00", "23:00") for d in range(5))}, {}, "outside her availability"),
    ],
)
def test_filter_excludes_with_reason(
    similarity, town, make_opportunity, make_survivor, opportunity_changes, survivor_changes, reason
) -> None:
    result = outcome(similarity, town, make_opportunity(**opportunity_changes), make_survivor(**survivor_changes))
    assert result.matches == []
    assert result.excluded == {reason: 1}


def test_commute_beyond_her_maximum_excludes(similarity, town, make_opportunity, make_survivor) -> None:
    # 30 km by transit: 30 * 1.3 / 18 h = 130 min plus waiting, far over 45
    far = make_opportunity(lat=town.home[0] + 30 * town.km_north)
    assert outcome(similarity, town, far, make_survivor()).excluded == {"commute too long": 1}
    # by car the same trip is 78 + 5 min; with a 90-minute limit it passes
    driver = make_survivor(safety=Safety(max_commute_minutes=90, travel_mode="car"))
    assert [m.opportunity_id for m in outcome(similarity, town, far, driver).matches] == ["job-1"]


def test_permit_must_be_valid_on_start_date(similarity, town, make_opportunity, make_survivor) -> None:
    starts_later = make_opportunity(start_date=town.today + timedelta(days=60))
    short_permit = make_survivor(right_to_work=RightToWork("temporary", town.today + timedelta(days=30)))
    assert outcome(similarity, town, starts_later, short_permit).excluded == {"permit ends before start": 1}
    long_permit = make_survivor(right_to_work=RightToWork("temporary", town.today + timedelta(days=90)))
    assert len(outcome(similarity, town, starts_later, long_permit).matches) == 1


def test_right_to_work_applies_to_jobs_not_courses(similarity, town, make_opportunity, make_survivor) -> None:
    course = make_opportunity(id="course-1", kind="course", contract=None, course_level=2)
    no_permit = make_survivor(right_to_work=RightToWork(None, None))
    assert [m.opportunity_id for m in outcome(similarity, town, course, no_permit).matches] == ["course-1"]


def test_women_only_preference_accepts_women_only_workplace(
    similarity, town, make_opportunity, make_survivor
) -> None:
    result = outcome(similarity, town, make_opportunity(women_only=True), make_survivor(safety=Safety(women_only=True)))
    assert len(result.matches) == 1


def test_one_level_language_gap_without_a_class_is_excluded(
    similarity, town, make_opportunity, make_survivor
) -> None:
    needs_b2 = make_opportunity(languages=(LanguageRequirement("de", "B2"),))
    result = outcome(similarity, town, needs_b2, make_survivor())
    assert result.matches == []
    assert result.excluded == {"no language class bridges the gap": 1}


def test_filters_stated_in_order_first_failure_wins(similarity, town, make_opportunity, make_survivor) -> None:
    both = make_opportunity(status="draft", contract="informal")
    assert outcome(similarity, town, both, make_survivor()).excluded == {"not published": 1}


def test_changed_capacity_takes_effect(similarity, town, make_opportunity, make_survivor) -> None:
    index = build_index(similarity, [make_opportunity()])
    index.set_capacity("job-1", 0)
    result = match_survivor(make_survivor(), index, as_of=town.today)
    assert result.excluded == {"no places left": 1}
    index.update(msgspec.structs.replace(make_opportunity(), capacity_left=3))
    assert len(match_survivor(make_survivor(), index, as_of=town.today).matches) == 1
