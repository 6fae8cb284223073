"""The taxonomy in memory: concepts, labels, occupation -> skills, hierarchy, and search.

Pure: :class:`TaxonomyIndex` is built from plain rows (the service reads them from the
database) and never touches storage. It merges the sources that contributed rows:

- labels: one row per (concept, language, label), the strongest label type winning; the label
  shown for a concept in a language is our starter curation's preferred label if there is one
  (written for the people we serve), else ESCO's, else any label, else the English one;
- occupation -> skill links: the union of the sources; where both speak of one pair, the
  starter's judgement (essential or optional for the jobs we place in) wins.

Text search uses one :class:`~skills.normalise.Normaliser` per language, built on first use:
a query states its language, so a per-language index is smaller and faster than one over
every language (485k labels in the full ESCO import, which take about a minute to index),
and a request only ever waits for its own language's index.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from skills.normalise import Normaliser
from skills.normalise_records import KINDS, ConceptMatch, Kind, LabelRow

LABEL_RANK = {"preferred": 0, "alternative": 1, "hidden": 2}
SOURCE_RANK = {"starter": 0, "esco": 1}
"""Lower wins when two sources disagree (display label, essential vs optional)."""
FALLBACK_LANG = "en"


@dataclass(frozen=True, slots=True)
class Concept:
    """A concept as the index knows it (attributes from the taxonomy_concept row)."""

    uri: str
    kind: str
    code: str | None = None
    isco_group: str | None = None
    skill_type: str | None = None
    language: str | None = None
    """For a language skill: the ISO 639-1 code of the language."""

    @property
    def id(self) -> str:
        """The last segment of the URI (the ESCO UUID for occupations and skills)."""
        return self.uri.rsplit("/", 1)[-1]


class StoredLabel(NamedTuple):
    """A label row as stored (one per source). A tuple, so database rows can stand in for it."""

    concept_uri: str
    lang: str
    label: str
    label_type: str
    source: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed concept for a text: the label that matched and the one to show."""

    concept: Concept
    label: str
    """The label in the requested language (or English when it has none)."""
    matched_label: str
    matched_lang: str
    score: float
    confidence: float


