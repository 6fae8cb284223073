"""Real web processes for tests: `uvicorn service.asgi:create_app --factory` on a free local port.

The process inherits the test environment (encryption key, var dir) plus the overrides given,
answers on http://127.0.0.1:<port>, and is always stopped (terminate, then kill) by `stop()`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30.0
STOP_SECONDS = 10.0


def free_port() -> int:
    """A port nobody listens on right now (the server may still lose a race for it: see start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class WebProcess:
    """One running web process and where to reach it."""

    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: BinaryIO | None = field(repr=False, default=None)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after a bounded wait)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)
        if self._log is not None:
            self._log.close()

    def wait_ready(self, timeout: float = STARTUP_SECONDS) -> None:
        """Block until /health/ready answers 200; raise with the server log otherwise."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        with httpx.Client(base_url=self.base_url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"web process exited with {self.process.returncode}:\n{self.log_tail()}")
                try:
                    response = client.get("/health/ready")
                    if response.status_code == 200:
                        return
                    last = f"{response.status_code} {response.text[:200]}"
                except httpx.TransportError as exc:
                    last = repr(exc)
                time.sleep(0.2)
        raise TimeoutError(f"web process not ready after {timeout}s ({last}):\n{self.log_tail()}")


def start_web_process(
    env: dict[str, str], log_dir: Path, *, attempts: int = 3, access_log: bool = False
) -> WebProcess:
    """Start a web process with `env` over the current environment, and wait until it is ready.

    ONWARD_ALLOWED_HOSTS gets `127.0.0.1:<port>` added. A port lost to another process between
    choosing and binding it is retried on a new port.
    """
    failure: Exception | None = None
    for attempt in range(attempts):
        port = free_port()
        merged = {**os.environ, **env}
        hosts = [host for host in merged.get("ONWARD_ALLOWED_HOSTS", "").split(",") if host]
        merged["ONWARD_ALLOWED_HOSTS"] = ",".join([*hosts, f"127.0.0.1:{port}"])
        log_path = log_dir / f"web-{port}-{attempt}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "service.asgi:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                *([] if access_log else ["--no-access-log"]),
            ],
            cwd=PROJECT_ROOT,
            env=merged,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = WebProcess(port=port, process=process, log_path=log_path, _log=log)
        try:
            server.wait_ready()
        except (RuntimeError, TimeoutError) as exc:
            server.stop()
            failure = exc
            continue
        return server
    raise RuntimeError(f"could not start a web process in {attempts} attempts") from failure
