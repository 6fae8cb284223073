"""Listing shapes in and out, and the cross-field rules a listing must meet.

Request bodies forbid unknown fields (SECURITY S5): a partner cannot set `status`,
`organisation_id` or `capacity_left` by adding them to a body. Field-level limits live in the
types (msgspec names the field on failure); rules that involve several fields (a job needs pay,
a schedule must not overlap itself, a date range must not run backwards) live in
:func:`check_listing`, which returns every problem with the field it concerns.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, get_type_hints
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from providers.schedule import EMPTY_WEEK, ScheduleError, parse_week, week_from_blocks
from skills.languages import ISO_639_1

Kind = Literal["job", "course", "language_class", "childcare"]
KINDS: tuple[str, ...] = ("job", "course", "language_class", "childcare")
Status = Literal["draft", "pending_review", "published", "closed"]
Cefr = Literal["A1", "A2", "B1", "B2", "C1", "C2"]
CEFR_ORDER = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
ContractType = Literal["employment", "fixed_term", "apprenticeship", "freelance", "informal", "none"]
EscoUri = Annotated[
    str,
    Meta(pattern=r"^http://data\.europa\.eu/esco/(skill|occupation|isco)/[A-Za-z0-9\-]{1,64}$", max_length=120),
]
LanguageCode = Annotated[str, Meta(pattern=r"^[a-z]{2}$", description="ISO 639-1")]
CurrencyCode = Annotated[str, Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217")]
Region = Annotated[str, Meta(pattern=r"^[A-Z]{2}[0-9A-Z]{0,3}$", description="NUTS code, e.g. DE30")]
DaySlots = Annotated[str, Meta(pattern=r"^[01]{48}$")]
Week = Annotated[list[DaySlots], Meta(min_length=7, max_length=7, description="7 x 48 half-hours, Monday first")]
Time = Annotated[str, Meta(pattern=r"^[0-9]{2}:[0-9]{2}$", description="HH:MM, on the half hour; 24:00 ends a day")]
Title = Annotated[str, Meta(min_length=3, max_length=200)]
Reason = Annotated[str, Meta(min_length=3, max_length=500)]

CURRENCIES = frozenset({"EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "ISK", "USD"})
"""ISO 4217 codes of the currencies our partners pay in (Europe, plus USD); extend with care."""

LANGUAGES = ISO_639_1
"""ISO 639-1 two-letter codes, shared with survivor profiles (skills.languages)."""

JOB_ONLY = ("pay_amount", "pay_period", "contract_type", "contact_channels")
JOB_FLAGS = ("accommodation_provided", "travel_abroad")
COURSE_ONLY = ("cost_amount", "course_level", "certificate")
LANGUAGE_CLASS_ONLY = ("class_language", "level_from", "level_to")
CHILDCARE_ONLY = ("age_min", "age_max")
_REQUIRED: dict[str, tuple[str, ...]] = {
    "job": ("pay_amount", "pay_period", "currency", "contract_type", "hours_per_week"),
    "course": ("cost_amount",),
    "language_class": LANGUAGE_CLASS_ONLY,
    "childcare": CHILDCARE_ONLY,
}
_ONLY_FOR: dict[str, tuple[str, ...]] = {
    "job": (*JOB_ONLY,),
    "course": COURSE_ONLY,
    "language_class": LANGUAGE_CLASS_ONLY,
    "childcare": CHILDCARE_ONLY,
}


class Strict(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for request bodies: an unknown field is an error naming that field (SECURITY S5).

    Defined once, here, because providers may not import service; service's areas take it
    through service/kernel/schemas.py."""


class LanguageNeed(Strict):
    """A language the work or course needs, at least at this CEFR level."""

    code: LanguageCode
    level: Cefr


class Block(Strict):
    """A stretch of one day (a night shift is two blocks, split at midnight)."""

    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    start: Time
    end: Time


