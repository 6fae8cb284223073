"""The survivor row -> matching profile translation and the hours summary (pure, no database)."""

from __future__ import annotations

import uuid
from datetime import date

from matching.schedule import unpack_week, week_from_ranges
from service.domain.matches.profiles import to_profile
from service.domain.matches.published_index import home_of
from service.domain.matches.services import schedule_summary
from service.domain.survivors.models import Survivor
from tests.support.listings import profile


def _row(**fields: object) -> Survivor:
    return Survivor(id=uuid.uuid4(), organisation_id=uuid.uuid4(), display_name="x", **profile(**fields))


def test_profile_translates_permits_travel_children_and_exclusions() -> None:
    row = _row(
        right_to_work={"permit_kind": "asylum_pending"},
        safety={"exclusion_regions": ["DE3"], "travel_mode": "bike", "max_commute_minutes": 30, "no_night_work": True},
        children=[{"age_years": 4, "needs_care": True}, {"age_years": 15, "needs_care": True}],
        skills=[{"uri": "http://data.europa.eu/esco/skill/a", "level": 3}],
        readiness="not_now",
    )
    mapped = to_profile(row, (52.5, 13.4), ["DE30", "DE40", "DE300"])
    assert mapped.right_to_work.permit_kind is None  # work needs a permission the profile does not record
    assert mapped.safety.travel_mode == "transit" and mapped.safety.max_commute_minutes == 30
    assert mapped.safety.exclusion_regions == frozenset({"DE3", "DE30", "DE300"})
    assert mapped.children_needing_care() == [4]  # the teenager's default "needs care" is decided by age
    assert mapped.skills == {"http://data.europa.eu/esco/skill/a": 3}
    assert mapped.readiness_paused and mapped.waiting_since == date(2026, 1, 1)
    assert int(unpack_week(mapped.availability).sum()) == 5 * 16


def test_permit_that_allows_work_keeps_its_end_date() -> None:
    row = _row(right_to_work={"permit_kind": "residence_permit_work", "valid_until": "2027-06-30"})
    mapped = to_profile(row, (0.0, 0.0), [])
    assert (mapped.right_to_work.permit_kind, mapped.right_to_work.valid_until) == (
        "residence_permit_work",
        date(2027, 6, 30),
    )


def test_home_falls_back_to_the_wider_region_and_then_gives_up() -> None:
    centres = {"DE3": (52.5, 13.4), "DE30": (52.52, 13.40)}
    assert home_of("DE30", centres) == (52.52, 13.40)
    assert home_of("DE31", centres) == (52.5, 13.4)
    assert home_of("FR10", centres) is None


def test_schedule_summary_groups_days_with_the_same_hours() -> None:
    week = week_from_ranges([*((d, "08:00", "16:00") for d in range(5)), (5, "09:00", "13:30")])
    assert schedule_summary(week) == "Mon-Fri 08:00-16:00; Sat 09:00-13:30"
    assert schedule_summary(week_from_ranges([])) == "flexible hours"
