"""Route-level access: default deny, roles, MFA enrolment and CSRF.

Object-level rules (which survivor, which listing) are not here: they live once per entity in
its service and are reused by detail, list and count.
"""

from __future__ import annotations

import hmac

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, ValidationException
from litestar.handlers.base import BaseRouteHandler

from service.kernel.actor import Actor
from service.kernel.body_shape import MAX_JSON_DEPTH, json_depth_exceeds, strict_body_problem

CSRF_COOKIE = "onward_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FORM_FIELD = "_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def actor_of(connection: ASGIConnection) -> Actor | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Actor) else None


async def _submitted_csrf(connection: ASGIConnection) -> str | None:
    header = connection.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = connection.headers.get("content-type", "")
    if content_type.startswith(_FORM_TYPES):
        # The form is parsed once here and cached on the request for the handler.
        form = await connection.form()  # type: ignore[attr-defined]
        value = form.get(CSRF_FORM_FIELD)
        return value if isinstance(value, str) else None
    return None


async def _check_csrf(connection: ASGIConnection, actor: Actor | None) -> None:
    """SECURITY S12: unsafe cookie-authenticated requests carry the session's token.

    Bearer-token calls are exempt (a browser never attaches them on its own). Anonymous
    JSON calls are exempt because a cross-site form cannot send `application/json` and CORS
    grants no unlisted origin; anonymous form posts use a double-submit cookie.
    """
    if connection.scope.get("method") in SAFE_METHODS:
        return
    if actor is not None and not actor.cookie_authenticated:
        return
    submitted = await _submitted_csrf(connection)
    if actor is not None:
        expected = actor.csrf_token
    else:
        content_type = connection.headers.get("content-type", "")
        if content_type.startswith("application/json") and not connection.cookies.get(CSRF_COOKIE):
            return
        expected = connection.cookies.get(CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise PermissionDeniedException(detail="csrf: missing or invalid CSRF token")


async def _refuse_nul_characters(connection: ASGIConnection) -> None:
    """NUL is never meaningful in our text and PostgreSQL cannot store it: refuse it up front."""
    if b"%00" in connection.scope.get("query_string", b"") or "\x00" in connection.scope.get("path", ""):
        raise ValidationException(detail="query: NUL characters are not allowed")
    if connection.scope.get("method") in SAFE_METHODS:
        return
    body = await connection.body()  # type: ignore[attr-defined]  # cached for the handler
    if b"\x00" in body or b"\\u0000" in body:
        raise ValidationException(detail="body: NUL characters are not allowed")
    if "json" in connection.headers.get("content-type", "") and json_depth_exceeds(body):
        raise ValidationException(detail=f"body: JSON nested deeper than {MAX_JSON_DEPTH} levels")


async def _refuse_lenient_bodies(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """A JSON body must be its declared type under strict rules (no 0 for false): see body_shape."""
    if connection.scope.get("method") in SAFE_METHODS or "json" not in connection.headers.get("content-type", ""):
        return
    signature = getattr(handler, "parsed_fn_signature", None)
    declared = signature.parameters.get("data") if signature is not None else None
    if declared is None:
        return
    problem = strict_body_problem(await connection.body(), declared.annotation)  # type: ignore[attr-defined]
    if problem:
        raise ValidationException(detail=problem)


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Applied to every route: public routes are an explicit opt-in (SECURITY S15)."""
    actor = actor_of(connection)
    opt = handler.opt
    if not opt.get("public"):
        if actor is None:
            raise NotAuthorizedException(detail="authentication required")
        if actor.mfa_pending and not opt.get("mfa_setup"):
            raise PermissionDeniedException(detail="mfa: set up your second factor first")
        roles = opt.get("roles")
        if roles is not None and actor.role not in roles:
            raise PermissionDeniedException(detail="role: not allowed for your role")
    # The raw body is read (and cached) before any form parsing: reading it after a multipart
    # form was parsed finds the stream consumed.
    await _refuse_nul_characters(connection)
    await _check_csrf(connection, actor)
    await _refuse_lenient_bodies(connection, handler)
