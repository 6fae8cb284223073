"""Her own account, opened by invitation: staff who may see her record it once she agreed.

Her consent (`own_account`) is recorded first, in the same transaction as the account and its
one-time link (accounts.links), so there is never an invitation without her recorded consent.
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.exceptions import ClientException, PermissionDeniedException, ValidationException
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.link_models import LinkPurpose
from service.domain.accounts.links import issue
from service.domain.accounts.models import User
from service.domain.accounts.schemas import SurvivorInvitation
from service.domain.accounts.services import add_user, check_remit, email_is_free
from service.domain.survivors.accounts import SurvivorAccountLinks
from service.domain.survivors.models import Consent, ConsentPurpose
from service.domain.survivors.services import visible_survivor
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import record
from service.kernel.roles import STAFF_ROLES, Role
from service.settings import Settings


async def invite_survivor(
    db: AsyncSession,
    actor: Actor,
    survivor_id: UUID,
    data: SurvivorInvitation,
    settings: Settings,
    alchemy: SQLAlchemyAsyncConfig,
) -> User:
    """Her own account, opened by staff who may see her record, once she has agreed."""
    if actor.role not in STAFF_ROLES:
        raise PermissionDeniedException(detail="role: not allowed for your role")
    survivor = await visible_survivor(db, actor, survivor_id, alchemy, action="invitation.issue")
    if survivor.user_id is not None:
        raise ClientException(detail="survivor_id: already has an account", status_code=409)
    if not data.she_agreed:
        raise ValidationException(detail="she_agreed: she must agree to an account of her own first")
    org_id, record_of_her = await check_remit(
        db, actor, Role.SURVIVOR, survivor.organisation_id, survivor.id, alchemy, SurvivorAccountLinks()
    )
    email = await email_is_free(db, data.email)
    consent = Consent(
        survivor_id=survivor.id,
        purpose=ConsentPurpose.OWN_ACCOUNT.value,
        granted_at=now_utc(),
        recorded_by_id=actor.user_id,
    )
    db.add(consent)
    await db.flush()
    await record(db, actor, "consent.create", "consent", consent.id)
    user = await add_user(
        db,
        actor,
        email=email,
        password_hash="",
        role=Role.SURVIVOR,
        org_id=org_id,
        survivor=record_of_her,
        display_name="",
        locale=data.locale,
    )
    await issue(db, settings, user, LinkPurpose.INVITATION, actor, consent_id=consent.id)
    return user
