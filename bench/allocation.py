"""Benchmark: an allocation round over many survivors and scarce places, optimal vs greedy.

Candidates come from each survivor's top suggestions (the matching engine over an ESCO-based
catalogue); places are made scarce (1-2 per opportunity) so that survivors compete for them.

    python bench/allocation.py --survivors 2000 --opportunities 10000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import msgspec
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.esco_catalogue import TODAY, load_esco, synthetic_catalogue, synthetic_survivors
from bench.matching import machine
from matching.allocation import allocate, allocate_greedy
from matching.index import build_index
from matching.rounds import candidates_for, capacities_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--survivors", type=int, default=2000)
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--per-survivor", type=int, default=10, help="candidates per survivor")
    parser.add_argument("--priority", type=float, default=0.2, help="weight for the longest waiting")
    parser.add_argument("--accept-gap", type=float, default=0.001, help="stop a part this close to its LP bound")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for the solve")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    print("note: times are wall-clock unless marked CPU; on a loaded machine wall-clock includes waiting for a core")

    esco = load_esco()
    rng = random.Random(args.seed)
    catalogue = [
        msgspec.structs.replace(o, capacity_left=rng.choice([0, 1, 1, 1, 2]))
        for o in synthetic_catalogue(esco, args.opportunities, seed=args.seed)
    ]
    survivors = synthetic_survivors(esco, args.survivors, seed=args.seed + 1)
    index = build_index(esco.similarity(), catalogue)

    t0, c0 = time.perf_counter(), time.process_time()
    with tqdm(total=len(survivors), desc="candidates", file=sys.stderr) as bar:
        candidates = candidates_for(survivors, index, as_of=TODAY, per_survivor=args.per_survivor, progress=bar.update)
    t_candidates, cpu_candidates = time.perf_counter() - t0, time.process_time() - c0
    capacities = capacities_of(index, candidates)
    waiting = {s.id: (TODAY - s.waiting_since).days for s in survivors if s.waiting_since}

    c0 = time.process_time()
    optimal = allocate(
        candidates,
        capacities,
        waiting_days=waiting,
        priority_weight=args.priority,
        time_limit=args.time_limit,
        accept_gap=args.accept_gap,
    )
    cpu_optimal = time.process_time() - c0
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting, priority_weight=args.priority)
    assert optimal.objective >= greedy.objective - 1e-9, "optimal round below greedy"

    with_candidates = len({c.survivor_id for c in candidates})
    kinds: dict[str, int] = {}
    for a in optimal.assignments:
        for _, kind in a.candidate.parts:
            kinds[kind] = kinds.get(kind, 0) + 1
    rows = [
        ("survivors / with any candidate", f"{len(survivors):,} / {with_candidates:,}"),
        ("opportunities / candidates", f"{args.opportunities:,} / {len(candidates):,}"),
        ("places in demand (sum of capacities)", f"{sum(capacities.values()):,}"),
        ("candidate generation (engine, top-k each)", f"{t_candidates:.2f} s"),
        (
            "optimal round (LP bound, HiGHS MILP by part)",
            f"{optimal.seconds:.2f} s wall, {cpu_optimal:.2f} s CPU, "
            f"objective {optimal.objective:.3f}, placed {optimal.placed}, "
            f"method {optimal.method}",
        ),
        ("upper bound (sum of the parts' dual bounds)", f"{optimal.bound:.3f}, gap {100 * (optimal.gap or 0):.4f}%"),
        ("greedy round", f"{greedy.seconds:.2f} s, objective {greedy.objective:.3f}, placed {greedy.placed}"),
        (
            "round total (candidates + optimal)",
            f"{t_candidates + optimal.seconds:.2f} s wall, {cpu_candidates + cpu_optimal:.2f} s CPU",
        ),
        (
            "gain over greedy",
            f"{optimal.objective - greedy.objective:+.3f} "
            f"({100 * (optimal.objective / max(greedy.objective, 1e-9) - 1):+.2f}%)",
        ),
        ("places given by kind (optimal)", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if optimal.assignments:
        print(f"example: {optimal.assignments[0].survivor_id} gets {optimal.assignments[0].why}")
    # the headline time is the whole round a coordinator waits for: candidates plus the solve
    total = t_candidates + optimal.seconds
    print(
        f"allocation {total:.2f} s objective {optimal.objective:.3f} (greedy {greedy.objective:.3f}) "
        f"placed {optimal.placed} (greedy {greedy.placed}) method {optimal.method}, "
        f"gap to bound {100 * (optimal.gap or 0):.4f}%"
    )


if __name__ == "__main__":
    main()
