"""An account's and an organisation's life after opening: second factor reset, role change,
organisation deactivation. Each is allowed within the same remit as opening the account
(`services.check_remit`'s table), ends the person's sessions and is audited.
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import ClientException, PermissionDeniedException, ValidationException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.models import Organisation, User
from service.domain.accounts.services import _CREATABLE, _ORG_KIND_FOR_ROLE, get_organisation, get_user
from service.domain.accounts.sessions import revoke_all
from service.kernel.actor import Actor
from service.kernel.audit import record
from service.kernel.roles import Role


def _manages(actor: Actor, user: User) -> None:
    """Administrators manage every other account; coordinators those of their organisation
    that they could have opened (never an administrator's). Nobody manages herself here."""
    if user.id == actor.user_id:
        raise PermissionDeniedException(detail="user: not for your own account")
    if actor.role is Role.ADMIN:
        return
    if actor.role is Role.COORDINATOR and Role(user.role) in _CREATABLE[Role.COORDINATOR]:
        return
    raise PermissionDeniedException(detail="role: not allowed for your role")


def may_manage(actor: Actor, user: User) -> bool:
    """Whether the account page offers its actions to this actor (the services decide again)."""
    try:
        _manages(actor, user)
    except PermissionDeniedException:
        return False
    return True


def roles_offered(actor: Actor, user: User) -> tuple[Role, ...]:
    """The roles she may be moved to by this actor: those it may open, in her kind of organisation."""
    if Role(user.role) is Role.SURVIVOR or user.id == actor.user_id:
        return ()
    kind = user.organisation.kind if user.organisation is not None else None
    offered = []
    for role in (Role.COUNSELLOR, Role.COORDINATOR, Role.PARTNER, Role.ADMIN):
        wanted = _ORG_KIND_FOR_ROLE.get(role)
        same_place = (wanted is None and kind is None) or (wanted is not None and wanted.value == kind)
        if role in _CREATABLE.get(actor.role, frozenset()) and same_place:
            offered.append(role)
    return tuple(offered)


async def reset_second_factor(db: AsyncSession, actor: Actor, user_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> User:
    """Forget her authenticator (a lost phone): she enrols again at her next sign-in; her
    sessions end now."""
    user = await get_user(db, actor, user_id, alchemy)
    _manages(actor, user)
    if not user.mfa_secret:
        raise ClientException(detail="mfa: two-step sign-in is not set up", status_code=409)
    user.mfa_secret = user.mfa_pending_secret = None
    user.mfa_last_step = None
    await revoke_all(db, user.id)
    await db.flush()
    await record(db, actor, "mfa.reset", "user", user.id)
    return user


async def change_role(
    db: AsyncSession, actor: Actor, user_id: UUID, role: Role, alchemy: SQLAlchemyAsyncConfig
) -> User:
    """Move her to another role within the rules (same kind of organisation); her sessions end,
    so the next request is judged by the new role."""
    user = await get_user(db, actor, user_id, alchemy)
    _manages(actor, user)
    if role not in roles_offered(actor, user):
        raise ValidationException(detail=f"role: {role.value} is not possible for this account")
    if role.value != user.role:
        user.role = role.value
        await revoke_all(db, user.id)
        await db.flush()
    await record(db, actor, "user.role", "user", user.id, detail=f"role={role.value}")
    return user


async def set_organisation_active(
    db: AsyncSession, actor: Actor, org_id: UUID, active: bool, alchemy: SQLAlchemyAsyncConfig
) -> Organisation:
    """Deactivate (its people cannot sign in; their sessions end at once) or reactivate."""
    if actor.role is not Role.ADMIN:
        raise PermissionDeniedException(detail="role: only administrators change organisations")
    org = await get_organisation(db, actor, org_id, alchemy)
    org.is_active = active
    if not active:
        for member in (await db.scalars(select(User.id).where(User.organisation_id == org.id))).all():
            await revoke_all(db, member)
    await db.flush()
    await record(db, actor, "organisation.activate" if active else "organisation.deactivate", "organisation", org.id)
    return org
