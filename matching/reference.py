"""A straightforward per-pair implementation of the same filters, features, scores and bundles.

It loops over opportunities one at a time with plain Python values. It exists as an oracle: the
vectorised engine must rank exactly as this does (tests and ``bench/matching.py`` check it), and
it shows the rules without array tricks. Ties break by score, then id; among equally near bundle
parts the earlier one in ``opportunities`` wins, as the index's row order does.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from matching.bundles import NO_CHILDCARE, NO_CLASS, bundle_score, travel_slots
from matching.features import (
    DETOUR_FACTOR,
    EARTH_RADIUS_KM,
    GOAL_OCCUPATION,
    GOAL_SECTOR,
    LEVEL_FACTOR,
    NEUTRAL,
    OVERHEAD_MINUTES,
    PAY_UNKNOWN,
    SPEED_KMH,
)
from matching.filters import MIN_TIMETABLE_OVERLAP
from matching.schedule import DAYS, SLOTS, week_from_ranges
from matching.scoring import DEFAULT, Weights, score_one
from matching.similarity import SkillSimilarity
from matching.types import CEFR_ORDER, Opportunity, SurvivorProfile

FULL = (1 << SLOTS) - 1
NIGHT = int.from_bytes(week_from_ranges((d, "22:00", "06:00") for d in range(DAYS)), "big")


@dataclass
class ReferenceMatch:
    """What the reference returns per suggestion: enough to compare with the engine."""

    opportunity_id: str
    score: float
    childcare_id: str | None
    language_class_id: str | None


def _week(raw: bytes) -> int:
    return int.from_bytes(raw, "big") if raw else 0


def _rotate(week: int, shift: int) -> int:
    shift %= SLOTS
    return ((week << shift) | (week >> (SLOTS - shift))) & FULL


def _dilate(week: int, slots: int) -> int:
    out = week
    for k in range(1, slots + 1):
        out |= _rotate(week, k) | _rotate(week, -k)
    return out


def _minutes(opp: Opportunity, profile: SurvivorProfile) -> float:
    p1, p2 = math.radians(profile.home_lat), math.radians(opp.lat)
    dphi, dlmb = p2 - p1, math.radians(opp.lon - profile.home_lon)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
    mode = profile.safety.travel_mode
    return km * DETOUR_FACTOR / SPEED_KMH[mode] * 60.0 + OVERHEAD_MINUTES[mode]


def _gaps(opp: Opportunity, profile: SurvivorProfile) -> list[tuple[str, int, int]]:
    out = []
    for req in opp.languages:
        hers = CEFR_ORDER.get(profile.languages.get(req.language, ""), 0)
        out.append((req.language, CEFR_ORDER[req.level], hers))
    return out


def _reason(opp: Opportunity, profile: SurvivorProfile, as_of: date, minutes: float) -> str | None:
    """First failing hard filter, in the engine's order, or None."""
    failing = failing_filters(opp, profile, as_of, minutes, first_only=True)
    return failing[0] if failing else None


def failing_filters(
    opp: Opportunity, profile: SurvivorProfile, as_of: date, minutes: float, *, first_only: bool = False
) -> list[str]:
    """Every hard filter ``opp`` fails for ``profile``, in the engine's order (empty if none).

    ``first_only`` stops at the first failure, as a per-pair ranking naturally would.
    """
    safety, rtw = profile.safety, profile.right_to_work
    is_job = opp.kind == "job"
    week = _week(opp.schedule)
    checks = [
        (opp.status != "published", "not published"),
        (not opp.partner_vetted, "partner not vetted"),
        (opp.capacity_left <= 0, "no places left"),
        (opp.region in safety.exclusion_regions, "excluded region"),
        (minutes > safety.max_commute_minutes, "commute too long"),
        (is_job and opp.contract == "informal", "informal work"),
        (is_job and rtw.permit_kind is None, "no right to work"),
        (
            is_job
            and rtw.permit_kind is not None
            and rtw.valid_until is not None
            and max(opp.start_date, as_of) > rtw.valid_until,
            "permit ends before start",
        ),
        (is_job and safety.women_only and not opp.women_only, "not a women-only workplace"),
        (safety.no_night_work and opp.kind != "childcare" and bool(week & NIGHT), "night work"),
    ]
    reasons = [reason for failed, reason in checks if failed]
    if first_only and reasons:
        return reasons[:1]
    gaps = [req - hers for _, req, hers in _gaps(opp, profile)]
    if any(g >= 2 for g in gaps) or sum(g == 1 for g in gaps) > 1:
        reasons.append("language level too far below requirement")
        if first_only:
            return reasons
    if opp.kind != "childcare" and _overlap(opp, profile) < MIN_TIMETABLE_OVERLAP:
        reasons.append("outside her availability")
    return reasons


