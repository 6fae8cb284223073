"""An import's problems in a person's words: which row, which column (by what it means, and as
the file's header says it, so she finds the cell), and what to write there instead.

The API's English never reaches the page; the submitted value is never echoed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers.schemas import CURRENCIES, KINDS, PAY_PERIODS
from service.web.forms import N_
from service.web.partner_forms import CEFR_LEVELS, CONTRACT_TYPES, DOCUMENTS_HELD_BY, MESSAGES, WAGES_PAID
from service.web.partner_words import (
    COLUMN_TWICE,
    FILE_EMPTY,
    FILE_TOO_LONG,
    FILE_UNREADABLE,
    ROW_CELLS,
    UNKNOWN_COLUMN,
)

WRITE_TRUE_OR_FALSE = N_("Please write true or false.")
ONE_OF = N_("Please use one of: %(values)s.")
COLUMN_LABELS = {
    "kind": N_("Kind"),
    "title": N_("Title"),
    "description": N_("Description"),
    "region": N_("Region"),
    "place_name": N_("Town (optional)"),
    "lat": N_("Town (optional)"),
    "lon": N_("Town (optional)"),
    "capacity": N_("Number of places"),
    "starts_on": N_("Starts on"),
    "ends_on": N_("Ends on (optional)"),
    "schedule": N_("Weekly times (optional)"),
    "blocks": N_("Weekly times (optional)"),
    "hours_per_week": N_("Hours per week"),
    "languages": N_("Languages needed (optional)"),
    "women_only": N_("Women-only place"),
    "sector": N_("Sector (optional)"),
    "currency": N_("Currency"),
    "occupation_uri": N_("Occupation (optional)"),
    "essential_skills": N_("Skills needed"),
    "optional_skills": N_("Skills that help"),
    "pay_amount": N_("Pay, before tax"),
    "pay_period": N_("Pay is"),
    "contract_type": N_("Contract"),
    "contact_channels": N_("How to apply (optional)"),
    "accommodation_provided": N_("Does the employer provide accommodation?"),
    "rent_deducted": N_("If so: is rent taken out of the wages?"),
    "travel_abroad": N_("Does the employer arrange travel to another country?"),
    "travel_charged": N_("If so: does the worker pay for that travel?"),
    "costs_deducted": N_("Are recruitment or travel costs taken out of the wages?"),
    "documents_held_by": N_("Who keeps the worker's passport and identity papers?"),
    "wages_paid": N_("How are wages paid?"),
    "cost_amount": N_("Cost for the participant"),
    "course_level": N_("Skill level reached (optional)"),
    "certificate": N_("Certificate (optional)"),
    "class_language": N_("Language taught"),
    "level_from": N_("Starting level"),
    "level_to": N_("Final level"),
    "age_min": N_("Youngest age, in years"),
    "age_max": N_("Oldest age, in years"),
}
#: Where a file needs other words than the form (it has no pickers).
CELL_MESSAGES = {
    "region": N_("Please use a region code such as DE30."),
    "lat": N_("Please enter a latitude between -90 and 90, for example 52.52."),
    "lon": N_("Please enter a longitude between -180 and 180, for example 13.41."),
    "schedule": N_(
        "Please write the times as in “mon 09:00-13:00; wed 14:00-18:00”: "
        "on the hour or half hour, within one day, without overlaps."
    ),
    "languages": N_("Please write each language as code:level, for example “de:B1; en:A2”, each language once."),
    "occupation_uri": N_("Please enter an ESCO occupation address (http://data.europa.eu/esco/occupation/…)."),
    "essential_skills": N_("Please enter ESCO skill addresses separated by semicolons (at most 50)."),
    "optional_skills": N_("Please enter ESCO skill addresses separated by semicolons (at most 50)."),
    "class_language": N_("Please enter the language taught as a two-letter code, such as de."),
}
BOOLEAN_COLUMNS = frozenset(
    {"women_only", "accommodation_provided", "travel_abroad", "rent_deducted", "travel_charged", "costs_deducted"}
)
CHOICE_COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "pay_period": PAY_PERIODS,
    "contract_type": tuple(CONTRACT_TYPES),
    "currency": tuple(sorted(CURRENCIES)),
    "level_from": CEFR_LEVELS,
    "level_to": CEFR_LEVELS,
    "course_level": ("1", "2", "3", "4"),
    "documents_held_by": tuple(DOCUMENTS_HELD_BY),
    "wages_paid": tuple(WAGES_PAID),
}


@dataclass(frozen=True)
class ShownProblem:
    """One import problem as the page shows it."""

    row: int
    column: str
    """What the column means (a message id, translated by the template); empty for the file."""
    header: str
    """The column as the file's header names it, so she can find the cell."""
    message: str
    variables: dict[str, str] = field(default_factory=dict)