class OpportunityCreate(Strict, kw_only=True):
    """A new listing. Send `schedule` (7 strings of 48) or `blocks`, not both; neither = unspecified."""

    kind: Kind
    title: Title
    description: Annotated[str, Meta(max_length=4000)] = ""
    occupation_uri: EscoUri | None = None
    essential_skills: Annotated[list[EscoUri], Meta(max_length=50)] = []
    optional_skills: Annotated[list[EscoUri], Meta(max_length=50)] = []
    languages: Annotated[list[LanguageNeed], Meta(max_length=10)] = []
    schedule: Week | None = None
    blocks: Annotated[list[Block], Meta(max_length=70)] | None = None
    region: Region
    lat: Annotated[float, Meta(ge=-90, le=90)]
    lon: Annotated[float, Meta(ge=-180, le=180)]
    capacity: Annotated[int, Meta(ge=0, le=10_000)]
    starts_on: date
    ends_on: date | None = None
    women_only: bool = False
    sector: Annotated[str, Meta(max_length=60)] | None = None
    hours_per_week: Annotated[float, Meta(gt=0, le=84)] | None = None
    currency: CurrencyCode | None = None
    # jobs
    pay_amount: Annotated[float, Meta(gt=0, le=1_000_000)] | None = None
    pay_period: Literal["hour", "month"] | None = None
    contract_type: ContractType | None = None
    accommodation_provided: bool = False
    travel_abroad: bool = False
    contact_channels: Annotated[list[Annotated[str, Meta(max_length=30)]], Meta(max_length=10)] = []
    # courses
    cost_amount: Annotated[float, Meta(ge=0, le=1_000_000)] | None = None
    course_level: Annotated[int, Meta(ge=1, le=4, description="skill level reached, 1 basic … 4 expert")] | None = None
    certificate: Annotated[str, Meta(max_length=200)] | None = None
    # language classes
    class_language: LanguageCode | None = None
    level_from: Cefr | None = None
    level_to: Cefr | None = None
    # childcare
    age_min: Annotated[int, Meta(ge=0, le=17)] | None = None
    age_max: Annotated[int, Meta(ge=0, le=17)] | None = None
    draft: bool = False
    """Save without submitting: a draft is neither screened nor visible outside the partner."""


def _optional(annotation: Any) -> Any:
    return annotation | UnsetType


_CREATE_TYPES = get_type_hints(OpportunityCreate, include_extras=True)


#: A partial edit: every field of a listing except its kind, each one optional.
OpportunityUpdate = msgspec.defstruct(
    "OpportunityUpdate",
    [
        (name, _optional(_CREATE_TYPES[name]), UNSET)
        for name in OpportunityCreate.__struct_fields__
        if name not in ("kind", "draft")
    ],
    bases=(Strict,),
    kw_only=True,
    forbid_unknown_fields=True,
)


class FieldProblem(Struct, frozen=True):
    """One thing wrong with a listing, and where."""

    field: str
    message: str


def check_listing(listing: OpportunityCreate) -> tuple[list[FieldProblem], tuple[str, ...] | None]:
    """Every cross-field problem of ``listing``, and its week (None when there are problems).

    A listing that gives neither ``schedule`` nor ``blocks`` has an empty (unspecified) week.
    """
    problems: list[FieldProblem] = []
    week: tuple[str, ...] = EMPTY_WEEK
    if listing.schedule is not None and listing.blocks is not None:
        problems.append(FieldProblem("blocks", "send schedule or blocks, not both"))
    else:
        try:
            if listing.blocks is not None:
                week = week_from_blocks([(b.day, b.start, b.end) for b in listing.blocks])
            elif listing.schedule is not None:
                week = parse_week(listing.schedule)
        except ScheduleError as error:
            problems.append(FieldProblem(error.field, error.message))
    if listing.ends_on is not None and listing.ends_on < listing.starts_on:
        problems.append(FieldProblem("ends_on", "is before starts_on"))
    seen: set[str] = set()
    for index, need in enumerate(listing.languages):
        if need.code not in LANGUAGES:
            problems.append(FieldProblem(f"languages[{index}].code", "unknown language (ISO 639-1)"))
        elif need.code in seen:
            problems.append(FieldProblem(f"languages[{index}].code", "listed twice"))
        seen.add(need.code)
    if listing.currency is not None and listing.currency not in CURRENCIES:
        problems.append(FieldProblem("currency", "unknown or unsupported currency (ISO 4217)"))
    problems.extend(_kind_problems(listing))
    return problems, (week if not problems else None)


