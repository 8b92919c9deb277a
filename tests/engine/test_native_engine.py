"""What only the native plugin can do, under the real Pulumi CLI and a real emulator process:
``pulumi import``, explicit providers on several namespaces, seeded auto-names, and errors
without a traceback. The plugin is found on PATH (``Face.env``), as the README says. The
lifecycle scenarios shared with the dynamic face are in ``test_cluster_engine.py``."""

from __future__ import annotations

import json
import os
import re
import shutil
import tarfile
import uuid
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, FACES, Face, Stack, plugin_path, server_clusters
from tests.engine.test_cluster_engine import vector_cluster
from tests.support.emulator import Emulator
from tests.support.pulumi import PulumiProject

pytestmark = pytest.mark.engine

NATIVE = FACES["native"]


@pytest.fixture
def face() -> Face:
    """Every stack of this module uses the native face."""
    return NATIVE
TRACEBACK_MARKERS = ("Traceback", 'File "', "site-packages")


def create_out_of_band(stack: Stack, declared: dict[str, Any]) -> str:
    body = {k: v for k, v in declared.items() if v is not None}
    created = stack.emulator.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=stack.namespace, json=body
    )
    created.raise_for_status()
    return str(created.json()["cluster_id"])


def test_import_then_a_program_declaring_it_previews_no_change(stack: Stack) -> None:
    declared = vector_cluster("legacy", description=None, metadata=None)
    existing_id = create_out_of_band(stack, declared)
    stack.emulator.reset()

    imported = stack.project.run(
        "import", NATIVE.cluster_type, "legacy", existing_id, "--yes", "--generate-code=false"
    ).stdout
    assert "1 imported" in imported, imported

    (resource,) = stack.project.resources(NATIVE.cluster_type)
    assert resource["id"] == existing_id
    assert resource["protect"] is True  # pulumi import protects what it adopts
    assert resource["outputs"]["clusterName"] == "legacy"  # the schema's camelCase name
    assert {r["method"] for r in stack.api_requests()} == {"GET"}  # read only

    # The program a user then writes (as `pulumi import` would generate it) changes nothing.
    stack.declare(legacy={**declared, "resource_options": {"protect": True}})
    stack.run("preview", "--expect-no-changes")
    stack.run("up", "--yes", "--expect-no-changes")
    assert [c["cluster_id"] for c in stack.server_clusters()] == [existing_id]
    changes = [f"{r['method']} {r['path']}" for r in stack.api_requests()]
    assert not [c for c in changes if c == "POST /v1/clusters" or c.startswith(("PATCH", "DELETE"))]

    # Lifting the protection is an ordinary up; then the fixture's destroy can delete it.
    stack.declare(legacy=declared)
    stack.run("up", "--yes")


def test_unnamed_cluster_is_created_with_the_name_preview_showed(stack: Stack) -> None:
    """No update plan needed: the engine's random seed changes from preview to up unless a
    plan carries it (pkg/resource/deploy/step_generator.go), so the plugin derives the name
    from the resource's URN and declaration instead."""
    unnamed = vector_cluster("ignored")
    del unnamed["cluster_name"]
    stack.declare(products=unnamed)

    preview = stack.run("preview", "--diff")
    (previewed,) = re.findall(r"clusterName\s*: \"(pulumi-[0-9a-f]{12})\"", preview)
    up = stack.run("up", "--yes", "--diff")
    # up shows its own preview, then the update: both name the same cluster.
    assert set(re.findall(r"clusterName\s*: \"(pulumi-[0-9a-f]{12})\"", up)) == {previewed}

    (cluster,) = stack.server_clusters()
    assert cluster["cluster_name"] == previewed
    stack.run("preview", "--expect-no-changes")


def test_failing_up_shows_one_message_without_traceback_or_key(stack: Stack) -> None:
    wrong_key = "sk_wrong_" + uuid.uuid4().hex
    stack.project.set_config("mixpeek:apiKey", wrong_key, secret=True)
    stack.declare(products=vector_cluster("products"))

    result = stack.project.run("up", "--yes", check=False)

    assert result.returncode != 0
    out = result.stdout
    assert (
        "the Mixpeek API rejected the API key set in stack config mixpeek:apiKey (HTTP 401"
        in out
    ), out
    for marker in TRACEBACK_MARKERS:
        assert marker not in out, f"{marker!r} in:\n{out}"
    assert wrong_key not in stack.project.logs()
    assert stack.server_clusters() == []


TWO_PROVIDERS = """\
import json
from pathlib import Path

import pulumi
import pulumi_mixpeek.native as mixpeek

settings = json.loads(Path("providers.json").read_text())
for name, config in settings.items():
    provider = mixpeek.Provider(name, **config)
    cluster = mixpeek.Cluster(
        f"products-{name}",
        collection_ids=["col_products"],
        vector_config=mixpeek.VectorConfigArgs(
            feature_uris=["mixpeek://text_extractor@v1/embedding"], clustering_method="kmeans"
        ),
        cluster_name="products",
        opts=pulumi.ResourceOptions(provider=provider),
    )
    pulumi.export(f"{name}_id", cluster.cluster_id)
"""


