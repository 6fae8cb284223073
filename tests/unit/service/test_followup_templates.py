"""Every message template in every language we ship is discreet: no word that would tell
someone reading over her shoulder what the message is about, in any of our languages."""

from __future__ import annotations

import re

import pytest

from service.messaging.templates import LANGUAGES, TEMPLATE_KEYS, catalogue, render

# Stems match at the start of a word (so "exploit" catches "exploitation"); Arabic terms match
# anywhere (articles and prefixes attach to the word). Checked against every language's text.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "en": (
        "traffick",
        "victim",
        "exploit",
        "shelter",
        "ngo",
        "non-governmental",
        "survivor",
        "abuse",
        "prostitut",
        "sex",
        "refuge",
        "charity",
        "rescue",
        "safe house",
        "counsell",
        "onward",
    ),
    "de": (
        "menschenhandel",
        "opfer",
        "ausbeut",
        "frauenhaus",
        "schutzhaus",
        "schutzwohnung",
        "zuflucht",
        "prostitu",
        "zwangs",
        "hilfsorganisation",
        "beratungsstelle",
        "nichtregierungs",
        "missbrauch",
    ),
    "fr": (
        "traite",
        "victime",
        "exploit",
        "foyer",
        "refuge",
        "ong",
        "abri",
        "prostitu",
        "rescap",
        "maltrait",
        "organisation non gouvernementale",
    ),
    "it": (
        "tratta",
        "vittim",
        "sfruttament",
        "rifugio",
        "casa protetta",
        "ong",
        "prostitu",
        "abus",
        "organizzazione non governativa",
        "sopravvissut",
    ),
    "ro": (
        "trafic",
        "victim",
        "exploat",
        "adăpost",
        "adapost",
        "ong",
        "prostitu",
        "abuz",
        "organizație neguvernamentală",
        "supraviețuitoare",
    ),
    "ar": (
        "اتجار",
        "الاتجار",
        "ضحية",
        "ضحايا",
        "استغلال",
        "ملجأ",
        "مأوى",
        "دار إيواء",
        "منظمة غير حكومية",
        "دعارة",
        "ناجية",
    ),
}


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for language, terms in FORBIDDEN.items():
        for term in terms:
            prefix = "" if language == "ar" else r"(?<!\w)"
            patterns.append((f"{language}:{term}", re.compile(prefix + re.escape(term), re.IGNORECASE)))
    return patterns


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_exists_in_every_language(language: str) -> None:
    assert set(catalogue(language)) == set(TEMPLATE_KEYS)
    for key in TEMPLATE_KEYS:
        entry = catalogue(language)[key]
        assert entry["subject"].strip() and entry["body"].strip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_no_template_names_what_the_message_is_about(language: str, key: str) -> None:
    subject, body = render(key, language)
    text = f"{subject}\n{body}"
    hits = [name for name, pattern in _patterns() if pattern.search(text)]
    assert hits == [], f"{language}/{key} contains {hits}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_templates_carry_no_placeholders(language: str) -> None:
    """Nowhere to put a name, an organisation or a place."""
    for key in TEMPLATE_KEYS:
        subject, body = render(key, language)
        assert not re.search(r"[{}<>%$]", subject + body)


def test_the_check_in_is_in_her_language_and_unknown_languages_fall_back() -> None:
    assert render("checkin", "de").subject == "Eine kurze Nachricht für Sie"
    assert render("checkin", "ar-SY").subject == "رسالة قصيرة لك"
    assert render("checkin", "xx") == render("checkin", "en")
    assert render("checkin", None) == render("checkin", "en")


def test_the_forbidden_list_would_catch_an_indiscreet_message() -> None:
    indiscreet = [
        "Support for trafficking victims",
        "Ihre Beratungsstelle für Opfer von Menschenhandel",
        "Votre foyer pour victimes de la traite",
        "La casa protetta per le vittime di tratta",
        "Adăpostul pentru victimele traficului",
        "ملجأ لضحايا الاتجار",
    ]
    for text in indiscreet:
        assert any(pattern.search(text) for _, pattern in _patterns()), text