class TaxonomyIndex:
    """Read-only after construction, except for the per-language search indexes it builds
    lazily (thread-safe, so a web process can build them off its event loop)."""

    def __init__(
        self,
        generation: str,
        concepts: Iterable[Concept],
        labels: Iterable[StoredLabel],
        relations: Iterable[tuple[str, str, str, str]],
        broader: Iterable[tuple[str, str]],
    ) -> None:
        """``generation`` names the database content the rows came from; ``relations`` are
        (occupation, skill, essential|optional, source); ``broader`` are (narrower, broader)
        pairs from any source."""
        self.generation = generation
        self.concepts: dict[str, Concept] = {c.uri: c for c in concepts}
        self._by_id: dict[str, str] = {c.id: c.uri for c in self.concepts.values()}
        self._language_skills: dict[str, list[str]] = defaultdict(list)
        for concept in self.concepts.values():
            if concept.language:
                self._language_skills[concept.language].append(concept.uri)
        self._rows_by_lang: dict[str, list[LabelRow]] = defaultdict(list)
        self._counts: dict[tuple[str, str], int] = defaultdict(int)
        """Searchable labels per (language, kind); the rows themselves are dropped once indexed."""
        self._shown: dict[tuple[str, str], str] = {}
        self._any_label: dict[str, tuple[str, str]] = {}
        self._merge_labels(labels)
        self._essential: dict[str, list[str]] = {}
        self._optional: dict[str, list[str]] = {}
        self._merge_relations(relations)
        self._broader: dict[str, list[str]] = defaultdict(list)
        self._narrower: dict[str, list[str]] = defaultdict(list)
        for narrower, wider in set(broader):
            if narrower != wider:
                self._broader[narrower].append(wider)
                self._narrower[wider].append(narrower)
        self._normalisers: dict[str, Normaliser | None] = {}
        self._build_lock = threading.Lock()

    # ------------------------------------------------------------- construction

    def _merge_labels(self, labels: Iterable[StoredLabel]) -> None:
        best: dict[tuple[str, str, str], int] = {}
        shown_rank: dict[tuple[str, str], tuple[int, int]] = {}
        for uri, lang, label, label_type, source in labels:
            if uri not in self.concepts:
                continue
            rank = LABEL_RANK.get(label_type, 2)
            key = (uri, lang, label)
            if rank < best.get(key, 9):
                best[key] = rank
            display = (rank, SOURCE_RANK.get(source, 9))
            pair = (uri, lang)
            if pair not in shown_rank or display < shown_rank[pair]:
                shown_rank[pair] = display
                self._shown[pair] = label
            self._any_label.setdefault(uri, (label, lang))
        types = ("preferred", "alternative", "hidden")
        for (uri, lang, label), rank in best.items():
            kind = self.concepts[uri].kind
            if kind in KINDS:  # skill groups are browsed, not proposed for free text
                self._rows_by_lang[lang].append(LabelRow(uri, label, lang, types[rank], kind))  # type: ignore[arg-type]
                self._counts[(lang, kind)] += 1

    def _merge_relations(self, relations: Iterable[tuple[str, str, str, str]]) -> None:
        chosen: dict[tuple[str, str], tuple[int, str]] = {}
        for occupation, skill, relation, source in relations:
            rank = SOURCE_RANK.get(source, 9)
            known = chosen.get((occupation, skill))
            if known is None or rank < known[0] or (rank == known[0] and relation == "essential"):
                chosen[(occupation, skill)] = (rank, relation)
        for (occupation, skill), (_, relation) in sorted(chosen.items()):
            target = self._essential if relation == "essential" else self._optional
            target.setdefault(occupation, []).append(skill)

    # ------------------------------------------------------------- lookups

    @property
    def languages(self) -> frozenset[str]:
        """Languages that have at least one searchable label."""
        return frozenset(lang for lang, _ in self._counts)

    def label_count(self, lang: str | None = None, kind: str | None = None) -> int:
        """Searchable labels (of one language and/or kind, or all)."""
        return sum(n for (lng, knd), n in self._counts.items() if lang in (None, lng) and kind in (None, knd))

    def concept(self, uri: str) -> Concept | None:
        return self.concepts.get(uri)

    def by_id(self, concept_id: str, kind: str | None = None) -> Concept | None:
        """The concept whose URI ends in ``concept_id`` (of ``kind``, if given)."""
        uri = self._by_id.get(concept_id)
        concept = self.concepts.get(uri) if uri else None
        return concept if concept is not None and (kind is None or concept.kind == kind) else None

    def label(self, uri: str, lang: str) -> str:
        """The label to show for ``uri`` in ``lang``, falling back to English, then any."""
        shown = self._shown.get((uri, lang)) or self._shown.get((uri, FALLBACK_LANG))
        if shown is not None:
            return shown
        found = self._any_label.get(uri)
        return found[0] if found is not None else uri

    def shown_label(self, uri: str, lang: str) -> str | None:
        """The label shown for ``uri`` in exactly ``lang``, or None when it has none there."""
        return self._shown.get((uri, lang))

    def any_label(self, uri: str) -> tuple[str, str] | None:
        """(label, language) of some label of ``uri`` in any language, or None for an unknown URI."""
        return self._any_label.get(uri)

    def occupation_skills(self, occupation_uri: str) -> tuple[list[str], list[str]]:
        """(essential, optional) skill URIs of an occupation."""
        return list(self._essential.get(occupation_uri, ())), list(self._optional.get(occupation_uri, ()))

    def language_skills(self, iso: str) -> list[str]:
        """Skills about one language (ISO 639-1), e.g. "German" and "understand spoken German"."""
        return list(self._language_skills.get(iso, ()))

    def broader_of(self, uri: str) -> list[str]:
        return list(self._broader.get(uri, ()))

    def narrower_of(self, uri: str) -> list[str]:
        return list(self._narrower.get(uri, ()))

    def skill_broader_pairs(self) -> Iterator[tuple[str, str]]:
        """(skill, broader concept) pairs: the input of ``matching.similarity``."""
        for narrower, wider in self._broader.items():
            concept = self.concepts.get(narrower)
            if concept is not None and concept.kind == "skill":
                for uri in wider:
                    yield narrower, uri

    def occupation_skill_rows(self) -> Iterator[tuple[str, str, str]]:
        """(occupation, skill, essential|optional) rows, merged across sources."""
        for relation, links in (("essential", self._essential), ("optional", self._optional)):
            for occupation, skills in links.items():
                for skill in skills:
                    yield occupation, skill, relation

    # ------------------------------------------------------------- search

    def normaliser(self, lang: str) -> Normaliser | None:
        """The search index of one language, built on first use (None without labels)."""
        if lang in self._normalisers:
            return self._normalisers[lang]
        with self._build_lock:
            if lang not in self._normalisers:
                # The rows are only needed to build; dropping them keeps the process smaller.
                rows = self._rows_by_lang.pop(lang, None)
                self._normalisers[lang] = Normaliser.build(rows) if rows else None
        return self._normalisers[lang]

    def is_built(self, lang: str) -> bool:
        return lang in self._normalisers

    def suggest_many(
        self,
        texts: list[str],
        lang: str,
        kind: Kind | None = None,
        limit: int = 10,
        min_confidence: float = 0.2,
    ) -> list[list[Suggestion]]:
        """Ranked concepts per text, searching labels in ``lang`` (shown in ``lang`` too).

        Where ``lang`` has no label of the wanted kind at all (the full ESCO release has skills
        in only a few languages), the English labels are searched instead. A language that has
        such labels is never searched twice: an empty answer is a fine autocomplete answer,
        and a second search over the largest language would double the slowest requests.
        """
        found = self._search(texts, self.search_language(lang, kind), kind, limit, min_confidence)
        return [[self._suggestion(match, lang) for match in matches] for matches in found]

    def search_language(self, lang: str, kind: Kind | None = None) -> str:
        """The language whose labels a query in ``lang`` for ``kind`` is matched against."""
        if self.label_count(lang, kind) == 0 and self.label_count(FALLBACK_LANG, kind) > 0:
            return FALLBACK_LANG
        return lang

    def _search(
        self, texts: list[str], lang: str, kind: Kind | None, limit: int, min_confidence: float
    ) -> list[list[ConceptMatch]]:
        normaliser = self.normaliser(lang)
        if normaliser is None:
            return [[] for _ in texts]
        return normaliser.match_many(texts, kind=kind, lang=lang, limit=limit, min_confidence=min_confidence)

    def _suggestion(self, match: ConceptMatch, lang: str) -> Suggestion:
        concept = self.concepts[match.concept_id]
        return Suggestion(
            concept=concept,
            label=self.label(concept.uri, lang),
            matched_label=match.label,
            matched_lang=match.lang,
            score=match.score,
            confidence=match.confidence,
        )
