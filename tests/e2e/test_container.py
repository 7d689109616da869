"""The image, really built and run: podman builds the Dockerfile and runs two copies behind nginx with one result store.

What it does, in a few minutes: a Debian bookworm root file system with Python 3.11 (mmdebstrap, cached by
its recipe for a week under /var/tmp/babygpt-container) becomes the build's base (the Dockerfile's BASE
argument; everyone else builds on python:3.11-slim); `podman build` runs the Dockerfile with the host's
network and what this machine's pip is configured with (its certificate bundle, local wheel folders,
mounted read-only for the build only); the store is seeded by the Kubernetes manifest's own init command;
then two copies of the image, each started as deploy/k8s/ starts a pod (the image's user, a read-only root
file system, no capabilities), serve behind nginx with deploy/nginx.conf, sharing one host directory as
their store. Images and containers live in a private podman storage under the test's temporary directory,
removed afterwards.

Runs as root with podman, runc and mmdebstrap (scripts/setup.sh dev installs them): without them the test is
skipped on a developer's machine and fails in CI. Deselect with -m "not container" (or "not e2e").
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from core.store import ResultStore, train_key
from scripts.warm import default_runs
from tests.e2e.harness import ROOT
from tests.e2e.test_browser import graph_counts, graph_frame, painted_pixels, wait_ready
from tests.e2e.test_proxy import NGINX, free_ports, get, is_open, upstreams

pytestmark = [pytest.mark.container, pytest.mark.e2e, pytest.mark.slow]

CACHE = Path("/var/tmp/babygpt-container")
BASE_RECIPE = ["--variant=minbase", "--include=python3,python3-venv,python3-pip,ca-certificates", "bookworm"]
APP_UID = "10001"  # the Dockerfile's user `app`, and deploy/k8s/deployment.yaml's runAsUser
STORE_IN_IMAGE = "/app/store"
SECOND_CONFIG = "train_explore?k=2&seed=7"  # a configuration the image did not precompute: trained on first visit


def need(ok: bool, reason: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: scripts/setup.sh dev installs what the container test needs")
        pytest.skip(reason)


class Podman:
    """podman on a storage of its own, with runc and cgroupfs (crun fails here on setrlimit and cgroups)."""

    def __init__(self, state: Path):
        self.state = state
        conf = state / "containers.conf"
        conf.write_text('[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n')
        self.env = {**os.environ, "CONTAINERS_CONF": str(conf)}
        self.base = ["podman", "--root", str(state / "storage"), "--runroot", str(state / "run")]

    def __call__(self, *args: str, check: bool = True, timeout: float = 120) -> str:
        r = subprocess.run([*self.base, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            what = " ".join(args[:3])
            raise AssertionError(f"podman {what} ... exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
        return r.stdout.strip()


def base_tar() -> Path:
    """The base's root file system: mmdebstrap's output, kept a week under CACHE (its name holds the recipe and the week)."""
    week = datetime.date.today().isocalendar()
    key = hashlib.sha256(repr((BASE_RECIPE, week.year, week.week)).encode()).hexdigest()[:16]
    tar = CACHE / f"bookworm-py-{key}.tar"
    if tar.exists():
        return tar
    CACHE.mkdir(parents=True, exist_ok=True)
    part = CACHE / f".{os.getpid()}-{tar.name}"
    try:
        subprocess.run(["mmdebstrap", "--quiet", "--format=tar", *BASE_RECIPE, str(part)], check=True, timeout=600)
        part.rename(tar)
    finally:
        part.unlink(missing_ok=True)
    for old in CACHE.glob("bookworm-py-*.tar"):
        if old != tar:
            old.unlink(missing_ok=True)
    return tar


def pip_for_build(state: Path) -> list[str]:
    """podman build's -v options giving pip in the build what this machine's pip uses (`pip config list`).

    A pip.conf at /etc/pip.conf with the certificate bundle, indexes, find-links and constraints, and each
    local file or folder they name, all read-only. Where PyTorch's host is out of reach, pip asks it once
    (as scripts/setup.sh does).
    """
    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    single, multi = {}, {}
    for line in listed.splitlines():  # e.g. global.cert='/etc/ssl/certs/ca-certificates.crt', :env:.find-links='/opt/wheels'
        name, _, value = line.partition("=")
        key, value = name.rsplit(".", 1)[-1], value.strip("'\"")
        if key in ("find-links", "extra-index-url", "trusted-host"):
            multi.setdefault(key, []).extend(v for v in value.split() if v not in multi.get(key, []))
        elif key in ("cert", "index-url", "constraint") and (key not in single or name.startswith(":env:")):
            single[key] = value
    conf = {**single, **{k: " ".join(v) for k, v in multi.items()}}
    reachable = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('download.pytorch.org', 443), timeout=3)"],
        capture_output=True,
        timeout=10,
    )
    if reachable.returncode != 0:
        conf.update(retries="0", timeout="15")
    (state / "pip.conf").write_text("[global]\n" + "".join(f"{k} = {v}\n" for k, v in conf.items()))
    mounts = ["-v", f"{state / 'pip.conf'}:/etc/pip.conf:ro"]
    named = [single.get("cert"), single.get("constraint"), single.get("index-url")]
    named += multi.get("find-links", []) + multi.get("extra-index-url", [])
    local = {Path(v.removeprefix("file://")) for v in named if v and v.removeprefix("file://").startswith("/")}
    for path in sorted(p.parent if p.name == "simple" else p for p in local if p.exists()):  # an index: its files beside it
        mounts += ["-v", f"{path}:{path}:ro"]
    return mounts


def wait_healthy(podman: Podman, name: str, port: int, timeout: float = 120) -> float:
    """Seconds until the copy's health endpoint answers; fails if the container stops first."""
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t
        except OSError:
            pass
        if podman("inspect", "--format", "{{.State.Running}}", name) != "true":
            raise AssertionError(f"{name} stopped:\n{podman('logs', name, check=False)}")
        time.sleep(0.5)
    raise AssertionError(f"{name} not healthy in {timeout} s:\n{podman('logs', name, check=False)}")


