"""Regions by name: the NUTS codes we store, said as the places people know.

Profiles and listings store a region as a NUTS code (``DE30``), which matching compares by
prefix; a person never reads one. :func:`region_name` gives the name instead: the NUTS name of
the code (as Eurostat publishes it, in the country's own language: "Berlin", "Piemonte",
"Bucureşti-Ilfov"), or of the closest wider area we know (``DE300`` → "Berlin"), or the
country's name in the reader's language (Babel's locale data) for a code we hold no name for.
Never the code itself.

The names live in ``nuts_regions.json`` beside this module (levels 1 and 2 of the countries we
serve today and the level-3 areas the demo and benchmarks use); adding a country is adding its
rows there.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

NAMES_FILE = Path(__file__).with_name("nuts_regions.json")
NUTS_COUNTRY = {"EL": "GR", "UK": "GB"}
"""NUTS country prefixes that differ from ISO 3166 (Greece, the United Kingdom)."""
UNKNOWN_REGION = "—"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    return {str(code): str(name) for code, name in data["regions"].items()}


@lru_cache(maxsize=16)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return dict(Locale.parse("en").territories)


def country_name(code: str, language: str) -> str:
    """A country (ISO 3166 or NUTS prefix) by its name in ``language``."""
    iso = NUTS_COUNTRY.get(code[:2].upper(), code[:2].upper())
    return _territories(language).get(iso) or _territories("en").get(iso) or UNKNOWN_REGION


def region_name(code: str | None, language: str) -> str:
    """The name of a NUTS region (or of the closest wider one we know), else its country's name."""
    if not code:
        return UNKNOWN_REGION
    code = code.strip().upper()
    names = _names()
    for length in range(len(code), 2, -1):
        name = names.get(code[:length])
        if name is not None:
            return name
    return country_name(code, language)


def region_names(codes: list[str] | set[str] | tuple[str, ...], language: str) -> dict[str, str]:
    """Several at once, for a page that shows many (caseloads, listings, reports)."""
    return {code: region_name(code, language) for code in codes}


def region_choices(countries: tuple[str, ...] | None = None, levels: tuple[int, ...] = (2,)) -> list[tuple[str, str]]:
    """(code, name) of the regions we can name, for a picker: NUTS level 2 by default, in
    code order (which groups them by country and wider region)."""
    wanted = {country.upper() for country in countries} if countries else None
    return [
        (code, name)
        for code, name in sorted(_names().items())
        if len(code) - 2 in levels and (wanted is None or code[:2] in wanted)
    ]
