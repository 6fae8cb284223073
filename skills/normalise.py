"""Map free text in any supported language to ESCO concepts, with a calibrated confidence.

The normaliser is pure: it is built from label rows (concept id, label, language, label type,
kind) and never touches a database, the network or a model file. It is lexical and
multilingual by construction:

1. recall: text is folded (:func:`skills.folding.fold`: case, accents, scripts, gender notation),
   then scored against every label at once by sparse products with two hashed TF-IDF spaces,
   character 2-4-grams (typos, compounds, inflection) and word prefixes (word order, plurals);
2. precision: the best labels are re-scored exactly, plus a preferred-label prior and, when
   ``Tuning.fuzz_weight`` > 0, rapidfuzz token-set / plain ratios (off by default: on the
   MELO dev sets it cost about 0.01 MRR, the n-gram cosines already absorb the typos);
3. aggregation: a concept scores its best label, plus a share of its second best and of the
   query's cosine with the concept's document (all its labels together);
4. confidence: a logistic function of the top score and its margin over the runner-up,
   calibrated on the MELO development sets, so ``match`` can answer "no good match" with [].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from skills.folding import fold
from skills.normalise_records import KINDS, ConceptMatch, Kind, LabelRow, Tuning
from skills.text import SparseRow, TextSpace, char_analyser, prefix_analyser, rows_of

_BATCH = 32
"""Queries scored together: bounds the memory of the sparse recall product."""

def _fuzz_scores(query: str, choices: Sequence[str]) -> NDArray[np.float32]:
    """Best of token-set and plain ratio, in [0, 1]; below 40 counts as no evidence."""
    token_set = process.cdist(
        [query], choices, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=40, dtype=np.float32
    )[0]
    plain = process.cdist(
        [query], choices, scorer=fuzz.ratio, processor=None, score_cutoff=40, dtype=np.float32
    )[0]
    return np.maximum(token_set, plain) / np.float32(100.0)


@dataclass
class Normaliser:
    """An index over label rows. Build it once with :meth:`build`; it is read-only afterwards."""

    labels: list[str]
    folded: list[str]
    concept_ids: list[str]
    langs: list[str]
    label_of: NDArray[np.int32]
    """element index -> concept index."""
    kind_of: NDArray[np.int8]
    lang_of: NDArray[np.int16]
    type_of: NDArray[np.int8]
    concept_ptr: NDArray[np.int64]
    concept_members: NDArray[np.int32]
    """Elements of concept c are ``concept_members[concept_ptr[c]:concept_ptr[c + 1]]``."""
    chars: TextSpace
    words: TextSpace
    concept_words: TextSpace
    """One document per concept: all its labels, so vocabulary spread over labels adds up."""
    tuning: Tuning = field(default_factory=Tuning)
    _masks: dict[tuple[str | None, str | None], NDArray[np.bool_] | None] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: Iterable[LabelRow], tuning: Tuning | None = None) -> Normaliser:
        """Index every row. Memory and time grow linearly with the number of labels."""
        tuning = tuning or Tuning()
        labels: list[str] = []
        concept_codes: dict[str, int] = {}
        lang_codes: dict[str, int] = {}
        concept_of: list[int] = []
        kind_of: list[int] = []
        lang_of: list[int] = []
        type_of: list[int] = []
        label_types = ("preferred", "alternative", "hidden")
        for row in rows:
            labels.append(row.label)
            concept_of.append(concept_codes.setdefault(row.concept_id, len(concept_codes)))
            lang_of.append(lang_codes.setdefault(row.lang, len(lang_codes)))
            kind_of.append(KINDS.index(row.kind))
            type_of.append(label_types.index(row.label_type))
        if not labels:
            raise ValueError("cannot build a normaliser from no label rows")
        # Identical labels fold identically: fold each distinct label once.
        cache: dict[str, str] = {}
        folded = [cache.get(label) or cache.setdefault(label, fold(label)) for label in labels]
        del cache  # half a million entries: not kept through the index build's peak
        chars = TextSpace.fit(
            folded,
            char_analyser(tuning.char_min, tuning.char_max) if tuning.char_across_words else "char_wb",
            (tuning.char_min, tuning.char_max),
            tuning.posting_cap,
        )
        words = TextSpace.fit(folded, prefix_analyser(tuning.prefix), (1, 1), tuning.posting_cap)
        concept_arr = np.asarray(concept_of, dtype=np.int32)
        order = np.argsort(concept_arr, kind="stable").astype(np.int32)
        counts = np.bincount(concept_arr, minlength=len(concept_codes))
        ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(
            labels=labels,
            folded=folded,
            concept_ids=list(concept_codes),
            langs=list(lang_codes),
            label_of=concept_arr,
            kind_of=np.asarray(kind_of, dtype=np.int8),
            lang_of=np.asarray(lang_of, dtype=np.int16),
            type_of=np.asarray(type_of, dtype=np.int8),
            concept_ptr=ptr,
            concept_members=order,
            chars=chars,
            words=words,
            concept_words=TextSpace.fit(
                [" ".join(dict.fromkeys(folded[i] for i in order[ptr[c] : ptr[c + 1]])) for c in range(len(ptr) - 1)],
                prefix_analyser(tuning.prefix),
                (1, 1),
                tuning.posting_cap,
            ),
            tuning=tuning,
        )

    def __len__(self) -> int:
        return len(self.labels)

    def _mask(self, kind: Kind | None, lang: str | None) -> NDArray[np.bool_] | None:
        key = (kind, lang)
        if key not in self._masks:
            mask: NDArray[np.bool_] | None = None
            if kind is not None:
                mask = self.kind_of == KINDS.index(kind)
            if lang is not None:
                lang_mask = self.lang_of == (self.langs.index(lang) if lang in self.langs else -1)
                mask = lang_mask if mask is None else mask & lang_mask
            self._masks[key] = mask
        return self._masks[key]

    def _vectors(self, folded_queries: Sequence[str]) -> list[tuple[SparseRow, ...]]:
        """Per query: its vectors in both spaces, its approximate weighted cosines with every
        element, and its vector in the concept space."""
        t = self.tuning
        char_q = self.chars.transform(folded_queries)
        word_q = self.words.transform(folded_queries)
        recall = self.chars.recall(char_q) * np.float32(t.char_weight) + self.words.recall(word_q) * np.float32(
            t.word_weight
        )
        concept_q = self.concept_words.transform(folded_queries)
        recall_rows = rows_of(sp.csr_matrix(recall))
        return list(zip(rows_of(char_q), rows_of(word_q), recall_rows, rows_of(concept_q), strict=True))

    def _concept_scores(
        self,
        query: str,
        vectors: tuple[SparseRow, ...],
        mask: NDArray[np.bool_] | None,
        widen: bool,
    ) -> tuple[NDArray[np.int32], NDArray[np.float32], NDArray[np.int32], NDArray[np.float32]]:
        """Score candidate concepts for one query (``widen``: see stage 2 below).

        Returns (concepts sorted best first, their scores, elements of those concepts, element
        scores), the elements ordered concept by concept, best element first within each.
        """
        t = self.tuning
        char_q, word_q, row, concept_q = vectors
        cols, vals = row.indices, row.data
        if mask is not None:
            keep = mask[cols]
            cols, vals = cols[keep], vals[keep]
        empty_i, empty_f = np.empty(0, np.int32), np.empty(0, np.float32)
        if cols.size == 0:
            return empty_i, empty_f, empty_i, empty_f
        if cols.size > t.candidates:
            cols = cols[np.argpartition(-vals, t.candidates)[: t.candidates]]
        # Stage 1: rank concepts from the candidate labels alone; stage 2: widen the best
        # concepts to all their labels (all are answers for MAP, and the second-best label feeds
        # the support bonus) and rank again.
        stage1 = self._aggregate(cols, self._score(query, char_q, word_q, cols), concept_q)
        if not widen:
            return stage1
        concepts = stage1[0][: t.concepts]
        starts, ends = self.concept_ptr[concepts], self.concept_ptr[concepts + 1]
        lengths = ends - starts
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        elements = self.concept_members[offsets]
        if mask is not None:
            elements = elements[mask[elements]]
        return self._aggregate(elements.astype(np.int32), self._score(query, char_q, word_q, elements), concept_q)

    def _score(
        self, query: str, char_q: SparseRow, word_q: SparseRow, elements: NDArray[np.int32]
    ) -> NDArray[np.float32]:
        """Exact label scores: weighted char and word cosines plus the rapidfuzz evidence."""
        t = self.tuning
        scores = np.float32(t.char_weight) * self.chars.exact(char_q, elements) + np.float32(
            t.word_weight
        ) * self.words.exact(word_q, elements)
        # A preferred label is the concept's canonical name: when several concepts share a
        # label, the one that prefers it is the likelier meaning.
        scores += np.float32(t.preferred_bonus) * (self.type_of[elements] == 0)
        if t.fuzz_weight:
            scores += np.float32(t.fuzz_weight) * _fuzz_scores(query, [self.folded[i] for i in elements])
        return scores

    def _aggregate(
        self, elements: NDArray[np.int32], scores: NDArray[np.float32], concept_q: SparseRow
    ) -> tuple[NDArray[np.int32], NDArray[np.float32], NDArray[np.int32], NDArray[np.float32]]:
        """Group scored labels by concept: concept score = best + support x second best.

        Returns concepts best first, their scores, and the labels laid out concept by concept
        in that order (best label first within each) with their scores.
        """
        element_concepts = self.label_of[elements]
        order = np.lexsort((-scores, element_concepts))
        elements, scores, element_concepts = elements[order], scores[order], element_concepts[order]
        first = np.flatnonzero(np.r_[True, element_concepts[1:] != element_concepts[:-1]])
        sizes = np.diff(np.r_[first, elements.size])
        second = np.where(sizes > 1, scores[np.minimum(first + 1, elements.size - 1)], np.float32(0.0))
        concept_scores = (
            scores[first]
            + np.float32(self.tuning.support) * second
            + np.float32(self.tuning.concept_weight) * self.concept_words.exact(concept_q, element_concepts[first])
        ).astype(np.float32)
        rank = np.argsort(-concept_scores, kind="stable")
        starts, lengths = first[rank], sizes[rank]
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return element_concepts[first][rank], concept_scores[rank], elements[offsets], scores[offsets]

    def _emit(
        self, concept_scores: NDArray[np.float32], elements: NDArray[np.int32], k: int
    ) -> list[tuple[int, float]]:
        """Order elements for a label-level ranking (see :attr:`Tuning.interleave`)."""
        if elements.size == 0:
            return []
        concepts = self.label_of[elements]
        first = np.r_[True, concepts[1:] != concepts[:-1]]
        group = np.cumsum(first) - 1
        within = np.arange(elements.size) - np.flatnonzero(first)[group]
        t = self.tuning
        # The less sure the leader, the more rivals' first labels go before its other labels.
        runner_up = float(concept_scores[1]) if concept_scores.size > 1 else 0.0
        doubt = 1.0 - self.confidence(float(concept_scores[0]), runner_up)
        gap = np.float32(t.interleave + t.interleave_doubt * doubt)
        keys = concept_scores[group] - gap * (within > 0) - np.float32(t.label_decay) * within
        order = np.lexsort((within, group, -keys))[:k]
        out: list[tuple[int, float]] = []
        previous = math.inf
        for position in order:
            # Strictly decreasing scores, so trec_eval's tie-break can never reorder them.
            score = min(float(keys[position]), previous - 1e-6)
            out.append((int(elements[position]), score))
            previous = score
        return out

    def rank_elements_many(
        self,
        queries: Sequence[str],
        k: int = 100,
        kind: Kind | None = None,
        lang: str | None = None,
        answer_lang: str | None = None,
    ) -> list[list[tuple[int, float]]]:
        """Rank elements (labels) for each query: up to ``k`` (element index, score), best first.

        Labels of one concept come together, except that a close runner-up concept's best
        label is placed before the leader's other labels. Scores strictly decrease.
        ``lang`` restricts the labels that count as evidence; ``answer_lang`` only those that
        are returned: concepts are found through labels of every (allowed) language and
        answered with their labels in ``answer_lang`` (a query in one language, answers in
        another). Concepts without a label in that language are left out.
        """
        folded = [fold(q) for q in queries]
        mask = self._mask(kind, lang)
        answer = None if answer_lang is None else self._mask(kind, answer_lang)
        results = []
        for i, query in enumerate(folded):
            if i % _BATCH == 0:
                batch = self._vectors(folded[i : i + _BATCH])
            vectors = batch[i % _BATCH]
            concepts, concept_scores, elements, _ = self._concept_scores(query, vectors, mask, widen=True)
            if answer is not None:
                # Elements are laid out concept by concept in the order of ``concepts``: keep the
                # answerable ones and the scores of the concepts that still have one.
                elements = elements[answer[elements]]
                concept_scores = concept_scores[np.isin(concepts, self.label_of[elements])]
            results.append(self._emit(concept_scores, elements, k))
        return results

    def _group_sizes(self, elements: NDArray[np.int32]) -> NDArray[np.int64]:
        if elements.size == 0:
            return np.empty(0, np.int64)
        concepts = self.label_of[elements]
        first = np.flatnonzero(np.r_[True, concepts[1:] != concepts[:-1]])
        return np.diff(np.r_[first, elements.size])

    def rank_elements(
        self,
        query: str,
        k: int = 100,
        kind: Kind | None = None,
        lang: str | None = None,
        answer_lang: str | None = None,
    ) -> list[tuple[int, float]]:
        """Single-query form of :meth:`rank_elements_many`."""
        return self.rank_elements_many([query], k=k, kind=kind, lang=lang, answer_lang=answer_lang)[0]

    def confidence(self, best: float, runner_up: float) -> float:
        """Calibrated probability that the best concept is right, from its score and margin."""
        t = self.tuning
        z = t.confidence_slope * (best - t.confidence_midpoint) + t.confidence_margin_slope * (
            best - runner_up
        )
        return 1.0 / (1.0 + math.exp(-z))

    def match_many(
        self,
        queries: Sequence[str],
        kind: Kind | None = None,
        lang: str | None = None,
        limit: int = 10,
        min_confidence: float = 0.2,
    ) -> list[list[ConceptMatch]]:
        """Propose up to ``limit`` concepts per query, best first.

        Each query's list is empty when even the best concept's confidence is below
        ``min_confidence`` ("no good match"); later entries are kept only while they clear it.
        """
        folded = [fold(q) for q in queries]
        mask = self._mask(kind, lang)
        answers: list[list[ConceptMatch]] = []
        for i, query in enumerate(folded):
            if i % _BATCH == 0:
                batch = self._vectors(folded[i : i + _BATCH])
            vectors = batch[i % _BATCH]
            concepts, scores, elements, _ = self._concept_scores(query, vectors, mask, widen=False)
            sizes = self._group_sizes(elements)
            heads = np.r_[0, np.cumsum(sizes)[:-1]] if sizes.size else sizes
            matches: list[ConceptMatch] = []
            for rank in range(min(limit, concepts.size)):
                runner_up = float(scores[rank + 1]) if rank + 1 < scores.size else 0.0
                confidence = self.confidence(float(scores[rank]), runner_up if rank == 0 else 0.0)
                if rank == 0 and confidence < min_confidence:
                    break
                if rank > 0:
                    # A lower-ranked concept is never more certain than the one above it.
                    confidence = min(confidence, matches[-1].confidence) * float(scores[rank] / scores[0])
                    if confidence < min_confidence:
                        break
                element = int(elements[heads[rank]])
                matches.append(
                    ConceptMatch(
                        concept_id=self.concept_ids[int(concepts[rank])],
                        label=self.labels[element],
                        lang=self.langs[int(self.lang_of[element])],
                        score=float(scores[rank]),
                        confidence=confidence,
                    )
                )
            answers.append(matches)
        return answers

    def match(
        self,
        query: str,
        kind: Kind | None = None,
        lang: str | None = None,
        limit: int = 10,
        min_confidence: float = 0.2,
    ) -> list[ConceptMatch]:
        """Single-query form of :meth:`match_many`."""
        return self.match_many([query], kind=kind, lang=lang, limit=limit, min_confidence=min_confidence)[0]
