"""CEFR levels and ISO 639-1 codes."""

import pytest

from skills.languages import (
    ISO_639_1,
    LANGUAGE_NAMES,
    CefrLevel,
    language_name,
    levels_below,
    parse,
    parse_language,
)


def test_iso_639_1_is_the_complete_two_letter_set() -> None:
    assert len(ISO_639_1) == 183
    assert {"de", "en", "ar", "ti", "uk", "ro", "bg", "so", "am"} <= ISO_639_1
    assert all(len(code) == 2 and code.islower() for code in ISO_639_1)
    assert "sh" not in ISO_639_1  # deprecated


def test_every_code_has_an_english_name() -> None:
    assert set(LANGUAGE_NAMES) == ISO_639_1
    assert language_name("FR") == "French"
    assert language_name("ti") == "Tigrinya"


def test_parse_language_accepts_case_space_and_region() -> None:
    assert parse_language(" DE ") == "de"
    assert parse_language("pt_BR") == "pt"
    assert parse_language("de-AT") == "de"


def test_parse_language_rejects_unknown_code() -> None:
    with pytest.raises(ValueError, match="unknown ISO 639-1"):
        parse_language("xx")


def test_parse_cefr_is_case_insensitive() -> None:
    assert parse("b1") is CefrLevel.B1
    assert parse(" C2 ") is CefrLevel.C2
    assert parse("Native") is CefrLevel.NATIVE


def test_parse_cefr_rejects_unknown_level_with_clear_message() -> None:
    with pytest.raises(ValueError, match=r"unknown CEFR level 'D1'.*A1, A2, B1, B2, C1, C2, native"):
        parse("D1")
    with pytest.raises(ValueError):
        parse("")


def test_levels_are_ordered_by_mastery() -> None:
    assert CefrLevel.A1 < CefrLevel.A2 < CefrLevel.B1 < CefrLevel.B2 < CefrLevel.C1 < CefrLevel.C2
    assert CefrLevel.C2 < CefrLevel.NATIVE
    assert sorted([parse("c1"), parse("a2"), parse("native"), parse("b2")]) == [
        CefrLevel.A2,
        CefrLevel.B2,
        CefrLevel.C1,
        CefrLevel.NATIVE,
    ]


def test_levels_below_counts_missing_steps_and_never_goes_negative() -> None:
    assert levels_below("A2", "B2") == 2
    assert levels_below(CefrLevel.B1, "b1") == 0
    assert levels_below("C1", "B1") == 0
    assert levels_below("A1", "native") == 6


def test_label_spelling() -> None:
    assert CefrLevel.B2.label == "B2"
    assert CefrLevel.NATIVE.label == "native"
