"""Short worker drills on PostgreSQL (SECURITY R2, R3, R4): real `onward worker` subprocesses,
a real SMTP sink. The full drills (1,000 follow-ups, 50 kills) are `python bench/drill_worker.py`.

Delivery is at-least-once with a stable Message-ID: every expected Message-ID must arrive;
raw repeats (a kill between the relay's acceptance and the `sent` mark) are reported, not
hidden, and must stay rare.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.db import reset_postgres

ROOT = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("drill_worker", ROOT / "bench" / "drill_worker.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["drill_worker"] = module
    spec.loader.exec_module(module)
    return module


drills = _bench()


@pytest.fixture
async def drill(postgres_url: str, tmp_path: Path) -> AsyncIterator[object]:
    await reset_postgres(postgres_url)
    sink, controller, port = drills.start_sink()
    made = drills.Drill(postgres_url, sink, port, tmp_path)
    await made.seed_people(survivors=10)
    yield made
    await made.close()
    controller.stop()


def _assert_complete(result: object) -> None:
    print(drills.table([result]))
    assert result.lost == 0, result  # type: ignore[attr-defined]
    assert result.duplicate_results == 0, result  # type: ignore[attr-defined]
    assert result.emails_missing == 0, result  # type: ignore[attr-defined]
    assert result.dropped == 0, result  # type: ignore[attr-defined]
    assert result.emails_delivered == result.emails_expected > 0, result  # type: ignore[attr-defined]
    assert result.raw_repeats <= 2, result  # type: ignore[attr-defined]


async def test_killed_workers_lose_nothing(drill: object) -> None:
    result = await drills.crash_drill(drill, 60, kills=3)
    _assert_complete(result)


async def test_two_workers_process_each_followup_once(drill: object) -> None:
    result = await drills.parallel_drill(drill, 150, workers=2)
    _assert_complete(result)
    assert result.raw_repeats == 0


async def test_after_downtime_every_overdue_followup_is_processed_or_escalated(drill: object) -> None:
    result = await drills.downtime_drill(drill, 80)
    _assert_complete(result)
    assert 25 <= result.late <= 55  # due over the past hour, late threshold 30 min


def test_the_drill_module_is_importable_without_a_database() -> None:
    assert asyncio.iscoroutinefunction(drills.crash_drill)
