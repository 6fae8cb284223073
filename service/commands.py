"""CLI commands: users, demo data, the worker and the taxonomy.

Service modules are imported inside the commands, so importing this module stays cheap.
"""

from __future__ import annotations

import asyncio
import getpass
from pathlib import Path

import click
from sqlalchemy import select

from service.db.config import build_alchemy_config
from service.settings import get_settings


@click.group(name="users", help="Manage accounts.")
def users_group() -> None:
    """Accounts."""


@users_group.command(name="create", help="Create an account (the password is asked for unless given).")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "coordinator", "counsellor", "partner", "survivor"]))
@click.option("--org", "org_name", default=None, help="Organisation name (created as needed for staff roles).")
@click.option("--org-kind", default="support", type=click.Choice(["support", "partner"]))
@click.option("--name", "display_name", default="")
@click.option("--password", default=None, help="Avoid on shared machines: it lands in shell history.")
def create_user_command(
    email: str, role: str, org_name: str | None, org_kind: str, display_name: str, password: str | None
) -> None:
    from service.domain.accounts.models import Organisation
    from service.domain.accounts.schemas import OrganisationCreate, UserCreate
    from service.domain.accounts.services import create_organisation, create_user

    if role == "survivor":
        raise click.UsageError("survivor accounts are created by her counsellor, linked to her profile")
    secret = password or getpass.getpass("Password (12+ characters): ")

    async def run() -> None:
        alchemy = build_alchemy_config(get_settings().db)
        async with alchemy.get_session() as db:
            org_id = None
            if org_name:
                org = await db.scalar(select(Organisation).where(Organisation.name == org_name))
                if org is None:
                    org = await create_organisation(db, None, OrganisationCreate(name=org_name, kind=org_kind))  # type: ignore[arg-type]
                org_id = org.id
            user = await create_user(
                db,
                None,
                UserCreate(email=email, password=secret, role=role, display_name=display_name, organisation_id=org_id),  # type: ignore[arg-type]
                None,
            )
            await db.commit()
            click.echo(f"created {user.role} {user.email} ({user.id})")
        await alchemy.get_engine().dispose()

    try:
        asyncio.run(run())
    except Exception as exc:  # clear message, no traceback for an operator typo
        detail = getattr(exc, "detail", None) or str(exc)
        raise click.ClickException(detail) from exc


@click.group(name="demo", help="Demo data.")
def demo_group() -> None:
    """Demo data."""


@demo_group.command(name="load", help="Load the demo network (skipped when already loaded).")
@click.option("--size", default="small", type=click.Choice(["small", "large"]))
def demo_load_command(size: str) -> None:
    from service.db.demo import load_demo

    asyncio.run(load_demo(get_settings(), size=size, echo=click.echo))


@click.command(name="worker", help="Run the scheduler process (follow-ups, outbox, housekeeping).")
def worker_command() -> None:
    from service.worker import WorkerAlreadyRunning, run_forever

    settings = get_settings()
    try:
        asyncio.run(run_forever(settings, build_alchemy_config(settings.db)))
    except WorkerAlreadyRunning as exc:
        raise click.ClickException(str(exc)) from exc


@demo_group.command(name="code", help="Print the current TOTP code of a demo account.")
@click.argument("email")
def demo_code_command(email: str) -> None:
    from service.db.demo import DEMO_DOMAIN, DEMO_TOTP_SECRET
    from service.domain.accounts.crypto import totp_now

    if not email.endswith("@" + DEMO_DOMAIN):
        raise click.ClickException("only demo accounts have a printable code")
    click.echo(totp_now(DEMO_TOTP_SECRET))


@click.group(name="taxonomy", help="The skills and occupations taxonomy (ESCO and our starter set).")
def taxonomy_group() -> None:
    """Taxonomy commands."""


@taxonomy_group.command(
    name="import-esco", help="Import an ESCO CSV export folder (plain or .gz files) in one transaction."
)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--lang",
    "languages",
    multiple=True,
    help="Import labels only in these ISO 639-1 languages (repeatable; default: every language found).",
)
@click.option("--progress/--no-progress", default=True, help="Show progress bars.")
def import_esco_command(folder: Path, languages: tuple[str, ...], progress: bool) -> None:
    from service.domain.taxonomy.services import import_esco_folder
    from skills.esco import EscoFormatError

    async def run() -> None:
        alchemy = build_alchemy_config(get_settings().db)
        try:
            summary = await import_esco_folder(alchemy, folder, [lang.lower() for lang in languages], progress)
        finally:
            await alchemy.get_engine().dispose()
        click.echo(
            f"imported {len(summary.files)} files in {summary.seconds:.1f} s: {summary.concepts} concepts, "
            f"{summary.labels} labels, {summary.relations} occupation-skill links, {summary.broader} broader links "
            f"(taxonomy generation {summary.generation})"
        )
        if summary.skipped:
            click.echo(f"ignored: {', '.join(summary.skipped)}")

    try:
        asyncio.run(run())
    except (EscoFormatError, FileNotFoundError) as exc:
        raise click.ClickException(f"{exc} (nothing was imported)") from exc


@taxonomy_group.command(name="load-starter", help="Load our curated starter taxonomy (skipped when unchanged).")
@click.option("--force", is_flag=True, help="Reload even if the stored copy is current.")
def load_starter_command(force: bool) -> None:
    from skills.starter import load_starter

    async def run() -> bool:
        alchemy = build_alchemy_config(get_settings().db)
        try:
            async with alchemy.get_session() as db:
                loaded = await load_starter(db, force=force)
                await db.commit()
        finally:
            await alchemy.get_engine().dispose()
        return loaded

    click.echo("starter taxonomy loaded" if asyncio.run(run()) else "starter taxonomy already current")
