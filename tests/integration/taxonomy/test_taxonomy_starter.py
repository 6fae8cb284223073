"""Loading the starter taxonomy: idempotent, and visible to the index."""

from __future__ import annotations

from skills.models import read_generation
from skills.starter import load_starter
from tests.support.taxonomy import counts, session_for


async def test_loading_the_starter_twice_changes_nothing_the_second_time(database_url: str) -> None:
    async with session_for(database_url) as db:
        assert await load_starter(db) is True
        await db.commit()
        first = await counts(db)
        generation = await read_generation(db)
    async with session_for(database_url) as db:
        assert await load_starter(db) is False
        await db.commit()
        assert await counts(db) == first
        assert await read_generation(db) == generation
    async with session_for(database_url) as db:
        assert await load_starter(db, force=True) is True
        await db.commit()
        assert await counts(db) == first
        assert await read_generation(db) == generation + 1
    assert first["concepts"] >= 200 and first["labels"] >= 1500 and first["relations"] >= 500


async def test_uncommitted_starter_load_leaves_nothing(database_url: str) -> None:
    async with session_for(database_url) as db:
        await load_starter(db)
        await db.rollback()
    async with session_for(database_url) as db:
        assert (await counts(db))["labels"] == 0
