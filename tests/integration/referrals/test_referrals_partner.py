"""The partner's view (SECURITY S4, S6, S7): a pseudonym and only the consented fields;
withdrawal or expiry cuts access on the next request and cancels pending partner messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from service.domain.survivors.models import Consent
from service.messaging.models import OutboxMessage
from service.messaging.outbox import cancel_partner_messages
from service.settings import Settings
from service.worker import outbox_tick
from tests.support.cases import CANARIES, as_user, make_case, shared_referral, with_worker
from tests.support.factories import Factory
from tests.support.smtp_sink import smtp_sink

ALL_SHAREABLE = ["skills", "languages", "education", "work_history", "availability", "goals", "region", "birth_year"]
NEVER = ("display_name", "contact", "exact_location", "shelter", "nationality", "notes")


async def test_partner_sees_a_pseudonym_and_only_the_chosen_fields(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory, skills=[{"uri": "http://data.europa.eu/esco/skill/abc-1", "level": 3}])
    referral, _ = await shared_referral(client, factory, case, ["skills", "region"])
    await as_user(client, factory, case.partner_user)
    page = (await client.get("/api/partner/candidates")).json()
    assert page["total"] == 1
    [candidate] = page["items"]
    assert candidate["referral_id"] == referral
    assert candidate["candidate"].startswith("Candidate ") and len(candidate["candidate"]) == len("Candidate 7F3A9C")
    assert set(candidate["fields"]) == {"skills", "region"}
    assert candidate["fields"]["region"] == "DE30"
    detail = (await client.get(f"/api/partner/candidates/{referral}")).json()
    assert detail == candidate  # the same pseudonym on every request


async def test_no_canary_reaches_a_partner_in_any_byte(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, consent = await shared_referral(client, factory, case, ALL_SHAREABLE)
    await as_user(client, factory, case.partner_user)
    bodies = [
        (await client.get("/api/partner/candidates")).content,
        (await client.get(f"/api/partner/candidates/{referral}")).content,
        (await client.get("/api/partner/candidates/00000000-0000-4000-8000-000000000000")).content,
        (await client.get(f"/api/survivors/{case.survivor.id}/referrals")).content,
        (await client.get(f"/api/survivors/{case.survivor.id}/milestones")).content,
        (await client.get("/api/notices")).content,
    ]
    async with factory.alchemy.get_session() as db:
        await db.execute(update(Consent).where(Consent.id == consent).values(withdrawn_at=datetime.now(UTC)))
        await db.commit()
    bodies.append((await client.get(f"/api/partner/candidates/{referral}")).content)
    bodies.append((await client.get("/api/partner/candidates")).content)
    joined = b"\n".join(bodies)
    for canary in CANARIES.values():
        assert canary.encode() not in joined
    assert str(case.survivor.id).encode() not in joined


async def test_withdrawal_cuts_access_on_the_next_request(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, consent = await shared_referral(client, factory, case, ["skills"])
    await as_user(client, factory, case.partner_user)
    assert (await client.get(f"/api/partner/candidates/{referral}")).status_code == 200
    own = await as_user(client, factory, case.survivor_user)
    assert (await client.post(f"/api/consents/{consent}/withdraw", headers=own)).status_code == 200
    await as_user(client, factory, case.partner_user)
    gone = await client.get(f"/api/partner/candidates/{referral}")
    missing = await client.get("/api/partner/candidates/00000000-0000-4000-8000-000000000000")
    assert gone.status_code == missing.status_code == 404
    assert gone.json() == missing.json()
    assert (await client.get("/api/partner/candidates")).json() == {"items": [], "total": 0}


async def test_expiry_cuts_access_like_withdrawal(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, consent = await shared_referral(client, factory, case, ["skills"])
    async with factory.alchemy.get_session() as db:
        await db.execute(
            update(Consent).where(Consent.id == consent).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await db.commit()
    await as_user(client, factory, case.partner_user)
    assert (await client.get(f"/api/partner/candidates/{referral}")).status_code == 404


async def test_another_partner_never_sees_the_candidate(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    referral, _ = await shared_referral(client, factory, case, ["skills"])
    other = await factory.user("partner", await factory.org("partner"))
    await as_user(client, factory, other)
    assert (await client.get(f"/api/partner/candidates/{referral}")).status_code == 404
    assert (await client.get("/api/partner/candidates")).json()["total"] == 0


async def test_withdrawal_cancels_pending_partner_messages(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await make_case(factory)
    _, _consent = await shared_referral(client, factory, case, ["skills"])
    async with factory.alchemy.get_session() as db:
        pending = (
            await db.scalars(select(OutboxMessage).where(OutboxMessage.recipient_org_id == case.partner.id))
        ).all()
        assert {row.status for row in pending} == {"pending"} and len(pending) == 2
        assert await cancel_partner_messages(db, case.survivor.id, None) == 0  # a consent without a partner
        assert await cancel_partner_messages(db, case.survivor.id, case.partner.id) == 2
        await db.commit()
        statuses = (
            await db.scalars(select(OutboxMessage.status).where(OutboxMessage.recipient_org_id == case.partner.id))
        ).all()
    assert set(statuses) == {"cancelled"}


async def test_the_sender_checks_consent_even_without_the_cancel_hook(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await make_case(factory)
    _, consent = await shared_referral(client, factory, case, ["skills"])
    own = await as_user(client, factory, case.survivor_user)
    assert (await client.post(f"/api/consents/{consent}/withdraw", headers=own)).status_code == 200
    with smtp_sink() as sink:
        await outbox_tick(with_worker(settings, smtp_host="127.0.0.1", smtp_port=sink.port), factory.alchemy)
    assert sink.messages == []
    async with factory.alchemy.get_session() as db:
        statuses = (
            await db.scalars(select(OutboxMessage.status).where(OutboxMessage.recipient_org_id == case.partner.id))
        ).all()
    assert set(statuses) == {"cancelled"}


async def test_partner_message_is_sent_while_consent_holds(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await make_case(factory)
    await shared_referral(client, factory, case, ["skills"])
    with smtp_sink() as sink:
        await outbox_tick(with_worker(settings, smtp_host="127.0.0.1", smtp_port=sink.port), factory.alchemy)
    assert [str(m["To"]) for m in sink.messages] == [case.partner_user.email]
    for canary in CANARIES.values():
        assert canary not in sink.messages[0].as_string()


async def test_withdrawing_through_the_api_cancels_pending_partner_messages_at_once(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await make_case(factory)
    _, consent = await shared_referral(client, factory, case, ["skills"])
    own = await as_user(client, factory, case.survivor_user)
    assert (await client.post(f"/api/consents/{consent}/withdraw", headers=own)).status_code == 200
    async with factory.alchemy.get_session() as db:
        statuses = (
            await db.scalars(select(OutboxMessage.status).where(OutboxMessage.recipient_org_id == case.partner.id))
        ).all()
    assert statuses and set(statuses) == {"cancelled"}


async def test_her_identity_cannot_be_put_in_a_sharing_consent(client: AsyncTestClient, factory: Factory) -> None:
    """Name, contact, location, shelter, nationality and notes are never shareable, even by choice."""
    case = await make_case(factory)
    csrf = await as_user(client, factory, case.counsellor)
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    for field in NEVER:
        refused = await client.post(
            f"/api/survivors/{case.survivor.id}/consents",
            json={
                "purpose": "share_with_partner",
                "partner_id": str(case.partner.id),
                "fields": ["skills", field],
                "expires_at": expires,
            },
            headers=csrf,
        )
        assert refused.status_code == 400, (field, refused.text)
        assert field in refused.json()["detail"]
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(Consent).where(Consent.survivor_id == case.survivor.id))).all() == []
