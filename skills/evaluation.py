"""Ranking metrics computed exactly as ``trec_eval`` computes them.

The MELO benchmark scores runs with ``trec_eval -m all_trec``. We reproduce the handful of
measures we report so the benchmark needs no external binary, and so the numbers are
comparable with the published ones to the fourth decimal.

trec_eval details that matter here:
- a run is re-sorted per query by score descending, ties broken by document id *descending*
  (byte order), whatever order the file lists them in;
- only queries that appear in the run *and* have at least one relevant document in the qrels
  are averaged;
- ``map`` divides by the number of relevant documents in the qrels, retrieved or not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Qrels = Mapping[str, frozenset[str]]
"""query id -> ids of its relevant documents (relevance > 0)."""

Run = Mapping[str, Sequence[tuple[str, float]]]
"""query id -> retrieved (document id, score) pairs, in any order."""


@dataclass(frozen=True, slots=True)
class QueryMetrics:
    """trec_eval measures for one query."""

    average_precision: float
    reciprocal_rank: float
    precision_5: float
    success_1: float
    success_5: float
    success_10: float


@dataclass(frozen=True, slots=True)
class RunMetrics:
    """trec_eval measures averaged over the evaluated queries."""

    queries: int
    map: float
    recip_rank: float
    p_5: float
    success_1: float
    success_5: float
    success_10: float


def trec_order(ranked: Sequence[tuple[str, float]]) -> list[str]:
    """Return document ids in trec_eval's evaluation order: score desc, then doc id desc."""
    # Two stable sorts: secondary key first. Python compares str by code point, which equals
    # UTF-8 byte order, i.e. trec_eval's strcmp.
    by_doc = sorted(ranked, key=lambda pair: pair[0], reverse=True)
    return [doc for doc, _ in sorted(by_doc, key=lambda pair: pair[1], reverse=True)]


def query_metrics(ranked: Sequence[tuple[str, float]], relevant: frozenset[str]) -> QueryMetrics:
    """Score one query's retrieved list against its relevant set, trec_eval style.

    ``relevant`` must be non-empty (trec_eval skips queries without relevant documents).
    """
    if not relevant:
        raise ValueError("a query without relevant documents is not evaluated by trec_eval")
    order = trec_order(ranked)
    hits = 0
    precision_sum = 0.0
    first_hit = 0
    for rank, doc in enumerate(order, start=1):
        if doc in relevant:
            hits += 1
            precision_sum += hits / rank
            if first_hit == 0:
                first_hit = rank
    top5 = sum(1 for doc in order[:5] if doc in relevant)
    return QueryMetrics(
        average_precision=precision_sum / len(relevant),
        reciprocal_rank=1.0 / first_hit if first_hit else 0.0,
        precision_5=top5 / 5.0,
        success_1=1.0 if first_hit == 1 else 0.0,
        success_5=1.0 if 0 < first_hit <= 5 else 0.0,
        success_10=1.0 if 0 < first_hit <= 10 else 0.0,
    )


def run_metrics(run: Run, qrels: Qrels) -> RunMetrics:
    """Average :func:`query_metrics` over queries present in the run with relevant documents."""
    per_query = [query_metrics(ranked, qrels[qid]) for qid, ranked in run.items() if qrels.get(qid)]
    n = len(per_query)
    if n == 0:
        return RunMetrics(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    return RunMetrics(
        queries=n,
        map=sum(m.average_precision for m in per_query) / n,
        recip_rank=sum(m.reciprocal_rank for m in per_query) / n,
        p_5=sum(m.precision_5 for m in per_query) / n,
        success_1=sum(m.success_1 for m in per_query) / n,
        success_5=sum(m.success_5 for m in per_query) / n,
        success_10=sum(m.success_10 for m in per_query) / n,
    )
