"""Pages for counsellors and coordinators: caseload, profile, editor and consents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient

from service.web.paging import PAGE_SIZE
from tests.support.factories import Factory, share_consent
from tests.support.pages import sign_in, stored_consent, stored_survivor


async def test_caseload_lists_only_her_survivors(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    mine, other = await factory.user("counsellor", ngo), await factory.user("counsellor", ngo)
    await factory.survivor(ngo, mine, display_name="Ana Mine")
    await factory.survivor(ngo, other, display_name="Bea Other")
    await sign_in(client, factory, mine)
    page = await client.get("/caseload")
    assert "Ana Mine" in page.text and "Bea Other" not in page.text


async def test_caseload_pages_through_a_large_caseload_newest_first(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    names = [f"Person {index:03d}" for index in range(PAGE_SIZE + 3)]
    for index, name in enumerate(names):
        await factory.survivor(ngo, counsellor, display_name=name, created_at=start + timedelta(hours=index))
    await sign_in(client, factory, counsellor)

    first = await client.get("/caseload")
    assert first.status_code == 200
    assert "Page 1 of 2" in first.text and "showing 1 to 50" in first.text
    assert 'href="/caseload?page=2"' in first.text and "Previous page" not in first.text
    second = await client.get("/caseload?page=2")
    assert second.status_code == 200
    assert 'href="/caseload?page=1"' in second.text and "Next page" not in second.text
    # Newest first, each person on exactly one page.
    assert [name for name in names if name in second.text] == names[:3]
    assert [name for name in names if name in first.text] == names[3:]


async def test_a_page_that_does_not_exist_answers_400_with_the_pages_there_are(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    await factory.survivor(ngo, counsellor, display_name="Ana Mine")
    await sign_in(client, factory, counsellor)
    await factory.survivor(ngo, counsellor, display_name="Bea Mine")
    for wrong in ("0", "2", "two", "-1", "²"):
        page = await client.get(f"/caseload?page={wrong}")
        assert page.status_code == 400, wrong
        assert "There is no such page: please choose a page from 1 to 1." in page.text
        assert "2 people" in page.text
        assert "Ana Mine" not in page.text
    assert "Ana Mine" in (await client.get("/caseload?page=1")).text


async def test_caseload_says_there_are_no_follow_ups_yet(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    await sign_in(client, factory, await factory.user("counsellor", ngo))
    assert "No follow-ups yet" in (await client.get("/caseload")).text


async def test_editor_saves_through_the_survivor_service(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    csrf = await sign_in(client, factory, counsellor)
    form = {
        "_csrf": csrf,
        "display_name": "Renamed",
        "region": "DE40",
        "birth_year": "1990",
        "readiness": "not_now",
        "notes": "Prefers afternoons.",
    }
    response = await client.post(f"/people/{survivor.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{survivor.id}?saved=about#part-about"
    stored = await stored_survivor(factory, survivor.id)
    assert (stored.display_name, stored.region, stored.birth_year, stored.readiness) == (
        "Renamed",
        "DE40",
        1990,
        "not_now",
    )
    assert stored.notes == "Prefers afternoons."


async def test_editor_names_every_wrong_field(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    csrf = await sign_in(client, factory, counsellor)
    form = {"_csrf": csrf, "display_name": "Kept", "region": "berlin", "birth_year": "1890", "readiness": "ready"}
    response = await client.post(f"/people/{survivor.id}/edit", data=form)
    assert response.status_code == 400
    assert 'id="e-region"' in response.text and 'id="e-birth_year"' in response.text
    assert 'id="e-display_name"' not in response.text
    assert (await stored_survivor(factory, survivor.id)).region == "DE30"


async def test_editor_ignores_fields_it_does_not_offer(client: AsyncTestClient, factory: Factory) -> None:
    ngo, other_ngo = await factory.org(), await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    csrf = await sign_in(client, factory, counsellor)
    form = {
        "_csrf": csrf,
        "display_name": "Same",
        "region": "DE30",
        "readiness": "ready",
        "max_commute_minutes": "45",
        "organisation_id": str(other_ngo.id),
        "counsellor_id": "",
    }
    await client.post(f"/people/{survivor.id}/edit", data=form)
    stored = await stored_survivor(factory, survivor.id)
    assert stored.organisation_id == ngo.id and stored.counsellor_id == counsellor.id


async def test_editor_post_without_csrf_changes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    await sign_in(client, factory, counsellor)
    form = {"display_name": "Forged", "region": "DE30", "readiness": "ready", "max_commute_minutes": "45"}
    response = await client.post(f"/people/{survivor.id}/edit", data=form)
    assert response.status_code == 403
    assert (await stored_survivor(factory, survivor.id)).display_name != "Forged"


async def test_counsellor_withdraws_a_consent_from_the_list(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor)
    consent = await share_consent(factory, survivor, await factory.org("partner", name="Bakery Sun"))
    csrf = await sign_in(client, factory, counsellor)
    listed = await client.get(f"/people/{survivor.id}/consents")
    assert "Bakery Sun" in listed.text
    response = await client.post(f"/consents/{consent.id}/withdraw", data={"_csrf": csrf})
    assert response.status_code == 200
    assert (await stored_consent(factory, consent.id)).withdrawn_at is not None


async def test_another_caseload_looks_like_a_missing_profile(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    survivor = await factory.survivor(ngo, await factory.user("counsellor", ngo))
    await sign_in(client, factory, await factory.user("counsellor", ngo))
    foreign = await client.get(f"/people/{survivor.id}")
    missing = await client.get("/people/00000000-0000-4000-8000-000000000000")
    assert foreign.status_code == missing.status_code == 404
    normalised = foreign.text.replace(str(survivor.id), "ID")
    assert normalised == missing.text.replace("00000000-0000-4000-8000-000000000000", "ID")
