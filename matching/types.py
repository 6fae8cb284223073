"""Plain records that ``matching`` receives and returns.

The service layer maps database rows to these; nothing here knows about storage. Weekly
timetables are 42-byte packed weeks (see :mod:`matching.schedule`); language levels are CEFR
codes with ``"native"`` above C2.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from matching.schedule import EMPTY_WEEK

Kind = Literal["job", "course", "language_class", "childcare"]
Cefr = Literal["A1", "A2", "B1", "B2", "C1", "C2", "native"]
TravelMode = Literal["walk", "transit", "car"]
Contract = Literal["formal", "informal"]

KINDS: tuple[Kind, ...] = ("job", "course", "language_class", "childcare")
CEFR_ORDER: dict[str, int] = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
CEFR_NAMES: dict[int, str] = {v: k for k, v in CEFR_ORDER.items()} | {0: "none"}
CHILDCARE_AGE_LIMIT = 12
"""Children up to this age (inclusive) need care while their mother works or studies, unless the
record says otherwise."""


class LanguageRequirement(msgspec.Struct, frozen=True):
    """A language an opportunity needs, at a minimum CEFR level."""

    language: str  # ISO 639-1
    level: Cefr


class Pay(msgspec.Struct, frozen=True):
    """Pay as a monthly equivalent."""

    monthly: float
    currency: str


class LanguageClass(msgspec.Struct, frozen=True):
    """What a language class teaches: from ``level_from`` up to ``level_to``."""

    language: str
    level_from: Cefr
    level_to: Cefr


class AgeRange(msgspec.Struct, frozen=True):
    """Ages (in whole years, inclusive) a childcare place accepts."""

    age_min: int
    age_max: int


class Opportunity(msgspec.Struct, kw_only=True):
    """A job, course, language class or childcare place offered by a partner.

    Only ``status == "published"`` from a vetted partner ever counts. ``schedule`` holds the hours
    (for childcare: the hours it covers); night work is derived from it, never stored.
    """

    id: str
    kind: Kind
    partner_id: str
    partner_vetted: bool
    status: str
    title: str
    region: str
    lat: float
    lon: float
    capacity_left: int
    start_date: date
    schedule: bytes = EMPTY_WEEK
    occupation_uri: str | None = None
    essential_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()
    languages: tuple[LanguageRequirement, ...] = ()
    women_only: bool = False
    pay: Pay | None = None
    contract: Contract | None = None
    sector: str | None = None
    course_level: int | None = None  # 1..4, the skill level a course brings its learners to
    language_class: LanguageClass | None = None
    childcare: AgeRange | None = None


class Child(msgspec.Struct, frozen=True):
    """A child of the survivor; ``needs_care`` None means decided by age."""

    age_years: int
    needs_care: bool | None = None

    def requires_care(self) -> bool:
        """Whether this child needs a childcare place while the mother is busy."""
        return self.age_years <= CHILDCARE_AGE_LIMIT if self.needs_care is None else self.needs_care


class RightToWork(msgspec.Struct, frozen=True):
    """Work permit: ``permit_kind`` None means she may not work; ``valid_until`` None = no end."""

    permit_kind: str | None = None
    valid_until: date | None = None


class Safety(msgspec.Struct, frozen=True):
    """Her safety constraints; each one is a hard filter."""

    exclusion_regions: frozenset[str] = frozenset()
    women_only: bool = False
    no_night_work: bool = False
    max_commute_minutes: int = 60
    travel_mode: TravelMode = "transit"


class Goals(msgspec.Struct, frozen=True):
    """What she is aiming for; feeds goal fit and pay fit."""

    target_occupations: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    monthly_income_target: float | None = None
    currency: str = "EUR"


class SurvivorProfile(msgspec.Struct, kw_only=True):
    """One survivor's work profile, reduced to what matching needs (no names, coarse place)."""

    id: str
    home_lat: float
    home_lon: float
    availability: bytes = EMPTY_WEEK
    skills: dict[str, int] = msgspec.field(default_factory=dict)  # ESCO URI -> level 1..4
    languages: dict[str, Cefr] = msgspec.field(default_factory=dict)
    children: tuple[Child, ...] = ()
    right_to_work: RightToWork = RightToWork()
    safety: Safety = Safety()
    goals: Goals = Goals()
    readiness_paused: bool = False
    waiting_since: date | None = None

    def children_needing_care(self) -> list[int]:
        """Ages of the children who need care while she works or studies."""
        return [c.age_years for c in self.children if c.requires_care()]


# ---------------------------------------------------------------- results


class Contribution(msgspec.Struct, frozen=True):
    """One feature's share of a score: ``value`` in [0, 1] times ``weight``."""

    feature: str
    value: float
    weight: float
    contribution: float


class Explanation(msgspec.Struct):
    """Why an opportunity (or bundle) is suggested: contributions, what is met, missing, bridged."""

    contributions: list[Contribution]
    met: list[str]
    missing: list[str]
    bridges: list[str]
    skills_held: list[str] = msgspec.field(default_factory=list)
    """Essential skills she has (URIs), for a reader who names them in her own language."""
    skills_related: list[str] = msgspec.field(default_factory=list)
    """Essential skills she lacks but related experience counts towards (URIs)."""
    skills_to_learn: list[str] = msgspec.field(default_factory=list)
    """Essential skills she lacks with nothing related (URIs)."""


class Bundle(msgspec.Struct):
    """A primary opportunity with the childcare place and/or language class that make it possible."""

    primary_id: str
    childcare_id: str | None
    language_class_id: str | None
    score: float
    notes: list[str]

    def parts(self) -> list[str]:
        """Every opportunity id the bundle takes a place in."""
        return [p for p in (self.primary_id, self.childcare_id, self.language_class_id) if p]


class Match(msgspec.Struct):
    """One suggestion for a survivor, best first in :class:`MatchResult`."""

    opportunity_id: str
    kind: Kind
    title: str
    score: float
    features: dict[str, float]
    explanation: Explanation
    bundle: Bundle | None = None


class MatchResult(msgspec.Struct):
    """Suggestions for one survivor and, for the rest of the catalogue, why it was excluded.

    ``excluded`` counts opportunities per first failing reason; ``reasons`` carries profile-level
    reasons (paused, no availability, nothing passes) so an empty list is never unexplained.
    """

    survivor_id: str
    matches: list[Match]
    excluded: dict[str, int]
    reasons: list[str]
    weights_version: str
