"""Allocation rounds: a coordinator shares scarce places across her organisation's survivors.

A round is computed by matching (optimal assignment, and the greedy baseline for comparison),
stored as `proposed` with every assignment and the reason each unplaced survivor got nothing,
and changes nothing else. Accepting it creates a `suggested` referral for every part of every
assignment through the referral service, so each one starts the audited referral lifecycle.

Only coordinators, only their own organisation: another organisation's round answers exactly
like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

import anyio.to_thread
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import ClientException, NotFoundException
from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.allocation import AllocationResult, Candidate, allocate, allocate_greedy
from matching.index import OpportunityIndex
from matching.rounds import candidates_for, capacities_of
from matching.types import SurvivorProfile
from service.domain.matches.models import AllocationAssignment, AllocationRound, RoundStatus
from service.domain.matches.profiles import HOME_UNKNOWN, PAUSED, to_profile
from service.domain.matches.published_index import PublishedIndex, home_of
from service.domain.matches.schemas import AssignmentRead, RoundCreate, RoundRead
from service.domain.referrals import services as referrals
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now

NOT_FOUND = "allocation round: not found"
PER_SURVIVOR = 10
"""Each survivor brings her ten best suggestions: enough room for the round to trade places."""
PER_SURVIVOR_FILTERED = 30
"""With a kind filter the top ten may hold none of the wanted kind, so more are taken and filtered."""
PRIORITY_WEIGHT = 0.5
"""With `prioritise_waiting`, a year's wait adds half again to a candidate's weight: enough to
decide close calls for the longest waiting, not to give a poor fit priority over a good one."""


class Conflict(ClientException):
    status_code = 409


ACCEPT_GAP = 0.001
"""A part of a round whose share-out is within 0.1 % of its LP bound is not searched further;
the round's page states the gap whenever it is not zero."""


def to_read(row: AllocationRound, assignments: Sequence[AllocationAssignment]) -> RoundRead:
    return RoundRead(
        id=row.id,
        organisation_id=row.organisation_id,
        status=row.status,
        as_of=row.as_of,
        kinds=list(row.kinds),
        prioritise_waiting=row.prioritise_waiting,
        survivor_count=row.survivor_count,
        candidate_count=row.candidate_count,
        method=row.method,
        objective=row.objective,
        bound=row.bound,
        gap=row.gap,
        placed=row.placed,
        greedy_objective=row.greedy_objective,
        greedy_placed=row.greedy_placed,
        seconds=row.seconds,
        unplaced=dict(row.unplaced),
        created_at=row.created_at,
        accepted_at=row.accepted_at,
        assignments=[
            AssignmentRead(
                id=a.id,
                survivor_id=a.survivor_id,
                opportunity_id=a.opportunity_id,
                childcare_id=a.childcare_id,
                language_class_id=a.language_class_id,
                score=a.score,
                weight=a.weight,
                why=a.why,
                referral_ids=[UUID(r) for r in a.referral_ids],
                note=a.note,
            )
            for a in assignments
        ],
    )


async def _survivors(
    db: AsyncSession, actor: Actor, ids: list[UUID] | None, alchemy: SQLAlchemyAsyncConfig
) -> list[Survivor]:
    if ids is None:
        query = select(Survivor).where(visible_to(actor), Survivor.readiness == "ready", Survivor.closed_at.is_(None))
        return list((await db.scalars(query.order_by(Survivor.id))).all())
    wanted = set(ids)
    rows = list((await db.scalars(select(Survivor).where(Survivor.id.in_(wanted), visible_to(actor)))).all())
    if len(rows) != len(wanted):
        await record_now(
            alchemy,
            actor,
            "allocation_round.create",
            "survivor",
            None,
            outcome="denied",
            detail=f"{len(wanted) - len(rows)} of {len(wanted)} survivors not found",
        )
        raise NotFoundException(detail="survivor_ids: one or more survivors not found")
    return sorted(rows, key=lambda row: row.id)


