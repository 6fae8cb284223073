"""The label service: names in the reader's language, then hers, then English; never an address."""

from __future__ import annotations

from providers.regions import region_choices, region_name
from service.domain.taxonomy.labels import LabelMap, her_languages, labels_in, reading_order
from skills.taxonomy import Concept, StoredLabel, TaxonomyIndex

E = "http://data.europa.eu/esco/skill"
SEW, COOK, ONLY_FR = f"{E}/sew", f"{E}/cook", f"{E}/only-fr"


def _index(generation: str = "1", sew_de: str = "nähen") -> TaxonomyIndex:
    labels = [
        StoredLabel(SEW, "en", "sew textile-based articles", "preferred", "esco"),
        StoredLabel(SEW, "de", sew_de, "preferred", "starter"),
        StoredLabel(SEW, "ro", "coase articole textile", "preferred", "esco"),
        StoredLabel(COOK, "en", "prepare meals", "preferred", "esco"),
        StoredLabel(ONLY_FR, "fr", "faire le ménage", "preferred", "starter"),
    ]
    concepts = [Concept(uri, "skill") for uri in (SEW, COOK, ONLY_FR)]
    return TaxonomyIndex(generation, concepts, labels, [], [])


def test_the_readers_language_comes_first() -> None:
    names = labels_in(_index(), [SEW, COOK], "de")
    assert (names[SEW].text, names[SEW].lang) == ("nähen", "de")
    assert (names[COOK].text, names[COOK].lang) == ("prepare meals", "en")


def test_a_language_she_reads_comes_before_english() -> None:
    names = labels_in(_index(), [SEW], "it", also=["ro", "fr"])
    assert (names[SEW].text, names[SEW].lang) == ("coase articole textile", "ro")


def test_any_language_before_nothing_and_never_the_address() -> None:
    names = labels_in(_index(), [ONLY_FR, f"{E}/unknown"], "de", unknown="(unknown)")
    assert (names[ONLY_FR].text, names[ONLY_FR].lang) == ("faire le ménage", "fr")
    assert names[f"{E}/unknown"].text == "(unknown)" and not names[f"{E}/unknown"].known


def test_names_follow_a_new_taxonomy_generation() -> None:
    assert labels_in(_index("1"), [SEW], "de")[SEW].text == "nähen"
    assert labels_in(_index("2", sew_de="Nähen von Textilien"), [SEW], "de")[SEW].text == "Nähen von Textilien"


def test_reading_order_and_her_languages() -> None:
    assert reading_order("de-AT", ["ro", "DE", "en"]) == ("de", "ro", "en")
    languages = [{"code": "de", "level": "A2"}, {"code": "ro", "level": "native"}, {"level": "B1"}]
    assert her_languages(languages) == ["ro", "de"]


def test_label_map_names_every_address_for_explanations() -> None:
    names = LabelMap(_index(), "de")
    assert bool(names) and names.get(SEW, SEW) == "nähen" and names[f"{E}/gone"] == "—"


def test_regions_by_name_never_by_code() -> None:
    assert region_name("DE30", "en") == "Berlin" and region_name("DE300", "de") == "Berlin"
    assert region_name("ITC1", "en") == "Piemonte" and region_name("RO32", "ro") == "Bucureşti-Ilfov"
    assert region_name("ES30", "de") == "Spanien" and region_name("EL30", "en") == "Greece"
    assert region_name(None, "en") == "—"
    assert ("DE30", "Berlin") in region_choices(("DE",)) and all(
        code[:2] == "IT" for code, _ in region_choices(("IT",))
    )
