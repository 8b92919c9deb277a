"""Pulumi YAML through the native plugin, under the real CLI with plain ``pulumi``: the YAML
language host that scripts/bootstrap-pulumi puts beside the CLI runs the program, and
``pulumi-resource-mixpeek``, found on PATH, serves ``mixpeek:index:*`` against a real local
server at today's API level (the provider's default, which the example's users speak; the
suite's environment pins 1.3.1, so the stack sets ``mixpeek:apiVersion``). The example
examples/yaml-quickstart goes through its lifecycle, and the YAML that ``pulumi import``
writes is pasted into a program that then previews no change."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.engine.helpers import API_KEY, FACES, server_clusters
from tests.support.emulator import TODAY_API_VERSION, Emulator, running_emulator
from tests.support.pulumi import REPO, PulumiProject

pytestmark = pytest.mark.engine

EXAMPLE = REPO / "examples" / "yaml-quickstart"
CLUSTER = "mixpeek:index:Cluster"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """This module's own server, at today's API level."""
    db = tmp_path_factory.mktemp("emulator") / "yaml.db"
    with running_emulator(db=db, api_keys=(API_KEY,), api_version=TODAY_API_VERSION) as server:
        yield server


def yaml_project(root: Path, bin_dir: Path, emulator: Emulator, namespace: str) -> PulumiProject:
    """A YAML project in ``root`` (Pulumi.yaml already there) with a stack ``dev`` set up for
    the local server; the plugin is on PATH, as docs/yaml.md says."""
    if not (bin_dir / "pulumi-language-yaml").exists():
        pytest.fail(f"no pulumi-language-yaml in {bin_dir}: scripts/bootstrap-pulumi builds it")
    project = PulumiProject.create(root, bin_dir, stack="dev")
    assert project.has_language_host  # so every command below is plain `pulumi`
    project.extra_env.update(FACES["native"].env(bin_dir))
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    project.set_config("mixpeek:apiVersion", TODAY_API_VERSION)
    return project


@pytest.fixture
def projects(
    tmp_path: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> Iterator[list[PulumiProject]]:
    made: list[PulumiProject] = []
    yield made
    # Nothing stays behind: what a test left in its state is destroyed, the namespace is
    # empty, and no log holds the key.
    for project in made:
        if project.resources(CLUSTER):
            project.run("state", "unprotect", "--all", "--yes")
            project.run("destroy", "--yes")
        assert API_KEY not in project.logs()
    assert server_clusters(emulator, namespace) == []


def namespace_requests(emulator: Emulator, namespace: str) -> list[str]:
    return [
        f"{r['method']} {r['path']}" for r in emulator.requests() if r.get("namespace") == namespace
    ]


def by_name(emulator: Emulator, namespace: str) -> dict[str, dict[str, Any]]:
    return {c["cluster_name"]: c for c in server_clusters(emulator, namespace)}


def test_yaml_quickstart_lifecycle(
    tmp_path: Path,
    bin_dir: Path,
    emulator: Emulator,
    namespace: str,
    projects: list[PulumiProject],
) -> None:
    root = tmp_path / "yaml-quickstart"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("Pulumi.*.yaml"))
    project = yaml_project(root, bin_dir, emulator, namespace)
    projects.append(project)

    # up: a vector cluster, an attribute cluster and one run of the vector cluster.
    project.run("up", "--yes")
    clusters = by_name(emulator, namespace)
    assert set(clusters) == {"yaml-products-dev", "yaml-catalog-dev"}
    products, catalog = clusters["yaml-products-dev"], clusters["yaml-catalog-dev"]
    assert products["cluster_type"] == "vector"
    assert products["input_collections"] == ["col_products"]
    assert products["description"] == "Products grouped by text embedding"
    assert catalog["cluster_type"] == "attribute"
    assert catalog["clustered_attributes"] == ["metadata.category", "metadata.brand"]
    outputs = project.outputs()
    assert outputs["productsClusterId"] == products["cluster_id"]
    assert outputs["catalogClusterId"] == catalog["cluster_id"]
    assert outputs["runStatus"] == "COMPLETED"
    assert f"POST /v1/clusters/{products['cluster_id']}/execute" in namespace_requests(
        emulator, namespace
    )

    project.run("preview", "--expect-no-changes")

    # A new description: the same cluster, changed in place with one PATCH.
    emulator.reset()
    project.set_config("description", "Products, regrouped weekly")
    project.run("up", "--yes")
    requests = namespace_requests(emulator, namespace)
    assert f"PATCH /v1/clusters/{products['cluster_id']}" in requests
    assert "POST /v1/clusters" not in requests
    assert not [r for r in requests if r.startswith("DELETE")]
    clusters = by_name(emulator, namespace)
    assert clusters["yaml-products-dev"]["cluster_id"] == products["cluster_id"]
    assert clusters["yaml-products-dev"]["description"] == "Products, regrouped weekly"

    # Other collections: a new cluster (and a new run of it); the old one is deleted.
    project.run("config", "rm", "collectionIds")
    project.run("config", "set", "--path", "collectionIds[0]", "col_products_v2")
    project.run("up", "--yes")
    clusters = by_name(emulator, namespace)
    replaced = clusters["yaml-products-dev"]
    assert replaced["cluster_id"] != products["cluster_id"]
    assert replaced["input_collections"] == ["col_products_v2"]
    assert clusters["yaml-catalog-dev"]["cluster_id"] == catalog["cluster_id"]
    gone = emulator.api(
        "GET", f"/v1/clusters/{products['cluster_id']}", key=API_KEY, namespace=namespace
    )
    assert gone.status_code == 404
    assert project.outputs()["productsClusterId"] == replaced["cluster_id"]
    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes")
    assert server_clusters(emulator, namespace) == []
    assert project.resources(CLUSTER) == []


def test_yaml_import_writes_a_program_that_previews_no_change(
    tmp_path: Path,
    bin_dir: Path,
    emulator: Emulator,
    namespace: str,
    projects: list[PulumiProject],
) -> None:
    root = tmp_path / "imported"
    root.mkdir()
    manifest = root / "Pulumi.yaml"
    manifest.write_text(f"name: yaml-import-{uuid.uuid4().hex[:6]}\nruntime: yaml\n")
    project = yaml_project(root, bin_dir, emulator, namespace)
    projects.append(project)
    existing = emulator.api(
        "POST",
        "/v1/clusters",
        key=API_KEY,
        namespace=namespace,
        json={
            "cluster_name": "legacy",
            "collection_ids": ["col_legacy"],
            "cluster_type": "vector",
            "vector_config": {
                "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                "clustering_method": "hdbscan",
                "algorithm_params": {"min_cluster_size": 5},
            },
            "description": "Made by hand before Pulumi",
            "metadata": {"team": "search"},
        },
    )
    existing.raise_for_status()
    existing_id = existing.json()["cluster_id"]

    generated = root / "generated.yaml"
    project.run("import", CLUSTER, "legacy", existing_id, "--yes", "--out", str(generated))

    # The code pulumi import wrote (by the YAML host's GenerateProgram), pasted as it is.
    code = yaml.safe_load(generated.read_text())
    (name,) = code["resources"]
    assert name == "legacy"
    assert code["resources"]["legacy"]["properties"]["clusterName"] == "legacy"
    manifest.write_text(manifest.read_text() + generated.read_text())
    emulator.reset()
    project.run("preview", "--expect-no-changes")
    project.run("up", "--yes", "--expect-no-changes")
    assert [c["cluster_id"] for c in server_clusters(emulator, namespace)] == [existing_id]
    assert not [
        r
        for r in namespace_requests(emulator, namespace)
        if r == "POST /v1/clusters" or r.startswith(("PATCH", "DELETE"))
    ]

    # Without the namespace and endpoint the import wrote out, the stack's settings name the
    # same place: still no change (docs/yaml.md). And the schema's functions answer from YAML.
    program = yaml.safe_load(manifest.read_text())
    properties = program["resources"]["legacy"]["properties"]
    assert (properties.pop("namespace"), properties.pop("endpoint")) == (
        namespace,
        emulator.base_url,
    )
    manifest.write_text(yaml.safe_dump(program))
    project.run("preview", "--expect-no-changes")
    program["variables"] = {
        "found": {
            "fn::invoke": {
                "function": "mixpeek:index:getCluster",
                "arguments": {"identifier": "legacy"},
            }
        }
    }
    program["outputs"] = {
        "foundId": "${found.clusterId}",
        "foundCollections": "${found.inputCollections}",
    }
    manifest.write_text(yaml.safe_dump(program))
    project.run("up", "--yes", "--expect-no-changes")
    assert project.outputs() == {"foundId": existing_id, "foundCollections": ["col_legacy"]}
