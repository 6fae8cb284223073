"""Least privilege in PostgreSQL (SECURITY S27): the owner migrates, the application works.

The owner (who runs `onward database upgrade`) owns every table and the audit triggers. The
application role it grants to is neither superuser nor owner: it reads and writes the
ordinary tables, may only SELECT and INSERT audit rows, and holds no TRUNCATE, TRIGGER or
REFERENCES privilege. Without ownership it cannot `ALTER TABLE … DISABLE TRIGGER`; without
superuser it cannot `SET session_replication_role = replica`. Run `grant_application_role`
after every upgrade (the migrator does), so tables added by a migration are covered.
"""

from __future__ import annotations

import re

import asyncpg

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY_TABLES = ("audit_event",)
READ_ONLY_TABLES = ("alembic_version",)


def grant_statements(role: str) -> list[str]:
    """The statements that leave ``role`` with exactly the application's privileges."""
    if not ROLE_NAME.match(role):
        raise ValueError("role: lower-case letters, digits and underscores only")
    statements = [
        f"ALTER ROLE {role} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT LOGIN",
        f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    for table in (*APPEND_ONLY_TABLES, *READ_ONLY_TABLES):
        statements.append(f"REVOKE UPDATE, DELETE ON TABLE {table} FROM {role}")
    for table in READ_ONLY_TABLES:
        statements.append(f"REVOKE INSERT ON TABLE {table} FROM {role}")
    return statements


def _plain(url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


async def grant_application_role(owner_url: str, role: str, password: str | None) -> list[str]:
    """Create ``role`` when missing (with ``password``), then apply :func:`grant_statements`.

    Runs as the owner, in one transaction; returns the statements applied (without the
    password). Refuses a role that is a superuser's or the owner's own.
    """
    statements = grant_statements(role)
    connection = await asyncpg.connect(_plain(owner_url))
    try:
        async with connection.transaction():
            if role == await connection.fetchval("SELECT current_user"):
                raise ValueError("role: must not be the owner that runs the migrations")
            exists = await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
            if not exists:
                await connection.execute(f"CREATE ROLE {role} LOGIN")
            if password:
                # DDL takes no parameters: PostgreSQL quotes the literal itself.
                alter = await connection.fetchval(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", role, password
                )
                await connection.execute(alter)
            database = await connection.fetchval("SELECT current_database()")
            await connection.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {role}')
            for statement in statements:
                await connection.execute(statement)
    finally:
        await connection.close()
    return statements
