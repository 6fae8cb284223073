"""The demo network: deterministic (two loads into two databases give the same counts), and
rich enough that every report table has published numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

import service.db.models as models
from providers.models import Opportunity
from service.db.config import build_alchemy_config
from service.db.demo import load_demo
from service.domain.reports.services import GroupBy, build_report, load_facts
from tests.conftest import make_settings

COUNTED = (
    models.Organisation, models.User, models.Survivor, models.Consent, models.Referral,
    models.ReferralEvent, models.FollowUp, models.Achievement, Opportunity,
)  # fmt: skip


async def _counts(url: str) -> dict[str, int]:
    alchemy = build_alchemy_config(make_settings(url).db)
    try:
        async with alchemy.get_session() as db:
            return {
                model.__tablename__: int(await db.scalar(select(func.count()).select_from(model)) or 0)
                for model in COUNTED
            }
    finally:
        await alchemy.get_engine().dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_small_demo_is_deterministic_and_fills_every_report(database_url: str, tmp_path: Path) -> None:
    second = tmp_path / "second.db"
    shutil.copyfile(database_url.split("///", 1)[1], second)
    second_url = f"sqlite+aiosqlite:///{second}"
    printed: list[str] = []
    await load_demo(make_settings(database_url), size="small", echo=printed.append)
    await load_demo(make_settings(second_url), size="small", echo=lambda line: None)
    first_counts = await _counts(database_url)
    assert first_counts == await _counts(second_url)
    assert first_counts["survivor"] == 300 and first_counts["opportunity"] == 1500
    assert first_counts["organisation"] == 80 + 4
    assert first_counts["referral"] > 300 and first_counts["followup"] > 300
    assert any("counsellor1.berlin@demo.onward.example" in line for line in printed)

    alchemy = build_alchemy_config(make_settings(database_url).db)
    try:
        async with alchemy.get_session() as db:
            facts = await load_facts(db, None, GroupBy.ORGANISATION, None, None)
    finally:
        await alchemy.get_engine().dispose()
    report = build_report(facts, GroupBy.ORGANISATION, None, None, facts[0].intake_on.today())
    for table in report.tables:
        assert any(value is not None for row in table.cells for value in row), table.name
    assert any(stat.median_days_to_first_formal_contract is not None for stat in report.statistics)
    # Pay rises after the first month in the demo, so the income indicator shows a change.
    assert any((stat.median_monthly_income_change or 0) > 0 for stat in report.statistics)
