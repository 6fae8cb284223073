"""Regions and towns by name (providers.places)."""

from __future__ import annotations

from providers import places


def test_every_region_has_a_centre_and_towns_of_its_own() -> None:
    regions = places.regions()
    assert {region.country for region in regions} == {"DE", "FR", "IT", "RO"}
    assert {"DE30", "DE40", "ITC1", "ITC4", "FRK2", "FR10", "RO32", "RO11"} <= {region.code for region in regions}
    for region in regions:
        assert places.towns(region.code), region.code
        assert all(town.region == region.code for town in places.towns(region.code))


def test_a_town_is_found_by_its_own_or_local_name_and_accents_do_not_matter() -> None:
    munich = places.find_town("DE21", "München")
    assert munich is not None and munich.name == "Munich" and (munich.lat, munich.lon) == (48.14, 11.58)
    assert places.find_town("DE21", "munchen") == munich
    assert places.find_town("ITC1", "Torino") is not None


def test_a_town_of_another_region_or_nonsense_is_not_found() -> None:
    assert places.find_town("DE30", "Torino") is None
    assert places.find_town("DE30", "qqqqqq") is None
    assert places.place_of("XX99", None) is None
    assert places.place_of("DE40", None) == (52.4, 13.07)  # the region's centre


def test_suggestions_start_with_the_towns_whose_name_begins_so() -> None:
    assert places.suggest_towns("DE40", "Pots")[0].name == "Potsdam"
    assert places.suggest_towns("DE40", "") == []
