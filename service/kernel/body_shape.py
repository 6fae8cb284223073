"""A raw JSON body's nesting depth, measured before anything decodes it (SECURITY S29).

msgspec and the standard library both recurse per level: a body of a few thousand brackets
would reach the decoder as a `RecursionError` (a 500) before any schema could refuse it. No
document of ours nests deeper than a handful of levels.
"""

from __future__ import annotations

import re

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
