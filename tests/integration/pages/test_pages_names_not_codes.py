"""Every page of every audience speaks in names: no ESCO address, no NUTS code where a region
name belongs, no raw field name, no hex id (issue 13, point 4).

The small demo network (with the starter taxonomy) is loaded, one shared candidate and one
allocation round are added so that every kind of page has something to show, and then each
audience (counsellor, coordinator, partner, survivor, admin) signs in and reads the site as a
person would: from her home page, following every link on each page (a few pages per route,
since pages of one route share their template). Every GET page route of service/web must be
read by someone; the visible text of each page (names_not_codes.visible_text) must hold no code.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from providers.models import Opportunity
from service.db.config import build_alchemy_config
from service.db.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
from service.domain.accounts.crypto import totp_now
from service.domain.accounts.models import User
from service.domain.referrals.models import Referral
from service.domain.survivors.models import Consent, Survivor
from service.settings import Settings
from skills.starter import load_starter
from tests.conftest import app_for
from tests.support.names_not_codes import codes_in, visible_text
from tests.support.pages import page_gets

PAGES_PER_ROUTE = 3
PAGES_PER_READER = 120
READERS = (
    ("counsellor1.berlin", "en"),
    ("counsellor1.bucuresti", "ro"),
    ("counsellor1.torino", "ar"),
    ("coordinator.berlin", "en"),
    ("partner", "de"),
    ("survivor0", "en"),
    ("admin", "en"),
)
GET_FORMS = {
    # pages reached through a GET form (a select), not a link: read as the form would ask
    "coordinator.berlin": ("/reports?by=region", "/reports?by=period"),
    "admin": ("/reports?by=region",),
}
UUID_IN_PATH = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
NOT_PAGES = ("/logout", "/api/", "/static/", "/schema")
ELSEWHERE: dict[str, frozenset[str]] = {
    # A form that still asked for a code would be named here, with the kinds of code let through
    # until it speaks in names. None does any more.
}


PROFILE_PART = re.compile(r"(/people/\{id\}/profile/)[a-z]+$")
"""A part of her profile is named by a word in its path, not an id (one route for every part)."""


def route_of(path: str) -> str:
    return PROFILE_PART.sub(r"\1{id}", UUID_IN_PATH.sub("{id}", path.split("?", 1)[0].split("#", 1)[0]))


@dataclass
class Demo:
    settings: Settings
    region_codes: set[str]


async def _add_candidate_and_round(settings: Settings) -> None:
    """A profile shared with the demo partner (candidates pages), with every field she may share."""
    alchemy = build_alchemy_config(settings.db)
    try:
        async with alchemy.get_session() as db:
            partner = await db.scalar(select(User).where(User.email == f"partner@{DEMO_DOMAIN}"))
            assert partner is not None and partner.organisation_id is not None
            listing = await db.scalar(
                select(Opportunity)
                .where(Opportunity.organisation_id == partner.organisation_id, Opportunity.status == "published")
                .order_by(Opportunity.id)
                .limit(1)
            )
            taken = select(Referral.survivor_id).where(Referral.opportunity_id == listing.id)  # type: ignore[union-attr]
            survivor = await db.scalar(
                select(Survivor)
                .where(Survivor.region == listing.region, Survivor.id.not_in(taken))  # type: ignore[union-attr]
                .order_by(Survivor.id)
                .limit(1)
            )
            assert listing is not None and survivor is not None
            now = datetime.now(UTC)
            consent = Consent(
                survivor_id=survivor.id,
                purpose="share_with_partner",
                partner_id=partner.organisation_id,
                fields=["skills", "languages", "education", "work_history", "availability", "goals", "right_to_work"],
                granted_at=now,
                expires_at=now + timedelta(days=30),
            )
            db.add(consent)
            await db.flush()
            db.add(
                Referral(
                    survivor_id=survivor.id,
                    opportunity_id=listing.id,
                    partner_id=partner.organisation_id,
                    status="shared",
                    consent_id=consent.id,
                )
            )
            await db.commit()
    finally:
        await alchemy.get_engine().dispose()


@pytest.fixture
async def demo(settings: Settings) -> Demo:
    alchemy = build_alchemy_config(settings.db)
    try:
        async with alchemy.get_session() as db:
            await load_starter(db)
            await db.commit()
    finally:
        await alchemy.get_engine().dispose()
    await load_demo(settings, size="small", echo=lambda line: None)
    await _add_candidate_and_round(settings)
    alchemy = build_alchemy_config(settings.db)
    try:
        async with alchemy.get_session() as db:
            codes = set((await db.scalars(select(Survivor.region).distinct())).all())
            codes |= set((await db.scalars(select(Opportunity.region).distinct())).all())
    finally:
        await alchemy.get_engine().dispose()
    return Demo(settings, codes)


@pytest.fixture
async def demo_client(demo: Demo) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=app_for(demo.settings)) as client:
        yield client


async def _sign_in(client: AsyncTestClient, name: str, language: str) -> str:
    client.cookies.clear()
    email = f"{name}@{DEMO_DOMAIN}"
    body: dict[str, Any] = {"email": email, "password": DEMO_PASSWORD}
    if name.split(".")[0] in {"admin", "coordinator", "partner"}:
        body["totp"] = totp_now(DEMO_TOTP_SECRET)
    response = await client.post("/api/auth/login", json=body)
    assert response.status_code == 200, response.text
    csrf = response.json()["csrf_token"]
    changed = await client.post("/language", data={"_csrf": csrf, "locale": language, "next": "/"})
    assert changed.status_code in (200, 303), changed.text
    return csrf


async def _start_round(client: AsyncTestClient, csrf: str) -> None:
    """An allocation round of the coordinator's organisation (its page lists assignments)."""
    ids = [row["id"] for row in (await client.get("/api/survivors?limit=20")).json()["items"]][:20]
    made = await client.post("/api/allocation-rounds", json={"survivor_ids": ids}, headers={"x-csrf-token": csrf})
    assert made.status_code == 201, made.text


