"""Access-matrix rows of listings, review, vetting and bookings (SECURITY S1, S7).

The world gets one published childcare listing of `partner_consented`'s organisation
(`opportunity_id`) and one booking of the survivor herself in another listing (`booking_id`).
Rows run in order and their effects stay, so the expected statuses follow the story: the
counsellor books first, a coordinator closes the listing last, and so on.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from providers.models import Opportunity
from providers.schedule import EMPTY_WEEK
from providers.services import book_place
from service.kernel.actor import now_utc
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.matrix import PARTNERS, Row, World, logged_in, only
from tests.support.track_record import give_track_record

REVIEWERS = ("coordinator_same", "coordinator_other", "admin")


def _published(org_id: UUID, title: str) -> Opportunity:
    return Opportunity(
        organisation_id=org_id,
        kind="childcare",
        status="published",
        title=title,
        region="DE30",
        lat=52.5,
        lon=13.4,
        capacity=50,
        capacity_left=50,
        starts_on=date(2027, 1, 4),
        age_min=1,
        age_max=5,
        schedule=list(EMPTY_WEEK),
    )


async def setup(factory: Factory, world: World) -> None:
    org_id = world.users["partner_consented"].organisation_id
    assert org_id is not None
    await give_track_record(factory, org_id)  # established: her edit republishes without a review
    async with factory.alchemy.get_session() as db:
        listing, other = _published(org_id, "Matrix childcare"), _published(org_id, "Matrix course")
        db.add_all([listing, other])
        await db.flush()
        booking = await book_place(db, other.id, UUID(world.ids["survivor_id"]), None, now_utc())
        await db.commit()
    world.ids["opportunity_id"] = str(listing.id)
    world.ids["booking_id"] = str(booking.id)


_OWNER_ONLY = {"partner_consented": 200, "partner_unconsented": 404, "partner_withdrawn": 404}
_READERS_OF_PUBLISHED = logged_in(200, partner_unconsented=404, partner_withdrawn=404)
_BOOKING_SCOPE = {
    "survivor_self": 200,
    "survivor_other": 404,
    "counsellor_owner": 200,
    "counsellor_other": 404,
    "coordinator_same": 200,
    "coordinator_other": 404,
}

ROWS: tuple[Row, ...] = (
    Row("GET", "/api/opportunities", logged_in(200)),
    Row("GET", "/api/opportunities/count", logged_in(200)),
    Row("GET", "/api/opportunities/review", only(dict.fromkeys(REVIEWERS, 200))),
    Row(
        "POST",
        "/api/opportunities",
        only(dict.fromkeys(PARTNERS, 201)),
        body=lambda w: listing_payload("childcare", title="Matrix childcare", capacity=50),
    ),
    Row(
        "POST",
        "/api/opportunities/import",
        only(dict.fromkeys(PARTNERS, 201)),
        body=lambda w: [listing_payload("childcare", title="Imported childcare", capacity=50)],
    ),
    Row(
        "POST",
        "/api/opportunities/import/jobposting",
        only(dict.fromkeys(PARTNERS, 201)),
        body=lambda w: {"@type": "JobPosting", "title": "Matrix cook", "jobLocation": {"address": "Berlin"}},
    ),
    Row("GET", "/api/opportunities/{opportunity_id}", _READERS_OF_PUBLISHED),
    Row(
        "PATCH",
        "/api/opportunities/{opportunity_id}",
        only(_OWNER_ONLY),
        body=lambda w: {"description": "Mornings, in a bright room."},
    ),
    # Published already: the owner learns it is not a draft; other partners learn nothing.
    Row("POST", "/api/opportunities/{opportunity_id}/submit", only({**_OWNER_ONLY, "partner_consented": 409})),
    Row(
        "POST",
        "/api/opportunities/{opportunity_id}/review",
        only(dict.fromkeys(REVIEWERS, 409)),
        body=lambda w: {"decision": "approve", "reason": "matrix"},
    ),
    # The counsellor books for her survivor; the coordinator then finds her booked already.
    Row(
        "POST",
        "/api/opportunities/{opportunity_id}/bookings",
        only({"counsellor_owner": 201, "counsellor_other": 404, "coordinator_same": 409, "coordinator_other": 404}),
        body=lambda w: {"survivor_id": w.ids["survivor_id"]},
    ),
    # The first allowed caller (coordinator_same) closes it; everyone after finds it closed.
    Row(
        "POST",
        "/api/opportunities/{opportunity_id}/close",
        only({**dict.fromkeys(REVIEWERS, 409), "coordinator_same": 200, **_OWNER_ONLY, "partner_consented": 409}),
    ),
    Row("GET", "/api/bookings", only(dict.fromkeys(("survivor_self", "survivor_other", *_BOOKING_SCOPE), 200))),
    Row("GET", "/api/bookings/{booking_id}", only(_BOOKING_SCOPE)),
    Row(
        "POST",
        "/api/bookings/{booking_id}/release",
        only({"counsellor_owner": 200, "counsellor_other": 404, "coordinator_same": 409, "coordinator_other": 404}),
    ),
    Row("GET", "/api/partners", only(dict.fromkeys(REVIEWERS, 200))),
    # org_id is the survivor's NGO, not a partner: reviewers get not found, nobody suspends anyone.
    Row(
        "POST",
        "/api/partners/{org_id}/vetting",
        only(dict.fromkeys(REVIEWERS, 404)),
        body=lambda w: {"status": "suspended", "reason": "matrix"},
    ),
)
