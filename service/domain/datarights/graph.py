"""Which tables hold rows about a survivor, discovered from the ORM metadata's foreign keys.

Export and erasure both walk this graph, so a table added later with a foreign key to
`survivor` (or to a table that hangs off it, like `referral_event` under `referral`) is
covered without touching this package.
"""

from __future__ import annotations

from dataclasses import dataclass

from advanced_alchemy.base import orm_registry
from sqlalchemy import JSON, Column, String, Table, Text
from sqlalchemy.orm import Mapper

import service.db.models  # noqa: F401  (every table registered on the metadata)

ROOT = "survivor"
ACCOUNT = "user_account"
AUDIT = "audit_event"
"""Append-only by database trigger; it keeps opaque ids only, never personal text."""
SECRET_COLUMNS = frozenset(
    {"password_hash", "mfa_secret", "mfa_pending_secret", "mfa_last_step", "token_hash", "csrf_token"}
)
"""Never exported: credentials are not her data in any useful sense and would help an abuser."""


@dataclass(frozen=True)
class Edge:
    """`child.column` references `parent.id`."""

    child: str
    column: str
    parent: str
    nullable: bool
    on_delete: str | None


def tables() -> dict[str, Table]:
    return dict(orm_registry.metadata.tables)


def edges() -> list[Edge]:
    """Every foreign key between our tables, sorted for a deterministic walk."""
    found = []
    for name, table in tables().items():
        for key in table.foreign_keys:
            column = key.parent
            found.append(
                Edge(
                    child=name,
                    column=column.name,
                    parent=key.column.table.name,
                    nullable=bool(column.nullable),
                    on_delete=(key.ondelete or "").upper() or None,
                )
            )
    return sorted(found, key=lambda edge: (edge.parent, edge.child, edge.column))


def children_of(parent: str) -> list[Edge]:
    return [edge for edge in edges() if edge.parent == parent and edge.child != parent]


def mapper_for(table: str) -> Mapper | None:
    for mapper in orm_registry.mappers:
        if getattr(mapper.local_table, "name", None) == table:
            return mapper
    return None


def json_columns(table: Table) -> list[Column]:
    return [column for column in table.columns if isinstance(column.type, JSON) or "Json" in type(column.type).__name__]


def text_columns(table: Table) -> list[Column]:
    """Plain (unencrypted) text columns: encrypted ones hold ciphertext, never a readable id."""
    return [
        column
        for column in table.columns
        if isinstance(column.type, String | Text) and "Encrypted" not in type(column.type).__name__
    ]
