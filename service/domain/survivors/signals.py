"""What she says herself, told to her counsellor: "I'm interested", "not for me", "not now",
a permission withdrawn.

Each is an in-app notice (an outbox row, written in the transaction of what she did, R1) to
her counsellor, or to her organisation's coordinators while she has none. The notice names a
neutral template only; the caseload reads the caller's own unread signals about survivors
still in the caller's scope, so it shows them at once, before the worker has delivered the
notice into the inbox (service/domain/survivors/caseload.py).
"""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.directory import coordinators_of
from service.domain.survivors.models import Survivor
from service.kernel.actor import now_utc
from service.messaging.outbox import enqueue
from service.settings import get_settings

SIGNALS = {
    "interested": "signal_interested",
    "declined": "signal_declined",
    "paused": "signal_paused",
    "withdrawn": "signal_withdrawn",
}
"""What she did → the notice's template (service/domain/followups/templates/*.json)."""
TEMPLATES = frozenset(SIGNALS.values())


async def tell_counsellor(db: AsyncSession, survivor: Survivor, signal: str, event_key: str) -> int:
    """Write the notice of ``signal`` (a key of SIGNALS) about her; ``event_key`` names the
    event once (a replayed request writes nothing new). Returns how many notices were new."""
    recipients = [survivor.counsellor_id] if survivor.counsellor_id else []
    if not recipients:
        recipients = [user.id for user in await coordinators_of(db, survivor.organisation_id)]
    return await enqueue(
        db,
        get_settings().worker,  # not discreet: quiet hours are not read
        # Hashed: the key column is short, and the event's parts (ids, a time) are long.
        key=f"signal:{survivor.id}:{hashlib.sha256(event_key.encode()).hexdigest()[:20]}",
        template=SIGNALS[signal],
        recipients=recipients,
        now=now_utc(),
        survivor_id=survivor.id,
        channels=("in_app",),
    )
