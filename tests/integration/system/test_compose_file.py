"""compose.yaml as written: every command exists in the CLI, every setting can be passed, the
healthchecks can pass, and only Caddy faces the outside (`docker compose` is not available
here, so the file is parsed and checked against the code it runs)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.tools import require_tool

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SAMPLE_ENV = {
    "ONWARD_DOMAIN": "onward.example.org",
    "ONWARD_DB_PASSWORD": "owner-secret",
    "ONWARD_APP_DB_PASSWORD": "app-secret",
    "ONWARD_ENCRYPTION_KEY": "k" * 40,
}
_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
# Read by code outside settings.py: the quick-exit link (web/rendering.py) and the test-only hash profile.
SETTINGS_ELSEWHERE = {"ONWARD_QUICK_EXIT_URL"}
NOT_FOR_PRODUCTION = {"ONWARD_PASSWORD_HASH_PROFILE"}


def interpolate(value: str, env: dict[str, str] = SAMPLE_ENV) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} with the sample .env."""

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if env.get(name):
            return env[name]
        if operator and operator.endswith("?"):
            raise AssertionError(f"{name} is required: {argument}")
        return argument or ""

    return _VARIABLE.sub(one, value)


def service(name: str) -> dict[str, Any]:
    return COMPOSE["services"][name]


def environment(name: str) -> dict[str, str]:
    return {key: interpolate(str(value)) for key, value in (service(name).get("environment") or {}).items()}


def settings_variables() -> set[str]:
    text = (ROOT / "service" / "settings.py").read_text()
    return set(re.findall(r'"(ONWARD_[A-Z_]+)"', text)) | SETTINGS_ELSEWHERE


def onward_commands(command: list[str]) -> list[list[str]]:
    """The `onward …` invocations in a service command (a list, or `sh -c "a && b"`)."""
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def cli_accepts(args: list[str]) -> tuple[int, str]:
    """`onward ARGS --help` as the container runs it (a subprocess: the CLI exits)."""
    result = subprocess.run(
        [sys.executable, "-m", "service", *args, "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["migrate", "web", "worker"])
def test_every_onward_command_in_compose_exists_with_its_options(name: str) -> None:
    invocations = onward_commands(service(name)["command"])
    healthcheck = service(name).get("healthcheck", {}).get("test", [])
    if healthcheck[:2] == ["CMD", "onward"]:
        invocations.append(healthcheck[1:])
    for invocation in invocations:
        assert invocation[0] == "onward", invocation
        words = [word for word in invocation[1:] if not word.startswith("-")]
        status, output = cli_accepts(
            words[:2] if len(words) > 1 and words[0] in {"database", "users", "taxonomy"} else words[:1]
        )
        assert status == 0, (invocation, output)
        for option in (word for word in invocation if word.startswith("--")):
            assert option in output, (invocation, option)


def test_the_migrator_migrates_grants_loads_the_taxonomy_and_creates_the_first_admin() -> None:
    steps = [" ".join(step[:3]) for step in onward_commands(service("migrate")["command"])]
    assert steps == [
        "onward database upgrade",
        "onward database grant",
        "onward taxonomy load-starter",
        "onward users bootstrap-admin",
    ]
    env = environment("migrate")
    assert {"ONWARD_ADMIN_EMAIL", "ONWARD_ADMIN_PASSWORD", "ONWARD_APP_DB_USER", "ONWARD_APP_DB_PASSWORD"} <= set(env)


@pytest.mark.parametrize("name", ["web", "worker", "migrate"])
def test_every_setting_can_be_passed_and_none_is_unknown(name: str) -> None:
    env = environment(name)
    known = settings_variables()
    missing = known - set(env)
    assert not missing, f"{name} cannot be given {sorted(missing)}"
    extra = (
        {key for key in env if key.startswith("ONWARD_")}
        - known
        - {"ONWARD_APP_DB_USER", "ONWARD_APP_DB_PASSWORD", "ONWARD_ADMIN_EMAIL", "ONWARD_ADMIN_PASSWORD"}
    )
    assert not extra, f"{name} sets variables nothing reads: {sorted(extra)}"
    assert not set(env) & NOT_FOR_PRODUCTION


def test_the_application_connects_as_its_own_role_and_the_migrator_as_the_owner() -> None:
    owner = service("postgres")["environment"]["POSTGRES_USER"]
    for name in ("web", "worker"):
        assert not environment(name)["ONWARD_DATABASE_URL"].startswith(f"postgresql+asyncpg://{owner}:")
        assert "owner-secret" not in repr(environment(name))
    assert environment("web")["ONWARD_DATABASE_URL"].startswith("postgresql+asyncpg://onward_app:app-secret@")
    assert environment("migrate")["ONWARD_DATABASE_URL"].startswith(f"postgresql+asyncpg://{owner}:owner-secret@")


def test_the_web_healthcheck_sends_an_allowed_host_to_a_real_route() -> None:
    check = " ".join(service("web")["healthcheck"]["test"])
    host = re.search(r"'Host': '([^']+)'", check)
    assert host is not None
    allowed = environment("web")["ONWARD_ALLOWED_HOSTS"].split(",")
    assert host.group(1) in allowed and "onward.example.org" in allowed
    assert "/health/ready" in check


def test_only_caddy_is_published_and_web_trusts_only_caddy() -> None:
    published = {name for name, spec in COMPOSE["services"].items() if spec.get("ports")}
    assert published == {"caddy"}
    assert {"80:80", "443:443"} <= set(service("caddy")["ports"])
    caddy_address = service("caddy")["networks"]["internal"]["ipv4_address"]
    for name in ("web", "worker"):
        assert environment(name)["ONWARD_TRUSTED_PROXIES"] == caddy_address
    assert service("web")["deploy"]["replicas"] >= 2 and service("worker")["deploy"]["replicas"] >= 2
    assert environment("web")["ONWARD_COOKIE_SECURE"] == "true"


def test_the_worker_healthcheck_reads_the_heartbeat_not_the_process_table() -> None:
    assert service("worker")["healthcheck"]["test"][:3] == ["CMD", "onward", "worker-health"]


def test_the_backup_service_runs_the_backup_script_on_a_schedule_into_a_volume() -> None:
    backup = service("backup")
    assert backup["command"][:4] == ["sh", "/deploy/backup.sh", "--every", "${ONWARD_BACKUP_INTERVAL_SECONDS:-86400}"]
    assert (ROOT / "deploy" / "backup.sh").exists() and (ROOT / "deploy" / "restore.sh").exists()
    assert "backups:/backups" in backup["volumes"] and "backups" in COMPOSE["volumes"]
    assert environment("backup")["PGUSER"] == service("postgres")["environment"]["POSTGRES_USER"]


def test_the_caddyfile_is_valid_with_the_environment_compose_gives_caddy() -> None:
    require_tool("caddy", "make browser-tools installs it")
    env = {**os.environ, **environment("caddy")}
    mount = next(volume for volume in service("caddy")["volumes"] if volume.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = ROOT / mount.split(":", 1)[0]
    result = subprocess.run(
        ["caddy", "adapt", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"dial":"web:8000"' in result.stdout and "onward.example.org" in result.stdout
