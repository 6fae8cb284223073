"""Nothing risky published unread: who goes to a person whatever the text says.

The screener weighs what a listing says; this policy looks at who sends it and where it is.
A listing waits for a coordinator, whatever its text, when

* the partner has fewer than three earlier listings that a person let through to publication
  (``first_listings``: the first three are all read, so this is "a partner's first three
  listings" that survives edits and drafts),
* the partner has an earlier listing that was held by screening or rejected by a coordinator
  (``earlier_held_or_rejected``), or
* its sector is one where trafficking for sexual or labour exploitation is common
  (``high_risk_sector``; the sector words are in ``providers/rules/review_policy.json``).

The reasons are stored with the screening flags (``kind: "review_reason"``) so the review
queue shows why a clean-looking listing waits.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from providers.models import Opportunity, OpportunityStatus
from providers.rules import default_rulebook, fold

_DATA = Path(__file__).parent / "rules" / "review_policy.json"
REVIEW_REASON = "review_reason"
"""The ``kind`` of a stored flag that is a review reason, not a screening rule."""


@lru_cache(maxsize=1)
def policy() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_DATA.read_text(encoding="utf-8"))
    words = sorted((re.escape(fold(word)) for word in data["high_risk_sectors"]), key=len, reverse=True)
    data["_sectors"] = re.compile(rf"(?<!\w)(?:{'|'.join(words)})")
    return data


def is_high_risk_sector(sector: str | None) -> bool:
    """Whether a listing's sector (free text, any language) names a high-risk sector."""
    if not sector:
        return False
    return policy()["_sectors"].search(fold(sector)) is not None


def _was_held(flags: list[dict[str, Any]]) -> bool:
    severities = [str(f.get("severity", "")) for f in flags if f.get("kind", "rule") != REVIEW_REASON]
    return default_rulebook().decision.holds(severities)


def reason_flag(reason_id: str, evidence: str) -> dict[str, Any]:
    return {
        "rule_id": reason_id,
        "reason": policy()["reasons"][reason_id],
        "severity": "review",
        "evidence": evidence,
        "kind": REVIEW_REASON,
    }


async def review_reasons(db: AsyncSession, row: Opportunity) -> list[dict[str, Any]]:
    """The reasons this listing must be read by a person, as flags to store with its screening."""
    others = select(Opportunity).where(
        Opportunity.organisation_id == row.organisation_id,
        Opportunity.screened_at.is_not(None),
    )
    if row.id is not None:
        others = others.where(Opportunity.id != row.id)
    reasons: list[dict[str, Any]] = []
    first = int(policy()["first_listings"])
    published = others.where(Opportunity.published_at.is_not(None))
    earlier = (await db.scalar(select(func.count()).select_from(published.subquery()))) or 0
    if earlier < first:
        reasons.append(
            reason_flag("first_listings", f"{earlier} earlier listing(s) published; the first {first} are read")
        )
    for other in (await db.scalars(others)).all():
        rejected = (
            other.status == OpportunityStatus.CLOSED.value
            and other.reviewed_at is not None
            and other.closed_at == other.reviewed_at
        )
        if rejected or _was_held(other.vetting_flags or []):
            what = "rejected by a coordinator" if rejected else "held by screening"
            reasons.append(reason_flag("earlier_held_or_rejected", f"an earlier listing was {what}"))
            break
    if is_high_risk_sector(row.sector):
        reasons.append(reason_flag("high_risk_sector", f"sector: {row.sector}"))
    return reasons
