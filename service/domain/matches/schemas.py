"""Shapes of matches and allocation rounds. Requests forbid unknown fields (SECURITY S5).

An opportunity appears only as the summary a survivor may see (title, kind, partner name, region,
hours): never capacity, pay details, vetting flags or anything else a partner keeps internal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta, Struct

from service.kernel.schemas import Strict

Kind = Literal["job", "course", "language_class", "childcare"]
PrimaryKind = Literal["job", "course", "language_class"]


class OpportunitySummary(Struct, kw_only=True):
    id: UUID
    kind: str
    title: str
    partner: str
    region: str
    schedule: str
    """Its hours in words, e.g. "Mon-Fri 08:00-16:00"."""
    week: list[str] = []
    """Its hours as seven strings (Monday first) of 48 half-hours, "1" where it takes place."""
    skills: list[str] = []
    """The skills it asks for or teaches (ESCO URIs; pages show their names)."""


class BundleRead(Struct, kw_only=True):
    """The primary with the childcare place and/or language class that make it possible."""

    parts: list[OpportunitySummary]
    score: float
    explanation: str


class MatchItem(Struct, kw_only=True):
    opportunity: OpportunitySummary
    score: float
    features: dict[str, float]
    """Each feature's value in [0, 1]."""
    contributions: dict[str, float]
    """Each feature's share of the score (weight x value)."""
    met: list[str]
    missing: list[str]
    bridges: list[str]
    bundle: BundleRead | None
    skills_held: list[str] = []
    """Essential skills she has (ESCO URIs)."""
    skills_related: list[str] = []
    """Essential skills she lacks that related experience counts towards."""
    skills_to_learn: list[str] = []
    """Essential skills she lacks with nothing related yet."""


class MatchList(Struct, kw_only=True):
    survivor_id: UUID
    items: list[MatchItem]
    excluded_reasons: dict[str, int]
    """How many listings each first failing filter ruled out."""
    profile_reasons: list[str]
    """Why the list is empty or short whatever the published opportunities hold (e.g. readiness paused)."""
    weights_version: str


class RoundCreate(Strict):
    survivor_ids: Annotated[list[UUID], Meta(min_length=1, max_length=2000)] | None = None
    """Default: every ready survivor of the coordinator's organisation."""
    kinds: Annotated[list[PrimaryKind], Meta(min_length=1, max_length=3)] | None = None
    prioritise_waiting: bool = False


class AssignmentRead(Struct, kw_only=True):
    id: UUID
    survivor_id: UUID
    opportunity_id: UUID
    childcare_id: UUID | None
    language_class_id: UUID | None
    score: float
    weight: float
    why: str
    referral_ids: list[UUID]
    note: str


class RoundRead(Struct, kw_only=True):
    id: UUID
    organisation_id: UUID
    status: str
    as_of: date
    kinds: list[str]
    prioritise_waiting: bool
    survivor_count: int
    candidate_count: int
    method: str
    objective: float
    bound: float | None = None
    gap: float | None = None
    placed: int
    greedy_objective: float
    greedy_placed: int
    seconds: float
    unplaced: dict[str, str]
    created_at: datetime
    accepted_at: datetime | None
    assignments: list[AssignmentRead]


class RoundSummary(Struct, kw_only=True):
    id: UUID
    status: str
    as_of: date
    survivor_count: int
    placed: int
    objective: float
    greedy_objective: float
    created_at: datetime
