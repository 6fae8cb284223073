"""Evaluate the occupation normaliser on MELO-format datasets, scored exactly like trec_eval.

    python bench/melo.py DATASET_DIR [DATASET_DIR ...] [--method onward|char_tf_idf] [--run-dir DIR]
    python bench/melo.py --esco-build /work/shared/data/esco      # build time, RSS, queries/s
    python bench/melo.py DATASET_DIR --bridge /work/shared/data/esco  # cross-lingual, see below

Each dataset's index is built from its own corpus elements only. The top 100 elements per
query are scored with MAP, MRR, success@1/10 (trec_eval semantics, see skills/evaluation.py)
and concept accuracy@1 (the top element's concept is a gold concept); q/s excludes the index
build, shown apart. Beside each row we print
the best published lexical and neural figures from ``published_results.tsv`` when present.

``--bridge ESCO_DIR`` (optional, off by default) is for cross-lingual datasets, named
``<name>_q_<X>_c_<Y>`` with X != Y (queries in X, corpus in Y): the corpus concepts' ESCO labels
in the query language X (``occupation_labels_multilingual.csv.gz``) are indexed as extra
evidence, and only corpus labels (language Y) are ranked. Same-language datasets get no bridge
labels, so their figures are unchanged; without the option every figure comes from the
dataset's own corpus only, as in the paper.
"""

from __future__ import annotations

import os

# One core, as the brief measures throughput per core; must precede numpy's import.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import functools  # noqa: E402
import gzip  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from tqdm import tqdm  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine_info import describe  # noqa: E402
from skills.evaluation import RunMetrics, run_metrics  # noqa: E402
from skills.folding import ascii_fold  # noqa: E402
from skills.normalise import Normaliser  # noqa: E402
from skills.normalise_records import LabelRow  # noqa: E402

TOP_K = 100
LEXICAL_PREFIXES = ("bm25", "char_tf_idf", "word_tf_idf", "edit_distance")
Ranking = list[tuple[str, float]]


@dataclass(frozen=True)
class Dataset:
    """One MELO dataset directory, read without quoting (labels may contain '"')."""

    name: str
    queries: list[tuple[str, str]]
    corpus: list[tuple[str, str]]
    qrels: dict[str, frozenset[str]]
    concept_of: dict[str, str]


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip("\n").split("\t")


def load_dataset(directory: Path) -> Dataset:
    """Read queries, corpus elements, qrels (relevance > 0) and the element -> concept map."""
    qrels: dict[str, set[str]] = defaultdict(set)
    for qid, _, doc, rel in _tsv(directory / "annotations.tsv"):
        if int(rel) > 0:
            qrels[qid].add(doc)
    return Dataset(
        name=directory.name,
        queries=[(f[0], f[1]) for f in _tsv(directory / "queries.tsv")],
        corpus=[(f[0], f[1]) for f in _tsv(directory / "corpus_elements.tsv")],
        qrels={qid: frozenset(docs) for qid, docs in qrels.items()},
        concept_of={f[0]: f[1] for f in _tsv(directory / "concept_mapping.tsv")},
    )


def rank_char_tf_idf(dataset: Dataset) -> tuple[dict[str, Ranking], float]:
    """MELO's char_tf_idf baseline: lower-case + ASCII folding, char 1-3 grams, cosine.

    Reproduces its run file too: a stable sort by score, the top 100, scores written with five
    decimals (trec_eval then breaks the resulting ties by document id).
    """
    started = time.perf_counter()
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    corpus = vectoriser.fit_transform([ascii_fold(label) for _, label in dataset.corpus])
    build = time.perf_counter() - started
    queries = vectoriser.transform([ascii_fold(text) for _, text in dataset.queries])
    ids = [cid for cid, _ in dataset.corpus]
    run: dict[str, Ranking] = {}
    for start in range(0, len(dataset.queries), 256):
        block = (queries[start : start + 256] @ corpus.T).toarray()
        for offset, scores in enumerate(block):
            top = np.argsort(-scores, kind="stable")[:TOP_K]
            run[dataset.queries[start + offset][0]] = [(ids[i], round(float(scores[i]), 5)) for i in top]
    return run, build


def dataset_rows(dataset: Dataset) -> list[LabelRow]:
    """Label rows for a MELO corpus; concepts come from concept_mapping.tsv."""
    rows = []
    for cid, label in dataset.corpus:
        uri = dataset.concept_of.get(cid, cid)
        rows.append(
            LabelRow(
                concept_id=uri,
                label=label,
                lang=cid.rsplit("_", 2)[-2] if cid.count("_") >= 2 else "",
                label_type="preferred" if cid.endswith("_000") else "alternative",
                kind="isco_group" if "/isco/" in uri else "occupation",
            )
        )
    return rows


