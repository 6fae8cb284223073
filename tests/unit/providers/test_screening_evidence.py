"""Screening as weighed evidence: each hit names its field and words, the partner's answers to
the structured questions count like text (None = not answered), contact channels are
normalised, and the catalogue's decision (one high or two medium) holds a listing."""

from __future__ import annotations

from typing import Any

import pytest

from providers.rules import default_rulebook
from providers.screening import ListingText, normalise_channel, screen

BOOK = default_rulebook()


def _job(**fields: Any) -> ListingText:
    return ListingText(title="Kitchen assistant", description="Kitchen work in a canteen.", **fields)


def test_the_combination_rule_is_published_in_the_rule_data() -> None:
    decision = BOOK.decision
    assert decision.weights == {"high": 2, "medium": 1, "low": 0} and decision.hold_at == 2
    assert "two medium" in decision.about
    assert decision.holds(["high"]) and decision.holds(["medium", "medium"])
    assert not decision.holds(["medium"]) and not decision.holds([])


@pytest.mark.parametrize(
    ("answers", "rule", "field"),
    [
        ({"documents_held_by": "employer"}, "document_retention", "answer: documents"),
        ({"documents_held_by": "agency"}, "document_retention", "answer: documents"),
        ({"costs_deducted": True}, "debt_bondage", "answer: costs"),
        ({"housing_provided": True, "rent_deducted": True}, "tied_accommodation", "answer: housing"),
        ({"wages_paid": "cash"}, "cash_no_contract", "answer: wages"),
    ],
)
def test_a_partners_answer_is_evidence_like_the_text(answers: dict[str, Any], rule: str, field: str) -> None:
    [hit] = [h for h in screen(_job(**answers)).hits if h.rule_id == rule]
    assert hit.field == field and "the partner answered" in hit.evidence


@pytest.mark.parametrize(
    "answers",
    [
        {"documents_held_by": "worker"},
        {"costs_deducted": False},
        {"housing_provided": False, "rent_deducted": False},
        {"wages_paid": "bank_transfer"},
        {},  # nothing answered: None everywhere
    ],
)
def test_reassuring_or_missing_answers_add_no_evidence(answers: dict[str, Any]) -> None:
    assert screen(_job(**answers)).clean


def test_staff_housing_alone_is_shown_but_does_not_hold() -> None:
    result = screen(_job(housing_provided=True))
    assert result.rule_ids == {"tied_accommodation"} and not result.held


def test_staff_housing_and_a_night_only_schedule_together_hold() -> None:
    result = screen(_job(housing_provided=True, night_share=0.9))
    assert result.rule_ids == {"tied_accommodation", "night_only"} and result.held


@pytest.mark.parametrize(
    ("channel", "normalised"),
    [
        ("WhatsApp +49 151 2345678", "whatsapp"),
        ("Whats App: 0722 123 456", "whatsapp"),
        ("viber 0888123456", "viber"),
        ("Telegram @jobs_now", "telegram"),
        ("jobs@example.org", "jobs@example.org"),
    ],
)
def test_contact_channels_are_normalised(channel: str, normalised: str) -> None:
    assert normalise_channel(channel) == normalised


def test_an_app_name_with_a_number_is_still_messaging_only_contact() -> None:
    assert "messaging_only" in screen(_job(contact_channels=("WhatsApp +49 151 2345678",))).rule_ids
    with_email = screen(_job(contact_channels=("WhatsApp +49 151 2345678", "jobs@example.org")))
    assert "messaging_only" not in with_email.rule_ids


@pytest.mark.parametrize(
    ("fields", "rule", "field"),
    [
        ({"sector": "Nightclub and escort services"}, "high_risk_setting", "sector"),
        ({"certificates": ("Diploma in erotic massage",)}, "high_risk_setting", "certificates"),
        ({"pay_text": "£6 an hour, paid in cash at the end of each shift"}, "cash_no_contract", "pay"),
        ({"contact_channels": ("Contact only via Telegram",)}, "messaging_only", "contact"),
    ],
)
def test_every_text_field_is_screened_and_named(fields: dict[str, Any], rule: str, field: str) -> None:
    [hit] = [h for h in screen(_job(**fields)).hits if h.rule_id == rule]
    assert hit.field == field and hit.evidence


