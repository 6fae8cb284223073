"""The access matrix's vocabulary: actors, expectations and rows (SECURITY S1).

Each area adds its rows in a module `tests/security/matrix_<area>.py` exporting `ROWS`;
tests/security/test_access_matrix.py collects them all.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.domain.accounts.models import User

ACTORS = (
    "anonymous",
    "survivor_self",
    "survivor_other",
    "counsellor_owner",
    "counsellor_other",
    "coordinator_same",
    "coordinator_other",
    "partner_consented",
    "partner_unconsented",
    "partner_withdrawn",
    "admin",
)
SURVIVORS = ("survivor_self", "survivor_other")
COUNSELLORS = ("counsellor_owner", "counsellor_other")
PARTNERS = ("partner_consented", "partner_unconsented", "partner_withdrawn")
STAFF = (*COUNSELLORS, "coordinator_same", "coordinator_other")
LOGGED_IN = ACTORS[1:]
unique = itertools.count(1)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, status)


def logged_in(status: int, **overrides: int) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(LOGGED_IN, status), **overrides}


def only(allowed: dict[str, int], rest: int = 403) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(LOGGED_IN, rest), **allowed}


@dataclass
class World:
    ids: dict[str, str] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One route: the status each actor must get. Path parameters are filled from World.ids
    (survivor_id = the survivor herself, user_id = her counsellor, org_id = her NGO,
    consent_id = her reporting consent, token_id = her counsellor's API token); an area may add
    its own objects through `setup`, which receives the factory and the world."""

    method: str
    path: str
    expected: dict[str, int]
    body: Callable[[World], Any] | None = None
    ends_session: bool = False
    headers: dict[str, str] | None = None


def survivor_scoped(ok: int, survivor_ok: bool = True) -> dict[str, int]:
    return only(
        {
            "survivor_self": ok if survivor_ok else 403,
            "survivor_other": 404 if survivor_ok else 403,
            "counsellor_owner": ok,
            "counsellor_other": 404,
            "coordinator_same": ok,
            "coordinator_other": 404,
        }
    )


