"""Screening rule data (red flags): loading, validation and compilation.

The red-flag rules live as JSON next to this module (``catalogue.json``, one ``<lang>.json`` per
language, ``minimum_wages.json``) so that coordinators' wording and word lists can change without
touching matching logic. This module is the single gate that turns those files into compiled,
validated objects: anything malformed raises :class:`RuleDataError` naming the file and the entry,
at load time, never halfway through screening a listing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from providers.rules.errors import RuleDataError, require
from providers.rules.weighing import SEVERITIES, Decision, MinimumWage, parse_decision, parse_wages

Severity = Literal["high", "medium", "low"]
KINDS: tuple[str, ...] = ("ilo_indicator", "sexual_exploitation_red_flag")
RULES_DIR = Path(__file__).parent
_NON_LANGUAGE_FILES = frozenset({"catalogue.json", "minimum_wages.json", "reading.json", "review_policy.json"})


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One named rule from the catalogue, as reviewers will see it."""

    rule_id: str
    indicator: str
    kind: str
    severity: Severity
    reason: str
    reason_key: str
    negatable: bool
    """A negation just before a match ("no fees", "keine Gebühren") cancels it."""
    negatable_inside: bool
    """A negation inside the matched words cancels it too ("the passport is not kept")."""
    fields: bool
    """The rule also checks structured listing fields (implemented in ``providers.screening``)."""
    co_occurrence: tuple[frozenset[str], ...]
    """Groups of signals/rule ids; the rule fires when every member of one group is present."""


@dataclass(frozen=True, slots=True)
class TextRule:
    """The compiled patterns of one rule (or signal), merged over all languages."""

    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None
    languages: frozenset[str]
    unless_listing: re.Pattern[str] | None = None
    """Found anywhere in the listing, this cancels the rule ("licensed agency" for travel)."""


@dataclass(frozen=True, slots=True)
class Rulebook:
    """Everything ``screen()`` needs, validated and compiled once."""

    rules: dict[str, RuleSpec]
    signals: dict[str, str]
    text_rules: dict[str, TextRule]
    signal_patterns: dict[str, TextRule]
    negation: re.Pattern[str]
    negation_after: re.Pattern[str] | None
    """Negations that cancel a match when they follow it ("fees are not charged")."""
    languages: tuple[str, ...]
    minimum_wages: dict[str, MinimumWage]
    no_statutory_minimum: dict[str, str]
    wage_source: str
    decision: Decision
    stopwords: dict[str, frozenset[str]]
    """Common words per language, to pick the word lists a listing needs (see ``for_languages``)."""
    text_sources: dict[str, list[tuple[str, dict[str, list[str]]]]]
    signal_sources: dict[str, list[tuple[str, dict[str, list[str]]]]]
    country_aliases: dict[str, str]
    """ISO 3166 codes that Eurostat writes differently (GR -> EL, GB -> UK)."""

    def for_languages(self, languages: frozenset[str]) -> tuple[dict[str, TextRule], dict[str, TextRule]]:
        """The rule and signal patterns of these languages only, compiled once per set.

        Running twelve languages' lists over every listing is what makes screening slow; a
        listing in German needs the German lists (and the ones its words also fit).
        """
        key = (id(self), languages)
        cached = _BY_LANGUAGES.get(key)
        if cached is None:

            def pick(sources: dict[str, list[Source]]) -> dict[str, list[Source]]:
                chosen = {k: [s for s in v if s[0] in languages] for k, v in sources.items()}
                return {k: v for k, v in chosen.items() if v}

            cached = (_merge(pick(self.text_sources), "rule"), _merge(pick(self.signal_sources), "signal"))
            _BY_LANGUAGES[key] = cached
        return cached

    def minimum_wage(self, country: str) -> MinimumWage | None:
        code = country[:2].upper()
        return self.minimum_wages.get(self.country_aliases.get(code, code))


Source = tuple[str, dict[str, list[str]]]
_BY_LANGUAGES: dict[tuple[int, frozenset[str]], tuple[dict[str, TextRule], dict[str, TextRule]]] = {}


def _fold_char(ch: str) -> str:
    # NFKD splits accents from letters (é -> e + U+0301, ș -> s + U+0326) so we can drop them;
    # casefold then handles ß -> ss. Russian й/ё fold to и/е on both sides, which is harmless.
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=4096)
def _fold_char_cached(ch: str) -> str:
    return _fold_char(ch)


def fold(text: str) -> str:
    """Accent-free, case-folded text used for all matching."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text`` and map every folded index back to an index in ``text``.

    The map lets reviewers see the evidence as the partner wrote it. ``None`` means the folded
    text has the same offsets as the original (plain ASCII, the common case, kept fast).
    """
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char_cached(ch)
        parts.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(parts), offsets


