"""An allocation round split into independent parts, each solved exactly, with a stated bound.

Two candidates interact only through a shared survivor or a shared opportunity. The connected
components of the survivor-opportunity graph therefore share no constraint at all: the optimum
of the whole round is the sum of the optima of its parts. A national round falls apart into its
regions (a survivor's candidates lie within her commute), so a 20,000-person round becomes a dozen
rounds the size HiGHS proves optimal in seconds. Nothing here is a heuristic; when a part cannot
be proved optimal in its share of the time, its best solution (or greedy's choice for that part,
whichever is higher) is kept and the gap to the part's dual bound is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

from matching.allocation_model import Candidate, constraints, take_in_order

INTEGRAL = 1e-7
"""An LP value this close to 0 or 1 counts as integral."""
MIN_MILP_SECONDS = 0.5
"""Below this much time left a part keeps its LP-rounded solution and its stated gap."""
Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) after each LP and each MILP of a part; may raise to cancel."""


@dataclass
class PartOutcome:
    """How one part was solved: chosen candidate positions (in the round), objective and bound."""

    chosen: list[int]
    objective: float
    bound: float
    method: str  # "optimal" | "lp-rounded" | "within gap" | "time limit"


@dataclass
class SolveSummary:
    """All parts together: what to keep, the total bound and how each part ended."""

    chosen: list[int]
    objective: float
    bound: float
    parts: int
    optimal_parts: int
    near_parts: int
    limited_parts: int

    @property
    def gap(self) -> float:
        """Relative distance of the objective below the bound (0 when proved optimal)."""
        if self.bound <= 0:
            return 0.0
        return max(self.bound - self.objective, 0.0) / self.bound

    def method(self) -> str:
        """A short statement of how the round was solved (stored with the round, shown on its page)."""
        if self.near_parts == 0 and self.limited_parts == 0:
            return f"optimal ({self.parts} parts, each proved)"
        pieces = [f"{self.optimal_parts} proved"]
        if self.near_parts:
            pieces.append(f"{self.near_parts} near")
        if self.limited_parts:
            pieces.append(f"{self.limited_parts} time limit")
        return f"{self.parts} parts: {', '.join(pieces)}; gap {100 * self.gap:.3f}%"


