"""Long lists on the pages, a page at a time: `?page=N` from 1, newest first, PAGE_SIZE rows.

A handler reads the number with `page_number`, asks its service for `offset(number)` and
PAGE_SIZE rows (the service counts the total in the same call), and renders `Pages`; the
macros in templates/macros/pages.html draw the links and the "no such page" message. A page
that is not a plain number, or past the last one, is answered 400 with the pages there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar.params import QueryParameter

PAGE_SIZE = 50
PageNumber = Annotated[str | None, QueryParameter(name="page", max_length=12)]


def page_number(raw: str | None) -> int:
    """1 when no page is asked for; 0 (no such page) for anything but plain ASCII digits."""
    if not raw:
        return 1
    return int(raw) if raw.isascii() and raw.isdigit() else 0


def offset(number: int, size: int = PAGE_SIZE) -> int:
    """Rows before page ``number`` (page 1 for a number that is no page)."""
    return (max(number, 1) - 1) * size


@dataclass(frozen=True)
class Pages:
    """Where page ``number`` sits among ``total`` rows, with ``shown`` rows on it."""

    number: int
    total: int
    shown: int
    size: int = PAGE_SIZE

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def exists(self) -> bool:
        return 1 <= self.number <= self.last

    @property
    def first(self) -> int:
        return offset(self.number, self.size) + 1

    @property
    def shown_to(self) -> int:
        return self.first + self.shown - 1