def _solve(
    profiles: list[SurvivorProfile], index: OpportunityIndex, as_of: date, kinds: list[str] | None, priority: float
) -> tuple[AllocationResult, AllocationResult, int]:
    """Optimal and greedy over the same candidates (runs in a worker thread)."""
    per_survivor = PER_SURVIVOR if kinds is None else PER_SURVIVOR_FILTERED
    candidates: list[Candidate] = candidates_for(profiles, index, as_of=as_of, per_survivor=per_survivor)
    if kinds is not None:
        candidates = [c for c in candidates if c.parts[0][1] in kinds]
    capacities = capacities_of(index, candidates)
    waiting = {p.id: (as_of - p.waiting_since).days for p in profiles if p.waiting_since is not None}
    best = allocate(candidates, capacities, waiting_days=waiting, priority_weight=priority, accept_gap=ACCEPT_GAP)
    greedy = allocate_greedy(candidates, capacities, waiting_days=waiting, priority_weight=priority)
    in_running = {c.survivor_id for c in candidates}
    for profile in profiles:
        if profile.id not in in_running:
            reason = PAUSED if profile.readiness_paused else "no suggestion passes her filters"
            best.unplaced[profile.id] = reason
    return best, greedy, len(candidates)


def _assignment(round_id: UUID, chosen: Any) -> AllocationAssignment:
    parts = dict((kind, opp_id) for opp_id, kind in chosen.candidate.parts[1:])
    return AllocationAssignment(
        round_id=round_id,
        survivor_id=UUID(chosen.survivor_id),
        opportunity_id=UUID(chosen.candidate.primary_id),
        childcare_id=UUID(parts["childcare"]) if "childcare" in parts else None,
        language_class_id=UUID(parts["language_class"]) if "language_class" in parts else None,
        score=round(chosen.candidate.score, 6),
        weight=round(chosen.weight, 6),
        why=chosen.why[:4000],
        referral_ids=[],
        note="",
    )


async def create_round(
    db: AsyncSession,
    actor: Actor,
    data: RoundCreate,
    alchemy: SQLAlchemyAsyncConfig,
    published_index: PublishedIndex,
    today: date | None = None,
) -> RoundRead:
    """Compute and store a proposed round for the coordinator's organisation."""
    assert actor.organisation_id is not None  # coordinators always belong to an organisation
    survivors = await _survivors(db, actor, data.survivor_ids, alchemy)
    as_of = today or date.today()
    # places are what a round shares out: never decide them on a second-old index
    snapshot = await published_index.current(db, as_of, fresh=True)
    profiles, homeless = [], {}
    for survivor in survivors:
        home = home_of(survivor.region, snapshot.centres)
        if home is None:
            homeless[str(survivor.id)] = HOME_UNKNOWN.format(region=survivor.region)
        else:
            profiles.append(to_profile(survivor, home, snapshot.index.regions.names))
    kinds: list[str] | None = list(data.kinds) if data.kinds else None
    priority = PRIORITY_WEIGHT if data.prioritise_waiting else 0.0
    # The lock keeps the index still while a worker thread reads it (refreshes wait their turn).
    async with published_index.lock():
        best, greedy, n_candidates = await anyio.to_thread.run_sync(
            lambda: _solve(profiles, snapshot.index, as_of, kinds, priority)
        )
    row = AllocationRound(
        organisation_id=actor.organisation_id,
        created_by_id=actor.user_id,
        status=RoundStatus.PROPOSED.value,
        as_of=as_of,
        kinds=kinds or [],
        prioritise_waiting=data.prioritise_waiting,
        survivor_count=len(survivors),
        candidate_count=n_candidates,
        method=best.method[:60],
        objective=round(best.objective, 6),
        bound=round(best.bound, 6) if best.bound is not None else None,
        gap=best.gap,
        placed=best.placed,
        greedy_objective=round(greedy.objective, 6),
        greedy_placed=greedy.placed,
        seconds=round(best.seconds, 4),
        unplaced={**best.unplaced, **homeless},
    )
    db.add(row)
    await db.flush()
    assignments = [_assignment(row.id, chosen) for chosen in best.assignments]
    db.add_all(assignments)
    await db.flush()
    await record(
        db,
        actor,
        "allocation_round.create",
        "allocation_round",
        row.id,
        detail=f"survivors={len(survivors)} placed={best.placed} method={best.method}"[:200],
    )
    return to_read(row, assignments)


