"""The structured checks of the screener: form fields, the partner's answers, and the numbers
the text states (pay, hours, clock times), judged by the same limits.

Each check returns ``(field, evidence)`` or ``None``. ``field`` names where the evidence came
from so the reviewer knows what to look at: a form field (``pay``, ``hours_per_week``), a
structured answer (``answer: documents``) or the text (``text: working time``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from providers.reading import (
    Pay,
    WorkingTime,
    app_with_number,
    read_country,
    read_pay,
    read_working_time,
    vocabulary,
)
from providers.rules import Rulebook, fold

if TYPE_CHECKING:
    from providers.screening import ListingText

MAX_WEEKLY_HOURS = 48.0
"""EU Working Time Directive (2003/88/EC, art. 6): average week including overtime."""
MAX_DAILY_HOURS = 13.0
"""2003/88/EC art. 3: 11 hours' daily rest leave at most 13 hours of work in a day."""
STATED_DAILY_HOURS = 11.0
"""Hours a day stated in words ("11 Stunden täglich"): five such days pass the 48-hour week."""
NIGHT_ONLY_SHARE = 0.8
"""Share of scheduled hours between 22:00 and 06:00 above which a job counts as night-only."""
NET_SHARE = 0.65
"""A net amount is compared with this share of the gross minimum (taxes and contributions)."""
_ADDRESS = re.compile(r"\w@[\w-]+\.\w|https?://|www\.")
"""An e-mail address or a web address: a traceable channel ("@jobs_now" alone is a handle)."""
MESSAGING_APPS = frozenset({"whatsapp", "telegram", "viber", "signal", "wechat", "messenger", "imo", "line"})
_NIGHT_SLOTS = frozenset([*range(0, 12), *range(44, 48)])


@dataclass(frozen=True, slots=True)
class ReadListing:
    """What the text says about pay and time, read once per listing."""

    pay: Pay | None
    pay_field: str
    country: str | None
    time: WorkingTime
    not_a_wage: bool


def read_listing(listing: ListingText) -> ReadListing:
    pay_folded = fold(listing.pay_text or "")
    body = fold(f"{listing.title}\n{listing.description}")
    pay, field = read_pay(pay_folded), "pay"
    if pay is None:
        pay, field = read_pay(body), "description"
    everything = f"{pay_folded}\n{body}"
    country = read_country(fold(listing.title), pay.currency if pay else None) or read_country(
        everything, pay.currency if pay else None
    )
    return ReadListing(
        pay=pay,
        pay_field=field,
        country=country,
        time=read_working_time(body),
        not_a_wage=bool(vocabulary().not_a_wage.search(everything)),
    )


def night_share_of(schedule: tuple[tuple[bool, ...], ...]) -> float:
    """Share of scheduled half-hours that fall between 22:00 and 06:00 (0.0 for an empty week)."""
    if len(schedule) != 7 or any(len(day) != 48 for day in schedule):
        raise ValueError("weekly_schedule must be 7 days x 48 half-hour slots")
    worked = [slot for day in schedule for slot, on in enumerate(day) if on]
    return sum(slot in _NIGHT_SLOTS for slot in worked) / len(worked) if worked else 0.0


HIGH_PAY = {"hour": 40.0, "day": 250.0, "week": 900.0, "month": 3500.0}
"""Amounts (EUR, USD, GBP or CHF) that are unusually high for unskilled work, per period."""


def high_pay(read: ReadListing) -> str | None:
    """The ``high_pay`` signal from the pay the text states, in any language."""
    pay = read.pay
    if pay is None or pay.currency not in ("EUR", "USD", "GBP", "CHF") or pay.period not in HIGH_PAY:
        return None
    return f'"{pay.evidence}"' if pay.amount >= HIGH_PAY[pay.period] else None


Found = tuple[str, str] | None
FieldCheck = Callable[["ListingText", Rulebook, ReadListing], Found]


def _floor(period: str, wage_hourly: float, monthly: float, full_time: float, hours: float | None) -> float:
    week = hours or full_time
    if period == "hour":
        return wage_hourly
    if period == "day":
        return wage_hourly * (week / 5 if hours else 8.0)
    if period == "week":
        return wage_hourly * week
    if period == "month":
        return monthly * week / full_time
    return wage_hourly * week * 52


