"""No cold start: the matching index is built as a process starts, before readiness says ok.

Building the index for a large catalogue takes seconds; left to the first matches request, every
replica and every restart makes one counsellor wait for it. At startup a background task builds
it (retrying while the database is not there yet); ``/health/ready`` answers 503 until it is done,
so a load balancer sends no request to a process whose index is still being built. After that
the same task checks the catalogue every ``CLOCK_SECONDS`` (one aggregate query; changed
listings are applied incrementally), so a listing published or closed reaches every process
within about a second even when no request comes in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import date

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Litestar
from litestar.datastructures import State

from service.domain.matches.published_index import PublishedIndex, published_index_of

logger = logging.getLogger("onward.matches")
STATE_KEY = "matches_warm_up"
RETRY_SECONDS = 5.0
CLOCK_SECONDS = 0.5
"""Between catalogue checks once ready: one aggregate query each, so a change reaches every process
in well under two seconds (a check and its catch-up included) even on a busy machine."""


@dataclass
class WarmUp:
    """The startup build of this process's index: running, done, or waiting to retry."""

    task: asyncio.Task[None] | None = None
    done: bool = False
    attempts: int = 0
    seconds: float | None = None
    last_error: str | None = None
    checks: int = 0
    """Catalogue checks done on the clock since the index was ready."""


async def build_now(catalogue: PublishedIndex, alchemy: SQLAlchemyAsyncConfig, today: date | None = None) -> None:
    """Bring the index up to date now (builds it when the process has none)."""
    async with alchemy.get_session() as db:
        await catalogue.current(db, today or date.today(), fresh=True)


async def _run(warm: WarmUp, catalogue: PublishedIndex, alchemy: SQLAlchemyAsyncConfig) -> None:
    loop = asyncio.get_running_loop()
    while True:
        warm.attempts += 1
        started = loop.time()
        try:
            await build_now(catalogue, alchemy)
        except Exception as exc:  # no database yet, a migration running: try again shortly
            warm.last_error = type(exc).__name__
            logger.warning("matches: index warm-up failed (%s), retrying", warm.last_error)
            await asyncio.sleep(RETRY_SECONDS)
            continue
        warm.seconds = loop.time() - started
        warm.done = True
        logger.info("matches: index ready in %.2f s", warm.seconds)
        break
    # then keep it in step on a clock of its own, so a quiet process is as fresh as a busy one
    while True:
        await asyncio.sleep(CLOCK_SECONDS)
        try:
            await build_now(catalogue, alchemy)
            warm.checks += 1
        except Exception as exc:  # the next tick retries; requests are still served meanwhile
            logger.warning("matches: catalogue check failed (%s)", type(exc).__name__)


def start_warm_up(app: Litestar) -> None:
    """An ``on_startup`` hook: start building the index in the background."""
    alchemy = app.state["alchemy"]
    warm = WarmUp()
    warm.task = asyncio.get_running_loop().create_task(_run(warm, published_index_of(app.state), alchemy))
    app.state[STATE_KEY] = warm


async def stop_warm_up(app: Litestar) -> None:
    """An ``on_shutdown`` hook: a build still running is cancelled, not left to a closed loop."""
    warm = app.state.get(STATE_KEY)
    if isinstance(warm, WarmUp) and warm.task is not None and not warm.task.done():
        warm.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):  # the cancellation we just asked for
            await warm.task


def matches_ready(state: State) -> bool:
    """Whether this process may serve matches without building its index first."""
    warm = state.get(STATE_KEY)
    if not isinstance(warm, WarmUp):
        return True  # warm-up switched off: the first request builds the index
    return warm.done and published_index_of(state).snapshot is not None
