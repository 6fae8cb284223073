"""Benchmark: top-20 suggestions for one survivor over an ESCO-based catalogue of N opportunities.

Times the vectorised engine (``matching.engine.rank``) per survivor and the straightforward
per-pair implementation (``matching.reference.reference_rank``) on a sample of the same
survivors, asserts both return identical rankings, and reports incremental index updates.

    python bench/matching.py --opportunities 100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import msgspec
import numpy as np
import scipy
import sklearn
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.esco_catalogue import TODAY, load_esco, synthetic_catalogue, synthetic_survivors
from bench.machine_info import describe
from matching.engine import match_survivor, rank
from matching.index import OpportunityIndex, build_index
from matching.reference import reference_rank

SCORE_TOLERANCE = 1e-9


def machine() -> str:
    """Where the figures come from (see bench/machine_info.py)."""
    return describe(f"numpy {np.__version__}", f"scipy {scipy.__version__}", f"scikit-learn {sklearn.__version__}")


def pct(values: list[float], q: float) -> float:
    """Percentile in milliseconds of a list of seconds."""
    return float(np.percentile(np.array(values) * 1000.0, q))


def column_bytes(index: OpportunityIndex) -> int:
    """Bytes held by the index's numpy columns (the records kept for explanations come on top)."""
    arrays = [*index.cols.values(), index.schedule, index.pattern_words]
    return sum(int(a.nbytes) for a in arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--survivors", type=int, default=300, help="survivors timed with the engine")
    parser.add_argument(
        "--reference-sample",
        type=int,
        default=0,
        help="survivors also run per pair (default: all up to N=20,000, else 30)",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n = args.opportunities
    sample = args.reference_sample or (args.survivors if n <= 20_000 else 30)
    print(machine())

    t0 = time.perf_counter()
    esco = load_esco()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    similarity = esco.similarity()
    t_sim = time.perf_counter() - t0
    t0 = time.perf_counter()
    catalogue = synthetic_catalogue(esco, n, seed=args.seed)
    survivors = synthetic_survivors(esco, args.survivors, seed=args.seed + 1)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = build_index(similarity, catalogue)
    t_index = time.perf_counter() - t0

    rank(survivors[0], index, as_of=TODAY)  # warm caches and lazy imports outside the timings
    engine_times, engine_cpu, sizes, mothers, bundled = [], [], [], 0, 0
    rankings = {}
    for survivor in tqdm(survivors, desc="engine", file=sys.stderr):
        t0, c0 = time.perf_counter(), time.process_time()
        result = rank(survivor, index, as_of=TODAY, top_k=20)
        engine_times.append(time.perf_counter() - t0)
        engine_cpu.append(time.process_time() - c0)
        rankings[survivor.id] = result.ranked
        sizes.append(len(result.ranked))
        mothers += bool(survivor.children_needing_care())
        bundled += sum(r.bundle is not None for r in result.ranked)

    explain_times = []
    for survivor in survivors[:50]:
        t0 = time.perf_counter()
        match_survivor(survivor, index, as_of=TODAY, top_k=20, labels=esco.skill_labels)
        explain_times.append(time.perf_counter() - t0)

    reference_times, reference_cpu, engine_sample_cpu = [], [], []
    for survivor, cpu in tqdm(list(zip(survivors, engine_cpu, strict=True))[:sample], desc="per-pair", file=sys.stderr):
        t0, c0 = time.perf_counter(), time.process_time()
        expected = reference_rank(survivor, catalogue, similarity, as_of=TODAY, top_k=20)
        reference_times.append(time.perf_counter() - t0)
        reference_cpu.append(time.process_time() - c0)
        engine_sample_cpu.append(cpu)
        got = rankings[survivor.id]
        assert [r.opportunity_id for r in got] == [r.opportunity_id for r in expected], survivor.id
        for g, e in zip(got, expected, strict=True):
            assert abs(g.score - e.score) <= SCORE_TOLERANCE, (survivor.id, g.score, e.score)
            assert (g.bundle.childcare_id if g.bundle else None) == e.childcare_id
            assert (g.bundle.language_class_id if g.bundle else None) == e.language_class_id

    updates = []
    spare = synthetic_catalogue(esco, 200, seed=args.seed + 99)
    for i, opp in enumerate(spare):
        fresh = msgspec.structs.replace(opp, id=f"new-{i}")
        t0 = time.perf_counter()
        index.add(fresh)
        index.update(msgspec.structs.replace(fresh, capacity_left=fresh.capacity_left + 1))
        index.remove(fresh.id)
        updates.append((time.perf_counter() - t0) / 3)

    # the first query after any change refreshes the cached open rows (one pass + a sort)
    after_change = []
    for survivor, opp in zip(survivors[:50], catalogue[:50], strict=True):
        index.set_capacity(opp.id, opp.capacity_left)
        c0 = time.process_time()
        rank(survivor, index, as_of=TODAY, top_k=20)
        after_change.append(time.process_time() - c0)

    p50, p95 = pct(engine_times, 50), pct(engine_times, 95)
    # CPU time, not wall-clock: on a shared machine the long per-pair runs are preempted far more
    # often than the short engine runs, which would flatter the engine
    speedup = statistics.median(reference_cpu) / statistics.median(engine_sample_cpu)
    rows = [
        ("opportunities", f"{n:,}"),
        ("survivors timed (engine)", f"{len(survivors)}  ({mothers} with children needing care)"),
        ("ESCO load / similarity build", f"{t_load:.2f} s / {t_sim:.2f} s ({similarity.matrix.nnz:,} pairs)"),
        ("catalogue + survivors generated", f"{t_gen:.2f} s"),
        ("index build", f"{t_index:.2f} s"),
        (
            "columnar index memory",
            f"{column_bytes(index) / 2**20:.0f} MiB in numpy columns ({len(index.patterns())} timetables)",
        ),
        ("engine top20 p50 / p95 / max", f"{p50:.2f} / {p95:.2f} / {pct(engine_times, 100):.2f} ms"),
        (
            "engine top20 CPU time p50 / p95",
            f"{pct(engine_cpu, 50):.2f} / {pct(engine_cpu, 95):.2f} ms (unaffected by other load on the machine)",
        ),
        ("engine + explanations p50", f"{pct(explain_times, 50):.2f} ms"),
        ("suggestions per survivor (mean)", f"{statistics.mean(sizes):.1f}  ({bundled} bundles in all)"),
        ("per-pair sample", f"{sample} survivors, rankings identical (ids, scores, bundle parts)"),
        ("per-pair wall p50 / p95", f"{pct(reference_times, 50):.1f} / {pct(reference_times, 95):.1f} ms"),
        (
            "per-pair CPU p50 / engine CPU p50",
            f"{pct(reference_cpu, 50):.1f} ms / {pct(engine_sample_cpu, 50):.2f} ms "
            "(same survivors; the speed-up below is their ratio)",
        ),
        ("incremental add/update/remove", f"{pct(updates, 50) * 1000:.0f} us per operation (p50)"),
        ("first query after a change, CPU p50", f"{pct(after_change, 50):.2f} ms (includes the open-row refresh)"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if sample < len(survivors):
        print(
            f"note: per-pair timed on {sample} of {len(survivors)} survivors (too slow for all); the speed-up "
            "is the ratio of median CPU times on that same sample"
        )
    print(f"top20 p50 {p50:.2f} ms p95 {p95:.2f} ms at N={n}, {speedup:.0f}x faster than per-pair")


if __name__ == "__main__":
    main()
