"""Discreet message templates, one JSON file per language under ./templates/.

Templates take no parameters on purpose: a message cannot carry a name, an organisation or a
place if it has nowhere to put one. The text says only that something is waiting; the
details are behind the sign-in. tests/unit/test_followup_templates.py checks every template
in every language against words that must never reach a survivor's inbox.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("en", "de", "fr", "it", "ro", "ar")
TEMPLATE_KEYS = ("checkin", "reminder", "alert", "late", "missed", "candidate", "permit")
FALLBACK = "en"


class Rendered(NamedTuple):
    subject: str
    body: str


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, dict[str, str]]:
    """Every template of one language (read once per process)."""
    path = TEMPLATE_DIR / f"{language}.json"
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def render(template: str, locale: str | None) -> Rendered:
    """The template in her language, or in English when we do not ship hers."""
    language = (locale or FALLBACK)[:2].lower()
    if language not in LANGUAGES:
        language = FALLBACK
    entry = catalogue(language).get(template) or catalogue(FALLBACK)[template]
    return Rendered(entry["subject"], entry["body"])
