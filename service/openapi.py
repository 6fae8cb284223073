"""The OpenAPI document says how every operation authenticates and how it fails.

Litestar documents the success response and validation errors of each handler; our guards,
services and error handlers add 401/403/404/409/413/429/500 answers, all as problem details.
Rather than repeat `responses=` on ~70 handlers, the finished document is completed once here.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIResponse,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIType

from service.domain.accounts.auth import SESSION_COOKIE
from service.kernel.schemas import Strict

PROBLEM = "application/problem+json"
SECURITY_SCHEMES = {
    "bearer": SecurityScheme(type="http", scheme="bearer", description="Personal API token (onw_…)"),
    "session": SecurityScheme(
        type="apiKey",
        name=SESSION_COOKIE,
        security_scheme_in="cookie",
        description="Browser session; unsafe requests also need the X-CSRF-Token header",
    ),
}
PRIVATE_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
_ALWAYS = {"400": "Bad Request", "413": "Payload Too Large", "415": "Unsupported Media Type", "500": "Server Error"}
_PRIVATE = {"401": "Not authenticated", "403": "Not allowed", "404": "Not found", "409": "Conflict"}
_PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["title", "status", "detail"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
    },
)


def _problem_response(description: str) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description,
        content={PROBLEM: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))},
    )


def _public_operation_ids(app: Litestar) -> set[str]:
    ids: set[str] = set()
    for route in app.routes:
        for handler, *_ in getattr(route, "route_handler_map", {}).values():
            if handler.opt.get("public") and isinstance(handler.operation_id, str):
                ids.add(handler.operation_id)
    return ids


def _strict_names() -> set[str]:
    names: set[str] = set()
    pending = list(Strict.__subclasses__())
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def _close_request_objects(components: Components) -> None:
    """Every request body refuses unknown fields (Strict, S5): the schema says so."""
    strict = _strict_names()
    for name, component in (components.schemas or {}).items():
        if isinstance(component, Schema) and (component.title or name) in strict:
            component.additional_properties = False


def complete_schema(app: Litestar) -> None:
    """Add security schemes, per-operation security and the error responses every route has."""
    schema = app.openapi_schema
    components = schema.components if isinstance(schema.components, Components) else Components()
    components.security_schemes = {**(components.security_schemes or {}), **SECURITY_SCHEMES}
    components.schemas = {**(components.schemas or {}), "Problem": _PROBLEM_SCHEMA}
    schema.components = components
    _close_request_objects(components)
    public = _public_operation_ids(app)
    for path_item in (schema.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(path_item, method, None)
            if operation is None:
                continue
            is_public = operation.operation_id in public
            operation.security = [] if is_public else PRIVATE_SECURITY  # type: ignore[assignment]
            responses: dict[str, Any] = dict(operation.responses or {})
            extra = {**_ALWAYS, **_PRIVATE, **({"429": "Too many attempts"} if is_public else {})}
            if operation.operation_id == "Ready":
                extra["503"] = "Database unavailable"
            for status, description in extra.items():
                existing = responses.get(status)
                # Litestar documents its own error shape; every error we send is a problem detail.
                label = existing.description if isinstance(existing, OpenAPIResponse) else description
                responses[status] = _problem_response(label or description)
            operation.responses = responses