def bridge_rows(dataset: Dataset, esco: Path) -> list[LabelRow]:
    """ESCO labels in the dataset's query language for its corpus concepts (see ``--bridge``).

    Empty unless the name says queries and corpus differ in language (``_q_<X>_c_<Y>``).
    """
    langs = re.search(r"_q_([a-z]{2,3})_c_([a-z]{2,3})$", dataset.name)
    if langs is None or langs[1] == langs[2]:
        return []
    concepts = set(dataset.concept_of.values())
    rows = []
    with gzip.open(esco / "occupation_labels_multilingual.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            if rec["language"] == langs[1] and rec["conceptUri"] in concepts:
                uri = rec["conceptUri"]
                rows.append(
                    LabelRow(
                        concept_id=uri,
                        label=rec["label"],
                        lang=rec["language"],
                        label_type="preferred" if rec["labelType"] == "preferredLabel" else "alternative",
                        kind="isco_group" if "/isco/" in uri else "occupation",
                    )
                )
    return rows


def rank_onward(dataset: Dataset, bridge: Path | None = None) -> tuple[dict[str, Ranking], float]:
    """Our normaliser, built from this dataset's corpus only (plus, with ``bridge``, ESCO labels
    in the query language that are evidence but never answers), ranking labels of all kinds."""
    started = time.perf_counter()
    rows = dataset_rows(dataset)
    extra = bridge_rows(dataset, bridge) if bridge is not None else []
    normaliser = Normaliser.build(rows + extra)
    build = time.perf_counter() - started
    # Corpus rows come first, so element i < len(corpus) is corpus element i.
    answer_lang = rows[0].lang if extra else None
    ids = [cid for cid, _ in dataset.corpus]
    texts = [text for _, text in dataset.queries]
    run: dict[str, Ranking] = {}
    for start in range(0, len(texts), 256):
        ranked = normaliser.rank_elements_many(texts[start : start + 256], k=TOP_K, answer_lang=answer_lang)
        for offset, pairs in enumerate(ranked):
            run[dataset.queries[start + offset][0]] = [(ids[i], round(s, 6)) for i, s in pairs]
    return run, build


METHODS: dict[str, Callable[[Dataset], tuple[dict[str, Ranking], float]]] = {
    # Each returns the run and the seconds spent building its index (excluded from q/s).
    "onward": rank_onward,
    "char_tf_idf": rank_char_tf_idf,
}


def concept_accuracy(dataset: Dataset, run: dict[str, Ranking]) -> float:
    """Share of evaluated queries whose top element belongs to a gold concept."""
    hits = total = 0
    for qid, ranked in run.items():
        gold = dataset.qrels.get(qid)
        if not gold:
            continue
        total += 1
        if ranked:
            top = max(ranked, key=lambda pair: pair[1])[0]
            hits += dataset.concept_of.get(top) in {dataset.concept_of.get(doc) for doc in gold}
    return hits / total if total else 0.0


def published(directory: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """dataset -> method -> (map, recip_rank) from ../published_results.tsv, if present."""
    path = directory.parent / "published_results.tsv"
    table: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    if path.exists():
        rows = list(_tsv(path))
        header = rows[0]
        for fields in rows[1:]:
            rec = dict(zip(header, fields, strict=False))
            table[rec["dataset"]][rec["method"]] = (float(rec["map"]), float(rec["recip_rank"]))
    return table


def best_published(results: dict[str, tuple[float, float]], lexical: bool) -> str:
    """'MAP/MRR method' of the best-MAP method in the family, or '-'."""
    family = {m: v for m, v in results.items() if m.startswith(LEXICAL_PREFIXES) == lexical}
    if not family:
        return "-"
    best_map = max(family.items(), key=lambda kv: kv[1][0])
    best_mrr = max(family.values(), key=lambda v: v[1])[1]
    return f"{best_map[1][0]:.4f}/{best_mrr:.4f} ({best_map[0]})"


def write_run(run_dir: Path, dataset: Dataset, run: dict[str, Ranking], tag: str) -> None:
    """TREC run file: ``qid Q0 doc rank score tag``, in trec_eval's own order."""
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / f"{dataset.name}.run").open("w", encoding="utf-8") as out:
        for qid, ranked in run.items():
            order = sorted(sorted(ranked, key=lambda p: p[0], reverse=True), key=lambda p: p[1], reverse=True)
            for rank, (doc, score) in enumerate(order, start=1):
                out.write(f"{qid} Q0 {doc} {rank} {score} {tag}\n")


def machine() -> str:
    """Where the figures come from (see bench/machine_info.py)."""
    return describe("1 thread (a shared machine makes q/s and build times noisy)")


def evaluate(directories: list[Path], method: str, run_dir: Path | None, bridge: Path | None = None) -> None:
    """Print one row per dataset and the mean MAP/MRR line."""
    print(machine())
    print(f"method: {method}" + (f" (bridge: ESCO labels in the query language from {bridge})" if bridge else ""))
    rank = functools.partial(rank_onward, bridge=bridge) if method == "onward" else METHODS[method]
    header = (
        f"{'dataset':<16}{'queries':>8}{'MAP':>8}{'MRR':>8}{'S@1':>8}{'S@10':>8}{'cAcc@1':>8}{'q/s':>8}{'build':>7}"
        f"  {'best lexical MAP/MRR':<36}{'best neural MAP/MRR':<36}"
    )
    print(header)
    maps, mrrs = [], []
    for directory in directories:
        dataset = load_dataset(directory)
        started = time.perf_counter()
        run, build = rank(dataset)
        speed = len(dataset.queries) / (time.perf_counter() - started - build)
        metrics: RunMetrics = run_metrics(run, dataset.qrels)
        reference = published(directory).get(dataset.name, {})
        print(
            f"{dataset.name:<16}{metrics.queries:>8}{metrics.map:>8.4f}{metrics.recip_rank:>8.4f}"
            f"{metrics.success_1:>8.4f}{metrics.success_10:>8.4f}{concept_accuracy(dataset, run):>8.4f}"
            f"{speed:>8.0f}{build:>6.1f}s  {best_published(reference, True):<36}{best_published(reference, False):<36}",
            flush=True,
        )
        if method == "char_tf_idf" and "char_tf_idf" in reference:
            pm, pr = reference["char_tf_idf"]
            print(f"{'':<16}published char_tf_idf: MAP {pm:.4f} MRR {pr:.4f}")
        maps.append(metrics.map)
        mrrs.append(metrics.recip_rank)
        if run_dir is not None:
            write_run(run_dir, dataset, run, method)
    print(f"mean MAP {np.mean(maps):.4f} mean MRR {np.mean(mrrs):.4f}")


def esco_rows(directory: Path) -> Iterator[LabelRow]:
    """Every occupation, ISCO-group and skill label in the ESCO CSV export at ``directory``."""
    with gzip.open(directory / "occupation_labels_multilingual.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            uri = rec["conceptUri"]
            yield LabelRow(
                concept_id=uri,
                label=rec["label"],
                lang=rec["language"],
                label_type="preferred" if rec["labelType"] == "preferredLabel" else "alternative",
                kind="isco_group" if "/isco/" in uri else "occupation",
            )
    for path in sorted(directory.glob("skills_*.csv")):
        lang = path.stem.split("_")[-1]
        with path.open(encoding="utf-8", newline="") as f:
            for rec in csv.DictReader(f):
                yield LabelRow(rec["conceptUri"], rec["preferredLabel"], lang, "preferred", "skill")
                for alt in filter(None, (rec.get("altLabels") or "").split("\n")):
                    yield LabelRow(rec["conceptUri"], alt, lang, "alternative", "skill")


def esco_build(directory: Path, probes: list[Path]) -> None:
    """Measure index build time, peak RSS and single-core throughput over all ESCO labels."""
    print(machine())
    # Rows are streamed into the build (a list of 480k rows alone would cost ~150 MB), so time a
    # read-only pass first to show how much of the build is CSV parsing.
    started = time.perf_counter()
    count = sum(1 for _ in esco_rows(directory))
    reading = time.perf_counter() - started
    print(f"reading the ESCO CSVs alone: {count} label rows in {reading:.1f} s")
    started = time.perf_counter()
    normaliser = Normaliser.build(esco_rows(directory))
    build = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ESCO index: {len(normaliser)} labels, build {build:.1f} s (incl. reading CSVs), peak RSS {rss_mb:.0f} MB")
    queries = [text for p in probes for _, text in load_dataset(p).queries][:3000] or normaliser.labels[::200]
    started = time.perf_counter()
    for start in tqdm(range(0, len(queries), 256), desc="match", leave=False):
        normaliser.match_many(queries[start : start + 256], kind="occupation")
    elapsed = time.perf_counter() - started
    print(f"match (kind=occupation, {len(queries)} queries): {len(queries) / elapsed:.0f} queries/s")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", type=Path, help="MELO dataset directories")
    parser.add_argument("--method", default="onward", choices=sorted(METHODS))
    parser.add_argument("--run-dir", type=Path, default=None, help="write a TREC run file per dataset")
    parser.add_argument("--esco-build", type=Path, default=None, help="ESCO CSV dir: measure a full build")
    parser.add_argument(
        "--bridge",
        type=Path,
        default=None,
        help="ESCO CSV dir: for cross-lingual datasets (_q_X_c_Y), index its labels in the query language "
        "as extra evidence (off by default: figures then come from the dataset's corpus only)",
    )
    args = parser.parse_args(argv)
    if args.esco_build is not None:
        esco_build(args.esco_build, args.datasets)
        return
    # A shell glob over a benchmark folder also matches its README and results table: a
    # dataset is a directory holding queries.tsv; anything else is named and skipped.
    datasets = [path for path in args.datasets if (path / "queries.tsv").is_file()]
    for path in args.datasets:
        if path not in datasets:
            print(f"skipping {path}: not a MELO dataset directory (no queries.tsv)", file=sys.stderr)
    if not datasets:
        parser.error("give at least one dataset directory")
    if args.bridge is not None and args.method != "onward":
        parser.error("--bridge applies to the onward method only")
    evaluate(datasets, args.method, args.run_dir, args.bridge)


if __name__ == "__main__":
    main()
