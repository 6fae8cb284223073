"""The allocation round's model: candidates, their weights, and the constraint rows A x <= b.

Each survivor brings candidates (a primary opportunity, possibly bundled with a childcare place
and a language class). A choice of candidates is feasible when

* each survivor gets at most one place of each kind (one job, one course, one childcare place,
  one language class), counting every part of every bundle she is given;
* two candidates given to one survivor never clash in time;
* no opportunity gives more places than it has (a bundle takes a place in each of its parts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.schedule import WORDS, popcount

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


def candidate_weights(
    candidates: Sequence[Candidate], waiting_days: Mapping[str, int] | None, priority_weight: float
) -> np.ndarray:
    """Score x (1 + priority_weight x capped waiting share): longer waits tip close calls."""
    scores = np.array([c.score for c in candidates], dtype=np.float64)
    if not waiting_days or priority_weight <= 0:
        return scores
    waits = np.array([waiting_days.get(c.survivor_id, 0) for c in candidates], dtype=np.float64)
    return scores * (1.0 + priority_weight * np.clip(waits / PRIORITY_HORIZON_DAYS, 0.0, 1.0))


def constraints(candidates: Sequence[Candidate], capacities: Mapping[str, int]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows A x <= b: per survivor and kind, per clashing pair, per opportunity capacity.

    A clash between two of her candidates that already share a kind is left out: the kind row
    forbids the pair anyway, and most of her candidates are of one kind, so this keeps the
    programme small without changing what is feasible.
    """
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
        kinds = [{kind for _, kind in candidates[j].parts} for j in members]
        for a, b in zip(*np.nonzero(np.triu(clash, k=1)), strict=True):
            if kinds[int(a)].isdisjoint(kinds[int(b)]):
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


def take_in_order(candidates: Sequence[Candidate], capacities: Mapping[str, int], order: Iterable[int]) -> list[int]:
    """Walk ``order`` and take each candidate whose places, kinds and her week still allow it."""
    left = {k: int(v) for k, v in capacities.items()}
    taken_kinds: set[tuple[str, str]] = set()
    weeks: dict[str, int] = {}
    chosen: list[int] = []
    for j in order:
        cand = candidates[j]
        busy = weeks.get(cand.survivor_id)
        # one week as a 384-bit Python int: a clash test is a single AND
        week = sum(int(w) << (64 * i) for i, w in enumerate(cand.week))
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
    return chosen
