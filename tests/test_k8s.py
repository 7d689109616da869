"""deploy/k8s/: every manifest valid against the Kubernetes schemas (offline, strict), and consistent with the image and nginx.

The schemas come with kubernetes-validate (pyproject.toml's dev extra). The consistency checks read the
other side from its own file: the Dockerfile's port, user and store path, deploy/nginx.conf's upload
cap and websocket timeouts, each manifest's names and labels.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from core.store import DEFAULT_MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
HEALTH = "/_stcore/health"


def manifests() -> dict[str, dict]:
    """Each manifest by its kind (one resource per file)."""
    found = {}
    for path in sorted(K8S.glob("*.yaml")):
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
        assert len(docs) == 1, f"{path.name}: one resource per file"
        kind = docs[0]["kind"]
        assert kind not in found, f"two {kind}s"
        found[kind] = docs[0]
    return found


def dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    env = re.search(r"^ENV (.*)$", text, re.M).group(1)
    return dict(re.findall(r"(\w+)=(\S+)", env))


def pod(m: dict) -> dict:
    return m["Deployment"]["spec"]["template"]["spec"]


def app_container(m: dict) -> dict:
    (app,) = pod(m)["containers"]
    return app


def test_the_manifests_are_the_expected_resources():
    assert set(manifests()) == {
        "Deployment",
        "Service",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PersistentVolumeClaim",
        "PodDisruptionBudget",
        "ConfigMap",
    }


@pytest.mark.parametrize("path", sorted(K8S.glob("*.yaml")), ids=lambda p: p.name)
def test_each_manifest_is_valid_against_the_kubernetes_schemas(path):
    (doc,) = [d for d in yaml.safe_load_all(path.read_text()) if d]
    kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_the_validator_refuses_a_broken_manifest():
    m = manifests()
    broken = copy.deepcopy(m["Deployment"])
    app = broken["spec"]["template"]["spec"]["containers"][0]
    app["readinessProbe"]["httpGet"]["port"] = {"name": "http"}  # a port is a number or a name, never a mapping
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)
    unknown = copy.deepcopy(m["Service"])
    unknown["spec"]["sessionAffinityy"] = "ClientIP"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(unknown, kubernetes_validate.latest_version(), strict=True)


def test_probes_and_port_are_the_images():
    m = manifests()
    app = app_container(m)
    (port,) = app["ports"]
    assert str(port["containerPort"]) == dockerfile_env()["STREAMLIT_SERVER_PORT"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"] == {"path": HEALTH, "port": port["name"]}, probe
    assert HEALTH in (ROOT / "Dockerfile").read_text(), "the image's HEALTHCHECK asks the same endpoint"


def test_every_container_names_the_projects_version_never_latest():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    spec = pod(manifests())
    images = [c["image"] for c in spec["containers"] + spec["initContainers"]]
    assert images and set(images) == {f"babygpt-explorer:{version}"}, images
    assert f"docker build -t babygpt-explorer:{version} ." in (ROOT / "README.md").read_text(), "the README builds that tag"


def test_the_pods_run_as_the_images_user_never_root():
    m = manifests()
    dockerfile = (ROOT / "Dockerfile").read_text()
    uid = re.search(r"useradd .*--uid (\d+) app", dockerfile).group(1)
    assert re.search(r"^USER (\d+)$", dockerfile, re.M).group(1) == uid, "a numeric USER, so runAsNonRoot can check it"
    assert pod(m)["automountServiceAccountToken"] is False, "no cluster credentials in the app's pods"
    security = pod(m)["securityContext"]
    assert security["runAsNonRoot"] is True
    assert str(security["runAsUser"]) == uid and str(security["fsGroup"]) == uid
    for container in pod(m)["initContainers"] + pod(m)["containers"]:
        c = container["securityContext"]
        assert c["allowPrivilegeEscalation"] is False and c["capabilities"]["drop"] == ["ALL"], container["name"]
        assert c.get("runAsUser", 10001) != 0 and c.get("privileged", False) is False, container["name"]
        assert {"requests", "limits"} <= set(container["resources"]), container["name"]


def test_the_store_is_one_read_write_many_claim_at_the_images_store_path():
    m = manifests()
    claim = m["PersistentVolumeClaim"]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"], "every pod, on any node, mounts the one store"
    (volume,) = [v for v in pod(m)["volumes"] if "persistentVolumeClaim" in v]
    assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    store = dockerfile_env()["BABYGPT_STORE"]
    for container in pod(m)["initContainers"] + pod(m)["containers"]:
        mounts = {v["name"]: v["mountPath"] for v in container["volumeMounts"]}
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert mounts[volume["name"]] == store and env["BABYGPT_STORE"] == store, container["name"]
    size = re.fullmatch(r"(\d+)(Mi|Gi)", claim["spec"]["resources"]["requests"]["storage"])
    assert int(size[1]) * {"Mi": 2**20, "Gi": 2**30}[size[2]] >= DEFAULT_MAX_BYTES, "the claim holds the store at its bound"
    (init,) = pod(m)["initContainers"]
    assert init["image"] == app_container(m)["image"], "the store is seeded by the app's own image"
    assert (ROOT / init["command"][1]).is_file(), "the init command runs a script the image has"


def test_the_cookie_secret_comes_from_a_secret_and_no_service_variables_join_the_apps():
    m = manifests()
    assert pod(m)["enableServiceLinks"] is False, "the Service `babygpt` would add BABYGPT_* variables beside BABYGPT_STORE"
    env = {e["name"]: e for e in app_container(m)["env"]}
    secret = env["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert "value" not in secret and set(secret["valueFrom"]["secretKeyRef"]) == {"name", "key"}


def test_service_ingress_and_autoscaler_point_at_the_deployment():
    m = manifests()
    labels = m["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert m["Deployment"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = m["Service"]
    assert service["spec"]["selector"].items() <= labels.items(), "the Service selects the app's pods"
    assert m["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == app_container(m)["ports"][0]["name"]
    backends = [p["backend"]["service"] for rule in m["Ingress"]["spec"]["rules"] for p in rule["http"]["paths"]]
    assert backends == [{"name": service["metadata"]["name"], "port": {"name": port["name"]}}]
    hpa = m["HorizontalPodAutoscaler"]["spec"]
    target = hpa["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", m["Deployment"]["metadata"]["name"])
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
    assert "cpu" in app_container(m)["resources"]["requests"], "CPU utilisation is measured against the request"
    assert hpa["minReplicas"] <= m["Deployment"]["spec"]["replicas"] <= hpa["maxReplicas"]


def test_the_ingress_keeps_deploy_nginx_confs_rules():
    """Sticky by a cookie of the proxy's own (never by address), uploads and websocket timeouts as in deploy/nginx.conf."""
    notes = manifests()["Ingress"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert not any("upstream-hash-by" in k for k in notes), "no routing by client address"
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert notes[prefix + "session-cookie-name"] == re.search(r"\$cookie_(\w+)", conf).group(1)
    assert notes[prefix + "proxy-body-size"] == re.search(r"client_max_body_size (\S+);", conf).group(1)
    read = re.search(r"proxy_read_timeout (\d+)s;", conf).group(1)
    send = re.search(r"proxy_send_timeout (\d+)s;", conf).group(1)
    assert (notes[prefix + "proxy-read-timeout"], notes[prefix + "proxy-send-timeout"]) == (read, send)


def test_the_ingress_limits_and_headers_are_nginx_confs():
    """The Ingress's per-client limits and the headers ConfigMap say what deploy/nginx.conf says."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    notes = manifests()["Ingress"]["metadata"]["annotations"]
    rate = int(re.search(r"zone=babygpt_req:\S+ rate=(\d+)r/s;", conf).group(1))
    burst = int(re.search(r"limit_req zone=babygpt_req burst=(\d+) nodelay;", conf).group(1))
    conns = int(re.search(r"^\s*limit_conn babygpt_conn (\d+);", conf, re.M).group(1))
    assert int(notes["nginx.ingress.kubernetes.io/limit-rps"]) == rate
    assert int(notes["nginx.ingress.kubernetes.io/limit-burst-multiplier"]) * rate == burst
    assert int(notes["nginx.ingress.kubernetes.io/limit-connections"]) == conns
    headers = manifests()["ConfigMap"]
    assert notes["nginx.ingress.kubernetes.io/custom-headers"].endswith("/" + headers["metadata"]["name"])
    csp = re.search(r'map \$uri \$babygpt_csp \{\s*default "([^"]+)";', conf).group(1)
    assert headers["data"]["Content-Security-Policy"] == csp
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        value = re.search(rf"add_header {name} (\"[^\"]+\"|\S+) always;", conf).group(1).strip('"')
        assert headers["data"][name] == value, name
