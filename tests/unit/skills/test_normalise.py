"""The normaliser on a small hand-written catalogue."""

from collections import Counter

import numpy as np
import pytest

from skills.folding import fold
from skills.normalise import Normaliser
from skills.normalise_records import ConceptMatch, LabelRow
from skills.text import CharNgramHasher, TextSpace, char_analyser

COOK = "esco:occupation/cook"
CARER = "esco:occupation/elderly-carer"
SEWING = "esco:occupation/sewing-machine-operator"
CLEANER = "esco:occupation/cleaner"
SELLER = "esco:occupation/shop-assistant"
COOKING = "esco:skill/prepare-food"
GERMAN = "esco:skill/speak-german"
SERVICE = "esco:isco/C5"

ROWS = [
    LabelRow(COOK, "cook", "en"),
    LabelRow(COOK, "chef de partie", "en", "alternative"),
    LabelRow(COOK, "cuisinier", "fr"),
    LabelRow(COOK, "Koch", "de"),
    LabelRow(CARER, "Altenpfleger", "de"),
    LabelRow(CARER, "elderly care worker", "en"),
    LabelRow(CARER, "care assistant for older people", "en", "alternative"),
    LabelRow(SEWING, "sewing machine operator", "en"),
    LabelRow(SEWING, "sewing machinist", "en", "alternative"),
    LabelRow(SEWING, "Näherin", "de"),
    LabelRow(CLEANER, "cleaner", "en"),
    LabelRow(CLEANER, "office cleaner", "en", "alternative"),
    LabelRow(CLEANER, "Reinigungskraft", "de"),
    LabelRow(SELLER, "Verkäufer", "de"),
    LabelRow(SELLER, "shop assistant", "en"),
    LabelRow(SELLER, "sales assistant", "en", "alternative"),
    LabelRow(COOKING, "cooking", "en", "preferred", "skill"),
    LabelRow(COOKING, "prepare food", "en", "alternative", "skill"),
    LabelRow(GERMAN, "speak German", "en", "preferred", "skill"),
    LabelRow(SERVICE, "service and sales workers", "en", "preferred", "isco_group"),
]


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Normaliser.build(ROWS)


def best(matches: list[ConceptMatch]) -> str:
    assert matches, "expected at least one match"
    return matches[0].concept_id


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("sewing machine operater", SEWING),  # typo
        ("Altenpflegerin", CARER),  # feminine form of a masculine label
        ("Altenpfleger/in", CARER),
        ("cleaner (f/m/d)", CLEANER),
        ("Verkäufer:in", SELLER),
        ("VerkäuferIn", SELLER),
        ("cuisinière", COOK),  # French feminine, accented
        ("KOCH (m/w/d)", COOK),
    ],
)
def test_match_finds_the_concept_despite_typos_gender_forms_and_languages(
    normaliser: Normaliser, query: str, concept: str
) -> None:
    matches = normaliser.match(query, kind="occupation")
    assert best(matches) == concept
    assert 0.0 <= matches[0].confidence <= 1.0


def test_match_reports_the_best_label_and_its_language(normaliser: Normaliser) -> None:
    top = normaliser.match("cuisinière")[0]
    assert (top.label, top.lang) == ("cuisinier", "fr")


def test_kind_restricts_the_answers(normaliser: Normaliser) -> None:
    assert best(normaliser.match("cooking", kind="skill")) == COOKING
    assert best(normaliser.match("cooking", kind="occupation", min_confidence=0.0)) == COOK
    for match in normaliser.match("sales", kind="isco_group"):
        assert match.concept_id == SERVICE


def test_language_restricts_the_labels(normaliser: Normaliser) -> None:
    assert [m.concept_id for m in normaliser.match("cook", lang="en", kind="occupation")][:1] == [COOK]
    german = normaliser.match("Köchin", lang="de", min_confidence=0.0)
    assert best(german) == COOK
    assert all(match.lang == "de" for match in german)
    assert normaliser.match("cook", lang="sw") == []  # no labels in that language


def test_gibberish_has_no_good_match(normaliser: Normaliser) -> None:
    assert normaliser.match("qxzv wpfj") == []
    assert normaliser.match("") == []


