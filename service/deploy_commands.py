"""Commands a deployment runs once per start: database grants and the first administrator.

Both are idempotent, so compose's one-shot migrator runs them on every `up`.
"""

from __future__ import annotations

import asyncio
import os

import click
from sqlalchemy import func, select

from service.db.config import build_alchemy_config
from service.settings import get_settings


@click.command(name="grant", help="Give the application's database role exactly its privileges (PostgreSQL).")
@click.option(
    "--role",
    "role",
    default=lambda: os.environ.get("ONWARD_APP_DB_USER", "onward_app"),
    show_default="ONWARD_APP_DB_USER or onward_app",
)
@click.option(
    "--password-env",
    default="ONWARD_APP_DB_PASSWORD",
    show_default=True,
    help="Environment variable holding the role's password (set when creating or changing it).",
)
def database_grant_command(role: str, password_env: str) -> None:
    from service.db.roles import grant_application_role

    settings = get_settings()
    if settings.db.is_sqlite:
        click.echo("SQLite has no database roles: nothing to grant")
        return
    try:
        applied = asyncio.run(grant_application_role(settings.db.url, role, os.environ.get(password_env) or None))
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"granted the application privileges to {role} ({len(applied)} statements)")


@click.command(name="bootstrap-admin", help="Create the first administrator from the environment, once.")
@click.option("--email-env", default="ONWARD_ADMIN_EMAIL", show_default=True)
@click.option("--password-env", default="ONWARD_ADMIN_PASSWORD", show_default=True)
def bootstrap_admin_command(email_env: str, password_env: str) -> None:
    """Skipped when any administrator exists; she enrols her second factor at first sign-in."""
    from service.domain.accounts.models import User
    from service.domain.accounts.schemas import UserCreate
    from service.domain.accounts.services import create_user
    from service.kernel.roles import Role

    email, password = os.environ.get(email_env, ""), os.environ.get(password_env, "")

    async def run() -> str:
        alchemy = build_alchemy_config(get_settings().db)
        try:
            async with alchemy.get_session() as db:
                admins = await db.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value))
                if admins:
                    return "an administrator exists: nothing to do"
                if not email or not password:
                    raise click.ClickException(f"no administrator yet: set {email_env} and {password_env}")
                user = await create_user(
                    db,
                    None,
                    UserCreate(email=email, password=password, role="admin"),
                    None,  # type: ignore[arg-type]
                )
                await db.commit()
                return f"created the first administrator {user.email}"
        finally:
            await alchemy.get_engine().dispose()

    try:
        click.echo(asyncio.run(run()))
    except click.ClickException:
        raise
    except Exception as exc:  # a weak password or a bad address: the message, no traceback
        raise click.ClickException(getattr(exc, "detail", None) or str(exc)) from exc


@click.command(name="worker-health", help="Exit 0 when a worker on this host wrote its heartbeat lately.")
@click.option("--max-age-seconds", default=90, show_default=True, type=click.IntRange(min=1))
def worker_health_command(max_age_seconds: int) -> None:
    """The worker container's healthcheck: a fresh heartbeat row, not just a live process."""
    from service.worker_health import fresh_beats

    async def run() -> int:
        alchemy = build_alchemy_config(get_settings().db)
        try:
            return await fresh_beats(alchemy, max_age_seconds)
        finally:
            await alchemy.get_engine().dispose()

    beats = asyncio.run(run())
    if not beats:
        raise click.ClickException(f"no worker heartbeat on this host in the last {max_age_seconds} s")
    click.echo(f"{beats} worker(s) beating on this host")
