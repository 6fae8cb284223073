"""A small cast for API-wide tests: two people per role, their signed-in credentials, and the
objects (organisations, users, survivors, consents, tokens) that path parameters can point at.

People are created through the real services (Factory); credentials come from the real login
and token endpoints, so a test that uses them exercises authentication as a client would.
Staff use personal API tokens (Bearer); survivors cannot create tokens and use the session
cookie with the CSRF header, as the browser does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

import requests

from service.domain.accounts.auth import SESSION_COOKIE
from service.domain.accounts.models import Organisation, User
from service.domain.survivors.models import Survivor
from service.kernel.guards import CSRF_HEADER
from tests.support.factories import PASSWORD, Factory

ROLES = ("admin", "coordinator", "counsellor", "partner", "survivor")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# What sign-in needs from a client: the `requests.Session` surface (schemathesis' ASGI client).
HttpClient = requests.Session


class CaseLike(Protocol):
    headers: Any
    cookies: Any


@dataclass(frozen=True)
class Identity:
    """One caller: a role and how she proves who she is (nothing for the anonymous caller)."""

    name: str
    role: str | None
    user_id: UUID | None = None
    bearer: str | None = None
    session: str | None = None
    csrf: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.bearer is None and self.session is None

    def apply(self, case: CaseLike) -> None:
        """Put the credentials on a request (headers and cookies containers)."""
        if self.bearer is not None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {self.bearer}"}
        if self.session is not None:
            case.cookies = {**(case.cookies or {}), SESSION_COOKIE: self.session}
            case.headers = {**(case.headers or {}), CSRF_HEADER: self.csrf or ""}


@dataclass
class People:
    """Who exists before any request is made, by role, plus bystanders nobody signs in as."""

    by_role: dict[str, list[User]] = field(default_factory=dict)
    organisations: list[Organisation] = field(default_factory=list)
    bystander_organisations: list[Organisation] = field(default_factory=list)
    bystander_users: list[User] = field(default_factory=list)
    survivors: list[Survivor] = field(default_factory=list)


async def create_people(factory: Factory) -> People:
    """Two NGOs and two partners, two people per role in different organisations, their survivors.

    Each NGO has a counsellor with a caseload of two survivors (one with her own account) and a
    coordinator; each partner organisation has one partner user; admins belong to no organisation.
    Bystanders (an extra NGO, partner and counsellor) are targets for writes, so that no write
    during a test can deactivate or rename a signed-in identity.
    """
    people = People(by_role={role: [] for role in ROLES})
    for _ in range(2):
        ngo, partner_org = await factory.org("support"), await factory.org("partner")
        people.organisations += [ngo, partner_org]
        counsellor = await factory.user("counsellor", ngo)
        people.by_role["counsellor"].append(counsellor)
        people.by_role["coordinator"].append(await factory.user("coordinator", ngo))
        people.by_role["partner"].append(await factory.user("partner", partner_org))
        people.by_role["admin"].append(await factory.user("admin"))
        with_account = await factory.survivor(ngo, counsellor)
        people.survivors += [with_account, await factory.survivor(ngo, counsellor)]
        people.by_role["survivor"].append(await factory.user("survivor", ngo, survivor=with_account))
    spare_ngo, spare_partner = await factory.org("support"), await factory.org("partner")
    people.bystander_organisations += [spare_ngo, spare_partner]
    people.bystander_users.append(await factory.user("counsellor", spare_ngo))
    people.survivors.append(await factory.survivor(spare_ngo))
    return people


def _login_body(factory: Factory, user: User) -> dict[str, str]:
    body = {"email": user.email, "password": PASSWORD}
    code = factory.code(user)
    if code:
        body["totp"] = code
    return body


def sign_in(client: HttpClient, factory: Factory, user: User, name: str) -> Identity:
    """Log in through the API; staff get a fresh API token, survivors keep the session."""
    # Each person signs in from a clean cookie jar, as from her own browser.
    client.cookies.clear()
    login = client.post("/api/auth/login", json=_login_body(factory, user))
    client.cookies.clear()
    assert login.status_code == 200, (name, login.status_code, login.text)
    session, csrf = str(login.cookies[SESSION_COOKIE]), str(login.json()["csrf_token"])
    if user.role == "survivor":
        return Identity(name=name, role=user.role, user_id=user.id, session=session, csrf=csrf)
    token = create_token(client, session, csrf, name)
    return Identity(name=name, role=user.role, user_id=user.id, bearer=token)


def create_token(client: HttpClient, session: str, csrf: str, name: str) -> str:
    """A new personal API token, created with a signed-in session."""
    response = client.post(
        "/api/auth/tokens",
        json={"name": name},
        cookies={SESSION_COOKIE: session},
        headers={CSRF_HEADER: csrf},
    )
    assert response.status_code == 201, (name, response.status_code, response.text)
    return str(response.json()["secret"])


def token_ids(client: HttpClient, identity: Identity, count: int) -> list[UUID]:
    """Spare tokens of a staff identity (not the one she signs in with), to be revoked by tests."""
    made: list[UUID] = []
    for number in range(count):
        response = client.post(
            "/api/auth/tokens",
            json={"name": f"spare {number}"},
            headers={"Authorization": f"Bearer {identity.bearer}"},
        )
        assert response.status_code == 201, (identity.name, response.status_code, response.text)
        made.append(UUID(response.json()["token"]["id"]))
    return made


def grant_consent(client: HttpClient, identity: Identity, survivor: Survivor, partner: Organisation) -> UUID:
    """A share-with-partner consent recorded by a counsellor through the API."""
    response = client.post(
        f"/api/survivors/{survivor.id}/consents",
        json={
            "purpose": "share_with_partner",
            "partner_id": str(partner.id),
            "fields": ["skills", "languages"],
            "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
        headers={"Authorization": f"Bearer {identity.bearer}"},
    )
    assert response.status_code == 201, (identity.name, response.status_code, response.text)
    return UUID(response.json()["id"])


def identities_by_role(people: People, client: HttpClient, factory: Factory) -> list[Identity]:
    """Every person of `people.by_role` signed in, plus the anonymous caller."""
    signed_in = [
        sign_in(client, factory, user, f"{role}-{number}")
        for role, users in people.by_role.items()
        for number, user in enumerate(users, start=1)
    ]
    return [*signed_in, Identity(name="anonymous", role=None)]


def count_by_role(identities: list[Identity]) -> Mapping[str | None, int]:
    counts: dict[str | None, int] = {}
    for identity in identities:
        counts[identity.role] = counts.get(identity.role, 0) + 1
    return counts


@dataclass(frozen=True)
class Targets:
    """Real ids per path parameter: any of them for reads, bystanders' only for writes."""

    reads: dict[str, list[str]]
    writes: dict[str, list[str]]

    def for_method(self, method: str) -> dict[str, list[str]]:
        return self.writes if method in UNSAFE else self.reads


def targets(people: People, consents: list[UUID], spare_tokens: list[UUID]) -> Targets:
    """Ids for path parameters: writes only reach bystanders, spare tokens and shared objects,
    so that no request can deactivate, rename or sign out a signed-in identity."""
    everyone = [user for users in people.by_role.values() for user in users] + people.bystander_users
    survivors = [str(survivor.id) for survivor in people.survivors]
    return Targets(
        reads={
            "user_id": [str(user.id) for user in everyone],
            "org_id": [str(org.id) for org in people.organisations + people.bystander_organisations],
            "survivor_id": survivors,
            "consent_id": [str(consent) for consent in consents],
            "token_id": [str(token) for token in spare_tokens],
        },
        writes={
            "user_id": [str(user.id) for user in people.bystander_users],
            "org_id": [str(org.id) for org in people.bystander_organisations],
            "survivor_id": survivors,
            "consent_id": [str(consent) for consent in consents],
            "token_id": [str(token) for token in spare_tokens],
        },
    )
