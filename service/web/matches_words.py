"""Matching's English sentences, said again in the page's language.

`matching` explains a suggestion in short English sentences with values inside ("needs B1 de,
has A2", "about 25 min by transit (her limit 45)"). The JSON API passes them on as they are;
a counsellor's page must speak her language. Each sentence shape `matching` writes is listed
here once, with the message it becomes and how its values are turned into words (language
names and day names from Babel's locale data, travel modes from our catalogue). A sentence
no pattern knows is still shown, marked as a detail, so nothing is silently dropped; the
page tests fail if a real explanation ever falls through to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import get_day_names

from service.web.forms import N_
from service.web.i18n import translate

Words = Callable[[re.Match[str], str], dict[str, str]]
UNKNOWN = N_("Detail (in English): %(detail)s")
TRAVEL_MODES = {"walk": N_("on foot"), "transit": N_("by public transport"), "car": N_("by car")}
EXCLUSIONS = {
    "not published": N_("not open"),
    "partner not vetted": N_("partner not checked"),
    "no places left": N_("no places left"),
    "excluded region": N_("in an area she avoids"),
    "commute too long": N_("journey too long"),
    "informal work": N_("informal work"),
    "no right to work": N_("no work permit recorded"),
    "permit ends before start": N_("permit ends before it starts"),
    "not a women-only workplace": N_("not a women-only workplace"),
    "night work": N_("night work"),
    "language level too far below requirement": N_("language level too far from what is needed"),
    "outside her availability": N_("outside her available times"),
    "no childcare place fits": N_("no childcare place fits her children and hours"),
    "no language class bridges the gap": N_("no language class closes the language gap in time"),
}
STATUS_NAMES = {
    "suggested": N_("Proposed"),
    "interested": N_("She is interested"),
    "shared": N_("Profile shared"),
    "applied": N_("She applied"),
    "accepted": N_("Accepted"),
    "declined": N_("Not taken up"),
    "placed": N_("Working there"),
    "enrolled": N_("Signed up"),
    "completed": N_("Finished"),
    "dropped": N_("Stopped"),
}
STEP_NAMES = {
    "interested": N_("She is interested"),
    "declined": N_("Decline"),
    "applied": N_("Mark as applied"),
    "accepted": N_("Mark as accepted"),
    "placed": N_("Mark as started work"),
    "enrolled": N_("Mark as enrolled"),
    "completed": N_("Mark as completed"),
    "dropped": N_("Mark as stopped"),
}
SKILL_LEVELS = {1: N_("Beginner"), 2: N_("Good"), 3: N_("Very good"), 4: N_("Expert level")}
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


def language_name(code: str, language: str) -> str:
    """A language code as its name in the page language (Babel), the code itself when it has none."""
    return _locale(language).languages.get(code, code)


def level_name(level: str, language: str) -> str:
    """A CEFR level as shown: codes stay codes (they are international), the rest in words."""
    if level == "native":
        return translate(language, N_("first language"))
    if level == "none":
        return translate(language, N_("none"))
    return level


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@lru_cache(maxsize=8)
def _days(language: str) -> dict[str, str]:
    names = get_day_names("abbreviated", locale=_locale(language))
    return dict(zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), (names[d] for d in range(7)), strict=True))


@lru_cache(maxsize=8)
def _full_days(language: str) -> dict[str, str]:
    names = get_day_names("wide", locale=_locale(language))
    english = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return dict(zip(english, (names[d] for d in range(7)), strict=True))


_DAY = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
_FULL_DAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def schedule(text: str, language: str) -> str:
    """Hours such as "Mon-Fri 09:00-13:00; Sat 10:00-12:00" with the language's day names."""
    if text == "flexible hours":
        return translate(language, N_("Hours are flexible"))
    days = _days(language)
    return _DAY.sub(lambda found: days[found.group(1)], text)


def _listing(text: str, language: str) -> str:
    """Skill names as `matching` lists them, with its "and 3 more" tail translated."""
    found = re.match(r"^(.*) and (\d+) more$", text)
    if found is None:
        return text
    return translate(language, N_("%(items)s and %(count)s more"), items=found.group(1), count=found.group(2))


def _need(found: re.Match[str], language: str) -> dict[str, str]:
    return {
        "level": level_name(found["level"], language),
        "language_name": language_name(found["lang"], language),
        "hers": level_name(found["hers"], language),
    }


@dataclass(frozen=True)
class Pattern:
    shape: re.Pattern[str]
    message: str
    words: Words


def _pattern(shape: str, message: str, words: Words | None = None) -> Pattern:
    return Pattern(re.compile(f"^{shape}$"), message, words or (lambda found, language: {}))


