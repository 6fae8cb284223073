"""What a test needs from the machine: skipped on a developer's machine without it, a failure under
CI=true (where the Makefile installs it), so a missing tool never turns a test into one that
cannot fail."""

from __future__ import annotations

import os
import shutil

import pytest


def require(condition: bool, why: str) -> None:
    """Go on if ``condition``; otherwise skip, or fail under CI=true."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {why}", pytrace=False)
    pytest.skip(why)


def require_tool(name: str, hint: str) -> str:
    """The path of a program this test runs (see :func:`require`)."""
    path = shutil.which(name)
    require(path is not None, f"{name} not installed ({hint})")
    assert path is not None
    return path
