"""SECURITY S25: schemathesis against the served OpenAPI schema, as two people of every role and
as nobody: no 5xx, every response as documented, and no operation that ignores authentication.

One bounded, deterministic campaign runs per backend (in-process over ASGI): for every
operation, up to MAX_EXAMPLES requests are generated once (positive and negative data, fixed
seed; path ids drawn half of the time from real objects so requests get past "not found") and
sent as every identity; an identity the route table refuses gets only the first
REFUSED_EXAMPLES of them. Staff call with personal API tokens (Bearer); survivors with the
session cookie and the CSRF header. Findings are collected, not raised, and each test asserts
one kind of finding is absent, so one run reports all of them. SQLite gets 10 requests per
operation and identity, PostgreSQL a smaller pass of 3.
"""

from __future__ import annotations

import asyncio
import copy
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from litestar import Litestar
from litestar.routes import HTTPRoute
from schemathesis.auths import AuthContext
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.asgi import create_app
from service.domain.accounts.auth import SESSION_COOKIE
from tests.conftest import make_settings
from tests.support.db import reset_postgres
from tests.support.factories import Factory
from tests.support.identities import (
    ROLES,
    Identity,
    People,
    Targets,
    count_by_role,
    create_people,
    grant_consent,
    identities_by_role,
    targets,
    token_ids,
)

SCHEMA_PATH = "/schema/openapi.json"
MAX_EXAMPLES = {"sqlite": 10, "postgres": 3}
REFUSED_EXAMPLES = 2
# Operations that end the caller's own session run last, so they cannot starve the others.
RUN_LAST = ("Logout", "ChangePassword")
CHECKS: dict[str, Callable[..., Any]] = {
    "server_error": not_a_server_error,
    "status_code": status_code_conformance,
    "content_type": content_type_conformance,
    "response_headers": response_headers_conformance,
    "response_schema": response_schema_conformance,
    "ignored_auth": ignored_auth,
    # The schema is the truth (issue 16): whatever it forbids is refused. (positive_data_acceptance
    # is not on: rules no schema states, such as password strength or dates in the past, refuse
    # some schema-valid bodies by design.)
    "negative_data": negative_data_rejection,
}


@dataclass(frozen=True)
class Finding:
    check: str
    operation: str
    status: int
    title: str
    identity: str
    detail: str


@dataclass
class Campaign:
    """What one run saw: every finding, and per identity the statuses it got per operation."""

    backend: str
    served_schema: dict[str, Any]
    policies: dict[str, Policy]
    identities: list[Identity]
    findings: list[Finding] = field(default_factory=list)
    statuses: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    requests: int = 0
    seconds: float = 0.0

    @property
    def public_operations(self) -> frozenset[str]:
        return frozenset(operation for operation, policy in self.policies.items() if policy.public)

    def of(self, *checks: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.check in checks]


def report(findings: list[Finding]) -> str:
    """One paragraph per distinct finding: operation, check, status, who saw it, one reproduction."""
    grouped: dict[tuple[str, str, int, str], list[Finding]] = {}
    for finding in findings:
        grouped.setdefault((finding.operation, finding.check, finding.status, finding.title), []).append(finding)
    lines = []
    for (operation, check, status, title), group in sorted(grouped.items()):
        who = sorted({finding.identity for finding in group})
        lines.append(f"- {operation} [{check}] HTTP {status}: {title} (as {', '.join(who)})\n    {group[0].detail}")
    return f"{len(grouped)} distinct finding(s):\n" + "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The schema: as served, plus (only where the app declares none) how each operation authenticates


@dataclass(frozen=True)
class Policy:
    """What the route table says about an operation: public, or the roles it admits (None: any)."""

    public: bool
    roles: frozenset[str] | None

    def admits(self, identity: Identity) -> bool:
        if self.public:
            return True
        return not identity.anonymous and (self.roles is None or identity.role in self.roles)


def route_policies(app: Litestar) -> dict[str, Policy]:
    """Per operation id, from the handlers' `opt` (the same table the access guard reads)."""
    policies = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                if isinstance(handler.operation_id, str):
                    roles = handler.opt.get("roles")
                    policies[handler.operation_id] = Policy(
                        public=bool(handler.opt.get("public")),
                        roles=None if roles is None else frozenset(str(role.value) for role in roles),
                    )
    return policies


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "patch", "delete", "head", "options"}:
                yield method.upper(), path, operation


