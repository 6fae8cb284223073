"""A small case for referral and follow-up tests: an NGO with a counsellor, a coordinator and
a survivor (with her own account), a vetted partner with a user and a published listing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from providers.models import Opportunity
from providers.schedule import EMPTY_WEEK
from service.domain.accounts.models import Organisation, User
from service.domain.survivors.models import Survivor
from service.settings import Settings
from tests.support.factories import Factory, share_consent
from tests.support.listings import listing

CANARIES = {
    "display_name": "CANARY-NAME-7f3a",
    "contact": "CANARY-PHONE-19c2",
    "exact_location": "CANARY-STREET-55b1",
    "shelter": "CANARY-SHELTER-a0d4",
    "nationality": "CANARY-NATION-e8f0",
    "notes": "CANARY-NOTES-3c77",
}


@dataclass
class Case:
    ngo: Organisation
    counsellor: User
    coordinator: User
    survivor: Survivor
    survivor_user: User
    partner: Organisation
    partner_user: User
    job: Opportunity
    course: Opportunity


async def case_listing(factory: Factory, partner: Organisation, kind: str) -> Opportunity:
    """The case's published job or course: no timetable and no pay, as these tests have always had it."""
    return await listing(
        factory,
        partner.id,
        kind,
        title=f"A {kind}",
        lat=52.5,
        lon=13.4,
        schedule=list(EMPTY_WEEK),
        contract_type=None,
        pay_amount=None,
        pay_period=None,
        currency=None,
    )


async def make_case(factory: Factory, **survivor_fields: Any) -> Case:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    coordinator = await factory.user("coordinator", ngo)
    fields = {**CANARIES, "goals": {"monthly_income_target": 1500}, **survivor_fields}
    survivor = await factory.survivor(ngo, counsellor, **fields)
    survivor_user = await factory.user("survivor", ngo, survivor=survivor)
    partner = await factory.org("partner")
    partner_user = await factory.user("partner", partner)
    return Case(
        ngo=ngo,
        counsellor=counsellor,
        coordinator=coordinator,
        survivor=survivor,
        survivor_user=survivor_user,
        partner=partner,
        partner_user=partner_user,
        job=await case_listing(factory, partner, "job"),
        course=await case_listing(factory, partner, "course"),
    )


def with_worker(settings: Settings, **changes: Any) -> Settings:
    """The same settings with some worker fields changed."""
    return dataclasses.replace(settings, worker=dataclasses.replace(settings.worker, **changes))


async def as_user(client: AsyncTestClient, factory: Factory, user: User) -> dict[str, str]:
    """Log in on a fresh cookie jar; returns the CSRF header."""
    client.cookies.clear()
    return await factory.login(client, user)


async def shared_referral(client: AsyncTestClient, factory: Factory, case: Case, fields: list[str]) -> tuple[str, str]:
    """A referral to the job, interested and shared under a new consent; returns (referral, consent) ids."""
    csrf = await as_user(client, factory, case.counsellor)
    created = await client.post(
        f"/api/survivors/{case.survivor.id}/referrals", json={"opportunity_id": str(case.job.id)}, headers=csrf
    )
    assert created.status_code == 201, created.text
    referral = created.json()["id"]
    moved = await client.post(
        f"/api/referrals/{referral}/transition", json={"to": "interested", "reason": "she likes it"}, headers=csrf
    )
    assert moved.status_code == 200, moved.text
    consent = await share_consent(factory, case.survivor, case.partner, fields)
    shared = await client.post(f"/api/referrals/{referral}/share", json={"consent_id": str(consent.id)}, headers=csrf)
    assert shared.status_code == 200, shared.text
    client.cookies.clear()
    return referral, str(consent.id)
