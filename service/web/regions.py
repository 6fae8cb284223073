"""Regions by their names: the NUTS-2 regions of the countries served, for pickers and pages.

The profile stores a region as its NUTS code (reports and matching group by it); a person
only ever reads and picks the region's name. Names are the official NUTS names, proper
nouns in the country's own language; the country heading is translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.web.forms import N_
from service.web.i18n import translate

COUNTRIES = {"DE": N_("Germany"), "FR": N_("France"), "IT": N_("Italy"), "RO": N_("Romania")}
REGIONS: dict[str, str] = {
    "DE11": "Stuttgart", "DE12": "Karlsruhe", "DE13": "Freiburg", "DE14": "Tübingen",
    "DE21": "Oberbayern", "DE22": "Niederbayern", "DE23": "Oberpfalz", "DE24": "Oberfranken",
    "DE25": "Mittelfranken", "DE26": "Unterfranken", "DE27": "Schwaben", "DE30": "Berlin",
    "DE40": "Brandenburg", "DE50": "Bremen", "DE60": "Hamburg", "DE71": "Darmstadt",
    "DE72": "Gießen", "DE73": "Kassel", "DE80": "Mecklenburg-Vorpommern", "DE91": "Braunschweig",
    "DE92": "Hannover", "DE93": "Lüneburg", "DE94": "Weser-Ems", "DEA1": "Düsseldorf",
    "DEA2": "Köln", "DEA3": "Münster", "DEA4": "Detmold", "DEA5": "Arnsberg", "DEB1": "Koblenz",
    "DEB2": "Trier", "DEB3": "Rheinhessen-Pfalz", "DEC0": "Saarland", "DED2": "Dresden",
    "DED4": "Chemnitz", "DED5": "Leipzig", "DEE0": "Sachsen-Anhalt", "DEF0": "Schleswig-Holstein",
    "DEG0": "Thüringen",
    "FR10": "Île-de-France", "FRB0": "Centre-Val de Loire", "FRC1": "Bourgogne", "FRC2": "Franche-Comté",
    "FRD1": "Basse-Normandie", "FRD2": "Haute-Normandie", "FRE1": "Nord-Pas-de-Calais", "FRE2": "Picardie",
    "FRF1": "Alsace", "FRF2": "Champagne-Ardenne", "FRF3": "Lorraine", "FRG0": "Pays de la Loire",
    "FRH0": "Bretagne", "FRI1": "Aquitaine", "FRI2": "Limousin", "FRI3": "Poitou-Charentes",
    "FRJ1": "Languedoc-Roussillon", "FRJ2": "Midi-Pyrénées", "FRK1": "Auvergne", "FRK2": "Rhône-Alpes",
    "FRL0": "Provence-Alpes-Côte d'Azur", "FRM0": "Corse", "FRY1": "Guadeloupe", "FRY2": "Martinique",
    "FRY3": "Guyane", "FRY4": "La Réunion", "FRY5": "Mayotte",
    "ITC1": "Piemonte", "ITC2": "Valle d'Aosta", "ITC3": "Liguria", "ITC4": "Lombardia",
    "ITF1": "Abruzzo", "ITF2": "Molise", "ITF3": "Campania", "ITF4": "Puglia", "ITF5": "Basilicata",
    "ITF6": "Calabria", "ITG1": "Sicilia", "ITG2": "Sardegna", "ITH1": "Bolzano/Bozen", "ITH2": "Trento",
    "ITH3": "Veneto", "ITH4": "Friuli-Venezia Giulia", "ITH5": "Emilia-Romagna", "ITI1": "Toscana",
    "ITI2": "Umbria", "ITI3": "Marche", "ITI4": "Lazio",
    "RO11": "Nord-Vest", "RO12": "Centru", "RO21": "Nord-Est", "RO22": "Sud-Est", "RO31": "Sud-Muntenia",
    "RO32": "București-Ilfov", "RO41": "Sud-Vest Oltenia", "RO42": "Vest",
}  # fmt: skip
UNKNOWN = N_("another region")


@dataclass(frozen=True, slots=True)
class CountryRegions:
    """One country's regions for a picker: its name in the reader's language, then (code, name)."""

    country: str
    regions: tuple[tuple[str, str], ...]


def region_name(code: str | None, language: str) -> str:
    """The region's name with its country ("Berlin, Germany"); never the code itself."""
    if not code:
        return "—"
    country = COUNTRIES.get(code[:2])
    name = REGIONS.get(code)
    if name is None:
        return translate(language, country) if country else translate(language, UNKNOWN)
    return f"{name}, {translate(language, country)}" if country else name


def region_choices(language: str) -> list[CountryRegions]:
    """Every region, grouped by country, countries and regions in alphabetical order."""
    groups = [
        CountryRegions(
            translate(language, country),
            tuple(sorted(((code, name) for code, name in REGIONS.items() if code[:2] == prefix), key=lambda r: r[1])),
        )
        for prefix, country in COUNTRIES.items()
    ]
    return sorted(groups, key=lambda group: group.country.casefold())


def is_region(code: str) -> bool:
    return code in REGIONS
