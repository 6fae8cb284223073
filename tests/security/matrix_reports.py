"""Access-matrix rows of reports and data rights (SECURITY S1, S19, S20, S21).

Reports are aggregate and open to coordinators (their own organisation) and admins (every
organisation); counsellors, partners and survivors are refused by role. Export follows the
survivor's scope for staff; she exports her own data through /api/me/export. Erasure is a
coordinator's act on a survivor of her organisation: the world gets a separate survivor
(`erasable_id`) so the matrix's own survivor stays for the other rows.
"""

from __future__ import annotations

from uuid import UUID

from tests.support.factories import Factory
from tests.support.matrix import SURVIVORS, Row, World, only, survivor_scoped

_REPORTERS = only({"coordinator_same": 200, "coordinator_other": 200, "admin": 200})


async def setup(factory: Factory, world: World) -> None:
    async with factory.alchemy.get_session() as db:
        from service.domain.survivors.models import Survivor

        row = Survivor(
            organisation_id=UUID(world.ids["ngo"]),
            counsellor_id=world.users["counsellor_owner"].id,
            display_name="Erasable in the matrix",
            region="DE30",
        )
        db.add(row)
        await db.commit()
    world.ids["erasable_id"] = str(row.id)


ROWS: tuple[Row, ...] = (
    Row("GET", "/api/reports/indicators", _REPORTERS),
    Row("GET", "/api/reports/indicators.csv", _REPORTERS),
    Row("GET", "/api/reports/chart.svg", _REPORTERS),
    Row("GET", "/api/survivors/{survivor_id}/export", survivor_scoped(200, survivor_ok=False)),
    Row("GET", "/api/me/export", only(dict.fromkeys(SURVIVORS, 200))),
    Row("POST", "/api/me/erasure-request", only(dict.fromkeys(SURVIVORS, 202))),
    Row("GET", "/api/erasures/requests", only({"coordinator_same": 200, "coordinator_other": 200})),
    Row(
        "POST",
        "/api/erasures",
        only({"coordinator_same": 200, "coordinator_other": 404}),
        body=lambda w: {"survivor_id": w.ids["erasable_id"]},
    ),
)
