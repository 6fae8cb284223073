"""Allocation rounds: optimal equals brute force, never below greedy, rules always respected."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from matching.allocation import Candidate, allocate, allocate_greedy, candidate_weights
from matching.index import build_index
from matching.rounds import allocation_round
from matching.schedule import WORDS, popcount, to_words, week_from_ranges
from matching.types import AgeRange, Child

MORNING = tuple(int(w) for w in to_words(week_from_ranges((d, "08:00", "12:00") for d in range(5))))
AFTERNOON = tuple(int(w) for w in to_words(week_from_ranges((d, "13:00", "17:00") for d in range(5))))
ALL_DAY = tuple(int(w) for w in to_words(week_from_ranges((d, "08:00", "17:00") for d in range(5))))


def feasible(candidates: list[Candidate], chosen: list[int], capacities: dict[str, int]) -> bool:
    used: dict[str, int] = {}
    kinds: set[tuple[str, str]] = set()
    weeks: dict[str, np.ndarray] = {}
    for j in chosen:
        cand = candidates[j]
        week = np.array(cand.week, dtype=np.uint64)
        if cand.survivor_id in weeks and int(popcount(weeks[cand.survivor_id] & week)):
            return False
        weeks[cand.survivor_id] = weeks.get(cand.survivor_id, np.zeros(WORDS, dtype=np.uint64)) | week
        for opp_id, kind in cand.parts:
            if (cand.survivor_id, kind) in kinds:
                return False
            kinds.add((cand.survivor_id, kind))
            used[opp_id] = used.get(opp_id, 0) + 1
    return all(used[o] <= capacities.get(o, 0) for o in used)


def brute_force(candidates: list[Candidate], capacities: dict[str, int], weights: np.ndarray) -> float:
    best = 0.0
    for mask in itertools.product([0, 1], repeat=len(candidates)):
        chosen = [j for j, bit in enumerate(mask) if bit]
        if feasible(candidates, chosen, capacities):
            best = max(best, float(sum(weights[j] for j in chosen)))
    return best


def random_case(seed: int) -> tuple[list[Candidate], dict[str, int], dict[str, int]]:
    rng = random.Random(seed)
    jobs, courses, cares, classes = (
        [f"{k}{i}" for i in range(rng.randint(1, 3))] for k in ("job", "course", "care", "class")
    )
    candidates = []
    for s in range(rng.randint(2, 4)):
        for _ in range(rng.randint(1, 4)):
            kind, pool = rng.choice([("job", jobs), ("course", courses), ("language_class", classes)])
            parts = [(rng.choice(pool), kind)]
            if rng.random() < 0.4:
                parts.append((rng.choice(cares), "childcare"))
            if kind != "language_class" and rng.random() < 0.2:
                parts.append((rng.choice(classes), "language_class"))
            week = rng.choice([MORNING, AFTERNOON, ALL_DAY])
            candidates.append(Candidate(f"s{s}", tuple(parts), round(rng.uniform(0.1, 1.0), 3), week))
        if len(candidates) >= 12:
            break
    capacities = {o: rng.randint(0, 2) for o in jobs + courses + cares + classes}
    waiting = {f"s{s}": rng.randint(0, 800) for s in range(4)}
    return candidates[:12], capacities, waiting


@pytest.mark.parametrize("seed", range(40))
def test_optimal_round_equals_brute_force_and_beats_greedy(seed: int) -> None:
    candidates, capacities, waiting = random_case(seed)
    priority = 0.3 if seed % 2 else 0.0
    result = allocate(candidates, capacities, waiting_days=waiting, priority_weight=priority)
    weights = candidate_weights(candidates, waiting, priority)
    assert result.objective == pytest.approx(brute_force(candidates, capacities, weights), abs=1e-9)
    chosen = [candidates.index(a.candidate) for a in result.assignments]
    assert feasible(candidates, chosen, capacities)
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting, priority_weight=priority)
    greedy_chosen = [candidates.index(a.candidate) for a in greedy.assignments]
    assert feasible(candidates, greedy_chosen, capacities)
    assert result.objective >= greedy.objective - 1e-9


def test_optimal_beats_greedy_when_greed_blocks_two_people() -> None:
    # greedy gives the one seat to the best single score and leaves the other woman with nothing
    candidates = [
        Candidate("amal", (("job-a", "job"),), 0.9, MORNING),
        Candidate("amal", (("job-b", "job"),), 0.8, MORNING),
        Candidate("bea", (("job-a", "job"),), 0.7, MORNING),
    ]
    capacities = {"job-a": 1, "job-b": 1}
    greedy = allocate_greedy(candidates, capacities)
    optimal = allocate(candidates, capacities)
    assert (greedy.objective, greedy.placed) == (pytest.approx(0.9), 1)
    assert (optimal.objective, optimal.placed) == (pytest.approx(1.5), 2)
    assert {a.survivor_id: a.candidate.primary_id for a in optimal.assignments} == {"amal": "job-b", "bea": "job-a"}


def test_bundle_takes_a_place_in_every_part() -> None:
    candidates = [
        Candidate("amal", (("job-a", "job"), ("care-1", "childcare")), 0.9, MORNING),
        Candidate("bea", (("job-b", "job"), ("care-1", "childcare")), 0.8, MORNING),
    ]
    result = allocate(candidates, {"job-a": 1, "job-b": 1, "care-1": 1})
    assert [a.survivor_id for a in result.assignments] == ["amal"]
    assert "childcare care-1" in result.assignments[0].why
    assert result.unplaced == {"bea": "her options went to a higher total fit elsewhere or had no places left"}


def test_one_job_per_survivor_and_no_clashing_hours() -> None:
    candidates = [
        Candidate("amal", (("job-a", "job"),), 0.9, MORNING),
        Candidate("amal", (("job-b", "job"),), 0.8, AFTERNOON),
        Candidate("amal", (("course-1", "course"),), 0.7, ALL_DAY),
        Candidate("amal", (("course-2", "course"),), 0.3, AFTERNOON),
    ]
    result = allocate(candidates, {"job-a": 1, "job-b": 1, "course-1": 1, "course-2": 1})
    assert sorted(a.candidate.primary_id for a in result.assignments) == ["course-2", "job-a"]


def test_priority_tips_a_close_call_to_the_longest_waiting() -> None:
    candidates = [Candidate("new", (("job-a", "job"),), 0.80), Candidate("waiting", (("job-a", "job"),), 0.78)]
    waiting = {"new": 10, "waiting": 500}
    assert allocate(candidates, {"job-a": 1}).assignments[0].survivor_id == "new"
    tipped = allocate(candidates, {"job-a": 1}, waiting_days=waiting, priority_weight=0.1)
    assert tipped.assignments[0].survivor_id == "waiting"
    assert "priority x1.10" in tipped.assignments[0].why


def test_no_candidates_is_an_empty_round() -> None:
    result = allocate([], {})
    assert (result.assignments, result.objective, result.placed) == ([], 0.0, 0)


def test_round_from_profiles_respects_capacities(similarity, town, make_opportunity, make_survivor) -> None:
    jobs = [make_opportunity(id=f"job-{i}", capacity_left=1) for i in range(2)]
    care = make_opportunity(
        id="care", kind="childcare", contract=None, essential_skills=(), capacity_left=1,
        schedule=week_from_ranges((d, "07:00", "19:00") for d in range(5)),
        childcare=AgeRange(0, 6),
    )
    index = build_index(similarity, [*jobs, care])
    people = [make_survivor(id=f"s{i}") for i in range(3)] + [make_survivor(id="mum", children=(Child(2),))]
    result = allocation_round(people, index, as_of=town.today)
    greedy = allocation_round(people, index, as_of=town.today, greedy=True)
    taken = [p for a in result.assignments for p, _ in a.candidate.parts]
    assert sorted(taken).count("job-0") <= 1 and sorted(taken).count("job-1") <= 1
    assert result.placed == 2 and result.objective >= greedy.objective - 1e-9
    assert len(result.unplaced) == 2


def test_round_says_why_someone_had_no_chance(similarity, town, make_opportunity, make_survivor) -> None:
    index = build_index(similarity, [make_opportunity()])
    people = [make_survivor(id="paused", readiness_paused=True), make_survivor(id="far", home_lat=40.0)]
    result = allocation_round(people, index, as_of=town.today)
    assert result.unplaced == {"paused": "readiness paused", "far": "no suggestion passes her filters"}
