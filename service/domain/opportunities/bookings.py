"""Booking and releasing places for a survivor, by her counsellor or coordinator.

Both sides of a booking are checked through their own scope clauses: the survivor through
`service.domain.survivors.services.visible_to`, the listing through ours. The place itself is
taken by `providers.services.book_place` (one conditional UPDATE), so the last place goes to
exactly one of any number of concurrent requests (SECURITY R7); the others get 409.
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Booking, Opportunity
from providers.schemas import BookingRead
from providers.services import OpportunityConflict, book_place, release_place
from service.domain.opportunities.services import NOT_FOUND, conflict, visible_to
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to as survivors_visible_to
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now
from service.kernel.roles import Role

BOOKERS = frozenset({Role.COUNSELLOR, Role.COORDINATOR})
BOOKING_NOT_FOUND = "booking: not found"


def to_booking_read(row: Booking) -> BookingRead:
    return BookingRead(
        id=row.id,
        opportunity_id=row.opportunity_id,
        survivor_id=row.survivor_id,
        status=row.status,
        booked_at=row.booked_at,
        released_at=row.released_at,
    )


def bookings_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Bookings of the survivors in the actor's scope (her caseload, her organisation, herself)."""
    return Booking.survivor_id.in_(select(Survivor.id).where(survivors_visible_to(actor)))


async def book(
    db: AsyncSession, actor: Actor, opportunity_id: UUID, survivor_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> Booking:
    """Take a place for a survivor in the caller's transaction: 404 if either is out of scope,
    409 when no place is left (or she already has one)."""
    if actor.role not in BOOKERS:
        raise PermissionDeniedException(detail="role: only counsellors and coordinators book places")
    survivor = await db.scalar(select(Survivor.id).where(Survivor.id == survivor_id, survivors_visible_to(actor)))
    if survivor is None:
        await record_now(alchemy, actor, "booking.create", "survivor", survivor_id, outcome="denied")
        raise NotFoundException(detail="survivor_id: not found")
    listing = await db.scalar(select(Opportunity.id).where(Opportunity.id == opportunity_id, visible_to(actor)))
    if listing is None:
        await record_now(alchemy, actor, "booking.create", "opportunity", opportunity_id, outcome="denied")
        raise NotFoundException(detail=NOT_FOUND)
    try:
        booking = await book_place(db, opportunity_id, survivor_id, actor.user_id, now_utc())
    except OpportunityConflict as error:
        raise conflict(error) from error
    await record(db, actor, "booking.create", "booking", booking.id)
    return booking


async def get_booking(db: AsyncSession, actor: Actor, booking_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Booking:
    """A booking of a survivor in scope; otherwise not found, with a denied audit row."""
    row = await db.scalar(select(Booking).where(Booking.id == booking_id, bookings_visible_to(actor)))
    if row is None:
        await record_now(alchemy, actor, "booking.read", "booking", booking_id, outcome="denied")
        raise NotFoundException(detail=BOOKING_NOT_FOUND)
    return row


async def release(db: AsyncSession, actor: Actor, booking_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> Booking:
    """Give her place back; the listing gets one more place. A second release is a 409."""
    if actor.role not in BOOKERS:
        raise PermissionDeniedException(detail="role: only counsellors and coordinators release places")
    row = await get_booking(db, actor, booking_id, alchemy)
    try:
        row = await release_place(db, row, actor.user_id, now_utc())
    except OpportunityConflict as error:
        raise conflict(error) from error
    await record(db, actor, "booking.release", "booking", row.id)
    return row


async def list_bookings(db: AsyncSession, actor: Actor, survivor_id: UUID | None) -> list[Booking]:
    """Bookings in scope, newest first, optionally for one survivor."""
    statement = select(Booking).where(bookings_visible_to(actor))
    if survivor_id is not None:
        statement = statement.where(Booking.survivor_id == survivor_id)
    rows = list((await db.scalars(statement.order_by(Booking.booked_at.desc()).limit(500))).all())
    await record(db, actor, "booking.list", "booking", None, detail=f"count={len(rows)}")
    return rows
