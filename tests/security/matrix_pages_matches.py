"""Access-matrix rows for the matches area's pages: her suggestions, referrals and skills editor.

As for the other pages (tests/security/matrix_pages.py): anonymous visitors are redirected to
the login page (200 after the redirect), roles other than staff get the 403 page, staff of
another caseload or organisation the 404 page. Posts carry no form body here: proposing,
moving or sharing then answers 400 (nothing chosen); the skills editor treats an empty form as
"no change" and redirects to the profile (200 after the redirect); the suggestion fragment
answers an empty list. The referral is the one tests/security/matrix_referrals.py sets up.
"""

from __future__ import annotations

from tests.security.matrix_pages import case_page
from tests.support.matrix import Row

ROWS: tuple[Row, ...] = (
    Row("GET", "/people/{survivor_id}/matches", case_page(200)),
    Row("POST", "/people/{survivor_id}/matches/propose", case_page(400)),
    Row("GET", "/people/{survivor_id}/referrals", case_page(200)),
    Row("POST", "/referrals/{referral_id}/transition", case_page(400)),
    Row("POST", "/referrals/{referral_id}/share", case_page(400)),
    Row("GET", "/people/{survivor_id}/skills", case_page(200)),
    Row("POST", "/people/{survivor_id}/skills", case_page(200)),
    Row("POST", "/people/{survivor_id}/skills/suggest", case_page(200)),
)
