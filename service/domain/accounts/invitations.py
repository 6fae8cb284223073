"""Opening accounts by invitation, and asking for a password reset.

The remit (who may open which role where) is `services.check_remit`, the same rule as for
accounts created with a password; the account waits without a password until she uses her
link (links.py). A survivor's own account is opened by survivors/account_invitations.py.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import ClientException, PermissionDeniedException
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.link_models import LinkPurpose, LinkRequest
from service.domain.accounts.links import issue
from service.domain.accounts.models import User
from service.domain.accounts.schemas import InvitationCreate
from service.domain.accounts.services import add_user, check_remit, email_is_free, get_user
from service.domain.accounts.sessions import account_key, client_key
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record
from service.kernel.roles import Role
from service.settings import Settings

RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ACCOUNT = 3
RESETS_PER_CLIENT = 20
"""Several people may share one office computer; an address is asked for far less often."""


class ResetThrottled(Exception):
    """Too many reset requests for this address or from this client within the window."""


async def invite(
    db: AsyncSession, actor: Actor, data: InvitationCreate, settings: Settings, alchemy: SQLAlchemyAsyncConfig
) -> User:
    """A staff or partner account without a password, and the email with her link."""
    role = Role(data.role)
    org_id, _ = await check_remit(db, actor, role, data.organisation_id, None, alchemy)
    email = await email_is_free(db, data.email)
    user = await add_user(
        db,
        actor,
        email=email,
        password_hash="",
        role=role,
        org_id=org_id,
        survivor=None,
        display_name=data.display_name,
        locale=data.locale,
    )
    await issue(db, settings, user, LinkPurpose.INVITATION, actor)
    return user


async def invite_again(
    db: AsyncSession, actor: Actor, user_id: UUID, settings: Settings, alchemy: SQLAlchemyAsyncConfig
) -> User:
    """A fresh invitation for an account that has not chosen its password yet (the old link stops)."""
    user = await get_user(db, actor, user_id, alchemy)
    if actor.role not in (Role.ADMIN, Role.COORDINATOR) or user.id == actor.user_id:
        raise PermissionDeniedException(detail="role: not allowed for your role")
    if user.has_password:
        raise ClientException(detail="user: has already chosen a password", status_code=409)
    await issue(db, settings, user, LinkPurpose.INVITATION, actor)
    return user


async def request_reset(db: AsyncSession, settings: Settings, email: str, address: str) -> None:
    """Email a reset link if the address has an account that may sign in; the caller answers
    the same either way. Requests are counted per address and per client in the database, for
    unknown addresses too, so the limit itself tells nothing (SECURITY S30)."""
    account, client = account_key(email), client_key(address)
    since = now_utc() - RESET_WINDOW
    by_account = await db.scalar(
        select(func.count()).select_from(LinkRequest).where(LinkRequest.account_key == account, LinkRequest.at >= since)
    )
    by_client = await db.scalar(
        select(func.count()).select_from(LinkRequest).where(LinkRequest.client_key == client, LinkRequest.at >= since)
    )
    if int(by_account or 0) >= RESETS_PER_ACCOUNT or int(by_client or 0) >= RESETS_PER_CLIENT:
        raise ResetThrottled
    db.add(LinkRequest(account_key=account, client_key=client, at=now_utc()))
    user = await db.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.can_sign_in:
        await record(db, None, "reset.issue", "user", None, outcome="denied", detail="no account")
        return
    await issue(db, settings, user, LinkPurpose.RESET, None)
