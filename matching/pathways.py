"""A way there: the shortest sequence of courses that closes her essential-skill gap for a job.

Given the skills a target job needs that she lacks, and the courses she could take (already
filtered by the engine for her availability, journey, safety and childcare), find the courses
to take one after another (each starts after the previous one ends) that close the most of the
gap, with the fewest courses, finishing earliest. A course closes a missing skill fully when it
teaches that skill, and partly when it teaches a related one (the taxonomy's narrower or broader
skill, supplied by the caller as ``related``); partial credit counts half.

The search is exact. Every course is reduced to what it closes (a bitmask over the missing
skills, exact and partial bits apart), courses that close the same are interchangeable but for
their dates, and the state of a partial pathway is (what it closed, when it ends): for each
number of steps and each closed set only the earliest end is kept, which dominates every later
one. With at most ``MAX_SKILLS`` missing skills and a few steps the states stay in the low
thousands whatever the size of the catalogue; the catalogue is touched through an inverted index
from skill to courses, built once per catalogue (:class:`CourseCatalogue`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import msgspec
import numpy as np
import numpy.typing as npt

MAX_SKILLS = 10
"""Missing skills considered (the ones most courses teach first); a gap wider than this is
reported as remaining, since no short pathway closes it anyway."""
DEFAULT_STEPS = 3
"""Courses in a row at most: a pathway longer than three courses is not a way there she can see."""
PARTIAL = 0.5
"""A skill closed through a related skill counts half."""


class CourseOffer(msgspec.Struct, frozen=True, kw_only=True):
    """A course as a pathway sees it: when it runs and which skills it teaches."""

    id: str
    starts: date
    ends: date
    teaches: tuple[str, ...]


class Pathway(msgspec.Struct, frozen=True, kw_only=True):
    """The courses to take in order, what they close, and what remains."""

    steps: tuple[str, ...]
    closes: tuple[str, ...]
    """Missing skills a step teaches."""
    partly: tuple[str, ...]
    """Missing skills a step teaches only through a related skill."""
    remaining: tuple[str, ...]
    """Missing skills no step reaches."""
    finishes: date | None

    @property
    def score(self) -> float:
        return len(self.closes) + PARTIAL * len(self.partly)


NO_PATHWAY = Pathway(steps=(), closes=(), partly=(), remaining=(), finishes=None)


@dataclass(frozen=True, slots=True)
class CourseCatalogue:
    """Courses by the skills they teach, with start and end days as arrays (built once)."""

    ids: tuple[str, ...]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    by_skill: Mapping[str, npt.NDArray[np.int64]]
    teaches: tuple[frozenset[str], ...]

    @classmethod
    def build(cls, courses: Iterable[CourseOffer]) -> CourseCatalogue:
        rows = sorted(courses, key=lambda course: (course.starts, course.ends, course.id))
        by_skill: dict[str, list[int]] = {}
        for position, course in enumerate(rows):
            for skill in set(course.teaches):
                by_skill.setdefault(skill, []).append(position)
        return cls(
            ids=tuple(course.id for course in rows),
            starts=np.array([course.starts.toordinal() for course in rows], dtype=np.int64),
            ends=np.array([course.ends.toordinal() for course in rows], dtype=np.int64),
            by_skill={skill: np.array(found, dtype=np.int64) for skill, found in by_skill.items()},
            teaches=tuple(frozenset(course.teaches) for course in rows),
        )

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class _Group:
    """Courses that close the same skills, ordered by start, with the earliest end from each on."""

    mask: int
    starts: npt.NDArray[np.int64]
    best_end: npt.NDArray[np.int64]
    best_row: npt.NDArray[np.int64]


def _considered(missing: Sequence[str], catalogue: CourseCatalogue, related: Mapping[str, Iterable[str]]) -> list[str]:
    """The missing skills to search over: those some course reaches, most reached first."""

    def courses_reaching(skill: str) -> int:
        return len(catalogue.by_skill.get(skill, ())) + sum(
            len(catalogue.by_skill.get(other, ())) for other in related.get(skill, ())
        )

    reach = {skill: courses_reaching(skill) for skill in dict.fromkeys(missing)}
    reachable = [skill for skill in reach if reach[skill]]
    return sorted(reachable, key=lambda skill: (-reach[skill], skill))[:MAX_SKILLS]


def _groups(
    skills: list[str], catalogue: CourseCatalogue, related: Mapping[str, Iterable[str]], today: int
) -> list[_Group]:
    """The courses reaching any of ``skills``, grouped by what they close (whole arrays)."""
    m = len(skills)
    empty = np.empty(0, dtype=np.int64)
    pieces: list[tuple[npt.NDArray[np.int64], int]] = []
    for bit, skill in enumerate(skills):
        pieces.append((catalogue.by_skill.get(skill, empty), 1 << bit))
        for other in related.get(skill, ()):
            pieces.append((catalogue.by_skill.get(other, empty), 1 << (m + bit)))
    if not pieces:
        return []
    rows = np.concatenate([found for found, _ in pieces])
    bits = np.concatenate([np.full(len(found), bit, dtype=np.int64) for found, bit in pieces])
    if not len(rows):
        return []
    order = np.argsort(rows, kind="stable")
    rows, bits = rows[order], bits[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    starts_at = np.flatnonzero(first)
    course_rows = rows[starts_at]
    masks = np.bitwise_or.reduceat(bits, starts_at)
    # a skill taught exactly needs no partial credit for it
    masks &= ~((masks & ((1 << m) - 1)) << m)
    upcoming = catalogue.starts[course_rows] >= today
    course_rows, masks = course_rows[upcoming], masks[upcoming]
    groups = []
    for mask in np.unique(masks):
        members = course_rows[masks == mask]  # catalogue rows are in start order already
        ends = catalogue.ends[members]
        # earliest end among the courses from each position on, and which course has it
        # (the earliest-starting one on a tie): a suffix minimum over end * n + position
        n = len(members)
        keyed = ends * n + np.arange(n)
        best = np.minimum.accumulate(keyed[::-1])[::-1]
        groups.append(_Group(int(mask), catalogue.starts[members], best // n, members[best % n]))
    return groups


def _values(masks: npt.NDArray[np.int64], m: int) -> npt.NDArray[np.float64]:
    """The worth of each closed set: exact skills count one, skills closed only partly half."""
    exact = masks & ((1 << m) - 1)
    partial = (masks >> m) & ~exact
    return _popcount(exact) + PARTIAL * _popcount(partial)


def _popcount(values: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    bits = np.unpackbits(values.astype(">u8").view(np.uint8).reshape(-1, 8), axis=1)
    return bits.sum(axis=1).astype(np.float64)


@dataclass(frozen=True, slots=True)
class _Layer:
    """The pathways of one length: closed set, end day, and how each was reached."""

    masks: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    parents: npt.NDArray[np.int64]
    """Index into the previous layer."""
    rows: npt.NDArray[np.int64]
    """The course taken last (catalogue row)."""


def _grow(layer: _Layer, groups: list[_Group]) -> _Layer:
    """Every pathway one course longer that closes more; per closed set the earliest end only."""
    masks, ends, parents, rows = [], [], [], []
    for group in groups:
        at = np.searchsorted(group.starts, layer.ends + 1, side="left")
        fits = at < len(group.starts)
        grown = layer.masks[fits] | group.mask
        more = grown != layer.masks[fits]
        if not more.any():
            continue
        chosen = at[fits][more]
        masks.append(grown[more])
        ends.append(group.best_end[chosen])
        parents.append(np.flatnonzero(fits)[more])
        rows.append(group.best_row[chosen])
    if not masks:
        empty = np.empty(0, dtype=np.int64)
        return _Layer(empty, empty, empty, empty)
    all_masks, all_ends = np.concatenate(masks), np.concatenate(ends)
    all_parents, all_rows = np.concatenate(parents), np.concatenate(rows)
    order = np.lexsort((all_rows, all_parents, all_ends, all_masks))
    first = np.ones(len(order), dtype=bool)
    first[1:] = all_masks[order][1:] != all_masks[order][:-1]
    keep = order[first]
    return _Layer(all_masks[keep], all_ends[keep], all_parents[keep], all_rows[keep])


def shortest_pathway(
    catalogue: CourseCatalogue,
    missing: Sequence[str],
    *,
    today: date,
    related: Mapping[str, Iterable[str]] | None = None,
    max_steps: int = DEFAULT_STEPS,
) -> Pathway:
    """The best pathway: most of ``missing`` closed (partial credit counting half), then the
    fewest courses, then the earliest end (ties broken deterministically). No course reaching
    any missing skill gives an empty pathway with everything remaining."""
    related = related or {}
    skills = _considered(missing, catalogue, related)
    m = len(skills)
    groups = _groups(skills, catalogue, related, today.toordinal())
    start = today.toordinal() - 1
    layers = [_Layer(*(np.array([value], dtype=np.int64) for value in (0, start, -1, -1)))]
    best_key: tuple[float, int, int] = (0.0, 0, 0)
    best_at: tuple[int, int] | None = None
    if not groups:
        return Pathway(steps=(), closes=(), partly=(), remaining=tuple(dict.fromkeys(missing)), finishes=None)
    group_masks = np.array([group.mask for group in groups], dtype=np.int64)
    # no pathway closes more than every reachable course together, and no course adds more
    # than the best single course closes
    most = float(_values(np.bitwise_or.reduce(group_masks, keepdims=True), m)[0])
    step_gain = float(_values(group_masks, m).max())
    values = np.zeros(1)
    for steps in range(1, max_steps + 1):
        previous = layers[-1]
        # bound: a pathway that cannot beat the best so far even if every remaining course added
        # the most any course closes is not grown (a tie would need more courses, and lose)
        left = max_steps - steps + 1
        hopeful = np.flatnonzero(values + left * step_gain > best_key[0])
        if not len(hopeful):
            break
        view = _Layer(
            previous.masks[hopeful], previous.ends[hopeful], previous.parents[hopeful], previous.rows[hopeful]
        )
        layer = _grow(view, groups)
        if not len(layer.masks):
            break
        layer = _Layer(layer.masks, layer.ends, hopeful[layer.parents], layer.rows)
        layers.append(layer)
        values = _values(layer.masks, m)
        # the most closed, then (one length per layer) the earliest end
        top = int(np.lexsort((layer.ends, -values))[0])
        key = (float(values[top]), -steps, -int(layer.ends[top]))
        if key > best_key:
            best_key, best_at = key, (steps, top)
        if best_key[0] >= most:
            break  # all that can be closed is closed: a longer pathway cannot do better
    if best_at is None:
        return Pathway(steps=(), closes=(), partly=(), remaining=tuple(dict.fromkeys(missing)), finishes=None)
    steps, at = best_at
    best_mask, finish = int(layers[steps].masks[at]), int(layers[steps].ends[at])
    taken = []
    for depth in range(steps, 0, -1):
        taken.append(int(layers[depth].rows[at]))
        at = int(layers[depth].parents[at])
    exact = best_mask & ((1 << m) - 1)
    partial = (best_mask >> m) & ~exact
    closes = tuple(skill for bit, skill in enumerate(skills) if exact >> bit & 1)
    partly = tuple(skill for bit, skill in enumerate(skills) if partial >> bit & 1)
    remaining = tuple(skill for skill in dict.fromkeys(missing) if skill not in closes and skill not in partly)
    return Pathway(
        steps=tuple(catalogue.ids[row] for row in reversed(taken)),
        closes=closes,
        partly=partly,
        remaining=remaining,
        finishes=date.fromordinal(finish),
    )


@dataclass(frozen=True, slots=True)
class JobCatalogue:
    """Jobs by occupation, each with its region and essential skills as codes (built once)."""

    by_occupation: Mapping[str, npt.NDArray[np.int64]]
    regions: npt.NDArray[np.int32]
    skills: npt.NDArray[np.int32]
    """One row per job, its essential-skill codes padded with -1."""
    region_codes: Mapping[str, int]
    skill_codes: Mapping[str, int]

    @classmethod
    def build(cls, jobs: Sequence[tuple[str, str, Sequence[str]]]) -> JobCatalogue:
        """From (occupation, region, essential skills) per job."""
        region_codes: dict[str, int] = {}
        skill_codes: dict[str, int] = {}
        by_occupation: dict[str, list[int]] = {}
        width = max((len(set(skills)) for _, _, skills in jobs), default=0)
        regions = np.empty(len(jobs), dtype=np.int32)
        codes = np.full((len(jobs), max(width, 1)), -1, dtype=np.int32)
        for row, (occupation, region, skills) in enumerate(jobs):
            by_occupation.setdefault(occupation, []).append(row)
            regions[row] = region_codes.setdefault(region, len(region_codes))
            for at, skill in enumerate(dict.fromkeys(skills)):
                codes[row, at] = skill_codes.setdefault(skill, len(skill_codes))
        return cls(
            by_occupation={name: np.array(rows, dtype=np.int64) for name, rows in by_occupation.items()},
            regions=regions,
            skills=codes,
            region_codes=region_codes,
            skill_codes=skill_codes,
        )

    def within_reach(self, occupation: str, region: str, has: Iterable[str]) -> int:
        """How many jobs of ``occupation`` in ``region`` need no essential skill outside ``has``."""
        rows = self.by_occupation.get(occupation)
        code = self.region_codes.get(region)
        if rows is None or code is None:
            return 0
        rows = rows[self.regions[rows] == code]
        known = np.array([self.skill_codes[s] for s in set(has) if s in self.skill_codes], dtype=np.int32)
        needed = self.skills[rows]
        covered = (needed < 0) | np.isin(needed, known)
        return int(covered.all(axis=1).sum())
