"""A survivor row (JSON profile columns) as the plain record matching reads.

The stored profile speaks the intake's language (permit kinds, a week of 7 strings, a travel
mode list that includes the bike); matching speaks in packed weeks, CEFR maps and a yes/no
right to work. Every translation choice is made here, once, with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

import numpy as np

from matching.schedule import EMPTY_WEEK, pack_week
from matching.types import Cefr, Child, Goals, RightToWork, Safety, SurvivorProfile, TravelMode
from service.domain.survivors.models import Survivor

PERMITS_TO_WORK = frozenset({"citizen", "eu_citizen", "residence_permit_work"})
"""Permits that allow work without asking anyone. Asylum seekers and tolerated people need a
separate permission from the immigration office that the profile does not record, and "unknown"
is not a yes: suggesting work she may not legally take would put her at risk, so jobs stay out
until her counsellor records a permit that allows work (courses and classes are still offered)."""
TRAVEL_MODES: dict[str, TravelMode] = {"walk": "walk", "transit": "transit", "car": "car", "bike": "transit"}
"""matching has no cycling speed; a bike (about 15 km/h, no waiting) is closest to transit's
18 km/h with its waiting overhead, so a cyclist's reach is estimated as a transit user's."""

HOME_UNKNOWN = (
    "her home area is unknown to the catalogue: no listing in or near region {region} to estimate travel from"
)
PAUSED = "readiness paused: she asked for no suggestions for now"
ALREADY_PLACED = "she has started a job or a course: left out of rounds"
DROPPED = "taken out of this round by a coordinator"


def week_of(days: list[str] | None) -> bytes:
    """Seven strings of 48 '0'/'1' half-hours (Monday first) as matching's packed week."""
    if not days or len(days) != 7:
        return EMPTY_WEEK
    bits = np.array([[slot == "1" for slot in day] for day in days], dtype=bool)
    return pack_week(bits)


def excluded_regions(codes: Iterable[str], known: Iterable[str]) -> frozenset[str]:
    """Her exclusions as the catalogue's region codes: a NUTS code excludes every region under
    it ("DE3" excludes "DE30"), because that is what she means by naming the wider area."""
    wanted = tuple(codes)
    if not wanted:
        return frozenset()
    return frozenset(wanted) | frozenset(region for region in known if region.startswith(wanted))


def _children(rows: list[dict[str, Any]]) -> tuple[Child, ...]:
    # The intake form defaults needs_care to true for every child; matching's "decide by age"
    # (None) keeps that for young children without making a teenager's mother unplaceable.
    return tuple(
        Child(age_years=int(row["age_years"]), needs_care=None if row.get("needs_care", True) else False)
        for row in rows
        if "age_years" in row
    )


def _right_to_work(stored: dict[str, Any]) -> RightToWork:
    kind = stored.get("permit_kind") or "unknown"
    if kind not in PERMITS_TO_WORK:
        return RightToWork(permit_kind=None)
    until = stored.get("valid_until")
    return RightToWork(permit_kind=kind, valid_until=date.fromisoformat(until) if isinstance(until, str) else until)


def _skills(rows: list[dict[str, Any]]) -> dict[str, int]:
    skills: dict[str, int] = {}
    for row in rows:
        uri, level = row.get("uri"), int(row.get("level") or 2)
        if uri:
            skills[uri] = max(skills.get(uri, 0), min(max(level, 1), 4))
    return skills


def to_profile(row: Survivor, home: tuple[float, float], regions: Iterable[str]) -> SurvivorProfile:
    """Her work profile for matching. ``home`` is a coarse point for her region (the profile holds
    no coordinates); ``regions`` are the catalogue's region codes, to widen her exclusions."""
    safety = row.safety or {}
    goals = row.goals or {}
    income = goals.get("monthly_income_target")
    return SurvivorProfile(
        id=str(row.id),
        home_lat=home[0],
        home_lon=home[1],
        availability=week_of(row.availability),
        skills=_skills(row.skills or []),
        languages={lang["code"]: cast(Cefr, lang["level"]) for lang in row.languages or [] if "code" in lang},
        children=_children(row.children or []),
        right_to_work=_right_to_work(row.right_to_work or {}),
        safety=Safety(
            exclusion_regions=excluded_regions(safety.get("exclusion_regions") or [], regions),
            women_only=bool(safety.get("women_only_workplace", False)),
            no_night_work=bool(safety.get("no_night_work", False)),
            max_commute_minutes=int(safety.get("max_commute_minutes", 45)),
            travel_mode=TRAVEL_MODES.get(str(safety.get("travel_mode", "transit")), "transit"),
        ),
        goals=Goals(
            target_occupations=tuple(goals.get("target_occupations") or ()),
            sectors=tuple(goals.get("sectors") or ()),
            monthly_income_target=float(income) if income is not None else None,
            currency=str(goals.get("currency") or "EUR"),
        ),
        readiness_paused=row.readiness != "ready",
        waiting_since=row.waiting_since,
    )
