"""Our starter taxonomy: the embedded default until (and alongside) a full ESCO import.

``taxonomy.json`` is our own curation: the occupations and skills of the sectors survivors are
placed in (care, cleaning, hospitality, food, retail, beauty, textile, logistics, office,
childcare, digital basics, languages), keyed by real ESCO URIs, labelled in en, de, fr and it
(and in ro for the most common work)
with the everyday and gendered forms people use ("Reinigungskraft", "Altenpfleger/in",
"aide-soignante"), with occupation -> essential/optional skill links and broader links.

Its rows carry the source "starter": an ESCO import adds to them and never removes them, and
reloading the starter replaces only its own rows.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from skills.models import (
    STARTER_KEY,
    TaxonomyBroader,
    TaxonomyConcept,
    TaxonomyLabel,
    TaxonomyMeta,
    TaxonomyOccupationSkill,
    bump_generation,
    upsert,
)

STARTER_FILE = Path(__file__).with_name("taxonomy.json")
SOURCE = "starter"
_CONCEPT_COLUMNS = ("code", "isco_group", "skill_type", "reuse_level", "status", "language")

__all__ = ["STARTER_FILE", "load_starter", "starter_data"]


def starter_data() -> dict[str, Any]:
    """The curated starter taxonomy as stored in ``taxonomy.json``."""
    data: dict[str, Any] = json.loads(STARTER_FILE.read_text(encoding="utf-8"))
    return data


def _label_rows(uri: str, labels: dict[str, list[str]]) -> list[dict[str, str]]:
    """The first label of each language is the preferred one, the others alternatives."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for lang, texts in labels.items():
        for position, text in enumerate(texts):
            label = text.strip()
            if label and (lang, label) not in rows:
                label_type = "preferred" if position == 0 else "alternative"
                rows[(lang, label)] = {
                    "concept_uri": uri,
                    "lang": lang,
                    "label": label,
                    "source": SOURCE,
                    "label_type": label_type,
                }
    return list(rows.values())


async def load_starter(session: AsyncSession, *, force: bool = False) -> bool:
    """Load the starter taxonomy into the caller's transaction (the caller commits).

    Idempotent: when the stored digest equals the file's, nothing is written and False is
    returned; otherwise the "starter" rows are replaced, the generation bumped (so every
    process rebuilds its index) and True returned. ``force`` reloads an unchanged file.
    """
    raw = STARTER_FILE.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    stored = await session.scalar(select(TaxonomyMeta.digest).where(TaxonomyMeta.key == STARTER_KEY))
    if stored == digest and not force:
        return False
    data = json.loads(raw)
    concepts: list[dict[str, Any]] = []
    labels: list[dict[str, str]] = []
    links: list[dict[str, str]] = []
    for occupation in data["occupations"]:
        concepts.append({"uri": occupation["uri"], "kind": "occupation", "isco_group": occupation.get("isco_group")})
        labels.extend(_label_rows(occupation["uri"], occupation["labels"]))
        for relation in ("essential", "optional"):
            links.extend(
                {"occupation_uri": occupation["uri"], "skill_uri": skill, "source": SOURCE, "relation": relation}
                for skill in occupation[relation]
            )
    for skill in data["skills"]:
        concepts.append(
            {
                "uri": skill["uri"],
                "kind": "skill",
                "skill_type": skill.get("skill_type"),
                "language": skill.get("language"),
            }
        )
        labels.extend(_label_rows(skill["uri"], skill["labels"]))
    # An ESCO import may already have described these concepts; only fill what it lacks.
    await upsert(
        session,
        TaxonomyConcept,
        [dict.fromkeys(_CONCEPT_COLUMNS) | concept for concept in concepts],
        update=("isco_group", "skill_type", "language"),
    )
    for model in (TaxonomyLabel, TaxonomyOccupationSkill, TaxonomyBroader):
        await session.execute(delete(model).where(model.source == SOURCE))
    await upsert(session, TaxonomyLabel, labels, update=("label_type",))
    await upsert(session, TaxonomyOccupationSkill, links, update=("relation",))
    broader = {(narrower, wider) for narrower, wider in data["broader"] if narrower != wider}
    await upsert(
        session, TaxonomyBroader, [{"concept_uri": n, "broader_uri": b, "source": SOURCE} for n, b in sorted(broader)]
    )
    await upsert(
        session,
        TaxonomyMeta,
        [{"key": STARTER_KEY, "generation": 0, "digest": digest, "updated_at": datetime.now(UTC)}],
        update=("digest", "updated_at"),
    )
    await bump_generation(session)
    return True
