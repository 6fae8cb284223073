"""Access-matrix rows for her opportunities and milestones pages (service/web/survivor_space_pages.py).

Only a survivor may open them, and each shows her own record (found through her session, never
an id in the URL): both survivors get 200, every other role the 403 page, and an anonymous
visitor the login page (200 after the redirect). Her answer posted without a form body gets
the page's own 400 (nothing written).
"""

from __future__ import annotations

from tests.security.matrix_pages import page
from tests.support.matrix import SURVIVORS, Row

ROWS: tuple[Row, ...] = (
    Row("GET", "/my/opportunities", page(dict.fromkeys(SURVIVORS, 200))),
    Row("POST", "/my/opportunities/answer", page(dict.fromkeys(SURVIVORS, 400))),
    Row("GET", "/my/milestones", page(dict.fromkeys(SURVIVORS, 200))),
)
