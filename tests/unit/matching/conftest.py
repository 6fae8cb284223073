"""Factories for matching tests: a small town, a week, opportunities and survivors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest

from matching.schedule import week_from_ranges
from matching.similarity import SkillSimilarity, build_skill_similarity
from matching.types import Opportunity, RightToWork, Safety, SurvivorProfile

TODAY = date(2026, 11, 30)
HOME = (52.52, 13.40)
KM_NORTH = 1 / 111.195  # degrees of latitude per km
WEEKDAYS_9_TO_17 = week_from_ranges((d, "09:00", "17:00") for d in range(5))
WEEKDAYS_7_TO_20 = week_from_ranges((d, "07:00", "20:00") for d in range(5))

SKILL = "http://data.europa.eu/esco/skill/"
COOKING, BAKING, CLEANING, DRIVING, PASTRY = (SKILL + s for s in ("cook", "bake", "clean", "drive", "pastry"))
FOOD = SKILL + "group-food"


@pytest.fixture
def town() -> SimpleNamespace:
    """Names shared by the tests: the date, her home, week shapes and skill URIs."""
    return SimpleNamespace(
        today=TODAY, home=HOME, km_north=KM_NORTH, weekdays_9_to_17=WEEKDAYS_9_TO_17,
        weekdays_7_to_20=WEEKDAYS_7_TO_20, cooking=COOKING, baking=BAKING, cleaning=CLEANING,
        driving=DRIVING, pastry=PASTRY,
    )


@pytest.fixture
def similarity() -> SkillSimilarity:
    """cook and bake sit under a food group (siblings); pastry is narrower than bake."""
    return build_skill_similarity(
        [(COOKING, FOOD), (BAKING, FOOD), (PASTRY, BAKING), (CLEANING, SKILL + "group-care")],
        [("occ/cook", COOKING, "essential"), ("occ/cook", CLEANING, "optional")],
    )


def _opportunity(**changes: Any) -> Opportunity:
    base = Opportunity(
        id="job-1",
        kind="job",
        partner_id="p1",
        partner_vetted=True,
        status="published",
        title="kitchen assistant",
        region="R1",
        lat=HOME[0] + 2 * KM_NORTH,
        lon=HOME[1],
        capacity_left=1,
        start_date=TODAY,
        schedule=WEEKDAYS_9_TO_17,
        occupation_uri="occ/cook",
        essential_skills=(COOKING,),
        contract="formal",
        sector="hospitality",
    )
    return msgspec.structs.replace(base, **changes)


def _survivor(**changes: Any) -> SurvivorProfile:
    base = SurvivorProfile(
        id="s-1",
        home_lat=HOME[0],
        home_lon=HOME[1],
        availability=WEEKDAYS_7_TO_20,
        skills={COOKING: 3},
        languages={"ro": "native", "de": "B1"},
        right_to_work=RightToWork("residence", None),
        safety=Safety(max_commute_minutes=45, travel_mode="transit"),
    )
    return msgspec.structs.replace(base, **changes)


@pytest.fixture
def make_opportunity() -> Callable[..., Opportunity]:
    """A published, vetted, formal weekday job 2 km from her home; override any field."""
    return _opportunity


@pytest.fixture
def make_survivor() -> Callable[..., SurvivorProfile]:
    """A survivor who cooks, speaks B1 German, is free 07-20 on weekdays, 45 min by transit."""
    return _survivor
