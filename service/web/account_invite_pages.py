"""Her own sign-in, opened from her profile by her counsellor (or the coordinator) with her
consent: an invitation by email (accounts.invitations.invite_survivor decides everything)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, HTTPException
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.link_models import OneTimeLink
from service.domain.accounts.models import User
from service.domain.accounts.schemas import SurvivorInvitation
from service.domain.survivors import account_invitations
from service.domain.survivors.models import Survivor
from service.domain.survivors.services import SurvivorService, provide_survivor_service
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import Role, roles
from service.web.forms import N_, FormField, read_form, validate
from service.web.rendering import PageDep

STAFF = roles(Role.COUNSELLOR, Role.COORDINATOR)
FIELDS = (
    FormField("email", "text", N_("Please enter a valid email address.")),
    FormField("locale", "text", N_("Please choose a language.")),
    FormField("she_agreed", "bool", N_("Please confirm that she agreed to an account of her own.")),
)
EMAIL_TAKEN = N_("This email address already has an account.")


async def _state(db: AsyncSession, row: Survivor) -> dict[str, Any]:
    """Her account (if any) and when her latest invitation went out."""
    if row.user_id is None:
        return {"account": None, "invited_at": None}
    account = await db.get(User, row.user_id)
    invited_at = await db.scalar(
        select(OneTimeLink.created_at)
        .where(OneTimeLink.user_id == row.user_id, OneTimeLink.purpose == "invitation")
        .order_by(OneTimeLink.created_at.desc())
        .limit(1)
    )
    return {"account": account, "invited_at": invited_at}


class SurvivorAccountPages(Controller):
    """`/people/{id}/account`: whether she has her own sign-in, and the invitation form."""

    path = "/people/{survivor_id:uuid}/account"
    dependencies = {"survivors": Provide(provide_survivor_service)}

    @get("/", opt=STAFF)
    async def account(
        self,
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_id: FromPath[UUID],
    ) -> Any:
        """Her sign-in: none yet (the form), invited, or in use."""
        row = await survivors.read(actor, survivor_id, alchemy)
        values = {"locale": page.language, "email": "", "she_agreed": False}
        return page.render(
            "accounts/survivor_account.html", survivor=row, values=values, errors={}, **await _state(db_session, row)
        )

    @post("/", opt=STAFF, status_code=303)
    async def invite(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        survivors: NamedDependency[SurvivorService],
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        survivor_id: FromPath[UUID],
    ) -> Response[Any]:
        """Record her consent and email her invitation; every wrong field is named."""
        row = await survivors.get_visible(actor, survivor_id, alchemy)
        values, errors = read_form(await request.form(), FIELDS)
        if not values.get("she_agreed"):
            errors["she_agreed"] = FIELDS[2].message
        data = validate(values, SurvivorInvitation, FIELDS, errors)
        if isinstance(data, SurvivorInvitation):
            try:
                await account_invitations.invite_survivor(db_session, actor, row.id, data, settings, alchemy)
            except ClientException as exc:
                if not isinstance(exc, HTTPException) or exc.status_code != 409 or "email" not in str(exc.detail):
                    raise
                errors["email"] = EMAIL_TAKEN
            else:
                return Response(content="", status_code=303, headers={"Location": f"/people/{row.id}/account"})
        context = await _state(db_session, row)
        return page.render(
            "accounts/survivor_account.html", status=400, survivor=row, values=values, errors=errors, **context
        )


CONTROLLERS = (SurvivorAccountPages,)
