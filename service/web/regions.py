"""Regions by name for the counsellor's pages: her region said with its country, and the
picker of regions grouped by country.

The names themselves live in one place, `providers.regions` (the NUTS names we hold); this
module only arranges them for a form (by country, in alphabetical order) and says a region with
its country ("Berlin, Germany"), so a person never reads or types a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from providers import regions

COUNTRIES = ("DE", "FR", "IT", "RO")
"""Countries whose regions the pickers offer (the countries the organisations serve)."""


@dataclass(frozen=True, slots=True)
class CountryRegions:
    """One country's regions for a picker: its name in the reader's language, then (code, name)."""

    country: str
    regions: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def _offered() -> frozenset[str]:
    return frozenset(code for code, _ in regions.region_choices(COUNTRIES))


def region_name(code: str | None, language: str) -> str:
    """The region's name with its country ("Berlin, Germany"); never the code itself."""
    if not code:
        return regions.UNKNOWN_REGION
    name, country = regions.region_name(code, language), regions.country_name(code, language)
    return name if name == country else f"{name}, {country}"


def region_choices(language: str) -> list[CountryRegions]:
    """The regions offered, grouped by country, countries and regions in alphabetical order."""
    groups = [
        CountryRegions(
            regions.country_name(country, language),
            tuple(sorted(regions.region_choices((country,)), key=lambda pair: pair[1].casefold())),
        )
        for country in COUNTRIES
    ]
    return sorted(groups, key=lambda group: group.country.casefold())


def is_region(code: str) -> bool:
    """A region a picker offers (so a form cannot store a code nobody could have chosen)."""
    return code in _offered()
