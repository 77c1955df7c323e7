"""No Docker engine runs here: keep the compose file and Dockerfile honest by parsing them."""

import re
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
                rest = argv[start + 1 :]
                if rest[0] == "-c":  # the config file, then the application
                    assert (ROOT / rest[1]).exists(), f"{name}: no {rest[1]}"
                    rest = rest[2:]
                module, _, attr = rest[0].partition(":")
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
    settings_text = (ROOT / "portal" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_text))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - documented == set(), f"undocumented in .env.example: {read - documented}"


# --- The image --------------------------------------------------------------------------------


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_dockerignore_keeps_secrets_local_data_and_history_out_of_the_build():
    patterns = dockerignore()
    for excluded in [".env", "var", ".venv", ".git"]:
        assert excluded in patterns, f".dockerignore lets {excluded} into the build context"
    # the example stays (documentation), every other .env.* does not
    assert ".env.*" in patterns and "!.env.example" in patterns


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined), split by FROM."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("FROM "):
            stages.append([line])
        elif stages:
            stages[-1].append(line)
    return stages


def test_the_image_builds_wheels_in_one_stage_and_runs_from_a_slim_one():
    build, runtime = dockerfile_stages()
    assert build[0].endswith(" AS build")
    assert any("pip wheel" in line and "--require-hashes" in line for line in build)
    # the runtime installs only the built wheels, nothing from the network
    installs = [line for line in runtime if "pip install" in line]
    assert installs and all("--no-index" in line for line in installs)
    assert "COPY --from=build /build/wheels /tmp/wheels" in runtime
    # the base image is pinned to a release, not a moving tag
    base = (ROOT / "Dockerfile").read_text().split("ARG BASE_IMAGE=")[1].split()[0]
    assert base.startswith("python:3.11.") and "slim" in base


def test_the_runtime_image_runs_as_an_unprivileged_user_on_code_it_cannot_write():
    runtime = dockerfile_stages()[1]
    users = [line for line in runtime if line.startswith("USER ")]
    assert users == ["USER portal"]
    # code copied before USER, without --chown: owned by root, read-only for `portal`
    copies = [line for line in runtime if line.startswith("COPY ")]
    assert copies and not any("--chown" in line for line in copies)
    assert runtime.index(users[0]) > max(runtime.index(line) for line in copies)
    # static files collected at build time; only var/ is the runtime user's
    assert any("collectstatic" in line for line in runtime)
    assert any("chown -R portal:portal /app/var" in line for line in runtime)


def test_the_image_copies_every_application_package_and_nothing_for_development():
    runtime = dockerfile_stages()[1]
    copied = {word for line in runtime if line.startswith("COPY ") for word in line.split()[1:-1]}
    packages = {
        path.name
        for path in ROOT.iterdir()
        if (path / "__init__.py").exists() and path.name not in {"tests", "benchmarks"}
    }
    assert packages <= copied, f"not in the image: {packages - copied}"
    for needed in ["manage.py", "gunicorn.conf.py", "templates", "static", "locale"]:
        assert needed in copied
    assert not {"tests", "benchmarks", ".", "requirements-dev.lock"} & copied
    # and the image never installs the development lock
    assert "requirements-dev.lock" not in (ROOT / "Dockerfile").read_text()


# --- The compose stack ------------------------------------------------------------------------

PORTAL_SERVICES = {"migrate", "web", "worker", "exchange-worker", "beat"}


def test_one_image_runs_every_portal_service_and_only_migrate_builds_it():
    services = compose()["services"]
    images = {services[name]["image"] for name in PORTAL_SERVICES}
    assert len(images) == 1
    assert [name for name, service in services.items() if "build" in service] == ["migrate"]
    for name, service in services.items():
        image = service["image"]
        # every third-party image pinned to a release
        if name not in PORTAL_SERVICES:
            assert ":" in image and image.split(":")[1][0].isdigit(), f"{name}: {image}"


def test_only_nginx_is_published_and_the_portal_sits_on_the_proxy_network():
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert services["web"]["expose"] == ["8000"]
    assert set(services["web"]["networks"]) == {"backend", "proxy"}
    assert services["nginx"]["networks"] == ["proxy"]
    for name in ["postgres", "redis", "worker", "beat"]:
        assert "proxy" not in services[name]["networks"], name
    assert "server web:8000;" in (ROOT / "deploy" / "nginx.conf").read_text()


def test_every_long_running_service_has_limits_rotation_and_a_health_check():
    services = compose()["services"]
    for name, service in services.items():
        if name == "migrate":
            continue
        limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
        assert {"cpus", "memory"} <= set(limits), f"{name} has no resource limits"
        assert service["logging"]["options"]["max-size"], name
    for name in ["postgres", "redis", "web", "worker", "exchange-worker", "beat"]:
        assert "healthcheck" in services[name], name
    assert services["web"]["healthcheck"]["test"][-1] == "web"  # /healthz/ready
    assert services["postgres"]["shm_size"]


def test_web_starts_without_the_database_checks_and_migrate_runs_them():
    services = compose()["services"]
    web = " ".join(_argv(services["web"]["command"]))
    assert "predeploy" not in web
    assert "check --deploy" in web and "gunicorn -c gunicorn.conf.py" in web
    migrate = services["migrate"]["command"][-1]
    assert migrate.index("migrate --no-input") < migrate.index("predeploy")
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }


def test_beat_keeps_its_schedule_on_a_volume():
    beat = compose()["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    mounts = {volume.split(":")[1] for volume in beat["volumes"]}
    assert any(schedule.startswith(mount + "/") for mount in mounts)


def test_redis_never_evicts_the_broker_and_the_cache_has_a_database_of_its_own():
    services = compose()["services"]
    assert "noeviction" in services["redis"]["command"]
    environment = services["web"]["environment"]
    assert (
        environment["REDIS_URL"].rsplit("/", 1)[1]
        != environment["REDIS_CACHE_URL"].rsplit("/", 1)[1]
    )


def test_the_backup_service_dumps_with_a_matching_pg_dump_and_reads_media_only():
    services = compose()["services"]
    backup = services["backup"]
    assert backup["image"] == services["postgres"]["image"]
    assert "/opt/backup/schedule.sh" in backup["command"]
    assert "media:/media:ro" in backup["volumes"]
    for script in ["backup.sh", "restore.sh", "rotate.sh", "schedule.sh"]:
        assert (ROOT / "deploy" / "backup" / script).exists()


def test_nginx_accepts_the_bodies_the_portal_accepts_and_never_serves_media():
    from django.conf import settings

    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f"client_max_body_size {settings.REQUEST_MAX_BODY_MB}m;" in conf
    assert "location /media/ {\n        return 404;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "alias /srv/static/;" in conf
    # above the cap nginx answers with the portal's message in both languages, same figure
    assert "error_page 413 /static/errors/413.html;" in conf
    page = (ROOT / "static" / "errors" / "413.html").read_text()
    assert f"超过 {settings.REQUEST_MAX_BODY_MB} MB" in page
    assert f"larger than {settings.REQUEST_MAX_BODY_MB} MB" in page
    # one proxy in front of the portal: the client is the last address it appends
    assert re.search(r"^TRUSTED_PROXY_COUNT=1$", (ROOT / ".env.example").read_text(), re.M)
