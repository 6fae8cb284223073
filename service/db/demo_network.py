"""The demo network's bulk of rows: partners, opportunities and 18 months of case history.

Deterministic (one seeded `random.Random`, ids drawn from it) and believable: opportunities
come from the starter taxonomy's ESCO occupations (titles in the country's language, their
essential and optional skills), survivors progress through referrals, placements, follow-ups
and milestones at plausible rates. Rows are built as plain dicts and written with executemany
(`insert(Model)` with a list), which is what lets the large network load in minutes.
All people and organisations are fictional.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity
from providers.schedule import day_masks
from service.domain.accounts.models import Organisation
from service.domain.followups.models import DEFAULT_PLAN_DAYS, FollowUp
from service.domain.milestones.models import Achievement
from service.domain.referrals.models import Referral, ReferralEvent
from service.domain.survivors.models import Consent
from skills.starter import starter_data


@dataclass(frozen=True)
class Size:
    survivors: int
    partners: int
    opportunities: int
    counsellors_per_ngo: int


SIZES = {
    "small": Size(survivors=300, partners=80, opportunities=1_500, counsellors_per_ngo=2),
    "large": Size(survivors=5_000, partners=1_000, opportunities=50_000, counsellors_per_ngo=12),
}
HISTORY_DAYS = 548
"""18 months of history before today."""
COUNTRY_LANGUAGE = {"DE": "de", "IT": "it", "FR": "fr", "RO": "ro"}
CURRENCY = {"DE": "EUR", "IT": "EUR", "FR": "EUR", "RO": "RON"}
PAY_RANGE = {"DE": (1500, 2600), "IT": (1100, 1900), "FR": (1400, 2300), "RO": (3200, 6500)}
REGION_CENTRES = {
    "DE30": (52.52, 13.40), "DE40": (52.40, 13.06), "ITC1": (45.07, 7.69), "ITC4": (45.46, 9.19),
    "FRK2": (45.76, 4.84), "FR10": (48.86, 2.35), "RO32": (44.43, 26.10), "RO11": (46.77, 23.60),
}  # fmt: skip
PARTNER_WORDS = {
    "employer": ("Pflege", "Servizi", "Services", "Servicii", "Hotel", "Catering", "Logistik", "Atelier"),
    "school": ("Berufsschule", "Scuola", "Formation", "Academia"),
    "language_school": ("Sprachschule", "Scuola di lingue", "Langues", "Limbi"),
    "childcare": ("Kita", "Asilo", "Crèche", "Grădiniţa"),
}
KIND_WEIGHTS = (("job", 0.55), ("course", 0.2), ("language_class", 0.15), ("childcare", 0.1))
BATCH = 2_000


def new_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def week(rng: random.Random, kind: str) -> list[str]:
    """A believable timetable: day shifts for jobs, mornings or evenings for classes."""
    start, end = {
        "job": rng.choice([(14, 30), (16, 34), (20, 36), (12, 24)]),
        "course": rng.choice([(16, 26), (26, 34)]),
        "language_class": rng.choice([(18, 24), (36, 40)]),
        "childcare": (14, 34),
    }[kind]
    day = "0" * start + "1" * (end - start) + "0" * (48 - end)
    days = rng.choice([5, 5, 4, 3]) if kind != "childcare" else 5
    return [day if index < days else "0" * 48 for index in range(7)]


def partners(rng: random.Random, count: int, countries: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    """Partner organisations spread over the NGOs' countries; a few await vetting."""
    rows = []
    for index in range(count):
        country, _ = countries[index % len(countries)]
        partner_type = rng.choices(["employer", "school", "language_school", "childcare"], [6, 1, 2, 1])[0]
        rows.append(
            {
                "id": new_id(rng),
                "name": f"{rng.choice(PARTNER_WORDS[partner_type])} {country}-{index + 1:04d} (demo)",
                "kind": "partner",
                "country": country,
                "partner_type": partner_type,
                "vetting_status": "pending" if rng.random() < 0.05 else "vetted",
            }
        )
    return rows


def _label(occupation: dict[str, Any], lang: str) -> str:
    labels = occupation["labels"].get(lang) or occupation["labels"]["en"]
    return str(labels[0])


