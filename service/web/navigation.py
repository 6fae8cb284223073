"""Header links: each page module declares its own (`NAV`), the route list collects them.

`service/routes.py` puts the collected links on the app's state at start-up, so the page
frame reads them from the request and this package never imports the page modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

STATE_KEY = "navigation"


@dataclass(frozen=True, slots=True)
class NavItem:
    """A header link: for which roles, where to, its (translatable) label, and its order."""

    roles: frozenset[str]
    href: str
    label: str
    order: int = 50


def collect(modules: Iterable[Any]) -> tuple[NavItem, ...]:
    """Every `NAV` item of these page modules, in order."""
    items = [item for module in modules for item in getattr(module, "NAV", ())]
    return tuple(sorted(items, key=lambda item: (item.order, item.href)))


@lru_cache(maxsize=64)
def for_role(items: tuple[NavItem, ...], role: str | None) -> tuple[NavItem, ...]:
    """The header links one role sees, in order (none before sign-in)."""
    if role is None:
        return ()
    return tuple(item for item in items if role in item.roles)
