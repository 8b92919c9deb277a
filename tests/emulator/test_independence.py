"""The emulator is an oracle independent of the provider: it never imports ``pulumi_mixpeek``
(its wire models are its own), its distribution does not depend on the provider's, and it
serves both levels with the provider made unimportable. Its request models declare the
fields the official SDK of each level declares."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import mixpeek.models as sdk
import pytest
from mixpeek_emulator.wire import v1_3_1, v1_3_783
from pydantic import BaseModel

from tests.emulator.helpers import URI, call, vector_body, wait_for_run
from tests.support.emulator import running_emulator

pytestmark = pytest.mark.emulator

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "emulator" / "mixpeek_emulator"


def test_no_module_imports_the_provider() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                          if n.split(".")[0] == "pulumi_mixpeek"]
    assert not offenders


def test_the_distribution_does_not_depend_on_the_provider() -> None:
    project = tomllib.loads((ROOT / "emulator" / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("pulumi")]


def _shadow_provider(tmp_path: Path) -> dict[str, str]:
    """An environment in which ``import pulumi_mixpeek`` fails."""
    shadow = tmp_path / "shadow" / "pulumi_mixpeek"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ImportError('the emulator must not import the provider')\n")
    path = os.pathsep.join([str(shadow.parent), os.environ.get("PYTHONPATH", "")])
    return {"PYTHONPATH": path.rstrip(os.pathsep)}


@pytest.mark.parametrize("level", ["1.3.1", "1.3.783"])
def test_every_operation_works_without_the_provider(tmp_path: Path, namespace: str,
                                                    level: str) -> None:
    with running_emulator(api_version=level, env=_shadow_provider(tmp_path),
                          extra_args=("--task-duration", "0.2")) as server:
        created = call(server, "POST", "/v1/clusters", namespace,
                       json=vector_body(cluster_name="alone"))
        assert created.status_code == 200, created.text
        cluster_id = created.json()["cluster_id"]
        assert call(server, "GET", "/v1/clusters/alone", namespace).status_code == 200
        assert call(server, "PATCH", "/v1/clusters/alone", namespace,
                    json={"metadata": {"a": 1}}).status_code == 200
        assert call(server, "POST", "/v1/clusters/list", namespace).json()["total_count"] == 1
        task = call(server, "POST", f"/v1/clusters/{cluster_id}/execute", namespace).json()
        assert wait_for_run(server, namespace, task["task_id"])[-1] == "COMPLETED"
        invalid = call(server, "POST", "/v1/clusters", namespace, json=vector_body(typo=1))
        assert invalid.status_code == 422
        assert call(server, "DELETE", f"/v1/clusters/{cluster_id}", namespace).status_code == 200
        assert not any("Traceback" in line for line in server.stderr_lines)


def _fields(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def test_seed_request_models_declare_what_sdk_1_3_1_declares() -> None:
    """The seed level's wire models against the official SDK 1.3.1 (installed in .venv):
    the same keys, so the server refuses exactly the keys the SDK's models do not have."""
    wire = v1_3_1
    pairs: list[tuple[Any, type[BaseModel]]] = [
        (sdk.CreateClusterRequest, wire.CreateClusterRequest),
        (sdk.PatchClusterRequest, wire.PatchClusterRequest),
        (sdk.ListClustersRequest, wire.ListClustersRequest),
        (sdk.ApplyClusterEnrichmentRequest, wire.ApplyClusterEnrichmentRequest),
        (sdk.VectorBasedConfigInput, wire.VectorBasedConfig),
        (sdk.AttributeBasedConfig, wire.AttributeBasedConfig),
        (sdk.LLMLabelingInput, wire.LLMLabelingInput),
        (sdk.LLMLabelingInputInput, wire.LabelingInputs),
        (sdk.InputMapping, wire.InputMapping),
        (sdk.WeightLearningConfig, wire.WeightLearningConfig),
        (sdk.SourceEnrichmentConfig, wire.SourceEnrichmentConfig),
        (sdk.EnrichmentFieldMapping, wire.EnrichmentFieldMapping),
        (sdk.SortOption, wire.SortOption),
        (sdk.LogicalOperatorInput, wire.LogicalOperator),
        (sdk.ClusterMetadata, wire.ClusterMetadata),
        (sdk.ClusterModel, wire.ClusterModel),
        (sdk.TaskResponse, wire.TaskResponse),
        (sdk.ListClustersResponse, wire.ListClustersResponse),
        (sdk.PaginationResponse, wire.PaginationResponse),
        (sdk.ClusterListStats, wire.ClusterListStats),
        (sdk.ClusterStats, wire.ClusterStats),
        (sdk.ClusteringEnrichmentResponse, wire.ClusteringEnrichmentResponse),
    ]
    for theirs, ours in pairs:
        sdk_keys = {info.alias or name for name, info in theirs.model_fields.items()}
        sdk_keys.discard("additional_properties")
        assert _fields(ours) == sdk_keys, theirs.__name__


