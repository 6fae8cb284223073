"""schema.org JobPosting (JSON-LD) to draft listings, without a database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from providers.imports import ImportFormatError, validate_rows
from providers.jobposting import is_jobposting, read_postings

TODAY = date(2027, 1, 1)
EXAMPLE = (Path(__file__).parents[2] / "data" / "jobposting.jsonld").read_bytes()


def test_a_graph_gives_one_draft_job_per_posting_with_what_it_says() -> None:
    first, second = read_postings(EXAMPLE, TODAY)
    assert first.fields == {
        "kind": "job",
        "draft": True,
        "title": "Pflegehilfskraft (m/w/d)",
        "description": "Wir suchen Verstärkung für unser Team.\nUnterstützung bei der Pflege\nBegleitung im Alltag",
        "contract_type": "employment",
        "currency": "EUR",
        "pay_amount": 15.5,
        "pay_period": "hour",
        "region": "DE21",
        "place_name": "Munich",
        "starts_on": "2027-01-10",
        "ends_on": "2027-03-31",
        "capacity": 2,
        "hours_per_week": 30.0,
    }
    assert {(note.field, note.message) for note in first.notes} == {
        ("baseSalary.value", "a range: the lowest figure is used"),
        ("qualifications", "not used"),
    }
    assert (second.fields["pay_amount"], second.fields["pay_period"], second.fields["region"]) == (
        3000.0,
        "month",
        "DE40",
    )
    assert "contract_type" not in second.fields and "place_name" not in second.fields
    assert {note.field for note in second.notes} == {
        "employmentType",
        "baseSalary.unitText",
        "jobLocation.address.addressLocality",
        "datePosted",
        "totalJobOpenings",
    }


def test_drafts_pass_the_import_checks_even_when_incomplete() -> None:
    postings = read_postings(EXAMPLE, TODAY)
    valid, problems = validate_rows([(p.number, p.fields) for p in postings], from_csv=False)
    assert problems == [] and [row.listing.draft for row in valid] == [True, True]


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "https://schema.org", "@type": "JobPosting", "title": "Cook", "jobLocation": {"address": "Lyon"}},
        [{"@type": "http://schema.org/JobPosting", "title": "Cook", "jobLocation": {"address": "Lyon"}}],
    ],
)
def test_a_single_object_or_a_list_is_read(document: object) -> None:
    raw = json.dumps(document).encode()
    assert is_jobposting(raw)
    [posting] = read_postings(raw, TODAY)
    assert (posting.fields["title"], posting.fields["region"], posting.fields["starts_on"]) == (
        "Cook",
        "FRK2",
        "2027-01-01",
    )


def test_a_file_without_a_posting_is_refused() -> None:
    assert not is_jobposting(b'[{"kind": "job"}]')
    with pytest.raises(ImportFormatError):
        read_postings(b'{"@type": "Organization"}', TODAY)
    with pytest.raises(ImportFormatError):
        read_postings(b"{not json", TODAY)
