"""Access-matrix rows for the pages (service/web/).

The matrix client follows redirects, so a page refused to an anonymous visitor shows here as
the 200 of the login page she is sent to; tests/integration/pages/test_pages_access.py asserts the
redirect itself (303 to /login) for every page route. Posts without a form body get 400 from
the page's own validation once the guards let them through; anonymous posts to the public
forms carry no double-submit CSRF cookie and get 403.
"""

from __future__ import annotations

from tests.support.factories import Factory
from tests.support.matrix import ACTORS, COUNSELLORS, LOGGED_IN, PARTNERS, SURVIVORS, Row, World

# Redirected to /login, which answers 200.
TO_LOGIN = 200
ADMIN_AND_COORDINATORS = ("admin", "coordinator_same", "coordinator_other")
STAFF = (*COUNSELLORS, "coordinator_same", "coordinator_other")


def page(allowed: dict[str, int], rest: int = 403) -> dict[str, int]:
    """Anonymous → the login page; roles not listed → the 403 page."""
    return {"anonymous": TO_LOGIN, **dict.fromkeys(LOGGED_IN, rest), **allowed}


def case_page(ok: int) -> dict[str, int]:
    """Staff pages about one survivor: other caseloads and organisations get the 404 page."""
    return page(
        {
            "counsellor_owner": ok,
            "counsellor_other": 404,
            "coordinator_same": ok,
            "coordinator_other": 404,
        }
    )


ROWS: tuple[Row, ...] = (
    Row("GET", "/static/{file_path}", dict.fromkeys(ACTORS, 200)),
    Row("GET", "/login", dict.fromkeys(ACTORS, 200)),
    Row("POST", "/login", {"anonymous": 403, **dict.fromkeys(LOGGED_IN, 400)}),
    Row("POST", "/language", {"anonymous": 403, **dict.fromkeys(LOGGED_IN, 400)}),
    Row("GET", "/", dict.fromkeys(ACTORS, 200)),
    Row("GET", "/account/security", dict.fromkeys(ACTORS, 200)),
    Row("POST", "/account/security/start", dict.fromkeys(ACTORS, 200)),
    Row("POST", "/account/security/confirm", {"anonymous": TO_LOGIN, **dict.fromkeys(LOGGED_IN, 400)}),
    Row("GET", "/caseload", page(dict.fromkeys(STAFF, 200))),
    Row("GET", "/people/{survivor_id}", case_page(200)),
    Row("GET", "/people/{survivor_id}/edit", case_page(200)),
    Row("POST", "/people/{survivor_id}/edit", case_page(400)),
    Row("GET", "/people/{survivor_id}/consents", case_page(200)),
    Row(
        "POST",
        "/consents/{consent_id}/withdraw",
        case_page(200) | {"survivor_self": 200, "survivor_other": 404},
    ),
    Row("GET", "/my", page(dict.fromkeys(SURVIVORS, 200))),
    Row("POST", "/my/pace", page(dict.fromkeys(SURVIVORS, 400))),
    Row("GET", "/directory/users", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 200))),
    Row("GET", "/directory/organisations", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 200))),
    Row("GET", "/directory/users/new", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 200))),
    Row("POST", "/directory/users/new", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 400))),
    Row("GET", "/organisation", page(dict.fromkeys(PARTNERS, 200))),
    # With a wrong CSRF token: every signed-in actor is refused (403 page) and stays signed in.
    # (Signing out for real is tested in test_pages_auth.py; a second session-ending row here
    # would make the matrix log every MFA user in a third time within two TOTP steps.)
    Row(
        "POST", "/logout", {"anonymous": TO_LOGIN, **dict.fromkeys(LOGGED_IN, 403)}, headers={"x-csrf-token": "forged"}
    ),
)


async def setup(factory: Factory, world: World) -> None:
    """A static file that exists, for the static row."""
    world.ids["file_path"] = "css/onward.css"
