"""Access-matrix rows for taking a proposal out of an allocation round (issue 14).

The matrix's rounds hold no assignment with this id: their own coordinator gets not found,
another organisation's coordinator the same 404, everyone else the role refusal."""

from __future__ import annotations

from tests.security.matrix_pages import page
from tests.support.factories import Factory
from tests.support.matrix import Row, World, only

_OWN_ORG = {"coordinator_same": 404, "coordinator_other": 404}
ROWS: tuple[Row, ...] = (
    Row("POST", "/api/allocation-rounds/{round_id}/assignments/{assignment_id}/drop", only(_OWN_ORG)),
    Row("POST", "/rounds/{allocation_round_id}/assignments/{assignment_id}/drop", page(_OWN_ORG)),
)


async def setup(factory: Factory, world: World) -> None:
    world.ids["assignment_id"] = "00000000-0000-4000-8000-00000000a551"
