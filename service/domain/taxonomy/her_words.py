"""Her words in any language she or the page speaks: suggestions searched across languages.

A counsellor whose pages are in English types what the woman says, as she says it: "Kochen",
"nähen", "faire le ménage", "gătit". :func:`suggest_in_languages` searches the labels of every
language in the reading order (the page's language, hers, then English) and merges the
answers, best first, each saying which language its words came from and in which language its
name is shown. A language with no labels of the kind at all is reported in ``without_labels``,
so a page can say so instead of silently finding nothing.

Search per language uses the taxonomy index's per-language normaliser (built on first use, off
the event loop). Words are also tried in a lightly stemmed form (:func:`stem_variants`), so an
inflected word ("Näherin", "cucino") still meets its label; deeper morphology is issue 18's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.taxonomy.labels import Label, labels_in, reading_order
from service.domain.taxonomy.services import current_index, searchable
from skills.normalise import Kind
from skills.taxonomy import TaxonomyIndex

ENDINGS = {
    "de": ("ungen", "erin", "innen", "ung", "en", "st", "er", "e", "t", "n"),
    "fr": ("euses", "euse", "ages", "age", "ons", "ez", "er", "es", "e", "s"),
    "it": ("atrice", "are", "ere", "ire", "ando", "o", "a", "i", "e"),
    "ro": ("ească", "ește", "ului", "ul", "ea", "ă", "a", "i", "e", "t"),
    "en": ("ing", "ers", "er", "es", "ed", "s"),
}
"""Inflection endings tried off a word, longest first, per language (a small light stemmer)."""
MIN_STEM = 4


@dataclass(frozen=True, slots=True)
class WordMatch:
    """One concept proposed for her words."""

    uri: str
    label: Label
    """Its name for the reader (the label service's reading order)."""
    matched: str
    """The taxonomy's words that met hers."""
    matched_lang: str
    confidence: float


@dataclass(frozen=True, slots=True)
class WordSearch:
    matches: list[WordMatch]
    searched: tuple[str, ...]
    """Languages whose labels were searched, in order."""
    without_labels: tuple[str, ...]
    """Languages asked for that hold no label of this kind (nothing to search there)."""


def stem_variants(text: str, lang: str) -> list[str]:
    """The text with each long word's inflection ending taken off (the text itself excluded)."""
    words = re.findall(r"\w+", text.casefold())
    stemmed = []
    for word in words:
        endings = [end for end in ENDINGS.get(lang, ()) if word.endswith(end) and len(word) - len(end) >= MIN_STEM]
        cut = word[: -len(endings[0])] if endings else word
        stemmed.append(cut)
    variant = " ".join(stemmed)
    return [variant] if variant and variant != " ".join(words) else []


def _search(
    index: TaxonomyIndex, text: str, lang: str, kind: Kind | None, limit: int, floor: float
) -> list[tuple[str, str, float]]:
    """(uri, matched label, confidence) from one language's labels, the stemmed form counted a
    little lower than an exact one."""
    found: dict[str, tuple[str, float]] = {}
    for attempt, weight in ((text, 1.0), *((variant, 0.9) for variant in stem_variants(text, lang))):
        for item in index.suggest_many([attempt], lang, kind=kind, limit=limit, min_confidence=floor)[0]:
            if item.matched_lang != lang:
                continue
            score = item.confidence * weight
            if score >= floor and score > found.get(item.concept.uri, ("", -1.0))[1]:
                found[item.concept.uri] = (item.matched_label, score)
    return [(uri, matched, score) for uri, (matched, score) in found.items()]


async def _gather(
    index: TaxonomyIndex,
    text: str,
    languages: tuple[str, ...],
    kind: Kind | None,
    limit: int,
    floor: float,
    best: dict[str, tuple[float, int, str, str]],
    start: int = 0,
) -> None:
    """The best (confidence, language position, matched label, language) per concept into ``best``."""
    for position, lang in enumerate(languages, start=start):
        await searchable(index, lang)
        for uri, matched, confidence in _search(index, text, lang, kind, limit, floor):
            known = best.get(uri)
            if known is None or confidence > known[0]:
                best[uri] = (confidence, position, matched, lang)


async def suggest_in_languages(
    db: AsyncSession,
    text: str,
    reader: str,
    also: Iterable[str] = (),
    *,
    kind: Kind | None,
    limit: int,
    min_confidence: float,
    then: Iterable[str] = (),
) -> WordSearch:
    """Concepts for ``text`` searched in the reader's language, ``also``'s and English, best first;
    when none of those finds anything, the languages of ``then`` are searched too (the languages
    the service is offered in: her words may be in one nobody recorded yet)."""
    index = await current_index(db)
    order = reading_order(reader, also)
    searched = tuple(lang for lang in order if index.label_count(lang, kind) > 0)
    without = tuple(lang for lang in order if lang not in searched)
    best: dict[str, tuple[float, int, str, str]] = {}
    await _gather(index, text, searched, kind, limit, min_confidence, best)
    if not best:
        more = tuple(lang for lang in then if lang not in order and index.label_count(lang, kind) > 0)
        await _gather(index, text, more, kind, limit, min_confidence, best, start=len(searched))
        searched += tuple(lang for lang in more if any(found[3] == lang for found in best.values()))
    ranked = sorted(best.items(), key=lambda pair: (-pair[1][0], pair[1][1], pair[0]))[:limit]
    names = labels_in(index, [uri for uri, _ in ranked], reader, also)
    matches = [
        WordMatch(uri=uri, label=names[uri], matched=matched, matched_lang=lang, confidence=round(confidence, 4))
        for uri, (confidence, _, matched, lang) in ranked
    ]
    return WordSearch(matches=matches, searched=searched, without_labels=without)
