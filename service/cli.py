"""Our commands, added to the litestar CLI as `onward …`."""

from __future__ import annotations

from click import Group


def register_commands(cli: Group) -> None:
    from advanced_alchemy.extensions.litestar.cli import database_group

    from service.commands import demo_group, taxonomy_group, users_group, worker_command
    from service.deploy_commands import bootstrap_admin_command, database_grant_command, worker_health_command

    # The database group is advanced-alchemy's (upgrade, downgrade, …); grant joins it there.
    database_group.add_command(database_grant_command)
    users_group.add_command(bootstrap_admin_command)
    cli.add_command(worker_health_command)
    cli.add_command(users_group)
    cli.add_command(demo_group)
    cli.add_command(worker_command)
    cli.add_command(taxonomy_group)
