"""The profile editor's parts: what each form shows and how its answers become a change.

One `Section` per part of the profile (languages; children and right to work; her week;
journey and safety; education and work; goals). `read` turns the submitted form into the
`SurvivorUpdate` fields it changes, with errors by input name; the page saves them in one
`SurvivorService.update_for` call, so a form with any wrong field writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import PermitKind
from service.domain.taxonomy import services as skill_services
from service.domain.taxonomy.labels import concept_labels, her_languages
from service.web import profile_forms as read
from service.web.forms import N_
from service.web.i18n import translate
from service.web.names import PERMIT_NAMES
from service.web.profile_words import (
    ALLOWS_NAMES,
    COUNTRY_CODES,
    EDUCATION_LEVELS,
    LEVEL_WORDS,
    PART_SLOTS,
    PARTS_OF_DAY,
    SECTOR_NAMES,
    TRAVEL_NAMES,
    country_choices,
    day_names,
    language_name,
    translated_table,
)
from service.web.regions import region_choices, region_name

Reader = Callable[[AsyncSession, Any, Survivor, str, read.Errors], Awaitable[dict[str, Any]]]
PERMITS: tuple[str, ...] = tuple(PermitKind.__args__)  # type: ignore[attr-defined]
NO_MATCH = N_("No occupation matches these words. Try other words, or pick one of the suggestions.")
ACCEPT_MIN_CONFIDENCE = 0.2
"""As the skills page: below this a text is "no good match", not a guess."""


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the editor: its address, heading (translatable) and form reader."""

    key: str
    title: str
    read: Reader


async def _languages(db: AsyncSession, form: Any, row: Survivor, language: str, errors: read.Errors) -> dict[str, Any]:
    return {"languages": read.languages(form, list(row.languages or []), language, errors)}


async def _family(db: AsyncSession, form: Any, row: Survivor, language: str, errors: read.Errors) -> dict[str, Any]:
    right = read.right_to_work(form, PERMITS, tuple(ALLOWS_NAMES), errors)
    return {"children": read.children(form, errors), "right_to_work": right}


async def _week(db: AsyncSession, form: Any, row: Survivor, language: str, errors: read.Errors) -> dict[str, Any]:
    days = read.week(form, row.availability)
    return {"availability": days if any("1" in day for day in days) else None}


async def _travel(db: AsyncSession, form: Any, row: Survivor, language: str, errors: read.Errors) -> dict[str, Any]:
    minutes = read.whole(form, "max_commute_minutes", 0, 240, read.MINUTES, errors)
    if minutes is None and "max_commute_minutes" not in errors:
        errors["max_commute_minutes"] = read.MINUTES
    mode = read.text(form, "travel_mode")
    if mode not in TRAVEL_NAMES:
        errors["travel_mode"] = read.CHOOSE
    avoid = [value for value in form.getall("exclusion_regions", []) if isinstance(value, str) and value]
    if any(not read.is_region(code) for code in avoid) or len(avoid) > 50:
        errors["exclusion_regions"] = read.REGION
    return {
        "safety": {
            "exclusion_regions": list(dict.fromkeys(avoid)),
            "women_only_workplace": read.ticked(form, "women_only_workplace"),
            "no_night_work": read.ticked(form, "no_night_work"),
            "max_commute_minutes": minutes if minutes is not None else 45,
            "travel_mode": mode if mode in TRAVEL_NAMES else "transit",
        }
    }


async def _history(db: AsyncSession, form: Any, row: Survivor, language: str, errors: read.Errors) -> dict[str, Any]:
    education = []
    for entry in read.history_rows(form, "education", errors):
        level = read.whole(form, f"education_{entry['number']}_level", 0, 8, read.CHOOSE, errors)
        education.append(
            {
                "isced_level": level if level is not None else 0,
                "field": entry["what"],
                "country": entry["country"],
                "year_to": entry["year_to"],
                "completed": read.ticked(form, f"education_{entry['number']}_completed"),
            }
        )
    work = []
    for entry in read.history_rows(form, "work", errors):
        start, end = entry["year_from"], entry["year_to"]
        years = max(0, min(60, (end or start or 0) - (start or end or 0))) if (start or end) else 0
        work.append(
            {
                "title": entry["what"],
                "country": entry["country"],
                "year_from": start,
                "year_to": end,
                "years": float(years),
                "formal": read.ticked(form, f"work_{entry['number']}_formal"),
            }
        )
    return {"education": education, "work_history": work}


