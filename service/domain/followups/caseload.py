"""The caseload as a counsellor works it: search by name, filters, sort, a page at a time, and
the signals she has not seen yet.

Names are encrypted at rest and stay so: a search by name (or a sort by name) decrypts the
display names of the survivors in the caller's scope only (`visible_to`), after the other
filters have narrowed them in SQL, and compares them here. Without a name involved, filtering,
sorting and paging stay in SQL.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from litestar.exceptions import NotFoundException
from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.followups.models import FollowUp
from service.domain.followups.notices import ALERT_TEMPLATES
from service.domain.followups.services import OPEN, status_clause
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import visible_to
from service.domain.survivors.signals import SIGNALS, TEMPLATES
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record
from service.kernel.roles import Role
from service.messaging.models import OutboxMessage, OutboxStatus
from service.settings import WorkerSettings

Status = Literal["active", "ready", "paused", "closed", "all"]
Sort = Literal["newest", "oldest", "name", "waiting"]
STATUSES: tuple[Status, ...] = ("active", "ready", "paused", "closed", "all")
SORTS: tuple[Sort, ...] = ("newest", "oldest", "name", "waiting")
NOT_FOUND = "signal: not found"
UNASSIGNED = "none"


@dataclass(frozen=True, slots=True)
class CaseloadQuery:
    """What the caseload is narrowed to. ``counsellor`` is a user id, ``UNASSIGNED`` or None
    (everyone); it only narrows a coordinator's view (a counsellor sees her own anyway)."""

    name: str = ""
    counsellor: str | None = None
    status: Status = "active"
    alerts: bool = False
    due: bool = False
    sort: Sort = "newest"


def folded(text: str) -> str:
    """Lower case, without accents or repeated spaces: how a person compares names."""
    letters = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    return " ".join(letters.split())


def _status(status: Status) -> ColumnElement[bool]:
    open_case = and_(Survivor.closed_at.is_(None), Survivor.readiness != "anonymised")
    return {
        "active": open_case,
        "ready": and_(open_case, Survivor.readiness == "ready"),
        "paused": and_(open_case, Survivor.readiness == "not_now"),
        "closed": and_(Survivor.closed_at.is_not(None), Survivor.readiness != "anonymised"),
        "all": Survivor.readiness != "anonymised",
    }[status]


def _unread_for(actor: Actor) -> ColumnElement[bool]:
    """Her unread alerts or signals about the survivor of the row."""
    about = or_(
        OutboxMessage.subject_survivor_id == Survivor.id,
        OutboxMessage.followup_id.in_(select(FollowUp.id).where(FollowUp.survivor_id == Survivor.id)),
    )
    return exists().where(
        OutboxMessage.recipient_user_id == actor.user_id,
        OutboxMessage.channel == "in_app",
        OutboxMessage.read_at.is_(None),
        OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.SENT.value)),
        OutboxMessage.template.in_((*ALERT_TEMPLATES, *TEMPLATES)),
        about,
    )


def _filters(actor: Actor, query: CaseloadQuery, worker: WorkerSettings) -> list[ColumnElement[bool]]:
    clauses = [visible_to(actor), _status(query.status)]
    if actor.role is Role.COORDINATOR and query.counsellor:
        if query.counsellor == UNASSIGNED:
            clauses.append(Survivor.counsellor_id.is_(None))
        else:
            clauses.append(Survivor.counsellor_id == UUID(query.counsellor))
    if query.alerts:
        clauses.append(_unread_for(actor))
    if query.due:
        now = now_utc()
        due = or_(status_clause("due", now, worker), status_clause("overdue", now, worker))
        clauses.append(exists().where(FollowUp.survivor_id == Survivor.id, due))
    return clauses


_ORDER = {
    "newest": (Survivor.created_at.desc(), Survivor.id),
    "oldest": (Survivor.created_at.asc(), Survivor.id),
    "waiting": (Survivor.waiting_since.asc(), Survivor.created_at.asc(), Survivor.id),
}


async def find(
    db: AsyncSession, actor: Actor, query: CaseloadQuery, worker: WorkerSettings, limit: int, offset: int
) -> tuple[list[Survivor], int]:
    """One page of the caseload as asked, and how many survivors match in all."""
    clauses = _filters(actor, query, worker)
    if query.name.strip() or query.sort == "name":
        rows, total = await _by_name(db, clauses, query, limit, offset)
    else:
        total = int(await db.scalar(select(func.count()).select_from(Survivor).where(*clauses)) or 0)
        found = await db.scalars(
            select(Survivor).where(*clauses).order_by(*_ORDER[query.sort]).limit(limit).offset(offset)
        )
        rows = list(found.all())
    await record(db, actor, "survivor.list", "survivor", None, detail=f"count={len(rows)},search={bool(query.name)}")
    return rows, total


