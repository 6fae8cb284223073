"""Each named feature, checked against a value a counsellor could compute by hand."""

from __future__ import annotations

import numpy as np
import pytest

from matching.engine import rank
from matching.features import FEATURES, commute_minutes
from matching.index import build_index
from matching.schedule import week_from_ranges
from matching.similarity import build_skill_similarity
from matching.types import Goals, LanguageClass, LanguageRequirement, Pay, Safety


def features(similarity, town, opportunity, survivor) -> dict[str, float]:  # type: ignore[no-untyped-def]
    index = build_index(similarity, [opportunity])
    ranked = rank(survivor, index, as_of=town.today).ranked
    assert len(ranked) == 1, "the opportunity should pass the filters"
    return dict(zip(FEATURES, ranked[0].features.tolist(), strict=True))


def test_exact_skill_counts_by_level(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(essential_skills=(town.cooking, town.driving))
    f = features(similarity, town, job, make_survivor(skills={town.cooking: 4}))
    assert f["essential_skills"] == pytest.approx(0.5)  # full credit for cooking, none for driving
    f = features(similarity, town, job, make_survivor(skills={town.cooking: 1}))
    assert f["essential_skills"] == pytest.approx(0.35)  # a beginner's skill counts 0.7


def test_related_skill_earns_partial_credit(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(essential_skills=(town.baking,), optional_skills=(town.pastry,))
    f = features(similarity, town, job, make_survivor(skills={town.cooking: 4}))
    # cooking and baking are siblings; baking is pastry's parent but she has neither
    assert 0 < f["essential_skills"] < 1
    assert f["optional_skills"] == 0.0
    f = features(similarity, town, job, make_survivor(skills={town.baking: 4}))
    assert f["essential_skills"] == 1.0 and 0 < f["optional_skills"] < 1


def test_similarity_from_hierarchy_and_cooccurrence(town) -> None:
    sim = build_skill_similarity(
        [(town.cooking, "g"), (town.baking, "g"), (town.pastry, town.baking)],
        [("o1", town.cooking, "essential"), ("o1", town.cleaning, "essential"),
         ("o2", town.cooking, "essential"), ("o2", town.cleaning, "optional")],
    )
    assert sim.related(town.pastry)[town.baking] == pytest.approx(0.6)
    assert sim.related(town.cooking)[town.baking] == pytest.approx(0.4)
    assert 0 < sim.related(town.cooking)[town.cleaning] <= 0.6
    assert town.cooking not in sim.related(town.cooking)
    assert sim.related("unknown") == {}


def test_language_fit(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(languages=(LanguageRequirement("de", "A2"), LanguageRequirement("ro", "B2")))
    assert features(similarity, town, job, make_survivor())["language"] == 1.0
    assert features(similarity, town, make_opportunity(), make_survivor())["language"] == 1.0


def test_timetable_overlap_is_the_share_of_hours_she_is_free(
    similarity, town, make_opportunity, make_survivor
) -> None:
    mornings = make_survivor(availability=week_from_ranges((d, "09:00", "14:00") for d in range(5)))
    f = features(similarity, town, make_opportunity(), mornings)  # 09-17 job: 5 of 8 hours
    assert f["timetable"] == pytest.approx(5 / 8)


def test_commute_estimate_and_feature(similarity, town, make_opportunity, make_survivor) -> None:
    minutes = commute_minutes(
        np.array([town.home[0] + 10 * town.km_north]), np.array([town.home[1]]), *town.home, "transit"
    )
    assert minutes[0] == pytest.approx(10 * 1.3 / 18 * 60 + 8, rel=1e-6)
    f = features(similarity, town, make_opportunity(), make_survivor(safety=Safety(max_commute_minutes=45)))
    assert f["commute"] == pytest.approx(1 - (2 * 1.3 / 18 * 60 + 8) / 45, rel=1e-6)


def test_goal_fit(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity()
    assert features(similarity, town, job, make_survivor())["goal"] == 0.5  # no goals stated
    aims = make_survivor(goals=Goals(target_occupations=("occ/cook",)))
    assert features(similarity, town, job, aims)["goal"] == 1.0
    sector = make_survivor(goals=Goals(sectors=("hospitality",)))
    assert features(similarity, town, job, sector)["goal"] == 0.6
    elsewhere = make_survivor(goals=Goals(sectors=("care",)))
    assert features(similarity, town, job, elsewhere)["goal"] == 0.0


def test_pay_against_income_target(similarity, town, make_opportunity, make_survivor) -> None:
    target = make_survivor(goals=Goals(monthly_income_target=2000.0, currency="EUR"))
    assert features(similarity, town, make_opportunity(pay=Pay(1500.0, "EUR")), target)["pay"] == 0.75
    assert features(similarity, town, make_opportunity(pay=Pay(2500.0, "EUR")), target)["pay"] == 1.0
    assert features(similarity, town, make_opportunity(pay=None), target)["pay"] == 0.25
    assert features(similarity, town, make_opportunity(pay=Pay(1500.0, "EUR")), make_survivor())["pay"] == 0.5


@pytest.mark.parametrize(("course_level", "her_level", "fit"), [(3, 2, 1.0), (4, 2, 0.7), (2, 2, 0.4), (1, 3, 0.1)])
def test_course_level_against_her_level(
    similarity, town, make_opportunity, make_survivor, course_level, her_level, fit
) -> None:
    course = make_opportunity(kind="course", contract=None, course_level=course_level)
    assert features(similarity, town, course, make_survivor(skills={town.cooking: her_level}))["level"] == fit


@pytest.mark.parametrize(("hers", "fit"), [("A2", 1.0), ("A1", 0.4), ("B1", 0.0)])
def test_language_class_level_against_hers(similarity, town, make_opportunity, make_survivor, hers, fit) -> None:
    lesson = make_opportunity(
        kind="language_class", contract=None, essential_skills=(), language_class=LanguageClass("de", "A2", "B1")
    )
    assert features(similarity, town, lesson, make_survivor(languages={"de": hers}))["level"] == fit
