"""The caseload's search and filters, and marking a signal seen.

`read_query` turns the caseload's query string (name, counsellor, status, alerts, follow-ups
due, sort) into a `CaseloadQuery`, with an error by field for anything it cannot read; the
caseload page (service/web/staff_pages.py) lists through `followups.caseload.find`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups import caseload
from service.domain.followups.caseload import SORTS, STATUSES, UNASSIGNED, CaseloadQuery
from service.kernel.actor import Actor
from service.kernel.deps import ActorDep
from service.kernel.roles import STAFF, Role
from service.web.forms import N_
from service.web.rendering import safe_next, see_other

CHOOSE = N_("Please choose one of the options.")
TOO_LONG = N_("This text is too long.")
STATUS_NAMES = {
    "active": N_("Open cases"),
    "ready": N_("Open to suggestions"),
    "paused": N_("Paused for now"),
    "closed": N_("Closed cases"),
    "all": N_("All"),
}
SORT_NAMES = {
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "name": N_("By name"),
    "waiting": N_("Waiting longest"),
}
FIELDS = ("q", "counsellor", "status", "alerts", "due", "sort")


def read_query(params: Mapping[str, Any], actor: Actor, counsellors: set[UUID]) -> tuple[CaseloadQuery, dict[str, str]]:
    """The caseload's filters from the query string, and errors by field."""
    errors: dict[str, str] = {}
    name = str(params.get("q") or "").strip()
    if len(name) > 100:
        errors["q"], name = TOO_LONG, ""
    status = str(params.get("status") or "active")
    if status not in STATUSES:
        errors["status"], status = CHOOSE, "active"
    sort = str(params.get("sort") or "newest")
    if sort not in SORTS:
        errors["sort"], sort = CHOOSE, "newest"
    counsellor = str(params.get("counsellor") or "") or None
    if counsellor and (actor.role is not Role.COORDINATOR or not _known(counsellor, counsellors)):
        errors["counsellor"], counsellor = CHOOSE, None
    query = CaseloadQuery(
        name=name,
        counsellor=counsellor,
        status=status,  # type: ignore[arg-type]
        alerts=bool(params.get("alerts")),
        due=bool(params.get("due")),
        sort=sort,  # type: ignore[arg-type]
    )
    return query, errors


def _known(value: str, counsellors: set[UUID]) -> bool:
    if value == UNASSIGNED:
        return True
    try:
        return UUID(value) in counsellors
    except ValueError:
        return False


def query_string(query: CaseloadQuery) -> str:
    """The filters as a query string for the paging links (empty when nothing is narrowed)."""
    pairs = {
        "q": query.name,
        "counsellor": query.counsellor or "",
        "status": "" if query.status == "active" else query.status,
        "alerts": "1" if query.alerts else "",
        "due": "1" if query.due else "",
        "sort": "" if query.sort == "newest" else query.sort,
    }
    return urlencode({key: value for key, value in pairs.items() if value})


class SignalPages(Controller):
    """Marking what she said as seen."""

    @post("/signals/{signal_id:uuid}/read", opt=STAFF, status_code=303)
    async def read(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        signal_id: FromPath[UUID],
    ) -> Any:
        """Seen: it leaves the caseload (the in-app notice stays in her inbox history)."""
        await caseload.dismiss(db_session, actor, signal_id)
        back = (await request.form()).get("next")
        return see_other(safe_next(back if isinstance(back, str) else None, "/caseload"))


__all__ = ["SignalPages"]

CONTROLLERS = (SignalPages,)
