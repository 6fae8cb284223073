"""The worker's scheduled entry points (registered in service/worker.py).

Each tick drains its queue: it claims batch after batch until a batch comes back short, so a
backlog (after downtime) is worked off in one tick instead of one batch per interval. The
scheduler runs at most one instance of each job per process (`max_instances=1`).
"""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from service.domain.accounts.links import link_parameters
from service.domain.followups.jobs import run_followups, run_sweeps
from service.domain.followups.sender import run_outbox
from service.settings import Settings


def _holder() -> str:
    from service.worker import holder_id

    return holder_id()


async def followups_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Process every due follow-up (and every one whose lease ran out)."""
    holder = _holder()
    while True:
        claimed, _ = await run_followups(settings, alchemy, holder)
        if claimed < settings.worker.batch_size:
            return


async def outbox_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Send every sendable message."""
    holder = _holder()
    while True:
        # Invitation and reset emails get their sign-in link at sending time.
        claimed, _ = await run_outbox(settings, alchemy, holder, fill=link_parameters)
        if claimed < settings.worker.batch_size:
            return


async def sweeps_tick(settings: Settings, alchemy: SQLAlchemyAsyncConfig) -> None:
    """Missed check-ins (and their alerts) and permit-expiry follow-ups."""
    while True:
        missed, _ = await run_sweeps(settings, alchemy)
        if missed < settings.worker.batch_size:
            return
