"""trec_eval-equivalent metrics on tiny hand-computed runs, and the MELO bench's optional bridge."""

import gzip
from pathlib import Path

import pytest

from bench.melo import bridge_rows, load_dataset, rank_onward
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


def _write_dataset(root: Path, name: str) -> Path:
    directory = root / name
    directory.mkdir()
    (directory / "queries.tsv").write_text("Q1\tKöchin\nQ2\tReinigungskraft\n", encoding="utf-8")
    (directory / "corpus_elements.tsv").write_text(
        "C1_en_000\tcook\nC1_en_001\tchef\nC2_en_000\tcleaner\nC3_en_000\tbaker\n", encoding="utf-8"
    )
    (directory / "annotations.tsv").write_text(
        "Q1\t0\tC1_en_000\t1\nQ1\t0\tC1_en_001\t1\nQ2\t0\tC2_en_000\t1\n", encoding="utf-8"
    )
    (directory / "concept_mapping.tsv").write_text(
        "C1_en_000\tesco:cook\nC1_en_001\tesco:cook\nC2_en_000\tesco:cleaner\nC3_en_000\tesco:baker\n",
        encoding="utf-8",
    )
    return directory


def _write_bridge(root: Path) -> Path:
    with gzip.open(root / "occupation_labels_multilingual.csv.gz", "wt", encoding="utf-8", newline="") as f:
        f.write("conceptUri,language,label,labelType\n")
        f.write("esco:cook,de,Koch,preferredLabel\n")
        f.write("esco:cleaner,de,Reinigungskraft,preferredLabel\n")
        f.write("esco:cleaner,fr,nettoyeur,preferredLabel\n")
        f.write("esco:elsewhere,de,Bäcker,preferredLabel\n")
    return root


def test_bridge_adds_query_language_labels_of_corpus_concepts_only(tmp_path: Path) -> None:
    dataset = load_dataset(_write_dataset(tmp_path, "toy_q_de_c_en"))
    rows = bridge_rows(dataset, _write_bridge(tmp_path))
    assert sorted((row.concept_id, row.label, row.lang) for row in rows) == [
        ("esco:cleaner", "Reinigungskraft", "de"),
        ("esco:cook", "Koch", "de"),
    ]


def test_bridge_leaves_same_language_datasets_alone(tmp_path: Path) -> None:
    dataset = load_dataset(_write_dataset(tmp_path, "toy_q_en_c_en"))
    assert bridge_rows(dataset, _write_bridge(tmp_path)) == []


def test_bridged_run_ranks_only_corpus_labels(tmp_path: Path) -> None:
    dataset = load_dataset(_write_dataset(tmp_path, "toy_q_de_c_en"))
    run, _ = rank_onward(dataset, bridge=_write_bridge(tmp_path))
    corpus = {cid for cid, _ in dataset.corpus}
    assert all(doc in corpus for ranked in run.values() for doc, _ in ranked)
    metrics = run_metrics(run, dataset.qrels)
    assert metrics.success_1 == 1.0  # German queries reach English labels through the bridge
