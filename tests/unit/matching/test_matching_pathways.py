"""Pathways against brute force: every sequence of courses, on small random catalogues."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest

from matching.pathways import PARTIAL, CourseCatalogue, CourseOffer, JobCatalogue, Pathway, shortest_pathway

TODAY = date(2027, 1, 4)
SKILLS = [f"s{i}" for i in range(6)]


def _course(cid: str, start: int, length: int, teaches: tuple[str, ...]) -> CourseOffer:
    starts = TODAY + timedelta(days=start)
    return CourseOffer(id=cid, starts=starts, ends=starts + timedelta(days=length), teaches=teaches)


def _value(closed_exact: set[str], closed_partial: set[str]) -> float:
    return len(closed_exact) + PARTIAL * len(closed_partial - closed_exact)


def _brute(courses: list[CourseOffer], missing: list[str], related: dict[str, list[str]], steps: int) -> tuple:
    """The best (value, -steps, -end) over every admissible sequence, by enumeration."""
    best: tuple = (0.0, 0, 0)
    usable = [course for course in courses if course.starts >= TODAY]
    for k in range(1, steps + 1):
        for seq in itertools.permutations(usable, k):
            if any(b.starts <= a.ends for a, b in itertools.pairwise(seq)):
                continue
            taught = {skill for course in seq for skill in course.teaches}
            exact = {skill for skill in missing if skill in taught}
            partial = {skill for skill in missing if any(other in taught for other in related.get(skill, ()))}
            value = _value(exact, partial)
            if value == 0:
                continue
            key = (value, -k, -seq[-1].ends.toordinal())
            best = max(best, key)
    return best


def _key(pathway: Pathway) -> tuple:
    if not pathway.steps:
        return (0.0, 0, 0)
    assert pathway.finishes is not None
    return (pathway.score, -len(pathway.steps), -pathway.finishes.toordinal())


@pytest.mark.parametrize("seed", range(60))
def test_the_pathway_is_as_good_as_the_best_sequence_found_by_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    courses = [
        _course(f"c{i}", 10 * rng.randint(-2, 12), 10 * rng.randint(1, 6), tuple(rng.sample(SKILLS, rng.randint(1, 3))))
        for i in range(rng.randint(1, 9))
    ]
    missing = rng.sample(SKILLS[:4], rng.randint(1, 4))
    related = {skill: [rng.choice(SKILLS[4:])] for skill in missing if rng.random() < 0.4}
    steps = rng.randint(1, 3)
    found = shortest_pathway(CourseCatalogue.build(courses), missing, today=TODAY, related=related, max_steps=steps)
    assert _key(found) == _brute(courses, missing, related, steps)
    # what it says it closes is what its courses teach, in an admissible order
    chosen = [next(course for course in courses if course.id == cid) for cid in found.steps]
    assert all(b.starts > a.ends for a, b in itertools.pairwise(chosen))
    assert all(course.starts >= TODAY for course in chosen)
    taught = {skill for course in chosen for skill in course.teaches}
    assert set(found.closes) == {skill for skill in missing if skill in taught}
    assert set(found.closes) | set(found.partly) | set(found.remaining) == set(missing)


def test_one_course_teaching_everything_beats_two_that_finish_earlier() -> None:
    courses = [
        _course("both", 30, 60, ("s0", "s1")),
        _course("first", 0, 10, ("s0",)),
        _course("second", 12, 10, ("s1",)),
    ]
    found = shortest_pathway(CourseCatalogue.build(courses), ["s0", "s1"], today=TODAY)
    assert found.steps == ("both",)
    assert found.remaining == ()


def test_courses_in_a_row_close_a_gap_no_single_course_closes() -> None:
    courses = [_course("care", 0, 30, ("s0", "s1")), _course("hygiene", 40, 20, ("s2",)), _course("late", 10, 5, ("s2",))]
    found = shortest_pathway(CourseCatalogue.build(courses), ["s0", "s1", "s2"], today=TODAY)
    assert found.steps == ("care", "hygiene")  # "late" starts before "care" ends
    assert found.finishes == TODAY + timedelta(days=60)


def test_a_course_that_started_already_is_not_offered_and_nothing_reachable_leaves_all_remaining() -> None:
    courses = [_course("gone", -5, 30, ("s0",)), _course("other", 3, 30, ("s5",))]
    found = shortest_pathway(CourseCatalogue.build(courses), ["s0", "s1"], today=TODAY)
    assert found.steps == ()
    assert found.remaining == ("s0", "s1")
    assert found.finishes is None


def test_a_related_skill_counts_half_and_is_said_as_partly() -> None:
    courses = [_course("near", 0, 30, ("s4",))]
    found = shortest_pathway(CourseCatalogue.build(courses), ["s0"], today=TODAY, related={"s0": ["s4"]})
    assert found.steps == ("near",)
    assert found.partly == ("s0",)
    assert found.closes == ()
    assert found.score == PARTIAL


def test_the_next_course_starts_after_the_last_one_ends_not_on_that_day() -> None:
    courses = [_course("a", 0, 30, ("s0",)), _course("same-day", 30, 10, ("s1",)), _course("next-day", 31, 10, ("s1",))]
    found = shortest_pathway(CourseCatalogue.build(courses), ["s0", "s1"], today=TODAY)
    assert found.steps == ("a", "next-day")


def test_jobs_within_reach_counts_only_jobs_of_that_occupation_and_region_whose_skills_she_has() -> None:
    jobs = JobCatalogue.build(
        [
            ("carer", "DE30", ["s0", "s1"]),
            ("carer", "DE30", ["s0"]),
            ("carer", "DE21", ["s0"]),
            ("cook", "DE30", ["s0"]),
            ("carer", "DE30", []),
        ]
    )
    assert jobs.within_reach("carer", "DE30", {"s0"}) == 2
    assert jobs.within_reach("carer", "DE30", {"s0", "s1"}) == 3
    assert jobs.within_reach("carer", "DE30", set()) == 1
    assert jobs.within_reach("carer", "FR10", {"s0"}) == 0
    assert jobs.within_reach("driver", "DE30", {"s0"}) == 0
