"""Survivor profile shapes in and out. Writes forbid unknown fields (SECURITY S5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from service.kernel.schemas import Strict

# An ESCO concept URI: skills and occupations are stored as URIs, never as free text.
EscoUri = Annotated[
    str,
    Meta(pattern=r"^http://data\.europa\.eu/esco/(skill|occupation|isco)/[A-Za-z0-9\-]{1,64}$", max_length=120),
]
LanguageCode = Annotated[str, Meta(pattern=r"^[a-z]{2}$")]
CefrLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2", "native"]
Region = Annotated[str, Meta(pattern=r"^[A-Z]{2}[0-9A-Z]{0,3}$", description="NUTS code, e.g. DE30")]
ShortText = Annotated[str, Meta(min_length=1, max_length=200)]
LongText = Annotated[str, Meta(max_length=4000)]
# One day of availability: 48 half-hour slots from midnight, "1" = available.
DaySlots = Annotated[str, Meta(pattern=r"^[01]{48}$")]
Week = Annotated[list[DaySlots], Meta(min_length=7, max_length=7, description="Monday first")]
BirthYear = Annotated[int, Meta(ge=1930, le=2012)]


class SkillEntry(Strict):
    uri: EscoUri
    level: Annotated[int, Meta(ge=1, le=4, description="1 basic … 4 expert")] = 2
    evidence: Annotated[str, Meta(max_length=200)] | None = None


class LanguageEntry(Strict):
    code: LanguageCode
    level: CefrLevel


class EducationEntry(Strict):
    isced_level: Annotated[int, Meta(ge=0, le=8)]
    field: Annotated[str, Meta(max_length=120)] = ""
    completed: bool = True
    recognised: bool = False


class WorkHistoryEntry(Strict):
    title: ShortText
    occupation_uri: EscoUri | None = None
    years: Annotated[float, Meta(ge=0, le=60)] = 0
    formal: bool = True


class Goals(Strict):
    target_occupations: Annotated[list[EscoUri], Meta(max_length=20)] = []
    sectors: Annotated[list[Annotated[str, Meta(max_length=60)]], Meta(max_length=20)] = []
    monthly_income_target: Annotated[int, Meta(ge=0, le=100_000)] | None = None
    currency: Annotated[str, Meta(pattern=r"^[A-Z]{3}$")] = "EUR"


class Child(Strict):
    age_years: Annotated[int, Meta(ge=0, le=17)]
    needs_care: bool = True


PermitKind = Literal[
    "citizen",
    "eu_citizen",
    "residence_permit_work",
    "residence_permit_no_work",
    "asylum_pending",
    "tolerated",
    "none",
    "unknown",
]


class RightToWork(Strict):
    permit_kind: PermitKind = "unknown"
    valid_until: date | None = None


class Safety(Strict):
    exclusion_regions: Annotated[list[Region], Meta(max_length=50)] = []
    women_only_workplace: bool = False
    no_night_work: bool = False
    max_commute_minutes: Annotated[int, Meta(ge=0, le=240)] = 45
    travel_mode: Literal["walk", "bike", "transit", "car"] = "transit"


Readiness = Literal["ready", "not_now"]


class SurvivorCreate(Strict):
    display_name: ShortText
    region: Region
    contact: Annotated[str, Meta(max_length=200)] | None = None
    exact_location: Annotated[str, Meta(max_length=300)] | None = None
    shelter: Annotated[str, Meta(max_length=300)] | None = None
    nationality: Annotated[str, Meta(max_length=100)] | None = None
    notes: LongText | None = None
    birth_year: BirthYear | None = None
    skills: Annotated[list[SkillEntry], Meta(max_length=200)] = []
    languages: Annotated[list[LanguageEntry], Meta(max_length=30)] = []
    education: Annotated[list[EducationEntry], Meta(max_length=20)] = []
    work_history: Annotated[list[WorkHistoryEntry], Meta(max_length=50)] = []
    goals: Goals = msgspec.field(default_factory=Goals)
    availability: Week | None = None
    children: Annotated[list[Child], Meta(max_length=15)] = []
    right_to_work: RightToWork = msgspec.field(default_factory=RightToWork)
    safety: Safety = msgspec.field(default_factory=Safety)
    readiness: Readiness = "ready"


class SurvivorUpdate(Strict):
    """Partial update by her counsellor or coordinator: only the fields sent change."""

    display_name: ShortText | UnsetType = UNSET
    region: Region | UnsetType = UNSET
    contact: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET
    exact_location: Annotated[str, Meta(max_length=300)] | UnsetType | None = UNSET
    shelter: Annotated[str, Meta(max_length=300)] | UnsetType | None = UNSET
    nationality: Annotated[str, Meta(max_length=100)] | UnsetType | None = UNSET
    notes: LongText | UnsetType | None = UNSET
    birth_year: BirthYear | UnsetType | None = UNSET
    skills: Annotated[list[SkillEntry], Meta(max_length=200)] | UnsetType = UNSET
    languages: Annotated[list[LanguageEntry], Meta(max_length=30)] | UnsetType = UNSET
    education: Annotated[list[EducationEntry], Meta(max_length=20)] | UnsetType = UNSET
    work_history: Annotated[list[WorkHistoryEntry], Meta(max_length=50)] | UnsetType = UNSET
    goals: Goals | UnsetType = UNSET
    availability: Week | UnsetType | None = UNSET
    children: Annotated[list[Child], Meta(max_length=15)] | UnsetType = UNSET
    right_to_work: RightToWork | UnsetType = UNSET
    safety: Safety | UnsetType = UNSET
    readiness: Readiness | UnsetType = UNSET


class PreferencesUpdate(Strict):
    """What she changes herself: her pace, her week and her goals."""

    readiness: Readiness | UnsetType = UNSET
    availability: Week | UnsetType | None = UNSET
    goals: Goals | UnsetType = UNSET


class CounsellorAssignment(Strict):
    counsellor_id: UUID | None


class SurvivorSummary(Struct, kw_only=True):
    id: UUID
    display_name: str
    region: str
    readiness: str
    counsellor_id: UUID | None
    created_at: datetime


class SurvivorDetail(Struct, kw_only=True):
    id: UUID
    organisation_id: UUID
    counsellor_id: UUID | None
    has_account: bool
    display_name: str
    contact: str | None
    exact_location: str | None
    shelter: str | None
    nationality: str | None
    notes: str | None
    region: str
    birth_year: int | None
    skills: list[SkillEntry]
    languages: list[LanguageEntry]
    education: list[EducationEntry]
    work_history: list[WorkHistoryEntry]
    goals: Goals
    availability: list[str] | None
    children: list[Child]
    right_to_work: RightToWork
    safety: Safety
    readiness: str
    created_at: datetime
    updated_at: datetime


class SurvivorPage(Struct, kw_only=True):
    items: list[SurvivorSummary]
    total: int
    limit: int
    offset: int


class ConsentCreate(Strict):
    purpose: Literal["share_with_partner", "contact_by_sms", "reporting"]
    partner_id: UUID | None = None
    fields: Annotated[list[Annotated[str, Meta(max_length=40)]], Meta(max_length=30)] = []
    expires_at: datetime | None = None


class ConsentRead(Struct, kw_only=True):
    id: UUID
    survivor_id: UUID
    purpose: str
    partner_id: UUID | None
    fields: list[str]
    granted_at: datetime
    expires_at: datetime | None
    withdrawn_at: datetime | None
    active: bool