PATTERNS: tuple[Pattern, ...] = (
    _pattern(
        r"about (?P<minutes>\d+) min by (?P<mode>\w+) \(her limit (?P<limit>\d+)\)",
        N_("About %(minutes)s minutes %(mode)s (her limit: %(limit)s minutes)"),
        lambda found, language: {
            "minutes": found["minutes"],
            "limit": found["limit"],
            "mode": translate(language, TRAVEL_MODES.get(found["mode"], TRAVEL_MODES["transit"])),
        },
    ),
    _pattern(
        r"(?P<share>\d+)% of its hours fall in her availability",
        N_("%(share)s%% of its hours fall within her available times"),
        lambda found, language: {"share": found["share"]},
    ),
    _pattern("matches a target occupation", N_("It is an occupation she is aiming for")),
    _pattern("in a target sector", N_("It is in a sector she is aiming for")),
    _pattern("outside her target occupations and sectors", N_("It is outside the occupations and sectors she named")),
    _pattern(
        r"pays (?P<pay>\d+) (?P<currency>[A-Z]{3})/month against a target of (?P<target>\d+)",
        N_("Pays %(pay)s %(currency)s a month; she aims for %(target)s"),
        lambda found, language: {k: found[k] for k in ("pay", "currency", "target")},
    ),
    _pattern(
        r"has (?P<has>\d+) of (?P<of>\d+) essential skills",
        N_("She has %(has)s of the %(of)s essential skills"),
        lambda found, language: {"has": found["has"], "of": found["of"]},
    ),
    _pattern(
        r"essential skills held: (?P<items>.+)",
        N_("Essential skills she has: %(items)s"),
        lambda found, language: {"items": _listing(found["items"], language)},
    ),
    _pattern(
        r"essential skills to learn: (?P<items>.+)",
        N_("Essential skills to learn: %(items)s"),
        lambda found, language: {"items": _listing(found["items"], language)},
    ),
    _pattern(
        r"related experience counts towards: (?P<items>.+)",
        N_("Related experience counts towards: %(items)s"),
        lambda found, language: {"items": _listing(found["items"], language)},
    ),
    _pattern(
        r"needs (?P<level>\w+) (?P<lang>[a-z]{2}), has (?P<hers>\w+): the (?P<days>[\w/]+) class '(?P<title>.*)' fits",
        N_("Needs %(language_name)s at %(level)s, she has %(hers)s: the class “%(title)s” (%(days)s) fits"),
        lambda found, language: {
            **_need(found, language),
            "title": found["title"],
            "days": translate(language, N_("flexible days"))
            if found["days"] == "flexible"
            else _FULL_DAY.sub(lambda day: _full_days(language)[day.group(1)], found["days"]),
        },
    ),
    _pattern(
        r"needs (?P<level>\w+) (?P<lang>[a-z]{2}), has (?P<hers>\w+)",
        N_("Needs %(language_name)s at %(level)s, she has %(hers)s"),
        _need,
    ),
    _pattern(
        r"childcare '(?P<title>.*)' takes children aged (?P<ages>[\d, ]+) and covers the hours plus travel",
        N_("The childcare place “%(title)s” takes children aged %(ages)s and covers the hours and the journeys"),
        lambda found, language: {"title": found["title"], "ages": found["ages"]},
    ),
    # Why a whole list is empty or short (matching.engine, service.domain.matches).
    _pattern(
        r"readiness paused: .*",
        N_("She has paused suggestions for now. They come back when her readiness is set to open again."),
    ),
    _pattern("no availability given", N_("No available times are recorded, so nothing can fit her week yet.")),
    _pattern("no opportunity passes her filters", N_("No listing passes her filters at the moment.")),
    _pattern(
        r"her home area is unknown to the catalogue: .* region (?P<region>\S+) to estimate travel from",
        N_("There is no listing in or near her region (%(region)s) yet, so journeys cannot be estimated."),
        lambda found, language: {"region": found["region"]},
    ),
    _pattern(
        r"childcare places are offered only as part of a bundle.*",
        N_("Childcare places are shown only together with a job, course or class they make possible."),
    ),
)


def phrase(text: str, language: str) -> str:
    """One of matching's sentences in ``language``."""
    for pattern in PATTERNS:
        found = pattern.shape.match(text)
        if found is not None:
            return translate(language, pattern.message, **pattern.words(found, language))
    return translate(language, UNKNOWN, detail=text)


def is_known(text: str) -> bool:
    """Whether a pattern covers the sentence (tests use it to find sentences we forgot)."""
    return any(pattern.shape.match(text) for pattern in PATTERNS)


def is_travel(text: str) -> bool:
    return PATTERNS[0].shape.match(text) is not None


def exclusion(reason: str, language: str) -> str:
    return translate(language, EXCLUSIONS[reason]) if reason in EXCLUSIONS else phrase(reason, language)


REFUSALS: tuple[tuple[str, str], ...] = (
    ("to: sharing needs her consent", N_("Her profile is shared only with her permission: use the share button.")),
    ("to: cannot go from", N_("This step cannot follow the current status. Only the steps shown can be recorded.")),
    ("to: only a job is placed", N_("Only a job is marked as started; courses, classes and childcare are enrolled.")),
    ("to: a job is placed", N_("A job is marked as started, not as enrolled.")),
    (
        "consent_id: no active consent",
        N_("This permission is no longer active or does not name this partner. Nothing was shared."),
    ),
    ("referral: cannot share from", N_("Her profile can be shared only once she is interested.")),
    ("opportunity_id: this listing was already suggested", N_("This was already proposed to her.")),
    ("opportunity_id: no published listing", N_("This listing is no longer open, so it cannot be proposed.")),
)
REFUSED = N_("This step is not possible right now. Nothing was changed.")


def refusal(detail: str | None, language: str) -> str:
    """A refusal from the referral service (409, or a listing gone) as a sentence for the page."""
    for prefix, message in REFUSALS:
        if (detail or "").startswith(prefix):
            return translate(language, message)
    return translate(language, REFUSED)
