"""Factories for test data, written through the real services (so rules apply)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient

from service.db.config import build_alchemy_config
from service.domain.accounts.crypto import TOTP_STEP_SECONDS, new_totp_secret, totp_now
from service.domain.accounts.models import Organisation, User
from service.domain.accounts.schemas import OrganisationCreate, UserCreate
from service.domain.accounts.services import create_organisation, create_user
from service.domain.survivors.accounts import SurvivorAccountLinks
from service.domain.survivors.models import Consent, Survivor
from service.settings import Settings

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


class Factory:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.alchemy = build_alchemy_config(settings.db)
        self.totp_secrets: dict[UUID, str] = {}
        self.used_steps: dict[UUID, int] = {}

    async def close(self) -> None:
        await self.alchemy.get_engine().dispose()

    async def org(
        self, kind: str = "support", *, vetted: bool = True, name: str | None = None, checks_partners: bool = True
    ) -> Organisation:
        """An organisation; an NGO may check partners unless `checks_partners=False`."""
        async with self.alchemy.get_session() as db:
            org = await create_organisation(
                db,
                None,
                OrganisationCreate(name=name or f"{kind} org {next(_seq)}", kind=kind),  # type: ignore[arg-type]
            )
            if kind == "partner" and vetted:
                org.vetting_status = "vetted"
            org.may_check_partners = kind == "support" and checks_partners
            await db.commit()
            return org

    async def user(
        self,
        role: str,
        org: Organisation | None = None,
        *,
        survivor: Survivor | None = None,
        mfa: bool | None = None,
        email: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        """An account; MFA is enrolled by default for the roles that require it."""
        async with self.alchemy.get_session() as db:
            user = await create_user(
                db,
                None,
                UserCreate(
                    email=email or f"{role}{next(_seq)}@example.org",
                    password=password,
                    role=role,  # type: ignore[arg-type]
                    organisation_id=org.id if org else None,
                    survivor_id=survivor.id if survivor else None,
                ),
                None,
                SurvivorAccountLinks(),
            )
            if mfa if mfa is not None else role in {"admin", "coordinator", "partner"}:
                secret = new_totp_secret()
                user.mfa_secret = secret
                self.totp_secrets[user.id] = secret
            await db.commit()
            return user

    async def survivor(self, org: Organisation, counsellor: User | None = None, **fields: Any) -> Survivor:
        values: dict[str, Any] = {"display_name": f"Survivor {next(_seq)}", "region": "DE30"}
        values.update(fields)
        async with self.alchemy.get_session() as db:
            row = Survivor(organisation_id=org.id, counsellor_id=counsellor.id if counsellor else None, **values)
            db.add(row)
            await db.commit()
            return row

    def code(self, user: User) -> str | None:
        """A valid TOTP code the server has not seen yet (codes are single-use per step)."""
        secret = self.totp_secrets.get(user.id)
        if not secret:
            return None
        step = max(int(time.time() // TOTP_STEP_SECONDS), self.used_steps.get(user.id, -1) + 1)
        # The server accepts one step of drift; beyond it, wait for the clock to catch up.
        while step > int(time.time() // TOTP_STEP_SECONDS) + 1:
            time.sleep(TOTP_STEP_SECONDS - time.time() % TOTP_STEP_SECONDS + 0.1)
        self.used_steps[user.id] = step
        return totp_now(secret, at=step * TOTP_STEP_SECONDS + 1)

    async def login(self, client: AsyncTestClient, user: User, password: str = PASSWORD) -> dict[str, str]:
        """Log in through the API; returns the CSRF header for unsafe requests."""
        body: dict[str, Any] = {"email": user.email, "password": password}
        code = self.code(user)
        if code:
            body["totp"] = code
        response = await client.post("/api/auth/login", json=body)
        assert response.status_code == 200, response.text
        return {"x-csrf-token": response.json()["csrf_token"]}

    async def token(self, client: AsyncTestClient, user: User) -> dict[str, str]:
        """A Bearer header for the user (logs in on a throwaway cookie jar first)."""
        headers = await self.login(client, user)
        response = await client.post("/api/auth/tokens", json={"name": "test"}, headers=headers)
        assert response.status_code == 201, response.text
        client.cookies.clear()
        return {"authorization": f"Bearer {response.json()['secret']}"}


async def share_consent(
    factory: Factory,
    survivor: Survivor,
    partner: Organisation,
    fields: Sequence[str] = ("skills", "languages"),
    *,
    days: float = 30,
    withdrawn: bool = False,
) -> Consent:
    """Her permission to share ``fields`` with one partner, from now for ``days`` (withdrawn at once if asked)."""
    now = datetime.now(UTC)
    async with factory.alchemy.get_session() as db:
        row = Consent(
            survivor_id=survivor.id,
            purpose="share_with_partner",
            partner_id=partner.id,
            fields=list(fields),
            granted_at=now,
            expires_at=now + timedelta(days=days),
            withdrawn_at=now if withdrawn else None,
        )
        db.add(row)
        await db.commit()
        return row
