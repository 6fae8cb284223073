"""Errors as problem details (RFC 9457) that never leak a traceback, SQL or personal data."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import sqlalchemy.exc
from advanced_alchemy.exceptions import (
    DuplicateKeyError,
    ForeignKeyError,
    IntegrityError,
    NotFoundError,
    RepositoryError,
)
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

logger = logging.getLogger("onward.errors")
PROBLEM_JSON = "application/problem+json"


def _problem(
    status: int, title: str, detail: str, extra: Any = None, headers: dict[str, str] | None = None
) -> Response[Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if extra:
        body["errors"] = extra
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _safe_validation_extra(extra: Any) -> Any:
    """Keep which field and why; drop any echo of the submitted value."""
    if not isinstance(extra, list):
        return None
    cleaned = []
    for item in extra:
        if isinstance(item, dict):
            cleaned.append({k: v for k, v in item.items() if k in {"message", "key", "source"}})
    return cleaned or None


def http_exception_handler(_: Request, exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    title = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        405: "Method Not Allowed",
        409: "Conflict",
        413: "Payload Too Large",
        415: "Unsupported Media Type",
        429: "Too Many Requests",
    }.get(status, "Error")
    detail = exc.detail or title
    extra = _safe_validation_extra(exc.extra) if isinstance(exc, ValidationException) else None
    if extra and detail.startswith("Validation failed"):
        first = extra[0]
        where = first.get("key") or first.get("source") or "body"
        detail = f"{where}: {first.get('message', 'invalid')}"
    if status >= 500:
        return internal_error_handler(_, exc)
    return _problem(status, title, detail, extra, headers=dict(exc.headers or {}))


def repository_error_handler(_: Request, exc: RepositoryError) -> Response[Any]:
    if isinstance(exc, NotFoundError):
        return _problem(404, "Not Found", "not found")
    # advanced-alchemy wraps every statement error as IntegrityError; only a real constraint
    # violation is the caller's conflict, anything else is our fault.
    if isinstance(exc, DuplicateKeyError | IntegrityError | ForeignKeyError) and isinstance(
        exc.__cause__, sqlalchemy.exc.IntegrityError
    ):
        return _problem(409, "Conflict", "conflict: the change clashes with existing data")
    return internal_error_handler(_, exc)


def internal_error_handler(request: Request, exc: Exception) -> Response[Any]:
    # Only the type and route template are logged: exception messages from drivers can
    # carry statement parameters, i.e. personal data (SECURITY S17, S24).
    reference = secrets.token_hex(6)
    route = request.scope.get("path_template") or "?"
    logger.error("unhandled %s on %s %s (ref %s)", type(exc).__name__, request.method, route, reference)
    # Tracebacks only at DEBUG, which is for development with demo data, never production.
    logger.debug("traceback for ref %s", reference, exc_info=exc)
    return Response(
        {
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "detail": f"something went wrong on our side (reference {reference})",
        },
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
        media_type=PROBLEM_JSON,
    )


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    RepositoryError: repository_error_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "MediaType"]
