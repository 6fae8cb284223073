"""The request a piece of code runs in, so that a failing request can still commit its trace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar.types import Scope
from sqlalchemy.ext.asyncio import AsyncSession

_request_scope: ContextVar[Scope | None] = ContextVar("onward_request_scope", default=None)


@contextmanager
def bound_request(scope: Scope) -> Iterator[None]:
    """Make the current request's scope (and so its DB session) known to `commit_despite_failure`."""
    token = _request_scope.set(scope)
    try:
        yield
    finally:
        _request_scope.reset(token)


async def commit_despite_failure(alchemy: SQLAlchemyAsyncConfig, *rows: Any) -> None:
    """Persist rows although the current request will end in an error and be rolled back."""
    scope = _request_scope.get()
    session = get_aa_scope_state(scope, alchemy.session_scope_key) if scope is not None else None
    if isinstance(session, AsyncSession):
        await session.rollback()
        session.add_all(rows)
        await session.commit()
        return
    async with alchemy.get_session() as db:
        db.add_all(rows)
        await db.commit()
