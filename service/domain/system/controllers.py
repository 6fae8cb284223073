"""Liveness and readiness probes (public: they reveal nothing but up or down)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.matches.warm_up import matches_ready
from service.kernel.roles import PUBLIC


class HealthController(Controller):
    path = "/health"
    tags = ["health"]
    include_in_schema = True

    @get("/live", operation_id="Live", opt=PUBLIC)
    async def live(self) -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @get("/ready", operation_id="Ready", opt=PUBLIC)
    async def ready(self, db_session: NamedDependency[AsyncSession], state: State) -> Response[dict[str, str]]:
        """The database answers and the matching index is built; 503 otherwise, so a load
        balancer sends no traffic to a process that cannot serve at full speed yet."""
        try:
            await db_session.execute(text("SELECT 1"))
        except Exception:  # any driver error means "not ready"
            return Response({"status": "unavailable", "database": "down"}, status_code=503)
        if not matches_ready(state):
            return Response({"status": "unavailable", "database": "up", "matches": "warming"}, status_code=503)
        return Response({"status": "ok", "database": "up", "matches": "ready"})
