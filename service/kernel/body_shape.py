"""A raw JSON body's nesting depth, measured before anything decodes it (SECURITY S29).

msgspec and the standard library both recurse per level: a body of a few thousand brackets
would reach the decoder as a `RecursionError` (a 500) before any schema could refuse it. No
document of ours nests deeper than a handful of levels.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

MAX_JSON_DEPTH = 32

# A JSON string (with its escapes) or one bracket; brackets inside strings are text. An
# unterminated string runs to the end of the body, and the possessive quantifier never gives
# characters back, so the scan stays linear whatever the body holds.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset(b"[{")


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when ``body`` opens more than ``limit`` arrays or objects inside one another."""
    if b"[" not in body and b"{" not in body:
        return False
    depth = 0
    for token in _TOKENS.finditer(body):
        first = token.group()[0]
        if first == 0x22:  # a string: skip it whole
            continue
        if first in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth = max(depth - 1, 0)
    return False


def strict_body_problem(body: bytes, body_type: Any) -> str | None:
    """Why ``body`` is not a ``body_type`` under msgspec's strict JSON rules, or None.

    The framework converts request bodies leniently (``0`` and ``"true"`` pass for a boolean,
    ``"5"`` for a number), which is not what the schema promises; checking the raw body
    strictly first makes the schema true. The answer names the field, like every 400 of ours.
    """
    try:
        msgspec.json.decode(body, type=body_type, strict=True)
    except msgspec.ValidationError as error:
        message, _, path = str(error).partition(" - at `")
        field = re.split(r"[.\[\]]", path.rstrip("`"))
        named = [part for part in field if part and part != "$" and not part.isdigit()]
        return f"{named[-1] if named else 'body'}: {message}"
    except (msgspec.DecodeError, TypeError):
        return None  # malformed JSON is the decoder's own 400; a type msgspec cannot check is left to it
    return None
