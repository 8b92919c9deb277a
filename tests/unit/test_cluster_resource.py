"""The program-side resource: type token, inputs as the provider receives them (typed args
and dicts alike, Outputs anywhere), typed outputs; and the args classes mirroring the models."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Any

import pulumi
import pulumi_mixpeek as mixpeek
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi_mixpeek.models import ClusterMetadata
from pulumi_mixpeek.models.config import (
    AttributeBasedConfig,
    EnrichmentFieldMapping,
    FaceClusterMergeConfig,
    InputMapping,
    LabelingInputs,
    LLMLabelingInput,
    SourceEnrichmentConfig,
    VectorBasedConfig,
    WeightLearningConfig,
)
from pulumi_mixpeek.models.declaration import ClusterDeclaration
from pulumi_mixpeek.resources.cluster import OUTPUT_NAMES, SERIALIZED_PROVIDER, Cluster
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

pytestmark = pytest.mark.unit


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append((args.typ, args.name, dict(args.inputs)))
        # The native plugin's properties are the schema's camelCase names; the dynamic
        # provider's are snake_case.
        native = args.typ.startswith("mixpeek:")
        ids = {"clusterId" if native else "cluster_id": "clust_mock",
               "namespaceId" if native else "namespace_id": "ns_1"}
        return "clust_mock", {**args.inputs, **ids}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


@pytest.mark.parametrize(
    ("args_class", "model", "internal"),
    [
        (
            mixpeek.VectorConfigArgs,
            VectorBasedConfig,
            {"feature_extractor_name", "version", "output_name"},
        ),
        (mixpeek.WeightLearningConfigArgs, WeightLearningConfig, set()),
        (mixpeek.FaceClusterMergeConfigArgs, FaceClusterMergeConfig, set()),
        (mixpeek.AttributeConfigArgs, AttributeBasedConfig, set()),
        (mixpeek.LLMLabelingArgs, LLMLabelingInput, set()),
        (mixpeek.LabelingInputsArgs, LabelingInputs, set()),
        (mixpeek.InputMappingArgs, InputMapping, set()),
        (mixpeek.SourceEnrichmentConfigArgs, SourceEnrichmentConfig, set()),
        (mixpeek.EnrichmentFieldMappingArgs, EnrichmentFieldMapping, set()),
    ],
)
def test_args_classes_mirror_the_models(args_class: Any, model: Any, internal: set[str]) -> None:
    fields = {f.name: f for f in dataclasses.fields(args_class)}
    assert set(fields) == set(model.model_fields) - internal
    for name, info in model.model_fields.items():
        if name in fields:
            required = fields[name].default is dataclasses.MISSING
            assert required == info.is_required(), name


def test_resource_declares_every_input_and_output() -> None:
    annotated = set(Cluster.__annotations__)
    assert annotated == {*ClusterDeclaration.model_fields, *ClusterMetadata.model_fields}
    assert "cluster_id" in annotated
    assert set(OUTPUT_NAMES) == set(ClusterMetadata.model_fields) - set(
        ClusterDeclaration.model_fields
    )


def test_output_annotations_are_evaluated_once() -> None:
    """The SDK reads a resource class's type hints on every registration (to cast outputs,
    e.g. num_clusters to int); string annotations would be compiled and evaluated again for
    each cluster (about 1 ms of the program's CPU per cluster)."""
    hints = Cluster.__annotations__
    assert not [name for name, hint in hints.items() if isinstance(hint, str)]
    assert hints["num_clusters"] == pulumi.Output[int | None]


def test_registered_provider_is_what_the_sdk_would_serialize() -> None:
    """Cluster registers a precomputed ``__provider``; it must be the SDK's own pickle."""
    assert serialize_provider(ClusterProvider()) == SERIALIZED_PROVIDER


# Declaring clusters is all a program does with the package: it must not pay for the
# provider's HTTP client and API models (httpx, pydantic: about 0.4 s per program run), which
# only the dynamic-provider host needs.
DECLARE_ONLY = """
import json, sys
import pulumi_mixpeek as mixpeek
mixpeek.Cluster, mixpeek.AttributeConfigArgs, mixpeek.VectorConfigArgs, mixpeek.LLMLabelingArgs
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"httpx", "pydantic"})))
print(json.dumps("pulumi_mixpeek.resources.cluster_provider" in sys.modules))
"""


def test_declaring_clusters_does_not_import_the_provider_implementation() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DECLARE_ONLY], capture_output=True, text=True, check=True
    )
    heavy, provider_module = (json.loads(line) for line in done.stdout.splitlines())
    assert heavy == []
    assert provider_module is False


