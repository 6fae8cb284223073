"""Access-matrix row for a counsellor's confirmation of a partner's report (referral_outcome_pages).

Set up after matrix_referrals (files run in name order): one report by `partner_consented` on
the world's referral. Its owner's counsellor confirms it (the redirect followed: 200); the
coordinator of the same organisation then finds it confirmed already (409); staff elsewhere get
the 404 page; partners and survivors the 403 page; anonymous visitors end on the login page.
"""

from __future__ import annotations

from uuid import UUID

from service.domain.referrals.outcomes import PartnerOutcome
from service.kernel.actor import now_utc
from tests.security.matrix_pages import page
from tests.support.factories import Factory
from tests.support.matrix import Row, World


async def setup(factory: Factory, world: World) -> None:
    partner = world.users["partner_consented"]
    async with factory.alchemy.get_session() as db:
        report = PartnerOutcome(
            referral_id=UUID(world.ids["referral_id"]),
            partner_id=partner.organisation_id,
            outcome="invited",
            recorded_by_id=partner.id,
            recorded_at=now_utc(),
        )
        db.add(report)
        await db.commit()
    world.ids["outcome_id"] = str(report.id)


ROWS: tuple[Row, ...] = (
    Row(
        "POST",
        "/referrals/{referral_id}/outcomes/{outcome_id}/confirm",
        page({"counsellor_owner": 200, "counsellor_other": 404, "coordinator_same": 409, "coordinator_other": 404}),
    ),
)
