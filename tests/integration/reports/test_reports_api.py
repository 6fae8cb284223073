"""Reports over the API: only survivors with an active reporting consent are counted, small
cells are withheld, and CSV and SVG carry the same suppressed numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.testing import AsyncTestClient

from service.domain.survivors.models import Consent
from tests.support.factories import Factory


async def _network(factory: Factory, consented: int, unconsented: int, withdrawn: int) -> tuple[object, object]:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        for index in range(consented + unconsented + withdrawn):
            survivor = await factory.survivor(ngo, counsellor, region="DE30")
            if index < consented:
                db.add(Consent(survivor_id=survivor.id, purpose="reporting", granted_at=now))
            elif index < consented + withdrawn:
                db.add(
                    Consent(
                        survivor_id=survivor.id,
                        purpose="reporting",
                        granted_at=now - timedelta(days=3),
                        withdrawn_at=now - timedelta(days=1),
                    )
                )
            else:
                # Another purpose is not consent to reporting.
                db.add(Consent(survivor_id=survivor.id, purpose="contact_by_sms", granted_at=now))
        await db.commit()
    return ngo, await factory.user("coordinator", ngo)


def _activity(body: dict) -> dict:
    return next(table for table in body["tables"] if table["name"] == "activity")


async def test_only_survivors_who_consented_to_reporting_are_counted(client: AsyncTestClient, factory: Factory) -> None:
    _, coordinator = await _network(factory, consented=7, unconsented=6, withdrawn=5)
    headers = await factory.login(client, coordinator)
    response = await client.get("/api/reports/indicators", params={"by": "region"}, headers=headers)
    assert response.status_code == 200, response.text
    activity = _activity(response.json())
    assert activity["rows"] == ["DE30"]
    assert activity["cells"][0][0] == 7


async def test_a_group_below_five_is_suppressed_in_json_csv_and_svg(client: AsyncTestClient, factory: Factory) -> None:
    _, coordinator = await _network(factory, consented=3, unconsented=0, withdrawn=0)
    await factory.login(client, coordinator)
    body = (await client.get("/api/reports/indicators")).json()
    assert _activity(body)["cells"][0][0] is None
    csv_response = await client.get("/api/reports/indicators.csv")
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    assert "activity,support org" in csv_response.text and ",survivors_supported,suppressed" in csv_response.text
    svg = await client.get("/api/reports/chart.svg", params={"table": "activity", "column": "survivors_supported"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "suppressed" in svg.text


async def test_a_coordinator_sees_only_her_organisation_and_an_admin_sees_all(
    client: AsyncTestClient, factory: Factory
) -> None:
    _, first = await _network(factory, consented=6, unconsented=0, withdrawn=0)
    await _network(factory, consented=8, unconsented=0, withdrawn=0)
    await factory.login(client, first)
    mine = _activity((await client.get("/api/reports/indicators")).json())
    assert len(mine["rows"]) == 1 and mine["cells"][0][0] == 6
    client.cookies.clear()
    await factory.login(client, await factory.user("admin"))
    everything = _activity((await client.get("/api/reports/indicators")).json())
    assert sorted(row[0] for row in everything["cells"]) == [6, 8]
    assert everything["column_totals"][0] == 14


async def test_unknown_chart_table_or_bad_range_is_a_clear_400(client: AsyncTestClient, factory: Factory) -> None:
    _, coordinator = await _network(factory, consented=1, unconsented=0, withdrawn=0)
    await factory.login(client, coordinator)
    assert (await client.get("/api/reports/chart.svg", params={"table": "nothing"})).status_code == 400
    bad = await client.get("/api/reports/indicators", params={"start": "2026-05-01", "end": "2026-01-01"})
    assert bad.status_code == 400 and "end" in bad.text
