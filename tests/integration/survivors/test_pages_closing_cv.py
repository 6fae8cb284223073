"""Closing a case with a reason (and reopening it), her data rights within reach, her CV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.followups.models import FollowUp
from service.domain.survivors.models import Consent
from service.kernel.audit import AuditEvent
from tests.support.factories import Factory, share_consent
from tests.support.pages import sign_in, stored_consent, stored_survivor


async def _case(client: AsyncTestClient, factory: Factory, **fields: object):  # type: ignore[no-untyped-def]
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, display_name="Olena", **fields)
    csrf = await sign_in(client, factory, counsellor)
    return survivor, csrf


async def test_closing_cancels_follow_ups_ends_permissions_and_starts_retention(
    client: AsyncTestClient, factory: Factory
) -> None:
    survivor, csrf = await _case(client, factory)
    consent = await share_consent(factory, survivor, await factory.org("partner"))
    async with factory.alchemy.get_session() as db:
        db.add(FollowUp(survivor_id=survivor.id, kind="plan_30d", due_at=datetime.now(UTC) + timedelta(days=5),
                        idempotency_key=f"close:{survivor.id}"))  # fmt: skip
        await db.commit()
    form = await client.get(f"/people/{survivor.id}/close")
    assert form.status_code == 200 and "Placed and stable" in form.text
    response = await client.post(
        f"/people/{survivor.id}/close", data={"_csrf": csrf, "reason": "moved_away"}, follow_redirects=False
    )
    assert response.status_code == 303
    stored = await stored_survivor(factory, survivor.id)
    assert stored.closed_at is not None and stored.closed_reason == "moved_away"
    assert (await stored_consent(factory, consent.id)).withdrawn_at is not None
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(FollowUp.status).where(FollowUp.survivor_id == survivor.id))).all() == [
            "cancelled"
        ]
    profile = await client.get(f"/people/{survivor.id}")
    anonymised = (stored.closed_at + timedelta(days=730)).strftime("%Y-%m-%d")
    assert "Moved away" in profile.text and f"anonymised on {anonymised}" in profile.text
    assert "Olena" not in (await client.get("/caseload")).text  # open cases only, by default
    reopened = await client.post(f"/people/{survivor.id}/reopen", data={"_csrf": csrf}, follow_redirects=False)
    assert reopened.status_code == 303
    again = await stored_survivor(factory, survivor.id)
    assert again.closed_at is None and again.closed_reason is None
    async with factory.alchemy.get_session() as db:
        actions = (await db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(survivor.id)))).all()
        assert "survivor.close" in actions and "survivor.reopen" in actions


async def test_closing_without_a_reason_is_refused_and_changes_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    survivor, csrf = await _case(client, factory)
    consent = await share_consent(factory, survivor, await factory.org("partner"))
    for reason in ("", "bored"):
        response = await client.post(f"/people/{survivor.id}/close", data={"_csrf": csrf, "reason": reason})
        assert response.status_code == 400 and 'id="e-reason"' in response.text
    assert (await stored_survivor(factory, survivor.id)).closed_at is None
    assert (await stored_consent(factory, consent.id)).withdrawn_at is None
    assert (await client.post(f"/people/{survivor.id}/reopen", data={"_csrf": csrf})).status_code == 409


async def test_an_anonymised_case_cannot_be_reopened(client: AsyncTestClient, factory: Factory) -> None:
    survivor, csrf = await _case(client, factory, closed_at=datetime.now(UTC) - timedelta(days=800),
                                 readiness="anonymised")  # fmt: skip
    assert (await client.post(f"/people/{survivor.id}/reopen", data={"_csrf": csrf})).status_code == 409
    assert (await stored_survivor(factory, survivor.id)).closed_at is not None


async def test_her_data_rights_are_reachable_from_her_profile_and_her_page(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, display_name="Olena")
    account = await factory.user("survivor", ngo, survivor=survivor)
    csrf = await sign_in(client, factory, counsellor)
    profile = await client.get(f"/people/{survivor.id}")
    assert f'href="/api/survivors/{survivor.id}/export"' in profile.text
    export = await client.get(f"/api/survivors/{survivor.id}/export")
    assert export.status_code == 200 and export.json()["profile"]["display_name"] == "Olena"
    recorded = await client.post(f"/people/{survivor.id}/erasure-request", data={"_csrf": csrf}, follow_redirects=False)
    assert recorded.status_code == 303
    await client.post("/logout", data={"_csrf": csrf})
    her_csrf = await sign_in(client, factory, account)
    mine = await client.get("/my")
    assert 'href="/api/me/export"' in mine.text and 'action="/my/erasure-request"' in mine.text
    asked = await client.post("/my/erasure-request", data={"_csrf": her_csrf}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/my?saved=erasure"
    async with factory.alchemy.get_session() as db:
        requests = (
            await db.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "survivor.erasure_request"))
        ).all()
        assert len(requests) == 2 and account.id in requests


async def test_the_cv_shows_her_work_and_nothing_about_her_story(client: AsyncTestClient, factory: Factory) -> None:
    survivor, _ = await _case(
        client,
        factory,
        shelter="Safe House Canary",
        exact_location="Canary Street 5",
        notes="Trafficking history canary",
        contact="+49 canary",
        region="DE30",
        languages=[{"code": "uk", "level": "native"}, {"code": "de", "level": "A2"}],
        work_history=[{"title": "Seamstress", "country": "UA", "year_from": 2015, "year_to": 2019}],
        education=[{"isced_level": 3, "field": "Tailoring", "country": "UA", "year_to": 2014}],
    )
    cv = await client.get(f"/people/{survivor.id}/cv", params={"language": "de"})
    assert cv.status_code == 200
    article = cv.text.split('<article class="cv"', 1)[1].split("</article>")[0]
    assert 'lang="de"' in article and "Berufserfahrung" in article and "Seamstress" in article
    assert "Ukrainisch" in article and "Ukraine" in article and "2015–2019" in article and "Tailoring" in article
    for secret in ("canary", "Canary", "Berlin", "DE30", "org"):
        assert secret not in article, secret
    arabic = await client.get(f"/people/{survivor.id}/cv", params={"language": "ar"})
    assert 'lang="ar" dir="rtl"' in arabic.text


async def test_she_prints_her_own_cv(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    survivor = await factory.survivor(ngo, None, display_name="Grace", work_history=[{"title": "Cook"}])
    account = await factory.user("survivor", ngo, survivor=survivor)
    await sign_in(client, factory, account)
    cv = await client.get("/my/cv", params={"language": "fr"})
    assert cv.status_code == 200 and "Grace" in cv.text and "Expérience professionnelle" in cv.text


async def test_consents_of_a_closed_case_stay_ended(client: AsyncTestClient, factory: Factory) -> None:
    survivor, csrf = await _case(client, factory)
    await share_consent(factory, survivor, await factory.org("partner"))
    await client.post(f"/people/{survivor.id}/close", data={"_csrf": csrf, "reason": "placed_stable"})
    await client.post(f"/people/{survivor.id}/reopen", data={"_csrf": csrf})
    async with factory.alchemy.get_session() as db:
        withdrawn = (await db.scalars(select(Consent.withdrawn_at).where(Consent.survivor_id == survivor.id))).all()
        assert all(moment is not None for moment in withdrawn)
