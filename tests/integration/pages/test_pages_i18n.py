"""The pages' catalogues: every message used is translated into every language, properly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.web.i18n import LANGUAGES, catalog
from service.web.translations import extract

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
USED = sorted({message.id if isinstance(message.id, str) else message.id[0] for message in extract() if message.id})


def _catalogue(language: str):  # type: ignore[no-untyped-def]
    return catalog(language)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_message_in_use_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    untranslated = []
    for key in USED:
        message = catalogue.get(key)
        strings = [] if message is None else [message.string] if isinstance(message.string, str) else message.string
        if not strings or not all(strings):
            untranslated.append(key)
    assert untranslated == [], f"{language}: no translation for {untranslated}"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_plural_messages_have_every_form_the_language_needs(language: str) -> None:
    catalogue = _catalogue(language)
    for message in catalogue:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == catalogue.num_plurals, message.id


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_translations_keep_the_placeholders(language: str) -> None:
    for message in _catalogue(language):
        if not message.id or isinstance(message.id, tuple):
            continue
        assert set(_PLACEHOLDER.findall(message.string)) == set(_PLACEHOLDER.findall(message.id)), message.id


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_translations_are_not_copies_of_the_english(language: str) -> None:
    # Short words may legitimately match across languages ("Status", "Partner"); a long
    # sentence left in English is a forgotten translation.
    copies = [m.id for m in _catalogue(language) if isinstance(m.id, str) and len(m.id) > 25 and m.string == m.id]
    assert copies == []


def test_catalogues_hold_no_stale_or_fuzzy_entries() -> None:
    for language in LANGUAGES:
        catalogue = _catalogue(language)
        stale = [m.id for m in catalogue if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in USED]
        fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
        assert (stale, fuzzy) == ([], []), language


def test_area_files_merge_and_refuse_conflicting_translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from service.web import i18n

    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Caseload"\nmsgstr "Fallliste"\n', encoding="utf-8")
    (folder / "partner.po").write_text('msgid "Listings"\nmsgstr "Angebote"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    merged = i18n.catalog("de")
    assert {message.id: message.string for message in merged if message.id} == {
        "Caseload": "Fallliste",
        "Listings": "Angebote",
    }
    (folder / "survivor.po").write_text('msgid "Caseload"\nmsgstr "Meine Fälle"\n', encoding="utf-8")
    with pytest.raises(i18n.TranslationConflict, match=r"messages\.po and survivor\.po"):
        i18n.catalog("de")
