"""Pages of the `followups` area: the caseload's follow-ups and alerts, the answer form, the
milestone timeline, and coordinators' allocation rounds."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from service.domain.followups.models import FollowUp
from service.domain.matches.models import AllocationRound
from service.domain.milestones.models import Achievement
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Survivor
from service.kernel.audit import AuditEvent
from service.messaging.models import OutboxMessage
from service.web import followups_pages
from tests.support.cases import make_case
from tests.support.due_followups import due_followups
from tests.support.factories import Factory
from tests.support.followups import delivered_alert, flag
from tests.support.listings import listing, profile
from tests.support.pages import sign_in

MISSING = "00000000-0000-4000-8000-000000000000"


async def _stored(factory: Factory, model: type, row_id: object) -> object:
    async with factory.alchemy.get_session() as db:
        return await db.get(model, row_id)


async def _actions(factory: Factory, actor_id: UUID) -> list[tuple[str, str]]:
    async with factory.alchemy.get_session() as db:
        rows = await db.execute(select(AuditEvent.action, AuditEvent.outcome).where(AuditEvent.actor_id == actor_id))
        return [(action, outcome) for action, outcome in rows.all()]


# --- the caseload panel ---------------------------------------------------------------------------


async def test_caseload_lists_due_and_overdue_follow_ups_most_urgent_first(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory, display_name="Ana Due")
    sibling = await factory.survivor(case.ngo, await factory.user("counsellor", case.ngo), display_name="Bea Other")
    [due] = await due_followups(factory, case.survivor, 1)
    [overdue] = await due_followups(factory, case.survivor, 1, overdue_by=timedelta(days=20))
    [theirs] = await due_followups(factory, sibling, 1)
    await sign_in(client, factory, case.counsellor)
    page = (await client.get("/caseload")).text
    assert page.index(f"/followups/{overdue.id}") < page.index(f"/followups/{due.id}")
    assert "Overdue" in page and "Check-in 7 days after the start" in page and "Ana Due" in page
    assert str(theirs.id) not in page and "Bea Other" not in page
    assert "No follow-ups yet" not in page
    assert ("followup.list", "allowed") in await _actions(factory, case.counsellor.id)


async def test_a_coordinator_sees_her_organisations_follow_ups(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    sibling = await factory.survivor(case.ngo, await factory.user("counsellor", case.ngo), display_name="Bea Other")
    [theirs] = await due_followups(factory, sibling, 1)
    await sign_in(client, factory, case.coordinator)
    assert f"/followups/{theirs.id}" in (await client.get("/caseload")).text


async def test_open_alerts_show_their_reason_and_can_be_marked_read(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory, display_name="Ana Alert")
    [followup] = await due_followups(factory, case.survivor, 1)
    await flag(factory, followup, "new_debt")
    notice = await delivered_alert(factory, followup, case.counsellor.id)
    csrf = await sign_in(client, factory, case.counsellor)
    page = (await client.get("/caseload")).text
    assert "A check-in needs attention" in page and "New debt" in page
    assert f'action="/notices/{notice.id}/read"' in page
    marked = await client.post(f"/notices/{notice.id}/read", data={"_csrf": csrf}, follow_redirects=False)
    assert marked.status_code == 303 and marked.headers["location"] == "/caseload"
    stored = await _stored(factory, OutboxMessage, notice.id)
    assert isinstance(stored, OutboxMessage) and stored.read_at is not None
    assert f"/notices/{notice.id}/read" not in (await client.get("/caseload")).text


async def test_someone_elses_alert_cannot_be_marked_read(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    [followup] = await due_followups(factory, case.survivor, 1)
    notice = await delivered_alert(factory, followup, case.coordinator.id)
    csrf = await sign_in(client, factory, case.counsellor)
    foreign = await client.post(f"/notices/{notice.id}/read", data={"_csrf": csrf})
    missing = await client.post(f"/notices/{MISSING}/read", data={"_csrf": csrf})
    assert foreign.status_code == missing.status_code == 404
    stored = await _stored(factory, OutboxMessage, notice.id)
    assert isinstance(stored, OutboxMessage) and stored.read_at is None


async def test_an_alert_about_someone_out_of_scope_names_nobody(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory, display_name="Ana Moved")
    [followup] = await due_followups(factory, case.survivor, 1)
    notice = await delivered_alert(factory, followup, case.counsellor.id, template="missed")
    async with factory.alchemy.get_session() as db:
        row = await db.get_one(Survivor, case.survivor.id)
        row.counsellor_id = None  # moved to another caseload
        await db.commit()
    await sign_in(client, factory, case.counsellor)
    page = (await client.get("/caseload")).text
    assert "Check-ins without an answer" in page and f"/notices/{notice.id}/read" in page
    assert "Ana Moved" not in page and str(followup.id) not in page


# --- the answer form --------------------------------------------------------------------------------


async def test_an_answer_is_recorded_through_the_service_and_milestones_follow(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    [followup] = await due_followups(factory, case.survivor, 1)
    csrf = await sign_in(client, factory, case.counsellor)
    form = (await client.get(f"/followups/{followup.id}")).text
    assert 'name="risk_signals"' in form and case.survivor.display_name in form
    answer = {
        "_csrf": csrf,
        "still_there": "yes",
        "contract": "formal",
        "hours_per_week": "30,5",
        "monthly_income": "1600",
        "problems": "Long commute.",
    }
    response = await client.post(f"/followups/{followup.id}/answer", data=answer, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/followups/{followup.id}"
    stored = await _stored(factory, FollowUp, followup.id)
    assert isinstance(stored, FollowUp) and stored.answered_at is not None
    assert stored.answers == {"still_there": True, "contract": "formal", "hours_per_week": 30.5, "monthly_income": 1600}
    assert stored.problems == "Long commute." and stored.risk_flags == []
    async with factory.alchemy.get_session() as db:
        reached = set((await db.scalars(select(Achievement.milestone))).all())
    assert reached == {"first_formal_contract", "income_covers_needs"}
    shown = (await client.get(f"/followups/{followup.id}")).text
    assert "Answered on" in shown and 'name="risk_signals"' not in shown
    assert ("followup.answer", "allowed") in await _actions(factory, case.counsellor.id)


async def test_a_ticked_warning_sign_alerts_counsellor_and_coordinators(
    client: AsyncTestClient, factory: Factory
) -> None:
    case = await make_case(factory)
    [followup] = await due_followups(factory, case.survivor, 1)
    csrf = await sign_in(client, factory, case.counsellor)
    answer = {"_csrf": csrf, "still_there": "unknown", "risk_signals": "former_exploiter_contact"}
    response = await client.post(f"/followups/{followup.id}/answer", data=answer, follow_redirects=False)
    assert response.status_code == 303
    async with factory.alchemy.get_session() as db:
        recipients = set(
            (await db.scalars(select(OutboxMessage.recipient_user_id).where(OutboxMessage.template == "alert"))).all()
        )
    assert recipients == {case.counsellor.id, case.coordinator.id}
    stored = await _stored(factory, FollowUp, followup.id)
    assert isinstance(stored, FollowUp) and stored.risk_flags == ["former_exploiter_contact"]


async def test_a_wrong_answer_names_each_field_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    [followup] = await due_followups(factory, case.survivor, 1)
    csrf = await sign_in(client, factory, case.counsellor)
    answer = {
        "_csrf": csrf,
        "still_there": "perhaps",
        "contract": "handshake",
        "hours_per_week": "lots",
        "monthly_income": "-5",
        "risk_signals": "bad_luck",
    }
    response = await client.post(f"/followups/{followup.id}/answer", data=answer)
    assert response.status_code == 400
    for name in ("still_there", "contract", "hours_per_week", "monthly_income", "risk_signals"):
        assert f'id="e-{name}"' in response.text, name
    assert 'value="lots"' in response.text
    stored = await _stored(factory, FollowUp, followup.id)
    assert isinstance(stored, FollowUp) and stored.answered_at is None and stored.answers == {}


async def test_answering_twice_says_so_and_changes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    [followup] = await due_followups(factory, case.survivor, 1)
    csrf = await sign_in(client, factory, case.counsellor)
    first = {"_csrf": csrf, "still_there": "yes", "contract": "formal"}
    assert (await client.post(f"/followups/{followup.id}/answer", data=first)).status_code == 200
    second = {"_csrf": csrf, "still_there": "no"}
    again = await client.post(f"/followups/{followup.id}/answer", data=second)
    assert again.status_code == 409 and "already been answered" in again.text
    stored = await _stored(factory, FollowUp, followup.id)
    assert isinstance(stored, FollowUp) and stored.answers["still_there"] is True


async def test_a_follow_up_of_another_caseload_looks_missing(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    [followup] = await due_followups(factory, case.survivor, 1)
    outsider = await factory.user("counsellor", case.ngo)
    csrf = await sign_in(client, factory, outsider)
    foreign = await client.get(f"/followups/{followup.id}")
    missing = await client.get(f"/followups/{MISSING}")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.text.replace(str(followup.id), "ID") == missing.text.replace(MISSING, "ID")
    posted = await client.post(f"/followups/{followup.id}/answer", data={"_csrf": csrf, "still_there": "no"})
    assert posted.status_code == 404
    stored = await _stored(factory, FollowUp, followup.id)
    assert isinstance(stored, FollowUp) and stored.answered_at is None
    assert ("followup.read", "denied") in await _actions(factory, outsider.id)


# --- the milestone timeline ---------------------------------------------------------------------------


async def test_the_timeline_draws_reached_and_ahead_milestones(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await sign_in(client, factory, case.counsellor)
    profile_page = (await client.get(f"/people/{case.survivor.id}")).text
    assert f'href="/people/{case.survivor.id}/milestones"' in profile_page
    form = {"_csrf": csrf, "milestone": "bank_account", "achieved_on": "2026-03-02", "evidence": "Card seen."}
    response = await client.post(f"/people/{case.survivor.id}/milestones", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{case.survivor.id}/milestones"
    page = (await client.get(f"/people/{case.survivor.id}/milestones")).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert svg.count('fill="#2e6b3a"') == 1  # one reached milestone, a filled dot
    assert svg.count('fill="#ffffff"') == 10  # ten still ahead, hollow
    table = page[page.index('id="reached-heading"') :]
    assert "Bank account opened" in table and "2026-03-02" in table and "Card seen." in table
    assert "Own housing" in page[page.index('id="ahead-heading"') :]
    assert ("milestone.achieve", "allowed") in await _actions(factory, case.counsellor.id)
    assert ("milestone.timeline", "allowed") in await _actions(factory, case.counsellor.id)


async def test_the_timeline_mirrors_for_right_to_left(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await sign_in(client, factory, case.counsellor)
    await client.post(
        f"/people/{case.survivor.id}/milestones",
        data={"_csrf": csrf, "milestone": "own_housing", "achieved_on": date.today().isoformat()},
    )
    ltr = (await client.get(f"/people/{case.survivor.id}/milestones")).text
    await client.post("/language", data={"_csrf": csrf, "locale": "ar", "next": "/caseload"})
    rtl = (await client.get(f"/people/{case.survivor.id}/milestones")).text
    assert 'direction="ltr"' in ltr and 'direction="rtl"' in rtl

    def reached_x(page: str) -> float:
        found = re.search(r'<circle cx="([\d.]+)" cy="[\d.]+" r="7" fill="#2e6b3a"', page)
        assert found
        return float(found.group(1))

    assert reached_x(ltr) + reached_x(rtl) == 720


async def test_a_wrong_milestone_names_each_field_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    csrf = await sign_in(client, factory, case.counsellor)
    future = (date.today() + timedelta(days=3)).isoformat()
    form = {"_csrf": csrf, "milestone": "lottery_win", "achieved_on": future, "qualifier": "de B1!", "evidence": "x"}
    response = await client.post(f"/people/{case.survivor.id}/milestones", data=form)
    assert response.status_code == 400
    for name in ("milestone", "achieved_on", "qualifier"):
        assert f'id="e-{name}"' in response.text, name
    bad_date = {"_csrf": csrf, "milestone": "bank_account", "achieved_on": "yesterday"}
    assert (await client.post(f"/people/{case.survivor.id}/milestones", data=bad_date)).status_code == 400
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(Achievement))).all() == []


async def test_milestones_of_another_caseload_look_missing(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory)
    outsider = await factory.user("coordinator", await factory.org())
    csrf = await sign_in(client, factory, outsider)
    foreign = await client.get(f"/people/{case.survivor.id}/milestones")
    missing = await client.get(f"/people/{MISSING}/milestones")
    assert foreign.status_code == missing.status_code == 404
    form = {"_csrf": csrf, "milestone": "bank_account", "achieved_on": "2026-03-02"}
    assert (await client.post(f"/people/{case.survivor.id}/milestones", data=form)).status_code == 404
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(Achievement))).all() == []


# --- allocation rounds ----------------------------------------------------------------------------------


async def test_a_coordinator_starts_reviews_and_accepts_a_round(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    partner = await factory.org("partner")
    job = await listing(factory, partner.id, title="Kitchen assistant", capacity=1)
    survivors = [await factory.survivor(ngo, None, display_name=f"Name {n}", **profile()) for n in range(2)]
    csrf = await sign_in(client, factory, coordinator)
    started = await client.post(
        "/rounds", data={"_csrf": csrf, "kinds": "job", "prioritise_waiting": "on"}, follow_redirects=False
    )
    assert started.status_code == 303
    round_id = started.headers["location"].rsplit("/", 1)[1]
    page = (await client.get(f"/rounds/{round_id}")).text
    assert "Kitchen assistant" in page and "Proposed, waiting for review" in page
    assert "Her options went to a better overall fit elsewhere" in page
    assert "The best possible share-out of these places (proven)" in page  # how it was solved, said
    # Her own organisation's caseload: the coordinator sees the name on each profile.
    assert all(f'<a href="/people/{s.id}">Name {n}</a>' in page for n, s in enumerate(survivors))
    assert f'href="/rounds/{round_id}"' in (await client.get("/rounds")).text
    accepted = await client.post(f"/rounds/{round_id}/accept", data={"_csrf": csrf}, follow_redirects=False)
    assert accepted.status_code == 303
    async with factory.alchemy.get_session() as db:
        referrals = (await db.scalars(select(Referral))).all()
    assert [(r.opportunity_id, r.status) for r in referrals] == [(job.id, "suggested")]
    again = await client.post(f"/rounds/{round_id}/accept", data={"_csrf": csrf})
    assert again.status_code == 409 and "already accepted" in again.text
    async with factory.alchemy.get_session() as db:
        assert len((await db.scalars(select(Referral))).all()) == 1
    actions = await _actions(factory, coordinator.id)
    assert {("allocation_round.create", "allowed"), ("allocation_round.accept", "denied")} <= set(actions)


async def test_a_round_form_with_an_unknown_kind_starts_nothing(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    csrf = await sign_in(client, factory, await factory.user("coordinator", ngo))
    response = await client.post("/rounds", data={"_csrf": csrf, "kinds": "childcare"})
    assert response.status_code == 400 and 'id="e-kinds"' in response.text
    async with factory.alchemy.get_session() as db:
        assert (await db.scalars(select(AllocationRound))).all() == []


async def test_rounds_are_for_their_own_organisations_coordinators(client: AsyncTestClient, factory: Factory) -> None:
    ngo = await factory.org()
    coordinator = await factory.user("coordinator", ngo)
    csrf = await sign_in(client, factory, coordinator)
    started = await client.post("/rounds", data={"_csrf": csrf}, follow_redirects=False)
    round_id = started.headers["location"].rsplit("/", 1)[1]
    client.cookies.clear()
    other = await factory.user("coordinator", await factory.org())
    other_csrf = await sign_in(client, factory, other)
    foreign = await client.get(f"/rounds/{round_id}")
    missing = await client.get(f"/rounds/{MISSING}")
    assert foreign.status_code == missing.status_code == 404
    assert (await client.post(f"/rounds/{round_id}/accept", data={"_csrf": other_csrf})).status_code == 404
    assert f"/rounds/{round_id}" not in (await client.get("/rounds")).text
    client.cookies.clear()
    await sign_in(client, factory, await factory.user("counsellor", ngo))
    assert (await client.get("/rounds")).status_code == 403
    stored = await _stored(factory, AllocationRound, UUID(round_id))
    assert isinstance(stored, AllocationRound) and stored.status == "proposed"


async def test_a_profile_shows_her_own_follow_ups_only(client: AsyncTestClient, factory: Factory) -> None:
    case = await make_case(factory, display_name="Ana Due")
    other = await factory.survivor(case.ngo, case.counsellor, display_name="Bea Same Caseload")
    [hers] = await due_followups(factory, case.survivor, 1)
    [not_hers] = await due_followups(factory, other, 1)
    await sign_in(client, factory, case.counsellor)
    page = (await client.get(f"/people/{case.survivor.id}")).text
    assert f"/followups/{hers.id}" in page and f"/followups/{not_hers.id}" not in page
    assert "No follow-ups yet" not in page
    quiet = (await client.get(f"/people/{(await factory.survivor(case.ngo, case.counsellor)).id}")).text
    assert "No follow-ups yet" in quiet


async def test_a_cut_list_says_so(client: AsyncTestClient, factory: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(followups_pages, "PANEL_LIMIT", 2)
    case = await make_case(factory)
    rows = await due_followups(factory, case.survivor, 3)
    await sign_in(client, factory, case.counsellor)
    page = (await client.get("/caseload")).text
    assert sum(f"/followups/{row.id}" in page for row in rows) == 2
    assert "Only the oldest 2 overdue and 2 due follow-ups are shown" in page
