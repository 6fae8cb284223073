"""Explanations: contributions add up to the score, and met / missing / bridges read right."""

from __future__ import annotations

import pytest

from matching.engine import match_survivor
from matching.explain import why_not
from matching.index import build_index
from matching.scoring import DEFAULT_WEIGHTS
from matching.types import Goals, LanguageRequirement, Pay, RightToWork


def test_contributions_add_up_to_the_score(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(pay=Pay(1800.0, "EUR"))
    survivor = make_survivor(goals=Goals(target_occupations=("occ/cook",), monthly_income_target=2000.0))
    (match,) = match_survivor(survivor, build_index(similarity, [job]), as_of=town.today).matches
    contributions = match.explanation.contributions
    assert [c.feature for c in contributions] == list(DEFAULT_WEIGHTS)
    assert all(c.weight == DEFAULT_WEIGHTS[c.feature] for c in contributions)
    assert sum(c.contribution for c in contributions) == pytest.approx(match.score, abs=1e-3)


def test_met_missing_and_bridges(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(
        essential_skills=(town.cooking, town.baking, town.driving),
        languages=(LanguageRequirement("de", "A2"),),
        pay=Pay(1500.0, "EUR"),
    )
    survivor = make_survivor(goals=Goals(sectors=("care",), monthly_income_target=2000.0))
    labels = {town.cooking: "cook meals", town.baking: "bake goods", town.driving: "drive vans"}
    (match,) = match_survivor(survivor, build_index(similarity, [job]), as_of=town.today, labels=labels).matches
    explanation = match.explanation
    assert "has 1 of 3 essential skills" in explanation.met
    assert "essential skills held: cook meals" in explanation.met
    assert "needs A2 de, has B1" in explanation.met
    assert "100% of its hours fall in her availability" in explanation.met
    assert "essential skills to learn: drive vans" in explanation.missing
    assert "outside her target occupations and sectors" in explanation.missing
    assert "pays 1500 EUR/month against a target of 2000" in explanation.missing
    assert explanation.bridges == ["related experience counts towards: bake goods"]
    assert any(line.startswith("about 17 min by transit (her limit 45)") for line in explanation.met)


def test_feature_values_in_match_are_named(similarity, town, make_opportunity, make_survivor) -> None:
    (match,) = match_survivor(make_survivor(), build_index(similarity, [make_opportunity()]), as_of=town.today).matches
    assert set(match.features) == set(DEFAULT_WEIGHTS)
    assert all(0.0 <= v <= 1.0 for v in match.features.values())


def test_why_not_lists_every_failing_filter(town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(status="draft", contract="informal", languages=(LanguageRequirement("de", "C2"),))
    survivor = make_survivor(right_to_work=RightToWork(None, None))
    assert why_not(survivor, job, town.today) == [
        "not published", "informal work", "no right to work", "language level too far below requirement",
    ]
    gap = make_opportunity(languages=(LanguageRequirement("de", "B2"),))
    assert why_not(make_survivor(), gap, town.today) == ["needs a de class from her level to B2 outside its hours"]


def test_no_essential_skill_held_is_listed_as_missing(similarity, town, make_opportunity, make_survivor) -> None:
    job = make_opportunity(essential_skills=(town.driving,))
    (match,) = match_survivor(make_survivor(), build_index(similarity, [job]), as_of=town.today).matches
    assert "has 0 of 1 essential skills" in match.explanation.missing
    assert not any("essential skills" in line for line in match.explanation.met)
