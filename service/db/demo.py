"""A small, deterministic demo network for `make run` (fictional people and organisations).

Logins use one demo password; the roles that must use a second factor get a fixed demo TOTP
secret, printed with the logins, whose current code `onward demo code EMAIL` shows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.db.config import build_alchemy_config
from service.domain.accounts.crypto import hash_password
from service.domain.accounts.models import Organisation, User
from service.domain.survivors.models import Survivor
from service.settings import Settings

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


def _profile(rng: random.Random, index: int, ngo: DemoNgo) -> dict[str, Any]:
    has_children = rng.random() < 0.45
    return {
        "display_name": f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {chr(65 + index % 26)}.",
        "contact": f"+49 30 5550{index:03d}",
        "exact_location": f"Demo street {index + 1}",
        "shelter": "Demo safe house" if rng.random() < 0.4 else None,
        "nationality": rng.choice(["Nigeria", "Romania", "Ukraine", "Bulgaria", "Moldova", "Colombia"]),
        "notes": "Prefers morning appointments.",
        "region": rng.choice(ngo.regions),
        "birth_year": rng.randint(1975, 2004),
        "skills": [{"uri": uri, "level": rng.randint(1, 3)} for uri in rng.sample(SKILLS, rng.randint(1, 3))],
        "languages": [
            {"code": rng.choice(LANGUAGES), "level": "native"},
            {"code": "de" if ngo.country == "DE" else "it", "level": rng.choice(["A1", "A2", "B1"])},
        ],
        "goals": {
            "target_occupations": [SHOP_ASSISTANT] if rng.random() < 0.5 else [],
            "sectors": rng.sample(["care", "cleaning", "hospitality", "retail", "textile"], 2),
            "monthly_income_target": rng.choice([1200, 1400, 1600, 1800]),
            "currency": "EUR",
        },
        "availability": _week(rng),
        "children": [{"age_years": rng.randint(0, 9), "needs_care": True}] if has_children else [],
        "right_to_work": {
            "permit_kind": rng.choice(["residence_permit_work", "eu_citizen", "asylum_pending"]),
            "valid_until": (date(2027, 6, 30) + timedelta(days=rng.randint(0, 400))).isoformat(),
        },
        "safety": {
            "exclusion_regions": [],
            "women_only_workplace": rng.random() < 0.3,
            "no_night_work": rng.random() < 0.7,
            "max_commute_minutes": rng.choice([30, 45, 60]),
            "travel_mode": "transit",
        },
        "readiness": "not_now" if rng.random() < 0.1 else "ready",
        "waiting_since": date(2026, 1, 1) + timedelta(days=rng.randint(0, 300)),
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


async def _load(db: AsyncSession, size: str) -> list[tuple[str, str]]:
    rng = random.Random(20261128)
    password_hash = hash_password(DEMO_PASSWORD)
    logins: list[tuple[str, str]] = [(f"admin@{DEMO_DOMAIN}", "admin")]
    db.add(_user(logins[0][0], "admin", None, "Platform admin", password_hash))
    for name, partner_type, status in PARTNERS:
        partner = Organisation(
            name=name, kind="partner", country="DE", partner_type=partner_type, vetting_status=status
        )
        db.add(partner)
        await db.flush()
        if partner_type == "employer" and status == "vetted" and len([x for x in logins if x[1] == "partner"]) == 0:
            email = f"partner@{DEMO_DOMAIN}"
            db.add(_user(email, "partner", partner, "Partner HR", password_hash))
            logins.append((email, "partner"))
    per_counsellor = 6 if size == "small" else 40
    index = 0
    for ngo in NGOS:
        org = Organisation(name=ngo.name, kind="support", country=ngo.country, vetting_status="vetted")
        db.add(org)
        await db.flush()
        coordinator = _user(f"coordinator.{ngo.slug}@{DEMO_DOMAIN}", "coordinator", org, "Coordinator", password_hash)
        db.add(coordinator)
        logins.append((coordinator.email, "coordinator"))
        for number in (1, 2):
            counsellor = _user(
                f"counsellor{number}.{ngo.slug}@{DEMO_DOMAIN}", "counsellor", org, f"Counsellor {number}", password_hash
            )
            db.add(counsellor)
            await db.flush()
            logins.append((counsellor.email, "counsellor"))
            for _ in range(per_counsellor):
                survivor = Survivor(organisation_id=org.id, counsellor_id=counsellor.id, **_profile(rng, index, ngo))
                db.add(survivor)
                if index in (0, 13):
                    await db.flush()
                    account = _user(f"survivor{index}@{DEMO_DOMAIN}", "survivor", org, "", password_hash)
                    db.add(account)
                    await db.flush()
                    survivor.user_id = account.id
                    logins.append((account.email, "survivor"))
                index += 1
    await db.flush()
    return logins


async def load_demo(settings: Settings, *, size: str = "small", echo: Callable[[str], Any] = print) -> None:
    """Load the demo once; a second call only prints the logins again."""
    alchemy = build_alchemy_config(settings.db)
    try:
        async with alchemy.get_session() as db:
            if await db.scalar(select(Organisation.id).where(Organisation.name == MARKER_ORG)) is None:
                logins = await _load(db, size)
                await db.commit()
                echo(f"demo loaded ({size})")
            else:
                rows = (
                    await db.execute(select(User.email, User.role).where(User.email.like(f"%@{DEMO_DOMAIN}")))
                ).all()
                logins = [(row[0], row[1]) for row in rows]
                echo("demo already loaded")
    finally:
        await alchemy.get_engine().dispose()
    echo(f"\nDemo logins (password: {DEMO_PASSWORD})")
    for email, role in sorted(logins, key=lambda pair: pair[1]):
        echo(f"  {role:<12} {email}")
    echo(f"Admin, coordinator and partner accounts use TOTP; secret {DEMO_TOTP_SECRET} (or: onward demo code EMAIL)\n")
