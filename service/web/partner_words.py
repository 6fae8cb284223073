"""The partner pages' words: why a listing is where it is, what an import problem means, and
the example file. Plain and translated; the API's English and the screening rules' names never
reach a partner (see `opportunities.services.to_read`).
"""

from __future__ import annotations

from providers.models import Opportunity, OpportunityStatus
from service.domain.accounts.models import Organisation, VettingStatus
from service.web.forms import N_

VETTING_NOTES = {
    "pending": N_("Your organisation is waiting for checks by a coordinator. Until then, your listings wait too."),
    "vetted": N_(
        "Your organisation is checked. A listing is published when you send it, unless a coordinator "
        "needs to look at it first."
    ),
    "suspended": N_(
        "Your organisation is suspended: its listings are not shown and cannot be changed. "
        "Please contact the coordinators you work with."
    ),
}
RETURNED = N_("A coordinator returned this listing to you. Please change it, then send it for review again.")
DRAFT = N_("A draft: nobody else sees it until you send it for review.")
WAITING_CHECKS = N_("Waiting: your organisation is not checked yet. Listings are published after the checks.")
WAITING_SUSPENDED = N_("Waiting: your organisation is suspended, so a coordinator will look at this listing again.")
WAITING_REVIEW = N_(
    "Waiting for a coordinator: some listings are read by a person before they are published, "
    "for everyone's safety. The decision will appear here."
)
PUBLISHED = N_("Published: participants and their counsellors can find it.")
REJECTED = N_("A coordinator decided not to publish this listing.")
CLOSED = N_("Closed: it is no longer shown to anyone.")
NOT_EDITABLE = N_("A closed listing cannot be changed.")
ALREADY_CLOSED = N_("This listing is already closed.")
NOT_A_DRAFT = N_("Only a draft can be sent for review.")
INCOMPLETE = N_("This draft is not complete yet. Please open Edit: the fields to fill in are marked.")
FILE_UNREADABLE = N_("The file could not be read. Please upload a CSV file (UTF-8) with the header row.")
FILE_EMPTY = N_("The file holds no listings.")
FILE_TOO_LONG = N_("The file has more than 1000 rows. Please split it.")
UNKNOWN_COLUMN = N_("This column is not one we know. Please use the columns of the example file.")
COLUMN_TWICE = N_("A column appears twice in the header.")
ROW_CELLS = N_("This row does not have as many cells as the header.")
CHOOSE_FILE = N_("Please choose a CSV file to upload.")
CANDIDATE_STATUS = {
    "shared": N_("Shared with you"),
    "applied": N_("Applied"),
    "accepted": N_("Accepted"),
    "placed": N_("Started work"),
    "enrolled": N_("Enrolled"),
    "completed": N_("Place completed"),
}
CANDIDATE_FIELDS = {
    "skills": N_("Skills"),
    "languages": N_("Languages"),
    "education": N_("Education"),
    "work_history": N_("Work experience"),
    "availability": N_("Available times"),
    "goals": N_("Goals"),
    "region": N_("Region"),
    "birth_year": N_("Year of birth"),
    "right_to_work": N_("Work permit"),
}
CSV_TEMPLATE = (
    "kind,title,description,region,place_name,capacity,starts_on,ends_on,schedule,hours_per_week,languages,"
    "women_only,sector,currency,pay_amount,pay_period,contract_type,contact_channels,accommodation_provided,"
    "rent_deducted,travel_abroad,travel_charged,costs_deducted,documents_held_by,wages_paid,cost_amount,"
    "course_level,certificate,class_language,level_from,level_to,age_min,age_max\r\n"
    "job,Kitchen assistant,Prepare vegetables and keep our canteen kitchen clean.,DE30,Berlin,2,2027-01-04,,"
    "mon 09:00-15:00; tue 09:00-15:00; wed 09:00-15:00,18,de:A2,false,hospitality,EUR,14.5,hour,employment,"
    "email; phone,false,,false,,false,worker,bank_account,,,,,,,,\r\n"
    "course,Basic bookkeeping,Ten evening lessons with a certificate.,DE30,Berlin,12,2027-02-01,2027-04-05,"
    "mon 18:00-20:00,2,de:B1,false,,,,,,,,,,,,,,0,1,Certificate of attendance,,,,,\r\n"
    "language_class,German for work,Everyday German for the workplace.,DE40,Potsdam,15,2027-01-11,,"
    "tue 10:00-12:00; thu 10:00-12:00,4,,true,,,,,,,,,,,,,,,,,de,A1,A2,,\r\n"
    "childcare,Morning childcare,Care for small children during courses.,DE30,,6,2027-01-04,,"
    "mon 08:30-12:30; tue 08:30-12:30,,,true,,,,,,,,,,,,,,,,,,,,1,5\r\n"
)
JSON_TEMPLATE = (
    "[\n"
    '  {"kind": "job", "title": "Kitchen assistant", "description": "Prepare vegetables and keep our canteen '
    'kitchen clean.", "region": "DE30", "place_name": "Berlin", "capacity": 2, "starts_on": "2027-01-04", '
    '"blocks": [{"day": "mon", "start": "09:00", "end": "15:00"}], "hours_per_week": 18, '
    '"languages": [{"code": "de", "level": "A2"}], "currency": "EUR", "pay_amount": 14.5, "pay_period": "hour", '
    '"contract_type": "employment", "contact_channels": ["email", "phone"], "accommodation_provided": false, '
    '"travel_abroad": false, "costs_deducted": false, "documents_held_by": "worker", "wages_paid": "bank_account"},\n'
    '  {"kind": "course", "title": "Basic bookkeeping", "description": "Ten evening lessons with a certificate.", '
    '"region": "DE30", "place_name": "Berlin", "capacity": 12, "starts_on": "2027-02-01", "ends_on": "2027-04-05", '
    '"blocks": [{"day": "mon", "start": "18:00", "end": "20:00"}], "cost_amount": 0, "course_level": 1, '
    '"certificate": "Certificate of attendance"},\n'
    '  {"kind": "language_class", "title": "German for work", "description": "Everyday German for the '
    'workplace.", "region": "DE40", "place_name": "Potsdam", "capacity": 15, "starts_on": "2027-01-11", '
    '"women_only": true, "class_language": "de", "level_from": "A1", "level_to": "A2"},\n'
    '  {"kind": "childcare", "title": "Morning childcare", "description": "Care for small children during '
    'courses.", "region": "DE30", "capacity": 6, "starts_on": "2027-01-04", "women_only": true, "age_min": 1, '
    '"age_max": 5}\n'
    "]\n"
)


def standing(row: Opportunity, org: Organisation) -> tuple[str, str | None]:
    """Why the listing is where it is, in plain words, and the coordinator's reason if any."""
    reviewed = row.reviewed_at is not None and bool(row.review_reason)
    if row.status == OpportunityStatus.DRAFT.value:
        return (RETURNED, row.review_reason) if reviewed else (DRAFT, None)
    if row.status == OpportunityStatus.PENDING_REVIEW.value:
        if org.vetting_status == VettingStatus.SUSPENDED.value:
            return WAITING_SUSPENDED, None
        if org.vetting_status != VettingStatus.VETTED.value:
            return WAITING_CHECKS, None
        return WAITING_REVIEW, None
    if row.status == OpportunityStatus.PUBLISHED.value:
        return PUBLISHED, row.review_reason if reviewed else None
    if row.rejected_by_review:
        return REJECTED, row.review_reason
    return CLOSED, None
