"""The engine: impossible profiles answer with reasons, and rankings equal the per-pair reference."""

from __future__ import annotations

import random
from datetime import date, timedelta

import msgspec
import pytest

from matching.engine import match_survivor, rank
from matching.filters import REASONS
from matching.index import build_index
from matching.model import fit_outcome_model
from matching.outcome_world import synthetic_outcomes
from matching.reference import commute_estimate, failing_filters, reference_rank
from matching.schedule import EMPTY_WEEK, week_from_ranges
from matching.similarity import build_skill_similarity
from matching.types import (
    AgeRange,
    Child,
    Goals,
    LanguageClass,
    LanguageRequirement,
    Opportunity,
    Pay,
    RightToWork,
    Safety,
    SurvivorProfile,
)

TODAY = date(2026, 11, 30)
SKILLS = [f"skill/{i}" for i in range(40)]
OCCUPATIONS = [f"occ/{i}" for i in range(8)]
LEVELS = ["A1", "A2", "B1", "B2", "C1"]


def test_paused_profile_gets_empty_list_with_reason(similarity, town, make_opportunity, make_survivor) -> None:
    result = match_survivor(make_survivor(readiness_paused=True), build_index(similarity, [make_opportunity()]),
                            as_of=town.today)
    assert result.matches == [] and result.reasons == ["readiness paused: she asked for no suggestions for now"]


def test_empty_availability_gets_empty_list_with_reason(similarity, town, make_opportunity, make_survivor) -> None:
    result = match_survivor(make_survivor(availability=EMPTY_WEEK), build_index(similarity, [make_opportunity()]),
                            as_of=town.today)
    assert result.matches == [] and result.reasons == ["no availability given"]


def test_all_regions_excluded_gets_empty_list_with_reasons(
    similarity, town, make_opportunity, make_survivor
) -> None:
    opportunities = [make_opportunity(id=f"job-{r}", region=r) for r in ("R1", "R2", "R3")]
    survivor = make_survivor(safety=Safety(exclusion_regions=frozenset({"R1", "R2", "R3"})))
    result = match_survivor(survivor, build_index(similarity, opportunities), as_of=town.today)
    assert result.matches == []
    assert result.excluded == {"excluded region": 3}
    assert result.reasons == ["no opportunity passes her filters"]


def test_empty_catalogue_is_not_an_error(similarity, town, make_survivor) -> None:
    result = match_survivor(make_survivor(), build_index(similarity, []), as_of=town.today)
    assert result.matches == [] and result.reasons == ["no opportunity passes her filters"]


def test_ties_break_by_id_and_top_k_limits(similarity, town, make_opportunity, make_survivor) -> None:
    twins = [make_opportunity(id=f"job-{c}") for c in "dbca"]
    result = match_survivor(make_survivor(), build_index(similarity, twins), as_of=town.today, top_k=3)
    assert [m.opportunity_id for m in result.matches] == ["job-a", "job-b", "job-c"]


def random_week(rng: random.Random) -> bytes:
    days = rng.sample(range(7), rng.randint(1, 5))
    start = rng.randint(5, 18)
    length = rng.randint(1, 9)
    return week_from_ranges((d, f"{start:02d}:00", f"{min(start + length, 24):02d}:00") for d in days)


