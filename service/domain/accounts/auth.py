"""Who is calling: browser sessions (cookie) and personal API tokens (Bearer).

Both live in the database, so any number of stateless web processes agree on them. The
middleware only identifies the caller; guards decide what she may do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.crypto import token_digest
from service.domain.accounts.models import ApiToken, User, UserSession
from service.kernel.actor import Actor, aware, now_utc
from service.kernel.request_context import bound_request
from service.kernel.roles import Role
from service.settings import SecuritySettings

SESSION_COOKIE = "onward_session"
TOKEN_PREFIX = "onw_"  # noqa: S105  (a public prefix, not a secret)
# Writing last_seen_at on every request would turn reads into writes; a minute is precise
# enough for a 30-minute idle timeout.
_TOUCH_EVERY = timedelta(seconds=60)


def session_expired(row: UserSession, now: datetime, security: SecuritySettings) -> bool:
    """Idle and absolute timeouts (SECURITY S10)."""
    return (
        row.revoked_at is not None
        or now - aware(row.last_seen_at) > timedelta(minutes=security.session_idle_minutes)
        or now - aware(row.created_at) > timedelta(hours=security.session_absolute_hours)
    )


async def _actor_from_session(db: AsyncSession, raw: str, security: SecuritySettings) -> Actor | None:
    row = (
        await db.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == token_digest(raw))
        )
    ).first()
    if row is None:
        return None
    user_session, user = row
    now = now_utc()
    if not user.can_sign_in or session_expired(user_session, now, security):
        return None
    if now - aware(user_session.last_seen_at) > _TOUCH_EVERY:
        await db.execute(update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now))
        await db.commit()
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        email=user.email,
        via="session",
        session_id=user_session.id,
        csrf_token=user_session.csrf_token,
        mfa_pending=user_session.mfa_pending,
    )


async def _actor_from_token(db: AsyncSession, raw: str) -> Actor | None:
    row = (
        await db.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_digest(raw))
        )
    ).first()
    if row is None:
        return None
    token, user = row
    now = now_utc()
    if not user.can_sign_in or token.revoked_at is not None:
        return None
    if token.expires_at is not None and aware(token.expires_at) <= now:
        return None
    # A token must not outlive the password it was created under (SECURITY S9).
    if user.password_changed_at is not None and aware(user.password_changed_at) > aware(token.created_at):
        return None
    if token.last_used_at is None or now - aware(token.last_used_at) > _TOUCH_EVERY:
        await db.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        await db.commit()
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        email=user.email,
        via="token",
        token_id=token.id,
        mfa_pending=user.mfa_required and not user.mfa_secret,
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


class AuthMiddleware:
    """Sets `scope["user"]` to an Actor or None; never rejects on its own."""

    def __init__(self, app: ASGIApp, alchemy: SQLAlchemyAsyncConfig, security: SecuritySettings) -> None:
        self.app = app
        self.alchemy = alchemy
        self.security = security

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["user"] = await self.identify(scope)
            scope["auth"] = None
        with bound_request(scope):
            await self.app(scope, receive, send)

    async def identify(self, scope: Scope) -> Actor | None:
        authorization = _header(scope, b"authorization")
        if authorization and authorization[:7].lower() == "bearer ":
            raw = authorization[7:].strip()
            if not raw.startswith(TOKEN_PREFIX):
                return None
            async with self.alchemy.get_session() as db:
                return await _actor_from_token(db, raw)
        raw_cookie = _cookie(scope, SESSION_COOKIE)
        if raw_cookie:
            async with self.alchemy.get_session() as db:
                return await _actor_from_session(db, raw_cookie, self.security)
        return None
