"""The outbox end to end with a real SMTP server: reminders and discreet check-ins arrive once,
with neutral wording and sender; quiet hours hold survivor messages back; in-app notices show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.messaging.mailer import message_id
from service.messaging.models import OutboxMessage
from service.settings import Settings
from service.worker import followups_tick, outbox_tick
from tests.support.cases import CANARIES, as_user, make_case, with_worker
from tests.support.due_followups import due_followups
from tests.support.factories import Factory
from tests.support.smtp_sink import smtp_sink


def _mail_settings(settings: Settings, port: int, quiet_hours: str = "") -> Settings:
    return with_worker(settings, smtp_host="127.0.0.1", smtp_port=port, quiet_hours=quiet_hours)


async def test_due_followup_reaches_counsellor_and_survivor_once_by_email(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await make_case(factory)
    await due_followups(factory, case.survivor, 1)
    with smtp_sink() as sink:
        configured = _mail_settings(settings, sink.port)
        await followups_tick(configured, factory.alchemy)
        await outbox_tick(configured, factory.alchemy)
        await outbox_tick(configured, factory.alchemy)  # a second pass sends nothing again
    recipients = sorted(str(m["To"]) for m in sink.messages)
    assert recipients == sorted([case.counsellor.email, case.survivor_user.email])
    assert len(set(sink.ids())) == len(sink.ids()) == 2
    async with factory.alchemy.get_session() as db:
        rows = (await db.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email"))).all()
    assert {message_id(row.idempotency_key, configured.worker.mail_from) for row in rows} == set(sink.ids())
    assert {row.status for row in rows} == {"sent"}
    to_her = next(m for m in sink.messages if m["To"] == case.survivor_user.email)
    raw = to_her.as_string()
    assert to_her["From"] == configured.worker.mail_from
    for forbidden in (*CANARIES.values(), case.ngo.name, case.partner.name, "Onward"):
        assert forbidden not in raw


async def test_in_app_notices_show_to_their_recipient_only(
    client: AsyncTestClient, factory: Factory, settings: Settings
) -> None:
    case = await make_case(factory)
    await due_followups(factory, case.survivor, 1)
    configured = with_worker(settings, quiet_hours="")  # no relay: email rows wait, in-app ones go
    await followups_tick(configured, factory.alchemy)
    await outbox_tick(configured, factory.alchemy)
    await as_user(client, factory, case.survivor_user)
    notices = (await client.get("/api/notices")).json()
    assert [n["subject"] for n in notices] == ["A short message for you"]
    csrf = await as_user(client, factory, case.counsellor)
    staff_notices = (await client.get("/api/notices")).json()
    assert [n["subject"] for n in staff_notices] == ["A check-in is due"]
    other = await client.post(f"/api/notices/{notices[0]['id']}/read", headers=csrf)
    assert other.status_code == 404
    async with factory.alchemy.get_session() as db:
        waiting = (await db.scalars(select(OutboxMessage.status).where(OutboxMessage.channel == "email"))).all()
    assert set(waiting) == {"pending"}


async def test_quiet_hours_hold_back_messages_to_her_but_not_to_staff(factory: Factory, settings: Settings) -> None:
    case = await make_case(factory)
    await due_followups(factory, case.survivor, 1)
    hour = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).hour
    with smtp_sink() as sink:
        configured = _mail_settings(settings, sink.port, quiet_hours=f"{hour}-{(hour + 2) % 24}")
        await followups_tick(configured, factory.alchemy)
        await outbox_tick(configured, factory.alchemy)
    assert [str(m["To"]) for m in sink.messages] == [case.counsellor.email]
    async with factory.alchemy.get_session() as db:
        held = (await db.scalars(select(OutboxMessage).where(OutboxMessage.discreet.is_(True)))).all()
    assert held and all(row.status == "pending" for row in held)
    assert all(row.not_before > datetime.now(UTC) + timedelta(minutes=30) for row in held)


async def test_an_unreachable_relay_keeps_the_message_for_a_later_attempt(factory: Factory, settings: Settings) -> None:
    case = await make_case(factory)
    await due_followups(factory, case.survivor, 1)
    from tests.support.servers import free_port

    configured = _mail_settings(settings, free_port())  # nothing listens there
    await followups_tick(configured, factory.alchemy)
    await outbox_tick(configured, factory.alchemy)
    async with factory.alchemy.get_session() as db:
        emails = (await db.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email"))).all()
    assert {(row.status, row.attempts) for row in emails} == {("pending", 1)}
    assert all(row.last_error and row.not_before > datetime.now(UTC) for row in emails)
