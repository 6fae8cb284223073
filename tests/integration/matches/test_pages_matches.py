"""Counsellors' pages for one participant's suggestions, referrals, skills and languages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from providers.models import Opportunity
from service.domain.accounts.models import Organisation, User
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Survivor
from service.kernel.audit import AuditEvent
from service.web.matches_words import PATTERNS, is_known, phrase
from skills.starter import load_starter
from tests.support.factories import Factory, share_consent
from tests.support.listings import listing, profile
from tests.support.pages import sign_in, stored_survivor

MISSING = "00000000-0000-4000-8000-000000000000"


async def _world(factory: Factory, **fields: Any) -> tuple[User, Organisation, Survivor]:
    ngo = await factory.org()
    counsellor = await factory.user("counsellor", ngo)
    partner = await factory.org("partner", name=f"Kitchen Garden {ngo.id.hex[:6]}")
    survivor = await factory.survivor(ngo, counsellor, **profile(**fields))
    return counsellor, partner, survivor


async def _referrals(factory: Factory, survivor_id: UUID) -> list[Referral]:
    async with factory.alchemy.get_session() as db:
        return list((await db.scalars(select(Referral).where(Referral.survivor_id == survivor_id))).all())


async def _referral(factory: Factory, survivor: Survivor, job: Opportunity, status: str = "suggested") -> Referral:
    async with factory.alchemy.get_session() as db:
        row = Referral(survivor_id=survivor.id, opportunity_id=job.id, partner_id=job.organisation_id, status=status)
        db.add(row)
        await db.commit()
        return row


async def _audit(factory: Factory, action: str, object_id: object) -> list[tuple[str, str | None]]:
    async with factory.alchemy.get_session() as db:
        rows = await db.execute(
            select(AuditEvent.outcome, AuditEvent.detail).where(
                AuditEvent.action == action, AuditEvent.object_id == str(object_id)
            )
        )
        return [(outcome, detail) for outcome, detail in rows.all()]


async def _speaks(factory: Factory, user: User, locale: str) -> None:
    async with factory.alchemy.get_session() as db:
        await db.execute(update(User).where(User.id == user.id).values(locale=locale))
        await db.commit()


# ---------------------------------------------------------------- suggestions


async def test_suggestions_are_explained_in_plain_words_with_their_bundle(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, partner, survivor = await _world(factory, children=[{"age_years": 3}])
    await listing(factory, partner.id, title="Kitchen helper", languages=[{"code": "de", "level": "A2"}])
    await listing(factory, partner.id, kind="childcare", title="Little Bears nursery")
    await sign_in(client, factory, counsellor)

    page = await client.get(f"/people/{survivor.id}/matches")

    assert page.status_code == 200, page.text
    text = page.text
    assert (
        "Kitchen helper" in text
        and "One proposal, two parts that fit together" in text
        and "Little Bears nursery" in text
    )
    assert "About " in text and "minutes by public transport" in text
    assert "Needs German at A2, she has B1" in text
    assert "Mon-Fri 09:00-13:00" in text
    assert "Detail (in English)" not in text
    assert "Propose these together" in text
    assert [outcome for outcome, _ in await _audit(factory, "matches.read", survivor.id)] == ["allowed"]


async def test_suggestions_speak_her_counsellors_language(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    await listing(factory, partner.id, title="Küchenhilfe", languages=[{"code": "de", "level": "A2"}])
    await _speaks(factory, counsellor, "de")
    await sign_in(client, factory, counsellor)

    text = (await client.get(f"/people/{survivor.id}/matches")).text

    assert "Benötigt Deutsch auf A2, sie hat B1" in text
    assert "Mo.-Fr. 09:00-13:00" in text
    assert "Warum es passt" in text and "Detail (auf Englisch)" not in text


def test_every_sentence_shape_of_matching_is_translated_in_every_language() -> None:
    samples = [
        "about 25 min by walk (her limit 45)",
        "80% of its hours fall in her availability",
        "matches a target occupation",
        "in a target sector",
        "outside her target occupations and sectors",
        "pays 1800 EUR/month against a target of 1500",
        "has 2 of 3 essential skills",
        "essential skills held: cook, clean rooms",
        "essential skills to learn: a, b, c, d, e and 2 more",
        "related experience counts towards: clean rooms",
        "needs B1 de, has A2: the Tuesday/Thursday class 'German A2-B1' fits",
        "needs B1 de, has none",
        "childcare 'Little Bears' takes children aged 2, 4 and covers the hours plus travel",
        "readiness paused: she asked for no suggestions for now",
        "no availability given",
        "no opportunity passes her filters",
        "her home area is unknown to the catalogue: no listing in or near region FR10 to estimate travel from",
        "childcare places are offered only as part of a bundle, for children who need care while she works",
    ]
    assert all(is_known(sample) for sample in samples)
    assert len({pattern.message for pattern in PATTERNS}) == len(PATTERNS)
    for language in ("de", "fr", "it", "ro", "ar"):
        for sample in samples:
            said = phrase(sample, language)
            assert said and said != sample and "%(" not in said, (language, sample)
    assert "2 more" not in phrase("essential skills to learn: a, b, c, d, e and 2 more", "fr")


async def test_a_paused_participant_gets_the_reason_not_an_empty_page(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, partner, survivor = await _world(factory, readiness="not_now")
    await listing(factory, partner.id)
    await sign_in(client, factory, counsellor)

    text = (await client.get(f"/people/{survivor.id}/matches")).text

    assert "She has paused suggestions for now." in text
    assert f'href="/people/{survivor.id}/edit"' in text
    assert "Propose to her" not in text


async def test_the_kind_filter_keeps_one_kind(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    await listing(factory, partner.id, title="Dish washer")
    await listing(factory, partner.id, kind="course", title="Barista course", course_level=2)
    await sign_in(client, factory, counsellor)

    await listing(factory, partner.id, title="Far away job", lat=48.14, lon=11.58, region="DE21")
    courses = (await client.get(f"/people/{survivor.id}/matches?kind=course")).text
    assert "Barista course" in courses and "Dish washer" not in courses
    everything = (await client.get(f"/people/{survivor.id}/matches")).text
    assert "Ruled out by her needs and limits" in everything and "1 listing: journey too long" in everything
    assert "Far away job" not in everything
    assert (await client.get(f"/people/{survivor.id}/matches?kind=everything")).status_code == 400


async def test_proposing_a_bundle_suggests_every_part_to_her(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory, children=[{"age_years": 3}])
    job = await listing(factory, partner.id, title="Kitchen helper")
    care = await listing(factory, partner.id, kind="childcare", title="Little Bears nursery")
    csrf = await sign_in(client, factory, counsellor)

    form = {"_csrf": csrf, "opportunity_id": str(job.id), "part": str(care.id)}
    response = await client.post(f"/people/{survivor.id}/matches/propose", data=form, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{survivor.id}/matches"
    stored = await _referrals(factory, survivor.id)
    assert {(row.opportunity_id, row.status) for row in stored} == {(job.id, "suggested"), (care.id, "suggested")}
    again = await client.get(f"/people/{survivor.id}/matches")
    assert "Already proposed. Status: Proposed" in again.text


async def test_proposing_twice_is_refused_and_writes_nothing(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    job = await listing(factory, partner.id, title="Kitchen helper")
    await _referral(factory, survivor, job)
    csrf = await sign_in(client, factory, counsellor)

    form = {"_csrf": csrf, "opportunity_id": str(job.id)}
    response = await client.post(f"/people/{survivor.id}/matches/propose", data=form)

    assert response.status_code == 409
    assert "This was already proposed to her." in response.text
    assert len(await _referrals(factory, survivor.id)) == 1
    reads = await _audit(factory, "matches.read", survivor.id)
    assert reads == [("allowed", "page shown again after a refused proposal")]


async def test_proposing_nothing_is_a_bad_request(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    await listing(factory, partner.id)
    csrf = await sign_in(client, factory, counsellor)

    response = await client.post(f"/people/{survivor.id}/matches/propose", data={"_csrf": csrf, "opportunity_id": "x"})

    assert response.status_code == 400
    assert "Please choose a suggestion from the list." in response.text
    assert await _referrals(factory, survivor.id) == []


# ---------------------------------------------------------------- referrals


async def test_only_the_allowed_next_steps_are_offered(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    job = await listing(factory, partner.id, title="Kitchen helper")
    await _referral(factory, survivor, job)
    await sign_in(client, factory, counsellor)

    text = (await client.get(f"/people/{survivor.id}/referrals")).text

    assert "Kitchen helper" in text and "Proposed" in text
    assert 'value="interested"' in text and 'value="declined"' in text
    assert 'value="applied"' not in text and 'value="placed"' not in text and "/share" not in text
    assert await _audit(factory, "referral.list", survivor.id) == [("allowed", "count=1")]


async def test_a_step_is_recorded_with_its_reason(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id))
    csrf = await sign_in(client, factory, counsellor)

    form = {"_csrf": csrf, "to": "interested", "reason": "she asked about it"}
    response = await client.post(f"/referrals/{referral.id}/transition", data=form, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/people/{survivor.id}/referrals#r-{referral.id}"
    assert (await _referrals(factory, survivor.id))[0].status == "interested"
    page = await client.get(f"/people/{survivor.id}/referrals")
    assert "she asked about it" in page.text


async def test_a_step_without_a_reason_is_named_and_nothing_changes(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id))
    csrf = await sign_in(client, factory, counsellor)

    response = await client.post(f"/referrals/{referral.id}/transition", data={"_csrf": csrf, "to": "interested"})

    assert response.status_code == 400
    assert f'id="e-reason-{referral.id}"' in response.text
    assert (await _referrals(factory, survivor.id))[0].status == "suggested"


async def test_a_refused_step_reads_as_a_sentence_and_changes_nothing(
    client: AsyncTestClient, factory: Factory
) -> None:
    counsellor, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id))
    csrf = await sign_in(client, factory, counsellor)

    form = {"_csrf": csrf, "to": "completed", "reason": "forged step"}
    response = await client.post(f"/referrals/{referral.id}/transition", data=form)

    assert response.status_code == 409
    assert "This step cannot follow the current status." in response.text
    assert "cannot go from" not in response.text
    assert (await _referrals(factory, survivor.id))[0].status == "suggested"
    assert ("denied", None) in await _audit(factory, "referral.transition", referral.id)
    assert await _audit(factory, "referral.list", survivor.id) == [("allowed", "page shown again after a refused step")]


async def test_sharing_needs_her_permission_for_that_partner(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id), status="interested")
    other = await share_consent(factory, survivor, await factory.org("partner", name="Another Partner"))
    csrf = await sign_in(client, factory, counsellor)

    page = await client.get(f"/people/{survivor.id}/referrals")
    assert "She has not given a permission to share with" in page.text
    assert str(other.id) not in page.text

    form = {"_csrf": csrf, "consent_id": str(other.id)}
    response = await client.post(f"/referrals/{referral.id}/share", data=form)

    assert response.status_code == 409
    assert "This permission is no longer active or does not name this partner." in response.text
    stored = (await _referrals(factory, survivor.id))[0]
    assert (stored.status, stored.consent_id) == ("interested", None)


async def test_sharing_under_her_permission_moves_the_referral(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id), status="interested")
    consent = await share_consent(factory, survivor, partner)
    csrf = await sign_in(client, factory, counsellor)

    page = await client.get(f"/people/{survivor.id}/referrals")
    assert f'value="{consent.id}"' in page.text

    response = await client.post(
        f"/referrals/{referral.id}/share", data={"_csrf": csrf, "consent_id": str(consent.id)}, follow_redirects=False
    )

    assert response.status_code == 303
    stored = (await _referrals(factory, survivor.id))[0]
    assert (stored.status, stored.consent_id) == ("shared", consent.id)
    assert [outcome for outcome, _ in await _audit(factory, "referral.share", referral.id)] == ["allowed"]


async def test_sharing_without_a_choice_is_a_bad_request(client: AsyncTestClient, factory: Factory) -> None:
    counsellor, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id), status="interested")
    csrf = await sign_in(client, factory, counsellor)

    response = await client.post(f"/referrals/{referral.id}/share", data={"_csrf": csrf})

    assert response.status_code == 400
    assert "Please choose one of her permissions for this partner." in response.text


# ---------------------------------------------------------------- scope


async def test_another_caseload_gets_the_same_404_as_a_missing_id(client: AsyncTestClient, factory: Factory) -> None:
    _, partner, survivor = await _world(factory)
    referral = await _referral(factory, survivor, await listing(factory, partner.id))
    ngo = await factory.org()
    for outsider in (await factory.user("counsellor", ngo), await factory.user("coordinator", ngo)):
        client.cookies.clear()
        csrf = await sign_in(client, factory, outsider)
        for path in ("matches", "referrals", "skills"):
            foreign = await client.get(f"/people/{survivor.id}/{path}")
            missing = await client.get(f"/people/{MISSING}/{path}")
            assert foreign.status_code == missing.status_code == 404
            assert foreign.text.replace(str(survivor.id), "ID") == missing.text.replace(MISSING, "ID")
        form = {"_csrf": csrf, "to": "interested", "reason": "not mine"}
        assert (await client.post(f"/referrals/{referral.id}/transition", data=form)).status_code == 404
        form = {"_csrf": csrf, "opportunity_id": str(referral.opportunity_id)}
        assert (await client.post(f"/people/{survivor.id}/matches/propose", data=form)).status_code == 404
    assert (await _referrals(factory, survivor.id))[0].status == "suggested"
    assert {outcome for outcome, _ in await _audit(factory, "survivor.read", survivor.id)} == {"denied"}


async def test_her_coordinator_sees_her_suggestions_and_referrals(client: AsyncTestClient, factory: Factory) -> None:
    _, partner, survivor = await _world(factory)
    await _referral(factory, survivor, await listing(factory, partner.id, title="Kitchen helper"))
    async with factory.alchemy.get_session() as db:
        ngo = await db.get(Organisation, survivor.organisation_id)
    assert ngo is not None
    await sign_in(client, factory, await factory.user("coordinator", ngo))
    assert "Kitchen helper" in (await client.get(f"/people/{survivor.id}/matches")).text
    assert "Kitchen helper" in (await client.get(f"/people/{survivor.id}/referrals")).text


# ---------------------------------------------------------------- skills and languages


async def _starter(factory: Factory) -> None:
    async with factory.alchemy.get_session() as db:
        await load_starter(db)
        await db.commit()


async def test_words_are_normalised_on_submit_without_javascript(client: AsyncTestClient, factory: Factory) -> None:
    await _starter(factory)
    counsellor, _, survivor = await _world(factory)
    csrf = await sign_in(client, factory, counsellor)
    form = {
        "_csrf": csrf,
        "new_skill": "cleaning",
        "new_skill_level": "3",
        "new_occupation": "cook",
        "new_language": "ro",
        "new_language_level": "native",
    }

    response = await client.post(f"/people/{survivor.id}/skills", data=form, follow_redirects=False)

    assert response.status_code == 303, response.text
    stored = await stored_survivor(factory, survivor.id)
    assert [entry["level"] for entry in stored.skills] == [3]
    assert stored.skills[0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    assert stored.goals["target_occupations"][0].startswith("http://data.europa.eu/esco/occupation/")
    assert {"code": "ro", "level": "native"} in stored.languages
    page = await client.get(f"/people/{survivor.id}/skills")
    assert "perform cleaning duties" in page.text and "Romanian" in page.text
    assert [outcome for outcome, detail in await _audit(factory, "survivor.update", survivor.id)] == ["allowed"]


async def test_words_without_a_good_match_are_a_field_error(client: AsyncTestClient, factory: Factory) -> None:
    await _starter(factory)
    counsellor, _, survivor = await _world(factory)
    csrf = await sign_in(client, factory, counsellor)

    form = {"_csrf": csrf, "new_skill": "zqxj vvkp", "new_language": "xx", "new_language_level": "B1"}
    response = await client.post(f"/people/{survivor.id}/skills", data=form)

    assert response.status_code == 400
    assert 'id="e-new_skill"' in response.text and 'id="e-new_language"' in response.text
    assert "No good match for these words." in response.text
    assert 'value="zqxj vvkp"' in response.text
    stored = await stored_survivor(factory, survivor.id)
    assert (stored.skills, stored.languages) == ([], [{"code": "de", "level": "B1"}])


async def test_suggestions_are_offered_as_a_choice_and_the_choice_is_saved(
    client: AsyncTestClient, factory: Factory
) -> None:
    await _starter(factory)
    counsellor, _, survivor = await _world(factory)
    csrf = await sign_in(client, factory, counsellor)

    fragment = await client.post(
        f"/people/{survivor.id}/skills/suggest", data={"_csrf": csrf, "suggest": "skill", "new_skill": "ironing"}
    )

    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'name="new_skill_uri"' in fragment.text
    chosen = fragment.text.split('name="new_skill_uri" value="')[2].split('"')[0]
    assert chosen.startswith("http://data.europa.eu/esco/skill/")
    form = {"_csrf": csrf, "new_skill": "ironing", "new_skill_uri": chosen}
    assert (await client.post(f"/people/{survivor.id}/skills", data=form, follow_redirects=False)).status_code == 303
    assert [entry["uri"] for entry in (await stored_survivor(factory, survivor.id)).skills] == [chosen]


async def test_entries_are_relevelled_and_removed_and_unknown_concepts_ignored(
    client: AsyncTestClient, factory: Factory
) -> None:
    await _starter(factory)
    skill = "http://data.europa.eu/esco/skill/4f1b6304-f54a-42f0-9604-5427a28d240f"
    counsellor, _, survivor = await _world(
        factory,
        skills=[{"uri": skill, "level": 2, "evidence": "shelter kitchen"}],
        languages=[{"code": "de", "level": "A2"}, {"code": "en", "level": "B1"}],
    )
    csrf = await sign_in(client, factory, counsellor)
    form = {
        "_csrf": csrf,
        "skill_level_0": "4",
        "language_level_0": "B1",
        "language_remove_1": "on",
        "new_skill_uri": "http://data.europa.eu/esco/occupation/not-a-skill",
    }

    response = await client.post(f"/people/{survivor.id}/skills", data=form, follow_redirects=False)

    assert response.status_code == 303
    stored = await stored_survivor(factory, survivor.id)
    assert stored.skills == [{"uri": skill, "level": 4, "evidence": "shelter kitchen"}]
    assert stored.languages == [{"code": "de", "level": "B1"}]


async def test_suggestion_words_stay_out_of_urls_and_audit(client: AsyncTestClient, factory: Factory) -> None:
    await _starter(factory)
    counsellor, _, survivor = await _world(factory)
    csrf = await sign_in(client, factory, counsellor)
    page = await client.get(f"/people/{survivor.id}/skills")
    assert 'hx-post="/people/' in page.text and "hx-get" not in page.text
    await client.post(
        f"/people/{survivor.id}/skills/suggest", data={"_csrf": csrf, "suggest": "skill", "new_skill": "CANARY-WORDS"}
    )
    async with factory.alchemy.get_session() as db:
        hits = await db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.detail.contains("CANARY")))
    assert hits == 0
