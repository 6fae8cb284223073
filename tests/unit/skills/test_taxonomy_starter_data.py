"""The curated starter taxonomy file: size, languages, links and real ESCO URIs."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from skills.languages import ISO_639_1
from skills.starter import starter_data

ESCO_DIR = Path("/work/shared/data/esco")
LANGUAGES = ("en", "de", "fr", "it")


def test_size_is_within_the_curated_range() -> None:
    data = starter_data()
    assert 60 <= len(data["occupations"]) <= 120
    assert 150 <= len(data["skills"]) <= 300
    assert len(data["broader"]) >= 20


def test_every_concept_is_labelled_in_every_starter_language() -> None:
    data = starter_data()
    for concept in data["occupations"] + data["skills"]:
        for lang in LANGUAGES:
            assert concept["labels"].get(lang), f"{concept['uri']} has no {lang} label"


def test_links_point_at_starter_skills_and_every_occupation_has_essentials() -> None:
    data = starter_data()
    skills = {skill["uri"] for skill in data["skills"]}
    for occupation in data["occupations"]:
        assert occupation["essential"], occupation["labels"]["en"][0]
        assert set(occupation["essential"]) <= skills
        assert set(occupation["optional"]) <= skills
        assert not set(occupation["essential"]) & set(occupation["optional"])
    for narrower, wider in data["broader"]:
        assert narrower in skills and wider in skills


def test_everyday_and_gendered_forms_are_labels() -> None:
    labels = {
        (lang, text)
        for concept in starter_data()["occupations"]
        for lang, texts in concept["labels"].items()
        for text in texts
    }
    for expected in [("de", "Reinigungskraft"), ("de", "Altenpfleger/in"), ("fr", "aide-soignante"),
                     ("it", "badante"), ("de", "Putzfrau"), ("fr", "femme de ménage")]:  # fmt: skip
        assert expected in labels


def test_language_skills_name_their_iso_language() -> None:
    languages = [skill["language"] for skill in starter_data()["skills"] if "language" in skill]
    assert {"de", "en", "fr", "it", "ar", "uk"} <= set(languages)
    assert set(languages) <= ISO_639_1


@pytest.mark.skipif(not ESCO_DIR.is_dir(), reason="the shared ESCO data folder is not mounted here")
def test_uris_are_real_esco_concepts() -> None:
    known: set[str] = set()
    for name in ("occupations_en.csv", "skills_en.csv"):
        with (ESCO_DIR / name).open(encoding="utf-8", newline="") as handle:
            known |= {row["conceptUri"] for row in csv.DictReader(handle)}
    data = starter_data()
    assert {c["uri"] for c in data["occupations"] + data["skills"]} <= known
    with gzip.open(ESCO_DIR / "occupationSkillRelations_en.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) > 100_000  # the folder is the real export
