"""The referral state machine, pure: which status may follow which, and why not.

suggested → interested → shared → applied → accepted | declined → placed | enrolled →
completed | dropped. She (or her counsellor) may decline before acceptance; a placement
may be dropped. `shared` is reached only through sharing, which needs her consent.
"""

from __future__ import annotations

ORDER = (
    "suggested",
    "interested",
    "shared",
    "applied",
    "accepted",
    "declined",
    "placed",
    "enrolled",
    "completed",
    "dropped",
)
NEXT: dict[str, frozenset[str]] = {
    "suggested": frozenset({"interested", "declined"}),
    "interested": frozenset({"shared", "declined"}),
    "shared": frozenset({"applied", "declined"}),
    "applied": frozenset({"accepted", "declined"}),
    "accepted": frozenset({"placed", "enrolled", "dropped"}),
    "placed": frozenset({"completed", "dropped"}),
    "enrolled": frozenset({"completed", "dropped"}),
    "declined": frozenset(),
    "completed": frozenset(),
    "dropped": frozenset(),
}
STARTED = frozenset({"placed", "enrolled"})
"""Statuses that start a follow-up plan."""
VISIBLE_TO_PARTNER = frozenset({"shared", "applied", "accepted", "placed", "enrolled", "completed"})
"""Statuses in which the partner may see the (consented) profile."""


class TransitionRefused(Exception):
    """The change is not allowed from the current status; the message says why (HTTP 409)."""


def check(current: str, target: str, opportunity_kind: str) -> None:
    """Raise TransitionRefused unless `current → target` is allowed for this kind of listing."""
    if target not in NEXT:
        raise TransitionRefused(f"to: unknown status {target!r}")
    if target == "shared":
        raise TransitionRefused("to: sharing needs her consent; use the share action with a consent_id")
    if target not in NEXT[current]:
        allowed = ", ".join(sorted(NEXT[current] - {"shared"})) or "none (final status)"
        raise TransitionRefused(f"to: cannot go from {current} to {target}; allowed: {allowed}")
    if target == "placed" and opportunity_kind != "job":
        raise TransitionRefused("to: only a job is placed; courses, classes and childcare are enrolled")
    if target == "enrolled" and opportunity_kind == "job":
        raise TransitionRefused("to: a job is placed, not enrolled")