@pulumi.runtime.test
def test_registration_with_typed_args_and_outputs() -> Any:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    name = pulumi.Output.from_input("products")
    cluster = mixpeek.Cluster(
        "products",
        collection_ids=[pulumi.Output.from_input("col_a")],
        vector_config=mixpeek.VectorConfigArgs(
            feature_uris=["mixpeek://t@v1/e"],
            clustering_method="kmeans",
            weight_learning_config=mixpeek.WeightLearningConfigArgs(max_iterations=30),
        ),
        llm_labeling={
            "enabled": True,
            "labeling_inputs": mixpeek.LabelingInputsArgs(
                input_mappings=[mixpeek.InputMappingArgs(input_key="t", path="title")]
            ),
        },
        cluster_name=name,
        metadata={"team": pulumi.Output.from_input("search")},
    )

    def check(values: list[Any]) -> None:
        cluster_id, cluster_name, namespace_id = values
        assert (cluster_id, cluster_name, namespace_id) == ("clust_mock", "products", "ns_1")
        [(typ, resource_name, inputs)] = mocks.registered
        assert typ == "pulumi-python:dynamic/mixpeek:Cluster"
        assert resource_name == "products"
        assert inputs["collection_ids"] == ["col_a"]
        assert inputs["vector_config"] == {
            "feature_uris": ["mixpeek://t@v1/e"],
            "clustering_method": "kmeans",
            "weight_learning_config": {"max_iterations": 30},
        }
        assert inputs["llm_labeling"] == {
            "enabled": True,
            "labeling_inputs": {"input_mappings": [{"input_key": "t", "path": "title"}]},
        }
        assert inputs["metadata"] == {"team": "search"}
        assert "__provider" in inputs
        assert not {"cluster_type", "description", "adopt", "num_clusters"} & set(inputs)

    return pulumi.Output.all(cluster.cluster_id, cluster.cluster_name, cluster.namespace_id).apply(
        check
    )


def test_field_listing_for_docs_and_schema() -> None:
    rows = {spec.name: spec for spec in mixpeek.cluster_fields()}
    assert list(rows) == list(ClusterDeclaration.model_fields)
    # collection_ids: optional for a composite cluster (API 1.3.783); check requires it
    # otherwise.
    assert not rows["collection_ids"].required and not rows["cluster_name"].required
    assert rows["metadata"].mutability is mixpeek.Mutability.UPDATE
    assert rows["filters"].mutability is mixpeek.Mutability.REPLACE
    assert rows["adopt"].mutability is mixpeek.Mutability.PROVIDER


@pulumi.runtime.test
def test_attributes_resolve_from_the_registration_without_tracking() -> Any:
    """The SDK waits on its set of tracked Outputs at the end of a program at a cost
    quadratic in its size; a cluster's ~46 attributes must not be in it (their registration
    is awaited anyway), yet still resolve."""
    from pulumi.runtime.settings import SETTINGS

    pulumi.runtime.set_mocks(Mocks(), preview=False)
    cluster = mixpeek.Cluster("tracked", collection_ids=["col_a"], cluster_type="attribute",
                              attribute_config={"attributes": ["a"]})
    attributes = [getattr(cluster, name) for name in Cluster.__annotations__]
    assert len(attributes) > 40
    assert not [a for a in attributes if a._data in SETTINGS.outputs]
    return pulumi.Output.all(cluster.cluster_id, cluster.namespace_id).apply(
        lambda values: assert_equal(values, ["clust_mock", "ns_1"])
    )


def assert_equal(actual: Any, expected: Any) -> None:
    assert actual == expected


@pytest.mark.parametrize(
    ("face", "kwargs"),
    [
        ("native.Cluster", {"collection_ids": ["col_a"], "cluster_type": "attribute",
                            "attribute_config": {"attributes": ["a"]}}),
        ("ClusterExecution", {"cluster_id": "clust_a"}),
        ("native.ClusterExecution", {"cluster_id": "clust_a"}),
        ("ClusterEnrichment", {"clustering_ids": ["clust_a"], "source_collection_id": "col_a"}),
        ("native.ClusterEnrichment", {"clustering_ids": ["clust_a"],
                                      "source_collection_id": "col_a"}),
    ],
)
def test_every_face_leaves_its_attributes_untracked(face: str, kwargs: dict[str, Any]) -> None:
    """The same for the other resources and the native faces: their attributes are outside
    the SDK's tracked set and still resolve from the registration."""
    import pulumi_mixpeek.native as native
    from pulumi.runtime.settings import SETTINGS

    module, _, name = face.rpartition(".")
    cls = getattr(native if module else mixpeek, name)

    @pulumi.runtime.test
    def declare() -> Any:
        pulumi.runtime.set_mocks(Mocks(), preview=False)
        resource = cls("untracked", **kwargs)
        attributes = [getattr(resource, attr) for attr in cls.__annotations__]
        assert attributes
        assert not [a for a in attributes if a._data in SETTINGS.outputs]
        # What Mocks.new_resource answers for the first declared attribute.
        first = next(iter(cls.__annotations__))
        expected = {**kwargs, "cluster_id": "clust_mock"}[first]
        return attributes[0].apply(lambda value: assert_equal(value, expected))

    declare()


