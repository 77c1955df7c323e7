"""No Docker engine runs here: keep the compose file and Dockerfile honest by parsing them."""

import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _argv(command) -> list[str]:
    if isinstance(command, str):
        return shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return shlex.split(command[2])
    return list(command)


def test_compose_has_the_production_services():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert "healthcheck" in services["postgres"]
    assert services["beat"].get("deploy", {}).get("replicas") == 1


def test_every_portal_command_exists_in_the_project():
    from django.core.management import get_commands

    commands = get_commands()
    for name, service in compose()["services"].items():
        if "command" not in service or name in {"postgres", "redis"}:
            continue
        argv = _argv(service["command"])
        for start in [
            i for i, word in enumerate(argv) if word in {"manage.py", "gunicorn", "celery"}
        ]:
            word = argv[start]
            if word == "manage.py":
                assert argv[start + 1] in commands, f"{name}: unknown command {argv[start + 1]}"
            elif word == "gunicorn":
                module, _, attr = argv[start + 1].partition(":")
                assert (ROOT / (module.replace(".", "/") + ".py")).exists(), name
                assert attr == "application"
            else:
                assert argv[start + 1 : start + 3] == ["-A", "portal"], name
                assert argv[start + 3] in {"worker", "beat"}, name


def test_dockerfile_installs_the_lock_and_serves_wsgi():
    text = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in text
    assert "portal.wsgi:application" in text


def test_env_example_names_every_variable_the_settings_read():
    import re

    settings_text = (ROOT / "portal" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_text))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set(), f"undocumented in .env.example: {read - documented}"
