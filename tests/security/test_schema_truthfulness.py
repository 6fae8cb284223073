"""The OpenAPI schema states what the service enforces, and the service enforces what it states:
closed request objects (additionalProperties: false), no number for a boolean, and OPTIONS
naming every method of a path."""

from __future__ import annotations

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from providers.schemas import Strict
from tests.support.factories import Factory


def _strict_names() -> set[str]:
    found: set[str] = set()
    pending = list(Strict.__subclasses__())
    while pending:
        cls = pending.pop()
        found.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return found


async def test_every_request_object_is_closed_in_the_schema(client: AsyncTestClient) -> None:
    # The document as served: completed at start-up (service/openapi.py).
    schemas = client.app.openapi_schema.to_schema()["components"]["schemas"]
    strict = _strict_names()
    request_objects = {name: body for name, body in schemas.items() if body.get("title", name) in strict}
    assert len(request_objects) > 20
    open_ones = sorted(name for name, body in request_objects.items() if body.get("additionalProperties") is not False)
    assert open_ones == []


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
async def test_a_boolean_field_refuses_anything_but_true_and_false(
    client: AsyncTestClient, factory: Factory, value: object
) -> None:
    headers = await factory.login(client, await factory.user("counsellor", await factory.org()))
    body = {"display_name": "A", "region": "DE30", "education": [{"isced_level": 2, "completed": value}]}
    response = await client.post("/api/survivors", json=body, headers=headers)
    assert response.status_code == 400, response.text
    assert "completed" in response.json()["detail"]


async def test_a_number_is_not_taken_for_text_and_true_is_still_a_boolean(
    client: AsyncTestClient, factory: Factory
) -> None:
    headers = await factory.login(client, await factory.user("counsellor", await factory.org()))
    wrong = await client.post("/api/survivors", json={"display_name": 7, "region": "DE30"}, headers=headers)
    assert wrong.status_code == 400 and "display_name" in wrong.json()["detail"]
    body = {"display_name": "A", "region": "DE30", "education": [{"isced_level": 2, "completed": False}]}
    right = await client.post("/api/survivors", json=body, headers=headers)
    assert right.status_code == 201, right.text


async def test_options_lists_every_method_of_the_path(client: AsyncTestClient, factory: Factory) -> None:
    headers = await factory.login(client, await factory.user("counsellor", await factory.org()))
    created = await client.post("/api/survivors", json={"display_name": "A", "region": "DE30"}, headers=headers)
    response = await client.options(f"/api/survivors/{created.json()['id']}", headers=headers)
    assert response.status_code == 204
    assert {method.strip() for method in response.headers["allow"].split(",")} == {"GET", "OPTIONS", "PATCH"}


def test_strict_decoding_names_the_field_for_msgspec_errors() -> None:
    class Probe(Strict):
        flag: bool

    with pytest.raises(msgspec.ValidationError, match="flag"):
        msgspec.json.decode(b'{"flag": 0}', type=Probe, strict=True)
