"""The in-memory taxonomy index: merging sources, labels, search, and gap analysis."""

from __future__ import annotations

import pytest

from skills.gaps import gap_analysis
from skills.taxonomy import Concept, StoredLabel, TaxonomyIndex

E = "http://data.europa.eu/esco"
CARER = f"{E}/occupation/carer"
CLEANER = f"{E}/occupation/cleaner"
CLEANING = f"{E}/skill/cleaning"  # broader
CLEAN_ROOMS = f"{E}/skill/clean-rooms"
VACUUM = f"{E}/skill/vacuum"
WINDOWS = f"{E}/skill/windows"
IRONING = f"{E}/skill/ironing"
FIRST_AID = f"{E}/skill/first-aid"
ELDERLY = f"{E}/skill/elderly"
GERMAN = f"{E}/skill/german"
GROUP = f"{E}/skill/group-household"


def _index() -> TaxonomyIndex:
    concepts = [
        Concept(CARER, "occupation", isco_group="5322"),
        Concept(CLEANER, "occupation", isco_group="9111"),
        *(Concept(uri, "skill") for uri in (CLEANING, CLEAN_ROOMS, VACUUM, WINDOWS, IRONING, FIRST_AID, ELDERLY)),
        Concept(GERMAN, "skill", language="de"),
        Concept(GROUP, "skill_group"),
    ]
    labels = [
        StoredLabel(CLEANER, "en", "domestic cleaner", "preferred", "esco"),
        StoredLabel(CLEANER, "en", "cleaner", "alternative", "starter"),
        StoredLabel(CLEANER, "de", "Haushaltsreiniger", "preferred", "esco"),
        StoredLabel(CLEANER, "de", "Reinigungskraft", "preferred", "starter"),
        StoredLabel(CLEANER, "de", "Putzfrau", "alternative", "starter"),
        StoredLabel(CLEANER, "fr", "agent d'entretien", "preferred", "starter"),
        StoredLabel(CARER, "en", "home care aide", "preferred", "esco"),
        StoredLabel(CARER, "de", "Altenpfleger/in", "preferred", "starter"),
        StoredLabel(CLEAN_ROOMS, "en", "clean rooms", "preferred", "esco"),
        StoredLabel(VACUUM, "en", "vacuum surfaces", "preferred", "esco"),
        StoredLabel(VACUUM, "de", "Staubsaugen", "preferred", "starter"),
        StoredLabel(WINDOWS, "en", "clean glass surfaces", "preferred", "esco"),
        StoredLabel(CLEANING, "en", "perform cleaning duties", "preferred", "esco"),
        StoredLabel(IRONING, "en", "iron textiles", "preferred", "esco"),
        StoredLabel(FIRST_AID, "en", "provide first aid", "preferred", "esco"),
        StoredLabel(ELDERLY, "en", "tend to elderly people", "preferred", "esco"),
        StoredLabel(GERMAN, "en", "German", "preferred", "esco"),
        StoredLabel(GROUP, "en", "household skills", "preferred", "esco"),
    ]
    relations = [
        (CLEANER, CLEAN_ROOMS, "essential", "esco"),
        (CLEANER, VACUUM, "essential", "esco"),
        (CLEANER, WINDOWS, "essential", "esco"),
        (CLEANER, WINDOWS, "optional", "starter"),  # our curation wins
        (CLEANER, IRONING, "optional", "esco"),
        (CARER, ELDERLY, "essential", "starter"),
        (CARER, GERMAN, "essential", "starter"),
        (CARER, FIRST_AID, "optional", "starter"),
    ]
    broader = [(CLEAN_ROOMS, CLEANING), (VACUUM, CLEANING), (WINDOWS, CLEANING), (IRONING, GROUP), (CLEANING, GROUP)]
    return TaxonomyIndex("1:test", concepts, labels, relations, broader)


def test_starter_preferred_label_is_shown_and_english_is_the_fallback() -> None:
    index = _index()
    assert index.label(CLEANER, "de") == "Reinigungskraft"
    assert index.label(CLEANER, "en") == "domestic cleaner"
    assert index.label(CLEAN_ROOMS, "de") == "clean rooms"
    assert index.by_id("cleaner", kind="occupation") == index.concept(CLEANER)
    assert index.by_id("cleaner", kind="skill") is None


