"""Taking a proposal out of a round before accepting the rest.

Only a proposed round changes; the assignment stays on record as dropped (accepting suggests
nothing for it) and she is listed among those without a place, with the reason. The places it
held stay unused in this round: a new round shares them out again.
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.matches.models import RoundStatus
from service.domain.matches.profiles import DROPPED
from service.domain.matches.rounds import NOT_FOUND, Conflict, to_read, visible_round
from service.domain.matches.schemas import RoundRead
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record


async def drop_assignment(
    db: AsyncSession, actor: Actor, round_id: UUID, assignment_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> RoundRead:
    """Take one proposal out of a proposed round of the caller's organisation (audited)."""
    row, assignments = await visible_round(db, actor, round_id, alchemy, "allocation_round.drop")
    chosen = next((a for a in assignments if a.id == assignment_id), None)
    if chosen is None:
        raise NotFoundException(detail=NOT_FOUND)
    if row.status != RoundStatus.PROPOSED.value:
        raise Conflict(detail="status: this round was already accepted")
    if chosen.dropped_at is None:
        chosen.dropped_at = now_utc()
        row.unplaced = {**row.unplaced, str(chosen.survivor_id): DROPPED}
        await db.flush()
        await record(db, actor, "allocation_round.drop", "allocation_round", row.id, detail=f"assignment={chosen.id}")
    return to_read(row, assignments)
