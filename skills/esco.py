"""Import the official ESCO CSV export (plain or gzipped) into the taxonomy tables.

Two phases, so that a malformed file writes nothing at all:

1. :func:`parse_folder` reads every recognised file into an :class:`EscoBundle` in memory,
   raising :class:`EscoFormatError` (file name and line) at the first bad record;
2. :func:`import_esco` writes the bundle in the caller's single transaction and bumps the
   taxonomy generation, so every process rebuilds its index on its next request.

Re-importing is idempotent: concepts are upserted; the "esco" labels of each (kind, language)
the import covers, and the "esco" links of each family it covers, are replaced, never
duplicated. Rows of other sources (our starter curation) are left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from skills.esco_files import (
    ISCO_BASE,
    EscoFile,
    EscoFormatError,
    discover,
    kind_of_uri,
    read_records,
    split_labels,
)
from skills.models import (
    TaxonomyBroader,
    TaxonomyConcept,
    TaxonomyLabel,
    TaxonomyOccupationSkill,
    bump_generation,
    upsert,
)

SOURCE = "esco"
LABEL_RANK = {"preferred": 0, "alternative": 1, "hidden": 2}
_MULTILINGUAL_TYPES = {"preferredLabel": "preferred", "altLabel": "alternative", "hiddenLabel": "hidden"}
_CONCEPT_TYPES = {
    "KnowledgeSkillCompetence": "skill",
    "Occupation": "occupation",
    "ISCOGroup": "isco_group",
    "SkillGroup": "skill_group",
}
_ATTRIBUTES = ("code", "isco_group", "skill_type", "reuse_level", "status")

__all__ = ["EscoBundle", "EscoFormatError", "ImportSummary", "import_esco", "parse_folder"]


@dataclass
class EscoBundle:
    """Everything one import will write, de-duplicated and checked."""

    concepts: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """Concepts a file defines: uri -> kind and attributes (first non-empty value wins)."""
    referenced: dict[str, str] = field(default_factory=dict)
    """Concepts only referenced by a link: uri -> kind (written only if not yet stored)."""
    labels: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(uri, lang, label) -> label type; the strongest type wins."""
    label_scope: set[tuple[str, str]] = field(default_factory=set)
    """(kind, lang) pairs this import is the complete "esco" source for."""
    relations: dict[tuple[str, str], str] = field(default_factory=dict)
    broader: set[tuple[str, str]] = field(default_factory=set)
    has_relations: bool = False
    has_broader: bool = False
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def define(self, uri: str, kind: str, **attributes: str | None) -> None:
        concept = self.concepts.setdefault(uri, {"kind": kind})
        # A concept listed in a pillar file (skills_*.csv) is a skill even if the hierarchy
        # also names it as a group parent; pillar files come first, so keep the first kind.
        for name, value in attributes.items():
            if value and not concept.get(name):
                concept[name] = value

    def refer(self, uri: str, kind: str | None) -> None:
        if uri not in self.concepts:
            self.referenced.setdefault(uri, kind or kind_of_uri(uri))

    def label(self, uri: str, lang: str, text: str, label_type: str) -> None:
        text = text.strip()
        if not text:
            return
        key = (uri, lang, text)
        known = self.labels.get(key)
        if known is None or LABEL_RANK[label_type] < LABEL_RANK[known]:
            self.labels[key] = label_type


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote, for the CLI and the audit trail."""

    files: tuple[str, ...]
    skipped: tuple[str, ...]
    concepts: int
    labels: int
    relations: int
    broader: int
    generation: int
    seconds: float


# ------------------------------------------------------------------ parsing


def _parse_pillar(bundle: EscoBundle, source: EscoFile, kind: str, bar: tqdm | None) -> None:
    """skills_/occupations_/ISCOGroups_/skillGroups_<lang>: concepts with their labels."""
    lang = source.lang or "en"
    bundle.label_scope.add((kind, lang))
    for line, record in read_records(source, required=("conceptUri", "preferredLabel")):
        uri = record.uri("conceptUri", line)
        isco = record.get("iscoGroup")
        bundle.define(
            uri,
            kind,
            code=record.get("code"),
            isco_group=isco,
            skill_type=record.get("skillType"),
            reuse_level=record.get("reuseLevel"),
            status=record.get("status"),
        )
        bundle.label(uri, lang, record.label("preferredLabel", line), "preferred")
        for column, label_type in (("altLabels", "alternative"), ("hiddenLabels", "hidden")):
            for text in split_labels(record.get(column)):
                bundle.label(uri, lang, record.check_label(text, column, line), label_type)
        if bar is not None:
            bar.update()


def _parse_relations(bundle: EscoBundle, source: EscoFile, bar: tqdm | None) -> None:
    bundle.has_relations = True
    for line, record in read_records(source, required=("occupationUri", "relationType", "skillUri")):
        occupation, skill = record.uri("occupationUri", line), record.uri("skillUri", line)
        relation = record.get("relationType") or ""
        if relation not in ("essential", "optional"):
            raise EscoFormatError(source.path, line, f"relationType must be essential or optional, not {relation!r}")
        bundle.refer(occupation, "occupation")
        bundle.refer(skill, "skill")
        # ESCO lists a few pairs as both; the stronger claim wins.
        if bundle.relations.get((occupation, skill)) != "essential":
            bundle.relations[(occupation, skill)] = relation
        if bar is not None:
            bar.update()


def _parse_broader(bundle: EscoBundle, source: EscoFile, bar: tqdm | None) -> None:
    bundle.has_broader = True
    for line, record in read_records(source, required=("conceptUri", "broaderUri")):
        narrower, broader = record.uri("conceptUri", line), record.uri("broaderUri", line)
        bundle.refer(narrower, _CONCEPT_TYPES.get(record.get("conceptType") or ""))
        bundle.refer(broader, _CONCEPT_TYPES.get(record.get("broaderType") or ""))
        bundle.broader.add((narrower, broader))
        if bar is not None:
            bar.update()


def _parse_hierarchy(bundle: EscoBundle, source: EscoFile, bar: tqdm | None) -> None:
    """skillsHierarchy_<lang>: up to four levels of skill groups per row, parent to child."""
    lang = source.lang or "en"
    bundle.has_broader = True
    bundle.label_scope.add(("skill_group", lang))
    # The official file omits trailing empty fields in some rows; those rows are padded.
    for line, record in read_records(source, required=("Level 0 URI",), allow_short=True):
        parent: str | None = None
        for level in range(4):
            raw = record.get(f"Level {level} URI")
            if not raw:
                break
            uri = record.uri(f"Level {level} URI", line)
            if uri not in bundle.concepts:
                bundle.define(uri, "skill_group", code=record.get(f"Level {level} code"))
            term = record.get(f"Level {level} preferred term")
            if term:
                bundle.label(uri, lang, record.check_label(term, f"Level {level} preferred term", line), "preferred")
            if parent is not None:
                bundle.broader.add((uri, parent))
            parent = uri
        if bar is not None:
            bar.update()


def _parse_multilingual(
    bundle: EscoBundle, source: EscoFile, languages: Collection[str] | None, bar: tqdm | None
) -> None:
    """occupation_labels_multilingual: (uri, language, label, labelType) in many languages.

    Its preferred labels come from older ESCO versions; where an official per-language file of
    this import already gave a preferred label for (uri, language), this file's one is demoted
    to an alternative, so each concept keeps one preferred label per language.
    """
    official = {(uri, lang) for (uri, lang, _), kind in bundle.labels.items() if kind == "preferred"}
    scoped: set[str] = set()
    for line, record in read_records(source, required=("conceptUri", "language", "label", "labelType")):
        uri = record.uri("conceptUri", line)
        lang = record.language("language", line)
        if languages is not None and lang not in languages:
            continue
        raw_type = record.get("labelType") or ""
        label_type = _MULTILINGUAL_TYPES.get(raw_type)
        if label_type is None:
            raise EscoFormatError(source.path, line, f"labelType must be preferredLabel or altLabel, not {raw_type!r}")
        if label_type == "preferred" and (uri, lang) in official:
            label_type = "alternative"
        kind = kind_of_uri(uri)
        bundle.refer(uri, kind)
        scoped.add(lang)
        bundle.label(uri, lang, record.label("label", line), label_type)
        if bar is not None:
            bar.update()
    bundle.label_scope.update((kind, lang) for lang in scoped for kind in ("occupation", "isco_group"))


def parse_folder(
    folder: Path, languages: Collection[str] | None = None, progress: bool = False
) -> EscoBundle:
    """Read every recognised ESCO file in ``folder`` (labels only for ``languages`` if given).

    Raises :class:`EscoFormatError` naming the file and line of the first malformed record,
    and ``FileNotFoundError`` when the folder holds no ESCO file at all.
    """
    files, skipped = discover(folder)
    if not files:
        raise FileNotFoundError(f"{folder}: no ESCO CSV files (skills_<lang>.csv, occupations_<lang>.csv, ...)")
    bundle = EscoBundle(skipped=[path.name for path in skipped])
    wanted = set(languages) if languages is not None else None
    for source in files:
        if wanted is not None and source.lang is not None and source.family in _LABEL_FAMILIES:
            if source.lang not in wanted:
                bundle.skipped.append(source.path.name)
                continue
        bundle.files.append(source.path.name)
        bar = tqdm(desc=source.path.name, unit=" rows", leave=False) if progress else None
        try:
            if source.family in _PILLARS:
                _parse_pillar(bundle, source, _PILLARS[source.family], bar)
            elif source.family == "occupationSkillRelations":
                _parse_relations(bundle, source, bar)
            elif source.family in ("broaderRelationsOccPillar", "broaderRelationsSkillPillar"):
                _parse_broader(bundle, source, bar)
            elif source.family == "skillsHierarchy":
                _parse_hierarchy(bundle, source, bar)
            elif source.family == "multilingual":
                _parse_multilingual(bundle, source, wanted, bar)
        finally:
            if bar is not None:
                bar.close()
    # An occupation's ISCO unit group is also a broader link (the en v1.2 code wins, see define).
    for uri, concept in bundle.concepts.items():
        code = concept.get("isco_group")
        if concept["kind"] == "occupation" and code:
            bundle.refer(f"{ISCO_BASE}C{code}", "isco_group")
            bundle.broader.add((uri, f"{ISCO_BASE}C{code}"))
    return bundle


_PILLARS = {"skills": "skill", "occupations": "occupation", "ISCOGroups": "isco_group", "skillGroups": "skill_group"}
_LABEL_FAMILIES = frozenset({*_PILLARS, "skillsHierarchy"})


# ------------------------------------------------------------------ writing


async def _replace_labels(session: AsyncSession, bundle: EscoBundle, tick: Callable[[int], object]) -> int:
    for kind, lang in sorted(bundle.label_scope):
        of_kind = select(TaxonomyConcept.uri).where(TaxonomyConcept.kind == kind)
        await session.execute(
            delete(TaxonomyLabel).where(
                TaxonomyLabel.source == SOURCE, TaxonomyLabel.lang == lang, TaxonomyLabel.concept_uri.in_(of_kind)
            )
        )
    rows = [
        {"concept_uri": uri, "lang": lang, "label": label, "source": SOURCE, "label_type": label_type}
        for (uri, lang, label), label_type in bundle.labels.items()
    ]
    await upsert(session, TaxonomyLabel, rows, update=("label_type",), progress=tick)
    return len(rows)


async def write_bundle(session: AsyncSession, bundle: EscoBundle, progress: bool = False) -> tuple[int, int, int, int]:
    """Write a parsed bundle in the caller's transaction; returns counts of what was written."""
    concept_rows = [
        {"uri": uri, "kind": c["kind"], **{name: c.get(name) for name in _ATTRIBUTES}}
        for uri, c in bundle.concepts.items()
    ]
    placeholder_rows = [
        {"uri": uri, "kind": kind, **dict.fromkeys(_ATTRIBUTES)}
        for uri, kind in bundle.referenced.items()
        if uri not in bundle.concepts
    ]
    total = len(concept_rows) + len(placeholder_rows) + len(bundle.labels) + len(bundle.relations) + len(bundle.broader)
    with tqdm(total=total, desc="writing", unit=" rows", disable=not progress) as bar:
        await upsert(session, TaxonomyConcept, concept_rows, update=("kind", *_ATTRIBUTES), progress=bar.update)
        await upsert(session, TaxonomyConcept, placeholder_rows, progress=bar.update)
        labels = await _replace_labels(session, bundle, bar.update)
        if bundle.has_relations:
            await session.execute(delete(TaxonomyOccupationSkill).where(TaxonomyOccupationSkill.source == SOURCE))
        relation_rows = [
            {"occupation_uri": occ, "skill_uri": skill, "source": SOURCE, "relation": relation}
            for (occ, skill), relation in bundle.relations.items()
        ]
        await upsert(session, TaxonomyOccupationSkill, relation_rows, update=("relation",), progress=bar.update)
        if bundle.has_broader:
            await session.execute(delete(TaxonomyBroader).where(TaxonomyBroader.source == SOURCE))
        broader_rows = [{"concept_uri": n, "broader_uri": b, "source": SOURCE} for n, b in bundle.broader if n != b]
        await upsert(session, TaxonomyBroader, broader_rows, progress=bar.update)
    return len(concept_rows) + len(placeholder_rows), labels, len(relation_rows), len(broader_rows)


async def import_esco(
    session: AsyncSession, folder: Path, languages: Collection[str] | None = None, progress: bool = False
) -> ImportSummary:
    """Parse ``folder`` completely, then write it in the caller's transaction (not committed).

    On any error nothing has been written by this function's statements once the caller rolls
    back; on a format error nothing has been written at all.
    """
    started = time.perf_counter()
    bundle = parse_folder(folder, languages, progress=progress)
    concepts, labels, relations, broader = await write_bundle(session, bundle, progress=progress)
    generation = await bump_generation(session)
    return ImportSummary(
        files=tuple(bundle.files),
        skipped=tuple(bundle.skipped),
        concepts=concepts,
        labels=labels,
        relations=relations,
        broader=broader,
        generation=generation,
        seconds=time.perf_counter() - started,
    )
