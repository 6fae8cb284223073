"""Regions and towns by name: where a listing is, without anyone typing a code or a coordinate.

A partner picks a region by its name and writes (or picks) a town; the listing stores the
region's NUTS code and the town's coarse coordinates, or the region's centre when she names no
town. The lists are bundled files (see ``SOURCES.md``): no network, no database. Matching of a
written town is accent- and case-insensitive, and a near miss ("Munchen") is accepted only
above a fixed rapidfuzz score, so "no such town here" stays a possible answer.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process, utils

HERE = Path(__file__).parent
TOWN_CUTOFF = 88.0
"""WRatio (0-100) at or above which a written town counts as the one named."""


@dataclass(frozen=True)
class Region:
    """A NUTS 2 region: its code (stored), its name (shown) and its centre."""

    code: str
    country: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Town:
    """A town of 15,000 people or more, in one region."""

    region: str
    name: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower case without accents, for comparing what was written with what is listed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def _regions() -> dict[str, Region]:
    with (HERE / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Region(row["code"], row["country"], row["name"], float(row["lat"]), float(row["lon"]))
            for row in csv.DictReader(handle)
        }


@cache
def _towns() -> dict[str, tuple[Town, ...]]:
    by_region: dict[str, list[Town]] = {}
    with (HERE / "towns.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases = tuple(name for name in row["aliases"].split("|") if name)
            town = Town(row["region"], row["name"], float(row["lat"]), float(row["lon"]), aliases)
            by_region.setdefault(row["region"], []).append(town)
    return {code: tuple(sorted(towns, key=lambda t: fold(t.name))) for code, towns in by_region.items()}


@cache
def _names(region: str) -> tuple[list[str], list[Town]]:
    """Every name (own and aliases) of the region's towns, folded, with the town each names."""
    names: list[str] = []
    owners: list[Town] = []
    for town in _towns().get(region, ()):
        for name in (town.name, *town.aliases):
            names.append(fold(name))
            owners.append(town)
    return names, owners


def regions() -> list[Region]:
    """Every region we know, by country then name."""
    return sorted(_regions().values(), key=lambda r: (r.country, fold(r.name)))


def region(code: str) -> Region | None:
    """The region with this NUTS code, or None."""
    return _regions().get(code)


def region_named(text: str) -> Region | None:
    """The region whose name is ``text`` (accents and case ignored), or None."""
    wanted = fold(text)
    return next((r for r in _regions().values() if fold(r.name) == wanted), None)


def towns(code: str) -> tuple[Town, ...]:
    """The region's towns, by name."""
    return _towns().get(code, ())


def find_town(code: str, text: str) -> Town | None:
    """The region's town that ``text`` names: exactly (folded), else the closest above the cutoff."""
    wanted = fold(text)
    if not wanted:
        return None
    names, owners = _names(code)
    if wanted in names:
        return owners[names.index(wanted)]
    found = process.extractOne(
        wanted, names, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=TOWN_CUTOFF
    )
    return owners[found[2]] if found else None


def town_named(text: str, country: str | None = None) -> Town | None:
    """The town whose own or local name is exactly ``text`` (folded), in any region of ``country``."""
    wanted = fold(text)
    if not wanted:
        return None
    for known in regions():
        if country is not None and known.country != country:
            continue
        names, owners = _names(known.code)
        if wanted in names:
            return owners[names.index(wanted)]
    return None


def suggest_towns(code: str, text: str, limit: int = 6) -> list[Town]:
    """Towns of the region whose names start like ``text``, then the closest others."""
    wanted = fold(text)
    if not wanted:
        return []
    names, owners = _names(code)
    found = [town for town in towns(code) if fold(town.name).startswith(wanted)]
    for name, town in zip(names, owners, strict=True):
        if name.startswith(wanted) and town not in found:
            found.append(town)
    for _, _, at in process.extract(
        wanted, names, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=70.0, limit=limit * 3
    ):
        if owners[at] not in found:
            found.append(owners[at])
    return found[:limit]


def place_of(code: str, town_name: str | None) -> tuple[float, float] | None:
    """Coordinates for a listing: the named town's, or the region's centre; None for an unknown region
    or a town that is not in it."""
    known = region(code)
    if known is None:
        return None
    if not town_name:
        return known.lat, known.lon
    town = find_town(code, town_name)
    return (town.lat, town.lon) if town else None


__all__ = [
    "Region",
    "Town",
    "find_town",
    "fold",
    "place_of",
    "region",
    "region_named",
    "regions",
    "suggest_towns",
    "town_named",
    "towns",
]