def nginx_conf(tmp: Path, port: int, app_ports: list[int]) -> str:
    """deploy/nginx.conf for these copies, wrapped as deploy/start.sh wraps it."""
    body = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "    server app:8501;\n" in body and "    listen 8080;\n" in body, "deploy/nginx.conf changed: update this test"
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in app_ports)
    body = body.replace("    server app:8501;\n", servers).replace("    listen 8080;\n", f"    listen 127.0.0.1:{port};\n")
    temps = "".join(f"    {kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    log = "'$remote_addr [$time_local] \"$request\" $status $body_bytes_sent route=$babygpt_route upstream=$upstream_addr'"
    return (
        f"daemon off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\nworker_processes 1;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\n    log_format routed {log};\n"
        f"    access_log {tmp}/access.log routed;\n{temps}\n{body}\n}}\n"
    )


def pod_spec() -> dict:
    docs = yaml.safe_load((ROOT / "deploy" / "k8s" / "deployment.yaml").read_text())
    return docs["spec"]["template"]["spec"]


class Deployment:
    """Two copies of the image behind nginx; `store` is the host directory both mount at the image's store path."""

    def __init__(self, podman: Podman, image: str, state: Path):
        self.podman, self.image, self.state = podman, image, state
        self.store = state / "store"
        self.store.mkdir()
        os.chown(self.store, int(APP_UID), int(APP_UID))
        self.secret = secrets.token_hex(32)
        first = free_ports(3)
        self.port, self.app_ports = first, [first + 1, first + 2]
        self.names = [f"babygpt-copy-{i}" for i in range(2)]
        # nginx's workers run as another user: its directory must be reachable (pytest's own is root's only)
        self.logs = Path(tempfile.mkdtemp(prefix="babygpt-container-nginx."))
        self.nginx = None

    def pod_options(self) -> list[str]:
        """A pod of deploy/k8s/deployment.yaml, in podman's words: its volumes and its security context."""
        spec = pod_spec()
        app = spec["containers"][0]
        security = app["securityContext"]
        opts = ["--network=host", "--security-opt=no-new-privileges", "-v", f"{self.store}:{STORE_IN_IMAGE}"]
        assert security["allowPrivilegeEscalation"] is False and security["capabilities"]["drop"] == ["ALL"]
        opts.append("--cap-drop=ALL")
        if security["readOnlyRootFilesystem"]:
            opts.append("--read-only")  # podman adds its own /tmp, /var/tmp and /run
        for mount in app["volumeMounts"]:
            if mount["mountPath"] not in (STORE_IN_IMAGE, "/tmp"):
                opts += ["--tmpfs", f"{mount['mountPath']}:rw,mode=1777"]  # an emptyDir
        return opts

    def start_copy(self, i: int) -> None:
        env = {
            "STREAMLIT_SERVER_PORT": self.app_ports[i],
            "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",  # the host's network: listen on loopback only
            "STREAMLIT_SERVER_COOKIE_SECRET": self.secret,
            "BABYGPT_PRETRAIN": "off",  # no minutes-long background training beside the test's checks
        }
        envs = [f"--env={k}={v}" for k, v in env.items()]
        self.podman("run", "-d", "--name", self.names[i], *self.pod_options(), *envs, self.image)

    def seed(self) -> str:
        """The manifest's init container: its command, on the shared store."""
        init = pod_spec()["initContainers"][0]
        env = [f"--env={e['name']}={e['value']}" for e in init["env"]]
        return self.podman("run", "--rm", *self.pod_options(), *env, self.image, *init["command"], timeout=300)

    def start(self) -> None:
        for i in range(2):
            self.start_copy(i)
        for i in range(2):
            wait_healthy(self.podman, self.names[i], self.app_ports[i])
        self.logs.chmod(0o755)
        conf = self.logs / "nginx.conf"
        conf.write_text(nginx_conf(self.logs, self.port, self.app_ports))
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.logs), "-e", str(self.logs / "error.log"), "-c", str(conf)])
        for _ in range(100):
            if is_open(self.port):
                break
            time.sleep(0.1)
        assert is_open(self.port), (self.logs / "error.log").read_text()

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.terminate()
            self.nginx.wait(timeout=20)
        shutil.rmtree(self.logs, ignore_errors=True)
        self.podman("rm", "-f", "-t", "5", *self.names, check=False, timeout=60)


