"""The partner's listing form: browser strings → the listing schemas the JSON API validates.

One form per kind of listing shows the fields the API takes for that kind. Lists are written
the way the CSV import writes them (``de:B1; en:A2``, ``mon 09:00-13:00; wed 14:00-18:00``),
so a partner learns one notation. Every field is judged on its own (msgspec against its own
annotated type), then the cross-field rules (`providers.schemas.check_listing`) run, and every
problem is reported on the field it concerns, in our own translated words: the API's English
messages never reach the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, get_type_hints

import msgspec

from providers.models import Opportunity
from providers.schedule import DAYS, SLOTS_PER_DAY, ScheduleError, is_empty, parse_text_blocks
from providers.schemas import CURRENCIES, FieldProblem, OpportunityCreate, OpportunityUpdate, check_listing
from service.web.forms import N_

KINDS = ("job", "course", "language_class", "childcare")
COMMON = (
    "title",
    "description",
    "region",
    "lat",
    "lon",
    "capacity",
    "starts_on",
    "ends_on",
    "schedule",
    "hours_per_week",
    "languages",
    "women_only",
    "sector",
)
SKILLED = ("occupation_uri", "essential_skills", "optional_skills")
BY_KIND: dict[str, tuple[str, ...]] = {
    "job": (
        *COMMON,
        *SKILLED,
        "currency",
        "pay_amount",
        "pay_period",
        "contract_type",
        "contact_channels",
        "accommodation_provided",
        "travel_abroad",
    ),
    "course": (*COMMON, *SKILLED, "currency", "cost_amount", "course_level", "certificate"),
    "language_class": (*COMMON, "class_language", "level_from", "level_to"),
    "childcare": (*COMMON, "age_min", "age_max"),
}
REQUIRED = ("title", "region", "lat", "lon", "capacity", "starts_on")
#: What each kind needs besides (as `check_listing` rules), named at once with the other fields.
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "job": ("pay_amount", "pay_period", "currency", "contract_type", "hours_per_week"),
    "course": ("cost_amount",),
    "language_class": ("class_language", "level_from", "level_to"),
    "childcare": ("age_min", "age_max"),
}
BOOLEANS = frozenset({"women_only", "accommodation_provided", "travel_abroad"})
LISTS = frozenset({"essential_skills", "optional_skills", "contact_channels"})
CURRENCY_CODES = tuple(sorted(CURRENCIES))
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
CONTRACT_TYPES = {
    "employment": N_("Employment contract"),
    "fixed_term": N_("Fixed-term contract"),
    "apprenticeship": N_("Apprenticeship"),
    "freelance": N_("Freelance"),
    "informal": N_("Informal, no written contract"),
    "none": N_("No contract"),
}
PAY_PERIODS = {"hour": N_("per hour"), "month": N_("per month")}
COURSE_LEVELS = {"1": N_("Basic"), "2": N_("Intermediate"), "3": N_("Advanced"), "4": N_("Expert")}

#: One message per field, shown on the field whatever went wrong with it.
MESSAGES: dict[str, str] = {
    "title": N_("Please enter a title of 3 to 200 characters."),
    "description": N_("This text is too long."),
    "region": N_("Please use a region code such as DE30."),
    "lat": N_("Please enter a latitude between -90 and 90, for example 52.52."),
    "lon": N_("Please enter a longitude between -180 and 180, for example 13.41."),
    "capacity": N_("Please enter a number of places from 0 to 10000."),
    "starts_on": N_("Please enter the start date as YYYY-MM-DD."),
    "ends_on": N_("Please enter an end date as YYYY-MM-DD, not before the start date."),
    "schedule": N_(
        "Please write the times as in “mon 09:00-13:00; wed 14:00-18:00”: "
        "on the hour or half hour, within one day, without overlaps."
    ),
    "hours_per_week": N_("Please enter hours per week, more than 0 and at most 84."),
    "languages": N_("Please write each language as code:level, for example “de:B1; en:A2”, each language once."),
    "women_only": N_("Please check this field."),
    "sector": N_("Please use at most 60 characters."),
    "currency": N_("Please choose a currency (needed for pay and for courses that cost something)."),
    "occupation_uri": N_("Please enter an ESCO occupation address (http://data.europa.eu/esco/occupation/…)."),
    "essential_skills": N_("Please enter ESCO skill addresses separated by semicolons (at most 50)."),
    "optional_skills": N_("Please enter ESCO skill addresses separated by semicolons (at most 50)."),
    "pay_amount": N_("Please enter the pay, more than 0."),
    "pay_period": N_("Please choose whether the pay is per hour or per month."),
    "contract_type": N_("Please choose a contract type."),
    "contact_channels": N_("Please list at most 10 ways to apply, separated by semicolons."),
    "accommodation_provided": N_("Please check this field."),
    "travel_abroad": N_("Please check this field."),
    "cost_amount": N_("Please enter the cost (0 if it is free)."),
    "course_level": N_("Please choose a level."),
    "certificate": N_("Please use at most 200 characters."),
    "class_language": N_("Please enter the language taught as a two-letter code, such as de."),
    "level_from": N_("Please choose the starting level."),
    "level_to": N_("Please choose the final level, not below the starting level."),
    "age_min": N_("Please enter the youngest age, from 0 to 17."),
    "age_max": N_("Please enter the oldest age, from 0 to 17, not below the youngest."),
    "capacity_booked": N_("More places are already booked than this number."),
}
_CREATE_TYPES = get_type_hints(OpportunityCreate, include_extras=True)
_FIELDS = {info.name: info for info in msgspec.structs.fields(OpportunityCreate)}


def field_of(path: str) -> str:
    """The form field a problem path names (``languages[1].code`` → ``languages``)."""
    name = path.split("[", 1)[0].split(".", 1)[0]
    return "schedule" if name == "blocks" else name


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


def _languages(text: str) -> list[dict[str, str]] | None:
    needs = []
    for part in _split(text):
        code, sep, level = part.partition(":")
        if not sep:
            return None
        needs.append({"code": code.strip().lower(), "level": level.strip().upper()})
    return needs


def _default(name: str) -> Any:
    info = _FIELDS[name]
    if info.default_factory is not msgspec.NODEFAULT:
        return info.default_factory()
    return None if info.default is msgspec.NODEFAULT else info.default


def read_listing(form: Mapping[str, Any], kind: str) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """(typed values, the raw strings to show again, errors by field) for one kind's form.

    Every field of the kind is present in the values: an empty one means "none" (its default),
    so clearing a field in the editor clears it in the listing.
    """
    values: dict[str, Any] = {}
    shown: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in BY_KIND[kind]:
        raw = form.get(name)
        text = raw.strip() if isinstance(raw, str) else ""
        shown[name] = text
        if name in BOOLEANS:
            values[name] = bool(text) and text not in ("false", "0")
            continue
        if not text:
            if name in REQUIRED or name in KIND_REQUIRED[kind]:
                errors[name] = MESSAGES[name]
            else:
                values[name] = _default(name)
            continue
        try:
            values[name] = _convert(name, text)
        except (ValueError, msgspec.ValidationError):
            errors[name] = MESSAGES[name]
    return values, shown, errors


def _convert(name: str, text: str) -> Any:
    if name == "schedule":
        try:
            return list(parse_text_blocks(text))
        except ScheduleError as error:
            raise ValueError(error.message) from error
    if name == "languages":
        needs = _languages(text)
        if needs is None:
            raise ValueError("languages")
        return msgspec.convert(needs, _CREATE_TYPES[name])
    if name in LISTS:
        return msgspec.convert(_split(text), _CREATE_TYPES[name])
    if name == "currency":
        text = text.upper()
    # Lax: "52.5" → float, "2027-01-04" → date, each against its own constraints.
    return msgspec.convert(text, _CREATE_TYPES[name], strict=False)


def new_listing(kind: str, values: dict[str, Any], draft: bool, errors: dict[str, str]) -> OpportunityCreate | None:
    """The create body, or None with `errors` filled (cross-field rules included)."""
    if errors:
        return None
    listing = msgspec.convert({**values, "kind": kind, "draft": draft}, OpportunityCreate)
    problems, _ = check_listing(listing)
    _add(problems, errors)
    return None if errors else listing


def listing_update(row: Opportunity, values: dict[str, Any], errors: dict[str, str]) -> Any:
    """The edit body (every field of the form), or None with `errors` filled.

    The whole listing after the edit is checked first, as the service will, so every wrong
    field is named at once rather than the first one only.
    """
    if errors:
        return None
    merged = {name: getattr(row, name) for name in OpportunityCreate.__struct_fields__ if hasattr(row, name)}
    merged.update(values, kind=row.kind, draft=False)
    merged.pop("blocks", None)
    problems, _ = check_listing(msgspec.convert(merged, OpportunityCreate))
    _add(problems, errors)
    return None if errors else msgspec.convert(values, OpportunityUpdate)


def _add(problems: list[FieldProblem], errors: dict[str, str]) -> None:
    for problem in problems:
        name = field_of(problem.field)
        errors.setdefault(name, MESSAGES.get(name, MESSAGES["title"]))


def week_text(week: list[str]) -> str:
    """A stored week back in the form's notation (``mon 09:00-13:00; wed 14:00-18:00``)."""
    if not week or is_empty(week):
        return ""
    blocks = []
    for day, slots in zip(DAYS, week, strict=True):
        start = None
        for slot in range(SLOTS_PER_DAY + 1):
            on = slot < SLOTS_PER_DAY and slots[slot] == "1"
            if on and start is None:
                start = slot
            elif not on and start is not None:
                blocks.append(f"{day} {_time(start)}-{_time(slot)}")
                start = None
    return "; ".join(blocks)


def _time(slot: int) -> str:
    return f"{slot // 2:02d}:{(slot % 2) * 30:02d}"


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


def form_values(row: Opportunity) -> dict[str, str]:
    """The editor's fields as stored, as the form shows them."""
    shown: dict[str, str] = {}
    for name in BY_KIND[row.kind]:
        value = getattr(row, name)
        if name in BOOLEANS:
            shown[name] = "on" if value else ""
        elif name == "schedule":
            shown[name] = week_text(value)
        elif name == "languages":
            shown[name] = "; ".join(f"{need['code']}:{need['level']}" for need in value or [])
        elif name in LISTS:
            shown[name] = "; ".join(value or [])
        elif isinstance(value, date):
            shown[name] = value.isoformat()
        elif isinstance(value, float):
            shown[name] = _number(value)
        else:
            shown[name] = "" if value is None else str(value)
    return shown
