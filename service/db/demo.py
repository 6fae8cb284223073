"""A deterministic demo network for `make run` (fictional people and organisations).

`--size small` (300 survivors, 80 partners, 1,500 opportunities) or `--size large` (5,000,
1,000 and 50,000), four NGOs in four countries and 18 months of referrals, placements,
follow-ups and milestones; the bulk comes from service/db/demo_network.py.

Logins use one demo password; the roles that must use a second factor get a fixed demo TOTP
secret, printed with the logins, whose current code `onward demo code EMAIL` shows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.db import demo_network
from service.db.config import build_alchemy_config
from service.domain.accounts.crypto import hash_password
from service.domain.accounts.models import Organisation, User
from service.domain.opportunities.check_models import PartnerCheck
from service.domain.opportunities.partner_checks import CHECKLIST, VALID_FOR
from service.domain.survivors.models import Survivor
from service.kernel.actor import now_utc
from service.settings import Settings
from skills.starter import starter_data

DEMO_PASSWORD = "onward-demo-password"  # noqa: S105  (printed for the demo; demo data only)
DEMO_DOMAIN = "demo.onward.example"
# Fixed so that the printed secret stays valid across restarts; demo accounts only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPONWARDDEMO"  # noqa: S105
MARKER_ORG = "Neue Wege Berlin (demo)"


@dataclass(frozen=True)
class DemoNgo:
    name: str
    country: str
    regions: tuple[str, ...]
    slug: str


NGOS = (
    DemoNgo(MARKER_ORG, "DE", ("DE30", "DE40"), "berlin"),
    DemoNgo("Strada Nuova Torino (demo)", "IT", ("ITC1", "ITC4"), "torino"),
    DemoNgo("Nouveau Départ Lyon (demo)", "FR", ("FRK2", "FR10"), "lyon"),
    DemoNgo("Drum Nou Bucureşti (demo)", "RO", ("RO32", "RO11"), "bucuresti"),
)
PARTNERS = (
    ("Sonnenhof Seniorenpflege (demo)", "employer", "vetted"),
    ("Clean & Care Services (demo)", "employer", "vetted"),
    ("Volkshochschule Mitte (demo)", "language_school", "vetted"),
    ("Kita Regenbogen (demo)", "childcare", "vetted"),
    ("Berufsbildung Gastro (demo)", "school", "vetted"),
    ("Nightlife Promotions (demo)", "employer", "pending"),
)
FIRST_NAMES = (
    "Amina", "Blessing", "Oksana", "Mariana", "Fatou", "Elena", "Joy", "Ioana", "Grace", "Nadia",
    "Precious", "Larisa", "Esther", "Olena", "Ruth", "Adaeze", "Mirela", "Sabina", "Hope", "Tatiana",
)  # fmt: skip
LANGUAGES = ("en", "fr", "ro", "uk", "ru", "es", "pt", "ar", "bg", "yo")
# Real ESCO skill URIs for the kinds of work survivors are often placed in.
SKILLS = (
    "http://data.europa.eu/esco/skill/6ff01827-907d-43d8-b6e4-7162c1cf0aca",  # clean surfaces
    "http://data.europa.eu/esco/skill/0d207bf2-b0dd-4a36-933f-d2cd3da2933d",  # sew textile-based articles
    "http://data.europa.eu/esco/skill/0cb013af-6dd9-4fb2-b34e-63dda1a5cf82",  # operate cash register
    "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be",  # use spreadsheets software
    "http://data.europa.eu/esco/skill/f683ae1d-cb7c-4aa1-b9fe-205e1bd23535",  # use microsoft office
)
SHOP_ASSISTANT = "http://data.europa.eu/esco/occupation/0b15375e-dfdd-4047-9efb-096e0aaee7d2"


def _week(rng: random.Random) -> list[str]:
    """Availability: weekday mornings or afternoons, sometimes Saturdays."""
    start, end = rng.choice([(16, 26), (18, 30), (26, 36), (16, 34)])
    day = "0" * start + "1" * (end - start) + "0" * (48 - end)
    days = [day] * 5 + [day if rng.random() < 0.3 else "0" * 48, "0" * 48]
    return days


PHONE_PREFIX = {"DE": "+49 30 555", "IT": "+39 011 555", "FR": "+33 4 7255", "RO": "+40 21 555"}


def _profile(rng: random.Random, index: int, ngo: DemoNgo, occupations: list[dict[str, Any]]) -> dict[str, Any]:
    """A varied, fictional profile: skills and goals from the starter taxonomy's occupations."""
    has_children = rng.random() < 0.45
    wanted = rng.sample(occupations, 2)
    skills = sorted(
        {uri for occupation in wanted for uri in occupation.get("essential", [])[:3]} | set(rng.sample(SKILLS, 1))
    )
    local = demo_network.COUNTRY_LANGUAGE[ngo.country]
    return {
        "display_name": f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {chr(65 + index % 26)}.",
        "contact": f"{PHONE_PREFIX[ngo.country]}{index:04d}",
        "exact_location": f"Demo street {index + 1}",
        "shelter": "Demo safe house" if rng.random() < 0.4 else None,
        "nationality": rng.choice(["Nigeria", "Romania", "Ukraine", "Bulgaria", "Moldova", "Colombia", "Albania"]),
        "notes": rng.choice(["Prefers morning appointments.", "Needs an interpreter at first meetings.", None]),
        "region": rng.choice(ngo.regions),
        "birth_year": rng.randint(1975, 2005),
        "skills": [{"uri": uri, "level": rng.randint(1, 3)} for uri in skills[:5]],
        "languages": [
            {"code": rng.choice(LANGUAGES), "level": "native"},
            {"code": local, "level": rng.choice(["A1", "A2", "A2", "B1", "B2"])},
        ],
        "goals": {
            "target_occupations": [wanted[0]["uri"]] if rng.random() < 0.7 else [],
            "sectors": sorted({str(occupation.get("sector")) for occupation in wanted if occupation.get("sector")}),
            "monthly_income_target": rng.choice([1200, 1400, 1600, 1800]) * (3 if ngo.country == "RO" else 1),
            "currency": demo_network.CURRENCY[ngo.country],
        },
        "availability": _week(rng),
        "children": [{"age_years": rng.randint(0, 9), "needs_care": True}] if has_children else [],
        "right_to_work": {
            "permit_kind": rng.choice(["residence_permit_work", "eu_citizen", "asylum_pending"]),
            "valid_until": (date.today() + timedelta(days=rng.randint(30, 700))).isoformat(),
        },
        "safety": {
            "exclusion_regions": [],
            "women_only_workplace": rng.random() < 0.3,
            "no_night_work": rng.random() < 0.7,
            "max_commute_minutes": rng.choice([30, 45, 60]),
            "travel_mode": "transit",
        },
        "readiness": "not_now" if rng.random() < 0.1 else "ready",
    }


