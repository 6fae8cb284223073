"""Read numbers, working times and pay out of listing text, in every supported language.

Pure functions over *folded* text (``providers.rules.fold``: accent-free, case-folded). The
screener uses them to turn "from 6am to 8pm, 7 days a week", "dalle 5 alle 19, tutti i
giorni" or "fünf Euro die Stunde" into hours per day, days per week, a night share and an
amount per period, which the structured checks (legal maximum week, night-only work, statutory
minimum wage) then judge exactly as they judge the partner's form fields.

The vocabulary (number words, period and currency words, countries, day names) lives in
``providers/rules/reading.json`` so a new language is a data change.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from providers.rules import fold

_DATA = Path(__file__).parent / "rules" / "reading.json"
_NUM = r"\d{1,3}(?:[.,' \u00a0\u202f]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_NIGHT = frozenset([*range(0, 12), *range(44, 48)])  # half-hours 22:00-06:00


@dataclass(frozen=True, slots=True)
class Pay:
    """An amount per period read from text."""

    amount: float
    period: str
    """hour, day, week, month or year."""
    currency: str | None
    net: bool
    evidence: str


@dataclass(frozen=True, slots=True)
class WorkingTime:
    """What the text says about working time; ``None`` where it says nothing."""

    hours_per_day: float | None
    days_per_week: float | None
    hours_per_week: float | None
    night_share: float | None
    rotating: bool
    evidence: str
    stated_daily: float | None = None
    """Hours a day the text states in words ("12 hours a day"), apart from clock ranges."""


def _entry(word: str) -> str:
    if word.endswith("*") and len(word) > 1:
        return re.escape(fold(word[:-1])).replace(r"\ ", r"\s+") + r"\w*"
    return re.escape(fold(word)).replace(r"\ ", r"\s+") + r"(?!\w)"


def _alternation(words: list[str]) -> str:
    """One regex alternation of vocabulary entries, longest first (see the file's 'about')."""
    return "|".join(_entry(w) for w in sorted(words, key=len, reverse=True))


class _Vocabulary:
    def __init__(self, data: dict[str, object]) -> None:
        numbers: dict[str, int] = {fold(k): int(v) for k, v in dict(data["number_words"]).items()}  # type: ignore[call-overload]
        self.numbers = numbers
        self.number_word = re.compile(rf"(?<!\w)(?:{_alternation(list(numbers))})(?!\w)")
        self.periods = {p: re.compile(rf"(?<!\w)(?:{_alternation(ws)})") for p, ws in dict(data["periods"]).items()}  # type: ignore[call-overload]
        self.currencies = [(code, re.compile(_alternation(ws))) for code, ws in dict(data["currencies"]).items()]  # type: ignore[call-overload]
        self.currency_any = re.compile("|".join(f"(?:{c.pattern})" for _, c in self.currencies))
        pocket: list[str] = data["not_a_wage"]  # type: ignore[assignment]
        self.not_a_wage = re.compile(rf"(?<!\w)(?:{_alternation(pocket)})")
        self.not_pay_before = re.compile(rf"(?<!\w)(?:{_alternation(data['not_pay_before'])})")  # type: ignore[arg-type]
        self.net = re.compile(rf"(?<!\w)(?:{_alternation(data['net'])})(?!\w)")  # type: ignore[arg-type]
        countries: dict[str, list[str]] = data["countries"]  # type: ignore[assignment]
        self.country_names = [(code, re.compile(rf"(?<!\w)(?:{_alternation(ws)})")) for code, ws in countries.items()]
        self.currency_country: dict[str, str] = data["currency_country"]  # type: ignore[assignment]
        clock: dict[str, list[str]] = data["clock"]  # type: ignore[assignment]
        self.range_joiner = _alternation(clock["to"])
        self.range_from = _alternation(clock["from"])
        self.am = _alternation(clock["am"])
        self.pm = _alternation(clock["pm"])
        self.hour_mark = _alternation(clock["hour_mark"])
        self.not_clock_after = re.compile(rf"\s*(?:{_alternation(clock['not_clock_after'])})")
        self.window = re.compile(rf"(?:{_alternation(clock['window'])})\s*$")
        self.and_word = re.compile(rf"^\s*(?:{_alternation(clock['and'])})\s*$")
        self.app_number = re.compile(
            rf"(?<!\w)(?:{_alternation(data['messaging_apps'])})[\s:()-]{{0,4}}(?:\w+\s)?[\s:]?\+?\d[\d \-]{{6,}}"  # type: ignore[arg-type]
        )
        self.rotating = re.compile(rf"(?<!\w)(?:{_alternation(data['rotating'])})")  # type: ignore[arg-type]
        self.around_clock = re.compile(rf"(?<!\w)(?:{_alternation(data['around_the_clock'])})")  # type: ignore[arg-type]
        days: dict[str, Any] = data["days"]  # type: ignore[assignment]
        self.every_day = re.compile(rf"(?<!\w)(?:{_alternation(days['every_day'])})")
        self.day_names = [
            (index, re.compile(rf"(?<!\w)(?:{_alternation(words)})(?!\w)")) for index, words in enumerate(days["names"])
        ]
        self.day_range_joiner = _alternation(days["to"])
        self.per_week = _alternation(days["per_week"])
        self.per_day = _alternation(data["per_day"])  # type: ignore[arg-type]
        self.hour_words = _alternation(data["hour_words"])  # type: ignore[arg-type]
        self.day_words = _alternation(days["day_words"])
        self.weekly_hours = re.compile(
            rf"(\d{{1,3}}(?:[.,]\d)?)\s*(?:-|–)?\s*(?:{self.hour_words})\.?\s*(?:pro |per |a |par )?(?:{self.per_week})"
        )
        self.daily_hours = re.compile(
            rf"(\d{{1,2}}(?:[.,]\d)?)\s*(?:-|–)?\s*(?:{self.hour_words})\.?\s*(?:{self.per_day})"
        )
        self.days_a_week = re.compile(rf"(?<![\d/])([1-7])[\s-]*(?:{self.day_words})?[\s-]*(?:{self.per_week})")
        time = r"(\d{1,2})(?:[:.h](\d{2}))?"
        self.clock = re.compile(
            rf"(?<![\d.:/,-])(?:(?:{self.range_from})\s+)?{time}\s*({self.am}|{self.pm}|{self.hour_mark})?\.?\s*"
            rf"(?:-|–|—|(?:{self.range_joiner})(?!\w))\s*(?:(?:{self.hour_mark})\s+)?{time}\s*({self.am}|{self.pm}|{self.hour_mark})?(?!\w)"
        )
        self.day_range = re.compile(
            rf"({'|'.join(f'(?:{p.pattern})' for _, p in self.day_names)})\s*(?:-|–|{self.day_range_joiner})\s*"
            rf"({'|'.join(f'(?:{p.pattern})' for _, p in self.day_names)})"
        )


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    return _Vocabulary(json.loads(_DATA.read_text(encoding="utf-8")))


def words_to_digits(folded: str) -> str:
    """Replace runs of number words with digits ("dos mil" -> "2000", "fünf" -> "5")."""
    voc = vocabulary()
    matches = list(voc.number_word.finditer(folded))
    if not matches:
        return folded
    out: list[str] = []
    last = 0
    index = 0
    while index < len(matches):
        run = [matches[index]]
        while index + 1 < len(matches) and not folded[run[-1].end() : matches[index + 1].start()].strip(" -"):
            index += 1
            run.append(matches[index])
        total, current = 0, 0
        for match in run:
            value = voc.numbers[match.group(0)]
            if value == 1000:
                total += max(current, 1) * 1000
                current = 0
            elif value == 100:
                current = max(current, 1) * 100
            else:
                current += value
        number = str(total + current)
        start, end = run[0].start(), run[-1].end()
        out.append(folded[last:start] + number + " " * max(0, end - start - len(number)))
        last = end
        index += 1
    out.append(folded[last:])
    return "".join(out)


def parse_number(raw: str) -> float:
    """1.500 / 1 500 / 1,500.50 / 12,50 / 13.90 as a float."""
    text = re.sub(r"[ '\u00a0\u202f]", "", raw)
    if "." in text and "," in text:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        text = text.replace("," if decimal == "." else ".", "").replace(decimal, ".")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        head, _, tail = text.rpartition(sep)
        text = (
            text.replace(sep, "")
            if len(tail) == 3 and head.isdigit() is not False
            else head.replace(sep, "") + "." + tail
        )
    return float(text)


def read_pay(folded: str) -> Pay | None:
    """The first amount with a currency and a period ("13,90 € pro Stunde", "£29,000 a year")."""
    voc = vocabulary()
    text = words_to_digits(folded)
    for match in re.finditer(rf"(?<![\d\w])({_NUM})(?![\d])", text):
        start, end = match.span()
        before, after = text[max(0, start - 8) : start], text[end : end + 45]
        cur = voc.currency_any.search(before + " " + after[:12])
        if cur is None:
            continue
        window = after[:45]
        period = None
        position, stop = len(window), 0
        for name, pattern in voc.periods.items():
            found = pattern.search(window)
            if found and found.start() < position:
                period, position, stop = name, found.start(), found.end()
        if period is None:
            continue
        if voc.not_pay_before.search(text[max(0, start - 45) : start]):
            continue  # "rent of £32 a week", "a fee of 300 €": a cost, not the pay
        context = text[max(0, start - 40) : end + 45]
        if voc.not_a_wage.search(context):
            return None
        currency = next((code for code, p in voc.currencies if p.search(before + " " + after[:12])), None)
        try:
            amount = parse_number(match.group(1))
        except ValueError:
            continue
        if amount <= 0:
            continue
        return Pay(
            amount,
            period,
            currency,
            bool(voc.net.search(context)),
            " ".join(
                text[
                    max(0, start - len(before) + before.rfind(" ") + 1)
                    if voc.currency_any.search(before)
                    else start : end + stop
                ].split()
            ),
        )
    return None


def app_with_number(folded: str) -> str | None:
    """ "WhatsApp 0151 2345678", "واتساب 050…": a messaging app named with a phone number."""
    found = vocabulary().app_number.search(folded)
    return " ".join(found.group(0).split()) if found else None


def read_country(folded: str, currency: str | None) -> str | None:
    """The country a listing is in: a non-euro currency's country, else the first country or city named."""
    voc = vocabulary()
    if currency and currency in voc.currency_country:
        return voc.currency_country[currency]
    best: tuple[int, str] | None = None
    for code, pattern in voc.country_names:
        found = pattern.search(folded)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), code)
    return best[1] if best else None


