"""Invitations and password resets by one-time link (SECURITY S32).

A link is issued in the transaction that asks for it, together with its email in the outbox;
the worker renders the address into the message at sending time (`link_parameters`). Using a
link sets the password, ends every session and API token of the account, and marks the link
used with a conditional UPDATE, so two browsers racing with the same link cannot both win.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta
from uuid import UUID, uuid4

from litestar.exceptions import ValidationException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.crypto import hash_password, new_token, password_problem, token_digest
from service.domain.accounts.link_models import LinkPurpose, OneTimeLink
from service.domain.accounts.models import User
from service.domain.accounts.sessions import revoke_all
from service.kernel.actor import Actor, aware, now_utc
from service.kernel.audit import record
from service.kernel.roles import Role
from service.messaging.models import OutboxMessage
from service.messaging.outbox import enqueue
from service.settings import Settings

LIFETIME = {LinkPurpose.INVITATION: timedelta(hours=48), LinkPurpose.RESET: timedelta(hours=2)}
#: The page each kind of link opens; the token travels in the query, which the access log drops.
PAGE = {LinkPurpose.INVITATION: "/account/welcome", LinkPurpose.RESET: "/account/new-password"}
KEY_PREFIX = "link"


class LinkNotUsable(Exception):
    """Unknown, expired, replaced or already used: one answer for all, so none can be told apart."""


def link_token(link_id: UUID, salt: str, key: str) -> str:
    """The secret part of the link, derived from the row and the configured key."""
    digest = hmac.new(("onward-link:" + key).encode(), f"{link_id}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


async def issue(
    db: AsyncSession,
    settings: Settings,
    user: User,
    purpose: LinkPurpose,
    actor: Actor | None,
    consent_id: UUID | None = None,
) -> OneTimeLink:
    """A new link for her (older unused ones of the same purpose stop working) and its email."""
    now = now_utc()
    await db.execute(
        update(OneTimeLink)
        .where(OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose.value, OneTimeLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    link_id, salt = uuid4(), new_token()
    link = OneTimeLink(
        id=link_id,
        purpose=purpose.value,
        user_id=user.id,
        salt=salt,
        token_hash=token_digest(link_token(link_id, salt, settings.security.encryption_key)),
        created_at=now,
        expires_at=now + LIFETIME[purpose],
        created_by_id=actor.user_id if actor else None,
        consent_id=consent_id,
    )
    db.add(link)
    await db.flush()
    await enqueue(
        db,
        settings.worker,
        key=f"{KEY_PREFIX}:{link.id}",
        template=purpose.value,
        recipients=[user.id],
        now=now,
        channels=("email",),
        # Her own account: neutral wording already, and no email in the quiet hours.
        discreet=user.role == Role.SURVIVOR.value,
    )
    await record(db, actor, f"{purpose.value}.issue", "user", user.id)
    return link


async def usable_link(db: AsyncSession, raw_token: str, purpose: LinkPurpose) -> tuple[OneTimeLink, User]:
    """The link and its account, if the token opens one now; `LinkNotUsable` otherwise."""
    if not raw_token or len(raw_token) > 100:
        raise LinkNotUsable
    found = (
        await db.execute(
            select(OneTimeLink, User)
            .join(User, User.id == OneTimeLink.user_id)
            .where(OneTimeLink.token_hash == token_digest(raw_token), OneTimeLink.purpose == purpose.value)
        )
    ).first()
    if found is None:
        raise LinkNotUsable
    link, user = found
    if link.used_at is not None or aware(link.expires_at) <= now_utc() or not user.can_sign_in:
        raise LinkNotUsable
    return link, user


async def use_link(db: AsyncSession, raw_token: str, purpose: LinkPurpose, password: str) -> User:
    """Set her password through the link: it works once; every session and token ends."""
    link, user = await usable_link(db, raw_token, purpose)
    problem = password_problem(password, user.email)
    if problem:
        raise ValidationException(detail=problem)
    now = now_utc()
    claimed = await db.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise LinkNotUsable
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    await revoke_all(db, user.id)
    await db.flush()
    action = "invitation.accept" if purpose is LinkPurpose.INVITATION else "password.reset"
    await record(db, None, action, "user", user.id, actor_id=user.id)
    return user


async def link_parameters(db: AsyncSession, message: OutboxMessage, settings: Settings) -> dict[str, str] | None:
    """What the outbox renders into a link message at sending time; None cancels the message
    (the link was used, replaced or has expired before the email could go)."""
    key = str(message.idempotency_key)
    if not key.startswith(f"{KEY_PREFIX}:"):
        return {}
    link = await db.get(OneTimeLink, UUID(key.split(":")[1]))
    if link is None or link.used_at is not None or aware(link.expires_at) <= now_utc():
        return None
    purpose = LinkPurpose(link.purpose)
    token = link_token(link.id, link.salt, settings.security.encryption_key)
    return {
        "link": f"{settings.app.public_url}{PAGE[purpose]}?token={token}",
        "hours": str(int(LIFETIME[purpose].total_seconds() // 3600)),
    }
