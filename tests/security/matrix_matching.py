"""Access-matrix rows of matches and allocation rounds (SECURITY S1, S2).

Matches follow the survivor's scope (her counsellor, her organisation's coordinators, she
herself; partners and admins are refused by role). Rounds are for coordinators only, and a
round of another organisation answers like one that does not exist. The world gets one
proposed round of the survivor's organisation (`round_id`), accepted by its coordinator in the
accept row.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.domain.matches.models import AllocationRound
from tests.support.factories import Factory
from tests.support.matrix import Row, World, only, survivor_scoped


async def setup(factory: Factory, world: World) -> None:
    async with factory.alchemy.get_session() as db:
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
        db.add(round_)
        await db.commit()
    world.ids["round_id"] = str(round_.id)


_OWN_ORG = {"coordinator_same": 200, "coordinator_other": 404}
ROWS: tuple[Row, ...] = (
    Row("GET", "/api/survivors/{survivor_id}/matches", survivor_scoped(200)),
    Row(
        "POST",
        "/api/allocation-rounds",
        only({"coordinator_same": 201, "coordinator_other": 201}),
        body=lambda w: {"prioritise_waiting": True},
    ),
    Row("GET", "/api/allocation-rounds", only({"coordinator_same": 200, "coordinator_other": 200})),
    Row("GET", "/api/allocation-rounds/{round_id}", only(_OWN_ORG)),
    Row("POST", "/api/allocation-rounds/{round_id}/accept", only(_OWN_ORG)),
)
