"""Synthetic opportunities and survivors built on the real ESCO taxonomy (benchmarks only).

Reads the ESCO CSVs in place (never copied into the repo). Occupations, their essential and
optional skills and the skill hierarchy are real; places, hours, pay and people are drawn from a
seeded generator with shapes chosen to look like the caseload: most jobs in service, elementary,
craft and operator groups, a local language at A2-B1, part of the week free, many mothers.
"""

from __future__ import annotations

import csv
import gzip
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matching.schedule import week_from_ranges
from matching.similarity import SkillSimilarity, build_skill_similarity
from matching.types import (
    AgeRange,
    Cefr,
    Child,
    Goals,
    LanguageClass,
    LanguageRequirement,
    Opportunity,
    Pay,
    RightToWork,
    Safety,
    SurvivorProfile,
)

ESCO_DIR = Path("/work/shared/data/esco")
TODAY = date(2026, 11, 30)
SECTORS = {
    "1": "management",
    "2": "professional",
    "3": "technical",
    "4": "clerical",
    "5": "services and sales",
    "6": "agriculture",
    "7": "crafts and trades",
    "8": "machine operation",
    "9": "elementary work",
}
# ISCO major groups weighted towards the entry routes a caseload actually takes
GROUP_WEIGHT = {"1": 0.2, "2": 0.5, "3": 1.0, "4": 2.0, "5": 4.0, "6": 1.0, "7": 3.0, "8": 2.0, "9": 4.0}
CITIES = [
    (52.52, 13.40),
    (53.55, 9.99),
    (48.14, 11.58),
    (50.94, 6.96),
    (50.11, 8.68),
    (48.78, 9.18),
    (51.23, 6.78),
    (51.34, 12.37),
    (51.51, 7.47),
    (51.46, 7.01),
    (53.08, 8.80),
    (51.05, 13.74),
]
REGIONS = [f"DE-R{i:02d}" for i in range(len(CITIES))]
HOME_LANGUAGES = ["ro", "bg", "uk", "ar", "es", "tl", "yo", "vi", "hu", "ti"]
LOCAL = "de"
CEFR: list[Cefr] = ["A1", "A2", "B1", "B2", "C1", "C2"]


@dataclass
class Esco:
    """The parts of ESCO the benchmarks need, keyed by URI."""

    occupations: dict[str, tuple[str, str]]  # uri -> (label, ISCO major group digit)
    essential: dict[str, list[str]] = field(default_factory=dict)
    optional: dict[str, list[str]] = field(default_factory=dict)
    skill_labels: dict[str, str] = field(default_factory=dict)
    broader: list[tuple[str, str]] = field(default_factory=list)

    def similarity(self) -> SkillSimilarity:
        """Skill similarity from hierarchy and occupation co-occurrence."""
        rows = [(o, s, "essential") for o, ss in self.essential.items() for s in ss]
        rows += [(o, s, "optional") for o, ss in self.optional.items() for s in ss]
        return build_skill_similarity(self.broader, rows)


def load_esco(directory: Path = ESCO_DIR) -> Esco:
    """Read occupations, occupation-skill relations, skill labels and the skill hierarchy."""
    with open(directory / "occupations_en.csv", encoding="utf-8", newline="") as fh:
        occupations = {r["conceptUri"]: (r["preferredLabel"], r["iscoGroup"][:1]) for r in csv.DictReader(fh)}
    esco = Esco(occupations)
    relations = directory / "occupationSkillRelations_en.csv.gz"
    with gzip.open(relations, "rt", encoding="utf-8", newline="") as fh:
        essential: defaultdict[str, list[str]] = defaultdict(list)
        optional: defaultdict[str, list[str]] = defaultdict(list)
        for r in csv.DictReader(fh):
            kind = essential if r["relationType"] == "essential" else optional
            kind[r["occupationUri"]].append(r["skillUri"])
    esco.essential, esco.optional = dict(essential), dict(optional)
    with open(directory / "skills_en.csv", encoding="utf-8", newline="") as fh:
        esco.skill_labels = {r["conceptUri"]: r["preferredLabel"] for r in csv.DictReader(fh)}
    with open(directory / "broaderRelationsSkillPillar_en.csv", encoding="utf-8", newline="") as fh:
        esco.broader = [(r["conceptUri"], r["broaderUri"]) for r in csv.DictReader(fh)]
    return esco


