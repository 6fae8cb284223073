"""Entry point for one survivor: filter the whole catalogue, score, bundle, explain the top.

Everything over the catalogue is a column operation; the only Python loop walks the best-scoring
candidates while bundles are assembled, and it stops as soon as no remaining candidate can enter
the top list (a bundle never scores above its primary).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matching.bundles import BundleParts, build_bundle, bundle_parts, describe_bundle, needs_bundle
from matching.explain import explain
from matching.features import FEATURES, SurvivorContext, compute_features, survivor_context
from matching.filters import FilterOutcome, hard_filters
from matching.index import KIND_CODE, OpportunityIndex
from matching.schedule import popcount
from matching.scoring import DEFAULT, Weights
from matching.types import KINDS, Bundle, Kind, Match, MatchResult, SurvivorProfile

FIRST_SLICE = 256
"""Candidates taken by argpartition before falling back to a full sort; bundles rarely need more."""


@dataclass
class Ranked:
    """One ranked suggestion before explanation: index row, final score and its parts."""

    row: int
    opportunity_id: str
    score: float
    primary_score: float
    features: npt.NDArray[np.float64]
    bundle: Bundle | None


@dataclass
class Ranking:
    """Top suggestions plus the per-reason exclusion counts and profile-level reasons."""

    ranked: list[Ranked]
    excluded: dict[str, int]
    reasons: list[str]
    context: SurvivorContext | None
    outcome: FilterOutcome | None


def profile_reasons(profile: SurvivorProfile, ctx: SurvivorContext) -> list[str]:
    """Reasons that rule out every suggestion whatever the catalogue holds."""
    reasons = []
    if profile.readiness_paused:
        reasons.append("readiness paused: she asked for no suggestions for now")
    if int(popcount(ctx.availability)) == 0:
        reasons.append("no availability given")
    return reasons


def rank(
    profile: SurvivorProfile,
    index: OpportunityIndex,
    *,
    as_of: date,
    top_k: int = 20,
    weights: Weights = DEFAULT,
    kinds: Collection[Kind] | None = None,
) -> Ranking:
    """The ``top_k`` best suggestions, best first, ties broken by opportunity id.

    ``kinds`` narrows the list (say, jobs only) without changing any score; exclusion counts
    still cover every primary kind.
    """
    ctx = survivor_context(profile, index)
    reasons = profile_reasons(profile, ctx)
    if reasons:
        return Ranking([], {}, reasons, ctx, None)
    outcome = hard_filters(index, ctx, as_of)
    rows = outcome.primary
    if kinds is not None:
        rows = rows[np.isin(index.col("kind")[rows], [KIND_CODE[k] for k in kinds])]
    excluded = outcome.excluded
    if len(rows) == 0:
        return Ranking([], excluded, ["no opportunity passes her filters"], ctx, outcome)
    features = compute_features(index, ctx, rows, outcome.minutes[rows], outcome.overlap[rows], outcome.languages)
    scores = weights.score(features)
    parts = bundle_parts(index, ctx, outcome)
    ranked = _walk(index, ctx, outcome, parts, rows, features, scores, top_k, excluded)
    if not ranked:
        reasons = ["no opportunity passes her filters"]
    return Ranking(ranked, excluded, reasons, ctx, outcome)


def _walk(
    index: OpportunityIndex,
    ctx: SurvivorContext,
    outcome: FilterOutcome,
    parts: BundleParts,
    rows: npt.NDArray[np.int64],
    features: npt.NDArray[np.float64],
    scores: npt.NDArray[np.float64],
    top_k: int,
    excluded: dict[str, int],
) -> list[Ranked]:
    ids = index.ids
    best: list[tuple[float, _Desc, Ranked]] = []  # min-heap on (score, reversed id): worst on top
    order = _descending(scores, min(FIRST_SLICE, len(scores)))
    seen: set[int] = set()
    position = 0
    while position < len(order):
        i = int(order[position])
        position += 1
        if position == len(order) and len(order) < len(scores):
            # rare: bundles failed for the whole first slice; continue over the full order
            seen.update(int(j) for j in order)
            order = np.array([j for j in _descending(scores, len(scores)) if int(j) not in seen])
            position = 0
        score = float(scores[i])
        if len(best) >= top_k and score < best[0][0]:
            break
        row = int(rows[i])
        bundle: Bundle | None = None
        final = score
        if needs_bundle(index, parts, outcome, row):
            built = build_bundle(index, ctx, outcome, parts, row, score)
            if isinstance(built, str):
                excluded[built] = excluded.get(built, 0) + 1
                continue
            bundle, final = built, built.score
        opp_id = ids[row]
        assert opp_id is not None
        item = (final, _Desc(opp_id), Ranked(row, opp_id, final, score, features[i], bundle))
        if len(best) < top_k:
            heapq.heappush(best, item)
        elif item[:2] > best[0][:2]:
            heapq.heapreplace(best, item)
    ranked = [entry[2] for entry in sorted(best, key=lambda e: (-e[0], e[2].opportunity_id))]
    for chosen in ranked:
        if chosen.bundle is not None:
            chosen.bundle.notes = describe_bundle(index, ctx, chosen.bundle)
    return ranked


class _Desc:
    """Wraps an id so that heap order prefers the smaller id among equal scores."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return self.value > other.value

    def __gt__(self, other: _Desc) -> bool:
        return self.value < other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


def _descending(scores: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.int64]:
    if k < len(scores):
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.argsort(-scores[top], kind="stable")]
    return np.argsort(-scores, kind="stable")


def match_survivor(
    profile: SurvivorProfile,
    index: OpportunityIndex,
    *,
    as_of: date,
    top_k: int = 20,
    weights: Weights = DEFAULT,
    labels: Mapping[str, str] | None = None,
    kinds: Collection[Kind] | None = None,
) -> MatchResult:
    """Ranked, explained suggestions for one survivor; never raises for an impossible profile."""
    ranking = rank(profile, index, as_of=as_of, top_k=top_k, weights=weights, kinds=kinds)
    matches = []
    for item in ranking.ranked:
        assert ranking.context is not None and ranking.outcome is not None
        record = index.records[item.row]
        assert record is not None
        explanation = explain(
            index,
            ranking.context,
            item.row,
            item.features,
            weights,
            float(ranking.outcome.minutes[item.row]),
            item.bundle,
            labels,
        )
        matches.append(
            Match(
                opportunity_id=item.opportunity_id,
                kind=record.kind,
                title=record.title,
                score=item.score,
                features={name: round(float(v), 6) for name, v in zip(FEATURES, item.features, strict=True)},
                explanation=explanation,
                bundle=item.bundle,
            )
        )
    return MatchResult(profile.id, matches, ranking.excluded, ranking.reasons, weights.version)


__all__ = ["KINDS", "Ranked", "Ranking", "match_survivor", "rank"]
