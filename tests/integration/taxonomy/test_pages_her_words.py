"""Her skills in her words, in her language (issue 13, point 3): whatever the page language, her
words are searched in the page's language, her languages and English together; each suggestion
says which language it came from, and a name missing in the page's language is said to be."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import update

from service.domain.accounts.models import User
from service.domain.survivors.models import Survivor
from skills.starter import load_starter
from tests.support.factories import Factory
from tests.support.listings import profile
from tests.support.pages import sign_in, stored_survivor

COOKING = "http://data.europa.eu/esco/skill/"  # prefix; the starter's cooking skill is found by name
HER_LANGUAGES = [{"code": "ro", "level": "native"}, {"code": "de", "level": "A2"}]


async def _case(factory: Factory, page_language: str = "en") -> tuple[User, Survivor]:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    async with factory.alchemy.get_session() as db:
        await db.execute(update(User).where(User.id == counsellor.id).values(locale=page_language))
        await db.commit()
    survivor = await factory.survivor(ngo, counsellor, **profile(languages=HER_LANGUAGES))
    return counsellor, survivor


async def _suggest(client: AsyncTestClient, csrf: str, survivor: Survivor, words: str, kind: str = "skill") -> str:
    field = "new_skill" if kind == "skill" else "new_occupation"
    response = await client.post(
        f"/people/{survivor.id}/skills/suggest", data={"_csrf": csrf, "suggest": kind, field: words}
    )
    assert response.status_code == 200
    return " ".join(response.text.split())


async def test_german_and_romanian_words_find_skills_on_english_pages(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, survivor = await _case(factory)
    csrf = await sign_in(client, factory, counsellor)
    kochen = await _suggest(client, csrf, survivor, "Kochen")
    assert "use cooking techniques" in kochen and "found as “kochen” (German)" in kochen
    gatit = await _suggest(client, csrf, survivor, "gătit")
    assert "use cooking techniques" in gatit and "(Romanian)" in gatit
    naehen = await _suggest(client, csrf, survivor, "Näherin")  # inflected: the light stemmer meets "nähen"
    assert "sew pieces of fabric" in naehen
    assert "Searched in: English, Romanian, German." in kochen
    assert "data.europa.eu" not in kochen.replace('value="http://data.europa.eu', "")


async def test_words_in_a_language_nobody_recorded_are_still_found(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, survivor = await _case(factory)
    csrf = await sign_in(client, factory, counsellor)
    menage = await _suggest(client, csrf, survivor, "faire le ménage")
    assert "perform cleaning duties" in menage and "(French)" in menage


async def test_a_page_language_without_a_name_says_so_and_offers_what_exists(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, survivor = await _case(factory, page_language="ro")
    csrf = await sign_in(client, factory, counsellor)
    # buttonholing has no Romanian label in the starter list: its name comes in the next
    # language she reads (German), marked as such
    found = await _suggest(client, csrf, survivor, "Knopflöcher nähen")
    assert '<span lang="de">Knopflöcher nähen</span>' in found
    assert "încă fără denumire în română, afișat în germană" in found
    # one the starter does name in Romanian is shown in Romanian
    assert "coaserea bucăților de material" in await _suggest(client, csrf, survivor, "nähen")


async def test_her_german_words_are_saved_without_javascript(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, survivor = await _case(factory)
    csrf = await sign_in(client, factory, counsellor)
    for words in ("Kochen", "nähen"):
        saved = await client.post(
            f"/people/{survivor.id}/skills", data={"_csrf": csrf, "new_skill": words}, follow_redirects=False
        )
        assert saved.status_code == 303
    stored = [entry["uri"] for entry in (await stored_survivor(factory, survivor.id)).skills]
    assert len(stored) == 2 and all(uri.startswith(COOKING) for uri in stored)
    page = await client.get(f"/people/{survivor.id}/skills")
    assert "use cooking techniques" in page.text and "sew pieces of fabric" in page.text


async def test_words_that_match_nothing_are_an_error_by_field_and_nothing_is_written(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, survivor = await _case(factory)
    csrf = await sign_in(client, factory, counsellor)
    refused = await client.post(f"/people/{survivor.id}/skills", data={"_csrf": csrf, "new_skill": "qqqq zzzz xxxx"})
    assert refused.status_code == 400 and 'id="e-new_skill"' in refused.text
    assert (await stored_survivor(factory, survivor.id)).skills == []


async def test_the_api_searches_other_languages_when_asked(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, _ = await _case(factory)
    headers = await factory.token(client, counsellor)
    found: list[dict[str, Any]] = (
        await client.get("/api/skills/suggest", params={"q": "Kochen", "lang": "en", "also": "de,ro"}, headers=headers)
    ).json()
    assert found[0]["label"] == "use cooking techniques"
    assert (found[0]["label_lang"], found[0]["matched_lang"]) == ("en", "de")
    bad = await client.get("/api/skills/suggest", params={"q": "Kochen", "also": "xx"}, headers=headers)
    assert bad.status_code == 400 and "also" in bad.text
