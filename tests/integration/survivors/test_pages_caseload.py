"""The caseload that scales: search by name in scope, filters, sort, paging with the filters,
what she said (signals with an in-app notice) and follow-ups coming up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import select, text

from service.domain.followups.models import FollowUp
from service.messaging.models import OutboxMessage
from service.web.paging import PAGE_SIZE
from tests.support.factories import Factory, share_consent
from tests.support.pages import sign_in


async def _followup(factory: Factory, survivor_id: object, due_at: datetime, kind: str = "plan_30d") -> None:
    async with factory.alchemy.get_session() as db:
        db.add(FollowUp(survivor_id=survivor_id, kind=kind, due_at=due_at, idempotency_key=f"t:{survivor_id}:{due_at}"))
        await db.commit()


async def test_search_by_name_finds_within_her_scope_only(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    mine, other = await factory.user("counsellor", ngo), await factory.user("counsellor", ngo)
    await factory.survivor(ngo, mine, display_name="Ioana Popescu")
    await factory.survivor(ngo, mine, display_name="Grace Okafor")
    await factory.survivor(ngo, other, display_name="Ioana Someone Else")
    await factory.survivor(await factory.org(), None, display_name="Ioana Abroad")
    await sign_in(client, factory, mine)
    found = await client.get("/caseload", params={"q": "ioána"})
    assert found.status_code == 200
    assert "Ioana Popescu" in found.text and "1 person" in found.text
    assert "Grace Okafor" not in found.text and "Someone Else" not in found.text and "Abroad" not in found.text
    async with factory.alchemy.get_session() as db:
        # Names stay encrypted at rest: the search decrypts in the service, not in SQL.
        stored = (await db.execute(text("SELECT display_name FROM survivor"))).scalars().all()
        assert len(stored) == 4 and not any("Ioana" in str(value) for value in stored)


async def test_coordinator_filters_by_counsellor_and_status_and_sorts_by_name(
    client: AsyncTestClient, factory: Factory
) -> None:
    ngo = await factory.org()
    ana, bea = await factory.user("counsellor", ngo), await factory.user("counsellor", ngo)
    await factory.survivor(ngo, ana, display_name="Zora")
    await factory.survivor(ngo, ana, display_name="Adaeze", readiness="not_now")
    await factory.survivor(ngo, bea, display_name="Mirela")
    await factory.survivor(ngo, None, display_name="Unassigned Uma")
    await factory.survivor(ngo, ana, display_name="Closed Clara", closed_at=datetime.now(UTC))
    await sign_in(client, factory, await factory.user("coordinator", ngo))
    by_name = await client.get("/caseload", params={"sort": "name"})
    order = [name for name in ("Adaeze", "Mirela", "Unassigned Uma", "Zora") if name in by_name.text]
    assert order == ["Adaeze", "Mirela", "Unassigned Uma", "Zora"]
    assert by_name.text.index("Adaeze") < by_name.text.index("Mirela") < by_name.text.index("Zora")
    assert "Closed Clara" not in by_name.text
    anas = await client.get("/caseload", params={"counsellor": str(ana.id)})
    assert "Zora" in anas.text and "Mirela" not in anas.text and "Unassigned Uma" not in anas.text
    paused = await client.get("/caseload", params={"status": "paused"})
    assert "Adaeze" in paused.text and "Zora" not in paused.text
    closed = await client.get("/caseload", params={"status": "closed"})
    assert "Closed Clara" in closed.text and "Zora" not in closed.text
    nobody = await client.get("/caseload", params={"counsellor": "none"})
    assert "Unassigned Uma" in nobody.text and "Zora" not in nobody.text


async def test_filters_that_cannot_be_read_answer_400_by_field(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    await factory.survivor(ngo, counsellor, display_name="Hidden Hope")
    await sign_in(client, factory, counsellor)
    bad = await client.get("/caseload", params={"status": "lost", "sort": "shoe", "counsellor": str(counsellor.id)})
    assert bad.status_code == 400
    for field in ("status", "sort", "counsellor"):
        assert f'href="#f-{field}"' in bad.text, field
    assert "Hidden Hope" not in bad.text.split("</form>", 1)[1].split('id="followups-heading"')[0]


async def test_paging_keeps_the_search(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(PAGE_SIZE + 2):
        await factory.survivor(
            ngo, counsellor, display_name=f"Elena {index:03d}", created_at=start + timedelta(hours=index)
        )
    await factory.survivor(ngo, counsellor, display_name="Fatou")
    await sign_in(client, factory, counsellor)
    first = await client.get("/caseload", params={"q": "elena"})
    assert "52 people" in first.text and 'href="/caseload?q=elena&amp;page=2"' in first.text
    second = await client.get("/caseload", params={"q": "elena", "page": "2"})
    assert "Elena 001" in second.text and "Elena 000" in second.text and "Fatou" not in second.text


async def test_follow_ups_due_and_coming_up_are_in_view(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    soon = await factory.survivor(ngo, counsellor, display_name="Soon Sabina")
    later = await factory.survivor(ngo, counsellor, display_name="Later Larisa")
    due = await factory.survivor(ngo, counsellor, display_name="Due Dora")
    now = datetime.now(UTC)
    await _followup(factory, soon.id, now + timedelta(days=3))
    await _followup(factory, later.id, now + timedelta(days=40))
    await _followup(factory, due.id, now - timedelta(days=1))
    await sign_in(client, factory, counsellor)
    page = await client.get("/caseload")
    this_week = page.text.split('id="this-week-heading"')[1].split("</table>")[0]
    coming_later = page.text.split('id="later-heading"')[1].split("</table>")[0]
    assert "Soon Sabina" in this_week and "Later Larisa" not in this_week
    assert "Later Larisa" in coming_later
    assert "No follow-ups yet" not in page.text
    only_due = await client.get("/caseload", params={"due": "1"})
    listed = only_due.text.split("<tbody>")[1].split("</tbody>")[0]
    assert "Due Dora" in listed and "Soon Sabina" not in listed
    profile = await client.get(f"/people/{later.id}")
    assert "Coming up later" in profile.text and "Soon Sabina" not in profile.text


async def test_what_she_says_reaches_her_counsellor_on_the_caseload(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, display_name="Blessing")
    account = await factory.user("survivor", ngo, survivor=survivor)
    consent = await share_consent(factory, survivor, await factory.org("partner"))
    her_csrf = await sign_in(client, factory, account)
    assert (await client.post("/my/pace", data={"_csrf": her_csrf, "readiness": "not_now"})).status_code == 200
    assert (await client.post(f"/consents/{consent.id}/withdraw", data={"_csrf": her_csrf})).status_code == 200
    await client.post("/logout", data={"_csrf": her_csrf})
    async with factory.alchemy.get_session() as db:
        notices = (
            await db.scalars(select(OutboxMessage).where(OutboxMessage.recipient_user_id == counsellor.id))
        ).all()
        assert sorted(row.template for row in notices) == ["signal_paused", "signal_withdrawn"]
        assert {row.channel for row in notices} == {"in_app"}
    csrf = await sign_in(client, factory, counsellor)
    page = await client.get("/caseload")
    assert "She asked for a pause" in page.text and "She withdrew a permission" in page.text
    assert "News from her" in page.text
    with_news = await client.get("/caseload", params={"alerts": "1"})
    assert "Blessing" in with_news.text.split("<tbody>")[1]
    first = sorted(notices, key=lambda row: row.template)[0]
    seen = await client.post(
        f"/signals/{first.id}/read", data={"_csrf": csrf, "next": "/caseload"}, follow_redirects=False
    )
    assert seen.status_code == 303 and seen.headers["location"] == "/caseload"
    assert "She asked for a pause" not in (await client.get("/caseload")).text
    other = await factory.user("counsellor", ngo)
    await client.post("/logout", data={"_csrf": csrf})
    other_csrf = await sign_in(client, factory, other)
    last = sorted(notices, key=lambda row: row.template)[1]
    assert (await client.post(f"/signals/{last.id}/read", data={"_csrf": other_csrf})).status_code == 404