def _fold_pattern(pattern: str) -> str:
    # Never casefold a regex: it would turn \D, \S, \W into \d, \s, \w. Strip accents only and
    # let re.IGNORECASE handle case.
    decomposed = unicodedata.normalize("NFKD", pattern.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _compile(patterns: list[str], where: str, stems: list[str] | None = None) -> re.Pattern[str]:
    """Compile a list of patterns into one, each wrapped in Unicode word boundaries.

    ``stems`` match inside a word too (German or Dutch compounds: "gebühr" in
    "Vermittlungsgebühr", "huisvesting" in "personeelshuisvesting").
    """
    wrapped: list[str] = []
    inner = [_fold_pattern(raw) for raw in stems or []]
    for raw in patterns:
        if not isinstance(raw, str) or not raw.strip():
            raise RuleDataError(f"{where}: every pattern must be a non-empty string, got {raw!r}")
        folded = _fold_pattern(raw)
        try:
            single = re.compile(folded, re.IGNORECASE)
        except re.error as exc:
            raise RuleDataError(f"{where}: invalid regex {raw!r}: {exc}") from exc
        if single.fullmatch(""):
            raise RuleDataError(f"{where}: pattern {raw!r} matches the empty string")
        wrapped.append(f"(?:{folded})")
    # Boundaries are added here, not left to authors, so "bar" can never match "barrister".
    # One look-behind in front of the whole alternation lets the engine skip mid-word positions
    # before trying any alternative (several times faster than a look-behind per alternative).
    words = rf"(?<!\w)(?:{'|'.join(wrapped)})(?!\w)" if wrapped else ""
    compounds = rf"(?:{'|'.join(f'(?:{p})' for p in inner)})\w*" if inner else ""
    return re.compile("|".join(part for part in (words, compounds) if part), re.IGNORECASE)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuleDataError(f"{path.name}: file not found in {path.parent}") from exc
    except json.JSONDecodeError as exc:
        raise RuleDataError(f"{path.name}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleDataError(f"{path.name}: top level must be an object")
    return cast(dict[str, Any], data)


_require = require


def _parse_catalogue(data: dict[str, Any]) -> tuple[dict[str, RuleSpec], dict[str, str]]:
    signals = data.get("signals", {})
    if not isinstance(signals, dict) or not all(isinstance(v, str) for v in signals.values()):
        raise RuleDataError("catalogue.json: 'signals' must map signal names to descriptions")
    rules: dict[str, RuleSpec] = {}
    for position, entry in enumerate(_require(data, "rules", list, "catalogue.json")):
        where = f"catalogue.json rules[{position}]"
        if not isinstance(entry, dict):
            raise RuleDataError(f"{where}: each rule must be an object")
        rule_id = _require(entry, "id", str, where)
        where = f"catalogue.json rule {rule_id!r}"
        if rule_id in rules or rule_id in signals:
            raise RuleDataError(f"{where}: duplicate id")
        severity = _require(entry, "severity", str, where)
        kind = _require(entry, "kind", str, where)
        if severity not in SEVERITIES:
            raise RuleDataError(f"{where}: severity must be one of {SEVERITIES}, got {severity!r}")
        if kind not in KINDS:
            raise RuleDataError(f"{where}: kind must be one of {KINDS}, got {kind!r}")
        groups = entry.get("co_occurrence", [])
        if not isinstance(groups, list) or not all(
            isinstance(g, list) and len(g) >= 2 and all(isinstance(m, str) for m in g) for g in groups
        ):
            raise RuleDataError(f"{where}: 'co_occurrence' must be a list of lists of 2+ names")
        rules[rule_id] = RuleSpec(
            rule_id=rule_id,
            indicator=_require(entry, "indicator", str, where),
            kind=kind,
            severity=cast(Severity, severity),
            reason=_require(entry, "reason", str, where),
            reason_key=_require(entry, "reason_key", str, where),
            negatable=bool(entry.get("negatable", False)),
            negatable_inside=bool(entry.get("negatable_inside", False)),
            fields=bool(entry.get("fields", False)),
            co_occurrence=tuple(frozenset(g) for g in groups),
        )
    known = set(rules) | set(signals)
    for spec in rules.values():
        for group in spec.co_occurrence:
            unknown = group - known
            if unknown or spec.rule_id in group:
                raise RuleDataError(
                    f"catalogue.json rule {spec.rule_id!r}: co_occurrence names unknown or self "
                    f"entries {sorted(unknown or {spec.rule_id})}"
                )
    return rules, dict(signals)


def _parse_language(
    path: Path, rules: dict[str, RuleSpec], signals: dict[str, str]
) -> tuple[str, dict[str, dict[str, list[str]]], dict[str, list[str]], list[str]]:
    data = _read_json(path)
    name = path.name
    language = _require(data, "language", str, name)
    if f"{language}.json" != name:
        raise RuleDataError(f"{name}: 'language' is {language!r}, expected the file stem")
    negation = data.get("negation", [])
    if not isinstance(negation, list) or not isinstance(data.get("negation_after", []), list):
        raise RuleDataError(f"{name}: 'negation' and 'negation_after' must be lists of patterns")
    entries = _require(data, "rules", dict, name)
    parsed: dict[str, dict[str, list[str]]] = {}
    for rule_id, entry in entries.items():
        where = f"{name} rule {rule_id!r}"
        if rule_id not in rules:
            raise RuleDataError(f"{where}: rule id not in catalogue.json")
        if not isinstance(entry, dict):
            raise RuleDataError(f"{where}: must be an object with 'patterns'")
        extra = {key: entry.get(key, []) for key in ("unless", "stems", "unless_listing")}
        for key, value in extra.items():
            if not isinstance(value, list):
                raise RuleDataError(f"{where}: {key!r} must be a list of patterns")
        patterns = entry.get("patterns", [])
        if not isinstance(patterns, list) or not (patterns or extra["stems"]):
            raise RuleDataError(f"{where}: 'patterns' must be a non-empty list (or give 'stems')")
        parsed[rule_id] = {"patterns": patterns, **extra}
    signal_entries = data.get("signals", {})
    if not isinstance(signal_entries, dict):
        raise RuleDataError(f"{name}: 'signals' must be an object")
    for signal, patterns in signal_entries.items():
        if signal not in signals:
            raise RuleDataError(f"{name} signal {signal!r}: not declared in catalogue.json")
        if not isinstance(patterns, list) or not patterns:
            raise RuleDataError(f"{name} signal {signal!r}: must be a non-empty list of patterns")
    return language, parsed, signal_entries, negation


def _negation_after(directory: Path) -> list[str]:
    words: list[str] = []
    for path in sorted(directory.glob("*.json")):
        if path.name not in _NON_LANGUAGE_FILES:
            words.extend(_read_json(path).get("negation_after", []))
    return words


def _merge(sources: dict[str, list[Source]], what: str) -> dict[str, TextRule]:
    merged: dict[str, TextRule] = {}
    for key, per_language in sources.items():
        lists = {
            name: [p for _, entry in per_language for p in entry.get(name, [])]
            for name in ("patterns", "unless", "stems", "unless_listing")
        }
        where = f"{what} {key!r} ({', '.join(lang for lang, _ in per_language)})"
        merged[key] = TextRule(
            pattern=_compile(lists["patterns"], where, lists["stems"]),
            unless=_compile(lists["unless"], where + " unless") if lists["unless"] else None,
            languages=frozenset(lang for lang, _ in per_language),
            unless_listing=_compile(lists["unless_listing"], where + " unless_listing")
            if lists["unless_listing"]
            else None,
        )
    return merged


def load_rulebook(directory: Path | None = None) -> Rulebook:
    """Load and validate every rule data file in ``directory`` (default: this package).

    Raises :class:`RuleDataError` on any malformed or inconsistent entry.
    """
    directory = directory or RULES_DIR
    catalogue = _read_json(directory / "catalogue.json")
    rules, signals = _parse_catalogue(catalogue)
    text_sources: dict[str, list[Source]] = {}
    signal_sources: dict[str, list[Source]] = {}
    negations: list[str] = []
    languages: list[str] = []
    stopwords: dict[str, frozenset[str]] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name in _NON_LANGUAGE_FILES:
            continue
        language, parsed, signal_entries, negation = _parse_language(path, rules, signals)
        stopwords[language] = frozenset(fold(w) for w in _read_json(path).get("stopwords", []))
        languages.append(language)
        negations.extend(negation)
        for rule_id, entry in parsed.items():
            text_sources.setdefault(rule_id, []).append((language, entry))
        for signal, patterns in signal_entries.items():
            signal_sources.setdefault(signal, []).append((language, {"patterns": patterns}))
    if not languages:
        raise RuleDataError(f"no language files (<lang>.json) in {directory}")
    if not negations:
        raise RuleDataError("no language file declares 'negation' patterns")
    for spec in rules.values():
        if not (spec.fields or spec.co_occurrence or spec.rule_id in text_sources):
            raise RuleDataError(f"catalogue.json rule {spec.rule_id!r}: no patterns, fields or co_occurrence")
    for signal in signals:
        if signal not in signal_sources:
            raise RuleDataError(f"catalogue.json signal {signal!r}: no language file gives patterns")
    wages, none, source, aliases = parse_wages(_read_json(directory / "minimum_wages.json"))
    return Rulebook(
        rules=rules,
        signals=signals,
        text_rules=_merge(text_sources, "rule"),
        signal_patterns=_merge(signal_sources, "signal"),
        negation=_compile(negations, "negation"),
        negation_after=_compile(after, "negation_after") if (after := _negation_after(directory)) else None,
        languages=tuple(languages),
        minimum_wages=wages,
        no_statutory_minimum=none,
        wage_source=source,
        decision=parse_decision(catalogue),
        stopwords=stopwords,
        text_sources=text_sources,
        signal_sources=signal_sources,
        country_aliases=aliases,
    )


@lru_cache(maxsize=1)
def default_rulebook() -> Rulebook:
    """The packaged rulebook, loaded once per process."""
    return load_rulebook()