def test_starter_judgement_wins_when_sources_disagree_on_a_link() -> None:
    essential, optional = _index().occupation_skills(CLEANER)
    assert sorted(essential) == sorted([CLEAN_ROOMS, VACUUM])
    assert sorted(optional) == sorted([WINDOWS, IRONING])


def test_skill_groups_are_not_proposed_for_free_text() -> None:
    index = _index()
    found = index.suggest_many(["household skills"], "en", min_confidence=0.0)[0]
    assert GROUP not in {item.concept.uri for item in found}


def test_german_text_finds_the_cleaner_with_its_german_label() -> None:
    found = _index().suggest_many(["Reinigungskraft"], "de", kind="occupation")[0]
    assert found[0].concept.uri == CLEANER
    assert found[0].label == "Reinigungskraft"
    assert found[0].confidence > 0.5


def test_a_language_without_labels_of_the_kind_is_answered_from_english() -> None:
    index = _index()
    found = index.suggest_many(["clean glass surfaces"], "fr", kind="skill")[0]
    assert found[0].concept.uri == WINDOWS
    assert found[0].matched_lang == "en"
    # German has skill labels: it is searched alone, and an English text may find nothing there.
    assert index.search_language("de", "skill") == "de"
    assert index.label_count("de") == 5 and index.label_count(kind="occupation") == 8


def test_gap_counts_met_and_missing_and_credits_related_skills() -> None:
    report = gap_analysis(_index(), CLEANER, [(CLEAN_ROOMS, 4), (IRONING, 2)])
    assert [c.uri for c in report.met_essential] == [CLEAN_ROOMS]
    assert {c.uri for c in report.missing_essential} == {VACUUM}
    missing_vacuum = report.missing_essential[0]
    # vacuuming and cleaning rooms share the small "cleaning" group: a sibling's credit
    assert missing_vacuum.how == "sibling" and missing_vacuum.via == CLEAN_ROOMS
    assert missing_vacuum.credit == pytest.approx(0.4)
    assert [c.uri for c in report.met_optional] == [IRONING]
    assert report.met_optional[0].credit == pytest.approx(0.8)  # level 2
    assert report.essential_met_share == pytest.approx(0.5)
    assert report.essential_coverage == pytest.approx((1.0 + 0.4) / 2)
    assert report.coverage == pytest.approx((2 * report.essential_coverage + report.optional_coverage) / 3, abs=1e-4)


def test_a_narrower_skill_earns_most_of_its_broader_requirement() -> None:
    index = _index()
    credit = gap_analysis(index, CLEANER, [(VACUUM, 4)])
    assert credit.met_essential[0].uri == VACUUM
    relations = [(CLEANER, CLEANING, "essential", "starter")]
    wider = TaxonomyIndex("2:test", index.concepts.values(), [], relations, [(VACUUM, CLEANING), (CLEANING, GROUP)])
    report = gap_analysis(wider, CLEANER, [(VACUUM, 4)])
    assert report.missing_essential[0].how == "narrower"
    assert report.missing_essential[0].credit == pytest.approx(0.8)


def test_languages_at_a_cefr_level_meet_language_skills() -> None:
    report = gap_analysis(_index(), CARER, [(ELDERLY, None)], languages={"DE": "b1"})
    met = {c.uri: c for c in report.met_essential}
    assert set(met) == {ELDERLY, GERMAN}
    assert met[GERMAN].how == "language" and met[GERMAN].level == 2
    assert met[ELDERLY].credit == pytest.approx(0.9)  # no level stated counts as level 3
    assert [c.uri for c in report.missing_optional] == [FIRST_AID]


def test_gap_of_an_unknown_occupation_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        gap_analysis(_index(), f"{E}/occupation/nope", [])
    with pytest.raises(KeyError):
        gap_analysis(_index(), VACUUM, [])


def test_an_occupation_without_skills_is_fully_covered() -> None:
    index = TaxonomyIndex("x", [Concept(CARER, "occupation")], [], [], [])
    report = gap_analysis(index, CARER, [])
    assert report.coverage == 1.0 and report.essential_met_share == 1.0


def test_pairs_for_matching_similarity() -> None:
    index = _index()
    assert (VACUUM, CLEANING) in set(index.skill_broader_pairs())
    assert (CARER, GERMAN, "essential") in set(index.occupation_skill_rows())
