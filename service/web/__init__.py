"""Server-rendered pages (Jinja + HTMX) for every audience, over the same services and guards
as the JSON API. `page_router()` is the one entry point the app's route list uses.

Each area of pages is a module `service/web/<area>_pages.py` that declares what it adds:
``CONTROLLERS`` (its Litestar controllers) and, optionally, ``NAV`` (its links in the page
header, per role). Areas are found by that naming, so one area's pages never need an edit
elsewhere to be served or linked.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from litestar import Router
from litestar.di import Provide


@dataclass(frozen=True, slots=True)
class NavItem:
    """A header link: for which roles, where to, its (translatable) label, and its order."""

    roles: frozenset[str]
    href: str
    label: str
    order: int = 50


@lru_cache(maxsize=1)
def page_modules() -> tuple[ModuleType, ...]:
    """Every `*_pages` module of this package, by name (a deterministic order)."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if info.name.endswith("_pages"))
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


@lru_cache(maxsize=8)
def navigation(role: str | None) -> tuple[NavItem, ...]:
    """The header links one role sees, in order."""
    if role is None:
        return ()
    items = [item for module in page_modules() for item in getattr(module, "NAV", ()) if role in item.roles]
    return tuple(sorted(items, key=lambda item: (item.order, item.href)))


def page_router() -> Router:
    """Every page, with page-style errors (redirect to login, 403 and 404 pages)."""
    from service.web.errors import PAGE_EXCEPTION_HANDLERS
    from service.web.rendering import provide_page

    return Router(
        path="/",
        route_handlers=[controller for module in page_modules() for controller in module.CONTROLLERS],
        dependencies={"page": Provide(provide_page)},
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        # Pages are for people; the OpenAPI document (and schemathesis) covers the JSON API.
        include_in_schema=False,
    )
