"""Benchmark: importing a 10,000-row listings CSV (rows per second).

Two figures per backend: the pure part (read the CSV, check every field of every row, find
near-duplicates: providers/imports.py) and the whole import as the page and API run it
(``OpportunityService.import_for``: the same, then screening and storing every row with its
audit row in one transaction). The rows are generated: the four kinds in turn, towns of the
demo regions, varied titles and weeks, so near-duplicate detection has real work to do.

    python bench/imports.py [--rows 10000] [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import sys
from pathlib import Path as _Path

sys.path.insert(0, str(_Path(__file__).resolve().parent.parent))
import argparse
import asyncio
import csv
import io
import random
import tempfile
import time
import uuid
from pathlib import Path

from bench.machine_info import describe

TOWNS = (("DE30", "Berlin"), ("DE40", "Potsdam"), ("ITC1", "Torino"), ("ITC4", "Milano"), ("FRK2", "Lyon"))
WORDS = ("kitchen", "care", "cleaning", "German", "bookkeeping", "sewing", "warehouse", "morning", "evening", "shop")
HEADER = (
    "kind,title,description,region,place_name,capacity,starts_on,schedule,hours_per_week,languages,women_only,"
    "currency,pay_amount,pay_period,contract_type,accommodation_provided,travel_abroad,costs_deducted,"
    "documents_held_by,wages_paid,cost_amount,class_language,level_from,level_to,age_min,age_max"
)


def generate(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for index in range(rows):
        kind = ("job", "course", "language_class", "childcare")[index % 4]
        region, town = rng.choice(TOWNS)
        title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {index}"
        day = rng.choice(("mon", "tue", "wed", "thu", "fri"))
        start = rng.randint(7, 14)
        schedule = f"{day} {start:02d}:00-{start + 4:02d}:00"
        job = kind == "job"
        writer.writerow(
            [
                kind, title, "A listing generated for the import benchmark.", region, town, rng.randint(1, 12),
                "2027-01-04", schedule, 20 if job else "", "de:A2" if kind != "childcare" else "", "false",
                "EUR" if job else "", 15 if job else "", "hour" if job else "", "employment" if job else "",
                "false" if job else "", "false" if job else "", "false" if job else "", "worker" if job else "",
                "bank_account" if job else "", 0 if kind == "course" else "",
                "de" if kind == "language_class" else "", "A1" if kind == "language_class" else "",
                "A2" if kind == "language_class" else "", 1 if kind == "childcare" else "",
                5 if kind == "childcare" else "",
            ]
        )  # fmt: skip
    return out.getvalue().encode()


def pure(raw: bytes, rows: int) -> float:
    from providers.imports import near_duplicates, read_csv, validate_rows

    started = time.perf_counter()
    valid, problems = validate_rows(read_csv(raw, rows), from_csv=True)
    near_duplicates(valid, [])
    elapsed = time.perf_counter() - started
    assert not problems and len(valid) == rows, problems[:3]
    return elapsed


async def whole(url: str, raw: bytes, rows: int) -> float:
    from advanced_alchemy.base import orm_registry

    import service.db.models  # noqa: F401  (every table)
    from service.db.config import build_alchemy_config
    from service.domain.accounts.models import Organisation, User
    from service.domain.opportunities.services import OpportunityService
    from service.kernel.actor import Actor
    from service.kernel.roles import Role
    from service.settings import DatabaseSettings

    alchemy = build_alchemy_config(DatabaseSettings(url=url))
    async with alchemy.get_engine().begin() as connection:
        await connection.run_sync(orm_registry.metadata.drop_all)
        await connection.run_sync(orm_registry.metadata.create_all)
    async with alchemy.get_session() as db:
        org = Organisation(name="Bench partner", kind="partner", vetting_status="vetted")
        db.add(org)
        await db.flush()
        user = User(email=f"bench-{uuid.uuid4().hex[:8]}@example.org", password_hash="x", role="partner",
                    organisation_id=org.id)  # fmt: skip
        db.add(user)
        await db.commit()
        actor = Actor(user_id=user.id, role=Role.PARTNER, organisation_id=org.id, email=user.email, via="session")
    async with alchemy.get_session() as db:
        started = time.perf_counter()
        report, ok = await OpportunityService(session=db).import_for(actor, raw, "csv", max_rows=rows)
        await db.commit()
        elapsed = time.perf_counter() - started
    assert ok and report.created == rows, report.detail
    async with alchemy.get_engine().begin() as connection:
        await connection.run_sync(orm_registry.metadata.drop_all)
    await alchemy.get_engine().dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/onward_bench_imports")
    args = parser.parse_args()
    raw = generate(args.rows)
    print(describe())
    print(f"{args.rows:,} rows, {len(raw) / 2**20:.1f} MiB of CSV")
    print(f"{'step':<48}{'seconds':>10}{'rows/s':>12}")
    seconds = pure(raw, args.rows)
    print(f"{'read + check every field + near-duplicates':<48}{seconds:>10.2f}{args.rows / seconds:>12,.0f}")
    with tempfile.TemporaryDirectory() as folder:
        seconds = asyncio.run(whole(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", raw, args.rows))
    print(f"{'whole import, SQLite (screen, store, audit)':<48}{seconds:>10.2f}{args.rows / seconds:>12,.0f}")
    try:
        asyncio.run(_create_database(args.postgres))
        seconds = asyncio.run(whole(args.postgres, raw, args.rows))
        print(f"{'whole import, PostgreSQL (screen, store, audit)':<48}{seconds:>10.2f}{args.rows / seconds:>12,.0f}")
    except OSError as error:
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); skipped")


async def _create_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


if __name__ == "__main__":
    main()