def random_world(seed: int) -> tuple[list[Opportunity], list[SurvivorProfile]]:
    """A small town where every filter, feature and bundle rule is exercised."""
    rng = random.Random(seed)
    opportunities = []
    for i in range(160):
        kind = rng.choice(["job", "job", "course", "language_class", "childcare"])
        lo = rng.randrange(4)
        opportunities.append(Opportunity(
            id=f"o{i:03d}", kind=kind, partner_id="p", partner_vetted=rng.random() < 0.95,  # type: ignore[arg-type]
            status="published" if rng.random() < 0.95 else "draft", title=f"{kind} {i}",
            region=rng.choice(["R1", "R2", "R3"]), lat=52.5 + rng.gauss(0, 0.08), lon=13.4 + rng.gauss(0, 0.1),
            capacity_left=rng.choice([0, 1, 2]), start_date=TODAY + timedelta(days=rng.randint(-10, 100)),
            schedule=week_from_ranges((d, "06:00", "21:00") for d in range(6)) if kind == "childcare"
            else random_week(rng),
            occupation_uri=rng.choice(OCCUPATIONS), sector=rng.choice(["care", "food", None]),
            essential_skills=tuple(rng.sample(SKILLS, rng.randint(0, 6))),
            optional_skills=tuple(rng.sample(SKILLS, rng.randint(0, 4))),
            languages=tuple(LanguageRequirement("de", rng.choice(LEVELS)) for _ in range(rng.random() < 0.6)),
            women_only=rng.random() < 0.2, pay=Pay(rng.uniform(900, 2600), "EUR") if rng.random() < 0.9 else None,
            contract=rng.choice(["formal", "formal", "informal"]) if kind == "job" else None,
            course_level=rng.randint(1, 4) if kind == "course" else None,
            language_class=LanguageClass("de", LEVELS[lo], LEVELS[lo + 1]) if kind == "language_class" else None,  # type: ignore[arg-type]
            childcare=AgeRange(*rng.choice([(0, 3), (0, 6), (3, 12)])) if kind == "childcare" else None,
        ))
    survivors = []
    for i in range(40):
        survivors.append(SurvivorProfile(
            id=f"s{i}", home_lat=52.5 + rng.gauss(0, 0.05), home_lon=13.4 + rng.gauss(0, 0.05),
            availability=week_from_ranges((d, "06:00", "22:00") for d in rng.sample(range(7), rng.randint(2, 7))),
            skills={s: rng.randint(1, 4) for s in rng.sample(SKILLS, rng.randint(0, 8))},
            languages={"de": rng.choice(LEVELS)},  # type: ignore[dict-item]
            children=tuple(Child(rng.randint(0, 14)) for _ in range(rng.choice([0, 0, 1, 2]))),
            right_to_work=rng.choice([RightToWork("res", None), RightToWork("tmp", TODAY + timedelta(days=40)),
                                      RightToWork(None, None)]),
            safety=Safety(exclusion_regions=frozenset(rng.sample(["R1", "R2", "R3"], rng.choice([0, 0, 1]))),
                          women_only=rng.random() < 0.2, no_night_work=rng.random() < 0.5,
                          max_commute_minutes=rng.choice([30, 45, 60, 90]),
                          travel_mode=rng.choice(["walk", "transit", "car"])),  # type: ignore[arg-type]
            goals=Goals(target_occupations=tuple(rng.sample(OCCUPATIONS, rng.randint(0, 2))),
                        sectors=tuple(rng.sample(["care", "food"], rng.randint(0, 1))),
                        monthly_income_target=rng.choice([None, 1500.0, 2000.0])),
            readiness_paused=rng.random() < 0.05,
        ))
    return opportunities, survivors


