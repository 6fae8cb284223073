"""Words for stored codes (roles, vetting, listing kinds and states), marked for translation."""

from __future__ import annotations

from service.web.forms import N_
from service.web.i18n import translate

ROLE_NAMES = {
    "admin": N_("Administrator"),
    "coordinator": N_("Coordinator"),
    "counsellor": N_("Counsellor"),
    "partner": N_("Partner"),
    "survivor": N_("Participant"),
}
VETTING_NAMES = {"pending": N_("Waiting for checks"), "vetted": N_("Checked"), "suspended": N_("Suspended")}
KIND_NAMES = {
    "job": N_("Job"),
    "course": N_("Course"),
    "language_class": N_("Language class"),
    "childcare": N_("Childcare"),
}
STATUS_NAMES = {
    "draft": N_("Draft"),
    "pending_review": N_("Waiting for review"),
    "published": N_("Published"),
    "closed": N_("Closed"),
}


def translated(language: str) -> dict[str, dict[str, str]]:
    """The label tables in one language, for templates."""
    tables = {"role_names": ROLE_NAMES, "vetting_names": VETTING_NAMES, "kind_names": KIND_NAMES}
    tables["status_names"] = STATUS_NAMES
    return {name: {code: translate(language, text) for code, text in table.items()} for name, table in tables.items()}
