"""The Cluster resource under the real Pulumi CLI, against a real emulator process.

Each test checks the server after each step (its state and its request log), and the
CLI's own output where the user would read it. The lifecycle scenarios run for both faces
(``both_faces``): the dynamic provider and the native plugin must behave the same.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, BOTH_FACES, CLUSTER_TYPE, Stack
from tests.support.emulator import Emulator, running_emulator

pytestmark = pytest.mark.engine

both_faces = pytest.mark.parametrize("face", BOTH_FACES, indirect=True)


def vector_cluster(name: str, **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "collection_ids": ["col_products"],
        "cluster_type": "vector",
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "hdbscan",
            "algorithm_params": {"min_cluster_size": 5},
        },
        "llm_labeling": {"enabled": True, "model_name": "gpt-4o-mini-2024-07-18"},
        "cluster_name": name,
        "description": "Products grouped by text embedding",
        "metadata": {"team": "search"},
    }
    spec.update(overrides)
    return spec


def creates(stack: Stack) -> list[dict[str, Any]]:
    return [
        r for r in stack.api_requests() if r["method"] == "POST" and r["path"] == "/v1/clusters"
    ]


def methods(stack: Stack) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in stack.api_requests()]


@both_faces
def test_up_creates_exactly_one_cluster_then_preview_is_empty(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))

    stack.run("up", "--yes")

    clusters = stack.server_clusters()
    assert [c["cluster_name"] for c in clusters] == ["products"]
    assert len(creates(stack)) == 1
    outputs = stack.project.outputs()
    assert outputs["products_id"] == clusters[0]["cluster_id"]
    assert outputs["products_outputs"] == clusters[0]["output_collection_ids"]
    assert clusters[0]["metadata"] == {"team": "search"}

    before = len(stack.api_requests())
    stack.run("preview", "--expect-no-changes")
    assert len(stack.api_requests()) == before, "preview must not call the API"


@both_faces
@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"description": "Re-described"}, id="description"),
        pytest.param({"metadata": {"team": "search", "tier": "gold"}}, id="metadata"),
        pytest.param({"cluster_name": "products-renamed"}, id="cluster_name"),
    ],
)
def test_mutable_change_updates_in_place(stack: Stack, change: dict[str, Any]) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (original,) = stack.server_clusters()

    stack.declare(products=vector_cluster("products", **change))
    preview = stack.run("preview", "--diff")
    assert "~ 1 to update" in preview
    assert "to replace" not in preview
    (field,) = change
    assert f"~ {stack.face.shown(field)}" in preview

    stack.run("up", "--yes")
    (updated,) = stack.server_clusters()
    assert updated["cluster_id"] == original["cluster_id"]
    assert stack.project.outputs()["products_id"] == original["cluster_id"]
    if field != "description":  # 1.3.1 never returns the description
        assert updated[field] == change[field]
    assert any(r["method"] == "PATCH" for r in stack.api_requests())
    stack.run("preview", "--expect-no-changes")


def _with_vector(**vector_overrides: Any) -> dict[str, Any]:
    spec = vector_cluster("products")
    spec["vector_config"] = {**spec["vector_config"], **vector_overrides}
    return spec


@both_faces
@pytest.mark.parametrize(
    ("changed", "field"),
    [
        pytest.param(vector_cluster("products", collection_ids=["col_other"]), "collection_ids",
                     id="collection_ids"),
        pytest.param(_with_vector(clustering_method="kmeans", algorithm_params={"n_clusters": 4}),
                     "vector_config", id="clustering_method"),
        pytest.param(_with_vector(algorithm_params={"min_cluster_size": 9}), "vector_config",
                     id="algorithm_params"),
        pytest.param(_with_vector(output_strategy="per_feature"), "vector_config",
                     id="output_strategy"),
    ],
)
def test_immutable_change_replaces(stack: Stack, changed: dict[str, Any], field: str) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (original,) = stack.server_clusters()

    stack.declare(products=changed)
    preview = stack.run("preview")
    assert "+-1 to replace" in preview
    shown = stack.face.shown(field)
    assert f"[diff: ~{shown}]" in preview, "the preview names the property that forces it"
    detailed = stack.run("preview", "--diff")
    assert f"~ {shown}" in detailed

    stack.run("up", "--yes")
    (replacement,) = stack.server_clusters()
    assert replacement["cluster_id"] != original["cluster_id"]
    assert stack.server_cluster(original["cluster_id"]) is None
    # Same cluster_name: the old cluster must go first (names are unique per namespace).
    delete = f"DELETE /v1/clusters/{original['cluster_id']}"
    order = [m for m in methods(stack) if m in ("POST /v1/clusters", delete)]
    assert order[-2:] == [delete, "POST /v1/clusters"]
    stack.run("preview", "--expect-no-changes")


@both_faces
def test_replacement_with_new_name_creates_before_deleting(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (original,) = stack.server_clusters()

    stack.declare(products=vector_cluster("products-v2", collection_ids=["col_other"]))
    stack.run("up", "--yes")

    (replacement,) = stack.server_clusters()
    assert replacement["cluster_name"] == "products-v2"
    delete = f"DELETE /v1/clusters/{original['cluster_id']}"
    order = [m for m in methods(stack) if m in ("POST /v1/clusters", delete)]
    assert order[-2:] == ["POST /v1/clusters", delete]


@both_faces
def test_resource_options_act_on_the_provider_diff(stack: Stack) -> None:
    """The diff reports changed properties, so ignore_changes and replace_on_changes work."""
    options = {"ignore_changes": ["description"], "replace_on_changes": ["metadata"]}
    stack.declare(products={**vector_cluster("products"), "resource_options": options})
    stack.run("up", "--yes")
    (original,) = stack.server_clusters()

    ignored = vector_cluster("products", description="ignored")
    stack.declare(products={**ignored, "resource_options": options})
    stack.run("preview", "--expect-no-changes")

    forced = vector_cluster("products", metadata={"team": "other"})
    stack.declare(products={**forced, "resource_options": options})
    assert "+-1 to replace" in stack.run("preview")
    stack.run("up", "--yes")
    (replacement,) = stack.server_clusters()
    assert replacement["cluster_id"] != original["cluster_id"]
    assert replacement["metadata"] == {"team": "other"}


@both_faces
def test_unnamed_cluster_is_auto_named_once(stack: Stack) -> None:
    unnamed = vector_cluster("ignored")
    del unnamed["cluster_name"]
    stack.declare(products=unnamed)
    preview = stack.run("preview", "--diff")
    name = stack.face.shown("cluster_name")
    assert re.search(name + r"\s*: \"pulumi-[0-9a-f]{12}\"", preview), preview

    stack.run("up", "--yes")
    (cluster,) = stack.server_clusters()
    assert cluster["cluster_name"].startswith("pulumi-")
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--expect-no-changes")
    stack.run("preview", "--expect-no-changes")

    changed = vector_cluster("ignored", collection_ids=["col_other"])
    del changed["cluster_name"]
    stack.declare(products=changed)
    assert f"- {name}" not in stack.run("preview", "--diff")
    stack.run("up", "--yes")
    (replacement,) = stack.server_clusters()
    assert replacement["cluster_id"] != cluster["cluster_id"]
    assert replacement["input_collections"] == ["col_other"]


@both_faces
def test_refresh_reports_drift_and_up_restores(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (cluster,) = stack.server_clusters()

    # No drift: refresh changes nothing and the next preview is empty.
    stack.run("refresh", "--yes", "--expect-no-changes")
    stack.run("preview", "--expect-no-changes")

    # Out-of-band change through the API.
    stack.emulator.api(
        "PATCH", f"/v1/clusters/{cluster['cluster_id']}", key=API_KEY,
        namespace=stack.namespace, json={"metadata": {"team": "someone-else"}},
    ).raise_for_status()

    refresh = stack.run("refresh", "--yes")
    assert "~ 1 updated" in refresh
    assert "someone-else" in stack.run("preview", "--diff")
    drifted = stack.run("preview", "--expect-no-changes", check=False)
    assert "~ 1 to update" in drifted

    stack.run("up", "--yes")
    assert stack.server_cluster(cluster["cluster_id"])["metadata"] == {"team": "search"}
    stack.run("refresh", "--yes", "--expect-no-changes")
    stack.run("preview", "--expect-no-changes")


@both_faces
def test_refresh_is_no_change_when_the_server_fills_in_defaults(
    make_stack: Callable[..., Stack], defaults_emulator: Emulator
) -> None:
    """The live API returns more than it was sent; against a server that does the same,
    refresh and the following preview must still show no change."""
    stack = make_stack(server=defaults_emulator)
    unnamed = vector_cluster("ignored", llm_labeling={"enabled": True})
    del unnamed["cluster_name"]
    stack.declare(
        products=vector_cluster("products"),
        kmeans=vector_cluster(
            "kmeans",
            vector_config={
                "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
                "clustering_method": "kmeans",
            },
        ),
        unnamed=unnamed,
        brands={
            "collection_ids": ["col_products"],
            "cluster_name": "brands",
            "attribute_config": {"attributes": ["brand"]},
            "enrich_source_collection": True,
            "source_enrichment_config": {
                "field_mappings": [{"source_field": "cluster_label", "target_field": "group"}]
            },
        },
    )
    stack.run("up", "--yes")
    (filled,) = [c for c in stack.server_clusters() if c["cluster_name"] == "kmeans"]
    assert filled["algorithm_params"]["max_iter"] == 300, "the server filled in defaults"

    stack.run("refresh", "--yes")
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--expect-no-changes")
    stack.run("preview", "--expect-no-changes")


@both_faces
def test_refresh_notices_a_deleted_cluster_and_up_recreates_it(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (cluster,) = stack.server_clusters()
    stack.emulator.api(
        "DELETE", f"/v1/clusters/{cluster['cluster_id']}", key=API_KEY, namespace=stack.namespace
    ).raise_for_status()

    refresh = stack.run("refresh", "--yes")
    assert "- 1 deleted" in refresh
    stack.run("up", "--yes")
    (recreated,) = stack.server_clusters()
    assert recreated["cluster_id"] != cluster["cluster_id"]


@both_faces
def test_destroy_from_a_fresh_process_empties_the_namespace(stack: Stack) -> None:
    stack.declare(a=vector_cluster("a"), b=vector_cluster("b", description=None, metadata=None))
    stack.run("up", "--yes")
    assert len(stack.server_clusters()) == 2

    # Nothing of the program is left: destroy works from the state alone (the provider
    # pickled into it is loaded from the installed package).
    (stack.project.root / "__main__.py").unlink()
    (stack.project.root / "spec.json").unlink()
    stack.project.run("destroy", "--yes", plain=True)

    assert stack.server_clusters() == []
    assert sum(r["method"] == "DELETE" for r in stack.api_requests()) == 2
    assert stack.project.resources(stack.face.cluster_type) == []


def _exercise(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    stack.declare(products=vector_cluster("products", description="changed"))
    stack.run("up", "--yes")
    stack.run("refresh", "--yes")


def test_api_key_from_stack_config_stays_out_of_resources_outputs_and_logs(stack: Stack) -> None:
    _exercise(stack)

    assert API_KEY not in json.dumps(stack.project.export(show_secrets=False))
    assert API_KEY not in json.dumps(stack.project.outputs())
    assert API_KEY not in stack.project.logs()
    assert API_KEY not in "".join(stack.emulator.stderr_lines + stack.emulator.stdout_lines)
    # With --show-secrets the engine decrypts its own record of the stack configuration it
    # handed to the default `pulumi-python` provider (as it does for every provider's secret
    # config). That record is the only place the key may appear: never a Cluster's inputs,
    # outputs or pickled provider.
    exported = stack.project.export()["deployment"]["resources"]
    holders = [r["urn"] for r in exported if API_KEY in json.dumps(r)]
    default_provider = "pulumi:providers:pulumi-python::default"
    assert [urn.split("::", 2)[2] for urn in holders] == [default_provider]
    (cluster,) = [r for r in exported if r["type"] == CLUSTER_TYPE]
    assert "__provider" in cluster["inputs"]


def test_api_key_from_environment_appears_nowhere(make_stack: Callable[..., Stack]) -> None:
    stack = make_stack(api_key=False)
    stack.project.extra_env["MIXPEEK_API_KEY"] = API_KEY
    _exercise(stack)

    assert len(stack.server_clusters()) == 1
    assert API_KEY not in json.dumps(stack.project.export(show_secrets=True))
    assert API_KEY not in stack.project.logs()


def test_preview_without_an_api_key(make_stack: Callable[..., Stack]) -> None:
    """A pull request from a fork has no secrets: preview must still work."""
    stack = make_stack(api_key=False)
    stack.declare(products=vector_cluster("products"))
    preview = stack.run("preview")
    assert "+ 2 to create" in preview  # the stack and the cluster
    assert stack.api_requests() == []


def test_preview_of_a_change_without_an_api_key(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    stack.project.run("config", "rm", "mixpeek:apiKey")
    before = len(stack.api_requests())

    stack.declare(products=vector_cluster("products", description="fork change"))
    preview = stack.run("preview", "--diff")
    assert "~ 1 to update" in preview
    assert len(stack.api_requests()) == before


@both_faces
def test_invalid_program_fails_at_preview_with_every_error(stack: Stack) -> None:
    # One resource with four problems: the engine stops a deployment at the first resource
    # whose check fails, so every problem of that resource must be in that one report.
    bad = vector_cluster("bad", collection_ids=[])
    bad["vector_config"] = {"feature_uris": ["mixpeek://text@v1/e"], "clustering_method": "kmeanz"}
    bad["llm_labeling"] = {"enabled": True, "max_samples_per_cluster": 50}
    bad["metadata"] = "not-a-dict"
    stack.declare(bad=bad)

    result = stack.project.run("preview", check=False)

    assert result.returncode != 0
    out = result.stdout
    native = stack.face.name == "native"  # the plugin names paths in the schema's names
    # A failure the engine can show with its value keeps the engine's "property <name>
    # value {<value>}"; a path it cannot look up leads the reason instead, with no
    # "value {<nil>}" (tests/engine/test_messages_engine.py).
    for expected in (
        "collectionIds: " if native else "collection_ids: ",
        "vectorConfig.clusteringMethod: " if native else "vector_config.clustering_method: ",
        "llmLabeling.maxSamplesPerCluster: " if native
        else "llm_labeling.max_samples_per_cluster: ",
        "property metadata value {not-a-dict} has a problem",
    ):
        assert expected in out, f"{expected!r} missing from:\n{out}"
    assert "<nil>" not in out
    assert stack.api_requests() == []
    assert stack.server_clusters() == []


def test_vector_cluster_without_vector_config_fails_at_preview(stack: Stack) -> None:
    stack.declare(missing=vector_cluster("missing", vector_config=None))

    result = stack.project.run("preview", check=False)

    assert result.returncode != 0
    assert "has a problem: vector_config: required when cluster_type is vector" in result.stdout
    assert stack.api_requests() == []


@both_faces
def test_adopt_takes_over_an_existing_cluster(stack: Stack) -> None:
    declared = vector_cluster("legacy", description=None, metadata=None)
    body = {k: v for k, v in declared.items() if v is not None}
    created = stack.emulator.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=stack.namespace, json=body
    )
    created.raise_for_status()
    existing_id = created.json()["cluster_id"]
    stack.emulator.reset()

    stack.declare(legacy={**declared, "adopt": True})
    stack.run("up", "--yes")

    assert creates(stack) == []
    assert [c["cluster_id"] for c in stack.server_clusters()] == [existing_id]
    assert stack.project.outputs()["legacy_id"] == existing_id
    stack.run("preview", "--expect-no-changes")


def test_adopt_refuses_a_cluster_with_different_immutable_config(stack: Stack) -> None:
    existing = vector_cluster("legacy", description=None, metadata=None)
    existing["vector_config"] = {
        **existing["vector_config"], "clustering_method": "kmeans", "algorithm_params": None
    }
    body = {k: v for k, v in existing.items() if v is not None}
    stack.emulator.api(
        "POST", "/v1/clusters", key=API_KEY, namespace=stack.namespace, json=body
    ).raise_for_status()
    before = copy.deepcopy(stack.server_clusters())
    stack.emulator.reset()

    stack.declare(legacy={**vector_cluster("legacy"), "adopt": True})
    result = stack.project.run("up", "--yes", check=False)

    assert result.returncode != 0
    assert "clustering_method" in result.stdout
    assert creates(stack) == []
    assert stack.server_clusters() == before
    stack.emulator.api(  # the test's own cluster, never managed by the stack
        "DELETE", f"/v1/clusters/{before[0]['cluster_id']}", key=API_KEY,
        namespace=stack.namespace,
    ).raise_for_status()


# -- where a cluster lives ----------------------------------------------------------------
def requests_in(stack: Stack, *namespaces: str) -> list[tuple[str, str, str]]:
    return [(r["method"], r["path"], r["namespace"]) for r in stack.api_requests(*namespaces)]


def test_changing_the_stack_namespace_moves_the_cluster(stack: Stack) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (original,) = stack.server_clusters()
    moved_to = stack.other_namespace("moved")

    stack.project.set_config("mixpeek:namespace", moved_to)
    preview = stack.run("preview", "--diff")
    assert "+-1 to replace" in preview, preview
    assert re.search(rf'namespace\s*: "{stack.namespace}" => "{moved_to}"', preview), preview

    stack.run("up", "--yes")
    assert stack.server_clusters() == [], "the old namespace is empty"
    (moved,) = stack.server_clusters(moved_to)
    assert moved["cluster_name"] == "products"
    assert stack.project.outputs()["products_id"] == moved["cluster_id"]
    # Names are unique per namespace only: the new cluster is created first, the old one
    # deleted after, each where it lives.
    delete = ("DELETE", f"/v1/clusters/{original['cluster_id']}", stack.namespace)
    order = [
        r for r in requests_in(stack, stack.namespace, moved_to)
        if r[0] in ("POST", "DELETE") and r[1] != "/v1/clusters/list"
    ]
    assert order == [("POST", "/v1/clusters", stack.namespace),
                     ("POST", "/v1/clusters", moved_to), delete]
    stack.run("preview", "--expect-no-changes")


def test_destroy_after_a_namespace_change_deletes_where_the_cluster_lives(stack: Stack) -> None:
    stack.declare(a=vector_cluster("a"), b=vector_cluster("b"))
    stack.run("up", "--yes")
    ids = {c["cluster_id"] for c in stack.server_clusters()}
    elsewhere = stack.other_namespace("elsewhere")

    stack.project.set_config("mixpeek:namespace", elsewhere)
    # A refresh first: it must find the clusters where they live, not drop them from the
    # state because the new namespace does not have them.
    stack.run("refresh", "--yes", "--expect-no-changes")
    assert len(stack.project.resources(CLUSTER_TYPE)) == 2
    stack.run("destroy", "--yes")

    assert stack.server_clusters() == []
    deletes = {(r[1], r[2]) for r in requests_in(stack, stack.namespace, elsewhere)
               if r[0] == "DELETE"}
    assert deletes == {(f"/v1/clusters/{i}", stack.namespace) for i in ids}
    assert requests_in(stack, elsewhere) == []


def test_destroy_after_an_endpoint_change_deletes_where_the_cluster_lives(
    stack: Stack, tmp_path: Any
) -> None:
    stack.declare(products=vector_cluster("products"))
    stack.run("up", "--yes")
    (cluster,) = stack.server_clusters()
    with running_emulator(db=tmp_path / "second.db", api_keys=(API_KEY,)) as second:
        stack.project.set_config("mixpeek:endpoint", second.base_url)
        preview = stack.run("preview", "--diff")
        assert "+-1 to replace" in preview and second.base_url in preview, preview

        stack.run("destroy", "--yes")

        assert second.requests() == []
    assert stack.server_cluster(cluster["cluster_id"]) is None
    assert ("DELETE", f"/v1/clusters/{cluster['cluster_id']}", stack.namespace) in (
        requests_in(stack)
    )


def test_one_program_manages_two_namespaces(stack: Stack) -> None:
    staging, production = stack.other_namespace("staging"), stack.other_namespace("production")
    stack.declare(
        staging=vector_cluster("products", namespace=staging),
        production=vector_cluster("products", namespace=production),
    )
    stack.run("up", "--yes")
    outputs = stack.project.outputs()
    for key, namespace in (("staging_id", staging), ("production_id", production)):
        (cluster,) = stack.server_clusters(namespace)
        assert cluster["cluster_name"] == "products"
        assert outputs[key] == cluster["cluster_id"]
    assert stack.server_clusters() == []
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--expect-no-changes")

    # Moving one of them replaces that one only.
    stack.declare(
        staging=vector_cluster("products", namespace=staging),
        production=vector_cluster("products"),
    )
    preview = stack.run("preview")
    assert "+-1 to replace" in preview and "[diff: ~namespace]" in preview, preview
    stack.run("up", "--yes")
    assert stack.server_clusters(production) == []
    assert [c["cluster_name"] for c in stack.server_clusters()] == ["products"]
    assert [c["cluster_id"] for c in stack.server_clusters(staging)] == [outputs["staging_id"]]


# -- generated names ------------------------------------------------------------------------
GENERATED = re.compile(r'cluster_name\s*: "(pulumi-[0-9a-f]{12})" => "(pulumi-[0-9a-f]{12})"')


def test_replacing_an_unnamed_cluster_creates_first_under_the_name_preview_showed(
    stack: Stack,
) -> None:
    unnamed = vector_cluster("ignored")
    del unnamed["cluster_name"]
    stack.declare(products=unnamed)
    stack.run("up", "--yes")
    (original,) = stack.server_clusters()

    stack.declare(products={**unnamed, "collection_ids": ["col_other"]})
    preview = stack.run("preview", "--diff")
    assert "+-1 to replace" in preview
    shown = GENERATED.search(preview)
    assert shown is not None, preview
    assert shown.group(1) == original["cluster_name"]
    new_name = shown.group(2)

    stack.run("up", "--yes")
    (replacement,) = stack.server_clusters()
    assert replacement["cluster_name"] == new_name, "the name preview showed"
    (state,) = stack.project.resources(CLUSTER_TYPE)
    assert state["outputs"]["cluster_name"] == new_name
    # No moment without a cluster: created first, the old one deleted after.
    delete = f"DELETE /v1/clusters/{original['cluster_id']}"
    order = [m for m in methods(stack) if m in ("POST /v1/clusters", delete)]
    assert order == ["POST /v1/clusters", "POST /v1/clusters", delete]
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--expect-no-changes")
