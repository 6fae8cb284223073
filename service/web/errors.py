"""Errors on pages: people get a page, not a problem+json document.

The same guards run for pages as for the API (default deny); only the way a refusal is shown
differs: not logged in → back to the login page; second factor pending → enrolment; a page
her role may not use → a 403 page; an object outside her scope → the very same 404 page as
an id that does not exist (SECURITY S2).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect, Template

from service.web.rendering import error_context

logger = logging.getLogger("onward.web")


def _error_page(request: Request[Any, Any, Any], status: int, *, expired: bool = False) -> Template:
    # The detail of the exception is never shown: it may name a rule or an object.
    context = {**error_context(request), "status": status, "expired": expired}
    return Template(template_name="error.html", context=context, status_code=status, media_type=MediaType.HTML)


def not_authorized(request: Request[Any, Any, Any], _: NotAuthorizedException) -> Response[Any]:
    return Redirect(path="/login", status_code=303)


def permission_denied(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Response[Any]:
    if (exc.detail or "").startswith("mfa:"):
        return Redirect(path="/account/security", status_code=303)
    if (exc.detail or "").startswith("csrf:"):
        # A form without a valid token: refused like any other forbidden request, but she is
        # told the useful thing (reload and try again), not that she did something wrong.
        return _error_page(request, 403, expired=True)
    return _error_page(request, 403)


def not_found(request: Request[Any, Any, Any], _: NotFoundException) -> Response[Any]:
    return _error_page(request, 404)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code if 400 <= exc.status_code < 500 else 500
    if status == 500:
        return server_error(request, exc)
    return _error_page(request, status)


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # As for the API: the type and the route template only (messages may carry personal data).
    reference = secrets.token_hex(6)
    route = request.scope.get("path_template") or "?"
    logger.error("unhandled %s on page %s %s (ref %s)", type(exc).__name__, request.method, route, reference)
    logger.debug("traceback for ref %s", reference, exc_info=exc)
    template = _error_page(request, 500)
    template.context["reference"] = reference
    return template


PAGE_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotAuthorizedException: not_authorized,
    PermissionDeniedException: permission_denied,
    NotFoundException: not_found,
    HTTPException: http_error,
    Exception: server_error,
}