def _links(html: str) -> list[str]:
    return [
        href.split("#", 1)[0]
        for href in re.findall(r'href="(/[^"]*)"', html.replace("&amp;", "&"))
        if not any(href.startswith(prefix) for prefix in NOT_PAGES) and not href.endswith((".csv", ".json"))
    ]


async def _read_site(
    client: AsyncTestClient, demo: Demo, starts: list[str], columns: set[str]
) -> tuple[set[str], list[str]]:
    """Pages read (by route) and every code found, as "route path: codes"."""
    per_route: dict[str, int] = {}
    seen: set[str] = set()
    queue = deque([*starts, "/"])
    problems: list[str] = []
    while queue and len(seen) < PAGES_PER_READER:
        path = queue.popleft()
        route = route_of(path)
        if path in seen or (per_route.get(route, 0) >= PAGES_PER_ROUTE and path not in starts):
            continue
        seen.add(path)
        response = await client.get(path)
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        per_route[route] = per_route.get(route, 0) + 1
        found = codes_in(visible_text(response.text), demo.region_codes, columns if route == "/listings/import" else ())
        found = [(kind, code) for kind, code in found if kind not in ELSEWHERE.get(route, frozenset())]
        if found:
            problems.append(f"{path}: {sorted({code for _, code in found})[:8]}")
        queue.extend(link for link in _links(response.text) if link not in seen)
    return set(per_route), problems


async def test_every_page_of_every_audience_shows_names_not_codes(demo: Demo, demo_client: AsyncTestClient) -> None:
    client = demo_client
    read: set[str] = set()
    problems: list[str] = []
    columns: set[str] = set()
    for name, language in READERS:
        csrf = await _sign_in(client, name, language)
        if name.startswith("coordinator"):
            await _start_round(client, csrf)
        if name == "partner":
            # the import page explains the file's columns and values: its words may be the file's
            example = await client.get("/listings/import/example.csv")
            assert example.status_code == 200, example.text[:200]
            columns = set(re.findall(r"[a-z]+(?:_[a-z0-9]+)+", example.text))
        start = (await client.get("/", follow_redirects=True)).url.path
        routes, found = await _read_site(client, demo, [start, *GET_FORMS.get(name, ())], columns)
        read |= routes
        problems += [f"{name} ({language}) {line}" for line in found]
    # the example files are data for a spreadsheet or a program, not pages
    expected = {route_of(path) for path in page_gets()} - {"/listings/import/example.csv", "/listings/import/example.json"}
    assert expected - read == set(), "pages no reader reached (add a link or seed data)"
    assert not problems, "codes on pages:\n" + "\n".join(problems)


def test_the_check_finds_each_kind_of_code() -> None:
    page = visible_text(
        "<p>Essential skills: http://data.europa.eu/esco/skill/b5af495b</p><p>Region DE30</p>"
        "<p>hours_per_week=60</p><p>id 2f1c9a3e-0b7d-4c55-9a0e-1d2c3b4a5f60</p>"
        "<p>Detail (in English): x</p><input value='DE40'><script>var a_b = 1</script>"
        "<code>starts_on</code>"
    )
    found = [code for _, code in codes_in(page, {"DE30", "DE40"}, {"starts_on"})]
    assert "http://data.europa.eu/esco/skill/b5af495b" in found and "DE30" in found and "DE40" in found
    assert "hours_per_week=60" in found and "Detail (in English)" in found
    assert "2f1c9a3e-0b7d-4c55-9a0e-1d2c3b4a5f60" in found
    assert "a_b" not in found and "starts_on" not in found
    assert codes_in(visible_text("<p>Berlin, Piemonte; sew textile-based articles</p>"), {"DE30"}) == []