def test_confidence_is_higher_for_an_exact_label_than_for_a_vague_one(normaliser: Normaliser) -> None:
    exact = normaliser.match("sewing machine operator")[0].confidence
    vague = normaliser.match("machine")
    assert exact > 0.8
    assert not vague or vague[0].confidence < exact


def test_confidences_never_increase_down_the_list(normaliser: Normaliser) -> None:
    matches = normaliser.match("assistant", min_confidence=0.0)
    confidences = [match.confidence for match in matches]
    assert confidences == sorted(confidences, reverse=True)


def test_match_many_answers_each_query_in_order(normaliser: Normaliser) -> None:
    answers = normaliser.match_many(["Koch", "cleaner"], kind="occupation")
    assert [best(a) for a in answers] == [COOK, CLEANER]


def test_rank_elements_groups_the_labels_of_the_best_concept(normaliser: Normaliser) -> None:
    ranked = normaliser.rank_elements("sewing machine operator", k=5)
    concepts = [ROWS[index].concept_id for index, _ in ranked]
    assert concepts[:3] == [SEWING] * 3
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_build_refuses_an_empty_catalogue() -> None:
    with pytest.raises(ValueError):
        Normaliser.build([])


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Altenpfleger/in", "altenpfleger"),
        ("cleaner (f/m/d)", "cleaner"),
        ("Verkäufer:in", "verkaufer"),
        ("Koch (m/w/d)", "koch"),
        ("camarero/a", "camarero"),
        ("Straße", "strasse"),
        ("Ηλεκτρολόγος", "ilektrologos"),
    ],
)
def test_fold_strips_gender_notation_accents_and_script(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(folded) == folded


def test_answer_lang_finds_the_concept_in_one_language_and_answers_in_another(normaliser: Normaliser) -> None:
    # "Köchin" only matches the German label "Koch"; the answers are the concept's English labels.
    ranked = normaliser.rank_elements("Köchin", answer_lang="en")
    assert ranked, "expected the cook's English labels"
    assert [ROWS[index].lang for index, _ in ranked] == ["en"] * len(ranked)
    assert ROWS[ranked[0][0]].concept_id == COOK
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_answer_lang_without_labels_in_that_language_answers_nothing(normaliser: Normaliser) -> None:
    assert normaliser.rank_elements("Koch", answer_lang="sw") == []


def test_text_space_postings_are_the_pruned_transpose_of_its_matrix() -> None:
    texts = [fold(row.label) for row in ROWS] * 3
    space = TextSpace.fit(texts, char_analyser(2, 4), (2, 4), posting_cap=5)
    matrix = space.matrix.toarray()
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)
    common = (matrix > 0).sum(axis=0) > 5
    expected = np.where(common[:, None], 0.0, matrix.T)
    assert np.array_equal(space.postings.toarray(), expected)
    assert space.postings.has_sorted_indices


def _scalar_hash(gram: str, n_features: int) -> int:
    """CharNgramHasher's hash of one n-gram, written out one character at a time."""
    mask = 2**64 - 1
    value = 0xCBF29CE484222325 ^ len(gram)
    for char in gram:
        value = ((value ^ ord(char)) * 0x100000001B3) & mask
    value ^= value >> 31
    value = (value * 0x9E3779B97F4A7C15) & mask
    value ^= value >> 29
    return value % n_features


def test_char_ngram_hasher_counts_exactly_the_analysers_ngrams() -> None:
    """The vectorised hasher counts, for every text of a batch, exactly the n-grams the per-string
    analyser yields, in the columns their hash names: no n-gram crosses into a neighbour text,
    whatever the script or length (an empty text still has its padding)."""
    texts = ["koch", "kochin koch", "", "a", "пекарь", "ab ab ab", "مساعدة مطبخ", "koch", "a\ud800b"]
    counts = CharNgramHasher(2, 4, 2**21).transform(texts)
    assert counts.has_sorted_indices and counts.dtype == np.float32
    for row, text in enumerate(texts):
        expected = Counter(_scalar_hash(gram, 2**21) for gram in char_analyser(2, 4)(text))
        got = dict(zip(counts[row].indices.tolist(), counts[row].data.tolist(), strict=True))
        assert got == {column: float(n) for column, n in expected.items()}