def _shift(rng: random.Random) -> bytes:
    pattern = rng.choices(["day", "morning", "evening", "night", "weekend"], [5, 2, 2, 1, 1])[0]
    if pattern == "day":
        return week_from_ranges((d, "08:00", "16:00") for d in range(5))
    if pattern == "morning":
        return week_from_ranges((d, "08:00", "12:30") for d in range(5))
    if pattern == "evening":
        return week_from_ranges((d, "16:00", "21:30") for d in rng.sample(range(6), 4))
    if pattern == "night":
        return week_from_ranges((d, "22:00", "06:00") for d in range(4))
    return week_from_ranges((d, "09:00", "18:00") for d in (4, 5, 6))


def _sessions(rng: random.Random) -> bytes:
    days = rng.choice([(1, 3), (0, 2), (2, 4), (5,), (0, 2, 4)])
    start = rng.choice(["09:00", "13:00", "17:30", "18:00"])
    end = {"09:00": "11:00", "13:00": "15:00", "17:30": "19:30", "18:00": "20:00"}[start]
    return week_from_ranges((d, start, end) for d in days)


def _place(rng: random.Random) -> tuple[str, float, float]:
    city = rng.randrange(len(CITIES))
    lat, lon = CITIES[city]
    return REGIONS[city], lat + rng.gauss(0, 0.06), lon + rng.gauss(0, 0.09)


def synthetic_catalogue(esco: Esco, n: int, seed: int = 7) -> list[Opportunity]:
    """``n`` opportunities: ~60% jobs, 14% courses, 10% language classes, 16% childcare places."""
    rng = random.Random(seed)
    occ = [u for u in esco.occupations if u in esco.essential]
    weights = [GROUP_WEIGHT.get(esco.occupations[u][1], 0.5) for u in occ]
    kinds = rng.choices(["job", "course", "language_class", "childcare"], [60, 14, 10, 16], k=n)
    out = []
    for i, kind in enumerate(kinds):
        region, lat, lon = _place(rng)
        common: dict[str, Any] = dict(
            id=f"opp-{i:06d}",
            kind=kind,
            partner_id=f"partner-{rng.randrange(n // 20 + 1)}",
            partner_vetted=rng.random() < 0.95,
            status="published" if rng.random() < 0.92 else "draft",
            region=region,
            lat=lat,
            lon=lon,
            capacity_left=rng.choice([0, 1, 1, 2, 3, 5]),
            start_date=TODAY + timedelta(days=rng.randint(-30, 90)),
        )
        if kind in ("job", "course"):
            uri = rng.choices(occ, weights)[0]
            label, group = esco.occupations[uri]
            ess, opt = esco.essential[uri], esco.optional.get(uri, [])
            langs = [LanguageRequirement(LOCAL, rng.choices(CEFR[:5], [1, 4, 5, 2, 1])[0])]
            if rng.random() < 0.15:
                langs.append(LanguageRequirement("en", rng.choice(CEFR[1:4])))
            common |= dict(occupation_uri=uri, sector=SECTORS.get(group), languages=tuple(langs), title=label)
            if kind == "job":
                # a posting names a handful of the occupation's skills, not its full ESCO profile
                out.append(
                    Opportunity(
                        **common,
                        essential_skills=tuple(rng.sample(ess, min(len(ess), rng.randint(4, 12)))),
                        optional_skills=tuple(rng.sample(opt, min(len(opt), rng.randint(0, 8)))),
                        schedule=_shift(rng),
                        women_only=rng.random() < 0.1,
                        pay=Pay(round(rng.uniform(1100, 3200), 2), "EUR"),
                        contract="informal" if rng.random() < 0.05 else "formal",
                    )
                )
            else:
                out.append(
                    Opportunity(
                        **common,
                        essential_skills=tuple(rng.sample(ess, min(len(ess), rng.randint(0, 3)))),
                        optional_skills=tuple(rng.sample(ess + opt, min(len(ess + opt), rng.randint(3, 8)))),
                        schedule=_sessions(rng),
                        course_level=rng.randint(1, 4),
                    )
                )
        elif kind == "language_class":
            lo = rng.choices(range(4), [3, 4, 3, 1])[0]
            lang = LOCAL if rng.random() < 0.85 else "en"
            out.append(
                Opportunity(
                    **common,
                    title=f"{lang} {CEFR[lo]}-{CEFR[lo + 1]}",
                    schedule=_sessions(rng),
                    language_class=LanguageClass(lang, CEFR[lo], CEFR[lo + 1]),
                )
            )
        else:
            ages = rng.choice([(0, 3), (1, 6), (3, 6), (6, 12), (0, 12)])
            hours = rng.choice([("07:00", "17:00"), ("07:30", "18:30"), ("06:00", "22:00")])
            days = range(rng.choice([5, 6]))
            out.append(
                Opportunity(
                    **common,
                    title=f"childcare {ages[0]}-{ages[1]}",
                    childcare=AgeRange(*ages),
                    schedule=week_from_ranges((d, *hours) for d in days),
                )
            )
    return out


