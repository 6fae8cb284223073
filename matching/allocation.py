"""Allocation rounds: share scarce places across a caseload to maximise total fit.

Each survivor brings candidates (a primary opportunity, possibly bundled with a childcare place
and a language class). A 0/1 integer programme picks candidates so that

* each survivor gets at most one place of each kind (one job, one course, one childcare place,
  one language class), counting every part of every bundle she is given;
* two candidates given to one survivor never clash in time;
* no opportunity gives more places than it has (a bundle takes a place in each of its parts);

and the sum of (priority-weighted) scores is as large as possible. scipy's ``milp`` (HiGHS)
solves it part by part (:mod:`matching.allocation_parts`); a greedy round is kept as the
baseline, and the round never returns less than greedy. The model lives in
:mod:`matching.allocation_model`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.allocation_model import (
    PRIORITY_HORIZON_DAYS,
    Candidate,
    candidate_weights,
    constraints,
    take_in_order,
)
from matching.allocation_parts import Progress, solve_by_parts
from matching.schedule import WORDS, WordWeek


@dataclass
class Assignment:
    """Who gets what, with the weight it carried and why."""

    survivor_id: str
    candidate: Candidate
    weight: float
    why: str


@dataclass
class AllocationResult:
    """A round's outcome: assignments, total weighted score, people placed, and how it was solved.

    ``bound`` is an upper bound on any feasible objective (the MILP's dual bound, equal to the
    objective when proved optimal); ``gap`` is how far below it the objective may be.
    """

    assignments: list[Assignment]
    objective: float
    placed: int
    method: str
    seconds: float
    unplaced: dict[str, str] = field(default_factory=dict)
    bound: float | None = None
    gap: float | None = None
    chosen: list[int] = field(default_factory=list)
    """Positions of the chosen candidates in the list the round was given."""


def allocate(
    candidates: Sequence[Candidate],
    capacities: Mapping[str, int],
    *,
    waiting_days: Mapping[str, int] | None = None,
    priority_weight: float = 0.0,
    time_limit: float = 60.0,
    accept_gap: float = 0.0,
    progress: Progress | None = None,
) -> AllocationResult:
    """The assignment with the largest total weighted score, solved part by part (HiGHS MILP).

    The round splits into parts that share no survivor and no opportunity (see
    :mod:`matching.allocation_parts`); each is proved optimal within its share of ``time_limit``
    or keeps its best solution, never below greedy's choice for it; with ``accept_gap`` (0.001 is
    0.1 %) a part whose solution is that close to its LP bound is not searched further. ``method``
    says which, with the gap to the bound whenever a part was not proved optimal.
    """
    start = time.perf_counter()
    weights = candidate_weights(candidates, waiting_days, priority_weight)
    if not candidates:
        result = _result(candidates, [], weights, "optimal (nothing to share)", start)
        result.bound, result.gap = 0.0, 0.0
        return result
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting_days, priority_weight=priority_weight)
    caps = {k: int(v) for k, v in capacities.items()}
    left = max(time_limit - (time.perf_counter() - start), 1.0)
    summary = solve_by_parts(
        candidates, caps, weights, greedy.chosen, time_limit=left, accept_gap=accept_gap, progress=progress
    )
    result = _result(candidates, summary.chosen, weights, summary.method(), start)
    result.bound, result.gap = summary.bound, summary.gap
    return result


def allocate_greedy(
    candidates: Sequence[Candidate],
    capacities: Mapping[str, int],
    *,
    waiting_days: Mapping[str, int] | None = None,
    priority_weight: float = 0.0,
) -> AllocationResult:
    """Best weighted candidate first, taken whenever places, kinds and her week allow."""
    start = time.perf_counter()
    weights = candidate_weights(candidates, waiting_days, priority_weight)
    order = sorted(range(len(candidates)), key=lambda j: (-weights[j], candidates[j].survivor_id, j))
    chosen = take_in_order(candidates, capacities, order)
    result = _result(candidates, chosen, weights, "greedy", start)
    result.chosen = chosen
    return result


def _result(
    candidates: Sequence[Candidate], chosen: list[int], weights: np.ndarray, method: str, start: float
) -> AllocationResult:
    assignments = []
    for j in sorted(chosen, key=lambda j: (candidates[j].survivor_id, candidates[j].primary_id)):
        cand = candidates[j]
        parts = " + ".join(f"{kind} {opp}" for opp, kind in cand.parts)
        priority = f", priority x{weights[j] / cand.score:.2f}" if cand.score and weights[j] != cand.score else ""
        why = f"{parts}: fit {cand.score:.3f}{priority}" + (f"; {cand.note}" if cand.note else "")
        assignments.append(Assignment(cand.survivor_id, cand, float(weights[j]), why))
    placed = {a.survivor_id for a in assignments}
    unplaced = {
        c.survivor_id: "her options went to a higher total fit elsewhere or had no places left"
        for c in candidates
        if c.survivor_id not in placed
    }
    objective = float(sum(weights[j] for j in chosen))
    seconds = time.perf_counter() - start
    return AllocationResult(assignments, objective, len(placed), method, seconds, unplaced, chosen=list(chosen))


def busy_week(*weeks: WordWeek) -> tuple[int, ...]:
    """The union of several weeks (already widened for travel) in Candidate's word form."""
    out = np.zeros(WORDS, dtype=np.uint64)
    for week in weeks:
        out |= week
    return tuple(int(w) for w in out)


__all__ = [
    "PRIORITY_HORIZON_DAYS",
    "AllocationResult",
    "Assignment",
    "Candidate",
    "allocate",
    "allocate_greedy",
    "busy_week",
    "candidate_weights",
    "constraints",
]
