"""Access-matrix rows of the review queue, partner checks and reports pages (SECURITY S1).

Coordinators of any organisation and administrators review listings and vet partners, as in
the JSON API (`REVIEWER`); everyone else gets the 403 page, anonymous visitors the login page.
The matrix posts no form fields, so reviewers get the page's own 400 (a reason is required)
and nothing is written. `opportunity_id` comes from matrix_opportunities' setup.
"""

from __future__ import annotations

from tests.security.matrix_pages import ADMIN_AND_COORDINATORS, page
from tests.support.matrix import Row

REVIEWERS_OK = page(dict.fromkeys(ADMIN_AND_COORDINATORS, 200))
REVIEWERS_FORM_MISSING = page(dict.fromkeys(ADMIN_AND_COORDINATORS, 400))

ROWS: tuple[Row, ...] = (
    Row("GET", "/review", REVIEWERS_OK),
    Row("POST", "/review/listings/{opportunity_id}", REVIEWERS_FORM_MISSING),
    Row("GET", "/review/partners", REVIEWERS_OK),
    # `org_id` is the survivor's NGO, not a partner: reviewers get the same 404 as for an unknown id.
    Row("POST", "/review/partners/{org_id}/vetting", page(dict.fromkeys(ADMIN_AND_COORDINATORS, 404))),
    Row("GET", "/reports", REVIEWERS_OK),
)
