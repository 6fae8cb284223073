"""A coordinator's allocation round: candidates from each survivor's ranking, then allocation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from matching.allocation import AllocationResult, Candidate, allocate, allocate_greedy, busy_week
from matching.bundles import travel_slots
from matching.engine import rank
from matching.index import OpportunityIndex
from matching.schedule import dilate
from matching.scoring import DEFAULT, Weights
from matching.types import SurvivorProfile


def candidates_for(
    profiles: Sequence[SurvivorProfile],
    index: OpportunityIndex,
    *,
    as_of: date,
    per_survivor: int = 10,
    weights: Weights = DEFAULT,
    progress: Callable[[int], None] | None = None,
) -> list[Candidate]:
    """Each survivor's top ``per_survivor`` suggestions as allocation candidates.

    Her busy week for a candidate is the primary's hours and any class's hours, each widened by
    its travel time; childcare hours are the child's, so they do not fill her week.
    """
    out: list[Candidate] = []
    for profile in profiles:
        ranking = rank(profile, index, as_of=as_of, top_k=per_survivor, weights=weights)
        outcome = ranking.outcome
        for item in ranking.ranked:
            assert outcome is not None
            parts = [(item.opportunity_id, _kind(index, item.row))]
            weeks = [dilate(index.schedule[item.row], travel_slots(float(outcome.minutes[item.row])))]
            note = ""
            if item.bundle is not None:
                note = "; ".join(item.bundle.notes)
                for part in (item.bundle.childcare_id, item.bundle.language_class_id):
                    if part is None:
                        continue
                    row = index.row_of[part]
                    parts.append((part, _kind(index, row)))
                    if part == item.bundle.language_class_id:
                        weeks.append(dilate(index.schedule[row], travel_slots(float(outcome.minutes[row]))))
            out.append(Candidate(profile.id, tuple(parts), item.score, busy_week(*weeks), note))
        if progress is not None:
            progress(1)
    return out


def capacities_of(index: OpportunityIndex, candidates: Sequence[Candidate]) -> dict[str, int]:
    """Places left for every opportunity some candidate uses."""
    capacity = index.col("capacity")
    ids = {opp_id for cand in candidates for opp_id, _ in cand.parts}
    return {opp_id: int(capacity[index.row_of[opp_id]]) for opp_id in ids}


def allocation_round(
    profiles: Sequence[SurvivorProfile],
    index: OpportunityIndex,
    *,
    as_of: date,
    per_survivor: int = 10,
    priority_weight: float = 0.0,
    greedy: bool = False,
    weights: Weights = DEFAULT,
) -> AllocationResult:
    """Run one round over ``profiles``: optimal by default, the greedy baseline on request."""
    candidates = candidates_for(profiles, index, as_of=as_of, per_survivor=per_survivor, weights=weights)
    capacities = capacities_of(index, candidates)
    waiting = {p.id: (as_of - p.waiting_since).days for p in profiles if p.waiting_since is not None}
    solve = allocate_greedy if greedy else allocate
    result = solve(candidates, capacities, waiting_days=waiting, priority_weight=priority_weight)
    with_candidates = {c.survivor_id for c in candidates}
    for profile in profiles:
        if profile.id not in with_candidates:
            # say why she was never in the running, so a coordinator can act on it
            reason = "readiness paused" if profile.readiness_paused else "no suggestion passes her filters"
            result.unplaced[profile.id] = reason
    return result


def _kind(index: OpportunityIndex, row: int) -> str:
    record = index.records[row]
    assert record is not None
    return record.kind
