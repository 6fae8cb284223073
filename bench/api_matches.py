"""Benchmark: GET /api/survivors/{id}/matches through a real uvicorn process on PostgreSQL.

Creates a scratch database on 127.0.0.1:5432, migrates it, imports the real ESCO taxonomy (English
labels; the skill hierarchy and occupation-skill links feed the similarity), seeds N published
listings of vetted partners drawn from real ESCO occupations (bench/esco_catalogue.py) plus
noise that must never be suggested (drafts, an unvetted partner's listings) and a few hundred
survivors, then times the endpoint over HTTP from this process after a warm-up request (index
built). The database is dropped at the end.

    python bench/api_matches.py --opportunities 10000 --requests 300
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ONWARD_ENCRYPTION_KEY", "bench-" + "k" * 40)
os.environ.setdefault("ONWARD_COOKIE_SECURE", "false")
os.environ.setdefault("ONWARD_EMBEDDED_WORKER", "false")
os.environ.setdefault("ONWARD_LOG_LEVEL", "WARNING")

from bench.esco_catalogue import CITIES, ESCO_DIR, REGIONS, load_esco, synthetic_catalogue, synthetic_survivors
from bench.matching import machine, pct
from matching.schedule import unpack_week
from matching.types import Opportunity as Record
from matching.types import SurvivorProfile

NUTS = ["DE300", "DE600", "DE212", "DEA23", "DE712", "DE111", "DEA11", "DED51", "DEA52", "DEA13", "DE501", "DED21"]
"""A real NUTS-3 code for each benchmark city, so survivors' regions look like the ones we store."""
REGION_CODE = dict(zip(REGIONS, NUTS, strict=True))
PASSWORD = "correct horse battery staple"
assert len(NUTS) == len(CITIES)


def week_strings(week: bytes) -> list[str]:
    """matching's packed week as the 7 strings of 48 half-hours the tables store."""
    bits = unpack_week(week).reshape(7, 48)
    return ["".join("1" if slot else "0" for slot in day) for day in bits]


def listing_row(record: Record, organisation_id: uuid.UUID, status: str) -> dict[str, Any]:
    """One synthetic record as the columns of an `opportunity` row."""
    from providers.schedule import day_masks

    week = week_strings(record.schedule)
    masks = day_masks(week)
    languages = [{"code": r.language, "level": r.level} for r in record.languages]
    codes = {r.language for r in record.languages} | (
        {record.language_class.language} if record.language_class else set()
    )
    row: dict[str, Any] = {
        "organisation_id": organisation_id,
        "kind": record.kind,
        "status": status,
        "title": record.title[:200],
        "occupation_uri": record.occupation_uri,
        "essential_skills": list(record.essential_skills),
        "optional_skills": list(record.optional_skills),
        "languages": languages,
        "language_codes": "," + "".join(f"{c}," for c in sorted(codes)),
        "schedule": week,
        "region": REGION_CODE[record.region],
        "lat": round(record.lat, 2),
        "lon": round(record.lon, 2),
        "capacity": max(record.capacity_left, 1),
        "capacity_left": record.capacity_left,
        "starts_on": record.start_date,
        "women_only": record.women_only,
        "sector": record.sector,
        "course_level": record.course_level,
    }
    for name, mask in zip(
        ("mask_mon", "mask_tue", "mask_wed", "mask_thu", "mask_fri", "mask_sat", "mask_sun"), masks, strict=True
    ):
        row[name] = mask
    if record.pay is not None:
        row |= {"pay_amount": record.pay.monthly, "pay_period": "month", "currency": record.pay.currency}
        row["contract_type"] = "informal" if record.contract == "informal" else "employment"
    if record.language_class is not None:
        lc = record.language_class
        row |= {"class_language": lc.language, "level_from": lc.level_from, "level_to": lc.level_to}
    if record.childcare is not None:
        row |= {"age_min": record.childcare.age_min, "age_max": record.childcare.age_max}
    return row


def survivor_row(
    profile: SurvivorProfile, organisation_id: uuid.UUID, counsellor_id: uuid.UUID, n: int
) -> dict[str, Any]:
    """One synthetic profile as the columns of a `survivor` row (the home city is the nearest)."""
    city = min(
        range(len(CITIES)),
        key=lambda i: (CITIES[i][0] - profile.home_lat) ** 2 + (CITIES[i][1] - profile.home_lon) ** 2,
    )
    rtw = profile.right_to_work
    permit = "none" if rtw.permit_kind is None else "residence_permit_work"
    safety = profile.safety
    return {
        "organisation_id": organisation_id,
        "counsellor_id": counsellor_id,
        "display_name": f"Bench survivor {n}",
        "region": NUTS[city],
        "skills": [{"uri": uri, "level": level} for uri, level in profile.skills.items()],
        "languages": [{"code": code, "level": level} for code, level in profile.languages.items()],
        "goals": {
            "target_occupations": list(profile.goals.target_occupations),
            "sectors": list(profile.goals.sectors),
            "monthly_income_target": profile.goals.monthly_income_target,
            "currency": "EUR",
        },
        "availability": week_strings(profile.availability),
        "children": [{"age_years": c.age_years, "needs_care": True} for c in profile.children],
        "right_to_work": {
            "permit_kind": permit,
            "valid_until": until.isoformat() if (until := rtw.valid_until) else None,
        },
        "safety": {
            "exclusion_regions": [REGION_CODE[r] for r in sorted(safety.exclusion_regions)],
            "women_only_workplace": safety.women_only,
            "no_night_work": safety.no_night_work,
            "max_commute_minutes": safety.max_commute_minutes,
            "travel_mode": safety.travel_mode,
        },
        "readiness": "not_now" if profile.readiness_paused else "ready",
        "waiting_since": profile.waiting_since,
    }


