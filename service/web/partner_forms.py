"""The partner's listing form: what she picks and ticks → the listing schemas the JSON API validates.

Nothing on the form is a code: the region is picked by name and the place written as a town
(its coordinates come from ``providers.places``, or the region's centre); languages are a
picker and a level; the week is a grid of days × hours; pay has its real period. Occupation and
skills are read apart (``partner_concepts``), because they need the taxonomy. Every field is
judged on its own, then the cross-field rules (``providers.schemas.check_listing``) run, and
every problem is reported on the field it concerns, in our own translated words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, get_type_hints

import msgspec

from providers import places
from providers.models import Opportunity
from providers.schedule import DAYS, SLOTS_PER_DAY
from providers.schemas import CURRENCIES, FieldProblem, OpportunityCreate, OpportunityUpdate, check_listing
from service.web.forms import N_
from skills.languages import ISO_639_1

KINDS = ("job", "course", "language_class", "childcare")
LANGUAGE_ROWS = 4
HOURS = tuple(range(24))
COMMON = (
    "title",
    "description",
    "region",
    "place_name",
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
ANSWERS = ("accommodation_provided", "rent_deducted", "travel_abroad", "travel_charged", "costs_deducted")
CHOICES = ("documents_held_by", "wages_paid")
BY_KIND: dict[str, tuple[str, ...]] = {
    "job": (
        *COMMON,
        *SKILLED,
        "currency",
        "pay_amount",
        "pay_period",
        "contract_type",
        "contact_channels",
        *ANSWERS,
        *CHOICES,
    ),
    "course": (*COMMON, *SKILLED, "currency", "cost_amount", "course_level", "certificate"),
    "language_class": (*COMMON, "class_language", "level_from", "level_to"),
    "childcare": (*COMMON, "age_min", "age_max"),
}
READ_APART = frozenset({*SKILLED, "schedule", "languages", "place_name"})
REQUIRED = ("title", "region", "capacity", "starts_on")
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "job": ("pay_amount", "pay_period", "currency", "contract_type", "hours_per_week"),
    "course": ("cost_amount",),
    "language_class": ("class_language", "level_from", "level_to"),
    "childcare": ("age_min", "age_max"),
}
LISTS = frozenset({"contact_channels"})
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
PAY_PERIODS = {
    "hour": N_("per hour"),
    "day": N_("per day"),
    "week": N_("per week"),
    "month": N_("per month"),
    "piece": N_("per piece (piece rate)"),
}
COURSE_LEVELS = {"1": N_("Basic"), "2": N_("Intermediate"), "3": N_("Advanced"), "4": N_("Expert")}
YES_NO = {"yes": N_("Yes"), "no": N_("No")}
DOCUMENTS_HELD_BY = {
    "worker": N_("The worker keeps them herself"),
    "employer": N_("The employer keeps them"),
    "agency": N_("An agency or another person keeps them"),
}
WAGES_PAID = {
    "bank_account": N_("Into the worker's own bank account"),
    "cash": N_("In cash"),
    "third_party": N_("To someone else (an agent, a relative)"),
}
#: One message per field, shown on the field whatever went wrong with it.
MESSAGES: dict[str, str] = {
    "title": N_("Please enter a title of 3 to 200 characters."),
    "description": N_("This text is too long."),
    "region": N_("Please choose a region from the list."),
    "place_name": N_("We do not know this town in the chosen region. Pick one from the list, or leave it empty."),
    "capacity": N_("Please enter a number of places from 0 to 10000."),
    "starts_on": N_("Please enter the start date as YYYY-MM-DD."),
    "ends_on": N_("Please enter an end date as YYYY-MM-DD, not before the start date."),
    "schedule": N_("Please tick the hours in the grid again."),
    "hours_per_week": N_("Please enter hours per week, more than 0 and at most 84."),
    "languages": N_("Please choose a level for each language, and each language once."),
    "women_only": N_("Please check this field."),
    "sector": N_("Please use at most 60 characters."),
    "currency": N_("Please choose a currency (needed for pay and for courses that cost something)."),
    "occupation_uri": N_("No good match for these words. Try other words, or pick one of the suggestions."),
    "essential_skills": N_("Please tick at most 50 skills."),
    "optional_skills": N_("Please tick at most 50 skills."),
    "pay_amount": N_("Please enter the pay, more than 0."),
    "pay_period": N_("Please choose what the pay is for: an hour, a day, a week, a month or a piece."),
    "contract_type": N_("Please choose a contract type."),
    "contact_channels": N_("Please list at most 10 ways to apply, separated by semicolons."),
    "accommodation_provided": N_("Please answer yes or no."),
    "rent_deducted": N_("Please answer yes or no."),
    "travel_abroad": N_("Please answer yes or no."),
    "travel_charged": N_("Please answer yes or no."),
    "costs_deducted": N_("Please answer yes or no."),
    "documents_held_by": N_("Please choose who keeps the identity documents."),
    "wages_paid": N_("Please choose how wages are paid."),
    "cost_amount": N_("Please enter the cost (0 if it is free)."),
    "course_level": N_("Please choose a level."),
    "certificate": N_("Please use at most 200 characters."),
    "class_language": N_("Please choose the language taught."),
    "level_from": N_("Please choose the starting level."),
    "level_to": N_("Please choose the final level, not below the starting level."),
    "age_min": N_("Please enter the youngest age, from 0 to 17."),
    "age_max": N_("Please enter the oldest age, from 0 to 17, not below the youngest."),
    "capacity_booked": N_("More places are already booked than this number."),
}
_CREATE_TYPES = get_type_hints(OpportunityCreate, include_extras=True)
_FIELDS = {info.name: info for info in msgspec.structs.fields(OpportunityCreate)}
_FOLLOW_UP = {"rent_deducted": "accommodation_provided", "travel_charged": "travel_abroad"}
"""A question asked only when the one it follows was answered yes."""


def field_of(path: str) -> str:
    """The form field a problem path names (``languages[1].code`` → ``languages``)."""
    name = path.split("[", 1)[0].split(".", 1)[0]
    if name in ("lat", "lon"):
        return "place_name"
    return "schedule" if name == "blocks" else name


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


def _default(name: str) -> Any:
    info = _FIELDS[name]
    if info.default_factory is not msgspec.NODEFAULT:
        return info.default_factory()
    return None if info.default is msgspec.NODEFAULT else info.default


def _text(form: Mapping[str, Any], name: str) -> str:
    raw = form.get(name)
    return raw.strip() if isinstance(raw, str) else ""


def _all(form: Any, name: str) -> list[str]:
    values = form.getall(name, []) if hasattr(form, "getall") else [form.get(name)]
    return [value for value in values if isinstance(value, str)]


def read_week(form: Any) -> tuple[list[str], set[str]]:
    """The ticked grid cells (``mon-09``: Monday 09:00-10:00) as the 7-string week."""
    ticked = {cell for cell in _all(form, "slot") if cell[:3] in DAYS and cell[4:].isdigit()}
    days = []
    for day in DAYS:
        bits = ["0"] * SLOTS_PER_DAY
        for hour in HOURS:
            if f"{day}-{hour:02d}" in ticked:
                bits[2 * hour] = bits[2 * hour + 1] = "1"
        days.append("".join(bits))
    return days, {f"{day}-{hour:02d}" for day in DAYS for hour in HOURS if f"{day}-{hour:02d}" in ticked}


def week_cells(week: list[str] | None) -> set[str]:
    """A stored week as grid cells: an hour is ticked when any of its half-hours is worked."""
    cells: set[str] = set()
    for day, slots in zip(DAYS, week or [], strict=False):
        for hour in HOURS:
            if "1" in slots[2 * hour : 2 * hour + 2]:
                cells.add(f"{day}-{hour:02d}")
    return cells


def read_languages(form: Mapping[str, Any]) -> tuple[list[dict[str, str]], list[tuple[str, str]], bool]:
    """(needs, the rows to show again, whether a row is wrong) from the language rows."""
    needs: list[dict[str, str]] = []
    shown: list[tuple[str, str]] = []
    wrong = False
    for row in range(LANGUAGE_ROWS):
        code, level = _text(form, f"language_{row}"), _text(form, f"language_level_{row}")
        if not code and not level:
            continue
        shown.append((code, level))
        if code not in ISO_639_1 or level not in CEFR_LEVELS or any(need["code"] == code for need in needs):
            wrong = True
            continue
        needs.append({"code": code, "level": level})
    return needs, shown, wrong


def read_listing(form: Any, kind: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(typed values, what to show again, errors by field) for one kind's form, except the
    occupation and skills (see ``partner_concepts.read_concepts``).

    Every field of the kind is present in the values: an empty one means "none" (its default),
    so clearing a field in the editor clears it in the listing.
    """
    values: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in BY_KIND[kind]:
        if name in READ_APART:
            continue
        text = _text(form, name)
        shown[name] = text
        if name == "women_only":
            values[name] = text == "on"
            continue
        if name in ANSWERS or name in CHOICES:
            _read_answer(form, name, text, values, errors)
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
    if "region" in values and places.region(values["region"]) is None:
        errors["region"] = MESSAGES["region"]
        values.pop("region")
    _read_place(form, values, shown, errors)
    values["schedule"], shown["schedule"] = read_week(form)
    needs, shown["languages"], wrong = read_languages(form)
    if wrong:
        errors["languages"] = MESSAGES["languages"]
    values["languages"] = needs
    return values, shown, errors