async def _visible_round(
    db: AsyncSession, actor: Actor, round_id: UUID, alchemy: SQLAlchemyAsyncConfig, action: str
) -> tuple[AllocationRound, list[AllocationAssignment]]:
    row = await db.scalar(
        select(AllocationRound).where(
            AllocationRound.id == round_id, AllocationRound.organisation_id == actor.organisation_id
        )
    )
    if row is None:
        await record_now(alchemy, actor, action, "allocation_round", round_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    assignments = (
        await db.scalars(
            select(AllocationAssignment)
            .where(AllocationAssignment.round_id == row.id)
            .order_by(AllocationAssignment.survivor_id, AllocationAssignment.opportunity_id)
        )
    ).all()
    return row, list(assignments)


async def read_round(db: AsyncSession, actor: Actor, round_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> RoundRead:
    """One round of the caller's organisation, with its assignments."""
    row, assignments = await _visible_round(db, actor, round_id, alchemy, "allocation_round.read")
    await record(db, actor, "allocation_round.read", "allocation_round", row.id)
    return to_read(row, assignments)


async def list_rounds(db: AsyncSession, actor: Actor, limit: int) -> list[AllocationRound]:
    """The organisation's latest rounds, newest first."""
    rows = (
        await db.scalars(
            select(AllocationRound)
            .where(AllocationRound.organisation_id == actor.organisation_id)
            .order_by(AllocationRound.created_at.desc())
            .limit(limit)
        )
    ).all()
    await record(db, actor, "allocation_round.list", "allocation_round", None, detail=f"count={len(rows)}")
    return list(rows)


async def accept_round(db: AsyncSession, actor: Actor, round_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> RoundRead:
    """Accept a proposed round: a `suggested` referral for every part of every assignment.

    The status moves by one conditional UPDATE, so two coordinators accepting at once cannot
    both create referrals. A listing closed since the round, or already suggested to her, is
    noted on the assignment instead of failing the whole round.
    """
    row, assignments = await _visible_round(db, actor, round_id, alchemy, "allocation_round.accept")
    if row.status != RoundStatus.PROPOSED.value:
        # nothing written yet, so the refusal can be recorded in its own transaction (the 409
        # rolls this one back; on SQLite a second writer would wait on our lock)
        await record_now(
            alchemy,
            actor,
            "allocation_round.accept",
            "allocation_round",
            row.id,
            outcome="denied",
            detail="already accepted",
        )
        raise Conflict(detail="status: this round was already accepted")
    now = now_utc()
    moved = cast(
        CursorResult[Any],
        await db.execute(
            update(AllocationRound)
            .where(AllocationRound.id == row.id, AllocationRound.status == RoundStatus.PROPOSED.value)
            .values(status=RoundStatus.ACCEPTED.value, accepted_at=now, accepted_by_id=actor.user_id, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if moved.rowcount != 1:  # another coordinator accepted it between our read and our update
        raise Conflict(detail="status: this round was already accepted")
    await db.refresh(row)
    created = 0
    for assignment in assignments:
        created += await _refer(db, actor, assignment, alchemy)
    await db.flush()
    await record(db, actor, "allocation_round.accept", "allocation_round", row.id, detail=f"referrals={created}")
    return to_read(row, assignments)


async def _refer(
    db: AsyncSession, actor: Actor, assignment: AllocationAssignment, alchemy: SQLAlchemyAsyncConfig
) -> int:
    ids: list[str] = []
    notes: list[str] = []
    in_scope = await db.scalar(select(Survivor.id).where(Survivor.id == assignment.survivor_id, visible_to(actor)))
    if in_scope is None:
        # checked here, not left to the referral service: its denied audit row is written in a
        # second transaction, which on SQLite would wait on the write lock this one holds
        assignment.note = "survivor: no longer in your organisation's caseload"
        return 0
    # a bundle's referrals stay grouped as one proposal
    bundled = assignment.childcare_id is not None or assignment.language_class_id is not None
    proposal = uuid4() if bundled else None
    for opp_id in (assignment.opportunity_id, assignment.childcare_id, assignment.language_class_id):
        if opp_id is None:
            continue
        existing = await db.scalar(
            select(Referral.id).where(Referral.survivor_id == assignment.survivor_id, Referral.opportunity_id == opp_id)
        )
        if existing is not None:
            ids.append(str(existing))
            notes.append(f"{opp_id}: already suggested to her")
            continue
        try:
            referral = await referrals.create(db, actor, assignment.survivor_id, opp_id, alchemy, proposal)
        except NotFoundException as missing:
            # the listing closed since the round
            notes.append(f"{opp_id}: {missing.detail}")
            continue
        ids.append(str(referral.id))
    assignment.referral_ids = ids
    assignment.note = "; ".join(notes)[:500]
    return len(ids) - sum(note.endswith("already suggested to her") for note in notes)
