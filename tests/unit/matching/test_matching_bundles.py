"""Bundles: childcare for mothers, a language class for a one-level gap, no clashes inside."""

from __future__ import annotations

import pytest

from matching.engine import match_survivor
from matching.index import build_index
from matching.schedule import week_from_ranges
from matching.scoring import DEFAULT_WEIGHTS
from matching.types import AgeRange, Child, LanguageClass, LanguageRequirement


@pytest.fixture
def childcare(make_opportunity, town):  # type: ignore[no-untyped-def]
    def make(id: str = "care-1", ages: tuple[int, int] = (0, 6), hours: tuple[str, str] = ("07:00", "19:00"),
             **changes):  # type: ignore[no-untyped-def]
        return make_opportunity(
            id=id, kind="childcare", title=f"nursery {id}", contract=None, essential_skills=(),
            occupation_uri=None, childcare=AgeRange(*ages),
            schedule=week_from_ranges((d, *hours) for d in range(5)), **changes,
        )
    return make


@pytest.fixture
def german_class(make_opportunity):  # type: ignore[no-untyped-def]
    def make(id: str = "class-1", days: tuple[int, ...] = (1, 3), hours: tuple[str, str] = ("18:00", "19:30"),
             level: tuple[str, str] = ("B1", "B2"), **changes):  # type: ignore[no-untyped-def]
        return make_opportunity(
            id=id, kind="language_class", title=f"German {level[0]}-{level[1]} {id}", contract=None,
            essential_skills=(), occupation_uri=None, language_class=LanguageClass("de", *level),  # type: ignore[arg-type]
            schedule=week_from_ranges((d, *hours) for d in days), **changes,
        )
    return make


def run(similarity, town, survivor, *opportunities):  # type: ignore[no-untyped-def]
    return match_survivor(survivor, build_index(similarity, list(opportunities)), as_of=town.today)


def test_without_children_a_job_stands_alone(similarity, town, make_opportunity, make_survivor, childcare) -> None:
    result = run(similarity, town, make_survivor(), make_opportunity(), childcare())
    assert [(m.opportunity_id, m.bundle) for m in result.matches] == [("job-1", None)]


def test_mother_gets_job_only_with_fitting_childcare(
    similarity, town, make_opportunity, make_survivor, childcare
) -> None:
    mother = make_survivor(children=(Child(3),))
    result = run(similarity, town, mother, make_opportunity(), childcare(ages=(6, 12)), childcare("care-2"))
    (match,) = result.matches
    assert match.bundle is not None and match.bundle.childcare_id == "care-2"
    assert match.bundle.parts() == ["job-1", "care-2"]
    assert match.score == match.bundle.score
    assert match.bundle.notes == ["childcare 'nursery care-2' takes children aged 3 and covers the hours plus travel"]


def test_childcare_must_cover_hours_plus_travel(
    similarity, town, make_opportunity, make_survivor, childcare
) -> None:
    # the job is 09-17 and about 17 minutes away: care from exactly 09-17 leaves no time to travel
    mother = make_survivor(children=(Child(2),))
    result = run(similarity, town, mother, make_opportunity(), childcare(hours=("09:00", "17:00")))
    assert result.matches == [] and result.excluded == {"no childcare place fits": 1}
    result = run(similarity, town, mother, make_opportunity(), childcare(hours=("08:30", "17:30")))
    assert [m.bundle.childcare_id for m in result.matches if m.bundle] == ["care-1"]


def test_older_children_need_no_care(similarity, town, make_opportunity, make_survivor) -> None:
    result = run(similarity, town, make_survivor(children=(Child(15),)), make_opportunity())
    assert [m.bundle for m in result.matches] == [None]


def test_language_gap_bridged_by_a_class_in_her_free_hours(
    similarity, town, make_opportunity, make_survivor, german_class
) -> None:
    job = make_opportunity(languages=(LanguageRequirement("de", "B2"),))
    clashing = german_class("class-day", hours=("10:00", "12:00"))  # inside the job's hours
    result = run(similarity, town, make_survivor(), job, clashing, german_class("class-eve"))
    job_match = next(m for m in result.matches if m.opportunity_id == "job-1")
    assert job_match.bundle is not None and job_match.bundle.language_class_id == "class-eve"
    assert job_match.explanation.bridges[0].startswith("needs B2 de, has B1: the Tuesday/Thursday class")
    primary = sum(DEFAULT_WEIGHTS[name] * value for name, value in job_match.features.items())
    assert job_match.features["language"] == 0.5  # one level short counts half
    assert job_match.score == pytest.approx(primary - 0.02, abs=1e-5)  # a class costs a little


def test_class_must_take_her_from_her_level_to_the_requirement(
    similarity, town, make_opportunity, make_survivor, german_class
) -> None:
    job = make_opportunity(languages=(LanguageRequirement("de", "B2"),))
    result = run(similarity, town, make_survivor(), job, german_class(level=("A2", "B1")))
    assert all(m.opportunity_id != "job-1" for m in result.matches)


def test_mother_with_gap_gets_job_class_and_childcare_covering_both(
    similarity, town, make_opportunity, make_survivor, german_class, childcare
) -> None:
    mother = make_survivor(children=(Child(4),))
    job = make_opportunity(languages=(LanguageRequirement("de", "B2"),))
    evening = german_class()  # 18:00-19:30: a 07-19 nursery does not cover it plus travel
    result = run(similarity, town, mother, job, evening, childcare("care-day"),
                 childcare("care-long", hours=("07:00", "21:00")))
    bundle = next(m.bundle for m in result.matches if m.opportunity_id == "job-1")
    assert bundle is not None
    assert (bundle.language_class_id, bundle.childcare_id) == ("class-1", "care-long")
    assert len(bundle.notes) == 2 and bundle.notes[0].startswith("needs B2 de, has B1")


def test_bundle_score_is_primary_less_part_costs(
    similarity, town, make_opportunity, make_survivor, childcare
) -> None:
    alone = run(similarity, town, make_survivor(), make_opportunity()).matches[0].score
    mother = make_survivor(children=(Child(1),))
    bundled = run(similarity, town, mother, make_opportunity(), childcare(lat=town.home[0])).matches[0]
    # the nursery is next door (8 min of transit overhead against a 45-min limit)
    assert bundled.score == pytest.approx(alone - 0.05 * 8 / 45, abs=1e-9)
