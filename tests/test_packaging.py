"""The package: pyproject.toml's pins are the ones the requirements files list, and the installed
`alliance` command works from any folder, reading the record from --events, $ALLIANCE_EVENTS or ./events."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

from .conftest import ROOT, event, make_record

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins(path: Path) -> list[str]:
    """The requirement lines of a requirements file, without comments and `-r` includes."""
    lines = (re.sub(r"\s+#.*", "", line).strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-r"))]


def test_the_requirements_files_pin_what_pyproject_declares():
    project = PYPROJECT["project"]
    assert pins(ROOT / "requirements.txt") == project["dependencies"], \
        "requirements.txt and pyproject.toml's dependencies differ: change both"
    assert pins(ROOT / "requirements-dev.txt") == project["optional-dependencies"]["dev"], \
        "requirements-dev.txt and pyproject.toml's dev extra differ: change both"
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9a-z.]*", pin) for pin in project["dependencies"])


def test_the_distribution_holds_every_package_of_the_checkout():
    setuptools = PYPROJECT["tool"]["setuptools"]
    packages = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")
    assert sorted(setuptools["packages"]) == packages, "a package folder is missing from [tool.setuptools] packages"
    assert setuptools["py-modules"] == ["app"]  # `alliance serve` imports it
    assert PYPROJECT["project"]["scripts"] == {"alliance": "alliance.__main__:main"}


def test_the_test_command_type_checks_every_shipped_module_before_the_tests():
    """mypy runs in scripts/test.sh (so in CI) right after the lint, over every package and module the
    distribution ships: a new package is checked from its first commit, or this fails."""
    steps = [line.split("#")[0].strip() for line in (ROOT / "scripts" / "test.sh").read_text().splitlines()
             if line.startswith(".venv/bin/python -m")]
    assert steps == [".venv/bin/python -m ruff check .", ".venv/bin/python -m mypy", '.venv/bin/python -m pytest "$@"']
    mypy, setuptools = PYPROJECT["tool"]["mypy"], PYPROJECT["tool"]["setuptools"]
    assert sorted(mypy["files"]) == sorted(setuptools["packages"] + [f"{m}.py" for m in setuptools["py-modules"]])
    assert "ignore_missing_imports" not in mypy  # untyped libraries are let through by name, in an override
    assert {pin.split("==")[0] for pin in PYPROJECT["project"]["optional-dependencies"]["dev"]} >= {"mypy", "pandas-stubs"}


def installed_command() -> Path:
    """The `alliance` script pip wrote for this environment (`pip install -e .`; scripts/test.sh does it)."""
    scripts = [e for e in metadata.entry_points(group="console_scripts", name="alliance")]
    assert scripts and scripts[0].value == "alliance.__main__:main", \
        "the alliance command is not installed: run `pip install -e .` (scripts/test.sh does)"
    command = Path(sysconfig.get_path("scripts")) / "alliance"
    assert command.is_file(), f"no {command}: run `pip install -e .`"
    return command


def run(command: Path, *args: str, cwd: Path, events_env: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCE_EVENTS"}
    # The checkout under test first: a shared environment may have another checkout installed editable.
    env["PYTHONPATH"] = str(ROOT)
    if events_env is not None:
        env["ALLIANCE_EVENTS"] = events_env
    return subprocess.run([str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def record_of(folder: Path, count: int) -> Path:
    return make_record(folder, {f"200{i}-01-02-e{i}.yaml": event(id=f"e{i}", date=f"200{i}-01-02") for i in range(count)})


def test_the_installed_command_reads_the_record_from_events_then_the_environment_then_dot_events(tmp_path):
    command = installed_command()
    work = tmp_path / "work"
    record_of(work / "events", 3)
    record_of(tmp_path / "given", 1)
    record_of(tmp_path / "from-env", 2)
    cases = [((), None, 3), (("--events", "../given"), None, 1), ((), str(tmp_path / "from-env"), 2),
             (("--events", "../given"), str(tmp_path / "from-env"), 1)]
    for args, env, count in cases:
        result = run(command, "validate", *args, cwd=work, events_env=env)
        assert result.returncode == 0 and result.stdout.startswith(f"OK: {count} events"), (args, env, result.stderr)
    exported = run(command, "export", "--format", "csv", "--out", "out.csv", cwd=work, events_env=str(tmp_path / "from-env"))
    assert exported.returncode == 0, exported.stderr
    with open(work / "out.csv", encoding="utf-8-sig", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["e0", "e1"]  # export follows $ALLIANCE_EVENTS too


def test_the_installed_command_names_the_missing_folder_and_serve_checks_the_record_first(tmp_path):
    command = installed_command()
    missing = run(command, "stats", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == ("error: no record folder at events (the default, ./events); "
                                      "give --events DIR or set ALLIANCE_EVENTS")
    make_record(tmp_path / "events", {"2000-01-02-test-event.yaml": event(kind="nope")})
    served = run(command, "serve", "--port", "8219", cwd=tmp_path)  # invalid: refuses before it binds
    assert served.returncode == 1 and "Not starting" in served.stderr and "unknown kind 'nope'" in served.stderr
