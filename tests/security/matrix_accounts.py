"""Access-matrix rows for invitations, password reset and the account pages (issue 14).

Public routes answer everyone alike: a reset request 202 (the same whether the address exists),
a link that opens nothing 400 (API) or the 410 "link no longer works" page. Anonymous page posts
carry no double-submit CSRF cookie and get 403.
"""

from __future__ import annotations

from tests.security.matrix_pages import page
from tests.support.matrix import LOGGED_IN, Row, World, everyone, only, unique

UNKNOWN_LINK = {"token": "x" * 43, "password": "a long enough pass phrase"}
STAFF_OF_HER = {"counsellor_owner": 409, "counsellor_other": 404, "coordinator_same": 409, "coordinator_other": 404}


def _survivor_invitation(world: World) -> dict[str, object]:
    return {"email": f"her{next(unique)}@example.org", "she_agreed": True}


ROWS: tuple[Row, ...] = (
    Row(
        "POST",
        "/api/invitations",
        only({"admin": 201, "coordinator_same": 201}),
        body=lambda w: {
            "email": f"invited{next(unique)}@example.org",
            "role": "counsellor",
            "organisation_id": w.ids["ngo"],
        },
    ),
    # She has an account already: staff who may see her get 409, others her 404 (the 201 is
    # in tests/integration/test_accounts_invitations.py).
    Row("POST", "/api/survivors/{survivor_id}/invitation", only(STAFF_OF_HER), body=_survivor_invitation),
    # Her counsellor has chosen a password: nothing to send again (409), or not found.
    Row(
        "POST",
        "/api/users/{user_id}/invitation",
        only({"admin": 409, "coordinator_same": 409, "coordinator_other": 404}),
    ),
    Row("POST", "/api/auth/reset", everyone(202), body=lambda w: {"email": f"nobody{next(unique)}@example.org"}),
    Row("POST", "/api/auth/welcome", everyone(400), body=lambda w: UNKNOWN_LINK),
    Row("POST", "/api/auth/new-password", everyone(400), body=lambda w: UNKNOWN_LINK),
    Row("GET", "/account/reset", everyone(200)),
    Row("POST", "/account/reset", {"anonymous": 403, **dict.fromkeys(LOGGED_IN, 400)}),
    Row("GET", "/account/welcome", everyone(410)),
    Row("POST", "/account/welcome", {"anonymous": 403, **dict.fromkeys(LOGGED_IN, 410)}),
    Row("GET", "/account/new-password", everyone(410)),
    Row("POST", "/account/new-password", {"anonymous": 403, **dict.fromkeys(LOGGED_IN, 410)}),
    Row(
        "GET",
        "/people/{survivor_id}/account",
        page({"counsellor_owner": 200, "counsellor_other": 404, "coordinator_same": 200, "coordinator_other": 404}),
    ),
    Row(
        "POST",
        "/people/{survivor_id}/account",
        page({"counsellor_owner": 400, "counsellor_other": 404, "coordinator_same": 400, "coordinator_other": 404}),
    ),
)

# Account and organisation pages and their API (point 3). `user_id` is the owning counsellor:
# posts without a form body make no decision (400) so the matrix never deactivates anyone.
DIRECTORY_OF_NGO = {"admin": 200, "coordinator_same": 200, "coordinator_other": 404}
ROWS += (
    Row("GET", "/directory/users/{user_id}", page(DIRECTORY_OF_NGO)),
    Row("POST", "/directory/users/{user_id}/active", page({**DIRECTORY_OF_NGO, "admin": 400, "coordinator_same": 400})),
    Row(
        "POST",
        "/directory/users/{user_id}/second-factor",
        page({**DIRECTORY_OF_NGO, "admin": 400, "coordinator_same": 400}),
    ),
    Row("POST", "/directory/users/{user_id}/role", page({**DIRECTORY_OF_NGO, "admin": 400, "coordinator_same": 400})),
    Row(
        "POST",
        "/directory/users/{user_id}/invitation",
        page({**DIRECTORY_OF_NGO, "admin": 400, "coordinator_same": 400}),
    ),
    Row("GET", "/directory/organisations/new", page({"admin": 200})),
    Row("POST", "/directory/organisations/new", page({"admin": 400})),
    Row("GET", "/directory/organisations/{org_id}", page({"admin": 200})),
    Row("POST", "/directory/organisations/{org_id}", page({"admin": 400})),
    Row("POST", "/directory/organisations/{org_id}/active", page({"admin": 400})),
    # Her counsellor has no second factor: nothing to reset (409).
    Row(
        "POST",
        "/api/users/{user_id}/mfa/reset",
        only({"admin": 409, "coordinator_same": 409, "coordinator_other": 404}),
    ),
    # The same role again: allowed, changes nothing (her sessions stay).
    Row(
        "PUT",
        "/api/users/{user_id}/role",
        only({"admin": 200, "coordinator_same": 200, "coordinator_other": 404}),
        body=lambda w: {"role": "counsellor"},
    ),
    Row("PUT", "/api/organisations/{org_id}/active", only({"admin": 200}), body=lambda w: {"active": True}),
)
