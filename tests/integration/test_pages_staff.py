"""Pages for counsellors and coordinators: caseload, profile, editor and consents."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.integration.pages_support import share_consent, sign_in, stored_consent, stored_survivor
from tests.support.factories import Factory


async def test_caseload_lists_only_her_survivors(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    mine, other = await factory.user("counsellor", ngo), await factory.user("counsellor", ngo)
    await factory.survivor(ngo, mine, display_name="Ana Mine")
    await factory.survivor(ngo, other, display_name="Bea Other")
    await sign_in(client, factory, mine)
    page = await client.get("/caseload")
    assert "Ana Mine" in page.text and "Bea Other" not in page.text


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
        "no_night_work": "on",
        "max_commute_minutes": "30",
        "notes": "Prefers afternoons.",
    }
    response = await client.post(f"/people/{survivor.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    stored = await stored_survivor(factory, survivor.id)
    assert (stored.display_name, stored.region, stored.birth_year, stored.readiness) == (
        "Renamed",
        "DE40",
        1990,
        "not_now",
    )
    assert stored.safety["no_night_work"] is True and stored.safety["max_commute_minutes"] == 30


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
