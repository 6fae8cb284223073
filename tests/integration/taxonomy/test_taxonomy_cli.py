"""`onward taxonomy import-esco DIR` and `onward taxonomy load-starter`, through click.

Plain (not async) tests: the commands run their own event loop, as they do in a shell.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.commands import taxonomy_group
from service.settings import get_settings
from tests.support.taxonomy import counts, session_for, write_export


async def _counts(url: str) -> dict[str, int]:
    async with session_for(url) as db:
        return await counts(db)


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("ONWARD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def test_import_esco_reports_what_it_wrote(cli_database: str, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "esco")
    result = CliRunner().invoke(taxonomy_group, ["import-esco", str(folder), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "25 labels" in result.output and "ignored: README.md" in result.output
    assert asyncio.run(_counts(cli_database))["labels"] == 25


def test_import_esco_of_a_malformed_folder_fails_with_file_and_line(cli_database: str, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "esco")
    (folder / "skills_en.csv").write_text("conceptType,conceptUri,preferredLabel\r\nx,http://e/s,ok\r\nx,,\r\n")
    result = CliRunner().invoke(taxonomy_group, ["import-esco", str(folder), "--no-progress"])
    assert result.exit_code == 1
    assert "skills_en.csv, line 3: conceptUri must be a concept URI" in result.output
    assert "nothing was imported" in result.output
    assert asyncio.run(_counts(cli_database))["concepts"] == 0


def test_load_starter_twice(cli_database: str) -> None:
    first = CliRunner().invoke(taxonomy_group, ["load-starter"])
    second = CliRunner().invoke(taxonomy_group, ["load-starter"])
    assert first.exit_code == second.exit_code == 0
    assert first.output.strip() == "starter taxonomy loaded"
    assert second.output.strip() == "starter taxonomy already current"