def test_two_explicit_providers_manage_two_namespaces(
    tmp_path: Path, bin_dir: Path, emulator: Emulator
) -> None:
    project = PulumiProject.create(tmp_path / "two", bin_dir, program=TWO_PROVIDERS)
    project.extra_env.update(NATIVE.env(bin_dir))
    namespaces = {name: f"engine-{name}-{uuid.uuid4().hex[:8]}" for name in ("staging", "prod")}
    providers = {
        name: {"namespace": namespace, "endpoint": emulator.base_url, "api_key": API_KEY}
        for name, namespace in namespaces.items()
    }
    (project.root / "providers.json").write_text(json.dumps(providers))

    project.run("up", "--yes")

    outputs = project.outputs()
    for name, namespace in namespaces.items():
        (cluster,) = server_clusters(emulator, namespace)
        assert cluster["cluster_name"] == "products"  # the same name, once per namespace
        assert outputs[f"{name}_id"] == cluster["cluster_id"]
    project.run("preview", "--expect-no-changes")

    # The key given to a provider is a secret: encrypted in the state, never printed.
    assert API_KEY not in json.dumps(project.export(show_secrets=False))
    assert API_KEY not in project.logs()

    project.run("destroy", "--yes")
    for namespace in namespaces.values():
        assert server_clusters(emulator, namespace) == []


def test_key_from_stack_config_stays_in_the_provider_config_only(
    make_stack: Callable[..., Stack],
) -> None:
    stack = make_stack()
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    stack.run("refresh", "--yes")

    assert API_KEY not in json.dumps(stack.project.export(show_secrets=False))
    assert API_KEY not in json.dumps(stack.project.outputs())
    assert API_KEY not in stack.project.logs()
    exported = stack.project.export()["deployment"]["resources"]
    holders = [r["urn"].split("::", 2)[2] for r in exported if API_KEY in json.dumps(r)]
    assert holders == ["pulumi:providers:mixpeek::default"]


LOOKUPS = """\
import pulumi
import pulumi_mixpeek.native as mixpeek

found = mixpeek.get_cluster("legacy")
pulumi.export("found_id", found.cluster_id)
pulumi.export("listed", [c.cluster_name for c in mixpeek.list_clusters(search="leg*")])
"""


def test_installed_plugin_serves_the_lookups(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> None:
    """The plugin installed the README's second way (`pulumi plugin install ... --file`), not on
    PATH; the program reads a cluster through the schema's functions."""
    project = PulumiProject.create(tmp_path / "installed", bin_dir, program=LOOKUPS)
    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    shutil.copy(plugin_path(), archive_dir / plugin_path().name)
    archive = tmp_path / "pulumi-resource-mixpeek.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(archive_dir / plugin_path().name, arcname=plugin_path().name)
    version = metadata.version("pulumi-mixpeek")
    project.run("plugin", "install", "resource", "mixpeek", version, "--file", str(archive))
    elsewhere = [p for p in os.environ["PATH"].split(os.pathsep) if p != str(plugin_path().parent)]
    project.extra_env["PATH"] = os.pathsep.join([str(bin_dir), *elsewhere])
    assert shutil.which(plugin_path().name, path=project.env["PATH"]) is None
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    created = emulator.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=namespace,
        json={k: v for k, v in vector_cluster("legacy", description=None, metadata=None).items()
              if v is not None},
    )
    created.raise_for_status()

    project.run("up", "--yes")

    outputs = project.outputs()
    assert outputs == {"found_id": created.json()["cluster_id"], "listed": ["legacy"]}
    assert "using pulumi-resource-mixpeek from $PATH" not in project.logs()
    assert API_KEY not in project.logs()
    emulator.api(
        "DELETE", f"/v1/clusters/{outputs['found_id']}", key=API_KEY, namespace=namespace
    ).raise_for_status()


RUNS = """\
import pulumi
import pulumi_mixpeek.native as mixpeek

cluster = mixpeek.Cluster(
    "products",
    collection_ids=["col_products"],
    vector_config=mixpeek.VectorConfigArgs(
        feature_uris=["mixpeek://text_extractor@v1/embedding"], clustering_method="kmeans"
    ),
    cluster_name="products",
)
run = mixpeek.ClusterExecution("products-run", cluster_id=cluster.id, triggers=["v1"])
labels = mixpeek.ClusterEnrichment(
    "products-labels",
    clustering_ids=[cluster.id],
    source_collection_id="col_products",
    triggers=[run.task_id],
)
pulumi.export("task_id", run.task_id)
pulumi.export("run_status", run.status)
pulumi.export("enriched", labels.enriched)
"""


def test_run_and_enrichment_through_the_plugin(stack: Stack) -> None:
    (stack.project.root / "__main__.py").write_text(RUNS)

    stack.run("up", "--yes")

    outputs = stack.project.outputs()
    assert outputs["run_status"] == "COMPLETED"
    assert outputs["task_id"].startswith("task_")
    assert isinstance(outputs["enriched"], int | float)
    posts = [r["path"] for r in stack.api_requests() if r["method"] == "POST"]
    assert [p for p in posts if p != "/v1/clusters/list"][:1] == ["/v1/clusters"]
    assert "/v1/clusters/enrich" in posts
    types = {r["type"] for r in stack.project.export()["deployment"]["resources"]}
    assert {"mixpeek:index:ClusterExecution", "mixpeek:index:ClusterEnrichment"} <= types
    stack.run("preview", "--expect-no-changes")