def _below_minimum_wage(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    words = ""
    period: str
    if listing.pay_amount is not None and listing.pay_period is not None:
        amount, period, currency, net, field = listing.pay_amount, listing.pay_period, listing.currency, False, "pay"
        country = listing.country
    elif read.pay is not None and not read.not_a_wage:
        amount, period, currency, net = read.pay.amount, read.pay.period, read.pay.currency, read.pay.net
        country, field, words = listing.country or read.country, read.pay_field, f'"{read.pay.evidence}": '

    else:
        return None
    if not country:
        return None
    wage = book.minimum_wage(country)
    if wage is None:  # no statutory minimum (collective agreements) or not in our table
        return None
    currency = (currency or wage.currency).upper()
    if currency != wage.currency:
        return None  # no exchange rates in a pure module; a reviewer compares by hand
    hours = listing.hours_per_week or read.time.hours_per_week
    if read.time.hours_per_day and not hours and period == "day":
        hours = read.time.hours_per_day * 5
    floor = _floor(period, wage.hourly, wage.monthly, wage.full_time_hours, hours) * (NET_SHARE if net else 1.0)
    if amount >= floor:
        return None
    shown = f" for {hours:g} h/week" if hours else ""
    return field, words + (
        f"pay {amount:g} {currency}/{period}{shown} is below the minimum of {floor:.2f} {currency}/{period} "
        f"in {country[:2].upper()} ({wage.source}, {wage.effective})"
    )


def _excessive_hours(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    hours = listing.hours_per_week
    if hours is not None and hours > MAX_WEEKLY_HOURS:
        return "hours_per_week", f"hours_per_week={hours:g} (legal maximum {MAX_WEEKLY_HOURS:g} including overtime)"
    time = read.time
    if time.hours_per_week is not None and time.hours_per_week > MAX_WEEKLY_HOURS:
        return "text: working time", f"{time.evidence} = {time.hours_per_week:g} h a week (legal maximum 48)"
    if time.stated_daily is not None and time.stated_daily >= STATED_DAILY_HOURS:
        return (
            "text: working time",
            f"{time.evidence}: {time.stated_daily:g} h a day stated (a 5-day week already exceeds 48)",
        )
    if time.hours_per_day is not None and time.hours_per_day > MAX_DAILY_HOURS:
        return "text: working time", f"{time.evidence} = {time.hours_per_day:g} h a day (at most 13 with daily rest)"
    return None


def _night_only(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    share = listing.night_share
    if share is None and listing.weekly_schedule is not None:
        share = night_share_of(listing.weekly_schedule)
    if share is not None and share >= NIGHT_ONLY_SHARE:
        return "weekly_schedule", f"{share:.0%} of scheduled hours are between 22:00 and 06:00"
    time = read.time
    long_enough = (time.hours_per_day or 0) >= 4
    if (
        share is None
        and time.night_share is not None
        and time.night_share >= NIGHT_ONLY_SHARE
        and long_enough
        and not time.rotating
    ):
        return "text: working time", f"{time.evidence}: {time.night_share:.0%} of the hours between 22:00 and 06:00"
    return None


def _informal_contract(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    if listing.contract_type in ("informal", "none"):
        return "contract_type", f"contract_type={listing.contract_type}"
    if listing.wages_paid == "cash":
        return "answer: wages", "the partner answered: wages are paid in cash"
    return None


def _tied_accommodation(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    if listing.rent_deducted and (listing.housing_provided or listing.accommodation_provided):
        return "answer: housing", "the partner answered: housing provided, rent deducted from wages"
    if listing.housing_provided:
        return "answer: housing", "the partner answered: the employer provides housing"
    return ("accommodation_provided", "accommodation_provided=true") if listing.accommodation_provided else None


def _travel_arranged(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    return ("travel_abroad", "travel_abroad=true") if listing.travel_abroad else None


def normalise_channel(channel: str) -> str:
    """ "WhatsApp +49 151 …", "viber: 0722…" -> the app's name; anything else as written, folded."""
    folded = fold(channel).strip()
    if _ADDRESS.search(folded):
        return folded
    words = "".join(ch if ch.isalpha() else " " for ch in folded).split()
    apps = [word for word in words if word in MESSAGING_APPS or word == "whats"]
    if apps:
        return "whatsapp" if apps[0] == "whats" else apps[0]
    return folded


def traceable_contact(listing: ListingText) -> bool:
    """Whether any contact channel is more than a messaging app (an address, a web page)."""
    return any(normalise_channel(c) not in MESSAGING_APPS for c in listing.contact_channels if c.strip())


def _messaging_only(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    channels = {normalise_channel(channel) for channel in listing.contact_channels if channel.strip()}
    if channels and channels <= MESSAGING_APPS:
        return "contact_channels", f"contact only via {', '.join(sorted(channels))}"
    if channels and not channels <= MESSAGING_APPS:
        return None
    text = fold(f"{listing.title}\n{listing.description}\n{listing.pay_text or ''}")
    if (words := app_with_number(text)) is not None and not _ADDRESS.search(text):
        return "text: contact", f'"{words}": a messaging app and a phone number, no address'
    return None


def _documents(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    if listing.documents_held_by in ("employer", "agency"):
        return (
            "answer: documents",
            f"the partner answered: identity documents are held by the {listing.documents_held_by}",
        )
    return None


def _costs(listing: ListingText, book: Rulebook, read: ReadListing) -> Found:
    if listing.costs_deducted:
        return "answer: costs", "the partner answered: recruitment or travel costs are charged or deducted"
    return None


FIELD_CHECKS: dict[str, FieldCheck] = {
    "below_minimum_wage": _below_minimum_wage,
    "excessive_overtime": _excessive_hours,
    "night_only": _night_only,
    "cash_no_contract": _informal_contract,
    "tied_accommodation": _tied_accommodation,
    "travel_arranged": _travel_arranged,
    "messaging_only": _messaging_only,
    "document_retention": _documents,
    "debt_bondage": _costs,
}
"""Rules flagged ``"fields": true`` in the catalogue, mapped to their structured check."""