def opportunities(
    rng: random.Random, count: int, partner_rows: list[dict[str, Any]], regions: dict[str, list[str]], today: date
) -> Iterator[dict[str, Any]]:
    """Listings derived from ESCO occupations of the starter taxonomy."""
    occupations = starter_data()["occupations"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for partner_row in partner_rows:
        by_type.setdefault(partner_row["partner_type"], []).append(partner_row)
    kind_to_type = {
        "job": "employer",
        "course": "school",
        "language_class": "language_school",
        "childcare": "childcare",
    }
    kinds = [kind for kind, _ in KIND_WEIGHTS]
    weights = [weight for _, weight in KIND_WEIGHTS]
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        partner = rng.choice(by_type.get(kind_to_type[kind]) or partner_rows)
        country = partner["country"]
        lang = COUNTRY_LANGUAGE[country]
        region = rng.choice(regions[country])
        lat, lon = REGION_CENTRES[region]
        occupation = rng.choice(occupations)
        schedule = week(rng, kind)
        starts = today + timedelta(days=rng.randint(-HISTORY_DAYS, 120))
        status = rng.choices(["published", "closed", "pending_review", "draft"], [70, 20, 6, 4])[0]
        capacity = {"job": rng.randint(1, 4), "course": rng.randint(8, 20)}.get(kind, rng.randint(6, 14))
        row: dict[str, Any] = {
            "id": new_id(rng),
            "organisation_id": partner["id"],
            "created_by_id": None,
            "kind": kind,
            "status": status,
            "region": region,
            "lat": round(lat + rng.uniform(-0.15, 0.15), 2),
            "lon": round(lon + rng.uniform(-0.2, 0.2), 2),
            "capacity": capacity,
            "capacity_left": rng.randint(0, capacity),
            "starts_on": starts,
            "ends_on": starts + timedelta(days=rng.choice([90, 180, 365])) if kind != "job" else None,
            "schedule": schedule,
            **dict(
                zip(
                    ("mask_mon", "mask_tue", "mask_wed", "mask_thu", "mask_fri", "mask_sat", "mask_sun"),
                    day_masks(schedule),
                    strict=True,
                )
            ),
            "women_only": rng.random() < 0.15,
            "sector": occupation.get("sector"),
            "published_at": at(starts - timedelta(days=30)) if status in {"published", "closed"} else None,
            "closed_at": at(starts + timedelta(days=60)) if status == "closed" else None,
            "languages": [],
            "language_codes": f",{lang},",
        }
        if kind == "job":
            level = rng.choice(["A2", "B1", "B1", "B2"])
            low, high = PAY_RANGE[country]
            row |= {
                "title": _label(occupation, lang),
                "occupation_uri": occupation["uri"],
                "essential_skills": list(occupation.get("essential", []))[:6],
                "optional_skills": list(occupation.get("optional", []))[:6],
                "languages": [{"code": lang, "level": level}],
                "hours_per_week": float(rng.choice([20, 25, 30, 38, 40])),
                "currency": CURRENCY[country],
                "pay_amount": float(rng.randrange(low, high, 50)),
                "pay_period": "month",
                "contract_type": rng.choices(["employment", "fixed_term", "apprenticeship"], [5, 4, 1])[0],
                "contact_channels": ["email"],
            }
        elif kind == "course":
            row |= {
                "title": f"{_label(occupation, 'en').capitalize()}: vocational course",
                "occupation_uri": occupation["uri"],
                "essential_skills": list(occupation.get("essential", []))[:4],
                "cost_amount": 0.0,
                "course_level": rng.randint(1, 3),
                "certificate": "Certificate of completion",
            }
        elif kind == "language_class":
            start_level = rng.choice(["A1", "A2", "B1"])
            row |= {
                "title": f"{lang.upper()} {start_level} language class",
                "class_language": lang,
                "level_from": start_level,
                "level_to": {"A1": "A2", "A2": "B1", "B1": "B2"}[start_level],
            }
        else:
            row |= {"title": "Childcare place", "age_min": 1, "age_max": 6}
        yield row


@dataclass
class History:
    """Rows of one survivor's 18 months, to be bulk-inserted by table."""

    consents: list[dict[str, Any]]
    referrals: list[dict[str, Any]]
    events: list[dict[str, Any]]
    followups: list[dict[str, Any]]
    achievements: list[dict[str, Any]]


PATHS = (
    (("interested", "declined"), 14),
    (("interested", "shared", "applied", "declined"), 12),
    (("interested", "shared", "applied", "accepted", "placed"), 16),
    (("interested", "shared", "applied", "accepted", "placed", "completed"), 6),
    (("interested", "shared", "applied", "accepted", "placed", "dropped"), 6),
    (("interested", "shared", "applied", "accepted", "enrolled"), 12),
    (("interested", "shared", "applied", "accepted", "enrolled", "completed"), 10),
    (("suggested",), 14),
    (("interested",), 10),
)


def history(
    rng: random.Random,
    survivor: dict[str, Any],
    listings: list[dict[str, Any]],
    counsellor_id: uuid.UUID,
    today: date,
) -> History:
    """Her referrals and what followed, starting after her intake and ending before today."""
    out = History([], [], [], [], [])
    intake: date = survivor["created_at"].date()
    survivor_id = survivor["id"]
    if rng.random() < 0.82:
        out.consents.append(_consent(rng, survivor_id, "reporting", None, intake, counsellor_id))
    income = rng.choice([0, 0, 300, 450, 600])
    chosen = rng.sample(listings, k=min(len(listings), rng.choice([0, 1, 2, 2, 3, 4, 5])))
    for listing in chosen:
        started = intake + timedelta(days=rng.randint(7, 120))
        if started >= today:
            continue
        steps: tuple[str, ...] = rng.choices([path for path, _ in PATHS], [weight for _, weight in PATHS])[0]
        wants = "placed" if listing["kind"] == "job" else "enrolled"
        steps = tuple(wants if step in {"placed", "enrolled"} else step for step in steps)
        referral_id = new_id(rng)
        consent_id = None
        if "shared" in steps:
            consent = _consent(
                rng, survivor_id, "share_with_partner", listing["organisation_id"], started, counsellor_id
            )
            out.consents.append(consent)
            consent_id = consent["id"]
        day, previous, began = started, None, None
        for step in steps:
            day = day + timedelta(days=rng.randint(2, 21))
            if day >= today:
                break
            if step == wants:
                began = day
            if step == "dropped" and began is not None:
                day = began + timedelta(days=rng.randint(40, 300))
                if day >= today:
                    break
            out.events.append(
                {"id": new_id(rng), "referral_id": referral_id, "at": at(day), "from_status": previous,
                 "to_status": step, "actor_id": counsellor_id, "actor_role": "counsellor", "reason": ""}
            )  # fmt: skip
            previous = step
        out.referrals.append(
            {"id": referral_id, "survivor_id": survivor_id, "opportunity_id": listing["id"],
             "partner_id": listing["organisation_id"], "status": previous or "suggested", "consent_id": consent_id,
             "created_by_id": counsellor_id, "started_at": at(began) if began else None,
             "created_at": at(started), "updated_at": at(day if previous else started)}
        )  # fmt: skip
        if previous == "completed" and listing["kind"] in {"course", "language_class"}:
            _achieve(rng, out, survivor_id, "course_completed", str(listing["id"]), day)
        if began is not None:
            income = _plan(rng, out, survivor_id, referral_id, listing, began, previous == "dropped", income, today)
    _milestones(rng, out, survivor_id, intake, today)
    return out


def _consent(
    rng: random.Random, survivor_id: uuid.UUID, purpose: str, partner_id: Any, day: date, by: uuid.UUID
) -> dict[str, Any]:
    sharing = purpose == "share_with_partner"
    return {
        "id": new_id(rng), "survivor_id": survivor_id, "purpose": purpose, "partner_id": partner_id,
        "fields": ["skills", "languages", "availability"] if sharing else [], "granted_at": at(day),
        "expires_at": at(day + timedelta(days=180)) if sharing else None, "withdrawn_at": None,
        "recorded_by_id": by, "via_survivor": False, "created_at": at(day), "updated_at": at(day),
    }  # fmt: skip


def _plan(
    rng: random.Random, out: History, survivor_id: uuid.UUID, referral_id: uuid.UUID, listing: dict[str, Any],
    began: date, dropped: bool, income: int, today: date,
) -> int:  # fmt: skip
    """The check-ins after a placement or enrolment; answered ones report her income."""
    job = listing["kind"] == "job"
    for days in DEFAULT_PLAN_DAYS:
        due = began + timedelta(days=days)
        answered = due < today - timedelta(days=3) and rng.random() < 0.8
        answers: dict[str, Any] = {}
        if answered:
            if job:
                # Her pay after deductions: reduced hours in the first month (probation, a part
                # month), then the full amount, with the occasional raise or extra hours.
                full = int(listing.get("pay_amount") or 1200) * rng.choice([7, 8, 9]) // 10
                start = full * rng.choice([5, 6, 7]) // 10 if days <= 30 else full
                income = max(income, start) + rng.choice([0, 0, 50, 100, 150])
            answers = {"still_there": not dropped or days < 60, "contract": "formal" if job else "none"}
            # During a course she reports an income only when she has one (benefits, a mini-job).
            if job or income:
                answers["monthly_income"] = income
        out.followups.append(
            {"id": new_id(rng), "survivor_id": survivor_id, "referral_id": referral_id, "kind": f"plan_{days}d",
             "due_at": at(due, 9), "status": "done" if due < today else "scheduled", "attempts": int(due < today),
             "idempotency_key": f"plan:{referral_id}:{days}d", "late": False, "answers": answers, "risk_flags": [],
             "processed_at": at(due, 9) if due < today else None, "answered_at": at(due, 15) if answered else None,
             "created_at": at(began), "updated_at": at(min(due, today))}
        )  # fmt: skip
        if job and answered and days == 7:
            _achieve(rng, out, survivor_id, "first_formal_contract", "", due)
        if job and answered and days >= 91 and not dropped:
            _achieve(rng, out, survivor_id, "employed_3_months" if days < 182 else "employed_6_months", "", due)
    return income


def _achieve(rng: random.Random, out: History, survivor_id: uuid.UUID, code: str, qualifier: str, day: date) -> None:
    if any(row["milestone"] == code and row["qualifier"] == qualifier for row in out.achievements):
        return
    out.achievements.append(
        {"id": new_id(rng), "survivor_id": survivor_id, "milestone": code, "qualifier": qualifier,
         "achieved_on": day, "evidence": "", "source": "followup", "recorded_at": at(day)}
    )  # fmt: skip


def _milestones(rng: random.Random, out: History, survivor_id: uuid.UUID, intake: date, today: date) -> None:
    """Early steps most survivors reach: right to work, a bank account, a language level."""
    span = max(1, (today - intake).days)
    for code, qualifier, chance in (
        ("right_to_work", "", 0.6),
        ("bank_account", "", 0.55),
        ("language_level", rng.choice(["de:A2", "it:A2", "fr:A2", "ro:A2", "de:B1"]), 0.35),
        ("income_covers_needs", "", 0.12),
        ("savings_buffer", "", 0.06),
        ("own_housing", "", 0.1),
        ("no_longer_relies_on_support", "", 0.04),
    ):
        if rng.random() < chance:
            _achieve(rng, out, survivor_id, code, qualifier, intake + timedelta(days=rng.randint(1, span)))


async def bulk(
    db: AsyncSession, model: Any, rows: list[dict[str, Any]], echo: Callable[[str], Any] | None = None
) -> None:
    """executemany in batches (bounded memory, and parameter limits on both backends)."""
    for start in range(0, len(rows), BATCH):
        await db.execute(insert(model), rows[start : start + BATCH])
    if echo is not None:
        echo(f"  {model.__tablename__}: {len(rows)}")


async def insert_partners(db: AsyncSession, rows: list[dict[str, Any]]) -> None:
    await bulk(db, Organisation, rows)


async def insert_history(db: AsyncSession, stories: list[History], echo: Callable[[str], Any]) -> None:
    for model, name in (
        (Consent, "consents"),
        (Referral, "referrals"),
        (ReferralEvent, "events"),
        (FollowUp, "followups"),
        (Achievement, "achievements"),
    ):
        await bulk(db, model, [row for story in stories for row in getattr(story, name)], echo)


async def insert_opportunities(db: AsyncSession, rows: list[dict[str, Any]], echo: Callable[[str], Any]) -> None:
    await bulk(db, Opportunity, rows, echo)
