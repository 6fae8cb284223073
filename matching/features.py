"""Named feature columns for one survivor against many opportunities, each in [0, 1].

Features are a pure function of the survivor context and index columns; scoring and
explanation only ever see the named columns this module returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.index import KIND_CODE, OpportunityIndex
from matching.schedule import WordWeek, popcount, to_words
from matching.types import CEFR_ORDER, SurvivorProfile

FEATURES: tuple[str, ...] = (
    "essential_skills",
    "optional_skills",
    "language",
    "timetable",
    "commute",
    "goal",
    "pay",
    "level",
)
NEUTRAL = 0.5
"""Value of a feature that does not apply (pay for a course) or cannot be known (no income target),
so it neither helps nor hurts relative to others."""

EARTH_RADIUS_KM = 6371.0
DETOUR_FACTOR = 1.3
"""Straight-line distance understates streets and lines; 1.3 is a common urban circuity factor."""
SPEED_KMH = {"walk": 4.5, "transit": 18.0, "car": 30.0}
OVERHEAD_MINUTES = {"walk": 0.0, "transit": 8.0, "car": 5.0}
"""Waiting for transit, parking a car: fixed minutes on top of moving time."""

LEVEL_FACTOR = {1: 0.7, 2: 0.8, 3: 0.9, 4: 1.0}
"""Credit for a skill she has at a given level; even a beginner's skill counts most of the way."""
GOAL_OCCUPATION, GOAL_SECTOR = 1.0, 0.6
PAY_UNKNOWN = 0.25

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass
class SurvivorContext:
    """A survivor profile turned into vectors over the index's vocabularies (built per request)."""

    profile: SurvivorProfile
    credit: Floats  # per skill code, last entry 0 for padding
    level: Floats  # her exact level per skill code, 0 if she lacks it
    language_level: Ints  # per language code, last entry high so padding never counts as a gap
    availability: WordWeek
    target_occupations: npt.NDArray[np.bool_]
    target_sectors: npt.NDArray[np.bool_]
    has_goals: bool
    currency: int
    region_excluded: npt.NDArray[np.bool_]


def survivor_context(profile: SurvivorProfile, index: OpportunityIndex) -> SurvivorContext:
    """Vectors for ``profile`` against the index's current vocabularies."""
    n_skills = len(index.skills)
    credit = np.zeros(n_skills + 1)
    level = np.zeros(n_skills + 1)
    known = [(index.skills.lookup(uri), lvl) for uri, lvl in profile.skills.items()]
    known = [(code, lvl) for code, lvl in known if code >= 0]
    sim = index.similarity.matrix
    in_sim = [(code, lvl) for code, lvl in known if code < sim.shape[0]]
    if in_sim:
        # gather the CSR rows of her skills by hand: scipy's row slicing costs more than the work
        starts = sim.indptr[[c for c, _ in in_sim]]
        ends = sim.indptr[[c + 1 for c, _ in in_sim]]
        spans = [np.arange(a, b) for a, b in zip(starts, ends, strict=True)]
        if spans:
            where = np.concatenate(spans)
            factors = np.repeat([LEVEL_FACTOR[lvl] for _, lvl in in_sim], ends - starts)
            np.maximum.at(credit, sim.indices[where], sim.data[where] * factors)
    for code, lvl in known:
        credit[code] = LEVEL_FACTOR[lvl]
        level[code] = lvl
    language_level = np.zeros(len(index.languages) + 1, dtype=np.int64)
    language_level[-1] = 99
    for lang, cefr in profile.languages.items():
        code = index.languages.lookup(lang)
        if code >= 0:
            language_level[code] = CEFR_ORDER[cefr]
    goals = profile.goals
    occ = np.zeros(len(index.occupations) + 1, dtype=bool)
    occ[[c for c in map(index.occupations.lookup, goals.target_occupations) if c >= 0]] = True
    sec = np.zeros(len(index.sectors) + 1, dtype=bool)
    sec[[c for c in map(index.sectors.lookup, goals.sectors) if c >= 0]] = True
    excluded = np.zeros(len(index.regions) + 1, dtype=bool)
    excluded[[c for c in map(index.regions.lookup, profile.safety.exclusion_regions) if c >= 0]] = True
    return SurvivorContext(
        profile=profile,
        credit=credit,
        level=level,
        language_level=language_level,
        availability=to_words(profile.availability),
        target_occupations=occ,
        target_sectors=sec,
        has_goals=bool(goals.target_occupations or goals.sectors),
        currency=index.currencies.lookup(goals.currency),
        region_excluded=excluded,
    )


