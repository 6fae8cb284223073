"""What her own profile shows her: what she entered and what can be shared (issue 16, point 9).

On a phone someone may be watching over her shoulder, so her own view never carries the
counsellor's notes, her shelter, exact location, contact, nationality or safety settings. The
full record, those included, stays in her export (datarights), which she asks for on purpose.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from msgspec import Struct

from service.domain.survivors.models import Survivor
from service.domain.survivors.schemas import (
    EducationEntry,
    Goals,
    LanguageEntry,
    RightToWork,
    SkillEntry,
    WorkHistoryEntry,
)
from service.domain.survivors.sharing import SHAREABLE_FIELDS

OWN_FIELDS = frozenset({"display_name", "readiness", *SHAREABLE_FIELDS})
"""Her name as she is greeted, her pace, and every field she may choose to share."""


class OwnProfile(Struct, kw_only=True):
    id: UUID
    display_name: str
    readiness: str
    region: str
    birth_year: int | None
    skills: list[SkillEntry]
    languages: list[LanguageEntry]
    education: list[EducationEntry]
    work_history: list[WorkHistoryEntry]
    goals: Goals
    availability: list[str] | None
    right_to_work: RightToWork
    updated_at: datetime


def to_own_profile(row: Survivor) -> OwnProfile:
    """Her view of her own record: the allowlist above, nothing else."""
    values: dict[str, Any] = {name: getattr(row, name) for name in OWN_FIELDS}
    values["availability"] = row.availability or None
    return msgspec.convert({"id": row.id, "updated_at": row.updated_at, **values}, OwnProfile, from_attributes=True)
