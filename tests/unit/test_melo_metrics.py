"""trec_eval-equivalent metrics on tiny hand-computed runs."""

import pytest

from skills.evaluation import query_metrics, run_metrics, trec_order


def test_trec_order_sorts_by_score_then_document_id_descending() -> None:
    ranked = [("a", 0.5), ("c", 0.5), ("b", 0.9), ("d", 0.1)]
    assert trec_order(ranked) == ["b", "c", "a", "d"]


def test_average_precision_divides_by_all_relevant_documents() -> None:
    # relevant at ranks 1 and 3, a third relevant document never retrieved
    ranked = [("d1", 3.0), ("x", 2.0), ("d2", 1.0)]
    metrics = query_metrics(ranked, frozenset({"d1", "d2", "d3"}))
    assert metrics.average_precision == pytest.approx((1 / 1 + 2 / 3) / 3)
    assert metrics.reciprocal_rank == 1.0
    assert metrics.success_1 == 1.0
    assert metrics.precision_5 == pytest.approx(2 / 5)


def test_ties_are_broken_against_the_file_order() -> None:
    # Equal scores: trec_eval puts "z" before "a" whatever order the run lists them in.
    ranked = [("a", 1.0), ("z", 1.0)]
    metrics = query_metrics(ranked, frozenset({"a"}))
    assert metrics.reciprocal_rank == 0.5
    assert metrics.success_1 == 0.0
    assert metrics.average_precision == 0.5


def test_reciprocal_rank_and_success_at_10() -> None:
    ranked = [(f"n{i:02d}", 100.0 - i) for i in range(12)] + [("hit", 50.0)]
    metrics = query_metrics(ranked, frozenset({"hit"}))
    assert metrics.reciprocal_rank == pytest.approx(1 / 13)
    assert metrics.success_10 == 0.0
    ranked_early = [("hit", 1.0), *ranked[:9]]
    assert query_metrics(ranked_early, frozenset({"hit"})).success_10 == 1.0


def test_no_relevant_retrieved_scores_zero() -> None:
    metrics = query_metrics([("x", 1.0)], frozenset({"y"}))
    assert (metrics.average_precision, metrics.reciprocal_rank, metrics.success_10) == (0.0, 0.0, 0.0)


def test_run_average_skips_queries_without_relevant_documents() -> None:
    run = {
        "q1": [("a", 2.0), ("b", 1.0)],  # AP 1.0, RR 1
        "q2": [("c", 2.0), ("d", 1.0)],  # AP 0.5 (d at rank 2, 1 relevant), RR 0.5
        "q3": [("e", 1.0)],  # not in qrels: skipped
    }
    qrels = {"q1": frozenset({"a"}), "q2": frozenset({"d"}), "q4": frozenset({"z"})}
    metrics = run_metrics(run, qrels)
    assert metrics.queries == 2
    assert metrics.map == pytest.approx(0.75)
    assert metrics.recip_rank == pytest.approx(0.75)
    assert metrics.success_1 == pytest.approx(0.5)


def test_query_without_relevant_documents_is_refused() -> None:
    with pytest.raises(ValueError):
        query_metrics([("a", 1.0)], frozenset())