def shown_problem(row: int, path: str, message: str) -> ShownProblem:
    """Our words for one problem of the import report."""
    header = path.split("[", 1)[0].split(".", 1)[0]
    label = COLUMN_LABELS.get(header, "")
    if row == 0:
        if message == "unknown column":
            return ShownProblem(0, "", header, UNKNOWN_COLUMN)
        if "twice" in message:
            return ShownProblem(0, "", "", COLUMN_TWICE)
        if "holds no" in message:
            return ShownProblem(0, "", "", FILE_EMPTY)
        if "more than" in message:
            return ShownProblem(0, "", "", FILE_TOO_LONG)
        return ShownProblem(0, "", "", FILE_UNREADABLE)
    if header == "row":
        return ShownProblem(row, "", "", ROW_CELLS)
    if not label:  # a JSON field we do not know
        return ShownProblem(row, "", header, UNKNOWN_COLUMN)
    if header in BOOLEAN_COLUMNS:
        return ShownProblem(row, label, header, WRITE_TRUE_OR_FALSE)
    if header in CHOICE_COLUMNS and not message.startswith("required"):
        return ShownProblem(row, label, header, ONE_OF, {"values": ", ".join(CHOICE_COLUMNS[header])})
    words = CELL_MESSAGES.get(header) or MESSAGES.get(header) or MESSAGES["title"]
    return ShownProblem(row, label, header, words)


#: What a JobPosting said that could not be carried over, in the partner's words.
NOTE_WORDS = {
    "shortened to the longest description we keep": N_("The description was shortened to 4,000 characters."),
    "a range: the lowest figure is used": N_("The salary is a range: the lowest figure is shown."),
    "a yearly salary: shown per month (divided by 12)": N_("The salary is yearly: it is shown per month."),
    "missing or not a currency we know": N_("The currency is missing or not one we know: please choose it."),
    "no amount found": N_("No pay was found: please enter it."),
    "not a MonetaryAmount": N_("The salary could not be read: please enter the pay."),
    "no pay period (HOUR, DAY, WEEK, MONTH or YEAR)": N_(
        "The pay has no period: please choose hour, day, week or month."
    ),
    "no contract type we can name: please choose one": N_(
        "The kind of employment is not one we can name: please choose the contract."
    ),
    "no date: today is used as the start": N_("No date was given: today is used as the start."),
    "not a date": N_("The closing date could not be read."),
    "no number of hours per week found": N_("No hours per week were found: please enter them."),
    "no region we know: please choose one": N_("The place is not one we know: please choose the region."),
    "not a town we know: the region's centre is used": N_("The town is not one we know: the region's centre is used."),
    "remote work: please choose the region it is for": N_("Remote work: please choose the region it is for."),
    "several places: the first is used": N_("Several places were given: the first is used."),
    "not given: one place assumed": N_("The number of openings was not given: one place is assumed."),
    "not used": N_("This part of the posting is not used."),
}


def shown_note(number: int, path: str, message: str) -> ShownProblem:
    """One note of a JobPosting import: which posting, which part of it, and what it means."""
    return ShownProblem(number, "", path, NOTE_WORDS.get(message, NOTE_WORDS["not used"]))