def random_similarity(seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    broader = [(s, f"group/{rng.randrange(6)}") for s in SKILLS]
    rows = [(o, s, rng.choice(["essential", "optional"])) for o in OCCUPATIONS for s in rng.sample(SKILLS, 8)]
    return build_skill_similarity(broader, rows)


def as_tuples(ranked):  # type: ignore[no-untyped-def]
    return [(r.opportunity_id, r.bundle.childcare_id if r.bundle else None,
             r.bundle.language_class_id if r.bundle else None) for r in ranked]


@pytest.mark.parametrize("seed", range(6))
def test_engine_ranks_exactly_like_the_per_pair_reference(seed: int) -> None:
    opportunities, survivors = random_world(seed)
    similarity = random_similarity(seed)
    index = build_index(similarity, opportunities)
    non_empty = 0
    for survivor in survivors:
        got = rank(survivor, index, as_of=TODAY, top_k=10).ranked
        expected = reference_rank(survivor, opportunities, similarity, as_of=TODAY, top_k=10)
        assert as_tuples(got) == [(e.opportunity_id, e.childcare_id, e.language_class_id) for e in expected]
        assert [r.score for r in got] == pytest.approx([e.score for e in expected], abs=1e-9)
        non_empty += bool(got)
    assert non_empty >= len(survivors) // 3  # the world is not so strict that the check is vacuous


@pytest.mark.parametrize("seed", range(3))
def test_exclusion_counts_equal_first_failures_pair_by_pair(seed: int) -> None:
    opportunities, survivors = random_world(seed)
    similarity = random_similarity(seed)
    index = build_index(similarity, opportunities)
    for survivor in survivors:
        if survivor.readiness_paused:
            continue
        engine = {k: v for k, v in rank(survivor, index, as_of=TODAY).excluded.items() if k in REASONS}
        expected: dict[str, int] = {}
        for opp in opportunities:
            reason = failing_filters(opp, survivor, TODAY, commute_estimate(opp, survivor), first_only=True)
            if opp.kind != "childcare" and reason:
                expected[reason[0]] = expected.get(reason[0], 0) + 1
        assert engine == expected


def test_kinds_narrow_the_list_like_the_reference() -> None:
    opportunities, survivors = random_world(3)
    similarity = random_similarity(3)
    index = build_index(similarity, opportunities)
    for survivor in survivors:
        got = rank(survivor, index, as_of=TODAY, kinds=("job",)).ranked
        expected = reference_rank(survivor, opportunities, similarity, as_of=TODAY, kinds=("job",))
        assert [r.opportunity_id for r in got] == [e.opportunity_id for e in expected]
        assert all(index.records[r.row].kind == "job" for r in got)  # type: ignore[union-attr]


def test_engine_with_learned_weights_matches_reference() -> None:
    opportunities, survivors = random_world(99)
    similarity = random_similarity(99)
    index = build_index(similarity, opportunities)
    weights = fit_outcome_model(*synthetic_outcomes(1000, seed=5)[:2]).weights
    assert weights.logistic
    for survivor in survivors[:15]:
        got = rank(survivor, index, as_of=TODAY, weights=weights).ranked
        expected = reference_rank(survivor, opportunities, similarity, as_of=TODAY, weights=weights)
        assert [r.opportunity_id for r in got] == [e.opportunity_id for e in expected]


def test_index_updated_in_place_ranks_like_a_fresh_build() -> None:
    opportunities, survivors = random_world(7)
    similarity = random_similarity(7)
    index = build_index(similarity, opportunities[:100])
    for opp in opportunities[100:]:
        index.add(opp)
    current = {o.id: o for o in opportunities}
    for opp in opportunities[:30]:
        index.remove(opp.id)
        del current[opp.id]
    for opp in opportunities[30:60]:
        changed = msgspec.structs.replace(opp, capacity_left=2, essential_skills=tuple(SKILLS[:9]))
        index.update(changed)
        current[opp.id] = changed
    index.add(opportunities[0])  # reuses a freed row
    current[opportunities[0].id] = opportunities[0]
    assert len(index) == len(current)
    fresh = build_index(similarity, sorted(current.values(), key=lambda o: index.row_of[o.id]))
    for survivor in survivors:
        updated = as_tuples(rank(survivor, index, as_of=TODAY).ranked)
        rebuilt = as_tuples(rank(survivor, fresh, as_of=TODAY).ranked)
        assert updated == rebuilt


def test_index_remove_unknown_and_widen_columns(similarity, make_opportunity) -> None:
    index = build_index(similarity, [make_opportunity()])
    assert index.remove("nope") is False
    wide = make_opportunity(id="wide", essential_skills=tuple(f"s{i}" for i in range(30)))
    row = index.add(wide)
    assert index.col("n_essential")[row] == 30 and index.col("essential").shape[1] >= 30
    assert index.col("n_essential")[index.row_of["job-1"]] == 1
