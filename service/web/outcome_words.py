"""The words for what a partner reports about a candidate, shared by her page and the counsellor's."""

from __future__ import annotations

from service.web.forms import N_

OUTCOME_NAMES = {
    "invited": N_("Invited to an interview"),
    "offered": N_("Offered the place"),
    "not_selected": N_("Not selected"),
    "started": N_("Started"),
}
REASON_NAMES = {
    "position_filled": N_("The place was filled"),
    "skills": N_("Skills did not match"),
    "language": N_("Language level did not match"),
    "hours": N_("Hours did not fit"),
    "did_not_attend": N_("Did not come to the interview"),
    "other": N_("Another reason"),
}
STEP_NAMES = {
    "applied": N_("Applied"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "placed": N_("Started work"),
    "enrolled": N_("Enrolled"),
}
CHOOSE_OUTCOME = N_("Please choose what happened.")
CHOOSE_REASON = N_("Please choose a reason from the list, or none.")