def _overlap(opp: Opportunity, profile: SurvivorProfile) -> float:
    week = _week(opp.schedule)
    slots = week.bit_count()
    return (week & _week(profile.availability)).bit_count() / slots if slots else 1.0


def _credit(profile: SurvivorProfile, similarity: SkillSimilarity) -> dict[str, float]:
    credit: dict[str, float] = {}
    for uri, level in profile.skills.items():
        for other, weight in similarity.related(uri).items():
            credit[other] = max(credit.get(other, 0.0), weight * LEVEL_FACTOR[level])
    for uri, level in profile.skills.items():
        credit[uri] = LEVEL_FACTOR[level]
    return credit


def features_for(
    opp: Opportunity, profile: SurvivorProfile, credit: dict[str, float], minutes: float
) -> dict[str, float]:
    """The engine's named features for one pair, computed directly from the records."""
    essential = list(dict.fromkeys(opp.essential_skills))
    optional = [s for s in dict.fromkeys(opp.optional_skills) if s not in essential]
    f: dict[str, float] = {}
    f["essential_skills"] = _mean([credit.get(s, 0.0) for s in essential])
    f["optional_skills"] = _mean([credit.get(s, 0.0) for s in optional])
    gaps = [req - hers for _, req, hers in _gaps(opp, profile)]
    per = [1.0 if g <= 0 else 0.5 if g == 1 else 0.0 for g in gaps]
    f["language"] = sum(per) / len(per) if per else 1.0
    f["timetable"] = _overlap(opp, profile)
    f["commute"] = min(max(1.0 - minutes / max(profile.safety.max_commute_minutes, 1), 0.0), 1.0)
    goals = profile.goals
    if not (goals.target_occupations or goals.sectors):
        f["goal"] = NEUTRAL
    elif opp.occupation_uri is not None and opp.occupation_uri in goals.target_occupations:
        f["goal"] = GOAL_OCCUPATION
    elif opp.sector is not None and opp.sector in goals.sectors:
        f["goal"] = GOAL_SECTOR
    else:
        f["goal"] = 0.0
    target = goals.monthly_income_target
    if opp.kind != "job" or target is None or target <= 0:
        f["pay"] = NEUTRAL
    elif opp.pay is None:
        f["pay"] = PAY_UNKNOWN
    elif opp.pay.currency != goals.currency:
        f["pay"] = NEUTRAL
    else:
        f["pay"] = min(opp.pay.monthly / target, 1.0)
    f["level"] = _level(opp, profile, essential + optional)
    return f


def _mean(credits: list[float]) -> float:
    # an opportunity that lists no skills says nothing either way
    return sum(credits) / len(credits) if credits else NEUTRAL


def _level(opp: Opportunity, profile: SurvivorProfile, skills: list[str]) -> float:
    if opp.kind == "course":
        if not opp.course_level:
            return NEUTRAL
        gap = opp.course_level - max((profile.skills.get(s, 0) for s in skills), default=0)
        return {1: 1.0, 2: 0.7, 0: 0.4}.get(gap, 0.4 if gap >= 3 else 0.1)
    if opp.kind == "language_class" and opp.language_class is not None:
        lc = opp.language_class
        hers = CEFR_ORDER.get(profile.languages.get(lc.language, ""), 0)
        lo, hi = CEFR_ORDER[lc.level_from], CEFR_ORDER[lc.level_to]
        if hers >= hi:
            return 0.0
        if hers == lo:
            return 1.0
        if hers > lo:
            return 0.7
        return 0.4 if hers == lo - 1 else 0.1
    return NEUTRAL


