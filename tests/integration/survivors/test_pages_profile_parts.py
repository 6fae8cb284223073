"""The whole profile in plain inputs: each part saves what matching reads, or names its errors."""

from __future__ import annotations

from datetime import date

from litestar.testing import AsyncTestClient

from providers.regions import region_choices
from service.domain.matches.profiles import to_profile
from service.web.regions import COUNTRIES
from tests.support.factories import Factory
from tests.support.names_not_codes import codes_in, visible_text
from tests.support.pages import sign_in, stored_survivor


async def _signed_in(client: AsyncTestClient, factory: Factory):  # type: ignore[no-untyped-def]
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    survivor = await factory.survivor(ngo, counsellor, languages=[{"code": "ro", "level": "native"}])
    csrf = await sign_in(client, factory, counsellor)
    return survivor, csrf


async def test_every_part_saves_and_matching_reads_it(client: AsyncTestClient, factory: Factory) -> None:
    survivor, csrf = await _signed_in(client, factory)
    base = f"/people/{survivor.id}/profile"
    posts = {
        "languages": {"language_0_level": "native", "new_language": "", "new_language_other": "Deutsch",
                      "new_language_level": "B1"},
        "family": {"child_0_age": "4", "child_0_care": "on", "child_1_age": "15", "permit_kind": "residence_permit_work",
                   "valid_until": "2027-06-30", "permit_allows": "limited_hours"},
        "week": {"week_0_morning": "on", "week_2_afternoon": "on"},
        "travel": {"max_commute_minutes": "40", "travel_mode": "bike", "women_only_workplace": "on",
                   "no_night_work": "on", "exclusion_regions": ["DE40", "ITC1"]},
        "history": {"education_0_what": "Tailoring", "education_0_level": "3", "education_0_country": "RO",
                    "education_0_to": "2012", "education_0_completed": "on",
                    "work_0_what": "Seamstress", "work_0_country": "RO", "work_0_from": "2013", "work_0_to": "2018"},
        "goals": {"sectors": ["textile", "cleaning"], "monthly_income_target": "1600"},
    }  # fmt: skip
    for part, fields in posts.items():
        response = await client.post(f"{base}/{part}", data={"_csrf": csrf, **fields}, follow_redirects=False)
        assert response.status_code == 303, (part, response.text[:500])
        assert response.headers["location"].startswith(f"/people/{survivor.id}?saved={part}")
    stored = await stored_survivor(factory, survivor.id)
    assert stored.languages == [{"code": "ro", "level": "native"}, {"code": "de", "level": "B1"}]
    assert stored.children == [{"age_years": 4, "needs_care": True}, {"age_years": 15, "needs_care": False}]
    assert stored.right_to_work == {
        "permit_kind": "residence_permit_work", "valid_until": "2027-06-30", "allows": "limited_hours"
    }  # fmt: skip
    assert stored.availability[0][12:24] == "1" * 12 and stored.availability[0][24:] == "0" * 24
    assert stored.availability[2][24:36] == "1" * 12 and stored.availability[1] == "0" * 48
    assert stored.safety["exclusion_regions"] == ["DE40", "ITC1"] and stored.safety["travel_mode"] == "bike"
    assert stored.education[0]["field"] == "Tailoring" and stored.education[0]["country"] == "RO"
    assert stored.work_history[0]["title"] == "Seamstress" and stored.work_history[0]["years"] == 5
    assert stored.goals["sectors"] == ["textile", "cleaning"] and stored.goals["monthly_income_target"] == 1600
    profile = to_profile(stored, (52.5, 13.4), ["DE40", "ITC1"])
    assert profile.right_to_work.valid_until == date(2027, 6, 30)
    assert profile.safety.max_commute_minutes == 40 and profile.safety.women_only and profile.safety.no_night_work
    assert profile.safety.exclusion_regions == frozenset({"DE40", "ITC1"})
    assert [child.age_years for child in profile.children] == [4, 15]
    assert profile.languages == {"ro": "native", "de": "B1"} and profile.goals.monthly_income_target == 1600
    page = await client.get(f"/people/{survivor.id}?saved=goals")
    assert "Saved." in page.text and "Brandenburg, Germany" in page.text and "Piemonte, Italy" in page.text
    assert "DE40" not in page.text.replace('value="DE40"', "")


async def test_each_part_names_its_wrong_fields_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    survivor, csrf = await _signed_in(client, factory)
    before = await stored_survivor(factory, survivor.id)
    base = f"/people/{survivor.id}/profile"
    bad = {
        "languages": ({"new_language_other": "Elvish", "new_language_level": "B1"}, ["new_language_other"]),
        "family": ({"child_0_age": "30", "child_1_age": "4", "permit_kind": "pirate", "valid_until": "soon"},
                   ["child_0_age", "permit_kind", "valid_until"]),
        "travel": ({"max_commute_minutes": "999", "travel_mode": "rocket", "exclusion_regions": "DE3"},
                   ["max_commute_minutes", "travel_mode", "exclusion_regions"]),
        "history": ({"education_0_what": "", "education_0_to": "2010", "work_0_what": "Cook", "work_0_from": "20"},
                    ["education_0_what", "work_0_from"]),
        "goals": ({"monthly_income_target": "-5", "new_occupation": "zzzzqqqq xxyy"},
                  ["monthly_income_target", "new_occupation"]),
    }  # fmt: skip
    for part, (fields, named) in bad.items():
        response = await client.post(f"{base}/{part}", data={"_csrf": csrf, **fields})
        assert response.status_code == 400, part
        for field in named:
            assert f'id="e-{field}"' in response.text, (part, field)
    after = await stored_survivor(factory, survivor.id)
    assert after.updated_at == before.updated_at
    assert (after.languages, after.children, after.safety, after.goals) == (
        before.languages, before.children, before.safety, before.goals
    )  # fmt: skip


async def test_every_part_shows_names_never_codes(client: AsyncTestClient, factory: Factory) -> None:
    survivor, _ = await _signed_in(client, factory)
    regions = {code for code, _ in region_choices(COUNTRIES)}
    for part in ("languages", "family", "week", "travel", "history", "goals"):
        page = await client.get(f"/people/{survivor.id}/profile/{part}")
        assert page.status_code == 200, part
        assert codes_in(visible_text(page.text), regions) == [], part
    assert (await client.get(f"/people/{survivor.id}/profile/secrets")).status_code == 404
