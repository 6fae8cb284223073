"""The JSON depth scan (SECURITY S29): brackets in strings are text, and the scan is linear."""

from __future__ import annotations

import time

from service.kernel.body_shape import MAX_JSON_DEPTH, json_depth_exceeds


def test_depth_at_the_limit_passes_and_one_more_is_refused() -> None:
    assert not json_depth_exceeds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))


def test_brackets_inside_strings_and_after_escaped_quotes_are_text() -> None:
    assert not json_depth_exceeds(b'["' + b"[" * 100 + b'"]')
    assert not json_depth_exceeds(b'["\\"' + b"{" * 100 + b'"]')
    # An escaped backslash ends the string: what follows are real brackets.
    assert json_depth_exceeds(b'["\\\\"' + b"[" * 100 + b"]")


def test_hostile_quoting_is_scanned_in_linear_time() -> None:
    bodies = [b'{"' + b'\\"' * 500_000, b'{"' + b"\\" * 1_000_000, b"[" + b'"a' * 500_000]
    started = time.perf_counter()
    for body in bodies:
        json_depth_exceeds(body)
    assert time.perf_counter() - started < 1.0
