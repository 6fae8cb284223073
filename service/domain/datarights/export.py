"""Her data, all of it, as JSON (SECURITY S21, portability).

Rows are read through the ORM so encrypted columns come back as text she can read; the set of
tables is discovered from foreign keys (graph.py), so a new table about her is exported too.
Credentials (password hash, second-factor secrets, token hashes) are left out.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.datarights import graph
from service.domain.survivors.models import Survivor
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record

FORMAT_VERSION = 1
_SKIP_DESCENT = frozenset({graph.ACCOUNT, "organisation", "opportunity"})
"""Shared tables: rows there are not hers, even when one of hers points at them."""


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _row(obj: Any, table: str) -> dict[str, Any]:
    mapper = graph.mapper_for(table)
    assert mapper is not None
    return {
        attr.key: _plain(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in graph.SECRET_COLUMNS
    }


async def _collect(
    db: AsyncSession, table: str, column: str, ids: list[Any], out: dict[str, list[dict[str, Any]]]
) -> None:
    """Rows of `table` whose `column` is in `ids`, then their own children, depth first."""
    mapper = graph.mapper_for(table)
    if mapper is None or not ids:
        return
    model = mapper.class_
    rows = (await db.scalars(select(model).where(getattr(model, column).in_(ids)))).all()
    fresh = [row for row in rows if all(item.get("id") != str(row.id) for item in out.get(table, []))]
    if not fresh:
        return
    out.setdefault(table, []).extend(_row(row, table) for row in fresh)
    for edge in graph.children_of(table):
        if edge.child not in _SKIP_DESCENT and edge.child != graph.AUDIT:
            await _collect(db, edge.child, edge.column, [row.id for row in fresh], out)


async def export_survivor(db: AsyncSession, actor: Actor, survivor: Survivor) -> dict[str, Any]:
    """Everything stored about her, grouped by table, and one audit row saying it left."""
    related: dict[str, list[dict[str, Any]]] = {}
    for edge in graph.children_of(graph.ROOT):
        await _collect(db, edge.child, edge.column, [survivor.id], related)
    account: dict[str, Any] | None = None
    if survivor.user_id is not None:
        user = await db.get(graph.mapper_for(graph.ACCOUNT).class_, survivor.user_id)  # type: ignore[union-attr]
        if user is not None:
            account = {
                key: value
                for key, value in _row(user, graph.ACCOUNT).items()
                if key in {"id", "email", "role", "locale", "created_at", "is_active"}
            }
    await record(db, actor, "survivor.export", "survivor", survivor.id, detail=f"tables={len(related) + 1}")
    return {
        "format": "onward-survivor-export",
        "version": FORMAT_VERSION,
        "exported_at": now_utc().isoformat(),
        "profile": _row(survivor, graph.ROOT),
        "account": account,
        "related": {table: sorted(rows, key=lambda row: str(row.get("id"))) for table, rows in sorted(related.items())},
    }