def _user(email: str, role: str, org: Organisation | None, name: str, password_hash: str) -> User:
    return User(
        email=email,
        password_hash=password_hash,
        role=role,
        organisation_id=org.id if org else None,
        display_name=name,
        mfa_secret=DEMO_TOTP_SECRET if role in {"admin", "coordinator", "partner"} else None,
    )


def _printed(email: str) -> bool:
    """Logins shown after loading: the extra counsellors of the large network are not."""
    local = email.split("@", 1)[0]
    return not (local.startswith("counsellor") and local.split(".", 1)[0] not in {"counsellor1", "counsellor2"})


async def _load(db: AsyncSession, size: str, echo: Callable[[str], Any]) -> list[tuple[str, str]]:
    shape = demo_network.SIZES[size]
    rng = random.Random(20261128)
    today = date.today()
    occupations = starter_data()["occupations"]
    password_hash = hash_password(DEMO_PASSWORD)
    logins: list[tuple[str, str]] = [(f"admin@{DEMO_DOMAIN}", "admin")]
    db.add(_user(logins[0][0], "admin", None, "Platform admin", password_hash))
    named: list[dict[str, Any]] = []
    first_partner: Organisation | None = None
    for name, partner_type, status in PARTNERS:
        partner = Organisation(
            id=demo_network.new_id(rng),
            name=name,
            kind="partner",
            country="DE",
            partner_type=partner_type,
            vetting_status=status,
        )
        db.add(partner)
        first_partner = first_partner or partner
        named.append({"id": partner.id, "country": "DE", "partner_type": partner_type, "vetting_status": status})
    await db.flush()
    email = f"partner@{DEMO_DOMAIN}"
    db.add(_user(email, "partner", first_partner, "Partner HR", password_hash))
    logins.append((email, "partner"))
    countries = [(ngo.country, list(ngo.regions)) for ngo in NGOS]
    generated = demo_network.partners(rng, shape.partners - len(named), countries)
    await demo_network.insert_partners(db, generated)
    partner_rows = [row for row in named + generated if row["vetting_status"] == "vetted"]
    await _partner_checks(db, [row["id"] for row in partner_rows])
    regions = {ngo.country: list(ngo.regions) for ngo in NGOS}
    listings = list(demo_network.opportunities(rng, shape.opportunities, partner_rows, regions, today))
    await demo_network.insert_opportunities(db, listings, echo)
    by_country: dict[str, list[dict[str, Any]]] = {}
    country_of = {row["id"]: row["country"] for row in named + generated}
    for listing in listings:
        if listing["status"] in {"published", "closed"}:
            by_country.setdefault(country_of[listing["organisation_id"]], []).append(listing)
    survivors: list[dict[str, Any]] = []
    stories = []
    per_ngo = shape.survivors // len(NGOS)
    index = 0
    for ngo_index, ngo in enumerate(NGOS):
        org = Organisation(
            name=ngo.name, kind="support", country=ngo.country, vetting_status="vetted", may_check_partners=True
        )
        db.add(org)
        await db.flush()
        coordinator = _user(f"coordinator.{ngo.slug}@{DEMO_DOMAIN}", "coordinator", org, "Coordinator", password_hash)
        db.add(coordinator)
        logins.append((coordinator.email, "coordinator"))
        counsellors = []
        for number in range(1, shape.counsellors_per_ngo + 1):
            counsellor = _user(
                f"counsellor{number}.{ngo.slug}@{DEMO_DOMAIN}", "counsellor", org, f"Counsellor {number}", password_hash
            )
            db.add(counsellor)
            counsellors.append(counsellor)
            logins.append((counsellor.email, "counsellor"))
        await db.flush()
        count = per_ngo + (shape.survivors - per_ngo * len(NGOS) if ngo_index == len(NGOS) - 1 else 0)
        for number in range(count):
            counsellor = counsellors[number % len(counsellors)]
            intake = today - timedelta(days=rng.randint(0, demo_network.HISTORY_DAYS))
            created = demo_network.at(intake, 9)
            row = {
                "id": demo_network.new_id(rng),
                "organisation_id": org.id,
                "counsellor_id": counsellor.id,
                **_profile(rng, index, ngo, occupations),
                "waiting_since": intake,
                "created_at": created,
                "updated_at": created,
                "closed_at": demo_network.at(intake + timedelta(days=rng.randint(200, 400)))
                if (today - intake).days > 420 and rng.random() < 0.25
                else None,
            }
            survivors.append(row)
            stories.append(demo_network.history(rng, row, by_country.get(ngo.country, []), counsellor.id, today))
            index += 1
    await demo_network.bulk(db, Survivor, survivors, echo)
    for index in (0, 13):
        account = _user(f"survivor{index}@{DEMO_DOMAIN}", "survivor", None, "", password_hash)
        account.organisation_id = survivors[index]["organisation_id"]
        db.add(account)
        await db.flush()
        await db.execute(update(Survivor).where(Survivor.id == survivors[index]["id"]).values(user_id=account.id))
        logins.append((account.email, "survivor"))
    await demo_network.insert_history(db, stories, echo)
    await db.flush()
    return [login for login in logins if _printed(login[0])]


