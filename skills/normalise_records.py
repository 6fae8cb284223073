"""The plain records the normaliser is built from (`LabelRow`), answers with (`ConceptMatch`)
and is tuned by (`Tuning`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["occupation", "skill", "isco_group"]
LabelType = Literal["preferred", "alternative", "hidden"]
KINDS: tuple[Kind, ...] = ("occupation", "skill", "isco_group")


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One label of one concept, as the taxonomy importer provides it."""

    concept_id: str
    label: str
    lang: str
    label_type: LabelType = "preferred"
    kind: Kind = "occupation"


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """A proposed concept: its best-matching label, raw score and confidence in [0, 1]."""

    concept_id: str
    label: str
    lang: str
    score: float
    confidence: float


@dataclass(frozen=True, slots=True)
class Tuning:
    """Weights of the scoring stages. Defaults were chosen on the MELO dev sets as a whole."""

    char_weight: float = 0.55
    word_weight: float = 0.25
    fuzz_weight: float = 0.0
    support: float = 0.3
    preferred_bonus: float = 0.1
    concept_weight: float = 0.15
    """Weight of the query's word cosine with the concept's document (all its labels)."""
    """Share of a concept's second-best label score added to its best."""
    interleave: float = 0.1
    """Score gap within which a runner-up concept's first label goes before the leader's other
    labels; trades MAP (group a concept's labels) against MRR (show rivals early)."""
    interleave_doubt: float = 0.0
    """Added to ``interleave`` in proportion to 1 - confidence in the leading concept."""
    label_decay: float = 0.0
    """Extra per-position penalty inside a concept: large concepts yield to rivals sooner."""
    candidates: int = 150
    concepts: int = 40
    """Concepts widened to all their labels and re-ranked."""
    char_min: int = 2
    char_max: int = 4
    char_across_words: bool = True
    posting_cap: int = 3000
    """Strongest elements kept per feature in the recall index (speed on big catalogues)."""
    prefix: int = 5
    confidence_slope: float = 4.8
    confidence_margin_slope: float = 4.3
    confidence_midpoint: float = 0.94
