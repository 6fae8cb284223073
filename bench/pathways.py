"""Benchmark: a way there for one survivor, over 10,000 courses and 100,000 jobs built on ESCO.

For each survivor: the essential skills of the occupation she wants that she lacks (ESCO's
occupation-skill relations), the shortest pathway of courses that closes them
(``matching.pathways.shortest_pathway``, related skills from ESCO's skill hierarchy counting
half), and how many jobs of that occupation in her region she would then reach
(``JobCatalogue.within_reach``). Prints build times, p50/p95 per survivor, and how often a
pathway closes all or part of the gap.

    python bench/pathways.py --courses 10000 --jobs 100000 --survivors 2000
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.esco_catalogue import GROUP_WEIGHT, REGIONS, TODAY, Esco, load_esco
from bench.machine_info import describe
from matching.pathways import CourseCatalogue, CourseOffer, JobCatalogue, shortest_pathway


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def occupations_with_skills(esco: Esco) -> tuple[list[str], list[float]]:
    """Occupations with three or more essential skills, and cumulative weights to draw them by."""
    names = [uri for uri in esco.occupations if len(esco.essential.get(uri, ())) >= 3]
    weights = [GROUP_WEIGHT.get(esco.occupations[uri][1], 1.0) for uri in names]
    return names, list(itertools.accumulate(weights))


def courses(esco: Esco, n: int, rng: random.Random) -> list[CourseOffer]:
    """Courses aimed at one occupation each, teaching one to four of its essential skills."""
    names, weights = occupations_with_skills(esco)
    offers = []
    for i in range(n):
        target = rng.choices(names, cum_weights=weights)[0]
        skills = esco.essential[target]
        starts = TODAY + timedelta(days=rng.randint(0, 365))
        offers.append(
            CourseOffer(
                id=f"course-{i}",
                starts=starts,
                ends=starts + timedelta(weeks=rng.randint(4, 26)),
                teaches=tuple(rng.sample(skills, min(len(skills), rng.randint(1, 4)))),
            )
        )
    return offers


def jobs(esco: Esco, n: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """Jobs naming a handful of their occupation's essential skills, in one of the regions."""
    names, weights = occupations_with_skills(esco)
    out = []
    for _ in range(n):
        occupation = rng.choices(names, cum_weights=weights)[0]
        skills = esco.essential[occupation]
        out.append((occupation, rng.choice(REGIONS), rng.sample(skills, min(len(skills), rng.randint(2, 5)))))
    return out


def related_skills(esco: Esco) -> dict[str, list[str]]:
    """One step up or down the skill hierarchy."""
    related: defaultdict[str, list[str]] = defaultdict(list)
    for narrower, broader in esco.broader:
        related[narrower].append(broader)
        related[broader].append(narrower)
    return dict(related)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--courses", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--survivors", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    print(describe(f"numpy {np.__version__}"))
    rng = random.Random(args.seed)
    esco = load_esco()
    related = related_skills(esco)
    t0 = time.perf_counter()
    course_catalogue = CourseCatalogue.build(courses(esco, args.courses, rng))
    t1 = time.perf_counter()
    job_catalogue = JobCatalogue.build(jobs(esco, args.jobs, rng))
    t2 = time.perf_counter()
    print(f"catalogues: {len(course_catalogue):,} courses in {t1 - t0:.2f} s, {args.jobs:,} jobs in {t2 - t1:.2f} s")

    names, weights = occupations_with_skills(esco)
    all_skills = sorted({skill for uri in names for skill in esco.essential[uri]})
    times, steps, closed_all, closed_some, reach_before, reach_after = [], [], 0, 0, [], []
    for _ in range(args.survivors):
        target = rng.choices(names, cum_weights=weights)[0]
        region = rng.choice(REGIONS)
        essentials = esco.essential[target]
        has = set(rng.sample(essentials, rng.randint(0, max(0, len(essentials) // 2))))
        has |= set(rng.sample(all_skills, 10))
        started = time.perf_counter()
        missing = [skill for skill in essentials if skill not in has]
        way = shortest_pathway(course_catalogue, missing, today=TODAY, related=related)
        after = job_catalogue.within_reach(target, region, has | set(way.closes))
        times.append((time.perf_counter() - started) * 1000)
        reach_before.append(job_catalogue.within_reach(target, region, has))
        reach_after.append(after)
        steps.append(len(way.steps))
        closed_all += bool(way.steps) and not way.remaining and not way.partly
        closed_some += bool(way.steps)
    n = args.survivors
    print(
        f"pathways: {n:,} survivors, {100 * closed_some / n:.1f} % with a pathway, "
        f"{100 * closed_all / n:.1f} % closing the whole gap, mean {statistics.fmean(steps):.2f} courses; "
        f"jobs within reach: mean {statistics.fmean(reach_before):.2f} before, "
        f"{statistics.fmean(reach_after):.2f} after"
    )
    print(
        f"pathway p50 {pct(times, 50):.2f} ms p95 {pct(times, 95):.2f} ms max {max(times):.2f} ms "
        f"({args.courses:,} courses, {args.jobs:,} jobs; target p95 <= 50 ms)"
    )


if __name__ == "__main__":
    main()
