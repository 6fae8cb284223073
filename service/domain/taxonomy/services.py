"""The taxonomy index of this process, kept in step with the database.

One :class:`~skills.taxonomy.TaxonomyIndex` per database and process, built lazily from the
taxonomy tables on first use and rebuilt when the generation row (bumped by every import and
starter load, in any process) no longer matches. Reading the generation is one primary-key
lookup per request; building runs in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import anyio.to_thread
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from sqlalchemy import FromClause, Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import User
from service.kernel.actor import Actor
from service.kernel.audit import record
from skills.esco import ImportSummary, import_esco
from skills.models import (
    TaxonomyBroader,
    TaxonomyConcept,
    TaxonomyLabel,
    TaxonomyOccupationSkill,
    read_stamp,
)
from skills.normalise_records import Kind
from skills.taxonomy import Concept, StoredLabel, Suggestion, TaxonomyIndex


@dataclass
class _Holder:
    index: TaxonomyIndex | None = None
    # One lock per event loop: tests and CLIs run several loops in one process over time.
    locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    def lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if loop not in self.locks:
            self.locks[loop] = asyncio.Lock()
        return self.locks[loop]


_HOLDERS: dict[str, _Holder] = {}


def _settle() -> None:
    """Move the freshly built index out of the garbage collector's sight.

    The full ESCO index is millions of long-lived objects; without this, every full collection
    walks all of them and stalls whichever request triggers it by tens of milliseconds. (No
    ``gc.collect()`` first: it would finalise unrelated objects at an arbitrary moment.)
    """
    gc.freeze()


def _database_key(db: AsyncSession) -> str:
    return db.get_bind().engine.url.render_as_string(hide_password=True)


async def load_index(db: AsyncSession, generation: str) -> TaxonomyIndex:
    """Read every taxonomy row and build a fresh index (search indexes are built later)."""

    async def rows(table: FromClause, *names: str) -> Sequence[Row[Any]]:
        # Core columns, not ORM attributes: half a million label rows skip the ORM's loading.
        return (await db.execute(select(*(table.c[name] for name in names)))).all()

    concept_rows = await rows(
        TaxonomyConcept.__table__,
        "uri",
        "kind",
        "code",
        "isco_group",
        "skill_type",
        "language",
    )
    concepts = [Concept(*row) for row in concept_rows]
    labels = await rows(TaxonomyLabel.__table__, "concept_uri", "lang", "label", "label_type", "source")
    relations = await rows(
        TaxonomyOccupationSkill.__table__,
        "occupation_uri",
        "skill_uri",
        "relation",
        "source",
    )
    broader = await rows(TaxonomyBroader.__table__, "concept_uri", "broader_uri")
    # Rows are tuples in the shapes the index expects (StoredLabel, (occ, skill, relation, source), pairs).
    index = await anyio.to_thread.run_sync(
        TaxonomyIndex,
        generation,
        concepts,
        cast("list[StoredLabel]", labels),
        cast("list[tuple[str, str, str, str]]", relations),
        cast("list[tuple[str, str]]", broader),
    )
    _settle()
    return index


async def current_index(db: AsyncSession) -> TaxonomyIndex:
    """This process's index for ``db``'s database, rebuilt if an import changed the taxonomy."""
    holder = _HOLDERS.setdefault(_database_key(db), _Holder())
    generation = await read_stamp(db)
    if holder.index is not None and holder.index.generation == generation:
        return holder.index
    async with holder.lock():
        if holder.index is None or holder.index.generation != generation:
            holder.index = await load_index(db, generation)
    return holder.index


async def searchable(index: TaxonomyIndex, lang: str) -> TaxonomyIndex:
    """Make sure the search index of ``lang`` exists, building it off the event loop."""
    if not index.is_built(lang):
        await anyio.to_thread.run_sync(index.normaliser, lang)
        _settle()
    return index


async def suggest(
    index: TaxonomyIndex, texts: list[str], lang: str, kind: Kind | None, limit: int, min_confidence: float
) -> list[list[Suggestion]]:
    """Ranked concepts per text in ``lang`` (English labels when ``lang`` has no match)."""
    await searchable(index, index.search_language(lang, kind))
    return index.suggest_many(texts, lang, kind=kind, limit=limit, min_confidence=min_confidence)


async def caller_language(db: AsyncSession, actor: Actor) -> str:
    """The language the caller chose for her account (ISO 639-1), English by default."""
    locale = await db.scalar(select(User.locale).where(User.id == actor.user_id))
    return (locale or "en").split("-")[0].split("_")[0].lower()


async def import_esco_folder(
    alchemy: SQLAlchemyAsyncConfig, folder: Path, languages: list[str] | None = None, progress: bool = False
) -> ImportSummary:
    """Run one ESCO import in one transaction, with its audit row; committed only if all went well."""
    async with alchemy.get_session() as db:
        try:
            summary = await import_esco(db, folder, languages or None, progress=progress)
            await record(
                db,
                None,
                "taxonomy.import_esco",
                "taxonomy",
                str(summary.generation),
                detail=f"concepts={summary.concepts} labels={summary.labels} relations={summary.relations}",
            )
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
    return summary


async def warm_up(alchemy: SQLAlchemyAsyncConfig, languages: list[str]) -> TaxonomyIndex:
    """Build the index and the search indexes of ``languages`` now (e.g. in an app lifespan),
    so the first requests do not wait for them."""
    async with alchemy.get_session() as db:
        index = await current_index(db)
    for lang in languages:
        await searchable(index, lang)
    return index
