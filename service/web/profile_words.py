"""Words and pickers for the profile editor: languages, levels, permits, parts of the day,
sectors, countries. Stored values stay codes; every one is shown by its name in the reader's
language (language and country names from Babel's locale data, the rest from our catalogue).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names

from service.web.forms import N_
from service.web.i18n import translate
from skills.languages import ISO_639_1

CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
CEFR_NAMES = {
    "A1": N_("A1 · a few words"),
    "A2": N_("A2 · simple everyday talk"),
    "B1": N_("B1 · gets by at work"),
    "B2": N_("B2 · talks freely"),
    "C1": N_("C1 · fluent"),
    "C2": N_("C2 · like a native speaker"),
    "native": N_("Her own language (native)"),
}
LEVEL_WORDS = {
    "A1": N_("A1 · beginner"),
    "A2": N_("A2 · elementary"),
    "B1": N_("B1 · intermediate"),
    "B2": N_("B2 · upper intermediate"),
    "C1": N_("C1 · advanced"),
    "C2": N_("C2 · proficient"),
    "native": N_("native language"),
}
"""Levels as a CV and the profile page state them (the picker's words speak about her)."""
WIDELY_SPOKEN = ("en", "fr", "ar", "ro", "uk", "ru", "es", "pt", "bg", "de", "it", "yo", "ig", "ti", "so", "fa")
"""Languages often spoken by the women the NGOs serve, used when her organisation has recorded
few languages yet (otherwise the organisation's own most recorded languages come first)."""
ALLOWS_NAMES = {
    "any_work": N_("Any work"),
    "limited_hours": N_("Work with limited hours"),
    "named_employer": N_("Work for one named employer"),
    "training_only": N_("Training and courses only"),
}
PARTS_OF_DAY = {"morning": N_("Morning (6–12)"), "afternoon": N_("Afternoon (12–18)"), "evening": N_("Evening (18–22)")}
PART_SLOTS = {"morning": (12, 24), "afternoon": (24, 36), "evening": (36, 44)}
"""Half-hour slots from midnight: 6:00–12:00, 12:00–18:00, 18:00–22:00."""
TRAVEL_NAMES = {"walk": N_("On foot"), "bike": N_("By bike"), "transit": N_("By public transport"), "car": N_("By car")}
SECTOR_NAMES = {
    "beauty": N_("Beauty and hairdressing"),
    "care": N_("Care for older or ill people"),
    "childcare": N_("Childcare"),
    "cleaning": N_("Cleaning"),
    "digital": N_("Computers and digital work"),
    "food": N_("Cooking and food"),
    "hospitality": N_("Hotels and hospitality"),
    "languages": N_("Languages and interpreting"),
    "logistics": N_("Warehouses and delivery"),
    "office": N_("Office work"),
    "retail": N_("Shops and sales"),
    "textile": N_("Sewing and textiles"),
}
EDUCATION_LEVELS = {
    0: N_("No school or early childhood only"),
    1: N_("Primary school"),
    2: N_("Lower secondary school"),
    3: N_("Upper secondary school"),
    4: N_("Post-secondary course"),
    5: N_("Short tertiary course"),
    6: N_("Bachelor or equivalent"),
    7: N_("Master or equivalent"),
    8: N_("Doctorate"),
}
CLOSE_REASON_NAMES = {
    "placed_stable": N_("Placed and stable"),
    "moved_away": N_("Moved away"),
    "stopped_contact": N_("Stopped contact"),
    "transferred": N_("Transferred to another organisation"),
    "other": N_("Another reason"),
}
COUNTRY_CODES = (
    "AF", "AL", "BG", "CM", "CN", "DE", "ER", "ES", "ET", "FR", "GH", "GN", "IQ", "IR", "IT", "MA",
    "MD", "NG", "PH", "PL", "PT", "RO", "RU", "SL", "SN", "SO", "SY", "TH", "TR", "UA", "VN",
)  # fmt: skip
"""Where she studied or worked, in coarse terms: a country (never a town or an employer)."""


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def language_name(code: str, language: str) -> str:
    """A language's name in the reader's language (Babel); English when Babel has none."""
    name = _locale(language).languages.get(code) or Locale.parse("en").languages.get(code)
    return name or translate(language, N_("another language"))


def country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    return _locale(language).territories.get(code, "") or translate(language, N_("another country"))


def all_languages(language: str) -> list[tuple[str, str]]:
    """Every ISO 639-1 language as (code, name), by name, for the search list."""
    return sorted(((code, language_name(code, language)) for code in ISO_639_1), key=lambda pair: pair[1].casefold())


def common_languages(recorded: Iterable[str], language: str, limit: int = 12) -> list[tuple[str, str]]:
    """The organisation's most recorded languages first, topped up with widely spoken ones."""
    codes = list(dict.fromkeys([*recorded, *WIDELY_SPOKEN]))[:limit]
    return sorted(((code, language_name(code, language)) for code in codes if code in ISO_639_1), key=lambda p: p[1])


@lru_cache(maxsize=8)
def _names_index(language: str) -> dict[str, str]:
    """Folded name → code, for names in the reader's language, in English and in its own."""
    index: dict[str, str] = {}
    for code in sorted(ISO_639_1):
        names = [language_name(code, language), language_name(code, "en")]
        # its own name for itself, where Babel knows the language as a locale
        with contextlib.suppress(ValueError, UnknownLocaleError):
            names.append(Locale.parse(code).languages.get(code) or "")
        for name in names:
            if name:
                index.setdefault(name.casefold(), code)
    return index


def language_from_name(text: str, language: str) -> str | None:
    """The code of a language typed by its name (in the reader's language, English or its own)."""
    return _names_index(language).get(text.strip().casefold())


def country_choices(language: str) -> list[tuple[str, str]]:
    return sorted(((code, country_name(code, language)) for code in COUNTRY_CODES), key=lambda pair: pair[1])


def day_names(language: str, width: Literal["abbreviated", "wide"] = "wide") -> list[str]:
    names = get_day_names(width, locale=_locale(language))
    return [names[day] for day in range(7)]


def translated_table(table: dict[str, str] | dict[int, str], language: str) -> list[tuple[str, str]]:
    return [(str(code), translate(language, text)) for code, text in table.items()]
