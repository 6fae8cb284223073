"""Access-matrix rows for recording a permission from a page (service/web/consent_pages.py).

An empty post passes the guards and is refused by the form itself (400): no purpose chosen.
"""

from __future__ import annotations

from tests.security.matrix_pages import case_page, page
from tests.support.matrix import SURVIVORS, Row

ROWS: tuple[Row, ...] = (
    Row("POST", "/people/{survivor_id}/consents", case_page(400)),
    Row("POST", "/my/consents", page(dict.fromkeys(SURVIVORS, 400))),
)
