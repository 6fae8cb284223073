"""Access-matrix rows for partner checks (issue 14): `org_id` is the survivor's NGO, not a
partner, so those who may check partners get not found and nothing is recorded."""

from __future__ import annotations

from tests.security.matrix_pages import ADMIN_AND_COORDINATORS, page
from tests.support.matrix import Row, only

CHECKERS = ("admin", "coordinator_same", "coordinator_other")
CHECK = {"kind": "registration", "outcome": "passed", "evidence": "register entry seen"}

ROWS: tuple[Row, ...] = (
    Row("GET", "/api/partners/{org_id}/checks", only(dict.fromkeys(CHECKERS, 404))),
    Row("POST", "/api/partners/{org_id}/checks", only(dict.fromkeys(CHECKERS, 404)), body=lambda w: CHECK),
    Row("GET", "/review/partners/{org_id}/checks", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 404))),
    Row("POST", "/review/partners/{org_id}/checks", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 404))),
)
