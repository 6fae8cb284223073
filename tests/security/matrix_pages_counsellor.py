"""Access-matrix rows for the counsellor's intake and profile parts (service/web/intake_pages.py,
service/web/profile_pages.py). Empty posts pass the guards and are refused by the form (400)."""

from __future__ import annotations

from tests.security.matrix_pages import STAFF, case_page, page
from tests.support.factories import Factory
from tests.support.matrix import SURVIVORS, Row, World

ROWS: tuple[Row, ...] = (
    Row("GET", "/people/new", page(dict.fromkeys(STAFF, 200))),
    Row("POST", "/people/new", page(dict.fromkeys(STAFF, 400))),
    Row("GET", "/people/{survivor_id}/profile/{section}", case_page(200)),
    Row("POST", "/people/{survivor_id}/profile/{section}", case_page(400)),
    # Nobody's signal: staff get the 404 page, as for anyone else's.
    Row("POST", "/signals/{signal_id}/read", page(dict.fromkeys(STAFF, 404))),
    Row("GET", "/people/{survivor_id}/close", case_page(200)),
    Row("POST", "/people/{survivor_id}/close", case_page(400)),
    # Her case is open: reopening it is refused (409) to those who may see it.
    Row("POST", "/people/{survivor_id}/reopen", case_page(409)),
    Row("POST", "/people/{survivor_id}/erasure-request", case_page(200)),
    Row("GET", "/people/{survivor_id}/cv", case_page(200)),
    Row("GET", "/my/cv", page(dict.fromkeys(SURVIVORS, 200))),
    Row("POST", "/my/erasure-request", page(dict.fromkeys(SURVIVORS, 200))),
)


async def setup(factory: Factory, world: World) -> None:
    """A part of the profile that exists (its empty form lacks the required journey fields)."""
    world.ids["section"] = "travel"
    world.ids["signal_id"] = "00000000-0000-4000-8000-000000000013"
