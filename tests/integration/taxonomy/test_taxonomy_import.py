"""The ESCO importer against real databases (SQLite and PostgreSQL, from the shared fixtures)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from skills.esco import EscoFormatError, import_esco
from skills.models import read_generation
from skills.starter import load_starter
from tests.support.taxonomy import (
    CLEAN,
    CLEANER,
    COOK,
    COOKING,
    GROUP,
    SKILL_HEADER,
    VACUUM,
    WINDOWS,
    counts,
    csv_text,
    labels_of,
    session_for,
    write,
    write_export,
)


async def _import(url: str, folder: Path) -> None:
    async with session_for(url) as db:
        await import_esco(db, folder)
        await db.commit()


async def test_import_reads_plain_and_gzipped_files_in_two_languages(database_url: str, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "esco")
    await _import(database_url, folder)
    async with session_for(database_url) as db:
        assert await labels_of(db, CLEAN, "en") == {
            "clean rooms": "preferred",
            "tidy rooms": "alternative",
            "clean bedrooms": "alternative",
        }
        assert await labels_of(db, CLEAN, "de") == {"Räume reinigen": "preferred", "Zimmer putzen": "alternative"}
        assert (await labels_of(db, CLEANER, "de"))["Reinigungskraft"] == "preferred"
        assert (await labels_of(db, CLEANER, "it")) == {"addetta alle pulizie": "preferred", "colf": "alternative"}
        # The multilingual file's older English name stays searchable but is not a second preferred label.
        assert (await labels_of(db, CLEANER, "en"))["domestic cleaner (old)"] == "alternative"
        assert (await labels_of(db, GROUP, "en")) == {"cleaning skills": "preferred"}
        assert await counts(db) == {"concepts": 10, "labels": 25, "relations": 4, "broader": 5}
        assert await read_generation(db) == 1


async def test_reimport_updates_labels_and_never_duplicates(database_url: str, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "esco")
    await _import(database_url, folder)
    async with session_for(database_url) as db:
        first = await counts(db)
    await _import(database_url, folder)
    async with session_for(database_url) as db:
        assert await counts(db) == first
    write_export(folder, cleaner_alt="cleaning lady\nhousekeeping cleaner")
    await _import(database_url, folder)
    async with session_for(database_url) as db:
        labels = await labels_of(db, CLEANER, "en")
        assert "housekeeping cleaner" in labels and "house cleaner" not in labels
        assert await counts(db) == first
        assert await read_generation(db) == 3


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "occupationSkillRelations_en.csv",
            "occupationUri,relationType,skillType,skillUri\r\n"
            f"{CLEANER},essential,skill/competence,{CLEAN}\r\n"
            f"{CLEANER},essential,skill/competence,{VACUUM}\r\n"
            f"{COOK},sometimes,skill/competence,{COOKING}\r\n",
            "occupationSkillRelations_en.csv, line 4: relationType",
        ),
        (
            "skills_fr.csv.gz",
            csv_text(SKILL_HEADER, [["KnowledgeSkillCompetence", CLEAN, "skill", "", "nettoyer", "a\nb"] + [""] * 7])
            + f'KnowledgeSkillCompetence,{WINDOWS},skill,,"vitres,,,,,,,,\r\n',
            "skills_fr.csv.gz, line 4: malformed CSV",
        ),
        (
            "skills_it.csv",
            csv_text(SKILL_HEADER, [["KnowledgeSkillCompetence", "not-a-uri", "skill", "", "pulire"] + [""] * 8]),
            "skills_it.csv, line 2: conceptUri must be a concept URI",
        ),
        (
            "skills_es.csv",
            csv_text(SKILL_HEADER, [["KnowledgeSkillCompetence", CLEAN, "skill", "", "limpiar"] + [""] * 9]),
            "skills_es.csv, line 2: expected 13 fields, found 14",
        ),
    ],
)
async def test_malformed_file_is_named_with_its_line_and_nothing_is_written(
    database_url: str, tmp_path: Path, name: str, text: str, where: str
) -> None:
    folder = write_export(tmp_path / "esco")
    (folder / "occupationSkillRelations_en.csv.gz").unlink()
    write(folder / name, text)
    async with session_for(database_url) as db:
        with pytest.raises(EscoFormatError) as caught:
            await import_esco(db, folder)
        await db.rollback()
    assert where in str(caught.value)
    async with session_for(database_url) as db:
        assert await counts(db) == {"concepts": 0, "labels": 0, "relations": 0, "broader": 0}
        assert await read_generation(db) == 0


async def test_corrupt_gzip_is_an_error_naming_the_file(database_url: str, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "esco")
    raw = (folder / "skills_de.csv.gz").read_bytes()
    (folder / "skills_de.csv.gz").write_bytes(raw[: len(raw) // 2])
    async with session_for(database_url) as db:
        with pytest.raises(EscoFormatError, match=r"skills_de\.csv\.gz, line \d+: unreadable"):
            await import_esco(db, folder)


async def test_an_import_extends_the_starter_and_keeps_its_rows(database_url: str, tmp_path: Path) -> None:
    async with session_for(database_url) as db:
        assert await load_starter(db)
        await db.commit()
        before = await counts(db)
    await _import(database_url, write_export(tmp_path / "esco"))
    async with session_for(database_url) as db:
        after = await counts(db)
        # "Reinigungskraft" is in the starter for the real domestic cleaner concept.
        starter_cleaner = "http://data.europa.eu/esco/occupation/cbad55a4-c7cf-4ab6-9540-eac72b26729b"
        assert "Reinigungskraft" in await labels_of(db, starter_cleaner, "de")
    assert after["labels"] == before["labels"] + 25
    assert after["relations"] == before["relations"] + 4


def test_gzip_helper_writes_what_the_importer_reads(tmp_path: Path) -> None:
    path = tmp_path / "x.csv.gz"
    write(path, "a,b\r\n1,2\r\n")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        assert handle.read() == "a,b\r\n1,2\r\n"


async def test_a_language_filter_imports_only_those_labels(database_url: str, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "esco")
    async with session_for(database_url) as db:
        summary = await import_esco(db, folder, languages=["en"])
        await db.commit()
        assert "skills_de.csv.gz" in summary.skipped
        assert await labels_of(db, CLEAN, "de") == {}
        assert await labels_of(db, CLEANER, "it") == {}
        assert (await labels_of(db, CLEANER, "en"))["domestic cleaner"] == "preferred"
        assert (await counts(db))["relations"] == 4
