"""What every page needs: who is looking, in which language, with which CSRF token.

`Page` is injected into every page handler (dependency `page`). Error pages, which are
rendered outside dependency injection, build the same context with `error_context`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from litestar import MediaType, Request
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.domain.accounts.crypto import new_token
from service.domain.accounts.models import User
from service.kernel.actor import Actor
from service.kernel.deps import SettingsDep
from service.kernel.guards import CSRF_COOKIE, CSRF_FORM_FIELD
from service.kernel.roles import Role
from service.settings import Settings
from service.web import i18n, labels, navigation

LANGUAGE_COOKIE = "onward_lang"
# Where the quick exit goes: a busy, neutral site. A top-level navigation away is not a request
# made by our page, so it does not conflict with the CSP's "no third-party sources".
QUICK_EXIT_URL = os.environ.get("ONWARD_QUICK_EXIT_URL", "https://www.wikipedia.org/")
# Survivors (and everyone before login: she may be the one signing in) get the discreet frame:
# neutral titles, the quick exit, and navigation that replaces history entries.
DISCREET_ROLES = frozenset({Role.SURVIVOR})
_LOCAL_PATH = re.compile(r"^/[A-Za-z0-9/_\-]{0,200}$")
HOME = {
    Role.COUNSELLOR: "/caseload",
    Role.COORDINATOR: "/caseload",
    Role.ADMIN: "/directory/users",
    Role.PARTNER: "/organisation",
    Role.SURVIVOR: "/my",
}


def home_of(actor: Actor | None) -> str:
    return HOME[actor.role] if actor is not None else "/login"


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to return to; anything else (other hosts, `//x`, queries) is refused."""
    if value and _LOCAL_PATH.match(value) and not value.startswith("//"):
        return value
    return default


def see_other(path: str, cookies: list[Cookie] | None = None) -> Redirect:
    """303: after a form post the browser fetches the next page with GET."""
    return Redirect(path=path, status_code=303, cookies=cookies or [])


def language_cookie(language: str, settings: Settings) -> Cookie:
    """Remembers the language for the next visit; it names a language, nothing about her."""
    return Cookie(
        key=LANGUAGE_COOKIE,
        value=language,
        path="/",
        httponly=True,
        secure=settings.security.cookie_secure,
        samesite="lax",
        max_age=365 * 24 * 3600,
    )


def anonymous_csrf_cookie(value: str, settings: Settings) -> Cookie:
    """The double-submit cookie the access guard compares with the form's `_csrf` field."""
    return Cookie(
        key=CSRF_COOKIE,
        value=value,
        path="/",
        httponly=True,
        secure=settings.security.cookie_secure,
        samesite="strict",
    )


def request_language(request: Request[Any, Any, Any]) -> str:
    """Before login (or on error pages): the remembered cookie, then the browser's languages."""
    return (
        i18n.supported(request.cookies.get(LANGUAGE_COOKIE))
        or i18n.from_accept_language(request.headers.get("accept-language"))
        or i18n.DEFAULT
    )


def base_context(request: Request[Any, Any, Any], actor: Actor | None, language: str, csrf: str) -> dict[str, Any]:
    """Variables every template may use."""
    discreet = actor is None or actor.role in DISCREET_ROLES
    return {
        **i18n.jinja_callables(language),
        "lang": language,
        "dir": i18n.direction(language),
        "languages": i18n.LANGUAGES,
        "csrf": csrf,
        "csrf_field": CSRF_FORM_FIELD,
        "actor": actor,
        "role": actor.role.value if actor else None,
        "discreet": discreet,
        "quick_exit_url": QUICK_EXIT_URL,
        "current_path": safe_next(request.url.path, "/"),
        "home": home_of(actor),
        "nav": navigation.for_role(
            request.app.state.get(navigation.STATE_KEY, ()), actor.role.value if actor else None
        ),
        **labels.translated(language),
    }


@dataclass
class Page:
    """The request as pages see it; `render` returns the Template response."""

    request: Request[Any, Any, Any]
    actor: Actor | None
    language: str
    csrf: str
    settings: Settings
    cookies: list[Cookie] = field(default_factory=list)

    def t(self, message: str, **variables: Any) -> str:
        return i18n.translate(self.language, message, **variables)

    def render(self, template: str, status: int = 200, **context: Any) -> Template:
        return Template(
            template_name=template,
            context={**base_context(self.request, self.actor, self.language, self.csrf), **context},
            status_code=status,
            cookies=self.cookies,
            # Explicit: a handler without a Template return annotation would otherwise pass
            # its own default media type down to the template response.
            media_type=MediaType.HTML,
        )


#: The page context as a handler parameter: `async def view(self, page: PageDep)`.
PageDep = NamedDependency[SkipValidation[Page]]


async def provide_page(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], settings: SettingsDep
) -> Page:
    """Language: her account's setting once logged in, else cookie or browser; CSRF: the
    session's token, or a double-submit token (a cookie set here when missing)."""
    actor = request.scope.get("user")
    actor = actor if isinstance(actor, Actor) else None
    cookies: list[Cookie] = []
    if actor is not None:
        stored = await db_session.scalar(select(User.locale).where(User.id == actor.user_id))
        language = i18n.supported(stored) or request_language(request)
        csrf = actor.csrf_token or ""
    else:
        language = request_language(request)
        csrf = request.cookies.get(CSRF_COOKIE) or ""
        if not csrf:
            csrf = new_token()
            cookies.append(anonymous_csrf_cookie(csrf, settings))
    return Page(request=request, actor=actor, language=language, csrf=csrf, settings=settings, cookies=cookies)


def error_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The base context for error pages (rendered by exception handlers, without DI)."""
    actor = request.scope.get("user")
    actor = actor if isinstance(actor, Actor) else None
    csrf = (actor.csrf_token if actor else request.cookies.get(CSRF_COOKIE)) or ""
    return base_context(request, actor, request_language(request), csrf)
