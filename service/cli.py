"""Our commands, added to the litestar CLI as `onward …`."""

from __future__ import annotations

from click import Group


def register_commands(cli: Group) -> None:
    from service.commands import demo_group, taxonomy_group, users_group, worker_command

    cli.add_command(users_group)
    cli.add_command(demo_group)
    cli.add_command(worker_command)
    cli.add_command(taxonomy_group)
