"""PublishedIndex operations that need a database but no caller: what the service layer builds on.

Who may do what is decided in ``service/domain/opportunities``; this module keeps the rules
of the catalogue itself, once:

* :func:`published_clause` — the only definition of "a survivor may see this": published,
  from a partner whose vetting status is ``vetted`` right now. Matching loads through
  :func:`load_published`, which uses it.
* :func:`screen_row` — every new or edited listing is screened; a clean listing from a vetted
  partner is published, anything else waits for a coordinator.
* :func:`book_place` / :func:`release_place` — places are taken by one conditional UPDATE
  (``capacity_left > 0``) in the caller's transaction, so concurrent bookings of the last
  place cannot both succeed (SECURITY R7).

Errors are plain exceptions (:class:`OpportunityConflict`, :class:`PlaceUnavailable`); the web
layer turns them into 409s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

import msgspec
from advanced_alchemy.types import GUID
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CursorResult,
    String,
    and_,
    column,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import (
    BOOKABLE_KINDS,
    DAY_MASK_COLUMNS,
    Booking,
    BookingStatus,
    Opportunity,
    OpportunityStatus,
)
from providers.schedule import FULL_DAY, as_booleans, day_masks, is_empty
from providers.schemas import OpportunityCreate
from providers.screening import ListingText, ScreeningResult, publication_status, screen

# The service owns the organisation table; we only read two of its columns, by name.
_organisation = table("organisation", column("id", GUID()), column("vetting_status", String()))
_VETTED = "vetted"
_LISTING_COLUMNS = tuple(
    name for name in OpportunityCreate.__struct_fields__ if name not in ("kind", "draft", "blocks", "capacity")
)


class OpportunityConflict(Exception):
    """The change clashes with the listing's current state (HTTP 409). The message names the field."""


class PlaceUnavailable(OpportunityConflict):
    """No place left, or the listing is no longer open for booking."""


def vetted_partner_ids() -> Any:
    """A subquery of the ids of organisations vetted at this moment."""
    return select(_organisation.c.id).where(_organisation.c.vetting_status == _VETTED)


def published_clause() -> ColumnElement[bool]:
    """Published listings of currently vetted partners: all a survivor or matching may ever see."""
    return and_(
        Opportunity.status == OpportunityStatus.PUBLISHED.value,
        Opportunity.organisation_id.in_(vetted_partner_ids()),
    )


async def partner_is_vetted(db: AsyncSession, organisation_id: UUID) -> bool:
    """Whether the organisation is vetted right now."""
    status = await db.scalar(select(_organisation.c.vetting_status).where(_organisation.c.id == organisation_id))
    return status == _VETTED


async def load_published(
    db: AsyncSession, *, kinds: Iterable[str] | None = None, today: date | None = None
) -> Sequence[Opportunity]:
    """Every listing matching may use: published, vetted partner, not ended before ``today``."""
    clauses = [published_clause()]
    if kinds is not None:
        clauses.append(Opportunity.kind.in_(list(kinds)))
    if today is not None:
        clauses.append(or_(Opportunity.ends_on.is_(None), Opportunity.ends_on >= today))
    return (await db.scalars(select(Opportunity).where(*clauses).order_by(Opportunity.id))).all()


def search_clauses(
    *,
    kind: str | None = None,
    region: str | None = None,
    language: str | None = None,
    occupation: str | None = None,
    within: Sequence[str] | None = None,
    status: str | None = None,
) -> list[ColumnElement[bool]]:
    """Filters for search, to be combined with the caller's visibility clause.

    ``region`` matches a NUTS prefix (``DE3`` finds ``DE30``); ``language`` finds listings that
    need it or teach it; ``within`` (a 7-string week) keeps listings whose hours all fall inside it.
    Inputs are validated by the caller (codes are letters and digits only, so LIKE is safe).
    """
    clauses: list[ColumnElement[bool]] = []
    if kind is not None:
        clauses.append(Opportunity.kind == kind)
    if status is not None:
        clauses.append(Opportunity.status == status)
    if region is not None:
        clauses.append(Opportunity.region.startswith(region, autoescape=True))
    if language is not None:
        clauses.append(Opportunity.language_codes.contains(f",{language},", autoescape=True))
    if occupation is not None:
        clauses.append(Opportunity.occupation_uri == occupation)
    if within is not None:
        for name, free in zip(DAY_MASK_COLUMNS, day_masks(within), strict=True):
            busy_outside = FULL_DAY & ~free
            clauses.append(getattr(Opportunity, name).op("&")(literal(busy_outside, BigInteger)) == 0)
    return clauses