async def _by_name(
    db: AsyncSession, clauses: list[ColumnElement[bool]], query: CaseloadQuery, limit: int, offset: int
) -> tuple[list[Survivor], int]:
    """Decrypt the names in scope (only id and name are loaded), match and sort them here."""
    wanted = folded(query.name)
    named = (await db.execute(select(Survivor.id, Survivor.display_name, Survivor.created_at).where(*clauses))).all()
    matching = [row for row in named if not wanted or wanted in folded(row[1] or "")]
    if query.sort == "name":
        matching.sort(key=lambda row: (folded(row[1] or ""), row[0]))
    else:
        order = {"newest": True, "oldest": False, "waiting": False}[query.sort]
        matching.sort(key=lambda row: (row[2], row[0]), reverse=order)
    page_ids = [row[0] for row in matching[offset : offset + limit]]
    if not page_ids:
        return [], len(matching)
    loaded = {row.id: row for row in (await db.scalars(select(Survivor).where(Survivor.id.in_(page_ids)))).all()}
    return [loaded[survivor_id] for survivor_id in page_ids if survivor_id in loaded], len(matching)


@dataclass(frozen=True, slots=True)
class NextFollowUp:
    due_at: datetime
    overdue: bool


async def next_followups(db: AsyncSession, survivor_ids: list[UUID]) -> dict[UUID, NextFollowUp]:
    """Per survivor of a page, her next unanswered follow-up (overdue ones count first)."""
    if not survivor_ids:
        return {}
    now = now_utc()
    rows = await db.execute(
        select(FollowUp.survivor_id, func.min(FollowUp.due_at))
        .where(FollowUp.survivor_id.in_(survivor_ids), FollowUp.answered_at.is_(None), FollowUp.status.in_(OPEN))
        .group_by(FollowUp.survivor_id)
    )
    return {survivor_id: NextFollowUp(due, due <= now) for survivor_id, due in rows.tuples().all()}


# --- signals: what she said, not yet seen --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signal:
    id: UUID
    kind: str
    at: datetime
    survivor_id: UUID
    name: str


def _mine(actor: Actor) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.recipient_user_id == actor.user_id,
        OutboxMessage.channel == "in_app",
        OutboxMessage.template.in_(TEMPLATES),
        OutboxMessage.read_at.is_(None),
        OutboxMessage.status.in_((OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.SENT.value)),
    )


async def open_signals(
    db: AsyncSession, actor: Actor, survivor_id: UUID | None = None, limit: int = 50
) -> list[Signal]:
    """Her unread signals about survivors in her scope (or one survivor's), newest first."""
    kinds = {template: kind for kind, template in SIGNALS.items()}
    one = Survivor.id == survivor_id if survivor_id is not None else true()
    rows = await db.execute(
        select(OutboxMessage.id, OutboxMessage.template, OutboxMessage.created_at, Survivor.id, Survivor.display_name)
        .join(Survivor, Survivor.id == OutboxMessage.subject_survivor_id)
        .where(_mine(actor), visible_to(actor), one)
        .order_by(OutboxMessage.created_at.desc())
        .limit(limit)
    )
    found = [Signal(row[0], kinds[row[1]], row[2], row[3], row[4]) for row in rows.tuples().all()]
    await record(db, actor, "signal.list", "notice", None, detail=f"count={len(found)}")
    return found


async def dismiss(db: AsyncSession, actor: Actor, signal_id: UUID) -> None:
    """Mark one of her signals seen; anyone else's (or none) is not found."""
    result: Any = await db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == signal_id, _mine(actor))
        .values(read_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise NotFoundException(detail=NOT_FOUND)
    await record(db, actor, "signal.read", "notice", signal_id)


# --- follow-ups coming up ------------------------------------------------------------------


async def upcoming(
    db: AsyncSession, actor: Actor, limit: int, survivor_id: UUID | None = None
) -> list[tuple[FollowUp, str]]:
    """Scheduled follow-ups not yet due, in the caller's scope (or one survivor's), soonest
    first, each with her display name."""
    query = (
        select(FollowUp, Survivor.display_name)
        .join(Survivor, Survivor.id == FollowUp.survivor_id)
        .where(
            visible_to(actor),
            FollowUp.answered_at.is_(None),
            FollowUp.status.in_(OPEN),
            FollowUp.due_at > now_utc(),
        )
    )
    if survivor_id is not None:
        query = query.where(FollowUp.survivor_id == survivor_id)
    rows = [(row, name) for row, name in (await db.execute(query.order_by(FollowUp.due_at).limit(limit))).tuples()]
    await record(db, actor, "followup.list", "followup", None, detail=f"status=upcoming,count={len(rows)}")
    return rows
