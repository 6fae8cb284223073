"""Access-matrix rows of the taxonomy API: every logged-in role, never anonymous callers."""

from __future__ import annotations

from skills.starter import load_starter
from tests.support.factories import Factory
from tests.support.matrix import Row, World, logged_in

DOMESTIC_CLEANER_ID = "cbad55a4-c7cf-4ab6-9540-eac72b26729b"


async def setup(factory: Factory, world: World) -> None:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    world.ids["occupation_id"] = DOMESTIC_CLEANER_ID


ROWS: tuple[Row, ...] = (
    # Without a `q` the answer is 400 for every logged-in role (the row's path carries no query).
    Row("GET", "/api/skills/suggest", logged_in(400)),
    Row("POST", "/api/skills/normalise", logged_in(200), body=lambda w: {"texts": ["Putzfrau"], "lang": "de"}),
    Row("GET", "/api/occupations/{occupation_id}/skills", logged_in(200)),
)
