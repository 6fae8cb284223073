"""What of her may leave Onward, to whom, and while when: the one home of these rules.

- `SHAREABLE_FIELDS`: the only fields she can ever choose to share with a partner. Her name,
  contact details, location, shelter, nationality, history and notes are not among them, so no
  consent can send them anywhere (SECURITY S4); a partner knows her by `pseudonym` only.
- `in_force` / `in_force_clause`: a permission is in force when it is neither withdrawn nor
  past its end. Every check of a permission's time goes through these two.
- `allows` / `allows_clause`: the one predicate "this permission lets this partner see these
  fields now", in Python and in SQL, used by the partner view, the message sender, referrals
  and reports.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists, or_

from service.domain.survivors.models import Consent, ConsentPurpose, Survivor
from service.settings import encryption_key

#: Fields she may choose to share with a partner. Everything else never leaves Onward: her name,
#: contact details, location, shelter, nationality, history and notes are not shareable at all
#: (a partner knows her only by a pseudonym; her counsellor makes the introduction).
SHAREABLE_FIELDS = frozenset(
    {
        "skills",
        "languages",
        "education",
        "work_history",
        "availability",
        "goals",
        "region",
        "birth_year",
        "right_to_work",
    }
)
#: A permission to share with a partner always ends, at most this many days after it is given.
MAX_SHARE_DAYS = 365


def in_force(consent: Consent, now: datetime) -> bool:
    """Neither withdrawn nor past its end at `now`."""
    return consent.withdrawn_at is None and (consent.expires_at is None or consent.expires_at > now)


def in_force_clause(now: datetime) -> ColumnElement[bool]:
    """`in_force` as a condition on `Consent` rows."""
    return and_(Consent.withdrawn_at.is_(None), or_(Consent.expires_at.is_(None), Consent.expires_at > now))


def allows(consent: Consent, partner_id: UUID | None, fields: Iterable[str], now: datetime) -> bool:
    """This permission lets `partner_id` see every one of `fields` at `now`."""
    wanted = set(fields)
    return (
        partner_id is not None
        and consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value
        and consent.partner_id == partner_id
        and wanted <= set(consent.fields) & SHAREABLE_FIELDS
        and in_force(consent, now)
    )


def allows_clause(survivor_id: Any, partner_id: Any, now: datetime) -> ColumnElement[bool]:
    """Her sharing permission for that partner is in force now (ids or correlated columns).

    Which fields travel is decided when the profile is built (`partner_profile`); this is the
    gate on whether anything of her reaches that partner at all."""
    return exists().where(
        Consent.survivor_id == survivor_id,
        Consent.partner_id == partner_id,
        Consent.purpose == ConsentPurpose.SHARE_WITH_PARTNER.value,
        in_force_clause(now),
    )


def reporting_clause(survivor_id: Any, now: datetime) -> ColumnElement[bool]:
    """She agreed, and still agrees, to be counted in aggregate reports."""
    return exists().where(
        Consent.survivor_id == survivor_id,
        Consent.purpose == ConsentPurpose.REPORTING.value,
        in_force_clause(now),
    )


def partner_profile(survivor: Survivor, consent: Consent) -> dict[str, Any]:
    """The fields of her profile this permission shares, and never one outside the allowlist."""
    return {name: getattr(survivor, name) for name in sorted(set(consent.fields) & SHAREABLE_FIELDS)}


def pseudonym(survivor_id: UUID, partner_id: UUID) -> str:
    """Stable per partner, unlinkable across partners: HMAC(secret, survivor|partner)."""
    digest = hmac.new(encryption_key().encode(), f"{survivor_id}|{partner_id}".encode(), hashlib.sha256)
    return f"Candidate {digest.hexdigest()[:6].upper()}"