def commute_minutes(lat: Floats, lon: Floats, home_lat: float, home_lon: float, mode: str) -> Floats:
    """Door-to-door estimate: haversine x detour factor at the mode's speed, plus fixed overhead."""
    p1, p2 = np.radians(home_lat), np.radians(lat)
    dphi, dlmb = p2 - p1, np.radians(lon - home_lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return km * DETOUR_FACTOR / SPEED_KMH[mode] * 60.0 + OVERHEAD_MINUTES[mode]


def timetable_overlap(index: OpportunityIndex, rows: Ints, availability: WordWeek) -> Floats:
    """Share of each opportunity's hours inside her availability; no stated hours = fully flexible.

    Computed once per distinct timetable and gathered per row (see ``OpportunityIndex.patterns``).
    """
    patterns = index.patterns()
    inside = popcount(patterns & availability)
    slots = popcount(patterns).astype(np.float64)
    share = np.where(slots > 0, inside / np.maximum(slots, 1), 1.0)
    return share[index.col("pattern")[rows]]


def language_gaps(index: OpportunityIndex, rows: Ints, ctx: SurvivorContext) -> Ints:
    """CEFR steps she lacks, per requirement (rows x requirements); padding and met ones are <= 0."""
    langs = index.col("lang")[rows]
    required = index.col("lang_level")[rows].astype(np.int64)
    return np.where(langs >= 0, required - ctx.language_level[langs], 0)


@dataclass(frozen=True)
class LanguageFit:
    """Her language levels against every distinct requirement set of the index (one row per set)."""

    too_far: npt.NDArray[np.bool_]  # a requirement two or more levels above hers, or two one level above
    bridgeable: npt.NDArray[np.bool_]  # not too far, one requirement exactly one level above
    score: Floats  # the language feature: 1 met, 0.5 one level short, 0 further, averaged


def language_fit(index: OpportunityIndex, ctx: SurvivorContext) -> LanguageFit:
    """Language checks per requirement set; rows reach them through the ``reqset`` column."""
    langs, required = index.reqsets()
    gaps = np.where(langs >= 0, required - ctx.language_level[langs], 0)
    too_far = (gaps >= 2).any(axis=1) | ((gaps == 1).sum(axis=1) > 1)
    missing = langs < 0
    n_req = missing.shape[1] - missing.sum(axis=1)
    per_req = np.where(gaps <= 0, 1.0, np.where(gaps == 1, 0.5, 0.0))
    per_req[missing] = 0.0
    score = np.where(n_req > 0, per_req.sum(axis=1) / np.maximum(n_req, 1), 1.0)
    return LanguageFit(too_far, ~too_far & (gaps == 1).any(axis=1), score)


def compute_features(
    index: OpportunityIndex,
    ctx: SurvivorContext,
    rows: Ints,
    minutes: Floats,
    overlap: Floats,
    languages: LanguageFit | None = None,
) -> Floats:
    """Feature matrix (len(rows) x len(FEATURES)) for the given rows, columns in FEATURES order."""
    out = np.empty((len(rows), len(FEATURES)))
    out[:, 0] = _coverage(index.col("essential")[rows], index.col("n_essential")[rows], ctx.credit, NEUTRAL)
    out[:, 1] = _coverage(index.col("optional")[rows], index.col("n_optional")[rows], ctx.credit, NEUTRAL)
    fit = languages if languages is not None else language_fit(index, ctx)
    out[:, 2] = fit.score[index.col("reqset")[rows]]
    out[:, 3] = overlap
    max_minutes = max(ctx.profile.safety.max_commute_minutes, 1)
    out[:, 4] = np.clip(1.0 - minutes / max_minutes, 0.0, 1.0)
    out[:, 5] = _goal(index, ctx, rows)
    out[:, 6] = _pay(index, ctx, rows)
    out[:, 7] = _level(index, ctx, rows)
    return out


def _coverage(skills: Ints, counts: Ints, credit: Floats, when_none: float) -> Floats:
    # padding is -1, which indexes credit's trailing 0; row sums are then plain sums
    total = credit[skills].sum(axis=1)
    return np.where(counts > 0, total / np.maximum(counts, 1), when_none)


def _goal(index: OpportunityIndex, ctx: SurvivorContext, rows: Ints) -> Floats:
    if not ctx.has_goals:
        return np.full(len(rows), NEUTRAL)
    occ = ctx.target_occupations[index.col("occupation")[rows]]
    sec = ctx.target_sectors[index.col("sector")[rows]]
    return np.where(occ, GOAL_OCCUPATION, np.where(sec, GOAL_SECTOR, 0.0))


def _pay(index: OpportunityIndex, ctx: SurvivorContext, rows: Ints) -> Floats:
    target = ctx.profile.goals.monthly_income_target
    is_job = index.col("kind")[rows] == KIND_CODE["job"]
    if target is None or target <= 0:
        return np.full(len(rows), NEUTRAL)
    pay = index.col("pay")[rows].astype(np.float64)
    same_currency = index.col("currency")[rows] == ctx.currency
    fit = np.where(np.isnan(pay), PAY_UNKNOWN, np.minimum(np.nan_to_num(pay) / target, 1.0))
    return np.where(is_job & same_currency, fit, np.where(is_job & np.isnan(pay), PAY_UNKNOWN, NEUTRAL))


def course_level_fit(gap: Ints) -> Floats:
    """Course level minus her level: the next step up fits best, repeating what she knows least."""
    return np.select([gap == 1, gap == 2, gap == 0, gap >= 3], [1.0, 0.7, 0.4, 0.4], 0.1)


def class_level_fit(hers: Ints, level_from: Ints, level_to: Ints) -> Floats:
    """Her CEFR level against a language class's entry and exit levels."""
    return np.select(
        [hers >= level_to, hers == level_from, hers > level_from, hers == level_from - 1],
        [0.0, 1.0, 0.7, 0.4],
        0.1,
    )


def _level(index: OpportunityIndex, ctx: SurvivorContext, rows: Ints) -> Floats:
    kind = index.col("kind")[rows]
    out = np.full(len(rows), NEUTRAL)
    course = kind == KIND_CODE["course"]
    if course.any():
        r = rows[course]
        skills = np.concatenate([index.col("essential")[r], index.col("optional")[r]], axis=1)
        hers = ctx.level[skills].max(axis=1, initial=0.0).astype(np.int64)
        level = index.col("course_level")[r].astype(np.int64)
        out[course] = np.where(level > 0, course_level_fit(level - hers), NEUTRAL)
    lang = kind == KIND_CODE["language_class"]
    if lang.any():
        r = rows[lang]
        hers = ctx.language_level[index.col("class_language")[r]]
        hers = np.where(index.col("class_language")[r] >= 0, hers, 0)
        out[lang] = class_level_fit(
            hers, index.col("class_from")[r].astype(np.int64), index.col("class_to")[r].astype(np.int64)
        )
    return out