async def _partner_checks(db: AsyncSession, partner_ids: list[Any]) -> None:
    """A vetted demo partner has its checklist on record (registration, licence where it
    applies, a visit, references), each valid for a year from today."""
    now = now_utc()
    outcome = {"licence": "not_applicable"}
    rows = [
        {
            "id": uuid4(),
            "organisation_id": partner_id,
            "kind": kind.value,
            "outcome": outcome.get(kind.value, "passed"),
            "evidence": "Demo data: checked when the demo network was set up.",
            "checked_by_id": None,
            "checked_by_org_id": None,
            "checked_at": now,
            "expires_at": now + VALID_FOR,
        }
        for partner_id in partner_ids
        for kind in CHECKLIST
    ]
    if rows:
        await db.execute(insert(PartnerCheck), rows)


async def load_demo(settings: Settings, *, size: str = "small", echo: Callable[[str], Any] = print) -> None:
    """Load the demo once; a second call only prints the logins again."""
    alchemy = build_alchemy_config(settings.db)
    try:
        async with alchemy.get_session() as db:
            if await db.scalar(select(Organisation.id).where(Organisation.name == MARKER_ORG)) is None:
                started = time.perf_counter()
                logins = await _load(db, size, echo)
                await db.commit()
                echo(f"demo loaded ({size}) in {time.perf_counter() - started:.1f} s")
            else:
                rows = (
                    await db.execute(select(User.email, User.role).where(User.email.like(f"%@{DEMO_DOMAIN}")))
                ).all()
                logins = [(row[0], row[1]) for row in rows if _printed(row[0])]
                echo("demo already loaded")
    finally:
        await alchemy.get_engine().dispose()
    echo(f"\nDemo logins (password: {DEMO_PASSWORD})")
    for email, role in sorted(logins, key=lambda pair: pair[1]):
        echo(f"  {role:<12} {email}")
    echo(f"Admin, coordinator and partner accounts use TOTP; secret {DEMO_TOTP_SECRET} (or: onward demo code EMAIL)\n")
