"""compose.yaml is parsed (no Docker engine here) and every command exists in our CLI."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_the_four_services_with_healthchecks_where_long_running() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "web", "worker"}
    for name in ("postgres", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_secrets_come_from_the_environment() -> None:
    text = (ROOT / "compose.yaml").read_text()
    env = _compose()["services"]["web"]["environment"]
    assert env["ONWARD_ENCRYPTION_KEY"].startswith("${ONWARD_ENCRYPTION_KEY")
    assert "password" not in text.lower().replace("onward_db_password", "").replace("postgres_password", "")


def test_every_compose_command_is_an_onward_cli_command() -> None:
    import os

    os.environ.setdefault("LITESTAR_APP", "service.asgi:create_app")
    from litestar.cli.main import litestar_group

    runner = CliRunner()
    for name, service in _compose()["services"].items():
        command = service.get("command")
        if not command:
            continue
        assert command[0] == "onward", name
        # `--help` after the full subcommand path proves each word resolves to a real command.
        words = [word for word in command[1:] if not word.startswith("-") and not word.replace(".", "").isdigit()]
        words = [w for w in words if w not in {"0.0.0.0", "8000"}]
        result = runner.invoke(litestar_group, [*words, "--help"], catch_exceptions=False)
        assert result.exit_code == 0, f"{name}: {result.output}"