async def _goals(db: AsyncSession, form: Any, row: Survivor, language: str, errors: read.Errors) -> dict[str, Any]:
    stored = list((row.goals or {}).get("target_occupations") or [])
    kept = [uri for number, uri in enumerate(stored) if not read.ticked(form, f"occupation_{number}_remove")]
    new = await _occupation(db, form, language, errors)
    if new is not None and new not in kept:
        kept.append(new)
    sectors = [value for value in form.getall("sectors", []) if value in SECTOR_NAMES]
    income = read.whole(form, "monthly_income_target", 0, 100_000, read.INCOME, errors)
    goals = {**(row.goals or {}), "target_occupations": kept[:20], "sectors": sectors, "monthly_income_target": income}
    return {"goals": goals}


async def _occupation(db: AsyncSession, form: Any, language: str, errors: read.Errors) -> str | None:
    """The occupation picked among the suggestions, else the best match for the words typed."""
    index = await skill_services.current_index(db)
    picked = read.text(form, "new_occupation_uri")
    if picked:
        concept = index.concept(picked)
        if concept is not None and concept.kind == "occupation":
            return str(concept.uri)
    words = read.text(form, "new_occupation")
    if not words:
        return None
    if len(words) > 200:
        errors["new_occupation"] = read.TOO_LONG
        return None
    found = await skill_services.suggest(index, [words], language, "occupation", 1, ACCEPT_MIN_CONFIDENCE)
    if not found or not found[0]:
        errors["new_occupation"] = NO_MATCH
        return None
    return str(found[0][0].concept.uri)


SECTIONS = {
    section.key: section
    for section in (
        Section("languages", N_("Languages"), _languages),
        Section("family", N_("Children and right to work"), _family),
        Section("week", N_("Her week"), _week),
        Section("travel", N_("Journey and safety"), _travel),
        Section("history", N_("Education and work"), _history),
        Section("goals", N_("Goals"), _goals),
    )
}


def week_grid(days: list[str] | None) -> list[dict[str, bool]]:
    """Per day, which parts of the day hold any available half-hour."""
    stored = days if days and len(days) == 7 else ["0" * 48] * 7
    return [{part: "1" in day[start:end] for part, (start, end) in PART_SLOTS.items()} for day in stored]


async def choices(db: AsyncSession, row: Survivor, language: str) -> dict[str, Any]:
    """Everything the editor's pickers list, in the reader's language."""
    wanted = list((row.goals or {}).get("target_occupations") or [])
    names = await concept_labels(db, wanted, reader=language, also=her_languages(row.languages))
    occupations = [names[uri].text for uri in wanted]
    return {
        "regions": region_choices(language),
        "permits": translated_table(PERMIT_NAMES, language),
        "allows": translated_table(ALLOWS_NAMES, language),
        "parts_of_day": translated_table(PARTS_OF_DAY, language),
        "day_names": day_names(language),
        "short_day_names": day_names(language, "abbreviated"),
        "travel_modes": translated_table(TRAVEL_NAMES, language),
        "sectors": translated_table(SECTOR_NAMES, language),
        "education_levels": translated_table(EDUCATION_LEVELS, language),
        "countries": country_choices(language),
        "occupation_names": occupations,
        "spoken": [
            (language_name(str(entry.get("code")), language), entry.get("level")) for entry in row.languages or []
        ],
        "grid": week_grid(row.availability),
        "avoided": [region_name(code, language) for code in (row.safety or {}).get("exclusion_regions") or []],
        "known_countries": COUNTRY_CODES,
        "section_titles": {key: translate(language, section.title) for key, section in SECTIONS.items()},
    }


async def profile_view(db: AsyncSession, row: Survivor, language: str) -> dict[str, Any]:
    """The profile page's words for what is stored: names for every code, her week in words."""
    shown = await choices(db, row, language)
    days = shown["day_names"]
    parts = dict(shown["parts_of_day"])
    summary = [
        (days[number], [parts[part] for part, free in day.items() if free])
        for number, day in enumerate(shown["grid"])
        if any(day.values())
    ]
    return {
        **shown,
        "home_region": region_name(row.region, language),
        "level_names": {code: translate(language, name) for code, name in LEVEL_WORDS.items()},
        "permit_names": dict(shown["permits"]),
        "allows_names": dict(shown["allows"]),
        "travel_names": dict(shown["travel_modes"]),
        "sector_names": dict(shown["sectors"]),
        "education_names": dict(shown["education_levels"]),
        "week_summary": summary,
    }
