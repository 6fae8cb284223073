"""The backup the compose service takes can be restored with the README's command: a dump by
deploy/backup.sh, restored by deploy/restore.sh into an empty database, holds her record
(readable with the same key) and keeps the audit trail append-only."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from pathlib import Path

import asyncpg
import pytest

from service.db.config import build_alchemy_config
from service.domain.survivors.models import Survivor
from service.settings import DatabaseSettings
from tests.support.db import create_database, drop_database
from tests.support.factories import Factory
from tests.support.tools import require_tool

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str, database: str, *args: str, backup_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "PGUSER": "postgres",
        "PGDATABASE": database,
        "ONWARD_BACKUP_DIR": str(backup_dir),
    }
    return subprocess.run(
        ["sh", str(ROOT / "deploy" / name), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _dumps(folder: Path) -> tuple[list[Path], list[Path]]:
    return list(folder.glob("onward-*.dump")), list(folder.glob("*.partial"))


async def test_a_backup_restores_into_an_empty_database(
    database_url: str, backend: str, factory: Factory, tmp_path: Path
) -> None:
    if backend != "postgres":
        pytest.skip("the backup service dumps PostgreSQL; SQLite has no backup service")
    require_tool("pg_dump", "Debian's postgresql-client")
    survivor = await factory.survivor(await factory.org(), notes="kept across the restore")
    source = database_url.rsplit("/", 1)[1]
    backup = await asyncio.to_thread(_script, "backup.sh", source, backup_dir=tmp_path)
    assert backup.returncode == 0, backup.stderr
    [dump], partial = await asyncio.to_thread(_dumps, tmp_path)
    assert partial == []

    target = f"onward_restore_{uuid.uuid4().hex[:8]}"
    await create_database(target)
    try:
        restore = await asyncio.to_thread(_script, "restore.sh", target, str(dump), backup_dir=tmp_path)
        assert restore.returncode == 0, restore.stderr
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{target}"
        config = build_alchemy_config(DatabaseSettings(url=url))
        async with config.get_session() as db:
            restored = await db.get(Survivor, survivor.id)
            assert restored is not None and restored.notes == "kept across the restore"
        await config.get_engine().dispose()
        connection = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{target}")
        try:
            await connection.execute(
                "INSERT INTO audit_event (id, at, action, object_type, outcome) "
                "VALUES (gen_random_uuid(), now(), 'probe', 'test', 'ok')"
            )
            with pytest.raises(asyncpg.PostgresError):
                await connection.execute("DELETE FROM audit_event")
        finally:
            await connection.close()
    finally:
        await drop_database(target)
