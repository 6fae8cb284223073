"""What the listing form shows besides the stored values: names to pick from, in her language.

Regions by country and name, the chosen region's towns, languages by name, the week's grid,
the answers a job asks for. Codes travel only as option values; the page shows names.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import get_day_names
from sqlalchemy.ext.asyncio import AsyncSession

from providers import places
from providers.schedule import DAYS
from service.web import partner_concepts
from service.web.partner_forms import (
    BY_KIND,
    CEFR_LEVELS,
    CONTRACT_TYPES,
    COURSE_LEVELS,
    CURRENCY_CODES,
    DOCUMENTS_HELD_BY,
    HOURS,
    LANGUAGE_ROWS,
    PAY_PERIODS,
    WAGES_PAID,
    YES_NO,
)
from skills.languages import ISO_639_1


@lru_cache(maxsize=8)
def region_groups(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(country name, [(code, region name)]) in the page language's order of country names."""
    territories = Locale.parse(language).territories
    groups: dict[str, list[tuple[str, str]]] = {}
    for region in places.regions():
        groups.setdefault(territories.get(region.country, region.country), []).append((region.code, region.name))
    return sorted(groups.items(), key=lambda item: item[0].casefold())


def region_name(code: str | None) -> str:
    """A region's name, or an empty string for one we do not know."""
    found = places.region(code) if code else None
    return found.name if found else ""


@lru_cache(maxsize=8)
def language_choices(language: str) -> list[tuple[str, str]]:
    """Every language by its name in the page language, alphabetically."""
    names = Locale.parse(language).languages
    return sorted(((code, names.get(code, code)) for code in ISO_639_1), key=lambda pair: pair[1].casefold())


@lru_cache(maxsize=8)
def day_names(language: str) -> list[tuple[str, str]]:
    names = get_day_names("wide", locale=Locale.parse(language))
    return [(day, names[number]) for number, day in enumerate(DAYS)]


async def form_context(
    db: AsyncSession, language: str, kind: str, shown: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """Everything the form template needs for one kind."""
    languages = list(shown.get("languages") or [])
    rows = languages + [("", "")] * max(0, LANGUAGE_ROWS - len(languages))
    region = shown.get("region") or ""
    return {
        "kind": kind,
        "fields": BY_KIND[kind],
        "values": shown,
        "errors": errors,
        "region_groups": region_groups(language),
        "towns": [town.name for town in places.towns(region)] if places.region(region) else [],
        "language_choices": language_choices(language),
        "language_rows": rows[:LANGUAGE_ROWS],
        "cells": shown.get("schedule") or set(),
        "days": day_names(language),
        "hours": HOURS,
        "currencies": {code: code for code in CURRENCY_CODES},
        "cefr_levels": {level: level for level in CEFR_LEVELS},
        "contract_types": CONTRACT_TYPES,
        "pay_periods": PAY_PERIODS,
        "course_levels": COURSE_LEVELS,
        "yes_no": YES_NO,
        "documents_held_by": DOCUMENTS_HELD_BY,
        "wages_paid": WAGES_PAID,
        **(await partner_concepts.concept_context(db, language, shown) if "occupation_uri" in BY_KIND[kind] else {}),
    }
