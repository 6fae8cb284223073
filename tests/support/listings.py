"""Listings and survivors for the matches and allocation-round tests, written as rows.

Listings are inserted directly as published rows (the catalogue's own tests cover publishing);
survivors carry a full work profile in the shape the survivors API stores.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from providers.models import Opportunity
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
    """One published listing near the centre of Berlin, open from January."""
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