def test_todays_request_models_declare_what_sdk_1_3_783_declares() -> None:
    """Today's wire models against the official SDK 1.3.783, read from its own virtualenv
    (``make sdk``) without importing it here (.venv holds 1.3.1, the same package)."""
    python = ROOT / ".venv-sdk-1.3.783" / "bin" / "python"
    if not python.exists():
        pytest.skip("the official SDK mixpeek==1.3.783 is not installed: run `make sdk`")
    wire = v1_3_783
    pairs: dict[str, type[BaseModel]] = {
        "CreateClusterRequest": wire.CreateClusterRequest,
        "PatchClusterRequest": wire.PatchClusterRequest,
        "ListClustersRequest": wire.ListClustersRequest,
        "ExecuteClusterByIdRequest": wire.ExecuteClusterByIdRequest,
        "VectorBasedConfigInput": wire.VectorBasedConfig,
        "VectorBasedConfigOutput": wire.VectorBasedConfigOutput,
        "LLMLabelingInput": wire.LLMLabelingInput,
        "LLMLabelingInputInput": wire.LabelingInputs,
        "InputMapping": wire.InputMapping,
        "FaceClusterMergeConfig": wire.FaceClusterMergeConfig,
        "AttributeBasedConfig": wire.AttributeBasedConfig,
        "SourceEnrichmentConfig": wire.SourceEnrichmentConfig,
        "EnrichmentFieldMapping": wire.EnrichmentFieldMapping,
        "ClusterMetadata": wire.ClusterMetadata,
        "ClusterModel": wire.ClusterModel,
        "ClusterGroupsResponse": wire.ClusterGroupsResponse,
        "ClusterGroup": wire.ClusterGroup,
        "ListClustersResponse": wire.ListClustersResponse,
        "ErrorDetail": wire.ErrorDetail,
    }
    script = (
        "import json, sys, mixpeek.models as m\n"
        "names = json.loads(sys.argv[1])\n"
        "print(json.dumps({n: sorted({i.alias or k for k, i in getattr(m, n).model_fields"
        ".items()} - {'additional_properties'}) for n in names}))\n"
    )
    out = subprocess.run([str(python), "-c", script, json.dumps(list(pairs))],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    declared = json.loads(out)
    for name, ours in pairs.items():
        assert _fields(ours) == set(declared[name]), name


def test_a_field_the_sdk_states_only_in_words_is_enforced_at_both_levels(
    server: Any, today: Any, namespace: str
) -> None:
    """EnrichmentFieldMapping.source_field: "Available fields: cluster_id, cluster_label, ..."
    (both levels), and the 0-1 range of feature_weights."""
    for level_server in (server, today):
        bad_source = vector_body(enrich_source_collection=True, source_enrichment_config={
            "field_mappings": [{"source_field": "centroid", "target_field": "c"}]})
        assert call(level_server, "POST", "/v1/clusters", namespace,
                    json=bad_source).status_code == 422
        bad_weight = vector_body(vector_config={"feature_uris": [URI],
                                                "clustering_method": "kmeans",
                                                "feature_weights": {URI: 1.5}})
        assert call(level_server, "POST", "/v1/clusters", namespace,
                    json=bad_weight).status_code == 422
