"""Her own space: summary, consents, the pause toggle, discretion and the quick exit."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from service.domain.accounts.models import User
from service.domain.survivors.models import Survivor
from tests.support.factories import Factory, share_consent
from tests.support.pages import sign_in, stored_consent, stored_survivor

_URLS = re.compile(r'(?:href|action)="([^"]+)"')
# Opaque ids only: paths made of fixed words and UUIDs (SECURITY S17).
_OPAQUE = re.compile(r"^/(?:[a-z\-/.]+|consents/[0-9a-f\-]{36}/withdraw)$")


async def _survivor_with_account(factory: Factory, **fields: object) -> tuple[Survivor, User]:
    ngo = await factory.org()
    survivor = await factory.survivor(ngo, await factory.user("counsellor", ngo), **fields)
    return survivor, await factory.user("survivor", ngo, survivor=survivor)


async def test_her_page_shows_who_sees_what(client: AsyncTestClient, factory: Factory) -> None:
    survivor, account = await _survivor_with_account(factory)
    await share_consent(factory, survivor, await factory.org("partner", name="Green Laundry"))
    await sign_in(client, factory, account)
    page = await client.get("/my")
    assert "Green Laundry" in page.text and "skills, languages" in page.text


async def test_not_now_pauses_her_suggestions(client: AsyncTestClient, factory: Factory) -> None:
    survivor, account = await _survivor_with_account(factory)
    csrf = await sign_in(client, factory, account)
    response = await client.post("/my/pace", data={"_csrf": csrf, "readiness": "not_now"})
    assert response.status_code == 200 and "Suggestions are paused" in response.text
    assert (await stored_survivor(factory, survivor.id)).readiness == "not_now"


async def test_she_withdraws_a_consent_in_one_tap(client: AsyncTestClient, factory: Factory) -> None:
    survivor, account = await _survivor_with_account(factory)
    consent = await share_consent(factory, survivor, await factory.org("partner"))
    csrf = await sign_in(client, factory, account)
    response = await client.post(f"/consents/{consent.id}/withdraw", data={"_csrf": csrf})
    assert response.status_code == 200
    assert (await stored_consent(factory, consent.id)).withdrawn_at is not None


async def test_she_cannot_withdraw_another_womans_consent(client: AsyncTestClient, factory: Factory) -> None:
    _, account = await _survivor_with_account(factory)
    other, _ = await _survivor_with_account(factory)
    consent = await share_consent(factory, other, await factory.org("partner"))
    csrf = await sign_in(client, factory, account)
    response = await client.post(f"/consents/{consent.id}/withdraw", data={"_csrf": csrf})
    assert response.status_code == 404
    assert (await stored_consent(factory, consent.id)).withdrawn_at is None


async def test_her_page_has_a_neutral_title_and_a_quick_exit(client: AsyncTestClient, factory: Factory) -> None:
    _, account = await _survivor_with_account(factory)
    await sign_in(client, factory, account)
    page = await client.get("/my")
    assert "<title>Notes</title>" in page.text
    assert 'data-quick-exit="https://' in page.text and 'id="quick-exit"' in page.text


async def test_her_page_links_carry_no_personal_data(client: AsyncTestClient, factory: Factory) -> None:
    survivor, account = await _survivor_with_account(factory, display_name="Canary Zelda")
    await share_consent(factory, survivor, await factory.org("partner"))
    await sign_in(client, factory, account)
    urls = [url for url in _URLS.findall((await client.get("/my")).text) if url.startswith("/")]
    assert urls and all(_OPAQUE.match(url) for url in urls), urls


async def test_her_page_is_not_for_staff(client: AsyncTestClient, factory: Factory) -> None:
    await sign_in(client, factory, await factory.user("counsellor", await factory.org()))
    response = await client.get("/my")
    assert response.status_code == 403 and "not available with your account" in response.text
