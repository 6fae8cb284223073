"""Listings, as rows and as the body a partner posts, and the work profile they are matched with.

`listing` inserts one published row directly (the listing tests cover publishing and screening);
`listing_payload` is the JSON body of `POST /api/opportunities` (or one item of an import), clean
so that a vetted partner's listing is published; `profile` is a survivor's work profile in the
shape the survivors API stores. These are the only listing factories of the suite.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from providers.models import Opportunity

if TYPE_CHECKING:  # the payloads need no database: unit tests use them without the service
    from tests.support.factories import Factory

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BERLIN = (52.52, 13.40)


def week(days: str = "mon-fri", start: str = "09:00", end: str = "13:00") -> list[str]:
    """Seven strings of 48 half-hours with ``start``-``end`` on ``days`` ("mon-fri" or "tue,thu")."""
    if "-" in days:
        first, last = days.split("-")
        chosen = set(DAYS[DAYS.index(first) : DAYS.index(last) + 1])
    else:
        chosen = set(days.split(","))
    a = int(start[:2]) * 2 + int(start[3:]) // 30
    b = int(end[:2]) * 2 + int(end[3:]) // 30
    day = "".join("1" if a <= slot < b else "0" for slot in range(48))
    return [day if name in chosen else "0" * 48 for name in DAYS]


async def listing(factory: Factory, org_id: UUID, kind: str = "job", **fields: Any) -> Opportunity:
    """One published listing near the centre of Berlin, open from January, weekday mornings.

    A job is formal employment at 1,800 EUR a month; a childcare place takes children of 0-6
    from 07:00 to 18:00. ``fields`` replace any of these (``schedule=list(EMPTY_WEEK)`` for none).
    """
    values: dict[str, Any] = {
        "organisation_id": org_id,
        "kind": kind,
        "status": "published",
        "title": f"{kind} listing",
        "region": "DE30",
        "lat": BERLIN[0],
        "lon": BERLIN[1],
        "capacity": 3,
        "starts_on": date(2027, 1, 4),
        "schedule": week(),
    }
    if kind == "job":
        values |= {"contract_type": "employment", "pay_amount": 1800, "pay_period": "month", "currency": "EUR"}
    if kind == "childcare":
        values |= {"age_min": 0, "age_max": 6, "schedule": week("mon-fri", "07:00", "18:00")}
    values.update(fields)
    values.setdefault("capacity_left", values["capacity"])
    async with factory.alchemy.get_session() as db:
        row = Opportunity(**values)
        db.add(row)
        await db.commit()
        return row


WEEKDAYS_9_TO_5 = [{"day": day, "start": "09:00", "end": "17:00"} for day in DAYS[:5]]

#: What every kind of listing body says unless a test says otherwise.
_PAYLOAD: dict[str, Any] = {
    "region": "DE30",
    "lat": 52.5213,  # stored coarse (52.52, 13.41): never an address
    "lon": 13.4101,
    "capacity": 2,
    "starts_on": "2027-01-04",
}
_PAYLOAD_BY_KIND: dict[str, dict[str, Any]] = {
    "job": {
        "title": "Kitchen assistant",
        "description": "Prepare vegetables and keep the kitchen clean in our canteen.",
        "blocks": WEEKDAYS_9_TO_5,
        "pay_amount": 14.5,
        "pay_period": "hour",
        "currency": "EUR",
        "contract_type": "employment",
        "hours_per_week": 40,
        "languages": [{"code": "de", "level": "A2"}],
    },
    "course": {"title": "Basic bookkeeping", "course_level": 1},
    "language_class": {
        "title": "German A1 to A2",
        "class_language": "de",
        "level_from": "A1",
        "level_to": "A2",
        "blocks": [{"day": "sat", "start": "10:00", "end": "12:00"}],
    },
    "childcare": {
        "title": "Morning childcare",
        "age_min": 1,
        "age_max": 5,
        "blocks": [{"day": "mon", "start": "08:00", "end": "13:00"}],
    },
}


def listing_payload(kind: str = "job", **overrides: Any) -> dict[str, Any]:
    """The body a partner posts for a new listing of ``kind``; ``overrides`` replace or add fields.

    The default job is a clean, legal one (weekdays 09:00-17:00, 14.50 EUR an hour, 40 h, German
    A2): a vetted partner's is published at once, an unvetted partner's waits for review.
    ``blocks=None`` leaves the timetable out (or lets a test send ``schedule`` instead).
    """
    return {"kind": kind, **copy.deepcopy(_PAYLOAD), **copy.deepcopy(_PAYLOAD_BY_KIND[kind]), **overrides}


def profile(**overrides: Any) -> dict[str, Any]:
    """A ready survivor in Berlin who may work, free on weekday mornings, B1 German."""
    values: dict[str, Any] = {
        "region": "DE30",
        "availability": week("mon-fri", "07:00", "15:00"),
        "languages": [{"code": "de", "level": "B1"}],
        "right_to_work": {"permit_kind": "residence_permit_work", "valid_until": None},
        "safety": {"max_commute_minutes": 60, "travel_mode": "transit"},
        "readiness": "ready",
        "waiting_since": date(2026, 1, 1),
    }
    values.update(overrides)
    return values
