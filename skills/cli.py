"""`onward taxonomy …`: import the official ESCO CSV export, load the starter taxonomy.

The commands open the service's database from its settings, so the service modules are
imported inside them: importing this module stays cheap and free of service wiring.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click


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
    from service.domain.skills.services import import_esco_folder
    from service.settings import get_settings
    from skills.esco import EscoFormatError

    async def run() -> None:
        from service.db.config import build_alchemy_config

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
    from service.db.config import build_alchemy_config
    from service.settings import get_settings
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