def _read_answer(form: Any, name: str, text: str, values: dict[str, Any], errors: dict[str, str]) -> None:
    if name in _FOLLOW_UP and _text(form, _FOLLOW_UP[name]) != "yes":
        values[name] = None if name != "accommodation_provided" else False
        return
    if name in ANSWERS:
        if text not in YES_NO:
            errors[name] = MESSAGES[name]
        else:
            values[name] = text == "yes"
        return
    options = DOCUMENTS_HELD_BY if name == "documents_held_by" else WAGES_PAID
    if text not in options:
        errors[name] = MESSAGES[name]
    else:
        values[name] = text


def _read_place(form: Any, values: dict[str, Any], shown: dict[str, Any], errors: dict[str, str]) -> None:
    text = _text(form, "place_name")
    shown["place_name"] = text
    values["lat"] = values["lon"] = None
    if not text:
        values["place_name"] = None
    elif len(text) > 80:
        errors["place_name"] = MESSAGES["place_name"]
    elif "region" in values:
        town = places.find_town(values["region"], text)
        if town is None:
            errors["place_name"] = MESSAGES["place_name"]
        else:
            values["place_name"] = shown["place_name"] = town.name


def _convert(name: str, text: str) -> Any:
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
    """A stored week as time ranges (``mon 09:00-13:00; wed 14:00-18:00``), for candidates' weeks."""
    return "; ".join(f"{day} {start}-{end}" for day, start, end in week_blocks(week))