async def seed(url: str, n: int, n_survivors: int, seed_value: int) -> tuple[str, list[str], dict[str, float]]:
    """Taxonomy, partners, listings, one NGO with a counsellor and her survivors; returns her email,
    the survivor ids and the seconds each step took."""
    from sqlalchemy import insert

    from providers.models import Opportunity
    from service.db.config import build_alchemy_config
    from service.domain.accounts.models import Organisation
    from service.domain.accounts.schemas import OrganisationCreate, UserCreate
    from service.domain.accounts.services import create_organisation, create_user
    from service.domain.survivors.models import Survivor
    from service.domain.taxonomy.services import import_esco_folder
    from service.settings import DatabaseSettings

    timings: dict[str, float] = {}
    alchemy = build_alchemy_config(DatabaseSettings(url=url))
    started = time.perf_counter()
    await import_esco_folder(alchemy, ESCO_DIR, ["en"])
    timings["ESCO import (en labels)"] = time.perf_counter() - started

    started = time.perf_counter()
    esco = load_esco()
    catalogue = synthetic_catalogue(esco, n + n // 10, seed=seed_value)
    profiles = synthetic_survivors(esco, n_survivors, seed=seed_value + 1)
    async with alchemy.get_session() as db:
        partners = [
            Organisation(name=f"Bench partner {i}", kind="partner", vetting_status="vetted") for i in range(n // 20 + 1)
        ]
        unvetted = Organisation(name="Bench partner (pending vetting)", kind="partner", vetting_status="pending")
        db.add_all([*partners, unvetted])
        await db.flush()
        rows = []
        for i, record in enumerate(catalogue):
            if i < n:  # the catalogue proper: published, vetted partner
                rows.append(listing_row(record, partners[i % len(partners)].id, "published"))
            elif i % 2:  # noise that matching must never see
                rows.append(listing_row(record, partners[i % len(partners)].id, "draft"))
            else:
                rows.append(listing_row(record, unvetted.id, "published"))
        # Stamped a day ago, as an established catalogue would be: the edit timed at the end is then
        # the only recent change, as in production.
        stamp = datetime.now(UTC) - timedelta(days=1)
        for start in range(0, len(rows), 1000):
            chunk = [
                {**row, "id": uuid.uuid4(), "created_at": stamp, "updated_at": stamp}
                for row in rows[start : start + 1000]
            ]
            await db.execute(insert(Opportunity), chunk)
        ngo = await create_organisation(db, None, OrganisationCreate(name="Bench NGO", kind="support"))  # type: ignore[arg-type]
        email = "bench.counsellor@example.org"
        counsellor = await create_user(
            db,
            None,
            UserCreate(email=email, password=PASSWORD, role="counsellor", organisation_id=ngo.id),  # type: ignore[arg-type]
            None,
        )
        survivors = [Survivor(**survivor_row(p, ngo.id, counsellor.id, i)) for i, p in enumerate(profiles)]
        db.add_all(survivors)
        await db.commit()
        ids = [str(s.id) for s in survivors]
    async with alchemy.get_engine().connect() as connection:
        # Autovacuum analyses a freshly loaded table within a minute or so; without statistics
        # the planner guesses a few rows per table and picks nested loops over the catalogue.
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.exec_driver_sql("ANALYZE")
    timings[f"seed {n:,} listings (+{n // 10:,} noise) and {n_survivors} survivors"] = time.perf_counter() - started
    await alchemy.get_engine().dispose()
    return email, ids, timings


def measure(base_url: str, email: str, ids: list[str], requests: int, rng: random.Random) -> dict[str, Any]:
    """Warm up, then time `requests` GETs over random survivors (one keep-alive connection)."""
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base_url, timeout=120.0) as client:
        response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        started = time.perf_counter()
        response = client.get(f"/api/survivors/{ids[0]}/matches")
        assert response.status_code == 200, response.text
        out["warm-up (taxonomy + similarity + index build)"] = time.perf_counter() - started
        for survivor_id in ids[:20]:  # the first few requests pay lazy imports and pool growth
            client.get(f"/api/survivors/{survivor_id}/matches")
        floor = []
        for _ in range(100):
            started = time.perf_counter()
            client.get("/api/auth/me")
            floor.append(time.perf_counter() - started)
        times, sizes, bundles, empty = [], [], 0, 0
        for _ in range(requests):
            survivor_id = rng.choice(ids)
            started = time.perf_counter()
            response = client.get(f"/api/survivors/{survivor_id}/matches", params={"limit": 20})
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
            body = response.json()
            sizes.append(len(body["items"]))
            bundles += sum(item["bundle"] is not None for item in body["items"])
            empty += not body["items"]
        out |= {"times": times, "floor": floor, "sizes": sizes, "bundles": bundles, "empty": empty}
    return out


async def edit_title(url: str, opportunity_id: str) -> None:
    """Change one listing's title, as a partner's edit would (bumps updated_at)."""
    from providers.models import Opportunity
    from service.db.config import build_alchemy_config
    from service.settings import DatabaseSettings

    alchemy = build_alchemy_config(DatabaseSettings(url=url))
    async with alchemy.get_session() as db:
        row = await db.get(Opportunity, uuid.UUID(opportunity_id))
        assert row is not None
        row.title = row.title[:180] + " (edited)"
        await db.commit()
    await alchemy.get_engine().dispose()


def edit_visible_after(base_url: str, url: str, email: str, ids: list[str]) -> list[float]:
    """Seconds from a committed listing edit until a survivor's suggestions show it, three times.

    Requests keep coming every 50 ms meanwhile, as from a busy caseload; the check that notices the
    edit runs in the background at most once a second, so this is the staleness a counsellor sees.
    """
    out: list[float] = []
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        for survivor_id in ids:
            items = client.get(f"/api/survivors/{survivor_id}/matches").json()["items"]
            if not items:
                continue
            target = items[0]["opportunity"]["id"]
            asyncio.run(edit_title(url, target))
            started = time.perf_counter()
            while time.perf_counter() - started < 30:
                items = client.get(f"/api/survivors/{survivor_id}/matches").json()["items"]
                if any(
                    i["opportunity"]["id"] == target and i["opportunity"]["title"].endswith("(edited)") for i in items
                ):
                    break
                time.sleep(0.05)
            out.append(time.perf_counter() - started)
            if len(out) == 3:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--survivors", type=int, default=300)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep-database", action="store_true", help="do not drop the scratch database")
    args = parser.parse_args()
    for name in ("alembic", "httpx", "onward"):
        logging.getLogger(name).setLevel(logging.WARNING)
    print(machine())

    from tests.support.db import create_database, drop_database, migrate
    from tests.support.servers import start_web_process

    name = f"onward_bench_matches_{os.getpid()}"
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    asyncio.run(create_database(name))
    server = None
    try:
        started = time.perf_counter()
        migrate(url)
        steps = {"create + migrate database": time.perf_counter() - started}
        email, ids, seeded = asyncio.run(seed(url, args.opportunities, args.survivors, args.seed))
        steps |= seeded
        with tempfile.TemporaryDirectory(prefix="onward-bench-") as folder:
            server = start_web_process(
                {"ONWARD_DATABASE_URL": url, "ONWARD_VAR_DIR": folder, "ONWARD_LOG_LEVEL": "WARNING"}, Path(folder)
            )
            result = measure(server.base_url, email, ids, args.requests, random.Random(args.seed))
            after_edit = edit_visible_after(server.base_url, url, email, ids[1:])
            server.stop()
            server = None
    finally:
        if server is not None:
            server.stop()
        if args.keep_database:
            print(f"kept database {url}")
        else:
            asyncio.run(drop_database(name))

    times = result["times"]
    rows = [
        *((step, f"{seconds:.1f} s") for step, seconds in steps.items()),
        ("server", "uvicorn service.asgi:create_app --factory, 1 worker, 127.0.0.1 (real HTTP, keep-alive)"),
        (
            "warm-up request",
            f"{result['warm-up (taxonomy + similarity + index build)']:.1f} s "
            "(taxonomy + skill similarity + index build)",
        ),
        ("GET /api/auth/me p50 (floor)", f"{pct(result['floor'], 50):.2f} ms"),
        ("requests timed", f"{len(times)} over {len(ids)} survivors, limit=20"),
        (
            "suggestions per request (mean)",
            f"{np.mean(result['sizes']):.1f}  ({result['bundles']} bundles, "
            f"{result['empty']} empty answers with reasons)",
        ),
        ("matches p50 / p95 / max", f"{pct(times, 50):.1f} / {pct(times, 95):.1f} / {pct(times, 100):.1f} ms"),
        (
            "listing edit visible in suggestions after",
            " / ".join(f"{seconds * 1000:.0f}" for seconds in after_edit)
            + " ms (background check at most once a second, incremental catch-up, no rebuild)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(f"api matches p50 {pct(times, 50):.1f} ms p95 {pct(times, 95):.1f} ms at N={args.opportunities}")


if __name__ == "__main__":
    main()
