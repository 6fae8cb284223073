"""The one label service: names for skills and occupations, never their ESCO addresses.

Every page (and any other reader) that shows a skill or an occupation asks here for its name::

    names = await concept_labels(db, uris, reader="en", also=her_languages(row))
    names[uri].text   # "sew textile-based articles"
    names[uri].lang   # the language the name is in ("en"), so a page can say so
    names[uri].known  # False for an address the taxonomy does not hold

A name is looked for in the reader's language first, then in each language of ``also`` (the
languages she reads: the woman's languages on a counsellor's page about her, her own on her
pages), then in English, then in any language the taxonomy has. An address the taxonomy does
not know gets ``unknown`` as its text, never the address itself.

Lookups are a batch (one call per page) over the process's taxonomy index, which is cached per
taxonomy generation (:func:`service.domain.taxonomy.services.current_index`: an import or a
starter load starts a new generation, and every process rebuilds its index, names included).
Each name is then a dictionary hit (326 names in under a millisecond), so no second cache is
kept. :func:`labels_in` does the same for code that already holds an index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.taxonomy.services import current_index
from skills.taxonomy import FALLBACK_LANG, TaxonomyIndex

UNKNOWN = "—"
"""Shown for an address the taxonomy does not hold, unless the caller passes its own words."""


@dataclass(frozen=True, slots=True)
class Label:
    """A concept's name as shown: the text, the language it is in, and whether it is known."""

    text: str
    lang: str
    known: bool = True


def reading_order(reader: str, also: Iterable[str] = ()) -> tuple[str, ...]:
    """The languages to look in, in order, each once: the reader's, ``also``'s, then English."""
    order: list[str] = []
    for lang in (reader, *also, FALLBACK_LANG):
        code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
        if code and code not in order:
            order.append(code)
    return tuple(order)


def her_languages(languages: Sequence[Mapping[str, Any]] | None) -> list[str]:
    """The language codes of a profile's ``languages`` entries, best known first."""
    rank = {"native": 0, "C2": 1, "C1": 2, "B2": 3, "B1": 4, "A2": 5, "A1": 6}
    entries = [entry for entry in languages or [] if isinstance(entry, Mapping) and entry.get("code")]
    entries.sort(key=lambda entry: rank.get(str(entry.get("level")), 9))
    return [str(entry["code"]) for entry in entries]


def _look_up(index: TaxonomyIndex, uri: str, order: tuple[str, ...]) -> Label | None:
    for lang in order:
        text = index.shown_label(uri, lang)
        if text is not None:
            return Label(text, lang)
    found = index.any_label(uri)
    return Label(*found) if found is not None else None


def labels_in(
    index: TaxonomyIndex, uris: Iterable[str], reader: str, also: Iterable[str] = (), unknown: str = UNKNOWN
) -> dict[str, Label]:
    """The names of ``uris`` from ``index`` (see the module docstring for the order)."""
    order = reading_order(reader, also)
    found: dict[str, Label] = {}
    for uri in uris:
        if uri in found or not isinstance(uri, str):
            continue
        named = _look_up(index, uri, order)
        found[uri] = named if named is not None else Label(unknown, reader, known=False)
    return found


async def concept_labels(
    db: AsyncSession, uris: Iterable[str], reader: str, also: Iterable[str] = (), unknown: str = UNKNOWN
) -> dict[str, Label]:
    """The names of skill and occupation ``uris`` for a reader of ``reader`` (then ``also``,
    then English), one per address; ``unknown`` for addresses the taxonomy does not hold."""
    wanted = [uri for uri in uris if isinstance(uri, str) and uri]
    if not wanted:
        return {}
    return labels_in(await current_index(db), wanted, reader, also, unknown)


class LabelMap(Mapping[str, str]):
    """A read-only ``uri -> name`` view for code that takes a mapping (matching's explanations):
    every address has a name, looked up lazily in the reading order given."""

    def __init__(self, index: TaxonomyIndex, reader: str, also: Iterable[str] = (), unknown: str = UNKNOWN) -> None:
        self.index, self.reader, self.also, self.unknown = index, reader, tuple(also), unknown

    def __getitem__(self, uri: str) -> str:
        return labels_in(self.index, (uri,), self.reader, self.also, self.unknown)[uri].text

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return True

    def __contains__(self, uri: object) -> bool:
        return isinstance(uri, str)
