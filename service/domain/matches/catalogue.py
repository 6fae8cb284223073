"""This process's opportunity index, kept in step with the database without rebuilding it.

Matching needs the published catalogue as numpy columns (``matching.index``). Building them for
10,000 listings takes most of a second, so the index is built once per process and database and
then brought up to date per request:

* a cheap fingerprint of the visible catalogue (count, latest ``updated_at``, places left, the
  date) is read on every request: one aggregate query;
* when it moves, only listings touched since the last look are read and added, replaced or
  removed; if the counts still disagree (a partner suspended, a listing ended, a booking that
  changed places without touching ``updated_at``), a light id/places pass reconciles the rest.

The skill similarity comes from the taxonomy index of :mod:`service.domain.skills.services` and is
rebuilt (with the index) only when the taxonomy's generation changes.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

import anyio.to_thread
import numpy as np
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.index import OpportunityIndex, build_index
from matching.similarity import SkillSimilarity, build_skill_similarity
from matching.types import Opportunity as MatchOpportunity
from providers.models import Opportunity
from providers.services import published_clause
from service.domain.opportunities.for_matching import published_for_matching, to_matching
from service.domain.skills.services import current_index
from skills.taxonomy import TaxonomyIndex

SLACK = timedelta(minutes=2)
"""Rows are stamped with the writer's clock before its transaction commits, so a listing can
become visible with an ``updated_at`` older than one already seen; re-reading a short window
before the last stamp catches those late commits at the cost of re-adding a few rows."""
MIN_REGION_LENGTH = 3
"""NUTS-1 (e.g. DE3) is the widest area whose centre still says something about travel."""


@dataclass(frozen=True)
class Fingerprint:
    """What changes whenever the visible catalogue does (see the module docstring)."""

    count: int
    latest: datetime | None
    places: int
    today: date


def visible_now(today: date) -> list[ColumnElement[bool]]:
    """Listings matching may use today: published, vetted partner, not ended."""
    return [published_clause(), or_(Opportunity.ends_on.is_(None), Opportunity.ends_on >= today)]


async def fingerprint(db: AsyncSession, today: date) -> Fingerprint:
    """One aggregate over the visible catalogue."""
    places = func.coalesce(func.sum(Opportunity.capacity_left), 0)
    query = select(func.count(Opportunity.id), func.max(Opportunity.updated_at), places).where(*visible_now(today))
    count, latest, places = (await db.execute(query)).one()
    return Fingerprint(int(count), latest, int(places), today)


def region_centres(index: OpportunityIndex) -> dict[str, tuple[float, float]]:
    """Median listing position per region code and per NUTS prefix down to NUTS-1.

    The survivor profile stores a region, never coordinates; the middle of the listings in her
    region is the best coarse stand-in for where she starts her journeys.
    """
    alive = index.col("alive")
    codes = index.col("region")[alive]
    lat, lon = index.col("lat")[alive], index.col("lon")[alive]
    members: dict[str, list[int]] = {}
    for code in np.unique(codes):
        name = index.regions.names[int(code)]
        for length in range(MIN_REGION_LENGTH, len(name) + 1):
            members.setdefault(name[:length], []).append(int(code))
    centres = {}
    for name, group in members.items():
        rows = np.isin(codes, group)
        centres[name] = (float(np.median(lat[rows])), float(np.median(lon[rows])))
    return centres


def home_of(region: str, centres: Mapping[str, tuple[float, float]]) -> tuple[float, float] | None:
    """The centre of her region, else of the nearest wider area that has listings."""
    for length in range(len(region), MIN_REGION_LENGTH - 1, -1):
        found = centres.get(region[:length])
        if found is not None:
            return found
    return None


class SkillLabels(Mapping[str, str]):
    """Skill URIs shown as the taxonomy's label in her language (explanations call ``get``)."""

    def __init__(self, taxonomy: TaxonomyIndex, lang: str) -> None:
        self.taxonomy, self.lang = taxonomy, lang

    def __getitem__(self, uri: str) -> str:
        return self.taxonomy.label(uri, self.lang)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass
class Snapshot:
    """What one request reads: the index, region centres and the taxonomy behind them."""

    index: OpportunityIndex
    centres: dict[str, tuple[float, float]]
    taxonomy: TaxonomyIndex