def test_evidence_keeps_the_partners_own_words() -> None:
    result = screen(
        ListingText(title="Cleaner", description="Die Vermittlungsgebühr von 400 € wird vom Lohn abgezogen.")
    )
    [hit] = [h for h in result.hits if h.rule_id == "debt_bondage"]
    assert "Vermittlungsgebühr" in hit.evidence and hit.field == "description"


@pytest.mark.parametrize(
    "description",
    [
        "Our licensed recruitment agency never charges fees; flights are reimbursed by the employer.",
        "We reimburse your monthly bus pass.",
        "Host / hostess for our restaurant: greet guests and manage bookings.",
        "Night care assistant, 3 nights a week 20:00-08:00 on a rota with day colleagues.",
    ],
)
def test_former_false_holds_are_not_held(description: str) -> None:
    assert not screen(ListingText(title="Job", description=description)).held


def test_minimum_wages_cover_eurostat_codes_uk_ch_and_no_each_dated() -> None:
    for code in ("EL", "UK", "CH", "NO", "DE", "RO", "BG"):
        wage = BOOK.minimum_wage(code)
        assert wage is not None and wage.effective and wage.source, code
    assert BOOK.minimum_wage("GR") is BOOK.minimum_wage("EL") and BOOK.minimum_wage("GB") is BOOK.minimum_wage("UK")
    assert "below_minimum_wage" in screen(_job(pay_amount=3, pay_period="hour", country="EL30")).rule_ids
    assert (
        "below_minimum_wage" in screen(_job(pay_amount=400, pay_period="week", country="UK", currency="GBP")).rule_ids
    )
    assert "below_minimum_wage" in screen(_job(pay_amount=20, pay_period="day", country="DE")).rule_ids
    assert "below_minimum_wage" not in screen(_job(pay_amount=30000, pay_period="year", country="DE")).rule_ids


def test_the_rows_structured_answers_reach_the_screener_when_the_form_has_them() -> None:
    from datetime import date

    from providers.models import Opportunity
    from providers.schedule import EMPTY_WEEK
    from providers.services import listing_text

    row = Opportunity(
        kind="job",
        title="Cook",
        description="Kitchen work.",
        schedule=list(EMPTY_WEEK),
        region="EL30",
        lat=37.98,
        lon=23.73,
        capacity=1,
        capacity_left=1,
        starts_on=date(2027, 1, 4),
        sector="Restaurants",
        contact_channels=[],
    )
    assert listing_text(row).wages_paid is None  # not answered
    row.wages_paid = "cash"  # type: ignore[attr-defined]
    row.documents_held_by = "employer"  # type: ignore[attr-defined]
    result = screen(listing_text(row))
    assert {"cash_no_contract", "document_retention"} <= result.rule_ids and result.held


@pytest.mark.parametrize(
    "description",
    [
        "Wir suchen eine Küchenhilfe. Bewerbung: WhatsApp 0151 2345678",
        "Cerchiamo un aiuto cuoco. Scrivere su WhatsApp 333 1234567",
        "Шукаємо кухаря. Пишіть у Viber +380 67 123 4567",
        "نبحث عن طباخ للمطعم. واتساب 0501234567",
        "Zoeken een keukenhulp. Telegram +31 6 12345678",
    ],
)
def test_an_app_name_with_a_number_in_the_text_is_messaging_only_in_any_language(description: str) -> None:
    assert "messaging_only" in screen(ListingText(title="Job", description=description)).rule_ids


def test_an_app_number_next_to_an_address_is_not_messaging_only() -> None:
    text = "Kitchen help. WhatsApp 07700 900456 or email jobs@example.org"
    assert "messaging_only" not in screen(ListingText(title="Job", description=text)).rule_ids