def reference_rank(
    profile: SurvivorProfile,
    opportunities: list[Opportunity],
    similarity: SkillSimilarity,
    *,
    as_of: date,
    top_k: int = 20,
    weights: Weights = DEFAULT,
    kinds: Collection[str] | None = None,
) -> list[ReferenceMatch]:
    """Top ``top_k`` suggestions by the same rules as :func:`matching.engine.rank`, pair by pair."""
    if profile.readiness_paused or not _week(profile.availability):
        return []
    credit = _credit(profile, similarity)
    ages = profile.children_needing_care()
    passing: list[tuple[Opportunity, float]] = []
    for opp in opportunities:
        minutes = _minutes(opp, profile)
        if _reason(opp, profile, as_of, minutes) is None:
            passing.append((opp, minutes))
    available = _week(profile.availability)
    classes = [
        (o, m)
        for o, m in passing
        if o.kind == "language_class" and _week(o.schedule) and not _week(o.schedule) & ~available & FULL
    ]
    cares = [
        (o, m)
        for o, m in passing
        if ages
        and o.kind == "childcare"
        and o.childcare
        and o.childcare.age_min <= min(ages)
        and o.childcare.age_max >= max(ages)
    ]
    results: list[ReferenceMatch] = []
    for opp, minutes in passing:
        if opp.kind == "childcare" or (kinds is not None and opp.kind not in kinds):
            continue
        score = score_one(features_for(opp, profile, credit, minutes), weights)
        gaps = [(lang, req) for lang, req, hers in _gaps(opp, profile) if req - hers == 1]
        if not ages and not gaps:
            results.append(ReferenceMatch(opp.id, score, None, None))
            continue
        found = _bundle(opp, minutes, profile, gaps, classes, cares, score)
        if found is not None:
            results.append(found)
    results.sort(key=lambda r: (-r.score, r.opportunity_id))
    return results[:top_k]


def _bundle(
    opp: Opportunity,
    minutes: float,
    profile: SurvivorProfile,
    gaps: list[tuple[str, int]],
    classes: list[tuple[Opportunity, float]],
    cares: list[tuple[Opportunity, float]],
    score: float,
) -> ReferenceMatch | None:
    busy = _dilate(_week(opp.schedule), travel_slots(minutes))
    options: list[tuple[Opportunity, float] | None] = [None]
    if gaps:
        lang, required = gaps[0]
        hers = CEFR_ORDER.get(profile.languages.get(lang, ""), 0)
        fitting = [
            (c, m)
            for c, m in classes
            if c.language_class is not None
            and c.language_class.language == lang
            and CEFR_ORDER[c.language_class.level_from] <= hers
            and CEFR_ORDER[c.language_class.level_to] >= required
            and not _week(c.schedule) & busy
        ]
        # stable sort keeps catalogue order among equal commutes
        if not fitting:
            return None
        options = [*sorted(fitting, key=lambda cm: cm[1])]
    for option in options:
        need = busy
        if option is not None:
            need |= _dilate(_week(option[0].schedule), travel_slots(option[1]))
        care: tuple[Opportunity, float] | None = None
        if profile.children_needing_care():
            covering = [(c, m) for c, m in cares if _week(c.schedule) & need == need]
            if not covering:
                continue
            care = min(covering, key=lambda cm: cm[1])
        final = bundle_score(score, option is not None, care[1] if care else None, profile.safety.max_commute_minutes)
        return ReferenceMatch(opp.id, final, care[0].id if care else None, option[0].id if option else None)
    return None


def pair_features(opp: Opportunity, profile: SurvivorProfile, similarity: SkillSimilarity) -> dict[str, float]:
    """Named features of one (opportunity, survivor) pair, e.g. for a past referral with a known outcome."""
    return features_for(opp, profile, _credit(profile, similarity), _minutes(opp, profile))


def commute_estimate(opp: Opportunity, profile: SurvivorProfile) -> float:
    """Minutes from her home to ``opp`` by her travel mode (the same estimate the engine uses)."""
    return _minutes(opp, profile)


__all__ = ["NO_CHILDCARE", "NO_CLASS", "ReferenceMatch", "features_for", "reference_rank"]
