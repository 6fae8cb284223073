"""Erasure (SECURITY S20): one transaction that removes every row about her.

Who: a coordinator of her organisation, acting on her request. She asks from her own account
(`request_erasure`, an audited event the coordinators of her organisation see) or through her
counsellor; the act itself is the coordinator's, so one accountable person confirms an
irreversible step. Counsellors, partners and admins cannot erase.

How: starting from her survivor row and her login account, follow every foreign key in the
ORM metadata (graph.py). A row that hangs off hers is deleted, except where the key says
`SET NULL` (a consent she recorded herself, an event she triggered): there the link is cut
and the row, which is someone else's record, stays. Then every plain text and JSON column of
every table is searched for her ids, so a reference kept without a foreign key (an id inside
a JSON list, an idempotency key) is scrubbed too. The audit trail is append-only and holds
only opaque ids: it keeps them, and gains one row saying she was erased.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import String, cast, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.datarights import graph
from service.domain.survivors.models import Survivor
from service.kernel.actor import Actor
from service.kernel.audit import record

SHARED = frozenset({"organisation", "opportunity", graph.ACCOUNT})
"""Tables whose rows are never hers as a whole: links to her are cut, rows stay."""
_SKIP = frozenset({graph.AUDIT, "alembic_version"})


def needles(*ids: UUID | None) -> list[str]:
    """Every textual form an id may take in a text or JSON column."""
    return [form for value in ids if value is not None for form in (str(value), value.hex)]


def scrub(value: Any, forms: list[str]) -> Any:
    """A JSON value without her: list items that mention her dropped, other mentions nulled."""
    if isinstance(value, str):
        return None if any(form in value for form in forms) else value
    if isinstance(value, list):
        return [scrub(item, forms) for item in value if not _mentions(item, forms)]
    if isinstance(value, dict):
        return {key: scrub(item, forms) for key, item in value.items() if not any(form in str(key) for form in forms)}
    return value


def _mentions(value: Any, forms: list[str]) -> bool:
    text = str(value)
    return any(form in text for form in forms)


class Plan:
    """Rows to delete (with a depth so children go before parents) and links to cut."""

    def __init__(self) -> None:
        self.depth: dict[tuple[str, Any], int] = {}
        self.cut: list[tuple[str, str, list[Any]]] = []

    def add(self, table: str, ids: list[Any], depth: int) -> list[Any]:
        """Record rows; returns those that are new or now deeper (their children need a visit)."""
        changed = []
        for row_id in ids:
            if self.depth.get((table, row_id), -1) < depth:
                self.depth[(table, row_id)] = depth
                changed.append(row_id)
        return changed

    def by_depth(self) -> list[tuple[str, list[Any]]]:
        groups: dict[tuple[int, str], list[Any]] = defaultdict(list)
        for (table, row_id), depth in self.depth.items():
            groups[(depth, table)].append(row_id)
        return [
            (table, ids) for (depth, table), ids in sorted(groups.items(), key=lambda item: (-item[0][0], item[0][1]))
        ]


async def walk(db: AsyncSession, plan: Plan, table: str, ids: list[Any], depth: int) -> None:
    tables = graph.tables()
    for edge in graph.children_of(table):
        if edge.child in _SKIP:
            continue
        child = tables[edge.child]
        found = list((await db.scalars(select(child.c.id).where(child.c[edge.column].in_(ids)))).all())
        if not found:
            continue
        if edge.on_delete == "SET NULL" or edge.child in SHARED:
            if not edge.nullable:
                raise RuntimeError(f"erasure: {edge.child}.{edge.column} cannot be cut")
            plan.cut.append((edge.child, edge.column, ids))
            continue
        deeper = plan.add(edge.child, found, depth + 1)
        if deeper:
            await walk(db, plan, edge.child, deeper, depth + 1)


async def _scrub_unlinked(db: AsyncSession, plan: Plan, forms: list[str]) -> int:
    """References without a foreign key: ids inside text and JSON columns."""
    changed = 0
    for name, table in graph.tables().items():
        if name in _SKIP or "id" not in table.c:
            continue
        for column in (*graph.text_columns(table), *graph.json_columns(table)):
            as_text = cast(column, String)
            hits = (
                await db.execute(select(table.c.id, column).where(or_(*(as_text.like(f"%{f}%") for f in forms))))
            ).all()
            for row_id, value in hits:
                if (name, row_id) in plan.depth:
                    continue
                changed += 1
                if column in graph.json_columns(table):
                    await db.execute(
                        update(table).where(table.c.id == row_id).values({column.name: scrub(value, forms)})
                    )
                elif column.nullable:
                    await db.execute(update(table).where(table.c.id == row_id).values({column.name: None}))
                else:
                    plan.add(name, [row_id], 0)
                    await walk(db, plan, name, [row_id], 0)
    return changed


REQUEST_ACTION = "survivor.erasure_request"


async def request_erasure(db: AsyncSession, actor: Actor, survivor: Survivor) -> None:
    """Her request, kept as an audit row: it holds only her opaque id, and outlives erasure."""
    await record(db, actor, REQUEST_ACTION, "survivor", survivor.id)


async def pending_requests(db: AsyncSession, actor: Actor) -> list[tuple[UUID, Any]]:
    """(survivor id, first request time) for survivors of the actor's organisation who asked and
    still exist; an erased survivor drops out because her row is gone."""
    from service.kernel.audit import AuditEvent

    first: dict[UUID, Any] = {}
    for object_id, at in (
        await db.execute(
            select(AuditEvent.object_id, AuditEvent.at)
            .where(AuditEvent.action == REQUEST_ACTION, AuditEvent.outcome == "allowed")
            .order_by(AuditEvent.at)
        )
    ).all():
        if object_id:
            first.setdefault(UUID(object_id), at)
    if not first:
        return []
    present = set(
        (
            await db.scalars(
                select(Survivor.id).where(
                    Survivor.id.in_(list(first)), Survivor.organisation_id == actor.organisation_id
                )
            )
        ).all()
    )
    return [(survivor_id, at) for survivor_id, at in first.items() if survivor_id in present]


async def _release_places(db: AsyncSession, survivor_id: UUID) -> None:
    """Her live bookings go with her, so their seats return to the pool (capacity_left)."""
    from providers.models import Booking, BookingStatus, Opportunity

    live = (
        await db.execute(
            select(Booking.opportunity_id).where(
                Booking.survivor_id == survivor_id, Booking.status == BookingStatus.BOOKED.value
            )
        )
    ).all()
    for (opportunity_id,) in live:
        await db.execute(
            update(Opportunity)
            .where(Opportunity.id == opportunity_id, Opportunity.capacity_left < Opportunity.capacity)
            .values(capacity_left=Opportunity.capacity_left + 1)
        )


async def erase_survivor(db: AsyncSession, actor: Actor, survivor: Survivor) -> dict[str, int]:
    """Remove her and everything about her in the caller's transaction; returns rows per table."""
    survivor_id, user_id = survivor.id, survivor.user_id
    forms = needles(survivor_id, user_id)
    plan = Plan()
    plan.add(graph.ROOT, [survivor_id], 0)
    await walk(db, plan, graph.ROOT, [survivor_id], 0)
    if user_id is not None:
        plan.add(graph.ACCOUNT, [user_id], 0)
        await walk(db, plan, graph.ACCOUNT, [user_id], 0)
    await _release_places(db, survivor_id)
    db.expunge(survivor)
    scrubbed = await _scrub_unlinked(db, plan, forms)
    tables = graph.tables()
    for child, column, ids in plan.cut:
        await db.execute(update(tables[child]).where(tables[child].c[column].in_(ids)).values({column: None}))
    removed: dict[str, int] = defaultdict(int)
    for table, ids in plan.by_depth():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            await db.execute(delete(tables[table]).where(tables[table].c.id.in_(chunk)))
            removed[table] += len(chunk)
    db.expunge_all()
    await record(db, actor, "survivor.erase", "survivor", survivor_id, detail=f"rows={sum(removed.values())}")
    return {**dict(sorted(removed.items())), "scrubbed_references": scrubbed}
