"""Adding a person from the caseload: the first-meeting form and its duplicate check."""

from __future__ import annotations

from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from service.domain.survivors.models import Survivor
from tests.support.factories import Factory
from tests.support.pages import sign_in, stored_survivor


async def _count(factory: Factory) -> int:
    async with factory.alchemy.get_session() as db:
        return int(await db.scalar(select(func.count()).select_from(Survivor)) or 0)


def _form(csrf: str, **extra: str) -> dict[str, str]:
    return {
        "_csrf": csrf,
        "display_name": "Amina K.",
        "birth_year": "1994",
        "region": "DE30",
        "language_1": "ar",
        "language_1_level": "native",
        "language_2": "",
        "language_2_other": "Deutsch",
        "language_2_level": "A2",
        "contact": "Text messages only, never after 6 pm",
        **extra,
    }


async def test_caseload_offers_to_add_a_person_and_the_form_names_regions(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    await sign_in(client, factory, await factory.user("counsellor", ngo))
    assert 'href="/people/new"' in (await client.get("/caseload")).text
    form = await client.get("/people/new")
    assert form.status_code == 200
    assert ">Berlin</option>" in form.text and ">DE30<" not in form.text
    assert "(required)" in form.text


async def test_counsellor_adds_a_person_into_her_own_caseload(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    csrf = await sign_in(client, factory, counsellor)
    response = await client.post("/people/new", data=_form(csrf), follow_redirects=False)
    assert response.status_code == 303, response.text[:400]
    survivor_id = response.headers["location"].split("/")[2].split("?")[0]
    stored = await stored_survivor(factory, UUID(survivor_id))
    assert (stored.display_name, stored.region, stored.birth_year) == ("Amina K.", "DE30", 1994)
    assert stored.languages == [{"code": "ar", "level": "native"}, {"code": "de", "level": "A2"}]
    assert stored.contact == "Text messages only, never after 6 pm"
    assert stored.counsellor_id == counsellor.id and stored.organisation_id == ngo.id
    profile = await client.get(response.headers["location"])
    assert "She is registered" in profile.text and "Berlin, Germany" in profile.text


async def test_bad_input_names_every_field_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    csrf = await sign_in(client, factory, await factory.user("counsellor", ngo))
    bad = _form(
        csrf, display_name="", birth_year="1850", region="XX99", language_2_other="Klingon", language_1_level="Z9"
    )
    response = await client.post("/people/new", data=bad)
    assert response.status_code == 400
    for field in ("display_name", "birth_year", "region", "language_1_level", "language_2_other"):
        assert f'id="e-{field}"' in response.text, field
    assert await _count(factory) == 0


async def test_same_name_and_birth_year_in_the_organisation_asks_to_confirm(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    colleague = await factory.user("counsellor", ngo)
    await factory.survivor(ngo, colleague, display_name="Amína  k.", birth_year=1994)
    await factory.survivor(await factory.org(), None, display_name="Amina K.", birth_year=1994)
    csrf = await sign_in(client, factory, await factory.user("counsellor", ngo))
    warned = await client.post("/people/new", data=_form(csrf))
    assert warned.status_code == 409
    assert "already has 1 record with this name and year of birth" in warned.text
    assert 'name="confirm_duplicate" value="yes"' in warned.text
    assert await _count(factory) == 2
    confirmed = await client.post("/people/new", data=_form(csrf, confirm_duplicate="yes"), follow_redirects=False)
    assert confirmed.status_code == 303
    assert await _count(factory) == 3


async def test_coordinator_chooses_the_counsellor_from_her_organisation_only(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    stranger = await factory.user("counsellor", await factory.org())
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    refused = await client.post("/people/new", data=_form(csrf, counsellor=str(stranger.id)))
    assert refused.status_code == 400 and 'id="e-counsellor"' in refused.text
    assert await _count(factory) == 0
    created = await client.post("/people/new", data=_form(csrf, counsellor=str(counsellor.id)), follow_redirects=False)
    assert created.status_code == 303
    async with factory.alchemy.get_session() as db:
        row = await db.scalar(select(Survivor))
        assert row is not None and row.counsellor_id == counsellor.id
