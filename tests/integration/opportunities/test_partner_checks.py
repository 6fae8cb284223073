"""Partner checks as a checklist with evidence and who checked, valid for a year; a partner is
marked as checked only with every item current; which NGOs may check is an organisation flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from service.domain.opportunities.check_models import PartnerCheck
from tests.support.factories import Factory
from tests.support.pages import sign_in
from tests.support.partner_checks import CHECKLIST, complete_checks

VET = {"status": "vetted", "reason": "all four checks done"}


async def _checker(client: AsyncTestClient, factory: Factory) -> tuple[object, dict[str, str]]:
    coordinator = await factory.user("coordinator", await factory.org(name="Checking NGO"))
    return coordinator, await factory.login(client, coordinator)


async def test_the_checklist_keeps_evidence_and_who_checked(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.org("partner", vetted=False)
    coordinator, headers = await _checker(client, factory)
    empty = (await client.get(f"/api/partners/{partner.id}/checks", headers=headers)).json()
    assert [item["state"] for item in empty["items"]] == ["missing"] * 4 and empty["complete"] is False
    await complete_checks(client, partner.id, headers)
    filled = (await client.get(f"/api/partners/{partner.id}/checks", headers=headers)).json()
    assert filled["complete"] is True
    [registration] = [item for item in filled["items"] if item["kind"] == "registration"]
    assert registration["check"]["evidence"] == CHECKLIST[0]["evidence"]
    assert registration["check"]["checked_by_id"] == str(coordinator.id)  # type: ignore[attr-defined]
    checked = datetime.fromisoformat(registration["check"]["checked_at"])
    assert datetime.fromisoformat(registration["check"]["expires_at"]) - checked == timedelta(days=365)
    vetted = await client.post(f"/api/partners/{partner.id}/vetting", json=VET, headers=headers)
    assert vetted.status_code == 200 and vetted.json()["vetting_status"] == "vetted"


async def test_a_failed_or_missing_item_keeps_a_partner_from_being_checked(
    client: AsyncTestClient, factory: Factory
) -> None:
    partner = await factory.org("partner", vetted=False)
    _, headers = await _checker(client, factory)
    for check in CHECKLIST[:3]:
        await client.post(f"/api/partners/{partner.id}/checks", json=check, headers=headers)
    missing = await client.post(f"/api/partners/{partner.id}/vetting", json=VET, headers=headers)
    assert missing.status_code == 409 and "references" in missing.json()["detail"]
    failed = {"kind": "references", "outcome": "failed", "evidence": "Two complaints about unpaid wages."}
    await client.post(f"/api/partners/{partner.id}/checks", json=failed, headers=headers)
    refused = await client.post(f"/api/partners/{partner.id}/vetting", json=VET, headers=headers)
    assert refused.status_code == 409


async def test_only_the_licence_check_may_not_apply_and_bad_input_writes_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    partner = await factory.org("partner", vetted=False)
    _, headers = await _checker(client, factory)
    url = f"/api/partners/{partner.id}/checks"
    not_applicable = {"kind": "registration", "outcome": "not_applicable", "evidence": "none"}
    assert (await client.post(url, json=not_applicable, headers=headers)).status_code == 400
    short = {"kind": "contact", "outcome": "passed", "evidence": "ok"}
    assert (await client.post(url, json=short, headers=headers)).status_code == 400
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(func.count()).select_from(PartnerCheck)) == 0


async def test_a_check_runs_out_after_a_year_and_asks_to_be_renewed(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.org("partner", vetted=False, name="Old Checks Ltd")
    coordinator = await factory.user("coordinator", await factory.org())
    csrf = await sign_in(client, factory, coordinator)
    await complete_checks(client, partner.id, {"x-csrf-token": csrf})
    async with factory.alchemy.get_session() as db:
        await db.execute(
            update(PartnerCheck)
            .where(PartnerCheck.kind == "contact")
            .values(expires_at=datetime.now(UTC) - timedelta(days=1))
        )
        await db.commit()
    page = await client.get(f"/review/partners/{partner.id}/checks")
    assert "Ran out: please renew" in page.text
    listing = await client.get("/review/partners")
    assert "Checks to do or renew" in listing.text
    form = {"_csrf": csrf, "status": "vetted", "reason": "renewal"}
    assert (await client.post(f"/review/partners/{partner.id}/vetting", data=form)).status_code == 409
    renewed = {"_csrf": csrf, "kind": "contact", "outcome": "passed", "evidence": "Called the manager again."}
    saved = await client.post(f"/review/partners/{partner.id}/checks", data=renewed, follow_redirects=False)
    assert saved.status_code == 303
    assert (
        await client.post(f"/review/partners/{partner.id}/vetting", data=form, follow_redirects=False)
    ).status_code == 303


async def test_the_check_form_names_each_wrong_field(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.org("partner", vetted=False)
    csrf = await sign_in(client, factory, await factory.user("coordinator", await factory.org()))
    bad = {"_csrf": csrf, "kind": "gossip", "evidence": "x"}
    response = await client.post(f"/review/partners/{partner.id}/checks", data=bad)
    assert response.status_code == 400
    for field in ("e-kind", "e-outcome", "e-evidence"):
        assert f'id="{field}"' in response.text, field
    only_licence = {"_csrf": csrf, "kind": "references", "outcome": "not_applicable", "evidence": "none needed"}
    response = await client.post(f"/review/partners/{partner.id}/checks", data=only_licence)
    assert response.status_code == 400 and 'id="e-outcome"' in response.text
    async with factory.alchemy.get_session() as db:
        assert await db.scalar(select(func.count()).select_from(PartnerCheck)) == 0


async def test_which_ngos_check_partners_is_an_organisation_setting(client: AsyncTestClient, factory: Factory) -> None:
    partner = await factory.org("partner", vetted=False)
    ngo = await factory.org(checks_partners=False)
    headers = await factory.login(client, await factory.user("coordinator", ngo))
    assert (await client.get("/api/partners", headers=headers)).status_code == 403
    assert (await client.get(f"/api/partners/{partner.id}/checks", headers=headers)).status_code == 403
    assert (await client.post(f"/api/partners/{partner.id}/vetting", json=VET, headers=headers)).status_code == 403
    assert (await client.get("/review/partners")).status_code == 403
    client.cookies.clear()
    admin_csrf = await sign_in(client, factory, await factory.user("admin"))
    form = {"_csrf": admin_csrf, "name": ngo.name, "country": "DE", "may_check_partners": "on"}
    assert (
        await client.post(f"/directory/organisations/{ngo.id}", data=form, follow_redirects=False)
    ).status_code == 303
    partner_setting = await client.patch(
        f"/api/organisations/{partner.id}", json={"may_check_partners": True}, headers={"x-csrf-token": admin_csrf}
    )
    assert partner_setting.status_code == 400
    client.cookies.clear()
    headers = await factory.login(client, await factory.user("coordinator", ngo))
    assert (await client.get(f"/api/partners/{partner.id}/checks", headers=headers)).status_code == 200
