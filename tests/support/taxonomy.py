"""A tiny ESCO export in the official CSV layout, written into a test's folder.

Two languages (en plain, de gzipped), a relations file, both broader files, a hierarchy file
with a short row (as the official one has) and the multilingual label file.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.db.config import build_alchemy_config
from service.settings import DatabaseSettings
from skills.models import TaxonomyBroader, TaxonomyConcept, TaxonomyLabel, TaxonomyOccupationSkill

ESCO = "http://data.europa.eu/esco"
CLEANER = f"{ESCO}/occupation/11111111-0000-4000-8000-000000000001"
COOK = f"{ESCO}/occupation/11111111-0000-4000-8000-000000000002"
CLEAN = f"{ESCO}/skill/22222222-0000-4000-8000-000000000001"
VACUUM = f"{ESCO}/skill/22222222-0000-4000-8000-000000000002"
WINDOWS = f"{ESCO}/skill/22222222-0000-4000-8000-000000000003"
COOKING = f"{ESCO}/skill/22222222-0000-4000-8000-000000000004"
GROUP = f"{ESCO}/skill/33333333-0000-4000-8000-000000000001"
ISCO_9112 = f"{ESCO}/isco/C9112"
ISCO_911 = f"{ESCO}/isco/C911"

SKILL_HEADER = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
                "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"]  # fmt: skip
OCC_HEADER = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status",
              "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description", "code"]  # fmt: skip


def _skill(uri: str, label: str, alts: str = "", skill_type: str = "skill/competence") -> list[str]:
    return ["KnowledgeSkillCompetence", uri, skill_type, "", label, alts, "", "released", "", "", "", "", ""]


def _occupation(uri: str, isco: str, label: str, alts: str = "") -> list[str]:
    return ["Occupation", uri, isco, label, alts, "", "released", "", "", "", "", "", "", ""]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write(path: Path, text: str) -> None:
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")


def write_export(folder: Path, cleaner_alt: str = "cleaning lady\nhouse cleaner") -> Path:
    """The small export; ``cleaner_alt`` lets a test change a label between imports."""
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "skills_en.csv", csv_text(SKILL_HEADER, [
        _skill(CLEAN, "clean rooms", "tidy rooms\nclean bedrooms"),
        _skill(VACUUM, "vacuum surfaces", "hoover"),
        _skill(WINDOWS, "clean glass surfaces", "clean windows"),
        _skill(COOKING, "use cooking techniques", "cook", "skill/competence"),
    ]))  # fmt: skip
    write(folder / "skills_de.csv.gz", csv_text(SKILL_HEADER, [
        _skill(CLEAN, "Räume reinigen", "Zimmer putzen"),
        _skill(VACUUM, "Staubsaugen", ""),
    ]))  # fmt: skip
    write(folder / "occupations_en.csv", csv_text(OCC_HEADER, [
        _occupation(CLEANER, "9112", "domestic cleaner", cleaner_alt),
        _occupation(COOK, "5120", "cook", "chef"),
    ]))  # fmt: skip
    write(folder / "occupations_de.csv.gz", csv_text(OCC_HEADER, [
        _occupation(CLEANER, "9112", "Reinigungskraft", "Putzkraft\nRaumpfleger/Raumpflegerin"),
    ]))  # fmt: skip
    write(folder / "occupationSkillRelations_en.csv.gz", csv_text(
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [[CLEANER, "essential", "skill/competence", CLEAN], [CLEANER, "essential", "skill/competence", VACUUM],
         [CLEANER, "optional", "skill/competence", WINDOWS], [COOK, "essential", "skill/competence", COOKING]],
    ))  # fmt: skip
    write(folder / "broaderRelationsSkillPillar_en.csv", csv_text(
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["KnowledgeSkillCompetence", VACUUM, "KnowledgeSkillCompetence", CLEAN],
         ["KnowledgeSkillCompetence", CLEAN, "SkillGroup", GROUP]],
    ))  # fmt: skip
    write(folder / "broaderRelationsOccPillar_en.csv", csv_text(
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["Occupation", CLEANER, "ISCOGroup", ISCO_9112], ["ISCOGroup", ISCO_9112, "ISCOGroup", ISCO_911]],
    ))  # fmt: skip
    # The official hierarchy file omits trailing empty fields in some rows: keep one short row.
    hierarchy = csv_text(
        ["Level 0 URI", "Level 0 preferred term", "Level 1 URI", "Level 1 preferred term", "Level 2 URI",
         "Level 2 preferred term", "Level 3 URI", "Level 3 preferred term", "Description", "Scope note",
         "Level 0 code", "Level 1 code", "Level 2 code", "Level 3 code"],
        [[GROUP, "cleaning skills", "", "", "", "", "", "", "", "", "S6"]],
    )  # fmt: skip
    write(folder / "skillsHierarchy_en.csv", hierarchy)
    write(folder / "occupation_labels_multilingual.csv.gz", csv_text(
        ["conceptUri", "language", "label", "labelType"],
        [[CLEANER, "it", "addetta alle pulizie", "preferredLabel"], [CLEANER, "it", "colf", "altLabel"],
         [CLEANER, "en", "domestic cleaner (old)", "preferredLabel"], [ISCO_9112, "it", "pulitori", "preferredLabel"]],
    ))  # fmt: skip
    (folder / "README.md").write_text("not an ESCO file\n")
    return folder


@asynccontextmanager
async def session_for(url: str) -> AsyncIterator[AsyncSession]:
    alchemy = build_alchemy_config(DatabaseSettings(url=url))
    try:
        async with alchemy.get_session() as db:
            yield db
    finally:
        await alchemy.get_engine().dispose()


async def counts(db: AsyncSession) -> dict[str, int]:
    """Rows per taxonomy table."""
    result = {}
    for name, model in (
        ("concepts", TaxonomyConcept),
        ("labels", TaxonomyLabel),
        ("relations", TaxonomyOccupationSkill),
        ("broader", TaxonomyBroader),
    ):
        result[name] = int(await db.scalar(select(func.count()).select_from(model)) or 0)
    return result


async def labels_of(db: AsyncSession, uri: str, lang: str) -> dict[str, str]:
    rows = await db.execute(
        select(TaxonomyLabel.label, TaxonomyLabel.label_type).where(
            TaxonomyLabel.concept_uri == uri, TaxonomyLabel.lang == lang
        )
    )
    return {label: label_type for label, label_type in rows}