@pytest.fixture(scope="module")
def podman(tmp_path_factory):
    need(os.geteuid() == 0, "the container test runs podman as root")
    for tool in ("podman", "runc", "mmdebstrap"):
        need(shutil.which(tool) is not None, f"{tool} is not installed")
    need(os.path.exists(NGINX), f"nginx not found at {NGINX}")
    state = tmp_path_factory.mktemp("podman")
    state.chmod(0o755)  # the app's user reaches the store inside
    engine = Podman(state)
    yield engine
    engine("rm", "-af", "-t", "5", check=False, timeout=120)
    engine("rmi", "-af", check=False, timeout=120)
    subprocess.run(["umount", "-R", str(state / "storage")], capture_output=True)
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def image(podman):
    """The Dockerfile built on the local base; returns its name."""
    t = time.monotonic()
    tar = base_tar()
    t_base = time.monotonic() - t
    t = time.monotonic()
    podman("import", "--quiet", str(tar), "localhost/bookworm-py:local", timeout=300)
    t_import = time.monotonic() - t
    name = "localhost/babygpt-explorer:test"
    t = time.monotonic()
    podman(
        "build",
        "--quiet",
        "--isolation=chroot",  # RUN steps with the host's network
        "--format=docker",  # keeps the HEALTHCHECK
        "--layers=false",
        "--pull=never",
        "--build-arg=BASE=localhost/bookworm-py:local",
        "--build-arg=PRETRAIN=off",  # the copies run on a store of their own, mounted over the image's
        *pip_for_build(podman.state),
        "--tag",
        name,
        str(ROOT),
        timeout=900,
    )
    print(f"\nbase file system {t_base:.0f} s, import {t_import:.0f} s, build {time.monotonic() - t:.0f} s")
    return name


@pytest.fixture(scope="module")
def deployment(podman, image):
    d = Deployment(podman, image, podman.state)
    t = time.monotonic()
    out = d.seed()
    key = train_key(*default_runs()[0])
    assert ResultStore(d.store).path(key).name in out, f"the init command stores the article's model:\n{out}"
    t_seed = time.monotonic() - t
    d.seeded_mtime = ResultStore(d.store).path(key).stat().st_mtime_ns  # (a path and a stat: no read of the value)
    time.sleep(0.05)  # a later touch gets a later time, whatever the file system's clock grain
    t = time.monotonic()
    d.start()
    print(f"\nstore seeded {t_seed:.0f} s, two copies and nginx up {time.monotonic() - t:.0f} s")
    yield d
    d.stop()


def article_file(d: Deployment) -> Path:
    """The store's file of the overview page's model (the store names it by its key's sha256)."""
    path = ResultStore(d.store).path(train_key(*default_runs()[0]))
    assert ResultStore(d.store).get(train_key(*default_runs()[0])) is not None, "a whole value, as the app wrote it"
    return path


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    return context, page


