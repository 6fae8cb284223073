"""Users and organisations, each with its one visibility rule (ARCHITECTURE §5)."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import (
    ClientException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from msgspec import UNSET
from sqlalchemy import ColumnElement, and_, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.crypto import (
    hash_password,
    new_totp_secret,
    password_problem,
    verify_password,
    verify_totp,
)
from service.domain.accounts.models import Organisation, OrgKind, User, UserSession, VettingStatus
from service.domain.accounts.schemas import (
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
    UserCreate,
    UserRead,
    UserUpdate,
)
from service.domain.accounts.sessions import revoke_all
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record, record_now, visible_or_not_found
from service.kernel.roles import Role


def users_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Admins see every account; coordinators their organisation's; everyone else herself."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.COORDINATOR:
        return User.organisation_id == actor.organisation_id
    return User.id == actor.user_id


def organisations_visible_to(actor: Actor) -> ColumnElement[bool]:
    """Admins see all; NGO staff and survivors see their own plus vetted partners; partners their own."""
    if actor.role is Role.ADMIN:
        return true()
    vetted_partner = and_(
        Organisation.kind == OrgKind.PARTNER.value, Organisation.vetting_status == VettingStatus.VETTED.value
    )
    if actor.role is Role.PARTNER:
        return Organisation.id == actor.organisation_id
    return or_(Organisation.id == actor.organisation_id, vetted_partner)


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        display_name=user.display_name,
        locale=user.locale,
        is_active=user.is_active,
        mfa_enabled=bool(user.mfa_secret),
        created_at=user.created_at,
    )


def organisation_read(org: Organisation) -> OrganisationRead:
    return OrganisationRead(
        id=org.id,
        name=org.name,
        kind=org.kind,
        country=org.country,
        partner_type=org.partner_type,
        vetting_status=org.vetting_status,
        created_at=org.created_at,
    )


# Who may create which role, and where.
_CREATABLE: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset({Role.ADMIN, Role.COORDINATOR, Role.COUNSELLOR, Role.PARTNER}),
    Role.COORDINATOR: frozenset({Role.COORDINATOR, Role.COUNSELLOR, Role.SURVIVOR}),
    Role.COUNSELLOR: frozenset({Role.SURVIVOR}),
}
_ORG_KIND_FOR_ROLE = {
    Role.COORDINATOR: OrgKind.SUPPORT,
    Role.COUNSELLOR: OrgKind.SUPPORT,
    Role.SURVIVOR: OrgKind.SUPPORT,
    Role.PARTNER: OrgKind.PARTNER,
}


class LinkableRecord(Protocol):
    """Her record as an account sees it: which account, if any, is hers."""

    user_id: UUID | None


class SurvivorLinks(Protocol):
    """Finds her record for a new survivor account; the survivors area provides it (core wires
    it as the `survivor_links` dependency), so accounts never reads survivor records itself."""

    async def find(
        self, db: AsyncSession, actor: Actor | None, survivor_id: UUID, organisation_id: UUID | None
    ) -> LinkableRecord | None:
        """Her record if `actor` may see it (the CLI, `actor=None`: within `organisation_id`)."""
        ...


async def create_user(
    db: AsyncSession,
    actor: Actor | None,
    data: UserCreate,
    alchemy: SQLAlchemyAsyncConfig | None,
    survivor_links: SurvivorLinks | None = None,
) -> User:
    """Create an account within the actor's remit (`actor=None` is the operator's CLI).

    A survivor account is tied to her record, found through `survivor_links`."""
    role = Role(data.role)
    if actor is not None and role not in _CREATABLE.get(actor.role, frozenset()):
        raise PermissionDeniedException(detail=f"role: you cannot create {role.value} accounts")
    org_id = data.organisation_id
    if actor is not None and actor.role is not Role.ADMIN:
        if org_id is not None and org_id != actor.organisation_id:
            raise PermissionDeniedException(detail="organisation_id: only your own organisation")
        org_id = actor.organisation_id
    if role is Role.ADMIN:
        org_id = None
    else:
        if org_id is None:
            raise ValidationException(detail="organisation_id: required for this role")
        org = await db.get(Organisation, org_id)
        if org is None or (actor is not None and actor.role is not Role.ADMIN and org.id != actor.organisation_id):
            raise NotFoundException(detail="organisation_id: no such organisation")
        if org.kind != _ORG_KIND_FOR_ROLE[role].value:
            raise ValidationException(
                detail=f"role: a {role.value} belongs to a {_ORG_KIND_FOR_ROLE[role].value} organisation"
            )
    survivor: LinkableRecord | None = None
    if role is Role.SURVIVOR:
        if data.survivor_id is None:
            raise ValidationException(detail="survivor_id: required for a survivor account")
        survivor = await survivor_links.find(db, actor, data.survivor_id, org_id) if survivor_links else None
        if survivor is None:
            if alchemy is not None:
                await record_now(alchemy, actor, "user.create", "survivor", data.survivor_id, outcome="denied")
            raise NotFoundException(detail="survivor_id: not found")
        if survivor.user_id is not None:
            raise ClientException(detail="survivor_id: already has an account", status_code=409)
    elif data.survivor_id is not None:
        raise ValidationException(detail="survivor_id: only for survivor accounts")
    problem = password_problem(data.password, data.email)
    if problem:
        raise ValidationException(detail=problem)
    email = data.email.strip().lower()
    if await db.scalar(select(User.id).where(User.email == email)) is not None:
        raise ClientException(detail="email: already registered", status_code=409)
    user = User(
        email=email,
        password_hash=hash_password(data.password),
        role=role.value,
        organisation_id=org_id,
        display_name=data.display_name,
        locale=data.locale,
    )
    db.add(user)
    await db.flush()
    if survivor is not None:
        survivor.user_id = user.id
        await db.flush()
    await record(db, actor, "user.create", "user", user.id)
    return user


async def get_user(db: AsyncSession, actor: Actor, user_id: UUID, alchemy: SQLAlchemyAsyncConfig) -> User:
    return await visible_or_not_found(
        db,
        alchemy,
        actor,
        select(User).where(User.id == user_id, users_visible_to(actor)),
        action="user.read",
        object_type="user",
        object_id=user_id,
        detail="user: not found",
    )


async def update_user(
    db: AsyncSession, actor: Actor, user_id: UUID, data: UserUpdate, alchemy: SQLAlchemyAsyncConfig
) -> User:
    user = await get_user(db, actor, user_id, alchemy)
    is_self = user.id == actor.user_id
    if data.is_active is not UNSET:
        if is_self:
            raise PermissionDeniedException(detail="is_active: you cannot deactivate yourself")
        if actor.role not in (Role.ADMIN, Role.COORDINATOR):
            raise PermissionDeniedException(detail="is_active: not allowed for your role")
        if actor.role is Role.COORDINATOR and Role(user.role) is Role.ADMIN:
            raise PermissionDeniedException(detail="is_active: not allowed for your role")
        user.is_active = bool(data.is_active)
        if not user.is_active:
            await revoke_all(db, user.id)
    if data.display_name is not UNSET:
        user.display_name = str(data.display_name)
    if data.locale is not UNSET:
        user.locale = str(data.locale)
    await db.flush()
    await record(db, actor, "user.update", "user", user.id)
    return user


async def change_password(db: AsyncSession, actor: Actor, current: str, new: str) -> User:
    user = await db.get_one(User, actor.user_id)
    if not verify_password(user.password_hash, current):
        raise ValidationException(detail="current_password: is wrong")
    problem = password_problem(new, user.email)
    if problem:
        raise ValidationException(detail=problem.replace("password:", "new_password:", 1))
    user.password_hash = hash_password(new)
    user.password_changed_at = now_utc()
    await revoke_all(db, user.id)
    await record(db, actor, "user.password", "user", user.id)
    return user


async def start_mfa(db: AsyncSession, actor: Actor) -> tuple[User, str]:
    """Start TOTP enrolment: a new secret, kept pending (encrypted on the user) until a code
    from it is confirmed; starting again replaces it."""
    user = await db.get_one(User, actor.user_id)
    if user.mfa_secret:
        raise ValidationException(detail="mfa: already enrolled")
    secret = new_totp_secret()
    user.mfa_pending_secret = secret
    await record(db, actor, "mfa.setup", "user", user.id)
    return user, secret


async def confirm_mfa(db: AsyncSession, actor: Actor, code: str) -> User:
    """Finish enrolment with a current code; the caller's session is then fully open."""
    user = await db.get_one(User, actor.user_id)
    if not user.mfa_pending_secret:
        raise ValidationException(detail="mfa: start enrolment first (POST /api/auth/mfa/setup)")
    step = verify_totp(user.mfa_pending_secret, code, None)
    if step is None:
        raise ValidationException(detail="code: does not match; check the time on your phone")
    user.mfa_secret, user.mfa_pending_secret, user.mfa_last_step = user.mfa_pending_secret, None, step
    if actor.session_id is not None:
        await db.execute(update(UserSession).where(UserSession.id == actor.session_id).values(mfa_pending=False))
    await record(db, actor, "mfa.enable", "user", user.id)
    return user


