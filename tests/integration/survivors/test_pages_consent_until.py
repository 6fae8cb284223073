"""A permission's end as a date (with the 30/90/180/365-day shortcuts beside it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from litestar.testing import AsyncTestClient

from tests.integration.survivors.test_pages_consents import _consents, _with_referral
from tests.support.factories import Factory


async def test_the_form_offers_a_date_and_the_shortcuts(client: AsyncTestClient, factory: Factory) -> None:
    case, _ = await _with_referral(client, factory)
    page = await client.get(f"/people/{case.survivor.id}/consents")
    assert 'type="date"' in page.text and 'name="until"' in page.text
    for days in (30, 90, 180, 365):
        assert f'data-until-days="{days}"' in page.text and f"{days} days" in page.text


async def test_a_date_picked_is_when_the_permission_ends(client: AsyncTestClient, factory: Factory) -> None:
    case, csrf = await _with_referral(client, factory)
    until = date.today() + timedelta(days=45)
    form = {"_csrf": csrf, "purpose": "share_with_partner", "partner": str(case.partner.id), "days": "30"}
    response = await client.post(
        f"/people/{case.survivor.id}/consents",
        data={**form, "fields": ["skills"], "until": until.isoformat()},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [consent] = await _consents(factory, case)
    assert consent.expires_at == datetime.combine(until, datetime.min.time(), tzinfo=UTC)


async def test_a_date_in_the_past_or_beyond_a_year_is_refused_by_field(
    client: AsyncTestClient, factory: Factory
) -> None:
    case, csrf = await _with_referral(client, factory)
    base = {"_csrf": csrf, "purpose": "share_with_partner", "partner": str(case.partner.id), "fields": ["skills"]}
    for until in (
        (date.today() - timedelta(days=1)).isoformat(),
        (date.today() + timedelta(days=400)).isoformat(),
        "soon",
    ):
        response = await client.post(
            f"/people/{case.survivor.id}/consents", data={**base, "until": until, "days": "30"}
        )
        assert response.status_code == 400, until
        assert 'id="e-until"' in response.text and "at most a year from now" in response.text
    assert await _consents(factory, case) == []
