"""Bulk import of listings: all or nothing, problems by row and field, near-duplicates reported."""

from __future__ import annotations

import json

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from providers.models import Opportunity
from tests.support.factories import Factory
from tests.support.listings import listing_payload
from tests.support.track_record import give_track_record

HEADER = (
    "kind,title,description,region,lat,lon,capacity,starts_on,schedule,languages,"
    "pay_amount,pay_period,currency,contract_type,hours_per_week,class_language,level_from,level_to"
)
KITCHEN = 'job,Kitchen assistant,Canteen work,DE30,52.52,13.41,2,2027-01-04,"mon 09:00-17:00; tue 09:00-17:00",de:A2,14.5,hour,EUR,employment,16,,,'
GERMAN = "language_class,German A1 to A2,,DE30,52.5,13.4,12,2027-01-11,sat 10:00-12:00,,,,,,,de,A1,A2"


async def partner_csrf(client: AsyncTestClient, factory: Factory, *, established: bool = False) -> dict[str, str]:
    org = await factory.org("partner")
    if established:
        await give_track_record(factory, org)
    return await factory.login(client, await factory.user("partner", org))


async def listings(factory: Factory) -> int:
    async with factory.alchemy.get_session() as db:
        return int(await db.scalar(select(func.count()).select_from(Opportunity)) or 0)


def csv_body(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


async def test_good_csv_import_creates_and_screens_every_row(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory, established=True)
    response = await client.post(
        "/api/opportunities/import", content=csv_body(KITCHEN, GERMAN), headers={**csrf, "content-type": "text/csv"}
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["created"], report["errors"], report["duplicates"]) == (2, [], [])
    page = (await client.get("/api/opportunities")).json()
    imported = [item for item in page["items"] if not item["title"].startswith("Earlier job")]
    assert len(imported) == 2 and {item["status"] for item in imported} == {"published"}
    kitchen = next(item for item in imported if item["kind"] == "job")
    assert kitchen["languages"] == [{"code": "de", "level": "A2"}]
    assert kitchen["schedule"][1] == "0" * 18 + "1" * 16 + "0" * 14


async def test_one_bad_row_names_row_and_field_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory)
    negative = GERMAN.replace(",12,", ",-3,")
    inverted = KITCHEN.replace("mon 09:00-17:00", "mon 17:00-09:00")
    response = await client.post(
        "/api/opportunities/import",
        content=csv_body(KITCHEN, negative, inverted, "job,too,few,cells"),
        headers={**csrf, "content-type": "text/csv"},
    )
    assert response.status_code == 422
    report = response.json()
    assert report["created"] == 0
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(2, "capacity"), (3, "schedule"), (4, "row")]
    assert report["detail"].startswith("row 2, capacity")
    assert await listings(factory) == 0


async def test_near_duplicates_are_reported(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory)
    first = await client.post(
        "/api/opportunities/import", content=csv_body(KITCHEN), headers={**csrf, "content-type": "text/csv"}
    )
    existing_id = first.json()["ids"][0]
    again = KITCHEN.replace("Kitchen assistant", "Assistant kitchen")
    response = await client.post(
        "/api/opportunities/import",
        content=csv_body(again, GERMAN, again),
        headers={**csrf, "content-type": "text/csv"},
    )
    assert response.status_code == 201
    duplicates = response.json()["duplicates"]
    assert [(d["row"], d["similar_to"]) for d in duplicates] == [(1, existing_id), (3, existing_id)]
    assert all(d["score"] >= 90 for d in duplicates)


async def test_json_import_reports_unknown_fields_and_languages(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory)
    good = listing_payload("childcare", capacity=4)
    bad = [good, {**good, "status": "published"}, {**good, "languages": [{"code": "xx", "level": "A1"}]}]
    response = await client.post(
        "/api/opportunities/import", content=json.dumps(bad), headers={**csrf, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(2, "status"), (3, "languages[0].code")]
    assert await listings(factory) == 0
    ok = await client.post(
        "/api/opportunities/import", content=json.dumps([good]), headers={**csrf, "content-type": "application/json"}
    )
    assert ok.status_code == 201
    assert ok.json()["created"] == 1


async def test_multipart_csv_upload(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory)
    response = await client.post(
        "/api/opportunities/import", files={"file": ("listings.csv", csv_body(GERMAN), "text/csv")}, headers=csrf
    )
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 1


async def test_unknown_column_and_non_partner_are_refused(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory)
    body = b"kind,title,salary\njob,Cook,lots\n"
    response = await client.post(
        "/api/opportunities/import", content=body, headers={**csrf, "content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"row": 0, "field": "salary", "message": "unknown column"}]
    client.cookies.clear()
    coordinator = await factory.user("coordinator", await factory.org())
    csrf = await factory.login(client, coordinator)
    denied = await client.post(
        "/api/opportunities/import", content=csv_body(GERMAN), headers={**csrf, "content-type": "text/csv"}
    )
    assert denied.status_code == 403
