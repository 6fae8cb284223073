"""The application's opportunity index, kept in step with the database without rebuilding it.

Matching needs the published opportunities as numpy columns (``matching.index``). Building them for
10,000 listings takes most of a second, so the index is built once per application (a web process
has one) and then brought up to date as requests come:

* a cheap fingerprint (published listings: count, latest ``updated_at``, places left; vetted
  partners: count, latest change; the date) is read in one round trip, at most once a second
  and off the request's path (allocation rounds always read it inline);
* when it moves, only listings stamped since the last look are read in full and added, replaced
  or removed; if the visible totals still disagree (a partner suspended, a listing ended, a
  booking that changed places without touching ``updated_at``), a light id/places pass over the
  index reconciles the rest. Nothing is rebuilt unless the taxonomy changed.

The skill similarity comes from the taxonomy index of :mod:`service.domain.taxonomy.services` and is
rebuilt (with the index) only when the taxonomy's generation changes.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

import anyio.to_thread
import numpy as np
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.datastructures import State
from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from matching.index import OpportunityIndex, build_index
from matching.similarity import SkillSimilarity, build_skill_similarity
from matching.types import Opportunity as MatchOpportunity
from providers.models import Opportunity, OpportunityStatus
from providers.services import published_clause
from service.domain.accounts.models import Organisation
from service.domain.opportunities.for_matching import published_for_matching, to_matching
from service.domain.taxonomy.services import current_index
from skills.taxonomy import TaxonomyIndex

logger = logging.getLogger("onward.matches")
SLACK = timedelta(minutes=2)
"""Rows are stamped with the writer's clock before its transaction commits, so a listing can
become visible with an ``updated_at`` older than one already seen; re-reading a short window
before the last stamp catches those late commits at the cost of re-adding a few rows."""
LOAD_CHUNK = 5000
"""Ids per IN list: a bulk import can touch more listings than a driver takes parameters."""
FRESHNESS_SECONDS = 1.0
"""How long a checked index is served without reading the fingerprint again."""
MIN_REGION_LENGTH = 3
"""NUTS-1 (e.g. DE3) is the widest area whose centre still says something about travel."""


@dataclass(frozen=True)
class Fingerprint:
    """What changes whenever the visible opportunities do (see the module docstring).

    It reads the listings and the partners separately, without the visibility join: two plain
    aggregates cost a few milliseconds where the joined one costs several times more, and a
    partner's suspension or vetting moves the partner half even though no listing changed.
    """

    published: int
    latest: datetime | None
    places: int
    partners: int
    partners_latest: datetime | None
    today: date


def visible_now(today: date) -> list[ColumnElement[bool]]:
    """Listings matching may use today: published, vetted partner, not ended."""
    return [published_clause(), or_(Opportunity.ends_on.is_(None), Opportunity.ends_on >= today)]


async def fingerprint(db: AsyncSession, today: date) -> Fingerprint:
    """One round trip: an aggregate over published listings and one over vetted partners."""
    published = Opportunity.status == OpportunityStatus.PUBLISHED.value
    listings = select(
        func.count(Opportunity.id),
        func.max(Opportunity.updated_at),
        func.coalesce(func.sum(Opportunity.capacity_left), 0),
    ).where(published)
    partners = select(func.count(Organisation.id), func.max(Organisation.updated_at)).where(
        Organisation.vetting_status == "vetted"
    )
    a, b = listings.subquery(), partners.subquery()
    # both sides are one aggregate row: an explicit cross join, not an accidental product
    row = (await db.execute(select(a, b).select_from(a.join(b, true())))).one()
    return Fingerprint(int(row[0]), row[1], int(row[2]), int(row[3]), row[4], today)


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


@dataclass
class Snapshot:
    """What one request reads: the index, region centres and the taxonomy behind them."""

    index: OpportunityIndex
    centres: dict[str, tuple[float, float]]
    taxonomy: TaxonomyIndex


@dataclass
class PublishedIndex:
    """The cached index for one database in this process."""

    snapshot: Snapshot | None = None
    generation: str | None = None
    similarity: SkillSimilarity | None = None
    seen: Fingerprint | None = None
    stamp: datetime | None = None
    """The latest ``updated_at`` already applied."""
    applied: dict[str, datetime] = field(default_factory=dict)
    """The ``updated_at`` of the version of each listing the index holds."""
    freshness: float = FRESHNESS_SECONDS
    checked_at: float | None = None
    """``time.monotonic()`` of the last fingerprint read (or background check started)."""
    task: asyncio.Task[None] | None = None
    """The background check in flight, kept so it is not garbage-collected mid-run."""
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

    async def current(
        self, db: AsyncSession, today: date, *, fresh: bool = False, alchemy: SQLAlchemyAsyncConfig | None = None
    ) -> Snapshot:
        """The index as of now: checked against the fingerprint inline when ``fresh`` is asked
        for (or nothing usable is cached), else served as cached.

        The fingerprint scans the listing table, which under load costs as much as the ranking
        itself; paid inline once a second it lands on exactly the slowest requests. So with an
        ``alchemy`` config, a request that finds the last check older than ``freshness`` seconds
        starts the check in the background (own session) and is served the cached index: a
        listing change reaches suggestions within about a second, and no request waits for it.
        """
        usable = self.snapshot is not None and self.seen is not None and self.seen.today == today
        if not fresh and usable and self.freshness > 0:
            assert self.snapshot is not None
            due = self.checked_at is None or time.monotonic() - self.checked_at >= self.freshness
            if due and alchemy is not None and (self.task is None or self.task.done()):
                self.checked_at = time.monotonic()  # one background check per window
                self.task = asyncio.create_task(self._refresh_detached(alchemy, today))
            if not due or alchemy is not None:
                return self.snapshot
        return await self._refresh(db, today)

    async def _refresh_detached(self, alchemy: SQLAlchemyAsyncConfig, today: date) -> None:
        try:
            async with alchemy.get_session() as db:
                await self._refresh(db, today)
        except Exception:  # a failed check must not take the process down; the next one retries
            logger.exception("matches: background index check failed")
            self.checked_at = None

    async def _refresh(self, db: AsyncSession, today: date) -> Snapshot:
        taxonomy = await current_index(db)
        seen = await fingerprint(db, today)
        self.checked_at = time.monotonic()
        if self.snapshot is not None and self.generation == taxonomy.generation and self.seen == seen:
            return self.snapshot
        async with self.lock():
            if self.snapshot is None or self.generation != taxonomy.generation:
                await self._rebuild(db, taxonomy, today)
            elif self.seen != seen:
                await self._catch_up(db, today)
            self.seen = seen
            assert self.snapshot is not None
            return self.snapshot

    async def _rebuild(self, db: AsyncSession, taxonomy: TaxonomyIndex, today: date) -> None:
        if self.similarity is None or self.generation != taxonomy.generation:
            self.similarity = await anyio.to_thread.run_sync(
                lambda: build_skill_similarity(taxonomy.skill_broader_pairs(), taxonomy.occupation_skill_rows())
            )
        stamps = await db.execute(select(Opportunity.id, Opportunity.updated_at).where(*visible_now(today)))
        self.applied = {str(opp_id): at for opp_id, at in stamps.all()}
        records = await published_for_matching(db, today=today)
        similarity = self.similarity
        index = await anyio.to_thread.run_sync(lambda: build_index(similarity, records))
        self.stamp = max(self.applied.values(), default=None)
        self.snapshot = Snapshot(index, region_centres(index), taxonomy)
        self.generation = taxonomy.generation
        self.rebuilds += 1

    async def _catch_up(self, db: AsyncSession, today: date) -> None:
        """Apply the listings touched since the last look; reconcile if the totals still differ.

        Every read happens first and every change to the index after, with no await between,
        so a request served meanwhile sees the old or the new index, never a mixture.
        """
        assert self.snapshot is not None
        index = self.snapshot.index
        visible = and_(*visible_now(today))
        window = select(Opportunity.id, Opportunity.updated_at, visible.label("visible"))
        if self.stamp is not None:
            window = window.where(Opportunity.updated_at > self.stamp - SLACK)
        touched = [(str(opp_id), at, bool(shown)) for opp_id, at, shown in (await db.execute(window)).all()]
        # the slack window re-reads rows already applied: only a new stamp means a new version
        changed = [opp_id for opp_id, at, shown in touched if shown and self.applied.get(opp_id) != at]
        removals = {opp_id for opp_id, _, shown in touched if not shown and opp_id in index.row_of}
        upserts = await self._load(db, changed)
        totals = select(func.count(Opportunity.id), func.coalesce(func.sum(Opportunity.capacity_left), 0)).where(
            visible
        )
        count, places = (await db.execute(totals)).one()
        touched_at = {opp_id: at for opp_id, at, _ in touched}
        stamps = {record.id: touched_at[record.id] for record in upserts}
        ids_after = (set(index.row_of) | {r.id for r in upserts}) - removals
        places_after = self._places_after(index, upserts, removals)
        exact: dict[str, int] | None = None
        if len(ids_after) != int(count) or places_after != int(places):
            # a change the window cannot see: a partner suspended, a listing ended, places
            # taken by an UPDATE that left updated_at alone; compare the whole index lightly
            light = select(Opportunity.id, Opportunity.capacity_left, Opportunity.updated_at).where(visible)
            rows = (await db.execute(light)).all()
            exact = {str(opp_id): int(left) for opp_id, left, _ in rows}
            missing = [opp_id for opp_id in exact if opp_id not in ids_after]
            upserts += await self._load(db, missing)
            wanted = set(missing)
            stamps |= {str(opp_id): at for opp_id, _, at in rows if str(opp_id) in wanted}
        # -- from here on no awaits: the index changes in one step
        for record in upserts:
            index.add(record)
        for opp_id in removals:
            index.remove(opp_id)
            self.applied.pop(opp_id, None)
        if exact is not None:
            for opp_id in [i for i in index.row_of if i not in exact]:
                index.remove(opp_id)
                self.applied.pop(opp_id, None)
            capacity = index.col("capacity")
            for opp_id, left in exact.items():
                row = index.row_of.get(opp_id)
                if row is not None and int(capacity[row]) != left:
                    index.set_capacity(opp_id, left)
        self.applied |= stamps
        self.stamp = max(
            [at for _, at, _ in touched if at is not None] + ([self.stamp] if self.stamp else []), default=None
        )
        self.snapshot = Snapshot(index, region_centres(index), self.snapshot.taxonomy)
        self.increments += 1

    @staticmethod
    async def _load(db: AsyncSession, ids: list[str]) -> list[MatchOpportunity]:
        loaded: list[MatchOpportunity] = []
        for start in range(0, len(ids), LOAD_CHUNK):
            chunk = [UUID(i) for i in ids[start : start + LOAD_CHUNK]]
            rows = await db.scalars(select(Opportunity).where(Opportunity.id.in_(chunk)))
            loaded += [to_matching(row) for row in rows.all()]
        return loaded

    @staticmethod
    def _places_after(index: OpportunityIndex, upserts: list[MatchOpportunity], removals: set[str]) -> int:
        capacity = index.col("capacity")
        total = int(capacity[index.col("alive")].sum())
        for record in upserts:
            row = index.row_of.get(record.id)
            total += record.capacity_left - (int(capacity[row]) if row is not None else 0)
        for opp_id in removals:
            row = index.row_of.get(opp_id)
            total -= int(capacity[row]) if row is not None else 0
        return total


STATE_KEY = "matches_published_index"


def published_index_of(state: State) -> PublishedIndex:
    """The application's cached index of published opportunities (one per app, so per web process and database)."""
    found = state.setdefault(STATE_KEY, PublishedIndex())
    assert isinstance(found, PublishedIndex)
    return found
