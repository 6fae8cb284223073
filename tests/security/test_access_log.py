"""SECURITY S17: a real server's access log names paths, never what was typed into a query.

The autocomplete takes what a counsellor or partner types as `?q=`; that text may describe a
woman. A real uvicorn process with its access log on (as `onward run` serves) must log the
request line without the query string.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import httpx

from service.logs import ACCESS_LOGGER, DropQueryStrings
from tests.support.servers import start_web_process

CANARY = "Canary-Mariam-Shelter-Nord"


def test_filter_keeps_the_path_and_drops_the_query() -> None:
    record = logging.LogRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4:5", "GET", f"/a?q={CANARY}", "1.1", 200),
        None,
    )
    assert DropQueryStrings().filter(record)
    assert record.getMessage() == '1.2.3.4:5 - "GET /a?[query dropped] HTTP/1.1" 200'


def test_a_running_server_logs_no_query_string(sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "onward.db"
    shutil.copyfile(sqlite_template, database)
    env = {"ONWARD_DATABASE_URL": f"sqlite+aiosqlite:///{database}", "ONWARD_COOKIE_SECURE": "false"}
    server = start_web_process(env, tmp_path, access_log=True)
    try:
        for path in (f"/api/skills/suggest?q={CANARY}", f"/login?next=/{CANARY}"):
            httpx.get(f"{server.base_url}{path}", timeout=10.0)
    finally:
        server.stop()
    log = server.log_path.read_text(errors="replace")
    # The lines are there (the access log was on), and the typed text is not.
    assert "/api/skills/suggest?[query dropped]" in log
    assert "/login?[query dropped]" in log
    assert CANARY not in log
