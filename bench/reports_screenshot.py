"""The reports page over the large demo, in a real browser: how long the demo takes to load,
how long the page takes, and a full-page screenshot.

    .venv/bin/python bench/reports_screenshot.py [--size large] [--keep]

Steps: a fresh SQLite database in a temporary folder (its own ONWARD_VAR_DIR, so its own dev
secret), `onward database upgrade`, `onward demo load --size large` (timed, its output shown),
a real uvicorn process (tests/support/servers.py), then Debian's Chromium through Playwright
signs in as the Berlin demo coordinator (password and TOTP as `onward demo load` prints them)
and saves tests/artifacts/screenshots/reports-large-demo.png (the page as it opens) and
reports-large-demo-by-period.png (grouped by intake quarter). Run on demand, not in the suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine_info import describe  # noqa: E402
from service.db.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402
from service.domain.accounts.crypto import totp_now  # noqa: E402
from tests.support.servers import start_web_process  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
COORDINATOR = f"coordinator.berlin@{DEMO_DOMAIN}"


def onward(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run one `onward` command; (seconds, its output). Fails loudly with the output."""
    command = [str(Path(sys.executable).with_name("onward")), *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def sign_in(page: Any, base_url: str) -> None:
    """The login form as a person fills it (email, password, the demo TOTP code)."""
    page.goto(f"{base_url}/login")
    page.fill("#f-email", COORDINATOR)
    page.fill("#f-password", DEMO_PASSWORD)
    page.fill("#f-totp", totp_now(DEMO_TOTP_SECRET))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_selector("form[action='/login']", state="detached")
    page.wait_for_load_state("networkidle")


def shoot(page: Any, base_url: str, path: str, name: str) -> float:
    """Open `path`, wait for it to settle, save a full-page screenshot; the seconds it took."""
    started = time.perf_counter()
    response = page.goto(f"{base_url}{path}")
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - started
    if response is None or response.status != 200:
        raise SystemExit(f"{path}: {response.status if response else 'no response'}")
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "large"], default="large")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database folder")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="onward-reports-bench-"))
    database_url = f"sqlite+aiosqlite:///{folder / 'onward.db'}"
    env = {
        **os.environ,
        "ONWARD_DATABASE_URL": database_url,
        "ONWARD_VAR_DIR": str(folder),
        "ONWARD_COOKIE_SECURE": "false",
        "ONWARD_EMBEDDED_WORKER": "false",
        "ONWARD_OPENAPI": "false",
    }
    env.pop("ONWARD_ENCRYPTION_KEY", None)  # the folder's own dev secret, shared by every step
    print(describe())
    try:
        onward(["database", "upgrade", "--no-prompt"], env)
        load_seconds, output = onward(["demo", "load", "--size", options.size], env)
        print(output.rstrip())
        server = start_web_process({key: env[key] for key in env if key.startswith("ONWARD_")}, folder)
        try:
            from playwright.sync_api import sync_playwright

            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = f"reports-{options.size}-demo"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                sign_in(page, server.base_url)
                first = shoot(page, server.base_url, "/reports", f"{name}.png")
                by_period = shoot(page, server.base_url, "/reports?by=period", f"{name}-by-period.png")
                browser.close()
        finally:
            server.stop()
    finally:
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print("| step | seconds |\n|---|---|")
    print(f"| `onward demo load --size {options.size}` (wall clock, process start included) | {load_seconds:.1f} |")
    print(f"| /reports as {COORDINATOR}, until network idle | {first:.2f} |")
    print(f"| /reports?by=period, until network idle | {by_period:.2f} |")
    print(f"screenshots: {SCREENSHOTS.relative_to(ROOT)}/{name}.png and {name}-by-period.png")


if __name__ == "__main__":
    main()
