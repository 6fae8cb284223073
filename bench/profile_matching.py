"""Profile the engine's top-20 query over a synthetic ESCO catalogue (pyinstrument, text output).

    python bench/profile_matching.py --opportunities 1000000 --survivors 100
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyinstrument import Profiler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.esco_catalogue import TODAY, load_esco, synthetic_catalogue, synthetic_survivors
from matching.engine import rank
from matching.index import build_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opportunities", type=int, default=1_000_000)
    parser.add_argument("--survivors", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    esco = load_esco()
    catalogue = synthetic_catalogue(esco, args.opportunities, seed=args.seed)
    survivors = synthetic_survivors(esco, args.survivors, seed=args.seed + 1)
    index = build_index(esco.similarity(), catalogue)
    del catalogue
    rank(survivors[0], index, as_of=TODAY)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for survivor in survivors:
            rank(survivor, index, as_of=TODAY, top_k=20)
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