def effective_security(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    return list(operation.get("security", document.get("security", [])))


def with_declared_auth(document: dict[str, Any], public: frozenset[str]) -> dict[str, Any]:
    """The served schema; if it declares no security schemes, ours are added so that the
    `ignored_auth` check knows which operations must refuse an anonymous caller."""
    declared = copy.deepcopy(document)
    components = declared.setdefault("components", {})
    if components.get("securitySchemes"):
        return declared
    components["securitySchemes"] = {
        "apiToken": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
    }
    for _method, _path, operation in operations(declared):
        private = operation.get("operationId") not in public
        operation["security"] = [{"apiToken": []}, {"session": []}] if private else []
    return declared


# ---------------------------------------------------------------------------------------------
# The campaign


class Caller:
    """The auth provider: whoever is calling right now (nobody while requests are generated)."""

    def __init__(self) -> None:
        self.identity: Identity | None = None

    def get(self, case: Any, ctx: Any) -> Identity | None:
        return self.identity

    def set(self, case: Any, data: Identity, ctx: Any) -> None:
        # Credentials generated from the security schemes make way for the real ones.
        case.headers = {key: value for key, value in (case.headers or {}).items() if key.lower() != "authorization"}
        case.cookies = {key: value for key, value in (case.cookies or {}).items() if key != SESSION_COOKIE}
        data.apply(case)


def bound_schema(document: dict[str, Any], app: Litestar, caller: Caller) -> Any:
    """A schemathesis schema calling the in-process app, authenticating as `caller.identity`."""
    schema = schemathesis.openapi.from_dict(copy.deepcopy(document))
    schema.app = app

    class CurrentCaller:  # schemathesis instantiates the provider class itself
        def get(self, case: Any, ctx: Any) -> Identity | None:
            return caller.get(case, ctx)

        def set(self, case: Any, data: Identity, ctx: Any) -> None:
            caller.set(case, data, ctx)

    schema.auth(refresh_interval=None)(CurrentCaller)
    return schema


def ordered(schema: Any) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    return sorted(found, key=lambda op: (op.definition.raw.get("operationId") in RUN_LAST, op.label))


def strategy_for(operation: Any) -> Any:
    modes = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    try:
        modes.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    except Exception:  # noqa: S110  (no negative data exists for an operation without inputs)
        pass
    return st.one_of(modes)


def generate(operation: Any, ids: dict[str, list[str]], count: int) -> list[Any]:
    """Up to `count` requests (positive and negative data), the same on every run; path ids are
    real ones half of the time so that requests reach the handlers."""
    cases: list[Any] = []

    @hypothesis.settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.given(case=strategy_for(operation), data=st.data())
    def collect(case: Any, data: st.DataObject) -> None:
        if case.path_parameters and not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
            chosen = dict(case.path_parameters)
            for name in chosen:
                pool = ids.get(name, [])
                real: bool = bool(pool) and data.draw(st.booleans())
                if real:
                    chosen[name] = data.draw(st.sampled_from(pool))
            case.path_parameters = chosen
        cases.append(case)

    collect()
    return cases + nul_variants(cases)


def with_nul_bytes(value: Any) -> Any:
    """Every string with a NUL character after its first character."""
    if isinstance(value, str):
        return value[:1] + "\x00" + value[1:]
    if isinstance(value, list):
        return [with_nul_bytes(item) for item in value]
    if isinstance(value, dict):
        return {key: with_nul_bytes(item) for key, item in value.items()}
    return value


def nul_variants(cases: list[Any]) -> list[Any]:
    """The first valid request whose body or query holds text, with NUL in every string.

    PostgreSQL refuses NUL in text columns and parameters; random generation almost never
    produces one within a few examples, yet it is the commonest way to get a 500 out of an API
    on PostgreSQL that passes on SQLite. The answer must be a 4xx.
    """
    for case in cases:
        if case.meta is None or not case.meta.generation.mode.is_positive:
            continue
        body = case.body if isinstance(case.body, dict | list) else None
        if with_nul_bytes(body) != body or with_nul_bytes(case.query) != case.query:
            variant = case.derive(query=with_nul_bytes(case.query))
            if body is not None:
                variant.body = with_nul_bytes(body)
            return [variant]
    return []


def validate(campaign: Campaign, identity: Identity, case: Any, response: Any) -> None:
    for name, check in CHECKS.items():
        try:
            case.validate_response(response, checks=[check])
        except (FailureGroup, Failure) as raised:
            failures = raised.exceptions if isinstance(raised, FailureGroup) else (raised,)
            curl = case.as_curl_command(headers=dict(response.request.headers))
            for failure in failures:
                detail = f"{failure.message.strip()[:300]}\n    reproduce: {curl[:600]}"
                campaign.findings.append(
                    Finding(name, case.operation.label, response.status_code, failure.title, identity.name, detail)
                )


def send(campaign: Campaign, schema: Any, caller: Caller, identity: Identity, generated: Any) -> None:
    case = generated.derive()
    caller.identity = identity
    if not identity.anonymous:
        schema.auth.set(case, AuthContext(operation=case.operation, app=schema.app))
    response = case.call()
    campaign.requests += 1
    campaign.statuses.setdefault(identity.name, {}).setdefault(case.operation.label, set()).add(response.status_code)
    validate(campaign, identity, case, response)


def run_campaign(campaign: Campaign, app: Litestar, ids: Targets, examples: int) -> None:
    """Every operation, every identity: the same generated requests, each with her credentials.

    Operations that end the caller's session run after all others.
    """
    started = time.monotonic()
    caller = Caller()
    schema = bound_schema(with_declared_auth(campaign.served_schema, campaign.public_operations), app, caller)
    for operation in ordered(schema):
        policy = campaign.policies.get(operation.definition.raw.get("operationId"), Policy(False, None))
        caller.identity = None
        cases = generate(operation, ids.for_method(operation.method.upper()), examples)
        for identity in campaign.identities:
            # A refused caller gets the same answer whatever she sends: a few requests prove it.
            budget = len(cases) if policy.admits(identity) else REFUSED_EXAMPLES
            for generated in cases[:budget]:
                send(campaign, schema, caller, identity, generated)
    campaign.seconds = time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# Fixtures: one campaign per backend for the whole module


def _database(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        target = tmp_path_factory.mktemp("schemathesis") / "onward.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite+aiosqlite:///{target}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(reset_postgres(url))
    return url


async def prepare(factory: Factory) -> People:
    try:
        return await create_people(factory)
    finally:
        await factory.close()  # in the same event loop as its connections


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def campaign(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    backend = str(request.param)
    settings = make_settings(
        _database(backend, request, tmp_path_factory),
        allowed_hosts=[asgi.HOST, "testserver.local"],
    )
    factory = Factory(settings)
    people = asyncio.run(prepare(factory))
    app = create_app(settings)
    try:
        with asgi.get_client(cast(Any, app)) as client:  # Litestar is an ASGI app; the stub types disagree
            identities = identities_by_role(people, client, factory)
            staff = [identity for identity in identities if identity.bearer]
            spare = [token for identity in staff for token in token_ids(client, identity, 2)]
            counsellors = [identity for identity in identities if identity.role == "counsellor"]
            partners = [org for org in people.organisations if org.kind == "partner"]
            survivors = people.survivors[: len(counsellors) * 2]
            consents = [
                grant_consent(client, counsellors[index // 2], survivor, partners[index // 2])
                for index, survivor in enumerate(survivors)
            ]
            admin = next(identity for identity in identities if identity.role == "admin")
            served = client.get(SCHEMA_PATH, headers={"Authorization": f"Bearer {admin.bearer}"})
            assert served.status_code == 200, served.text
        result = Campaign(
            backend=backend,
            served_schema=served.json(),
            policies=route_policies(app),
            identities=identities,
        )
        run_campaign(result, app, targets(people, consents, spare), MAX_EXAMPLES[backend])
        yield result
    finally:
        asgi.shutdown_lifespans()


# ---------------------------------------------------------------------------------------------
# The tests: one kind of finding each


def test_campaign_signs_in_two_identities_per_role_and_one_anonymous(campaign: Campaign) -> None:
    counts = count_by_role(campaign.identities)
    expected: dict[str | None, int] = {role: 2 for role in ROLES}
    expected[None] = 1
    assert {role: counts.get(role, 0) for role in expected} == expected


def test_every_signed_in_identity_is_recognised_by_the_api(campaign: Campaign) -> None:
    """Guards the campaign itself: with broken credentials every check would pass vacuously."""
    me = next(label for label in campaign.statuses["anonymous"] if label.endswith("/api/auth/me"))
    recognised = {name: 200 in by_operation.get(me, set()) for name, by_operation in campaign.statuses.items()}
    assert recognised == {identity.name: not identity.anonymous for identity in campaign.identities}


def test_served_schema_declares_how_every_private_operation_authenticates(campaign: Campaign) -> None:
    document = campaign.served_schema
    schemes = set(document.get("components", {}).get("securitySchemes", {}))
    undeclared = [
        f"{method} {path}"
        for method, path, operation in operations(document)
        if operation.get("operationId") not in campaign.public_operations
        and not any(
            requirement and set(requirement) <= schemes for requirement in effective_security(document, operation)
        )
    ]
    assert undeclared == [], f"private operations without a security requirement: {undeclared}"


def test_no_request_from_any_identity_gets_a_server_error(campaign: Campaign) -> None:
    findings = campaign.of("server_error")
    assert findings == [], report(findings)


def test_every_response_status_is_documented(campaign: Campaign) -> None:
    findings = campaign.of("status_code")
    assert findings == [], report(findings)


def test_every_response_body_headers_and_content_type_match_the_schema(campaign: Campaign) -> None:
    findings = campaign.of("content_type", "response_headers", "response_schema")
    assert findings == [], report(findings)


def test_no_operation_ignores_authentication(campaign: Campaign) -> None:
    findings = campaign.of("ignored_auth")
    assert findings == [], report(findings)


def test_whatever_the_schema_forbids_is_refused(campaign: Campaign) -> None:
    findings = campaign.of("negative_data")
    assert findings == [], report(findings)
