"""Liveness and readiness probes (public: they reveal nothing but up or down)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

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
    async def ready(self, db_session: NamedDependency[AsyncSession]) -> Response[dict[str, str]]:
        """The database answers; 503 otherwise, so a load balancer stops sending traffic."""
        try:
            await db_session.execute(text("SELECT 1"))
        except Exception:  # any driver error means "not ready"
            return Response({"status": "unavailable", "database": "down"}, status_code=503)
        return Response({"status": "ok", "database": "up"})