def synthetic_survivors(esco: Esco, n: int, seed: int = 11) -> list[SurvivorProfile]:
    """``n`` survivor profiles with past work in a real occupation and realistic constraints."""
    rng = random.Random(seed)
    occ = [u for u in esco.occupations if u in esco.essential]
    weights = [GROUP_WEIGHT.get(esco.occupations[u][1], 0.5) for u in occ]
    out = []
    for i in range(n):
        past = rng.choices(occ, weights)[0]
        pool = esco.essential[past] + esco.optional.get(past, [])
        skills = {s: rng.randint(1, 4) for s in rng.sample(pool, min(len(pool), rng.randint(3, 10)))}
        home = rng.randrange(len(CITIES))
        lat, lon = CITIES[home][0] + rng.gauss(0, 0.05), CITIES[home][1] + rng.gauss(0, 0.08)
        local = rng.choices(["A1", "A2", "B1", "B2"], [3, 4, 3, 1])[0]
        languages = {rng.choice(HOME_LANGUAGES): "native", LOCAL: local}
        if rng.random() < 0.4:
            languages["en"] = rng.choice(["A2", "B1", "B2"])
        availability = rng.choice(
            [
                [(d, "07:00", "19:00") for d in range(5)],
                [(d, "08:00", "13:00") for d in range(6)],
                [(d, "06:00", "23:00") for d in range(7)],
                [(d, "15:00", "22:00") for d in range(6)],
            ]
        )
        children = tuple(Child(rng.randint(0, 15)) for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])))
        permit = rng.random()
        rtw = (
            RightToWork("residence", None)
            if permit < 0.6
            else RightToWork("temporary", TODAY + timedelta(days=rng.randint(10, 400)))
            if permit < 0.9
            else RightToWork(None, None)
        )
        targets = tuple(rng.sample(occ, 2)) if rng.random() < 0.7 else ()
        out.append(
            SurvivorProfile(
                id=f"surv-{i:05d}",
                home_lat=lat,
                home_lon=lon,
                availability=week_from_ranges(availability),
                skills=skills,
                languages=languages,
                children=children,
                right_to_work=rtw,  # type: ignore[arg-type]
                safety=Safety(
                    exclusion_regions=frozenset(rng.sample(REGIONS, rng.choice([0, 0, 1, 2]))),
                    women_only=rng.random() < 0.25,
                    no_night_work=rng.random() < 0.5,
                    max_commute_minutes=rng.choice([30, 45, 60, 75, 90]),
                    travel_mode=rng.choices(["walk", "transit", "car"], [1, 6, 1])[0],  # type: ignore[arg-type]
                ),
                goals=Goals(
                    target_occupations=targets + ((past,) if rng.random() < 0.5 else ()),
                    sectors=(SECTORS[esco.occupations[past][1]],) if esco.occupations[past][1] in SECTORS else (),
                    monthly_income_target=rng.choice([None, 1400.0, 1700.0, 2000.0, 2300.0]),
                ),
                readiness_paused=rng.random() < 0.03,
                waiting_since=TODAY - timedelta(days=rng.randint(0, 700)),
            )
        )
    return out
