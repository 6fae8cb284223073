"""A round solved part by part: same optimum as one whole MILP and as brute force, bound stated."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.allocation import Candidate, allocate, allocate_greedy, candidate_weights, constraints
from matching.allocation_parts import SolveSummary, parts_of
from tests.unit.matching.test_matching_allocation import MORNING, brute_force, feasible, random_case


def whole_milp(candidates: list[Candidate], capacities: dict[str, int], weights: np.ndarray) -> float:
    """The round as one programme over every candidate (the formulation before the split)."""
    matrix, upper = constraints(candidates, capacities)
    cons = [LinearConstraint(matrix, -np.inf, upper)] if matrix.shape[0] else []
    solution = milp(-weights, constraints=cons, integrality=np.ones(len(candidates)), bounds=Bounds(0, 1))
    assert solution.status == 0
    return float(-solution.fun)


def regions_case(seed: int) -> tuple[list[Candidate], dict[str, int], dict[str, int]]:
    """Three independent small rounds with their own names, put side by side."""
    candidates: list[Candidate] = []
    capacities: dict[str, int] = {}
    waiting: dict[str, int] = {}
    for region in range(3):
        cands, caps, wait = random_case(seed * 3 + region)
        rename = f"r{region}-"
        for c in cands[:5]:
            parts = tuple((rename + o, k) for o, k in c.parts)
            candidates.append(Candidate(rename + c.survivor_id, parts, c.score, c.week))
        capacities |= {rename + o: n for o, n in caps.items()}
        waiting |= {rename + s: d for s, d in wait.items()}
    random.Random(seed).shuffle(candidates)
    return candidates, capacities, waiting


@pytest.mark.parametrize("seed", range(25))
def test_parts_equal_whole_milp_and_brute_force(seed: int) -> None:
    candidates, capacities, waiting = regions_case(seed)
    weights = candidate_weights(candidates, waiting, 0.3)
    result = allocate(candidates, capacities, waiting_days=waiting, priority_weight=0.3)
    whole = whole_milp(candidates, capacities, weights)
    assert result.objective == pytest.approx(whole, abs=1e-9)
    # brute force per region (2^15 over the whole would be slow): regions share nothing
    by_region = sum(
        brute_force(
            [c for c in candidates if c.survivor_id.startswith(f"r{r}-")],
            capacities,
            weights[[i for i, c in enumerate(candidates) if c.survivor_id.startswith(f"r{r}-")]],
        )
        for r in range(3)
    )
    assert result.objective == pytest.approx(by_region, abs=1e-9)
    assert feasible(candidates, result.chosen, capacities)
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting, priority_weight=0.3)
    assert result.objective >= greedy.objective - 1e-9
    assert result.method.startswith("optimal")
    assert result.gap == 0.0 and result.bound == pytest.approx(result.objective)


def test_parts_follow_shared_survivors_and_shared_places() -> None:
    candidates = [
        Candidate("amal", (("job-a", "job"),), 0.9, MORNING),
        Candidate("bea", (("job-a", "job"), ("care-1", "childcare")), 0.8, MORNING),
        Candidate("cleo", (("care-1", "childcare"),), 0.5, MORNING),  # linked through the childcare place
        Candidate("dana", (("job-z", "job"),), 0.7, MORNING),
        Candidate("dana", (("course-q", "course"),), 0.6, MORNING),
        Candidate("eve", (("job-y", "job"),), 0.4, MORNING),
    ]
    groups = sorted(sorted(int(j) for j in g) for g in parts_of(candidates))
    assert groups == [[0, 1, 2], [3, 4], [5]]


def test_a_part_not_proved_optimal_says_so_with_its_gap() -> None:
    proved = SolveSummary([0], 10.0, 10.0, parts=4, optimal_parts=4, near_parts=0, limited_parts=0)
    assert proved.method() == "optimal (4 parts, each proved)" and proved.gap == 0.0
    limited = SolveSummary([0], 99.0, 100.0, parts=14, optimal_parts=12, near_parts=1, limited_parts=1)
    assert limited.gap == pytest.approx(0.01)
    assert limited.method() == "14 parts: 12 proved, 1 near, 1 time limit; gap 1.000%"
    assert len(limited.method()) <= 60  # the round row stores 60 characters


def test_empty_round_is_optimal_with_zero_gap() -> None:
    result = allocate([], {})
    assert (result.objective, result.bound, result.gap) == (0.0, 0.0, 0.0)
    assert result.method.startswith("optimal")


@pytest.mark.parametrize("seed", range(15))
def test_an_accepted_gap_stays_within_it_of_the_true_optimum_and_the_bound_holds(seed: int) -> None:
    candidates, capacities, waiting = regions_case(seed + 100)
    weights = candidate_weights(candidates, waiting, 0.3)
    result = allocate(candidates, capacities, waiting_days=waiting, priority_weight=0.3, accept_gap=0.05)
    best = whole_milp(candidates, capacities, weights)
    assert feasible(candidates, result.chosen, capacities)
    assert result.objective >= (1 - 0.05) * best - 1e-9
    assert result.bound is not None and result.bound >= best - 1e-9  # an upper bound, truly
    assert result.gap is not None and result.gap <= 0.05 + 1e-12
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting, priority_weight=0.3)
    assert result.objective >= greedy.objective - 1e-9
