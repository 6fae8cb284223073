"""Reading the profile editor's forms: each part of the profile from plain inputs to the
values `SurvivorUpdate` validates, with one error per field (named by the input's name).

Each reader takes the submitted form (and what is stored, where a part keeps detail the form
does not show) and returns ``(changes, errors)``; nothing is saved unless ``errors`` is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from service.web.forms import N_
from service.web.profile_words import CEFR, COUNTRY_CODES, PART_SLOTS, language_from_name
from service.web.regions import is_region
from skills.languages import ISO_639_1

Form = Mapping[str, Any]
Errors = dict[str, str]
CHOOSE = N_("Please choose one of the options.")
NAME = N_("Please enter how she wants to be called (at most 200 characters).")
YEAR = N_("Please enter a year between 1930 and 2012.")
REGION = N_("Please choose a region from the list.")
LANGUAGE = N_("Please choose a language from the list, or type its name.")
LEVEL = N_("Please choose a level.")
TOO_LONG = N_("This text is too long.")
AGE = N_("Please enter an age between 0 and 17.")
DATE = N_("Please enter a date as year-month-day, for example 2027-06-30.")
MINUTES = N_("Please enter minutes between 0 and 240.")
WHEN = N_("Please enter a year between 1950 and 2100.")
INCOME = N_("Please enter a whole amount between 0 and 100000.")
NEEDED = N_("Please fill in this field.")
MAX_ROWS = 15


def text(form: Form, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def ticked(form: Form, name: str) -> bool:
    return text(form, name) not in ("", "false", "0")


def whole(form: Form, name: str, low: int, high: int, message: str, errors: Errors) -> int | None:
    """An optional whole number within bounds; anything else is an error on that field."""
    raw = text(form, name)
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        errors[name] = message
        return None
    return value


def display_name(form: Form, errors: Errors) -> str:
    name = text(form, "display_name")
    if not name or len(name) > 200:
        errors["display_name"] = NAME
    return name


def region(form: Form, name: str, errors: Errors, *, required: bool = True) -> str | None:
    code = text(form, name)
    if not code:
        if required:
            errors[name] = REGION
        return None
    if not is_region(code):
        errors[name] = REGION
        return None
    return code


def language_row(form: Form, prefix: str, page_language: str, errors: Errors) -> dict[str, str] | None:
    """One language row: ``<prefix>`` (picked from the common list) or ``<prefix>_other``
    (typed by name, found in the full list), with ``<prefix>_level``."""
    picked, typed = text(form, prefix), text(form, f"{prefix}_other")
    code = picked or (language_from_name(typed, page_language) if typed else None)
    if not picked and not typed:
        return None
    if code is None or code not in ISO_639_1:
        errors[f"{prefix}_other" if typed and not picked else prefix] = LANGUAGE
        return None
    level = text(form, f"{prefix}_level")
    if level not in CEFR:
        errors[f"{prefix}_level"] = LEVEL
        return None
    return {"code": code, "level": level}


def languages(form: Form, stored: list[dict[str, Any]], page_language: str, errors: Errors) -> list[dict[str, str]]:
    """Her stored languages (with a changed level, or removed) and one new row."""
    kept: list[dict[str, str]] = []
    for number, entry in enumerate(stored):
        if ticked(form, f"language_{number}_remove") or not entry.get("code"):
            continue
        level = text(form, f"language_{number}_level") or str(entry.get("level"))
        if level not in CEFR:
            errors[f"language_{number}_level"] = LEVEL
            continue
        kept.append({"code": str(entry["code"]), "level": level})
    new = language_row(form, "new_language", page_language, errors)
    if new is not None:
        kept = [entry for entry in kept if entry["code"] != new["code"]] + [new]
    return kept


def children(form: Form, errors: Errors) -> list[dict[str, Any]]:
    """Rows ``child_<n>_age`` (empty rows skipped) with ``child_<n>_care`` ticked if she needs
    childcare for that child."""
    rows: list[dict[str, Any]] = []
    for number in range(MAX_ROWS):
        age = whole(form, f"child_{number}_age", 0, 17, AGE, errors)
        if age is not None:
            rows.append({"age_years": age, "needs_care": ticked(form, f"child_{number}_care")})
    return rows


def right_to_work(form: Form, permit_kinds: tuple[str, ...], allows: tuple[str, ...], errors: Errors) -> dict[str, Any]:
    kind = text(form, "permit_kind") or "unknown"
    if kind not in permit_kinds:
        errors["permit_kind"] = CHOOSE
    until_text, until = text(form, "valid_until"), None
    if until_text:
        try:
            until = date.fromisoformat(until_text).isoformat()
        except ValueError:
            errors["valid_until"] = DATE
    scope = text(form, "permit_allows") or None
    if scope is not None and scope not in allows:
        errors["permit_allows"] = CHOOSE
    return {"permit_kind": kind, "valid_until": until, "allows": scope}


def week(form: Form, stored: list[str] | None) -> list[str]:
    """The days × parts-of-day grid (``week_<day>_<part>``) as 7 × 48 half-hours. A part she
    keeps ticked keeps its stored half-hours (a finer week from the API is not coarsened);
    hours outside the grid's parts (night) are kept as stored."""
    days = list(stored) if stored and len(stored) == 7 else ["0" * 48] * 7
    result = []
    for day, slots in enumerate(days):
        cells = list(slots)
        for part, (start, end) in PART_SLOTS.items():
            before = cells[start:end]
            if ticked(form, f"week_{day}_{part}"):
                cells[start:end] = before if "1" in before else ["1"] * (end - start)
            else:
                cells[start:end] = ["0"] * (end - start)
        result.append("".join(cells))
    return result


def history_rows(form: Form, prefix: str, errors: Errors) -> list[dict[str, Any]]:
    """Rows ``<prefix>_<n>_what`` / ``_country`` / ``_from`` / ``_to``; a row without "what" is
    skipped, a row with only dates is an error on "what"."""
    rows: list[dict[str, Any]] = []
    for number in range(MAX_ROWS):
        base = f"{prefix}_{number}"
        what = text(form, f"{base}_what")
        country = text(form, f"{base}_country") or None
        start = whole(form, f"{base}_from", 1950, 2100, WHEN, errors)
        end = whole(form, f"{base}_to", 1950, 2100, WHEN, errors)
        if country is not None and country not in COUNTRY_CODES:
            errors[f"{base}_country"] = CHOOSE
        if len(what) > 120:
            errors[f"{base}_what"] = TOO_LONG
        if not what:
            if start is not None or end is not None or country is not None:
                errors[f"{base}_what"] = NEEDED
            continue
        rows.append({"what": what, "country": country, "year_from": start, "year_to": end, "number": number})
    return rows
