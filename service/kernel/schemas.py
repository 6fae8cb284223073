"""The base every request body is built on.

`Strict` is defined in providers/schemas.py (providers may not import service, so the one
definition sits below both) and is the base of every request body in every area.
"""

from __future__ import annotations

from providers.schemas import Strict

__all__ = ["Strict"]
