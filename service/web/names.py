"""Words for the profile codes a page shows to someone other than the woman's counsellor's
editor (a partner reading a shared profile, a report): permit kinds, marked for translation."""

from __future__ import annotations

from service.web.forms import N_
from service.web.i18n import translate

PERMIT_NAMES = {
    "citizen": N_("Citizen of this country"),
    "eu_citizen": N_("EU citizen"),
    "residence_permit_work": N_("Residence permit that allows work"),
    "residence_permit_no_work": N_("Residence permit without permission to work"),
    "asylum_pending": N_("Asylum application in progress"),
    "tolerated": N_("Tolerated stay"),
    "none": N_("No permit"),
    "unknown": N_("Not known yet"),
}


def permit_names(language: str) -> dict[str, str]:
    """Permit kinds in ``language``, for templates."""
    return {code: translate(language, text) for code, text in PERMIT_NAMES.items()}
