"""Server-rendered pages (Jinja + HTMX) for every audience, over the same services and guards
as the JSON API. `page_router()` is the one entry point the app's route list uses."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide


def page_router() -> Router:
    """Every page, with page-style errors (redirect to login, 403 and 404 pages)."""
    from service.web.admin_pages import DirectoryPages, PartnerPages
    from service.web.auth_pages import SecurityPages, SessionPages
    from service.web.errors import PAGE_EXCEPTION_HANDLERS
    from service.web.rendering import provide_page
    from service.web.staff_pages import CaseloadPages, ConsentPages
    from service.web.survivor_pages import MySpacePages

    return Router(
        path="/",
        route_handlers=[
            SessionPages,
            SecurityPages,
            CaseloadPages,
            ConsentPages,
            MySpacePages,
            DirectoryPages,
            PartnerPages,
        ],
        dependencies={"page": Provide(provide_page)},
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        # Pages are for people; the OpenAPI document (and schemathesis) covers the JSON API.
        include_in_schema=False,
    )
