"""The lock files agree with pyproject.toml, and every package in them is pinned with its hashes.

pyproject.toml declares the direct dependencies (the app's, and the test tools' in the dev extra); scripts/lock.sh
writes requirements.lock and requirements-dev.lock from it for Linux x86_64 and Python 3.11, and scripts/setup.sh
and the Dockerfile install them with --require-hashes. requirements.txt stays for Streamlit Community Cloud, which
reads it: its pins must be pyproject's. Read from the files only: no network.
"""

from __future__ import annotations

import pathlib
import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parents[1]
TORCH_PAGE = "--find-links https://download.pytorch.org/whl/cpu/torch/"
# The locks' platform: markers are read as pip reads them on a Linux x86_64 machine with CPython 3.11
LOCK_PLATFORM = {
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "python_version": "3.11",
    "python_full_version": "3.11.2",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def read_lock(name: str) -> tuple[list[str], dict[str, tuple[str, list[str]]]]:
    """The lock's option lines, and each package's (version, sha256 hashes), by canonical name."""
    options, packages = [], {}
    text = (ROOT / name).read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            options.append(line)
            continue
        spec, *rest = line.split()
        req = Requirement(spec)
        (pin,) = req.specifier
        assert pin.operator == "==" and not req.marker and not req.extras, f"{name}: {spec} is not a plain pin"
        assert rest and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in rest), f"{name}: {spec} has no hash"
        key = canonicalize_name(req.name)
        assert key not in packages, f"{name}: {req.name} twice"
        packages[key] = (pin.version, [h.removeprefix("--hash=sha256:") for h in rest])
    return options, packages


def pins(requirements: list[str]) -> dict[str, str]:
    """The version each requirement pins on the locks' platform (those whose marker excludes it left out)."""
    out = {}
    for text in requirements:
        req = Requirement(text)
        if req.marker and not req.marker.evaluate(LOCK_PLATFORM):
            continue
        (pin,) = req.specifier
        assert pin.operator == "==", f"pyproject.toml: {text} is not pinned"
        out[canonicalize_name(req.name)] = pin.version
    return out


APP = pins(PROJECT["dependencies"])
DEV = pins(PROJECT["optional-dependencies"]["dev"])


@pytest.mark.parametrize("lock, direct", [("requirements.lock", APP), ("requirements-dev.lock", {**APP, **DEV})])
def test_every_direct_dependency_is_locked_at_its_pinned_version(lock, direct):
    _, packages = read_lock(lock)
    wrong = {name: (version, packages.get(name, ("missing",))[0]) for name, version in direct.items()}
    assert {k: v for k, v in wrong.items() if v[0] != v[1]} == {}, f"{lock}: (pyproject.toml, lock)"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_package_has_hashes_and_torch_is_the_cpu_build_from_pytorchs_page(lock):
    options, packages = read_lock(lock)  # (it asserts a pin and a hash on every package)
    assert options == [TORCH_PAGE], f"{lock}: only PyTorch's page of CPU wheels beside PyPI"
    assert packages["torch"][0] == "2.13.0+cpu" and len(packages["torch"][1]) >= 1
    assert len(packages) > len(APP), "the packages the direct ones pull in are locked too"
    header = (ROOT / lock).read_text().split("\n--")[0]
    assert "bash scripts/lock.sh" in header and f"-o {lock}" in header, "the lock says how it is written again"


def test_the_dev_lock_holds_the_apps_lock_exactly():
    _, app = read_lock("requirements.lock")
    _, dev = read_lock("requirements-dev.lock")
    assert {name: dev.get(name) for name in app} == app, "the tests run on the app's packages, files and all"


def test_requirements_txt_pins_what_pyproject_declares():
    """Streamlit Community Cloud installs requirements.txt: the same pins, so the same direct versions as the lock."""
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    assert [line for line in lines if line.startswith("-")] == [TORCH_PAGE]
    listed = [line for line in lines if not line.startswith("-")]
    assert {str(Requirement(r)) for r in listed} == {str(Requirement(r)) for r in PROJECT["dependencies"]}
    _, packages = read_lock("requirements.lock")
    assert {name: packages[name][0] for name in APP} == pins(listed)


def test_setup_and_the_image_install_the_locks_with_hashes():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "lock=requirements.lock" in setup and "lock=requirements-dev.lock" in setup
    assert 'pip install "${pip_opts[@]}" --require-hashes -r "$lock"' in setup
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN python3 -m venv /opt/venv && pip install --require-hashes -r requirements.lock\n" in dockerfile
