"""Allocation rounds: share scarce places across a caseload to maximise total fit.

Each survivor brings candidates (a primary opportunity, possibly bundled with a childcare place
and a language class). A 0/1 integer programme picks candidates so that

* each survivor gets at most one place of each kind (one job, one course, one childcare place,
  one language class), counting every part of every bundle she is given;
* two candidates given to one survivor never clash in time;
* no opportunity gives more places than it has (a bundle takes a place in each of its parts);

and the sum of (priority-weighted) scores is as large as possible. scipy's ``milp`` (HiGHS)
solves it; a greedy round is kept as the baseline and as the fallback if the solver stops
without a proven optimum (the round then never returns less than greedy).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.schedule import WORDS, WordWeek, popcount

PRIORITY_HORIZON_DAYS = 365
"""Waiting longer than a year earns no further priority: the bonus is capped, not open-ended."""


@dataclass(frozen=True)
class Candidate:
    """One option for one survivor: ``parts`` are (opportunity id, kind), primary first."""

    survivor_id: str
    parts: tuple[tuple[str, str], ...]
    score: float
    week: tuple[int, ...] = (0,) * WORDS  # busy slots incl. travel, as six uint64 words
    note: str = ""

    @property
    def primary_id(self) -> str:
        """The opportunity the candidate is about."""
        return self.parts[0][0]


@dataclass
class Assignment:
    """Who gets what, with the weight it carried and why."""

    survivor_id: str
    candidate: Candidate
    weight: float
    why: str


@dataclass
class AllocationResult:
    """A round's outcome: assignments, total weighted score, people placed, and how it was solved."""

    assignments: list[Assignment]
    objective: float
    placed: int
    method: str
    seconds: float
    unplaced: dict[str, str] = field(default_factory=dict)


def candidate_weights(
    candidates: Sequence[Candidate], waiting_days: Mapping[str, int] | None, priority_weight: float
) -> np.ndarray:
    """Score x (1 + priority_weight x capped waiting share): longer waits tip close calls."""
    scores = np.array([c.score for c in candidates], dtype=np.float64)
    if not waiting_days or priority_weight <= 0:
        return scores
    waits = np.array([waiting_days.get(c.survivor_id, 0) for c in candidates], dtype=np.float64)
    return scores * (1.0 + priority_weight * np.clip(waits / PRIORITY_HORIZON_DAYS, 0.0, 1.0))


def _constraints(candidates: Sequence[Candidate], capacities: Mapping[str, int]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows A x <= b: per survivor and kind, per clashing pair, per opportunity capacity."""
    rows: list[int] = []
    cols: list[int] = []
    bounds: list[float] = []
    groups: dict[tuple[str, str], list[int]] = {}
    users: dict[str, list[int]] = {}
    by_survivor: dict[str, list[int]] = {}
    for j, cand in enumerate(candidates):
        by_survivor.setdefault(cand.survivor_id, []).append(j)
        for opp_id, kind in cand.parts:
            groups.setdefault((cand.survivor_id, kind), []).append(j)
            users.setdefault(opp_id, []).append(j)

    def add(members: list[int], bound: float) -> None:
        row = len(bounds)
        rows.extend([row] * len(members))
        cols.extend(members)
        bounds.append(bound)

    for members in groups.values():
        if len(members) > 1:
            add(members, 1.0)
    for members in by_survivor.values():
        if len(members) < 2:
            continue
        weeks = np.array([candidates[j].week for j in members], dtype=np.uint64)
        clash = popcount(weeks[:, None, :] & weeks[None, :, :]) > 0
        for a, b in zip(*np.nonzero(np.triu(clash, k=1)), strict=True):
            add([members[int(a)], members[int(b)]], 1.0)
    for opp_id, members in users.items():
        cap = max(int(capacities.get(opp_id, 0)), 0)
        if cap < len(members):  # a capacity nobody can exceed is not a constraint
            add(members, float(cap))
    matrix = sp.csr_matrix(
        (np.ones(len(rows)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(len(bounds), len(candidates)),
    )
    return matrix, np.array(bounds)


def allocate(
    candidates: Sequence[Candidate],
    capacities: Mapping[str, int],
    *,
    waiting_days: Mapping[str, int] | None = None,
    priority_weight: float = 0.0,
    time_limit: float = 60.0,
) -> AllocationResult:
    """The assignment with the largest total weighted score (HiGHS MILP, proven optimal).

    Falls back to the greedy round if the solver does not prove optimality in ``time_limit``
    or finds less than greedy, and says so in ``method``.
    """
    start = time.perf_counter()
    weights = candidate_weights(candidates, waiting_days, priority_weight)
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting_days, priority_weight=priority_weight)
    if not candidates:
        return _result(candidates, [], weights, "milp", start)
    matrix, bounds = _constraints(candidates, capacities)
    constraints = [LinearConstraint(matrix, -np.inf, bounds)] if matrix.shape[0] else []
    solution = milp(
        c=-weights,
        constraints=constraints,
        integrality=np.ones(len(candidates)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if solution.x is None:
        return _fallback(greedy, "greedy (solver found no solution)", start)
    chosen = [j for j in range(len(candidates)) if solution.x[j] > 0.5]
    result = _result(candidates, chosen, weights, "milp" if solution.status == 0 else "milp (time limit)", start)
    if result.objective + 1e-9 < greedy.objective:
        return _fallback(greedy, "greedy (solver stopped below greedy)", start)
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
    left = {k: int(v) for k, v in capacities.items()}
    taken_kinds: set[tuple[str, str]] = set()
    weeks: dict[str, int] = {}
    chosen: list[int] = []
    order = sorted(range(len(candidates)), key=lambda j: (-weights[j], candidates[j].survivor_id, j))
    for j in order:
        cand = candidates[j]
        # one week as a 384-bit Python int: a clash test is a single AND
        week = sum(int(w) << (64 * i) for i, w in enumerate(cand.week))
        busy = weeks.get(cand.survivor_id)
        if busy is not None and busy & week:
            continue
        if any((cand.survivor_id, kind) in taken_kinds for _, kind in cand.parts):
            continue
        if any(left.get(opp_id, 0) <= 0 for opp_id, _ in cand.parts):
            continue
        for opp_id, kind in cand.parts:
            left[opp_id] -= 1
            taken_kinds.add((cand.survivor_id, kind))
        weeks[cand.survivor_id] = week if busy is None else busy | week
        chosen.append(j)
    return _result(candidates, chosen, weights, "greedy", start)


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
    return AllocationResult(assignments, objective, len(placed), method, time.perf_counter() - start, unplaced)


def _fallback(greedy: AllocationResult, method: str, start: float) -> AllocationResult:
    greedy.method = method
    greedy.seconds = time.perf_counter() - start
    return greedy


def busy_week(*weeks: WordWeek) -> tuple[int, ...]:
    """The union of several weeks (already widened for travel) in Candidate's word form."""
    out = np.zeros(WORDS, dtype=np.uint64)
    for week in weeks:
        out |= week
    return tuple(int(w) for w in out)