def apply_listing(row: Opportunity, listing: OpportunityCreate, week: Sequence[str]) -> None:
    """Copy a validated listing onto a row (not capacity: see :func:`change_capacity`)."""
    values = msgspec.to_builtins(listing)
    for name in _LISTING_COLUMNS:
        value = getattr(listing, name)
        setattr(row, name, values[name] if isinstance(value, list) else value)
    row.schedule = list(week)
    for name, mask in zip(DAY_MASK_COLUMNS, day_masks(week), strict=True):
        setattr(row, name, mask)
    # Coarse on purpose: a listing's place is a neighbourhood, not an address.
    row.lat, row.lon = round(listing.lat, 2), round(listing.lon, 2)
    codes = {need.code for need in listing.languages}
    if listing.class_language:
        codes.add(listing.class_language)
    row.language_codes = "," + "".join(f"{code}," for code in sorted(codes))


STRUCTURED_ANSWERS = ("documents_held_by", "costs_deducted", "housing_provided", "rent_deducted", "wages_paid")
"""The listing form's structured questions, read from the row when it has them (None = not
answered): who holds identity documents, costs charged or deducted, housing and rent, how
wages are paid. ListingText weighs each answer as evidence like the text."""


def listing_text(row: Opportunity) -> ListingText:
    """What the screener reads. Structured red flags (pay, hours, night work) apply to jobs only:
    a night-time childcare place is a help to a night-shift mother, not a warning sign."""
    if row.kind != "job":
        return ListingText(title=row.title, description=row.description, sector=row.sector)
    answers = {name: getattr(row, name, None) for name in STRUCTURED_ANSWERS}
    return ListingText(
        **answers,
        sector=row.sector,
        certificates=(row.certificate,) if row.certificate else (),
        title=row.title,
        description=row.description,
        pay_amount=row.pay_amount,
        pay_period=cast(Any, row.pay_period),
        currency=row.currency,
        country=row.region[:2],
        contract_type=cast(Any, row.contract_type),
        hours_per_week=row.hours_per_week,
        weekly_schedule=None if is_empty(row.schedule) else as_booleans(row.schedule),
        accommodation_provided=row.accommodation_provided,
        travel_abroad=row.travel_abroad,
        contact_channels=tuple(row.contact_channels),
    )


def screen_row(
    row: Opportunity, *, partner_vetted: bool, now: datetime, review_reasons: Sequence[dict[str, Any]] = ()
) -> ScreeningResult:
    """Screen a listing and set its status: published only if the evidence does not hold it,
    the partner is vetted and no review reason (``providers.review_policy``) applies.

    Every kind is screened on its text, because a "course" or "casting" can be a lure too.
    The flags keep each hit's field, then the review reasons (``kind: "review_reason"``).
    """
    result = screen(listing_text(row))
    row.vetting_flags = [
        {
            "rule_id": hit.rule_id,
            "reason": hit.reason,
            "severity": hit.severity,
            "evidence": hit.evidence,
            "field": hit.field,
            "kind": "rule",
        }
        for hit in result.hits
    ] + [dict(reason) for reason in review_reasons]
    row.screened_at = now
    row.status = publication_status(
        result, partner_vetted=partner_vetted, review_reasons=[str(r["rule_id"]) for r in review_reasons]
    )
    if row.status == OpportunityStatus.PUBLISHED.value:
        row.published_at = now
    return result


