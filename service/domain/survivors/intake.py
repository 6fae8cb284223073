"""The first meeting: registering a person, after checking she is not registered already.

The duplicate check runs over her whole organisation, not only the caller's caseload: two
counsellors meeting the same woman must not open two records. It compares the decrypted
name (names are encrypted at rest, so the comparison happens here, after the birth year has
narrowed the rows in SQL) and answers only *how many* such records exist, never who they
are or whose caseload they are in.
"""

from __future__ import annotations

import unicodedata
from uuid import UUID

from litestar.exceptions import NotFoundException, PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import User
from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import SurvivorCreate
from service.domain.survivors.services import SurvivorService
from service.kernel.actor import Actor
from service.kernel.audit import record
from service.kernel.roles import Role


def same_name(first: str, second: str) -> bool:
    """Names compared as a person would: case, accents and spacing do not count."""
    return _folded(first) == _folded(second)


def _folded(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.split())


async def possible_duplicates(db: AsyncSession, actor: Actor, name: str, birth_year: int | None) -> int:
    """How many open records of her organisation carry this name and birth year (both given)."""
    if actor.organisation_id is None or birth_year is None or not name.strip():
        return 0
    names = await db.scalars(
        select(Survivor.display_name).where(
            Survivor.organisation_id == actor.organisation_id,
            Survivor.birth_year == birth_year,
            Survivor.readiness != "anonymised",
        )
    )
    found = sum(1 for stored in names if same_name(stored, name))
    await record(db, actor, "survivor.duplicate_check", "survivor", None, detail=f"count={found}")
    return found


async def counsellors_of(db: AsyncSession, organisation_id: UUID | None) -> list[tuple[UUID, str]]:
    """The organisation's active counsellors, as (id, name) sorted by name."""
    if organisation_id is None:
        return []
    rows = await db.execute(
        select(User.id, User.display_name, User.email).where(
            User.organisation_id == organisation_id,
            User.role == Role.COUNSELLOR.value,
            User.is_active.is_(True),
        )
    )
    people = [(user_id, name or email) for user_id, name, email in rows.tuples().all()]
    return sorted(people, key=lambda person: person[1].casefold())


async def register(
    service: SurvivorService, actor: Actor, data: SurvivorCreate, counsellor_id: UUID | None
) -> Survivor:
    """Create her record in the caller's organisation; a coordinator names her counsellor (or
    none yet), a counsellor's new person joins her own caseload. One transaction, audited."""
    db = service.repository.session
    if actor.role is Role.COORDINATOR and counsellor_id is not None:
        known = dict(await counsellors_of(db, actor.organisation_id))
        if counsellor_id not in known:
            raise NotFoundException(detail="counsellor_id: no active counsellor with this id in your organisation")
    elif actor.role is Role.COUNSELLOR and counsellor_id not in (None, actor.user_id):
        raise PermissionDeniedException(detail="counsellor_id: a counsellor registers people into her own caseload")
    row = await service.create_for(actor, data)
    if actor.role is Role.COORDINATOR and counsellor_id is not None:
        row.counsellor_id = counsellor_id
        await db.flush()
        await record(db, actor, "survivor.assign", "survivor", row.id)
    return row
