"""SECURITY S31: no cell of a CSV the product writes starts a formula; imports keep text as text."""

from __future__ import annotations

import csv
import io

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from providers.models import Opportunity
from service.domain.survivors.models import Consent
from service.kernel.actor import now_utc
from service.kernel.spreadsheet import FORMULA_STARTS, csv_text, safe_cell
from tests.integration.opportunities.test_providers_import import HEADER, partner_csrf
from tests.support.factories import Factory

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _assert_no_formula(text: str) -> None:
    starting = [cell for cell in _cells(text) if cell[:1] in FORMULA_STARTS]
    assert starting == [], starting


@pytest.mark.parametrize("value", HOSTILE)
def test_a_cell_that_would_start_a_formula_is_neutralised_and_still_readable(value: str) -> None:
    cell = safe_cell(value)
    assert cell[:1] not in FORMULA_STARTS
    assert cell == "'" + value


def test_numbers_and_plain_text_are_written_as_they_are() -> None:
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5 and safe_cell("Kitchen") == "Kitchen"
    assert _cells(csv_text([["a", -3, None]])) == ["a", "-3", ""]


async def test_report_csv_neutralises_hostile_organisation_names(client: AsyncTestClient, factory: Factory) -> None:
    for name in HOSTILE:
        ngo = await factory.org(name=name)
        survivor = await factory.survivor(ngo)
        async with factory.alchemy.get_session() as db:
            db.add(Consent(survivor_id=survivor.id, purpose="reporting", granted_at=now_utc()))
            await db.commit()
    await factory.login(client, await factory.user("admin"))
    response = await client.get("/api/reports/indicators.csv")
    assert response.status_code == 200, response.text
    cells = set(_cells(response.text))
    for name in HOSTILE:
        assert "'" + name in cells, name
    _assert_no_formula(response.text)


async def test_the_listing_example_file_starts_no_formula(client: AsyncTestClient, factory: Factory) -> None:
    await partner_csrf(client, factory)
    response = await client.get("/listings/import/example.csv")
    assert response.status_code == 200
    assert "Kitchen assistant" in response.text
    _assert_no_formula(response.text)


async def test_an_imported_listing_keeps_its_text_as_typed(client: AsyncTestClient, factory: Factory) -> None:
    csrf = await partner_csrf(client, factory)
    row = 'job,=1+2 kitchen help,@desk work,DE30,52.52,13.41,2,2027-01-04,"mon 09:00-17:00",de:A2,14.5,hour,EUR,employment,16,,,'
    response = await client.post(
        "/api/opportunities/import",
        content=f"{HEADER}\n{row}\n".encode(),
        headers={**csrf, "content-type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    async with factory.alchemy.get_session() as db:
        listing = await db.scalar(select(Opportunity))
    assert listing is not None
    assert (listing.title, listing.description) == ("=1+2 kitchen help", "@desk work")