def parts_of(candidates: Sequence[Candidate]) -> list[npt.NDArray[np.int64]]:
    """Candidate positions per connected component, largest first (one pass, no pair loop)."""
    if not candidates:
        return []
    survivors: dict[str, int] = {}
    opportunities: dict[str, int] = {}
    edge_a: list[int] = []
    edge_b: list[int] = []
    owner = np.empty(len(candidates), dtype=np.int64)
    for j, cand in enumerate(candidates):
        s = survivors.setdefault(cand.survivor_id, len(survivors))
        owner[j] = s
        for opp_id, _ in cand.parts:
            edge_a.append(s)
            edge_b.append(opportunities.setdefault(opp_id, len(opportunities)))
    n_s = len(survivors)
    n = n_s + len(opportunities)
    graph = sp.coo_matrix((np.ones(len(edge_a)), (np.array(edge_a), np.array(edge_b) + n_s)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    of_candidate = labels[owner]
    order = np.argsort(of_candidate, kind="stable")
    bounds = np.flatnonzero(np.diff(of_candidate[order])) + 1
    groups = np.split(order, bounds)
    return sorted(groups, key=lambda g: (-len(g), int(g[0])))


@dataclass
class Relaxed:
    """One part after its LP relaxation: the model, the best solution so far and the bound."""

    members: npt.NDArray[np.int64]
    sub: list[Candidate]
    w: npt.NDArray[np.float64]
    matrix: sp.csr_matrix
    upper: npt.NDArray[np.float64]
    best: list[int]
    best_value: float
    bound: float
    outcome: PartOutcome | None = None
    """Set once the part needs no further search."""

    @property
    def slack(self) -> float:
        """How much objective the part may still be missing."""
        return max(self.bound - self.best_value, 0.0)


def relax_part(
    candidates: Sequence[Candidate],
    capacities: dict[str, int],
    weights: npt.NDArray[np.float64],
    members: npt.NDArray[np.int64],
    greedy_chosen: list[int],
    time_limit: float,
    accept_gap: float = 0.0,
) -> Relaxed:
    """The LP relaxation of one part: its optimum bounds the part from above and is often integral
    already (then it is the proven optimum); otherwise its fractional solution orders a greedy
    pass (LP rounding), kept if within ``accept_gap`` of the bound. Never below greedy's choice."""
    greedy_value = float(weights[greedy_chosen].sum()) if greedy_chosen else 0.0
    sub = [candidates[int(j)] for j in members]
    w = weights[members]
    matrix, upper = constraints(sub, capacities)
    part = Relaxed(members, sub, w, matrix, upper, list(greedy_chosen), greedy_value, float(w.sum()))
    if matrix.shape[0] == 0:  # nothing competes: everyone takes every candidate
        every = [int(j) for j in members]
        part.outcome = PartOutcome(every, float(w.sum()), float(w.sum()), "optimal")
        return part
    lp = linprog(
        -w, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs", options={"time_limit": max(time_limit, 0.5)}
    )
    if lp.status != 0 or lp.x is None:
        return part
    part.bound = -float(lp.fun)
    x = np.asarray(lp.x)
    if np.all(np.minimum(np.abs(x), np.abs(1 - x)) <= INTEGRAL):
        picked = [int(members[i]) for i in np.flatnonzero(x > 0.5)]
        value = float(weights[picked].sum()) if picked else 0.0
        if value + 1e-9 >= greedy_value:
            part.outcome = PartOutcome(picked, value, max(value, part.bound), "optimal")
            return part
    order = sorted(range(len(sub)), key=lambda i: (-round(float(x[i]), 6), -float(w[i]), i))
    rounded = [int(members[i]) for i in take_in_order(sub, capacities, order)]
    value = float(weights[rounded].sum()) if rounded else 0.0
    if value > part.best_value + 1e-9:
        part.best, part.best_value = rounded, value
    if part.slack <= 1e-9 * max(part.bound, 1.0):
        part.outcome = PartOutcome(part.best, part.best_value, part.best_value, "optimal")
    elif part.bound > 0 and part.slack / part.bound <= accept_gap:
        part.outcome = PartOutcome(part.best, part.best_value, part.bound, "lp-rounded")
    return part


def search_part(part: Relaxed, weights: npt.NDArray[np.float64], time_limit: float, accept_gap: float) -> PartOutcome:
    """The part's MILP in ``time_limit`` seconds; the best of its solution and the part's solution so
    far is kept, with the tighter of the LP and MILP bounds."""
    if time_limit < MIN_MILP_SECONDS:
        return PartOutcome(part.best, part.best_value, max(part.bound, part.best_value), "time limit")
    solution = milp(
        c=-part.w,
        constraints=[LinearConstraint(part.matrix, -np.inf, part.upper)],
        integrality=np.ones(len(part.sub)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": accept_gap},
    )
    best, best_value, bound = part.best, part.best_value, part.bound
    dual = getattr(solution, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        bound = min(bound, -float(dual))
    if solution.x is not None:
        picked = [int(part.members[i]) for i in np.flatnonzero(solution.x > 0.5)]
        value = float(weights[picked].sum()) if picked else 0.0
        if value > best_value + 1e-9:
            best, best_value = picked, value
    if solution.status == 0 and (accept_gap == 0 or bound - best_value <= 1e-9 * max(bound, 1.0)):
        return PartOutcome(best, best_value, best_value, "optimal")
    bound = max(bound, best_value)
    if bound > 0 and (bound - best_value) / bound <= accept_gap:
        return PartOutcome(best, best_value, bound, "within gap")
    return PartOutcome(best, best_value, bound, "time limit")


def solve_by_parts(
    candidates: Sequence[Candidate],
    capacities: dict[str, int],
    weights: npt.NDArray[np.float64],
    greedy_chosen: Sequence[int],
    *,
    time_limit: float,
    accept_gap: float = 0.0,
    progress: Progress | None = None,
) -> SolveSummary:
    """Solve every part within ``time_limit`` seconds in all.

    First every part's LP relaxation (cheap, and enough for most parts); then the time left goes
    to the MILP of the parts still open, smallest first, each taking an equal share of what
    remains (a part finishing early leaves its time to the next, so the largest gets the most).
    """
    deadline = time.perf_counter() + time_limit
    groups = parts_of(candidates)
    part_of = np.empty(len(candidates), dtype=np.int64)
    for p, members in enumerate(groups):
        part_of[members] = p
    greedy_by_part: list[list[int]] = [[] for _ in groups]
    for j in greedy_chosen:
        greedy_by_part[int(part_of[j])].append(int(j))
    steps = 2 * len(groups)
    relaxed: list[Relaxed] = []
    remaining = len(candidates)
    for p, members in enumerate(groups):
        share = 0.5 * (deadline - time.perf_counter()) * len(members) / max(remaining, 1)
        relaxed.append(relax_part(candidates, capacities, weights, members, greedy_by_part[p], share, accept_gap))
        remaining -= len(members)
        if progress is not None:
            progress(p + 1, steps)
    # smallest first: they prove quickly and leave their unused share to the largest
    open_parts = sorted((r for r in relaxed if r.outcome is None), key=lambda r: len(r.sub))
    for k, part in enumerate(open_parts):
        share = (deadline - time.perf_counter()) / (len(open_parts) - k)
        part.outcome = search_part(part, weights, share, accept_gap)
        if progress is not None:
            progress(len(groups) + k + 1, len(groups) + len(open_parts))
    chosen: list[int] = []
    objective = bound = 0.0
    tally = {"optimal": 0, "lp-rounded": 0, "within gap": 0, "time limit": 0}
    for part in relaxed:
        assert part.outcome is not None
        chosen += part.outcome.chosen
        objective += part.outcome.objective
        bound += part.outcome.bound
        tally[part.outcome.method] += 1
    near = tally["lp-rounded"] + tally["within gap"]
    return SolveSummary(chosen, objective, bound, len(groups), tally["optimal"], near, tally["time limit"])
