"""Text matching for the screener: fields, folding, clause-scoped negation, evidence.

A listing's text fields (title, description, pay, sector, certificates, contact) are folded
into one string with a line per field, so one compiled pattern per rule runs once per listing
and each match still knows its field. A match is cancelled when a negation stands in the same
clause just before it ("no registration fee", "keine Vermittlungsgebühren") or just after it
("the fees are not charged", "documents are never kept"); an ``unless`` context in the same
sentence ("overtime paid", "commute refunded") cancels it too.
"""

from __future__ import annotations

import re

from providers.rules import fold_with_offsets

_CLAUSE_BREAKS = ".,;:!?\n()،؛"
_SENTENCE_END = re.compile(r"[.!?\n؟]")
_NEGATION_REACH = 40
_NEGATION_WORDS_BEFORE = 4
_NEGATION_WORDS_AFTER = 3
_UNLESS_REACH = 80
_EVIDENCE_MAX = 160


class ListingFields:
    """The folded text of every field plus the map back to what the partner wrote."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        present = [(name, " ".join(value.split())) for name, value in fields if value and value.strip()]
        self.original = "\n".join(value for _, value in present)
        self.folded, self._offsets = fold_with_offsets(self.original)
        self._starts: list[tuple[int, str]] = []
        position = 0
        for name, value in present:
            self._starts.append((position, name))
            position += len(value) + 1
        self.field_texts = dict(present)

    def field_at(self, folded_index: int) -> str:
        index = self._offsets[folded_index] if self._offsets is not None else folded_index
        name = self._starts[0][1] if self._starts else "text"
        for start, field in self._starts:
            if start > index:
                break
            name = field
        return name

    def evidence(self, start: int, end: int) -> str:
        if self._offsets is not None:
            start, end = self._offsets[start], self._offsets[end - 1] + 1
        snippet = " ".join(self.original[start:end].split())
        return snippet if len(snippet) <= _EVIDENCE_MAX else snippet[: _EVIDENCE_MAX - 1] + "…"

    def negated(self, start: int, end: int, negation: re.Pattern[str], after_negation: re.Pattern[str] | None) -> bool:
        """A negation in the same clause within a few words before or after the match."""
        prefix = self.folded[max(0, start - _NEGATION_REACH) : start]
        cut = max(prefix.rfind(ch) for ch in _CLAUSE_BREAKS)
        before = prefix[cut + 1 :].split()[-_NEGATION_WORDS_BEFORE:]
        if before and negation.search(" ".join(before)):
            return True
        if after_negation is None:
            return False
        suffix = self.folded[end : end + _NEGATION_REACH]
        stops = [i for i in (suffix.find(ch) for ch in _CLAUSE_BREAKS) if i >= 0]
        after = suffix[: min(stops)] if stops else suffix
        words = after.split()[:_NEGATION_WORDS_AFTER]
        return bool(words) and after_negation.search(" ".join(words)) is not None

    def sentence_around(self, start: int, end: int) -> str:
        """The folded sentence holding the match, at most ``_UNLESS_REACH`` either side."""
        before = self.folded[max(0, start - _UNLESS_REACH) : start]
        after = self.folded[end : end + _UNLESS_REACH]
        cut = max(before.rfind(ch) for ch in ".!?\n؟")
        stop = _SENTENCE_END.search(after)
        return before[cut + 1 :] + self.folded[start:end] + (after[: stop.start()] if stop else after)

    def word_start(self, index: int) -> int:
        """Where the word holding ``index`` starts (a compound's evidence is the whole word)."""
        while index > 0 and self.folded[index - 1].isalnum():
            index -= 1
        return index

    def word_end(self, index: int) -> int:
        while index < len(self.folded) and self.folded[index].isalnum():
            index += 1
        return index


def first_match(
    text: ListingFields,
    pattern: re.Pattern[str],
    unless: re.Pattern[str] | None,
    negation: re.Pattern[str] | None,
    after_negation: re.Pattern[str] | None = None,
    inside: bool = False,
) -> tuple[str, str] | None:
    """(field, evidence) of the first match that is neither negated nor excused, else None."""
    for match in pattern.finditer(text.folded):
        start, end = match.span()
        if start == end:
            continue
        start, end = text.word_start(start), text.word_end(end)
        if negation is not None and text.negated(start, end, negation, after_negation):
            continue
        if inside and after_negation is not None and after_negation.search(text.folded, start, end):
            continue
        if unless is not None and unless.search(text.sentence_around(start, end)):
            continue
        return text.field_at(start), text.evidence(start, end)
    return None
