"""A partner reports what happened with a candidate; her counsellor confirms it with her.

The partner reaches the form only under the candidate's live consent and sees only the
pseudonym, the consented fields and her own organisation's reports; after the consent ends
both the page and the form answer like an unknown id, and nothing is written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from service.domain.referrals.models import Referral
from service.domain.referrals.outcomes import PartnerOutcome
from service.domain.survivors.models import Consent
from tests.support.cases import CANARIES, make_case, shared_referral
from tests.support.factories import Factory
from tests.support.pages import sign_in

MISSING = "00000000-0000-4000-8000-000000000000"


async def outcomes_of(factory: Factory, referral: str) -> list[PartnerOutcome]:
    async with factory.alchemy.get_session() as db:
        rows = await db.scalars(select(PartnerOutcome).where(PartnerOutcome.referral_id == referral))
        return list(rows.all())


async def status_of(factory: Factory, referral: str) -> str:
    async with factory.alchemy.get_session() as db:
        return str(await db.scalar(select(Referral.status).where(Referral.id == referral)))


async def test_an_interview_reported_by_the_partner_is_confirmed_by_the_counsellor(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    csrf = await sign_in(client, factory, case.partner_user)
    page = await client.get(f"/candidates/{referral}")
    assert page.status_code == 200 and "Tell her counsellor what happened" in page.text
    sent = await client.post(
        f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "invited"}, follow_redirects=False
    )
    assert sent.status_code == 303
    assert "Invited to an interview" in (await client.get(f"/candidates/{referral}")).text
    assert await status_of(factory, referral) == "shared"  # nothing changes until she confirms
    client.cookies.clear()
    csrf = await sign_in(client, factory, case.counsellor)
    people = await client.get(f"/people/{case.survivor.id}/referrals")
    [report] = await outcomes_of(factory, referral)
    assert f"/referrals/{referral}/outcomes/{report.id}/confirm" in people.text
    assert "reports: Invited to an interview" in people.text
    confirmed = await client.post(
        f"/referrals/{referral}/outcomes/{report.id}/confirm", data={"_csrf": csrf}, follow_redirects=False
    )
    assert confirmed.status_code == 303
    assert await status_of(factory, referral) == "applied"
    [report] = await outcomes_of(factory, referral)
    assert report.confirmed_step == "applied" and report.confirmed_by_id == case.counsellor.id
    again = await client.post(f"/referrals/{referral}/outcomes/{report.id}/confirm", data={"_csrf": csrf})
    assert again.status_code == 409  # a report is confirmed once
    assert "Step taken: Applied." in (await client.get(f"/people/{case.survivor.id}/referrals")).text


async def test_a_start_confirmed_places_her_and_not_selected_needs_a_listed_reason(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    csrf = await sign_in(client, factory, case.partner_user)
    wrong = await client.post(
        f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "not_selected", "reason": "too old"}
    )
    assert wrong.status_code == 400 and 'id="e-reason"' in wrong.text
    nothing = await client.post(f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "hired!"})
    assert nothing.status_code == 400 and 'id="e-outcome"' in nothing.text
    assert await outcomes_of(factory, referral) == []
    await client.post(f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "started"})
    client.cookies.clear()
    csrf = await sign_in(client, factory, case.counsellor)
    [report] = await outcomes_of(factory, referral)
    await client.post(f"/referrals/{referral}/outcomes/{report.id}/confirm", data={"_csrf": csrf})
    assert await status_of(factory, referral) == "placed"


@pytest.mark.parametrize("how", ["withdrawn", "expired"])
async def test_after_her_consent_ends_the_partner_can_neither_see_nor_report(
    client: AsyncTestClient, factory: Factory, how: str
) -> None:
    case = await make_case(factory)
    referral, consent = await shared_referral(client, factory, case, ["skills"])
    csrf = await sign_in(client, factory, case.partner_user)
    await client.post(f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "invited"})
    now = datetime.now(UTC)
    ended = {"withdrawn_at": now} if how == "withdrawn" else {"expires_at": now - timedelta(seconds=1)}
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Consent).where(Consent.id == consent).values(**ended))
        await db.commit()
    for path in (referral, MISSING):
        refused = await client.post(f"/candidates/{path}/outcome", data={"_csrf": csrf, "outcome": "offered"})
        assert refused.status_code == 404
        assert "Invited to an interview" not in refused.text
    assert (await client.get(f"/candidates/{referral}")).status_code == 404
    assert [row.outcome for row in await outcomes_of(factory, referral)] == ["invited"]


async def test_another_partner_or_a_counsellor_elsewhere_cannot_touch_the_report(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    csrf = await sign_in(client, factory, case.partner_user)
    await client.post(f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "offered"})
    [report] = await outcomes_of(factory, referral)
    client.cookies.clear()
    other_partner = await factory.user("partner", await factory.org("partner"))
    csrf = await sign_in(client, factory, other_partner)
    refused = await client.post(f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "started"})
    assert refused.status_code == 404
    client.cookies.clear()
    other = await make_case(factory)
    csrf = await sign_in(client, factory, other.counsellor)
    denied = await client.post(f"/referrals/{referral}/outcomes/{report.id}/confirm", data={"_csrf": csrf})
    assert denied.status_code == 404
    assert (await outcomes_of(factory, referral))[0].confirmed_at is None
    async with factory.alchemy.get_session() as db:
        count = await db.scalar(select(func.count()).select_from(PartnerOutcome))
    assert count == 1


async def test_the_candidate_page_never_carries_her_private_details(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    csrf = await sign_in(client, factory, case.partner_user)
    await client.post(f"/candidates/{referral}/outcome", data={"_csrf": csrf, "outcome": "invited"})
    page = await client.get(f"/candidates/{referral}")
    for canary in CANARIES:
        assert canary not in page.text
