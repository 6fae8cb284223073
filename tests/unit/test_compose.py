"""compose.yaml is parsed (no Docker engine here) and every command exists in our CLI."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_its_services_with_healthchecks_where_long_running() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "web", "worker", "caddy", "backup"}
    for name in ("postgres", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_secrets_come_from_the_environment() -> None:
    text = (ROOT / "compose.yaml").read_text()
    env = _compose()["services"]["web"]["environment"]
    assert env["ONWARD_ENCRYPTION_KEY"].startswith("${ONWARD_ENCRYPTION_KEY")
    # every line that speaks of a password takes the password itself from the environment
    lines = [line for line in text.splitlines() if "password" in line.lower() and not line.strip().startswith("#")]
    assert lines
    for line in lines:
        assert "${" in line.partition(":")[2], line


# That every command compose runs is a real `onward` command with its options is checked, as the
# container runs it (a subprocess), by tests/integration/system/test_compose_file.py.
