"""JSON API: authentication, API tokens, users and organisations."""

from __future__ import annotations

from typing import Annotated, TypeAlias
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter, RequestBody, SkipValidation
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import services, sessions
from service.domain.accounts.auth import SESSION_COOKIE
from service.domain.accounts.crypto import totp_uri
from service.domain.accounts.models import ApiToken, Organisation, User
from service.domain.accounts.schemas import (
    LoginRequest,
    Me,
    MfaConfirm,
    MfaSetup,
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)
from service.kernel.actor import now_utc
from service.kernel.audit import record
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import PUBLIC, Role, roles
from service.settings import Settings

Limit = Annotated[int, QueryParameter(ge=1, le=200)]
Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000)]

SurvivorLinksDep: TypeAlias = NamedDependency[SkipValidation[services.SurvivorLinks]]


def session_cookie(value: str, settings: Settings, *, expire: bool = False) -> Cookie:
    """The session cookie: HttpOnly, SameSite=Lax, Secure unless turned off for local http (S11)."""
    return Cookie(
        key=SESSION_COOKIE,
        value="" if expire else value,
        path="/",
        httponly=True,
        secure=settings.security.cookie_secure,
        samesite="lax",
        max_age=0 if expire else None,
    )


def token_read(row: ApiToken) -> TokenRead:
    return TokenRead(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked=row.revoked_at is not None,
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", operation_id="Login", opt=PUBLIC, status_code=200)
    async def login(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        alchemy: AlchemyDep,
        settings: SettingsDep,
        data: RequestBody[LoginRequest],
    ) -> Response[Me]:
        """Open a session (cookie) after password and, where enrolled, the TOTP code."""
        result = await sessions.login(
            db_session,
            alchemy,
            settings.security,
            email=data.email,
            password=data.password,
            totp=data.totp,
            address=sessions.client_address(request, settings.security),
            previous_session_token=request.cookies.get(SESSION_COOKIE),
        )
        body = Me(
            user=services.user_read(result.user),
            csrf_token=result.csrf_token,
            mfa_setup_required=result.mfa_setup_required,
        )
        return Response(body, cookies=[session_cookie(result.session_token, settings)])

    @post("/logout", operation_id="Logout", status_code=200, opt={"mfa_setup": True})
    async def logout(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, settings: SettingsDep
    ) -> Response[dict[str, str]]:
        """End this session at once."""
        await sessions.logout(db_session, actor)
        return Response({"status": "logged out"}, cookies=[session_cookie("", settings, expire=True)])

    @get("/me", operation_id="Me", opt={"mfa_setup": True})
    async def me(self, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Me:
        """Who is logged in, and the CSRF token pages send with unsafe requests."""
        user = await db_session.get_one(User, actor.user_id)
        return Me(user=services.user_read(user), csrf_token=actor.csrf_token, mfa_setup_required=actor.mfa_pending)

    @post("/password", operation_id="ChangePassword", status_code=200)
    async def change_password(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        settings: SettingsDep,
        data: RequestBody[PasswordChange],
    ) -> Response[Me]:
        """Change the password; every other session and token ends (S9)."""
        user = await services.change_password(db_session, actor, data.current_password, data.new_password)
        cookies = []
        csrf = None
        if actor.cookie_authenticated:
            fresh = await sessions.open_session(db_session, user)
            cookies.append(session_cookie(fresh.session_token, settings))
            csrf = fresh.csrf_token
        return Response(Me(user=services.user_read(user), csrf_token=csrf, mfa_setup_required=False), cookies=cookies)

    @post("/mfa/setup", operation_id="MfaSetup", opt={"mfa_setup": True}, status_code=200)
    async def mfa_setup(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, settings: SettingsDep
    ) -> MfaSetup:
        """Start TOTP enrolment: a new secret, active only once a code from it is confirmed."""
        user, secret = await services.start_mfa(db_session, actor)
        return MfaSetup(secret=secret, otpauth_uri=totp_uri(secret, user.email, settings.security.mfa_issuer))

    @post("/mfa/confirm", operation_id="MfaConfirm", opt={"mfa_setup": True}, status_code=200)
    async def mfa_confirm(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, data: RequestBody[MfaConfirm]
    ) -> Me:
        """Finish enrolment with a current code; the session is then fully open."""
        user = await services.confirm_mfa(db_session, actor, data.code)
        return Me(user=services.user_read(user), csrf_token=actor.csrf_token, mfa_setup_required=False)

    @get("/tokens", operation_id="ListTokens", opt=roles(Role.ADMIN, Role.COORDINATOR, Role.COUNSELLOR, Role.PARTNER))
    async def list_tokens(self, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> list[TokenRead]:
        """The caller's own API tokens (never their secrets)."""
        rows = (await db_session.scalars(select(ApiToken).where(ApiToken.user_id == actor.user_id))).all()
        return [token_read(row) for row in rows]

    @post("/tokens", operation_id="CreateToken", opt=roles(Role.ADMIN, Role.COORDINATOR, Role.COUNSELLOR, Role.PARTNER))
    async def create_token(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, data: RequestBody[TokenCreate]
    ) -> TokenCreated:
        """A personal token for scripts; its secret is shown once."""
        row, raw = await sessions.create_api_token(db_session, actor, data.name, data.days)
        return TokenCreated(token=token_read(row), secret=raw)

    @delete(
        "/tokens/{token_id:uuid}",
        operation_id="RevokeToken",
        opt=roles(Role.ADMIN, Role.COORDINATOR, Role.COUNSELLOR, Role.PARTNER),
        status_code=204,
    )
    async def revoke_token(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, token_id: FromPath[UUID]
    ) -> None:
        """Revoke one of the caller's tokens; it stops working on the next request."""
        row = await db_session.scalar(
            select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == actor.user_id)
        )
        if row is None:
            raise NotFoundException(detail="token: not found")
        row.revoked_at = row.revoked_at or now_utc()
        await record(db_session, actor, "token.revoke", "api_token", row.id)


class UserController(Controller):
    path = "/api/users"
    tags = ["users"]

    @get("/", operation_id="ListUsers")
    async def list_users(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, limit: Limit = 50, offset: Offset = 0
    ) -> UserPage:
        """Accounts in the caller's scope."""
        scope = services.users_visible_to(actor)
        total = await db_session.scalar(select(func.count()).select_from(User).where(scope))
        rows = (
            await db_session.scalars(select(User).where(scope).order_by(User.created_at).limit(limit).offset(offset))
        ).all()
        await record(db_session, actor, "user.list", "user", None, detail=f"count={len(rows)}")
        return UserPage(items=[services.user_read(row) for row in rows], total=int(total or 0))

    @post("/", operation_id="CreateUser", opt=roles(Role.ADMIN, Role.COORDINATOR, Role.COUNSELLOR))
    async def create_user(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        survivor_links: SurvivorLinksDep,
        data: RequestBody[UserCreate],
    ) -> UserRead:
        """Create an account within the caller's remit."""
        return services.user_read(await services.create_user(db_session, actor, data, alchemy, survivor_links))

    @get("/{user_id:uuid}", operation_id="GetUser")
    async def get_user(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
    ) -> UserRead:
        """One account, if in scope."""
        user = await services.get_user(db_session, actor, user_id, alchemy)
        await record(db_session, actor, "user.read", "user", user.id)
        return services.user_read(user)

    @patch("/{user_id:uuid}", operation_id="UpdateUser")
    async def update_user(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        user_id: FromPath[UUID],
        data: RequestBody[UserUpdate],
    ) -> UserRead:
        """Change name, language or (admins, coordinators) deactivate: sessions end at once."""
        return services.user_read(await services.update_user(db_session, actor, user_id, data, alchemy))


class OrganisationController(Controller):
    path = "/api/organisations"
    tags = ["organisations"]

    @get("/", operation_id="ListOrganisations")
    async def list_organisations(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, limit: Limit = 100, offset: Offset = 0
    ) -> list[OrganisationRead]:
        """Organisations in the caller's scope (her own, and vetted partners for NGO staff)."""
        rows = (
            await db_session.scalars(
                select(Organisation)
                .where(services.organisations_visible_to(actor))
                .order_by(Organisation.name)
                .limit(limit)
                .offset(offset)
            )
        ).all()
        return [services.organisation_read(row) for row in rows]

    @post("/", operation_id="CreateOrganisation", opt=roles(Role.ADMIN))
    async def create_organisation(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, data: RequestBody[OrganisationCreate]
    ) -> OrganisationRead:
        """Register an NGO (vetted by onboarding) or a partner (pending vetting)."""
        return services.organisation_read(await services.create_organisation(db_session, actor, data))

    @get("/{org_id:uuid}", operation_id="GetOrganisation")
    async def get_organisation(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
    ) -> OrganisationRead:
        """One organisation, if in scope."""
        return services.organisation_read(await services.get_organisation(db_session, actor, org_id, alchemy))

    @patch("/{org_id:uuid}", operation_id="UpdateOrganisation", opt=roles(Role.ADMIN))
    async def update_organisation(
        self,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
        alchemy: AlchemyDep,
        org_id: FromPath[UUID],
        data: RequestBody[OrganisationUpdate],
    ) -> OrganisationRead:
        """Rename or reclassify an organisation."""
        return services.organisation_read(await services.update_organisation(db_session, actor, org_id, data, alchemy))