async def create_organisation(db: AsyncSession, actor: Actor | None, data: OrganisationCreate) -> Organisation:
    if await db.scalar(select(Organisation.id).where(Organisation.name == data.name)) is not None:
        raise ClientException(detail="name: an organisation with this name exists", status_code=409)
    if data.kind == OrgKind.SUPPORT.value and data.partner_type is not None:
        raise ValidationException(detail="partner_type: only for partner organisations")
    org = Organisation(
        name=data.name,
        kind=data.kind,
        country=data.country,
        partner_type=data.partner_type,
        # NGOs are onboarded by the platform operator; partners wait for vetting.
        vetting_status=VettingStatus.VETTED.value
        if data.kind == OrgKind.SUPPORT.value
        else VettingStatus.PENDING.value,
    )
    db.add(org)
    await db.flush()
    await record(db, actor, "organisation.create", "organisation", org.id)
    return org


async def get_organisation(
    db: AsyncSession, actor: Actor, org_id: UUID, alchemy: SQLAlchemyAsyncConfig
) -> Organisation:
    return await visible_or_not_found(
        db,
        alchemy,
        actor,
        select(Organisation).where(Organisation.id == org_id, organisations_visible_to(actor)),
        action="organisation.read",
        object_type="organisation",
        object_id=org_id,
        detail="organisation: not found",
    )


async def update_organisation(
    db: AsyncSession, actor: Actor, org_id: UUID, data: OrganisationUpdate, alchemy: SQLAlchemyAsyncConfig
) -> Organisation:
    org = await get_organisation(db, actor, org_id, alchemy)
    if actor.role is not Role.ADMIN:
        raise PermissionDeniedException(detail="role: only administrators edit organisations")
    for name in ("name", "country", "partner_type"):
        value = getattr(data, name)
        if value is not UNSET:
            setattr(org, name, value)
    await db.flush()
    await record(db, actor, "organisation.update", "organisation", org.id)
    return org