def _hour(raw: str, minutes: str | None, marker: str | None, voc: _Vocabulary) -> float | None:
    hour = int(raw)
    if hour > 24 or (minutes and int(minutes) >= 60):
        return None
    if marker and re.fullmatch(voc.pm, marker) and hour < 12:
        hour += 12
    elif marker and re.fullmatch(voc.am, marker) and hour == 12:
        hour = 0
    return hour + (int(minutes) / 60 if minutes else 0.0)


def _night_share(start: float, length: float) -> float:
    slots = [int((start * 2 + i) % 48) for i in range(round(length * 2))]
    return sum(s in _NIGHT for s in slots) / len(slots) if slots else 0.0


def read_working_time(folded: str) -> WorkingTime:
    """Hours per day, days per week, hours per week and the night share the text states."""
    voc = vocabulary()
    text = words_to_digits(folded)
    evidence: list[str] = []
    spans: list[tuple[float, float, int, int]] = []
    for m in voc.clock.finditer(text):
        h1, m1, mark1, h2, m2, mark2 = m.groups()
        explicit = bool(m1 or m2 or mark1 or mark2 or re.match(rf"\s*(?:{voc.range_from})\s", m.group(0)))
        if (
            not explicit
            or voc.not_clock_after.match(text, m.end())
            or voc.window.search(text[max(0, m.start() - 12) : m.start()])
        ):
            continue  # a bare "2-3" is a count, not a clock; "between 9-21" is a window, not a shift
        if mark1 is None and mark2 is not None and int(h1) <= 12 and int(h2) <= 12:
            if int(h1) <= int(h2):
                mark1 = mark2
            elif re.fullmatch(voc.pm, mark2):
                mark1 = "am"
        start, end = _hour(h1, m1, mark1, voc), _hour(h2, m2, mark2, voc)
        if start is None or end is None or start == end:
            continue
        length = (end - start) % 24
        if length < 1:
            continue
        spans.append((start, length, m.start(), m.end()))
        evidence.append(" ".join(m.group(0).split()))
    hours_day: float | None = None
    night: float | None = None
    if spans:
        hours_day = max(length for _, length, _, _ in spans)
        for (_, l1, _, e1), (_, l2, s2, _) in itertools.pairwise(spans):
            if voc.and_word.match(text[e1:s2]):
                hours_day = max(hours_day, l1 + l2)
        total = sum(length for _, length, _, _ in spans)
        night = sum(_night_share(s, length) * length for s, length, _, _ in spans) / total
    if voc.around_clock.search(text):
        found = voc.around_clock.search(text)
        assert found is not None
        hours_day = 24.0
        evidence.append(found.group(0))
    stated: float | None = None
    if (found_d := voc.daily_hours.search(text)) is not None:
        stated = float(found_d.group(1).replace(",", "."))
        hours_day = max(hours_day or 0.0, stated)
        evidence.append(found_d.group(0))
    days: float | None = None
    if (found_w := voc.days_a_week.search(text)) is not None:
        days = float(found_w.group(1))
        evidence.append(found_w.group(0))
    elif (found_e := voc.every_day.search(text)) is not None:
        days = 7.0
        evidence.append(found_e.group(0))
    elif (found_r := voc.day_range.search(text)) is not None:
        first = next(i for i, p in voc.day_names if p.fullmatch(found_r.group(1)))
        last = next(i for i, p in voc.day_names if p.fullmatch(found_r.group(2)))
        days = float((last - first) % 7 + 1)
        evidence.append(found_r.group(0))
    weekly: float | None = None
    if (found_h := voc.weekly_hours.search(text)) is not None:
        weekly = float(found_h.group(1).replace(",", "."))
        evidence.append(found_h.group(0))
    elif hours_day is not None and days is not None:
        weekly = hours_day * days
    return WorkingTime(
        hours_per_day=hours_day,
        days_per_week=days,
        hours_per_week=weekly,
        night_share=night,
        rotating=bool(voc.rotating.search(text)),
        stated_daily=stated,
        evidence="; ".join(evidence),
    )
