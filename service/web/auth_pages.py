"""Signing in and out, the language switch, and second-factor enrolment, as pages.

Login goes through `accounts.sessions.login` (throttling, TOTP, session rotation, audit) and
sets the same session cookie as the JSON API; nothing about credentials is decided here.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException, ValidationException
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import services, sessions
from service.domain.accounts.auth import SESSION_COOKIE
from service.domain.accounts.controllers import session_cookie
from service.domain.accounts.crypto import totp_uri
from service.domain.accounts.models import User
from service.domain.accounts.schemas import UserUpdate
from service.kernel.deps import ActorDep, AlchemyDep, SettingsDep
from service.kernel.roles import PUBLIC, Role
from service.web import i18n
from service.web.forms import N_
from service.web.navigation import NavItem
from service.web.rendering import HOME, Page, PageDep, home_of, language_cookie, safe_next, see_other

MFA_SETUP = {"mfa_setup": True}
WRONG_LOGIN = N_("The email, password or code is not right. Please try again.")
CODE_NEEDED = N_("Please enter the 6-digit code from your authenticator app.")
TOO_MANY = N_("Too many attempts. Please wait a few minutes and try again.")
WRONG_CODE = N_("This code does not match. Check the time on your phone and try again.")


def _field(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


class SessionPages(Controller):
    """Login, logout, the start page and the language switch."""

    @get("/login", opt=PUBLIC, name="login")
    async def login_form(self, page: PageDep) -> Response[Any]:
        """The sign-in form (email, password, code); already signed in → her start page."""
        if page.actor is not None:
            return see_other(home_of(page.actor))
        return page.render("login.html")

    @post("/login", opt=PUBLIC, status_code=303)
    async def login(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        alchemy: AlchemyDep,
        settings: SettingsDep,
    ) -> Response[Any]:
        """Check the credentials through the accounts service, then open the session."""
        form = await request.form()
        email, password, code = _field(form, "email", 254), _field(form, "password", 256), _field(form, "totp", 10)
        errors = {}
        if not email:
            errors["email"] = N_("Please enter your email address.")
        if not password:
            errors["password"] = N_("Please enter your password.")
        if errors:
            return page.render("login.html", status=400, errors=errors, email=email)
        try:
            result = await sessions.login(
                db_session,
                alchemy,
                settings.security,
                email=email,
                password=password,
                totp=code or None,
                address=sessions.client_address(request, settings.security),
                previous_session_token=request.cookies.get(SESSION_COOKIE),
            )
        except TooManyRequestsException:
            return page.render("login.html", status=429, problem=TOO_MANY, email=email)
        except NotAuthorizedException as exc:
            needs_code = (exc.detail or "").startswith("totp:")
            problem = CODE_NEEDED if needs_code else WRONG_LOGIN
            return page.render("login.html", status=401, problem=problem, email=email)
        cookies = [session_cookie(result.session_token, settings)]
        language = i18n.supported(result.user.locale)
        if language:
            cookies.append(language_cookie(language, settings))
        target = "/account/security" if result.mfa_setup_required else HOME[Role(result.user.role)]
        return see_other(target, cookies)

    @post("/logout", opt=MFA_SETUP, status_code=303)
    async def logout(
        self, db_session: NamedDependency[AsyncSession], actor: ActorDep, settings: SettingsDep
    ) -> Response[Any]:
        """End this session at once and return to the sign-in page."""
        await sessions.logout(db_session, actor)
        return see_other("/login", [session_cookie("", settings, expire=True)])

    @get("/", name="start")
    async def start(self, actor: ActorDep) -> Response[Any]:
        """Each role's start page."""
        return see_other(home_of(actor))

    @post("/language", opt=PUBLIC, status_code=303)
    async def switch_language(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        alchemy: AlchemyDep,
        settings: SettingsDep,
    ) -> Response[Any]:
        """Remember a language: on her account once signed in, in a cookie before."""
        form = await request.form()
        language = i18n.supported(_field(form, "locale", 8))
        if language is None:
            return page.render("error.html", status=400)
        if page.actor is not None:
            # i18n.supported() has checked the code against our languages.
            choice = UserUpdate(locale=language)  # type: ignore[arg-type]
            await services.update_user(db_session, page.actor, page.actor.user_id, choice, alchemy)
        cookies = [language_cookie(language, settings)]
        if request.headers.get("hx-request") == "true":
            # A boosted form: reload in place, so no new history entry is made (quick exit).
            return Response(content="", status_code=200, headers={"HX-Refresh": "true"}, cookies=cookies)
        return see_other(safe_next(_field(form, "next", 200), home_of(page.actor)), cookies)


class SecurityPages(Controller):
    """Two-step sign-in: required for admins, coordinators and partners, open to everyone."""

    path = "/account/security"

    @get("/", opt=MFA_SETUP)
    async def overview(self, page: PageDep, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Any:
        """Her second factor: on, being set up (secret and URI as text), or not yet started."""
        user = await db_session.get_one(User, actor.user_id)
        return page.render("security.html", **_enrolment(user, page))

    @post("/start", opt=MFA_SETUP, status_code=303)
    async def start(self, db_session: NamedDependency[AsyncSession], actor: ActorDep) -> Response[Any]:
        """A new secret, kept pending until a code from it is confirmed (as POST /api/auth/mfa/setup)."""
        user = await db_session.get_one(User, actor.user_id)
        if not user.mfa_secret:
            await services.start_mfa(db_session, actor)
        return see_other("/account/security")

    @post("/confirm", opt=MFA_SETUP, status_code=303)
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        actor: ActorDep,
    ) -> Response[Any]:
        """Finish enrolment with a current code; the session is then fully open."""
        code = _field(await request.form(), "code", 10)
        try:
            await services.confirm_mfa(db_session, actor, code or "")
        except ValidationException:
            user = await db_session.get_one(User, actor.user_id)
            return page.render("security.html", status=400, errors={"code": WRONG_CODE}, **_enrolment(user, page))
        return see_other(home_of(actor))


def _enrolment(user: User, page: Page) -> dict[str, Any]:
    pending = user.mfa_pending_secret if not user.mfa_secret else None
    return {
        "enabled": bool(user.mfa_secret),
        "required": user.mfa_required,
        "secret": pending,
        "otpauth_uri": totp_uri(pending, user.email, page.settings.security.mfa_issuer) if pending else None,
    }


CONTROLLERS = (SessionPages, SecurityPages)
NAV = (NavItem(frozenset(Role), "/account/security", N_("Sign-in security"), 90),)
