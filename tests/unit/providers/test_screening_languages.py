"""Every text rule in every language: one sentence that fires it and one, negated or a near
miss, that must not (tests/data/screening_rule_cases.json); plus how each language writes
working time and pay. Fast: pure screening, no database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from providers.reading import read_pay, read_working_time
from providers.rules import RULES_DIR, default_rulebook, fold
from providers.screening import ListingText, screen

CASES = json.loads((Path(__file__).parents[2] / "data" / "screening_rule_cases.json").read_text(encoding="utf-8"))[
    "cases"
]
BOOK = default_rulebook()
TEXT_RULES = sorted(rule for rule in BOOK.text_rules)
PAIRS = [(lang, rule) for lang in sorted(CASES) for rule in sorted(CASES[lang])]


def _fired(sentence: str) -> frozenset[str]:
    return screen(ListingText(title="Job", description=sentence)).rule_ids


def test_every_language_file_has_a_case_for_each_of_its_text_rules() -> None:
    for path in sorted(RULES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "language" not in data:
            continue
        missing = set(data["rules"]) - set(CASES.get(data["language"], {}))
        assert not missing, f"{path.name}: add cases for {sorted(missing)}"


@pytest.mark.parametrize(("lang", "rule"), PAIRS)
def test_rule_fires_in_its_language(lang: str, rule: str) -> None:
    assert rule in _fired(CASES[lang][rule]["fires"]), CASES[lang][rule]["fires"]


@pytest.mark.parametrize(("lang", "rule"), PAIRS)
def test_negated_or_near_miss_does_not_fire(lang: str, rule: str) -> None:
    assert rule not in _fired(CASES[lang][rule]["does_not_fire"]), CASES[lang][rule]["does_not_fire"]


WORKING_TIME = [
    ("en", "From 5am to 9pm, Monday to Saturday", 16.0, 6.0),
    ("de", "Arbeitszeit 6 bis 20 Uhr, sechs Tage die Woche", 14.0, 6.0),
    ("fr", "de 6h à 21h, 7 jours sur 7", 15.0, 7.0),
    ("it", "dalle 6 alle 20, 6 giorni a settimana", 14.0, 6.0),
    ("es", "de 7:00 a 22:00 de lunes a sábado", 15.0, 6.0),
    ("ro", "de la ora 7 la ora 21, 6 zile pe săptămână", 14.0, 6.0),
    ("ru", "с 8:00 до 23:00, 6 дней в неделю", 15.0, 6.0),
    ("uk", "з 7:00 до 22:00, 6 днів на тиждень", 15.0, 6.0),
    ("bg", "от 7 до 22 часа, 6 дни в седмицата", 15.0, 6.0),
    ("ar", "من الساعة 7 صباحاً حتى 10 مساءً، 6 أيام في الأسبوع", 15.0, 6.0),
    ("sq", "nga ora 7 deri në 22, 6 ditë në javë", 15.0, 6.0),
    ("nl", "van 7:00 tot 22:00, 6 dagen per week", 15.0, 6.0),
]


@pytest.mark.parametrize(("lang", "text", "hours", "days"), WORKING_TIME)
def test_clock_times_and_days_are_read_and_an_overlong_week_fires(
    lang: str, text: str, hours: float, days: float
) -> None:
    time = read_working_time(fold(text))
    assert (time.hours_per_day, time.days_per_week) == (hours, days)
    assert "excessive_overtime" in _fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mo–Fr 8:00–16:30",
        "Lundi au vendredi 9h–17h",
        "пн–пт 9:00–18:00",
        "Girls 19–27",
        "2-3 pages",
        "Date posted: 2021-04-22",
    ],
)
def test_ordinary_times_counts_and_dates_do_not_fire_working_time_rules(text: str) -> None:
    assert not {"excessive_overtime", "night_only"} & _fired(text)


NIGHT = [
    ("de", "Schicht 22:00–06:00 Uhr"),
    ("fr", "horaires 23h–6h"),
    ("ru", "с 22:00 до 06:00"),
    ("ar", "من 10 مساءً حتى 6 صباحاً"),
]


@pytest.mark.parametrize(("lang", "text"), NIGHT)
def test_night_clock_range_is_night_only_unless_it_rotates(lang: str, text: str) -> None:
    assert "night_only" in _fired(text)
    assert "night_only" not in _fired(text + ", in rotation with day shifts (rota)")


PAY = [
    ("en", "seven pounds an hour", 7.0, "hour", "GBP"),
    ("de", "fünf Euro die Stunde", 5.0, "hour", "EUR"),
    ("fr", "1 200 € brut par mois", 1200.0, "month", "EUR"),
    ("it", "4 euro l'ora", 4.0, "hour", "EUR"),
    ("es", "dos mil euros por semana", 2000.0, "week", "EUR"),
    ("ro", "o mie de lei pe lună", 1000.0, "month", "RON"),
    ("ru", "20 злотых в час", 20.0, "hour", "PLN"),
    ("uk", "1 750 € нетто на місяць", 1750.0, "month", "EUR"),
    ("bg", "800 лв. на месец", 800.0, "month", "BGN"),
    ("ar", "12 يورو للساعة", 12.0, "hour", "EUR"),
    ("sq", "30 euro në ditë", 30.0, "day", "EUR"),
    ("nl", "€ 9,50 bruto per uur", 9.5, "hour", "EUR"),
]


@pytest.mark.parametrize(("lang", "text", "amount", "period", "currency"), PAY)
def test_pay_text_is_read_as_pay(lang: str, text: str, amount: float, period: str, currency: str) -> None:
    pay = read_pay(fold(text))
    assert pay is not None and (pay.amount, pay.period, pay.currency) == (amount, period, currency)


@pytest.mark.parametrize(
    ("pay_text", "country_text", "held"),
    [
        ("6 € pro Stunde", "Küchenhilfe in Berlin", True),
        ("14 € pro Stunde", "Küchenhilfe in Berlin", False),
        ("3 euro l'ora", "Raccolta in Italia", False),  # no statutory minimum in Italy
        ("600 € al mes", "Camarera en Madrid, 40 horas semanales", True),
        ("500 € per month", "Waitress, Athens (Greece)", True),  # Eurostat writes Greece EL
        ("£8 an hour", "Cleaner, Leeds", True),
        ("CHF 15 pro Stunde", "Reinigung in Zürich", True),
        ("280 € Taschengeld im Monat", "Au-pair in München", False),  # pocket money is not a wage
    ],
)
def test_pay_below_the_minimum_for_country_and_period_holds(pay_text: str, country_text: str, held: bool) -> None:
    result = screen(ListingText(title=country_text, description="", pay_text=pay_text))
    assert ("below_minimum_wage" in result.rule_ids) is held
    assert result.held is held


def test_rule_cases_name_only_known_rules() -> None:
    assert {rule for lang in CASES.values() for rule in lang} <= set(TEXT_RULES)