def test_the_image_runs_as_its_own_user_and_answers_its_health_check(deployment):
    d = deployment
    for name, port in zip(d.names, d.app_ports, strict=True):
        assert d.podman("healthcheck", "run", name) in ("", "healthy"), "the image's HEALTHCHECK passes"
        status, body, _ = get(f"http://127.0.0.1:{port}/_stcore/health")
        assert (status, body) == (200, b"ok")
        assert d.podman("exec", name, "id", "-u") == APP_UID
        uids = d.podman("exec", name, "grep", "^Uid:", "/proc/1/status").split()[1:]
        assert uids == [APP_UID] * 4, f"the server's real, effective, saved and file uids: {uids}"
        assert d.podman("top", name, "huser").split()[1:] == [APP_UID], "on the host too, the process is not root"
        assert d.podman("exec", name, "stat", "-c", "%u", "/app/app.py") == "0", "the app's user does not own its code"
    assert d.podman("inspect", "--format", "{{.Config.User}}", d.image) == APP_UID


def test_the_overview_draws_from_the_image_behind_nginx_and_both_copies_read_one_store(deployment, browser):
    d = deployment
    base = f"http://127.0.0.1:{d.port}"
    status, body, cookies = get(f"{base}/_stcore/health")
    assert (status, body) == (200, b"ok") and any(c.startswith("babygpt_route=") for c in cookies)
    routes = [next(c for c in get(f"{base}/_stcore/health")[2] if c.startswith("babygpt_route=")) for _ in range(20)]
    spread = set().union(*(upstreams(d.logs, r.split(";")[0].split("=")[1]) for r in routes))
    assert spread == {f"127.0.0.1:{p}" for p in d.app_ports}, f"20 new visitors all went to {spread}"

    path = ResultStore(d.store).path(train_key(*default_runs()[0]))
    # The copies read it before their health check answered (serve.py's start-up work): a read counts as a use
    assert path.stat().st_mtime_ns > d.seeded_mtime, "the store touches a file it reads (its least recently used go)"
    stored = article_file(d)
    inode = stored.stat().st_ino
    context, page = open_page(browser, base)
    try:
        frame = graph_frame(page)
        assert graph_counts(frame) == (8, 16), "the overview graph draws from the image, through nginx"
        assert painted_pixels(frame) > 2000, "the canvas is not blank"
        assert "79%" in page.inner_text('[data-testid="stMain"]')
        route = next(c["value"] for c in context.cookies() if c["name"] == "babygpt_route")
    finally:
        context.close()
    time.sleep(0.5)
    (served,) = upstreams(d.logs, route)
    assert stored.stat().st_ino == inode, "the copy read the seeded result: trained again, it would have written a new file"

    other = next(p for p in d.app_ports if served != f"127.0.0.1:{p}")
    context, page = open_page(browser, f"http://127.0.0.1:{other}/")
    try:
        assert graph_counts(graph_frame(page)) == (8, 16)
    finally:
        context.close()
    assert stored.stat().st_ino == inode, "the other copy drew from the same file: trained again, it would write a new one"


def test_the_store_survives_a_restart_of_a_copy(deployment, browser):
    d = deployment
    before = {p.name for p in d.store.glob("*.bin")}
    context, page = open_page(browser, f"http://127.0.0.1:{d.app_ports[0]}/{SECOND_CONFIG}")
    try:
        assert graph_counts(graph_frame(page)) == (4, 8)
    finally:
        context.close()
    new = [p for p in d.store.glob("*.bin") if p.name not in before]
    assert len(new) == 1, f"one new training in the shared store: {sorted(p.name for p in d.store.glob('*.bin'))}"
    (stored,) = new
    assert stored.stat().st_uid == int(APP_UID), "written by the image's user"
    data, inode = stored.read_bytes(), stored.stat().st_ino

    d.podman("restart", "-t", "10", d.names[0], timeout=120)
    took = wait_healthy(d.podman, d.names[0], d.app_ports[0])
    print(f"\nhealthy {took:.1f} s after a restart")
    assert stored.read_bytes() == data and stored.stat().st_ino == inode, "the restart left the store as it was"
    for port in d.app_ports:  # the restarted copy, then the other
        mtime = stored.stat().st_mtime_ns
        context, page = open_page(browser, f"http://127.0.0.1:{port}/{SECOND_CONFIG}")
        try:
            assert graph_counts(graph_frame(page)) == (4, 8)
        finally:
            context.close()
        assert stored.stat().st_ino == inode, f"the copy on {port} read the stored training, not trained it again"
        assert stored.stat().st_mtime_ns > mtime
    assert {p.name for p in d.store.glob("*.bin")} == before | {stored.name}
