"""JSON API: invitations (staff, partners, survivors with her consent) and password reset."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.exceptions import TooManyRequestsException, ValidationException
from litestar.params import FromPath, RequestBody
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import invitations, links, services, sessions
from service.domain.accounts.link_models import LinkPurpose
from service.domain.accounts.schemas import (
    InvitationCreate,
    LinkUse,
    LinkUsed,
    ResetRequest,
    UserRead,
)
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import PUBLIC, Role, roles

LINK_NOT_USABLE = "token: this link has expired, has been used or is not known"
RESET_ANSWER = "If this address has an account, a link to choose a new password is on its way."


class InvitationController(Controller):
    path = "/api"
    tags = ["users"]

    @post("/invitations", operation_id="InviteUser", opt=roles(Role.ADMIN, Role.COORDINATOR))
    async def invite(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        data: RequestBody[InvitationCreate],
    ) -> UserRead:
        """Open an account without a password and email her a one-time link (48 hours)."""
        return services.user_read(await invitations.invite(db_session, actor, data, settings, alchemy))

    @post(
        "/users/{user_id:uuid}/invitation",
        operation_id="InviteAgain",
        opt=roles(Role.ADMIN, Role.COORDINATOR),
        status_code=200,
    )
    async def invite_again(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        settings: SettingsDep,
        user_id: FromPath[UUID],
    ) -> UserRead:
        """Send a fresh invitation to an account that has not chosen its password (the old link stops)."""
        return services.user_read(await invitations.invite_again(db_session, actor, user_id, settings, alchemy))


class PasswordLinkController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/reset", operation_id="RequestPasswordReset", opt=PUBLIC, status_code=202)
    async def request_reset(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        settings: SettingsDep,
        data: RequestBody[ResetRequest],
    ) -> LinkUsed:
        """Email a reset link if the address has an account; the answer is the same either way."""
        try:
            await invitations.request_reset(
                db_session, settings, data.email, sessions.client_address(request, settings.security)
            )
        except invitations.ResetThrottled:
            raise TooManyRequestsException(
                detail="reset: too many requests; try again later", headers={"Retry-After": "3600"}
            ) from None
        return LinkUsed(status=RESET_ANSWER)

    @post("/welcome", operation_id="AcceptInvitation", opt=PUBLIC, status_code=200)
    async def accept_invitation(
        self, db_session: NamedDependency[AsyncSession], data: RequestBody[LinkUse]
    ) -> LinkUsed:
        """Choose her password through her invitation link; she then signs in."""
        return await _use(db_session, data, LinkPurpose.INVITATION)

    @post("/new-password", operation_id="ResetPassword", opt=PUBLIC, status_code=200)
    async def reset_password(self, db_session: NamedDependency[AsyncSession], data: RequestBody[LinkUse]) -> LinkUsed:
        """Choose a new password through a reset link; every session and token of the account ends."""
        return await _use(db_session, data, LinkPurpose.RESET)


async def _use(db: AsyncSession, data: LinkUse, purpose: LinkPurpose) -> LinkUsed:
    try:
        await links.use_link(db, data.token, purpose, data.password)
    except links.LinkNotUsable:
        raise ValidationException(detail=LINK_NOT_USABLE) from None
    return LinkUsed(status="password set; please sign in")


ROUTE_HANDLERS = (InvitationController, PasswordLinkController)