def _kind_problems(listing: OpportunityCreate) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for name in _REQUIRED[listing.kind]:
        if getattr(listing, name) is None:
            problems.append(FieldProblem(name, f"required for a {listing.kind} listing"))
    for kind, names in _ONLY_FOR.items():
        if kind == listing.kind:
            continue
        for name in names:
            if getattr(listing, name) not in (None, []):
                problems.append(FieldProblem(name, f"only for {kind} listings"))
    if listing.kind != "job":
        for name in JOB_FLAGS:
            if getattr(listing, name):
                problems.append(FieldProblem(name, "only for job listings"))
    if listing.kind == "course" and (listing.cost_amount or 0) > 0 and listing.currency is None:
        problems.append(FieldProblem("currency", "required when the course costs something"))
    if listing.kind == "language_class":
        if listing.class_language is not None and listing.class_language not in LANGUAGES:
            problems.append(FieldProblem("class_language", "unknown language (ISO 639-1)"))
        if listing.level_from and listing.level_to and CEFR_ORDER[listing.level_to] < CEFR_ORDER[listing.level_from]:
            problems.append(FieldProblem("level_to", "is below level_from"))
    if listing.kind == "childcare" and listing.age_min is not None and listing.age_max is not None:
        if listing.age_max < listing.age_min:
            problems.append(FieldProblem("age_max", "is below age_min"))
    return problems


class ReviewDecision(Strict):
    """A coordinator's decision on a listing waiting for review.

    `approve` publishes it, `return` sends it back to the partner as a draft to fix, `reject`
    closes it for good. The reason is kept on the listing and shown to the partner.
    """

    decision: Literal["approve", "return", "reject"]
    reason: Reason


class VettingDecision(Strict):
    """Vet or suspend a partner organisation, always with a reason."""

    status: Literal["vetted", "suspended"]
    reason: Reason


class BookingCreate(Strict):
    survivor_id: UUID


class VettingFlag(Struct, kw_only=True):
    """A screening hit (``kind: "rule"``) or a reason a person must read the listing
    (``kind: "review_reason"``, see providers.review_policy)."""

    rule_id: str
    reason: str
    severity: str = "medium"
    evidence: str = ""
    field: str = ""
    kind: str = "rule"


class OpportunityRead(Struct, kw_only=True, omit_defaults=True):
    """A listing as the caller may see it (vetting flags only for coordinators)."""

    id: UUID
    organisation_id: UUID
    kind: str
    status: str
    title: str
    description: str
    occupation_uri: str | None
    essential_skills: list[str]
    optional_skills: list[str]
    languages: list[LanguageNeed]
    schedule: list[str]
    region: str
    lat: float
    lon: float
    capacity: int
    capacity_left: int
    starts_on: date
    ends_on: date | None
    women_only: bool
    sector: str | None
    hours_per_week: float | None
    currency: str | None
    pay_amount: float | None = None
    pay_period: str | None = None
    contract_type: str | None = None
    accommodation_provided: bool = False
    travel_abroad: bool = False
    contact_channels: list[str] = []
    cost_amount: float | None = None
    course_level: int | None = None
    certificate: str | None = None
    class_language: str | None = None
    level_from: str | None = None
    level_to: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    review_reason: str | None = None
    vetting_flags: list[VettingFlag] | None = None
    created_at: datetime
    updated_at: datetime


class OpportunityPage(Struct, kw_only=True):
    items: list[OpportunityRead]
    total: int
    limit: int
    offset: int


class PartnerRead(Struct, kw_only=True):
    id: UUID
    name: str
    partner_type: str | None
    vetting_status: str
    vetted_by_id: UUID | None
    vetted_at: datetime | None
    vetting_reason: str | None


class BookingRead(Struct, kw_only=True):
    id: UUID
    opportunity_id: UUID
    survivor_id: UUID
    status: str
    booked_at: datetime
    released_at: datetime | None


class ImportProblem(Struct, frozen=True):
    """Row numbers count data rows from 1 (the CSV header is row 0)."""

    row: int
    field: str
    message: str


class NearDuplicate(Struct, frozen=True):
    """Row `row` looks like `similar_to` (a listing id, or `row N` of the same import)."""

    row: int
    similar_to: str
    score: float


class ImportReport(Struct, kw_only=True):
    created: int
    ids: list[UUID] = []
    errors: list[ImportProblem] = []
    duplicates: list[NearDuplicate] = []
    detail: str = ""
