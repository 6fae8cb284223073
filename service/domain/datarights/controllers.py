"""Data-rights API: export (S21) and erasure (S20).

- `GET /api/survivors/{id}/export`: her counsellor or a coordinator of her organisation, on her
  behalf; out of scope answers like a missing survivor (S2).
- `GET /api/me/export`: she downloads her own data.
- `POST /api/me/erasure-request`: she asks to be erased; `GET /api/erasures/requests` lists
  the open requests of a coordinator's organisation.
- `POST /api/erasures` `{survivor_id}`: a coordinator of her organisation erases her, on her
  request. Partners and admins reach none of these (roles), so no partner can export
  identifiable data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.datarights.erasure import erase_survivor, pending_requests, request_erasure
from service.domain.datarights.export import export_survivor
from service.domain.survivors.services import SurvivorService, provide_survivor_service, visible_to
from service.kernel.audit import record_now
from service.kernel.deps import ActorDep, AlchemyDep
from service.kernel.roles import STAFF, Role, roles


def _download(body: dict[str, Any]) -> Response[dict[str, Any]]:
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="onward-my-data.json"'},
    )


class DataRightsController(Controller):
    path = "/api/survivors/{survivor_id:uuid}"
    tags = ["data rights"]
    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/export", operation_id="ExportSurvivor", opt=STAFF)
    async def export(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        survivor_id: FromPath[UUID],
    ) -> Response[dict[str, Any]]:
        """Everything stored about her, as JSON, for her (staff download it on her behalf)."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        return _download(await export_survivor(db_session, actor, row))


class ErasureRequest(msgspec.Struct, forbid_unknown_fields=True):
    survivor_id: UUID


class ErasureRequestRead(msgspec.Struct, kw_only=True):
    survivor_id: UUID
    requested_at: datetime


class ErasureController(Controller):
    path = "/api/erasures"
    tags = ["data rights"]
    dependencies = {"survivors": Provide(provide_survivor_service)}

    @post("/", operation_id="EraseSurvivor", opt=roles(Role.COORDINATOR), status_code=200)
    async def erase(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
        data: RequestBody[ErasureRequest],
    ) -> dict[str, Any]:
        """Erase her completely, in one transaction; the audit keeps only an opaque id."""
        row = await survivors.get_visible(actor, data.survivor_id, alchemy)
        removed = await erase_survivor(db_session, actor, row)
        return {"erased": True, "rows": removed}

    @get("/requests", operation_id="ListErasureRequests", opt=roles(Role.COORDINATOR))
    async def requests(self, actor: ActorDep, db_session: NamedDependency[AsyncSession]) -> list[ErasureRequestRead]:
        """Survivors of her organisation who asked to be erased and are not erased yet."""
        return [
            ErasureRequestRead(survivor_id=survivor_id, requested_at=at)
            for survivor_id, at in await pending_requests(db_session, actor)
        ]


class MyExportController(Controller):
    path = "/api/me"
    tags = ["me"]
    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/export", operation_id="ExportMyData", opt=roles(Role.SURVIVOR))
    async def export_mine(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
    ) -> Response[dict[str, Any]]:
        """Her own data, as JSON."""
        row = await survivors.get_one_or_none(visible_to(actor))
        if row is None:
            await record_now(alchemy, actor, "survivor.export", "survivor", None)
            raise NotFoundException(detail="survivor: not found")
        return _download(await export_survivor(db_session, actor, row))

    @post("/erasure-request", operation_id="RequestMyErasure", opt=roles(Role.SURVIVOR), status_code=202)
    async def request_erasure(
        self,
        survivors: NamedDependency[SurvivorService],
        actor: ActorDep,
        alchemy: AlchemyDep,
        db_session: NamedDependency[AsyncSession],
    ) -> dict[str, bool]:
        """She asks to be erased; her organisation's coordinators see the request and act on it."""
        row = await survivors.get_one_or_none(visible_to(actor))
        if row is None:
            await record_now(alchemy, actor, "survivor.erasure_request", "survivor", None)
            raise NotFoundException(detail="survivor: not found")
        await request_erasure(db_session, actor, row)
        return {"requested": True}


ROUTE_HANDLERS = [DataRightsController, ErasureController, MyExportController]
