"""The pages a one-time link opens (choose a password: invitation or reset) and the reset
request, reachable without signing in (SECURITY S15 lists them).

Everything about links is decided in accounts.links and accounts.invitations; the token
travels in the query string (which the access log drops) and then in a hidden form field.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts import invitations, links, sessions
from service.domain.accounts.link_models import LinkPurpose
from service.domain.accounts.models import User
from service.kernel.deps import SettingsDep
from service.kernel.roles import PUBLIC
from service.web import i18n
from service.web.forms import N_
from service.web.rendering import LANGUAGE_COOKIE, PageDep

Token = Annotated[str | None, QueryParameter(max_length=100)]
PASSWORD_RULES = N_("Please choose a password of at least 12 characters that is not a common one.")
PASSWORD_NAME = N_("Please choose a password that does not contain the name in your email address.")
PASSWORDS_DIFFER = N_("The two passwords are not the same.")
EMAIL_NEEDED = N_("Please enter your email address.")
TOO_MANY_RESETS = N_("Too many requests for a new password. Please wait an hour and try again.")
HEADING = {LinkPurpose.INVITATION: N_("Choose your password"), LinkPurpose.RESET: N_("Choose a new password")}


def _text(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _her_language(page: Any, user: User) -> None:
    """Before anyone signs in, the page speaks the language her account was opened in, unless
    she has picked one with the language switch."""
    if not page.request.cookies.get(LANGUAGE_COOKIE):
        page.language = i18n.supported(user.locale) or page.language


async def _choose_form(page: Any, db: AsyncSession, token: str | None, purpose: LinkPurpose) -> Any:
    try:
        _, user = await links.usable_link(db, token or "", purpose)
    except links.LinkNotUsable:
        return page.render("accounts/link_gone.html", status=410)
    _her_language(page, user)
    return page.render(
        "accounts/choose_password.html",
        heading=page.t(HEADING[purpose]),
        action=links.PAGE[purpose],
        token=token,
        email=user.email,
        errors={},
    )


async def _choose(page: Any, request: Request[Any, Any, Any], db: AsyncSession, purpose: LinkPurpose) -> Any:
    form = await request.form()
    token = _text(form, "token", 100)
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    again = form.get("password_again") if isinstance(form.get("password_again"), str) else ""
    try:
        _, user = await links.usable_link(db, token, purpose)
    except links.LinkNotUsable:
        return page.render("accounts/link_gone.html", status=410)
    _her_language(page, user)
    errors: dict[str, str] = {}
    if password != again:
        errors["password_again"] = PASSWORDS_DIFFER
    if not errors:
        try:
            await links.use_link(db, token, purpose, str(password))
        except links.LinkNotUsable:
            return page.render("accounts/link_gone.html", status=410)
        except ValidationException as exc:
            errors["password"] = PASSWORD_NAME if "email name" in str(exc.detail) else PASSWORD_RULES
        else:
            return page.render("accounts/password_set.html")
    context = {"heading": page.t(HEADING[purpose]), "action": links.PAGE[purpose], "token": token}
    return page.render("accounts/choose_password.html", status=400, email=user.email, errors=errors, **context)


class LinkPages(Controller):
    """Choosing a password through an invitation or a reset link, and asking for a reset."""

    path = "/account"

    @get("/welcome", opt=PUBLIC)
    async def welcome_form(self, page: PageDep, db_session: NamedDependency[AsyncSession], token: Token = None) -> Any:
        """Her invitation link: choose a password (or: this link no longer works, 410)."""
        return await _choose_form(page, db_session, token, LinkPurpose.INVITATION)

    @post("/welcome", opt=PUBLIC, status_code=200)
    async def welcome(
        self, request: Request[Any, Any, Any], page: PageDep, db_session: NamedDependency[AsyncSession]
    ) -> Any:
        """Save her first password; she then signs in (and sets up a second factor if her role needs one)."""
        return await _choose(page, request, db_session, LinkPurpose.INVITATION)

    @get("/new-password", opt=PUBLIC)
    async def new_password_form(
        self, page: PageDep, db_session: NamedDependency[AsyncSession], token: Token = None
    ) -> Any:
        """A reset link: choose a new password (or: this link no longer works, 410)."""
        return await _choose_form(page, db_session, token, LinkPurpose.RESET)

    @post("/new-password", opt=PUBLIC, status_code=200)
    async def new_password(
        self, request: Request[Any, Any, Any], page: PageDep, db_session: NamedDependency[AsyncSession]
    ) -> Any:
        """Save the new password; every session and API token of the account ends."""
        return await _choose(page, request, db_session, LinkPurpose.RESET)

    @get("/reset", opt=PUBLIC)
    async def reset_form(self, page: PageDep) -> Any:
        """Ask for a reset link by email address."""
        return page.render("accounts/reset_request.html", email="", errors={})

    @post("/reset", opt=PUBLIC, status_code=200)
    async def reset(
        self,
        request: Request[Any, Any, Any],
        page: PageDep,
        db_session: NamedDependency[AsyncSession],
        settings: SettingsDep,
    ) -> Any:
        """The same answer whether or not the address has an account; throttled in the database."""
        email = _text(await request.form(), "email", 254)
        if len(email) < 3:
            return page.render("accounts/reset_request.html", status=400, email=email, errors={"email": EMAIL_NEEDED})
        try:
            await invitations.request_reset(
                db_session, settings, email, sessions.client_address(request, settings.security)
            )
        except invitations.ResetThrottled:
            return page.render(
                "accounts/reset_request.html", status=429, email=email, errors={}, problem=TOO_MANY_RESETS
            )
        return page.render("accounts/reset_sent.html")


CONTROLLERS = (LinkPages,)
