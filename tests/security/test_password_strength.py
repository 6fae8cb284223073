"""SECURITY S14: besides length and the common-password list, guessable patterns are refused."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from service.domain.accounts.crypto import password_problem
from tests.support.factories import PASSWORD, Factory

GUESSABLE = ["onwardonward", "hunter2hunter2", "123456789012", "abcdefghijkl", "maria.kovacs1990"]


@pytest.mark.parametrize("password", GUESSABLE)
def test_repeated_words_sequences_and_her_own_name_are_refused(password: str) -> None:
    problem = password_problem(password, "maria.kovacs@example.org")
    assert problem is not None and problem.startswith("password:")


@pytest.mark.parametrize("password", [PASSWORD, "kitchen-window-42", "a long enough pass phrase"])
def test_passphrases_are_accepted(password: str) -> None:
    assert password_problem(password, "maria.kovacs@example.org") is None


def test_a_very_long_password_is_judged_without_error() -> None:
    sentence = "the river bends twice before it reaches the old mill where my aunt kept bees and three goats"
    assert password_problem(sentence, None) is None


async def test_the_api_refuses_a_repeated_word(client: AsyncTestClient, factory: Factory) -> None:
    coordinator = await factory.user("coordinator", await factory.org())
    headers = await factory.login(client, coordinator)
    response = await client.post(
        "/api/users",
        json={"email": "new.person@example.org", "password": "onwardonward", "role": "counsellor"},
        headers=headers,
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("password:")