def week_blocks(week: list[str]) -> list[tuple[str, str, str]]:
    """A stored week as (day, start, end) stretches, for showing it in words."""
    blocks = []
    for day, slots in zip(DAYS, week or [], strict=False):
        start = None
        for slot in range(SLOTS_PER_DAY + 1):
            on = slot < SLOTS_PER_DAY and slots[slot] == "1"
            if on and start is None:
                start = slot
            elif not on and start is not None:
                blocks.append((day, _time(start), _time(slot)))
                start = None
    return blocks


def _time(slot: int) -> str:
    return f"{slot // 2:02d}:{(slot % 2) * 30:02d}"


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


def form_values(row: Opportunity) -> dict[str, Any]:
    """The editor's fields as stored, as the form shows them."""
    shown: dict[str, Any] = {}
    for name in BY_KIND[row.kind]:
        value = getattr(row, name)
        if name in ANSWERS:
            shown[name] = "" if value is None else ("yes" if value else "no")
        elif name == "women_only":
            shown[name] = "on" if value else ""
        elif name == "schedule":
            shown[name] = week_cells(value)
        elif name == "languages":
            shown[name] = [(need["code"], need["level"]) for need in value or []]
        elif name in LISTS:
            shown[name] = "; ".join(value or [])
        elif isinstance(value, date):
            shown[name] = value.isoformat()
        elif isinstance(value, float):
            shown[name] = _number(value)
        elif isinstance(value, list):
            shown[name] = list(value)
        else:
            shown[name] = "" if value is None else str(value)
    return shown