async def change_capacity(db: AsyncSession, row: Opportunity, capacity: int) -> None:
    """Set a new capacity, keeping the places already booked; refuse to go below them.

    One UPDATE computes the new ``capacity_left`` from the stored values, so a booking that
    commits meanwhile is never forgotten.
    """
    new_left = Opportunity.capacity_left + (capacity - Opportunity.capacity)
    result = cast(
        CursorResult[Any],
        await db.execute(
            update(Opportunity)
            .where(Opportunity.id == row.id, new_left >= 0)
            .values(capacity=capacity, capacity_left=new_left)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise OpportunityConflict("capacity: below the number of places already booked")
    await db.refresh(row, ["capacity", "capacity_left"])


async def unpublish_partner(db: AsyncSession, organisation_id: UUID, now: datetime) -> int:
    """Take every published listing of a partner back to review; returns how many.

    Visibility already requires a vetted partner, so suspension hides them at once; this also
    makes sure re-vetting does not silently republish them: a coordinator looks again.
    """
    rows = (
        await db.scalars(
            select(Opportunity).where(
                Opportunity.organisation_id == organisation_id,
                Opportunity.status == OpportunityStatus.PUBLISHED.value,
            )
        )
    ).all()
    for row in rows:
        row.status = OpportunityStatus.PENDING_REVIEW.value
        row.vetting_flags = [
            *row.vetting_flags,
            {"rule_id": "partner_suspended", "reason": "the partner was suspended", "severity": "high", "evidence": ""},
        ]
        row.published_at = None
        row.updated_at = now
    await db.flush()
    return len(rows)


async def book_place(
    db: AsyncSession, opportunity_id: UUID, survivor_id: UUID, booked_by_id: UUID | None, now: datetime
) -> Booking:
    """Take one place for a survivor in the caller's transaction, or raise.

    The decrement is a single ``UPDATE … WHERE capacity_left > 0`` on a published listing of a
    vetted partner; its row count tells whether this transaction got the place. On PostgreSQL
    concurrent bookers queue on the row lock and re-check the condition after the winner
    commits, so exactly one of them takes the last place.
    """
    kind = await db.scalar(select(Opportunity.kind).where(Opportunity.id == opportunity_id))
    if kind not in BOOKABLE_KINDS:
        raise OpportunityConflict("kind: only courses, language classes and childcare places are booked")
    live = await db.scalar(
        select(Booking.id).where(
            Booking.opportunity_id == opportunity_id,
            Booking.survivor_id == survivor_id,
            Booking.status == BookingStatus.BOOKED.value,
        )
    )
    if live is not None:
        raise OpportunityConflict("survivor_id: already has a place here")
    taken = cast(
        CursorResult[Any],
        await db.execute(
            update(Opportunity)
            .where(Opportunity.id == opportunity_id, Opportunity.capacity_left > 0, published_clause())
            .values(capacity_left=Opportunity.capacity_left - 1, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if taken.rowcount != 1:
        raise PlaceUnavailable("capacity_left: no place left")
    booking = Booking(
        opportunity_id=opportunity_id,
        survivor_id=survivor_id,
        booked_by_id=booked_by_id,
        booked_at=now,
        status=BookingStatus.BOOKED.value,
    )
    db.add(booking)
    try:
        await db.flush()
    except IntegrityError as error:  # the same survivor booked twice at the same instant
        raise OpportunityConflict("survivor_id: already has a place here") from error
    return booking


async def release_place(db: AsyncSession, booking: Booking, released_by_id: UUID | None, now: datetime) -> Booking:
    """Give a booked place back (once: a second release is a conflict)."""
    released = cast(
        CursorResult[Any],
        await db.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.status == BookingStatus.BOOKED.value)
            .values(status=BookingStatus.RELEASED.value, released_at=now, released_by_id=released_by_id, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if released.rowcount != 1:
        raise OpportunityConflict("status: this place was already released")
    await db.execute(
        update(Opportunity)
        .where(Opportunity.id == booking.opportunity_id, Opportunity.capacity_left < Opportunity.capacity)
        .values(capacity_left=Opportunity.capacity_left + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await db.refresh(booking)
    return booking
