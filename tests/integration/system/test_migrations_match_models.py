"""The migrations build exactly the schema the ORM models describe, on SQLite and PostgreSQL.

Alembic's autogenerate comparison runs against a database upgraded to head. Any difference it
reports is drift (a model changed without a migration, or a migration the models do not
know), except the one rendering choice we make on purpose: advanced-alchemy's TypeDecorators
(GUID, DateTimeUTC, JsonB, EncryptedString, EncryptedText) are compared by the storage type
they create on the dialect, not by their Python class.
"""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.base import metadata_registry
from advanced_alchemy.types import EncryptedString
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import create_async_engine

import service.db.models  # noqa: F401  (registers every table, exactly as the alembic env does)


def storage_type(type_: sa.types.TypeEngine[Any], dialect: Dialect) -> sa.types.TypeEngine[Any]:
    """The type a CREATE TABLE from the models would give this column on this dialect.

    Variants are resolved and TypeDecorators unwrapped to their dialect implementation; an
    encrypted column is its declared `impl` (String or Text: the migrations spell it so, and the
    driver's own adaptation would turn Text into a plain String). SQLite reflects an unknown
    type name (BINARY(16) for GUID) by affinity, so the expected type goes through the same
    affinity rule as the reflected one.
    """
    resolved = type_
    for _ in range(5):  # a decorator's implementation may itself be a decorator or a variant
        resolved = resolved._variant_mapping.get(dialect.name, resolved)
        if isinstance(resolved, EncryptedString):
            resolved = resolved.impl_instance
        elif isinstance(resolved, sa.types.TypeDecorator):
            resolved = resolved.load_dialect_impl(dialect)
        else:
            break
    if dialect.name == "sqlite":
        resolved = dialect._resolve_type_affinity(resolved.compile(dialect=dialect))  # type: ignore[attr-defined]
    return resolved


def _compare_storage_types(
    context: MigrationContext,
    inspected_column: sa.Column[Any],
    metadata_column: sa.Column[Any],
    inspected_type: sa.types.TypeEngine[Any],
    metadata_type: sa.types.TypeEngine[Any],
) -> bool:
    expected = sa.Column(metadata_column.name, storage_type(metadata_type, context.dialect))
    assert context.impl is not None
    return bool(context.impl.compare_type(inspected_column, expected))


def _describe(diff: Any) -> str:
    if isinstance(diff, list):  # column-level changes come grouped per column
        return "; ".join(_describe(item) for item in diff)
    kind, *rest = diff
    if kind.startswith("modify_"):
        _schema, table, column, _existing, old, new = rest
        return f"{kind} {table}.{column}: database has {old!r}, models say {new!r}"
    if kind in {"add_column", "remove_column"}:
        _schema, table, column = rest
        return f"{kind} {table}.{column.name}"
    target = rest[0]
    name = getattr(target, "name", target)
    table = getattr(getattr(target, "table", None), "name", None) or getattr(target, "parent", None)
    return f"{kind} {name}" + (f" on {table}" if table is not None and table != name else "")


def schema_drift(url: str) -> list[str]:
    """Every difference between the database at `url` and the registered ORM metadata."""
    metadata = metadata_registry.get(None)

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": _compare_storage_types, "compare_server_default": False},
        )
        return list(compare_metadata(context, metadata))

    async def run() -> list[Any]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(compare)
        finally:
            await engine.dispose()

    return [_describe(diff) for diff in asyncio.run(run())]


def test_migrated_schema_has_no_drift_from_the_models(database_url: str) -> None:
    drift = schema_drift(database_url)
    assert drift == [], "the migrations and the models disagree (add a migration):\n  " + "\n  ".join(drift)