@dataclass
class Catalogue:
    """The cached index for one database in this process."""

    snapshot: Snapshot | None = None
    generation: str | None = None
    similarity: SkillSimilarity | None = None
    seen: Fingerprint | None = None
    stamp: datetime | None = None
    """The latest ``updated_at`` already applied."""
    rebuilds: int = 0
    increments: int = 0
    locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    def lock(self) -> asyncio.Lock:
        """One lock per event loop (tests and CLIs run several loops in one process)."""
        loop = asyncio.get_running_loop()
        if loop not in self.locks:
            self.locks[loop] = asyncio.Lock()
        return self.locks[loop]

    async def current(self, db: AsyncSession, today: date) -> Snapshot:
        """The index as of now, refreshed if the catalogue or the taxonomy moved."""
        taxonomy = await current_index(db)
        seen = await fingerprint(db, today)
        if self.snapshot is not None and self.generation == taxonomy.generation and self.seen == seen:
            return self.snapshot
        async with self.lock():
            if self.snapshot is None or self.generation != taxonomy.generation:
                await self._rebuild(db, taxonomy, today)
            elif self.seen != seen:
                await self._catch_up(db, today, seen)
            self.seen = seen
            assert self.snapshot is not None
            return self.snapshot

    async def _rebuild(self, db: AsyncSession, taxonomy: TaxonomyIndex, today: date) -> None:
        if self.similarity is None or self.generation != taxonomy.generation:
            self.similarity = await anyio.to_thread.run_sync(
                lambda: build_skill_similarity(taxonomy.skill_broader_pairs(), taxonomy.occupation_skill_rows())
            )
        records = await published_for_matching(db, today=today)
        similarity = self.similarity
        index = await anyio.to_thread.run_sync(lambda: build_index(similarity, records))
        self.stamp = await db.scalar(select(func.max(Opportunity.updated_at)).where(*visible_now(today)))
        self.snapshot = Snapshot(index, region_centres(index), taxonomy)
        self.generation = taxonomy.generation
        self.rebuilds += 1

    async def _catch_up(self, db: AsyncSession, today: date, seen: Fingerprint) -> None:
        """Apply the listings touched since the last look; reconcile if counts still differ.

        Every read happens first and every change to the index after, with no await between,
        so a request served meanwhile sees the old or the new catalogue, never a mixture.
        """
        assert self.snapshot is not None
        index = self.snapshot.index
        since = (self.stamp - SLACK) if self.stamp is not None else None
        touched_clause = [Opportunity.updated_at > since] if since is not None else []
        fresh = (await db.scalars(select(Opportunity).where(*visible_now(today), *touched_clause))).all()
        touched = set((await db.scalars(select(Opportunity.id).where(*touched_clause))).all())
        upserts = [to_matching(row) for row in fresh]
        removals = {str(opp_id) for opp_id in touched} - {record.id for record in upserts}
        places: dict[str, int] | None = None
        missing: list[MatchOpportunity] = []
        expected = len(index) + sum(r.id not in index.row_of for r in upserts)
        expected -= sum(opp_id in index.row_of for opp_id in removals)
        if expected != seen.count or self._places_after(index, upserts, removals) != seen.places:
            light = select(Opportunity.id, Opportunity.capacity_left).where(*visible_now(today))
            rows = (await db.execute(light)).all()
            places = {str(opp_id): int(left) for opp_id, left in rows}
            known = set(index.row_of) | {r.id for r in upserts}
            wanted = [opp_id for opp_id in places if opp_id not in known]
            if wanted:
                found = await db.scalars(select(Opportunity).where(Opportunity.id.in_([UUID(i) for i in wanted])))
                missing = [to_matching(row) for row in found.all()]
        # -- from here on no awaits: the index changes in one step
        for record in upserts + missing:
            index.add(record)
        for opp_id in removals:
            index.remove(opp_id)
        if places is not None:
            for opp_id in [i for i in index.row_of if i not in places]:
                index.remove(opp_id)
            capacity = index.col("capacity")
            for opp_id, left in places.items():
                row = index.row_of.get(opp_id)
                if row is not None and int(capacity[row]) != left:
                    index.set_capacity(opp_id, left)
        self.stamp = max((s for s in (self.stamp, seen.latest) if s is not None), default=None)
        self.snapshot = Snapshot(index, region_centres(index), self.snapshot.taxonomy)
        self.increments += 1

    @staticmethod
    def _places_after(index: OpportunityIndex, upserts: list[MatchOpportunity], removals: set[str]) -> int:
        alive = index.col("alive")
        total = int(index.col("capacity")[alive].sum())
        capacity = index.col("capacity")
        for record in upserts:
            row = index.row_of.get(record.id)
            total += record.capacity_left - (int(capacity[row]) if row is not None else 0)
        for opp_id in removals:
            row = index.row_of.get(opp_id)
            total -= int(capacity[row]) if row is not None else 0
        return total


_CATALOGUES: dict[str, Catalogue] = {}


def catalogue_for(db: AsyncSession) -> Catalogue:
    """The cached catalogue of ``db``'s database (one per database URL in this process)."""
    key = db.get_bind().engine.url.render_as_string(hide_password=True)
    return _CATALOGUES.setdefault(key, Catalogue())