@pulumi.runtime.test
def test_registration_with_todays_inputs() -> Any:
    """The inputs API level 1.3.783 adds reach the provider as plain values, typed args
    (FaceClusterMergeConfigArgs) included; collection_ids may be left out (a composite)."""
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    cluster = mixpeek.Cluster(
        "composite",
        source_cluster_ids=["clust_a", "clust_b"],
        vector_config=mixpeek.VectorConfigArgs(
            feature_uris=["mixpeek://t@v1/e"],
            clustering_method="leiden",
            face_cluster_merge=mixpeek.FaceClusterMergeConfigArgs(enabled=False),
            preprocessing_steps=[{"method": "umap", "n_components": 20}],
            hierarchical=True,
            vis_n_components=3,
            layout_stability="align",
        ),
        llm_labeling=mixpeek.LLMLabelingArgs(
            enabled=True, provider="typesafe", candidate_labels=["A", "B"],
            sample_selection_strategy="representative", labeling_context="ads",
        ),
        auto_execute_on_batch=True,
        auto_execute_min_documents=100,
        auto_execute_cooldown_seconds=600,
    )

    def check(_: Any) -> None:
        [(_, _, inputs)] = mocks.registered
        assert "collection_ids" not in inputs or inputs["collection_ids"] is None
        assert inputs["source_cluster_ids"] == ["clust_a", "clust_b"]
        assert inputs["vector_config"]["face_cluster_merge"] == {"enabled": False}
        assert inputs["vector_config"]["preprocessing_steps"] == [
            {"method": "umap", "n_components": 20}
        ]
        assert inputs["llm_labeling"]["candidate_labels"] == ["A", "B"]
        assert (inputs["auto_execute_on_batch"], inputs["auto_execute_min_documents"],
                inputs["auto_execute_cooldown_seconds"]) == (True, 100, 600)

    return cluster.cluster_id.apply(check)


@pulumi.runtime.test
def test_the_native_face_registers_the_schemas_names_and_reads_its_own_back() -> Any:
    """native.Cluster sends the schema's camelCase names, nested ones too (written out here:
    the oracle is the schema's spelling, not the provider's renaming), leaves the keys of
    free-form maps as the user wrote them, and its attributes read in Python's names again.
    Values behind Outputs are renamed as well."""
    import pulumi_mixpeek.native as native

    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    cluster = native.Cluster(
        "wired",
        collection_ids=pulumi.Output.from_input(["col_a"]),
        vector_config=native.VectorConfigArgs(
            feature_uris=[pulumi.Output.from_input("mixpeek://t@v1/e")],
            clustering_method="kmeans",
            algorithm_params={"n_clusters": 4},
        ),
        metadata={"cluster_name": "mine", "clusterName": "also mine"},
        opts=pulumi.ResourceOptions(ignore_changes=["vector_config.algorithm_params"]),
    )

    def check(values: list[Any]) -> None:
        [(typ, _, inputs)] = mocks.registered
        assert typ == "mixpeek:index:Cluster"
        assert inputs["collectionIds"] == ["col_a"]
        assert inputs["vectorConfig"] == {
            "featureUris": ["mixpeek://t@v1/e"],
            "clusteringMethod": "kmeans",
            "algorithmParams": {"n_clusters": 4},
        }
        assert inputs["metadata"] == {"cluster_name": "mine", "clusterName": "also mine"}
        assert not {"collection_ids", "vector_config", "cluster_id"} & set(inputs)
        vector_config, metadata, cluster_id = values
        assert vector_config == {
            "feature_uris": ["mixpeek://t@v1/e"],
            "clustering_method": "kmeans",
            "algorithm_params": {"n_clusters": 4},
        }
        assert metadata == {"cluster_name": "mine", "clusterName": "also mine"}
        assert cluster_id == "clust_mock"

    return pulumi.Output.all(cluster.vector_config, cluster.metadata, cluster.cluster_id).apply(
        check
    )


def test_the_native_face_names_option_paths_as_the_schema_does() -> None:
    """ignore_changes / replace_on_changes / additional_secret_outputs name properties the
    engine knows by the schema's names."""
    from pulumi_mixpeek.native._wire import _wire_options

    wired = _wire_options(pulumi.ResourceOptions(
        ignore_changes=["vector_config.algorithm_params", "description"],
        replace_on_changes=["collection_ids"],
        additional_secret_outputs=["metadata"],
    ))
    assert wired is not None
    assert wired.ignore_changes == ["vectorConfig.algorithmParams", "description"]
    assert wired.replace_on_changes == ["collectionIds"]
    assert wired.additional_secret_outputs == ["metadata"]
