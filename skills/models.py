"""The taxonomy tables: concepts, their labels, occupation -> skill links, broader links.

Concepts are keyed by their ESCO URI (a natural, stable key shared by every source). Rows that
a source contributes (labels, links) carry that source in their primary key ("esco" for the
official import, "starter" for our curated default), so each loader replaces only its own rows
and a re-import can never duplicate or clobber another source's curation. The in-memory index
merges the sources when it is built (see :mod:`skills.taxonomy`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, String, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

URI_LENGTH = 255
LABEL_LENGTH = 512
"""The longest ESCO label is about 250 characters; room to spare, still indexable in PostgreSQL."""


class TaxonomyConcept(DefaultBase):
    """An ESCO concept: occupation, skill (or knowledge), ISCO group or skill group."""

    __tablename__ = "taxonomy_concept"

    uri: Mapped[str] = mapped_column(String(URI_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    """occupation | skill | isco_group | skill_group."""
    code: Mapped[str | None] = mapped_column(String(32), default=None)
    """ISCO code of a group, or the hierarchy code of a skill group (e.g. S1.2)."""
    isco_group: Mapped[str | None] = mapped_column(String(8), default=None)
    """For an occupation: the code of its ISCO unit group."""
    skill_type: Mapped[str | None] = mapped_column(String(32), default=None)
    """For a skill: "skill/competence" or "knowledge"."""
    reuse_level: Mapped[str | None] = mapped_column(String(32), default=None)
    status: Mapped[str | None] = mapped_column(String(16), default=None)
    language: Mapped[str | None] = mapped_column(String(2), default=None)
    """For a language skill: the ISO 639-1 code of the language it is about."""


class TaxonomyLabel(DefaultBase):
    """One label of a concept in one language, as one source gives it."""

    __tablename__ = "taxonomy_label"
    __table_args__ = (Index("ix_taxonomy_label_source_lang", "source", "lang"),)

    concept_uri: Mapped[str] = mapped_column(
        String(URI_LENGTH), ForeignKey("taxonomy_concept.uri", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    label_type: Mapped[str] = mapped_column(String(12))
    """preferred | alternative | hidden."""


class TaxonomyOccupationSkill(DefaultBase):
    """An occupation needs a skill, essentially or optionally (per source)."""

    __tablename__ = "taxonomy_occupation_skill"
    __table_args__ = (Index("ix_taxonomy_occupation_skill_skill", "skill_uri"),)

    occupation_uri: Mapped[str] = mapped_column(
        String(URI_LENGTH), ForeignKey("taxonomy_concept.uri", ondelete="CASCADE"), primary_key=True
    )
    skill_uri: Mapped[str] = mapped_column(
        String(URI_LENGTH), ForeignKey("taxonomy_concept.uri", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    relation: Mapped[str] = mapped_column(String(10))
    """essential | optional."""


class TaxonomyBroader(DefaultBase):
    """``concept_uri`` is narrower than ``broader_uri`` (hierarchy edges of both pillars)."""

    __tablename__ = "taxonomy_broader"
    __table_args__ = (Index("ix_taxonomy_broader_broader", "broader_uri"),)

    concept_uri: Mapped[str] = mapped_column(
        String(URI_LENGTH), ForeignKey("taxonomy_concept.uri", ondelete="CASCADE"), primary_key=True
    )
    broader_uri: Mapped[str] = mapped_column(
        String(URI_LENGTH), ForeignKey("taxonomy_concept.uri", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(16), primary_key=True)


class TaxonomyMeta(DefaultBase):
    """Bookkeeping rows: the generation counter processes compare to notice an import.

    Key "taxonomy" holds the generation every import bumps (with a random tag in ``digest``);
    key "starter" remembers the digest of the starter data last loaded, so an unchanged starter
    is not reloaded.
    """

    __tablename__ = "taxonomy_meta"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    digest: Mapped[str | None] = mapped_column(String(64), default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


# ------------------------------------------------------------------ writing helpers
# Shared by the ESCO importer and the starter loader. They only add statements to the caller's
# transaction; committing (or rolling back) is the caller's decision.

BATCH_ROWS = 5_000
"""Rows per executemany call; batches only pace the progress bar and bound memory per call."""

TAXONOMY_KEY = "taxonomy"
STARTER_KEY = "starter"


def _insert_for(session: AsyncSession) -> Callable[[Any], Any]:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"taxonomy upserts support sqlite and postgresql, not {dialect}")


async def upsert(
    session: AsyncSession,
    model: type[DefaultBase],
    rows: Sequence[dict[str, Any]],
    update: Sequence[str] = (),
    progress: Callable[[int], object] | None = None,
) -> None:
    """Insert ``rows`` in batches; on a primary-key clash update ``update`` columns (or skip).

    Callers de-duplicate rows on the primary key first, so the result never depends on which
    duplicate came last. (Multi-row VALUES statements were tried for PostgreSQL: compiling them
    costs far more than asyncpg's pipelined executemany saves.)
    """
    if not rows:
        return
    insert = _insert_for(session)
    table = model.__table__
    keys = [column.name for column in sa_inspect(model).primary_key]
    statement = insert(table)
    if update:
        # COALESCE: a source that lacks a value (an es file has no skill type) keeps the one
        # another source gave, instead of erasing it.
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: func.coalesce(statement.excluded[name], table.c[name]) for name in update},
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    for start in range(0, len(rows), BATCH_ROWS):
        batch = rows[start : start + BATCH_ROWS]
        # executemany: the driver's batch path (sqlite3 in C, asyncpg's pipelined executemany).
        await session.execute(statement, list(batch))
        if progress is not None:
            progress(len(batch))


async def read_generation(session: AsyncSession) -> int:
    """The taxonomy generation (0 before anything was loaded)."""
    value = await session.scalar(select(TaxonomyMeta.generation).where(TaxonomyMeta.key == TAXONOMY_KEY))
    return int(value or 0)


async def read_stamp(session: AsyncSession) -> str:
    """Generation and a random tag: unlike the number alone, it also changes when a database is
    emptied and loaded again (so a cached index of the old content is never taken for current)."""
    row = (
        await session.execute(
            select(TaxonomyMeta.generation, TaxonomyMeta.digest).where(TaxonomyMeta.key == TAXONOMY_KEY)
        )
    ).first()
    return "" if row is None else f"{row[0]}:{row[1]}"


async def bump_generation(session: AsyncSession) -> int:
    """Increment the generation in the caller's transaction, so other processes rebuild."""
    generation = await read_generation(session) + 1
    await upsert(
        session,
        TaxonomyMeta,
        [{"key": TAXONOMY_KEY, "generation": generation, "digest": uuid4().hex, "updated_at": datetime.now(UTC)}],
        update=("generation", "digest", "updated_at"),
    )
    return generation
