"""Access-matrix rows for the `followups` pages: follow-up answers, alerts, the milestone
timeline and allocation rounds (SECURITY S1, S2).

The area's own objects, so other areas' rows keep theirs: a due follow-up of the survivor, an
alert about it delivered to her counsellor, and a proposed round of her organisation. The
matrix client follows redirects, so a successful form post shows as the 200 of the page it
leads to. Row order matters: her counsellor answers the follow-up first (an empty answer is a
valid one, as in the API), so her organisation's coordinator then gets the 409 page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from service.domain.followups.models import FollowUp
from service.domain.matches.models import AllocationRound
from service.messaging.models import OutboxMessage
from tests.security.matrix_pages import case_page, page
from tests.support.factories import Factory
from tests.support.matrix import Row, World


async def setup(factory: Factory, world: World) -> None:
    now = datetime.now(UTC)
    owner = world.users["counsellor_owner"]
    async with factory.alchemy.get_session() as db:
        followup = FollowUp(
            survivor_id=UUID(world.ids["survivor_id"]),
            kind="plan_30d",
            due_at=now - timedelta(hours=2),
            status="done",
            idempotency_key=f"matrix:pages:{world.ids['survivor_id']}",
        )
        db.add(followup)
        await db.flush()
        alert = OutboxMessage(
            idempotency_key=f"matrix:pages:alert:{followup.id}",
            channel="in_app",
            template="alert",
            recipient_user_id=owner.id,
            subject_survivor_id=followup.survivor_id,
            followup_id=followup.id,
            status="sent",
            created_at=now,
            not_before=now,
            sent_at=now,
        )
        round_ = AllocationRound(
            organisation_id=UUID(world.ids["ngo"]),
            created_by_id=world.users["coordinator_same"].id,
            as_of=date(2026, 11, 28),
            method="milp",
            objective=0.0,
            placed=0,
            greedy_objective=0.0,
            greedy_placed=0,
            seconds=0.0,
        )
        db.add_all([alert, round_])
        await db.commit()
    world.ids.update({"checkin_id": str(followup.id), "alert_id": str(alert.id), "allocation_round_id": str(round_.id)})


COORDINATORS = {"coordinator_same": 200, "coordinator_other": 200}
ROWS: tuple[Row, ...] = (
    Row("GET", "/followups/{checkin_id}", case_page(200)),
    Row("POST", "/followups/{checkin_id}/answer", case_page(200) | {"coordinator_same": 409}),
    Row(
        "POST",
        "/notices/{alert_id}/read",
        page({"counsellor_owner": 200, "counsellor_other": 404, "coordinator_same": 404, "coordinator_other": 404}),
    ),
    Row("GET", "/people/{survivor_id}/milestones", case_page(200)),
    Row("POST", "/people/{survivor_id}/milestones", case_page(400)),
    Row("GET", "/rounds", page(COORDINATORS)),
    Row("POST", "/rounds", page(COORDINATORS)),
    Row("GET", "/rounds/{allocation_round_id}", page({"coordinator_same": 200, "coordinator_other": 404})),
    Row("POST", "/rounds/{allocation_round_id}/accept", page({"coordinator_same": 200, "coordinator_other": 404})),
)
