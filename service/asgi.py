"""The ASGI entry point: `create_app()` is thin; ApplicationCore does the wiring."""

from __future__ import annotations

from litestar import Litestar

from service.core import ApplicationCore
from service.settings import Settings


def create_app(settings: Settings | None = None) -> Litestar:
    """A new Onward application (settings from the environment unless given)."""
    return Litestar(plugins=[ApplicationCore(settings)])
