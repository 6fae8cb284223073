"""Access-matrix rows for referrals, the partner's candidate view, follow-ups, notices and
milestones (SECURITY S1, S2, S6, S7).

The world gets: a published job of the consented partner and a referral of the survivor to
it, shared under her consent for that partner; a due follow-up of hers; an in-app notice to
her; eleven more listings so that every actor's "suggest" names a listing not yet suggested.
Statuses follow the row order: the survivor answers the follow-up first, so staff then get 409.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from providers.models import Opportunity
from service.domain.followups.models import FollowUp
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Consent
from service.messaging.models import OutboxMessage
from tests.support.factories import Factory
from tests.support.matrix import COUNSELLORS, PARTNERS, STAFF, SURVIVORS, Row, World, logged_in, only, survivor_scoped

_suggestions = itertools.count()
_SPARE = 11


def _listing(organisation_id: object) -> Opportunity:
    return Opportunity(
        organisation_id=organisation_id,
        created_by_id=None,
        kind="job",
        status="published",
        title="Matrix job",
        region="DE30",
        lat=52.5,
        lon=13.4,
        capacity=2,
        capacity_left=2,
        starts_on=date(2027, 1, 4),
    )


async def setup(factory: Factory, world: World) -> None:
    now = datetime.now(UTC)
    partner_org = world.ids["partner_consented_org"]
    async with factory.alchemy.get_session() as db:
        consent = await db.scalar(
            select(Consent).where(Consent.survivor_id == world.ids["survivor_id"], Consent.partner_id == partner_org)
        )
        assert consent is not None
        job = _listing(consent.partner_id)
        spare = [_listing(consent.partner_id) for _ in range(_SPARE)]
        db.add_all([job, *spare])
        await db.flush()
        referral = Referral(
            survivor_id=consent.survivor_id,
            opportunity_id=job.id,
            partner_id=consent.partner_id,
            status="shared",
            consent_id=consent.id,
        )
        followup = FollowUp(
            survivor_id=consent.survivor_id,
            kind="plan_7d",
            due_at=now - timedelta(hours=1),
            status="done",
            idempotency_key=f"matrix:{consent.survivor_id}",
        )
        db.add_all([referral, followup])
        await db.flush()
        notice = OutboxMessage(
            idempotency_key=f"matrix:notice:{followup.id}",
            channel="in_app",
            template="checkin",
            recipient_user_id=world.users["survivor_self"].id,
            subject_survivor_id=consent.survivor_id,
            discreet=True,
            status="sent",
            created_at=now,
            not_before=now,
            sent_at=now,
        )
        db.add(notice)
        await db.commit()
        world.ids.update(
            {
                "referral_id": str(referral.id),
                "matrix_consent": str(consent.id),
                "followup_id": str(followup.id),
                "notice_id": str(notice.id),
                "spare_listings": ",".join(str(row.id) for row in spare),
            }
        )


def _next_listing(world: World) -> dict[str, str]:
    listings = world.ids["spare_listings"].split(",")
    return {"opportunity_id": listings[next(_suggestions) % len(listings)]}


CASE = (*SURVIVORS, *STAFF)
ROWS: tuple[Row, ...] = (
    Row("GET", "/api/partner/candidates", only(dict.fromkeys(PARTNERS, 200))),
    Row(
        "GET",
        "/api/partner/candidates/{referral_id}",
        only({"partner_consented": 200, "partner_unconsented": 404, "partner_withdrawn": 404}),
    ),
    Row("POST", "/api/survivors/{survivor_id}/referrals", survivor_scoped(201, survivor_ok=False), body=_next_listing),
    Row("GET", "/api/survivors/{survivor_id}/referrals", survivor_scoped(200)),
    Row(
        "POST",
        "/api/referrals/{referral_id}/transition",
        # From `shared`, `completed` is never allowed: in scope → 409, out of scope → 404.
        survivor_scoped(409, survivor_ok=False),
        body=lambda w: {"to": "completed", "reason": "matrix"},
    ),
    Row(
        "POST",
        "/api/referrals/{referral_id}/share",
        survivor_scoped(200),
        body=lambda w: {"consent_id": w.ids["matrix_consent"]},
    ),
    Row("GET", "/api/me/referrals", only(dict.fromkeys(SURVIVORS, 200))),
    Row(
        "POST",
        "/api/me/referrals/{referral_id}/interested",
        only({"survivor_self": 409, "survivor_other": 404}),
        body=lambda w: {"reason": ""},
    ),
    Row("GET", "/api/followups", only(dict.fromkeys(STAFF, 200))),
    Row(
        "POST",
        "/api/followups/{followup_id}/answer",
        only(
            {
                "survivor_self": 200,
                "survivor_other": 404,
                "counsellor_owner": 409,
                "counsellor_other": 404,
                "coordinator_same": 409,
                "coordinator_other": 404,
            }
        ),
        body=lambda w: {"still_there": True, "contract": "formal"},
    ),
    Row("GET", "/api/followups/policy", only(dict.fromkeys(STAFF, 200))),
    Row(
        "PUT",
        "/api/followups/policy",
        only({"coordinator_same": 200, "coordinator_other": 200}),
        body=lambda w: {"plan_days": [7, 30, 91, 182, 365]},
    ),
    Row("GET", "/api/notices", logged_in(200)),
    Row("POST", "/api/notices/{notice_id}/read", logged_in(404, survivor_self=204)),
    Row("GET", "/api/milestones/catalogue", only(dict.fromkeys(CASE, 200))),
    Row("GET", "/api/survivors/{survivor_id}/milestones", survivor_scoped(200)),
    Row(
        "POST",
        "/api/survivors/{survivor_id}/milestones",
        survivor_scoped(201, survivor_ok=False),
        body=lambda w: {"milestone": "bank_account", "achieved_on": "2026-11-01", "evidence": "statement seen"},
    ),
    Row("GET", "/api/me/milestones", only(dict.fromkeys(SURVIVORS, 200))),
)

__all__ = ["COUNSELLORS", "ROWS", "setup"]
