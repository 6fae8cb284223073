"""Import parsing and validation, without a database."""

from __future__ import annotations

import json

import pytest

from providers.imports import (
    MAX_ROWS,
    ExistingListing,
    ImportFormatError,
    near_duplicates,
    read_csv,
    read_json,
    validate_rows,
)
from providers.schedule import EMPTY_WEEK
from providers.schemas import OpportunityCreate, check_listing
from tests.support.listings import listing_payload

# No timetable: the near-duplicate test compares weeks with the empty week of the existing listings.
CHILDCARE = listing_payload("childcare", capacity=4, blocks=None)


def test_csv_cells_are_converted_and_lists_split() -> None:
    raw = (
        b"kind,title,region,lat,lon,capacity,starts_on,age_min,age_max,schedule,women_only\n"
        b"childcare,Morning care,DE30,52.5,13.4,4,2027-01-04,1,5,mon 08:00-12:00,true\n"
    )
    valid, problems = validate_rows(read_csv(raw), from_csv=True)
    assert problems == []
    [row] = valid
    assert (row.row, row.listing.capacity, row.listing.women_only) == (1, 4, True)
    assert row.week[0].count("1") == 8


def test_csv_problems_name_row_and_field_without_echoing_values() -> None:
    raw = (
        b"kind,title,region,lat,lon,capacity,starts_on,age_min,age_max,languages\n"
        b"childcare,Morning care,DE30,52.5,13.4,many,2027-01-04,1,5,\n"
        b"childcare,Morning care,DE30,52.5,13.4,4,2027-01-04,6,5,\n"
        b"childcare,Morning care,DE30,52.5,13.4,4,2027-01-04,1,5,deB1\n"
    )
    valid, problems = validate_rows(read_csv(raw), from_csv=True)
    assert valid == []
    assert [(p.row, p.field) for p in problems] == [(1, "capacity"), (2, "age_max"), (3, "languages")]
    assert all("many" not in p.message for p in problems)


def test_missing_required_field_is_named() -> None:
    _, problems = validate_rows([(1, {k: v for k, v in CHILDCARE.items() if k != "region"})], from_csv=False)
    assert [(p.row, p.field) for p in problems] == [(1, "region")]


@pytest.mark.parametrize(
    ("raw", "field"),
    [(b"\xff\xfe", "file"), (b"", "file"), (b"kind,kind\n", "header"), (b"kind,owner\n", "owner")],
)
def test_unreadable_csv_files(raw: bytes, field: str) -> None:
    with pytest.raises(ImportFormatError) as error:
        read_csv(raw)
    assert error.value.problem.field == field


def test_json_must_be_an_array_of_objects_within_the_row_limit() -> None:
    with pytest.raises(ImportFormatError):
        read_json(b'{"kind": "job"}')
    with pytest.raises(ImportFormatError):
        read_json(json.dumps([CHILDCARE] * (MAX_ROWS + 1)).encode())
    _, problems = validate_rows(read_json(json.dumps([CHILDCARE, 3]).encode()), from_csv=False)
    assert [(p.row, p.field) for p in problems] == [(2, "row")]


def test_near_duplicates_need_same_kind_similar_title_and_week() -> None:
    valid, _ = validate_rows(
        [
            (1, {**CHILDCARE, "title": "Childcare (mornings)"}),
            (2, {**CHILDCARE, "title": "Mornings childcare"}),
            (3, {**CHILDCARE, "title": "Evening childcare"}),
            (4, {**CHILDCARE, "title": "Morning childcare", "schedule": ["1" * 48] * 7}),
        ],
        from_csv=False,
    )
    existing = [
        ExistingListing("L1", "childcare", "Morning childcare", EMPTY_WEEK),
        ExistingListing("L2", "course", "Morning childcare", EMPTY_WEEK),
    ]
    found = near_duplicates(valid, existing)
    assert [(d.row, d.similar_to) for d in found] == [(1, "L1"), (2, "row 1")]  # the closer of the two
    assert near_duplicates([], existing) == []


def test_kind_specific_fields() -> None:
    course = OpportunityCreate(
        kind="course",
        title="Barista course",
        region="DE30",
        lat=1,
        lon=1,
        capacity=5,
        starts_on="2027-01-04",  # type: ignore[arg-type]
        cost_amount=120,
        age_min=3,
    )
    problems, _ = check_listing(course)
    assert {(p.field, p.message) for p in problems} == {
        ("currency", "required when the course costs something"),
        ("age_min", "only for childcare listings"),
    }


def test_every_wrong_cell_of_a_row_is_reported_at_once() -> None:
    raw = (
        b"kind,title,region,place_name,capacity,starts_on,women_only,age_min,schedule\n"
        b"childcare,Morning care,Berlin,,two,04/01/2027,maybe,1,mon 9-12\n"
        b"childcare,Morning care,DE99,,2,2027-01-04,false,1,\n"
    )
    valid, problems = validate_rows(read_csv(raw), from_csv=True)
    assert valid == []
    assert sorted(p.field for p in problems if p.row == 1) == [
        "age_max",
        "capacity",
        "region",
        "schedule",
        "starts_on",
        "women_only",
    ]
    assert sorted(p.field for p in problems if p.row == 2) == ["age_max", "region"]
    assert all("Berlin" not in p.message and "two" not in p.message for p in problems)


def test_json_rows_report_every_field_and_unknown_ones() -> None:
    item = {**CHILDCARE, "capacity": "two", "women_only": "maybe", "status": "published"}
    _, problems = validate_rows([(1, item)], from_csv=False)
    assert sorted(p.field for p in problems) == ["capacity", "status", "women_only"]


def test_a_town_of_the_region_gives_the_place() -> None:
    raw = b"kind,title,region,place_name,capacity,starts_on,age_min,age_max\nchildcare,Care,ITC1,Torino,2,2027-01-04,1,5\n"
    [row], problems = validate_rows(read_csv(raw), from_csv=True)
    assert problems == [] and row.listing.place_name == "Torino"
    bad = raw.replace(b"Torino", b"Paris")
    _, problems = validate_rows(read_csv(bad), from_csv=True)
    assert [p.field for p in problems] == ["place_name"]
