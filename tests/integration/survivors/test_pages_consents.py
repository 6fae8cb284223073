"""Recording a permission from a page: her counsellor (with her) or she herself, through
`consents.grant`; wrong or tampered input is refused with a message and writes nothing."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.survivors.models import Consent
from service.kernel.audit import AuditEvent
from tests.support.cases import Case, make_case
from tests.support.factories import Factory
from tests.support.pages import sign_in


async def _with_referral(client: AsyncTestClient, factory: Factory) -> tuple[Case, str]:
    """A case whose survivor has a referral to the partner; returns the counsellor's CSRF token."""
    case = await make_case(factory)
    csrf = await sign_in(client, factory, case.counsellor)
    created = await client.post(
        f"/api/survivors/{case.survivor.id}/referrals",
        json={"opportunity_id": str(case.job.id)},
        headers={"x-csrf-token": csrf},
    )
    assert created.status_code == 201, created.text
    return case, csrf


async def _consents(factory: Factory, case: Case) -> list[Consent]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(Consent).where(Consent.survivor_id == case.survivor.id))).all())


async def test_counsellor_records_a_sharing_permission_she_gives(client: AsyncTestClient, factory: Factory) -> None:
    case, csrf = await _with_referral(client, factory)
    form_page = await client.get(f"/people/{case.survivor.id}/consents")
    assert case.partner.name in form_page.text  # the partner of her referral is offered
    form = {"_csrf": csrf, "purpose": "share_with_partner", "partner": str(case.partner.id), "days": "90"}
    response = await client.post(
        f"/people/{case.survivor.id}/consents", data={**form, "fields": ["skills", "languages"]}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{case.survivor.id}/consents"
    [consent] = await _consents(factory, case)
    assert (consent.partner_id, sorted(consent.fields), consent.via_survivor) == (
        case.partner.id,
        ["languages", "skills"],
        False,
    )
    assert consent.expires_at is not None
    assert 89 <= (consent.expires_at - consent.granted_at).days <= 90
    async with factory.alchemy.get_session() as db:
        actions = set(
            (await db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(consent.id)))).all()
        )
    assert "consent.grant" in actions


async def test_every_missing_choice_is_named_and_nothing_is_written(client: AsyncTestClient, factory: Factory) -> None:
    case, csrf = await _with_referral(client, factory)
    form = {"_csrf": csrf, "purpose": "share_with_partner", "partner": "", "days": "7"}
    response = await client.post(f"/people/{case.survivor.id}/consents", data=form)
    assert response.status_code == 400
    for message in (
        "Please choose the organisation.",
        "Please tick at least one detail to share.",
        "Please choose how long the permission lasts.",
    ):
        assert message in response.text
    assert await _consents(factory, case) == []


async def test_identity_and_unknown_partners_cannot_be_slipped_in(client: AsyncTestClient, factory: Factory) -> None:
    case, csrf = await _with_referral(client, factory)
    stranger = await factory.org("partner", name="Not her referral")
    base = {"_csrf": csrf, "purpose": "share_with_partner", "days": "30"}
    tampered = await client.post(
        f"/people/{case.survivor.id}/consents",
        data={**base, "partner": str(case.partner.id), "fields": ["skills", "display_name"]},
    )
    assert tampered.status_code == 400 and "Please tick at least one detail to share." in tampered.text
    elsewhere = await client.post(
        f"/people/{case.survivor.id}/consents", data={**base, "partner": str(stranger.id), "fields": ["skills"]}
    )
    assert elsewhere.status_code == 400 and "Please choose the organisation." in elsewhere.text
    assert await _consents(factory, case) == []


async def test_another_caseload_gets_the_not_found_page(client: AsyncTestClient, factory: Factory) -> None:
    case, _ = await _with_referral(client, factory)
    client.cookies.clear()
    stranger = await factory.user("counsellor", await factory.org())
    csrf = await sign_in(client, factory, stranger)
    response = await client.post(
        f"/people/{case.survivor.id}/consents", data={"_csrf": csrf, "purpose": "reporting"}, follow_redirects=False
    )
    assert response.status_code == 404
    assert await _consents(factory, case) == []


async def test_she_gives_a_permission_herself_from_her_page(client: AsyncTestClient, factory: Factory) -> None:
    case, _ = await _with_referral(client, factory)
    client.cookies.clear()
    csrf = await sign_in(client, factory, case.survivor_user)
    mine = await client.get("/my")
    assert "Give a new permission" in mine.text and case.partner.name in mine.text
    response = await client.post("/my/consents", data={"_csrf": csrf, "purpose": "reporting"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/my"
    [consent] = await _consents(factory, case)
    assert (consent.purpose, consent.partner_id, consent.via_survivor) == ("reporting", None, True)
    refused = await client.post("/my/consents", data={"_csrf": csrf, "purpose": "everything"})
    assert refused.status_code == 400 and "Please choose what this permission is for." in refused.text
