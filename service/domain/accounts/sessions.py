"""Login, logout, session and token lifecycle, and login throttling (SECURITY S8–S14)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.auth import TOKEN_PREFIX
from service.domain.accounts.crypto import new_token, token_digest, verify_password, verify_totp
from service.domain.accounts.link_models import LinkRequest
from service.domain.accounts.models import ApiToken, LoginFailure, User, UserSession
from service.kernel.actor import Actor, now_utc
from service.kernel.audit import AuditEvent, record, record_now
from service.kernel.request_context import commit_despite_failure
from service.settings import SecuritySettings

BAD_CREDENTIALS = "login: email, password or code is wrong"
CLIENT_FAILURE_FACTOR = 4
"""A client may mistype more than one account (a shared computer at an NGO office)."""


def client_address(connection: ASGIConnection, security: SecuritySettings) -> str:
    """The caller's address; X-Forwarded-For only counts when the peer is a trusted proxy."""
    peer = connection.client.host if connection.client else "unknown"
    if peer in security.trusted_proxies:
        forwarded = connection.headers.get("x-forwarded-for", "")
        # The right-most entry is the one our own proxy appended; the rest is client-controlled.
        candidate = forwarded.split(",")[-1].strip() if forwarded else ""
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return peer
    return peer


def account_key(email: str) -> str:
    return token_digest("account:" + email.strip().lower())


def client_key(address: str) -> str:
    return token_digest("client:" + address)


async def _failures_since(db: AsyncSession, account: str, client: str, security: SecuritySettings) -> tuple[int, int]:
    since = now_utc() - timedelta(minutes=security.login_window_minutes)
    by_account = await db.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.account_key == account, LoginFailure.at >= since)
    )
    by_client = await db.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.client_key == client, LoginFailure.at >= since)
    )
    return int(by_account or 0), int(by_client or 0)


@dataclass(frozen=True)
class LoginResult:
    user: User
    session_token: str
    csrf_token: str
    mfa_setup_required: bool


async def _fail(alchemy: SQLAlchemyAsyncConfig, account: str, client: str, user_id: UUID | None, reason: str) -> None:
    # Kept although the request is about to fail and its transaction be rolled back.
    await commit_despite_failure(
        alchemy,
        LoginFailure(account_key=account, client_key=client, at=now_utc()),
        AuditEvent(
            at=now_utc(),
            actor_id=user_id,
            action="login",
            object_type="user",
            object_id=str(user_id) if user_id else None,
            outcome="denied",
            detail=reason,
        ),
    )


async def login(
    db: AsyncSession,
    alchemy: SQLAlchemyAsyncConfig,
    security: SecuritySettings,
    *,
    email: str,
    password: str,
    totp: str | None,
    address: str,
    previous_session_token: str | None,
) -> LoginResult:
    """Check credentials (and the second factor), then open a brand-new session.

    The session token is always freshly generated, never taken from the request, so a
    planted session id cannot survive login (S8). Failures count per account and per client
    in the database, so every web process sees the same counts (S13).
    """
    account, client = account_key(email), client_key(address)
    by_account, by_client = await _failures_since(db, account, client, security)
    if by_account >= security.login_max_failures or by_client >= security.login_max_failures * CLIENT_FAILURE_FACTOR:
        await record_now(alchemy, None, "login", "user", None, outcome="denied", detail="throttled")
        raise TooManyRequestsException(
            detail="login: too many failed attempts; try again later",
            headers={"Retry-After": str(security.login_window_minutes * 60)},
        )
    user = await db.scalar(select(User).where(User.email == email.strip().lower()))
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.can_sign_in:
        await _fail(alchemy, account, client, user.id if user else None, "bad_credentials")
        raise NotAuthorizedException(detail=BAD_CREDENTIALS)
    if user.mfa_secret:
        # A missing code answers exactly as a wrong password, and counts as a failure like it
        # (S30): neither the message nor the throttling may confirm the password.
        step = verify_totp(user.mfa_secret, totp, user.mfa_last_step) if totp else None
        if step is None:
            await _fail(alchemy, account, client, user.id, "bad_totp" if totp else "totp_missing")
            raise NotAuthorizedException(detail=BAD_CREDENTIALS)
        user.mfa_last_step = step
    if previous_session_token:
        await db.execute(
            update(UserSession)
            .where(UserSession.token_hash == token_digest(previous_session_token), UserSession.revoked_at.is_(None))
            .values(revoked_at=now_utc())
        )
    user.last_sign_in_at = now_utc()
    result = await open_session(db, user)
    await db.execute(delete(LoginFailure).where(LoginFailure.account_key == account))
    await record(db, None, "login", "user", user.id, actor_id=user.id)
    return result


async def open_session(db: AsyncSession, user: User) -> LoginResult:
    """A new session row for a user who has just proved who she is."""
    raw, csrf = new_token(), new_token()
    now = now_utc()
    pending = user.mfa_required and not user.mfa_secret
    db.add(
        UserSession(
            token_hash=token_digest(raw),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            mfa_pending=pending,
        )
    )
    await db.flush()
    return LoginResult(user=user, session_token=raw, csrf_token=csrf, mfa_setup_required=pending)


async def logout(db: AsyncSession, actor: Actor) -> None:
    """End this session and every API token created in it (S9)."""
    if actor.session_id is not None:
        now = now_utc()
        await db.execute(update(UserSession).where(UserSession.id == actor.session_id).values(revoked_at=now))
        await db.execute(
            update(ApiToken)
            .where(ApiToken.session_id == actor.session_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    await record(db, actor, "logout", "user", actor.user_id)


async def revoke_all(db: AsyncSession, user_id: UUID) -> None:
    """End every session and token of a user (password change, deactivation: S9)."""
    now = now_utc()
    await db.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await db.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )


async def create_api_token(db: AsyncSession, actor: Actor, name: str, days: int | None) -> tuple[ApiToken, str]:
    raw = new_token(TOKEN_PREFIX)
    now = now_utc()
    row = ApiToken(
        token_hash=token_digest(raw),
        prefix=raw[:10],
        name=name,
        user_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
        session_id=actor.session_id,
    )
    db.add(row)
    await db.flush()
    await record(db, actor, "token.create", "api_token", row.id)
    return row, raw


async def purge_expired(db: AsyncSession, security: SecuritySettings) -> int:
    """Delete sessions past their absolute lifetime and failures past the window (worker job)."""
    now = now_utc()
    gone = await db.execute(
        delete(UserSession).where(
            or_(
                UserSession.created_at < now - timedelta(hours=security.session_absolute_hours),
                UserSession.revoked_at < now - timedelta(hours=1),
            )
        )
    )
    await db.execute(
        delete(LoginFailure).where(LoginFailure.at < now - timedelta(minutes=security.login_window_minutes))
    )
    # Password-reset requests are throttled over an hour (accounts/invitations.py).
    await db.execute(delete(LinkRequest).where(LinkRequest.at < now - timedelta(hours=1)))
    return int(getattr(gone, "rowcount", 0) or 0)
