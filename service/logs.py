"""What the server's own logs may say about a request.

Uvicorn's access log prints each request line with its query string. Our URLs carry opaque ids
only (SECURITY S17), but a query string can still hold what a person typed, e.g. the text of
an autocomplete (`/api/skills/suggest?q=...`), which may describe her. The access log therefore
keeps the path and drops the query.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"
_PATH_ARG = 2  # uvicorn's access record args: (client, method, path with query, http version, status)


class DropQueryStrings(logging.Filter):
    """Rewrites the path argument of an access-log record to end before its `?`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        target = args[_PATH_ARG] if isinstance(args, tuple) and len(args) > _PATH_ARG else None
        if isinstance(args, tuple) and isinstance(target, str):
            path, mark, _ = target.partition("?")
            if mark:
                record.args = (*args[:_PATH_ARG], f"{path}?[query dropped]", *args[_PATH_ARG + 1 :])
        return True


def drop_query_strings_from_access_log() -> None:
    """Install the filter once on uvicorn's access logger (app creation may run more than once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, DropQueryStrings) for existing in logger.filters):
        logger.addFilter(DropQueryStrings())
