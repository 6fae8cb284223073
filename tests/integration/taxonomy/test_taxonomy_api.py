"""The taxonomy JSON API: suggest, normalise, occupation skills, and its 4xx answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from skills.esco import import_esco
from skills.starter import load_starter
from tests.support.factories import Factory
from tests.support.taxonomy import CLEANER, write_export

DOMESTIC_CLEANER = "http://data.europa.eu/esco/occupation/cbad55a4-c7cf-4ab6-9540-eac72b26729b"
DOMESTIC_CLEANER_ID = DOMESTIC_CLEANER.rsplit("/", 1)[1]


@pytest.fixture
async def counsellor(client: AsyncTestClient, factory: Factory) -> dict[str, str]:
    """Starter taxonomy loaded; a counsellor logged in; returns her CSRF header."""
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    ngo = await factory.org()
    return await factory.login(client, await factory.user("counsellor", ngo))


async def test_reinigungskraft_suggests_the_cleaner(client: AsyncTestClient, counsellor: dict[str, str]) -> None:
    response = await client.get("/api/skills/suggest", params={"q": "Reinigungskraft", "lang": "de"})
    assert response.status_code == 200, response.text
    best = response.json()[0]
    assert best["uri"] == DOMESTIC_CLEANER and best["kind"] == "occupation"
    assert best["label"] == "Reinigungskraft" and best["confidence"] > 0.5


async def test_suggest_filters_by_kind_and_labels_in_the_language(
    client: AsyncTestClient, counsellor: dict[str, str]
) -> None:
    response = await client.get("/api/skills/suggest", params={"q": "nähen", "lang": "de", "kind": "skill", "limit": 3})
    assert response.status_code == 200
    found = response.json()
    assert 1 <= len(found) <= 3 and {item["kind"] for item in found} == {"skill"}
    assert found[0]["label"] == "Stoffteile nähen"


async def test_suggest_without_lang_answers_in_the_account_language(
    client: AsyncTestClient, counsellor: dict[str, str]
) -> None:
    response = await client.get("/api/skills/suggest", params={"q": "cleaner", "kind": "occupation"})
    assert response.status_code == 200
    assert response.json()[0]["uri"] == DOMESTIC_CLEANER


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "q: must not be empty"),
        ({"q": "   "}, "q: must not be empty"),
        ({}, "q: must not be empty"),
        ({"q": "x" * 201}, "q: at most 200 characters"),
        ({"q": "cook", "kind": "pet"}, "kind: must be one of"),
        ({"q": "cook", "lang": "xx"}, "lang: must be an ISO 639-1 code"),
        ({"q": "cook", "lang": "sw"}, "lang: the taxonomy has no labels in 'sw'"),
        ({"q": "cook", "limit": "0"}, "limit"),
    ],
)
async def test_bad_suggest_parameters_get_400_naming_the_parameter(
    client: AsyncTestClient, counsellor: dict[str, str], params: dict[str, str], message: str
) -> None:
    response = await client.get("/api/skills/suggest", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


async def test_anonymous_callers_are_refused(client: AsyncTestClient) -> None:
    response = await client.get("/api/skills/suggest", params={"q": "cook", "lang": "en"})
    assert response.status_code == 401
    response = await client.get(f"/api/occupations/{DOMESTIC_CLEANER_ID}/skills")
    assert response.status_code == 401


async def test_normalise_ranks_concepts_per_text(client: AsyncTestClient, counsellor: dict[str, str]) -> None:
    body = {"texts": ["Altenpflegerin", "Putzfrau", "qqqqzzzz"], "lang": "de", "kind": "occupation"}
    response = await client.post("/api/skills/normalise", json=body, headers=counsellor)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert results[0]["concepts"][0]["label"] == "Altenpfleger/in"
    assert results[1]["concepts"][0]["uri"] == DOMESTIC_CLEANER
    assert results[2]["concepts"] == []
    assert all(0 <= c["confidence"] <= 1 for r in results for c in r["concepts"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"texts": []}, "texts: must hold at least one text"),
        ({"texts": ["cook"] * 101}, "texts: at most 100 texts"),
        ({"texts": ["cook", ""]}, "texts[1]: must not be empty"),
        ({"texts": ["cook", "x" * 201]}, "texts[1]: at most 200 characters"),
        ({"texts": ["cook"], "kind": "job"}, "kind: must be one of"),
        ({"texts": ["cook"], "lang": "zz"}, "lang:"),
        ({"texts": ["cook"], "owner": "me"}, "owner"),
    ],
)
async def test_bad_normalise_bodies_get_400_naming_the_field(
    client: AsyncTestClient, counsellor: dict[str, str], body: dict[str, object], message: str
) -> None:
    response = await client.post("/api/skills/normalise", json=body, headers=counsellor)
    assert response.status_code == 400
    assert message in response.json()["detail"]


async def test_normalise_without_csrf_token_is_refused(client: AsyncTestClient, counsellor: dict[str, str]) -> None:
    response = await client.post("/api/skills/normalise", json={"texts": ["cook"]})
    assert response.status_code == 403


async def test_occupation_skills_are_labelled_in_the_requested_language(
    client: AsyncTestClient, counsellor: dict[str, str]
) -> None:
    response = await client.get(f"/api/occupations/{DOMESTIC_CLEANER_ID}/skills", params={"lang": "fr"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["uri"] == DOMESTIC_CLEANER and body["lang"] == "fr"
    assert body["label"].startswith("agent d'entretien")
    essential = {skill["label"] for skill in body["essential"]}
    assert "passer l'aspirateur" in essential and "nettoyer les chambres" in essential
    assert body["optional"] and not {s["uri"] for s in body["essential"]} & {s["uri"] for s in body["optional"]}


async def test_unknown_occupation_is_not_found(client: AsyncTestClient, counsellor: dict[str, str]) -> None:
    for concept_id in ("00000000-0000-0000-0000-000000000000", "x" * 300):
        response = await client.get(f"/api/occupations/{concept_id}/skills")
        assert response.status_code == 404


async def test_an_import_in_another_process_is_served_on_the_next_request(
    client: AsyncTestClient, counsellor: dict[str, str], factory: Factory, tmp_path: Path
) -> None:
    before = await client.get("/api/skills/suggest", params={"q": "colf", "lang": "it", "kind": "occupation"})
    assert CLEANER not in {item["uri"] for item in before.json()}
    async with factory.alchemy.get_session() as db:  # another connection: as another process would
        await import_esco(db, write_export(tmp_path / "esco"))
        await db.commit()
    after = await client.get("/api/skills/suggest", params={"q": "colf", "lang": "it", "kind": "occupation"})
    assert after.status_code == 200
    assert CLEANER in {item["uri"] for item in after.json()}
