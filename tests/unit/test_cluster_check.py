"""check: one failure per bad property (with its path), every problem at once, unknowns
accepted, canonical inputs returned; no network, no key."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_mixpeek._constants import UNKNOWN_SENTINEL
from pulumi_mixpeek.levels import api_level
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.validation import validate_inputs

from tests.unit.cluster_helpers import ATTRIBUTE, URI_A, VECTOR

pytestmark = pytest.mark.unit


def failures(declaration: dict[str, Any]) -> dict[str, str]:
    """Each failure by its property path (the engine gets them as ``check`` shapes them,
    tests/unit/test_boundary.py)."""
    result = ClusterProvider().check_inputs({}, {**declaration, "__provider": "blob"})
    found = {f.property: f.reason for f in result.failures}
    assert len(found) == len(result.failures), "one failure per property"
    return found


def vector(**config: Any) -> dict[str, Any]:
    return {**VECTOR, "vector_config": {**VECTOR["vector_config"], **config}}


def llm(**config: Any) -> dict[str, Any]:
    return {**VECTOR, "llm_labeling": config}


INVALID: list[tuple[str, dict[str, Any], str, str]] = [
    # (case, declaration, failing property, words in the reason)
    (
        "collection_ids missing",
        {"vector_config": VECTOR["vector_config"]},
        "collection_ids",
        "required",
    ),
    ("collection_ids empty", {**VECTOR, "collection_ids": []}, "collection_ids", "at least 1"),
    ("collection_ids not a list", {**VECTOR, "collection_ids": "col_a"}, "collection_ids", "list"),
    ("cluster_type enum", {**VECTOR, "cluster_type": "graph"}, "cluster_type", "'graph'"),
    ("namespace empty", {**VECTOR, "namespace": ""}, "namespace", "at least 1"),
    ("namespace not text", {**VECTOR, "namespace": 3}, "namespace", "valid string"),
    (
        "endpoint plain http",
        {**VECTOR, "endpoint": "http://api.example.com"},
        "endpoint",
        "plain http only",
    ),
    ("endpoint not a URL", {**VECTOR, "endpoint": "api.mixpeek.com"}, "endpoint", "https URL"),
    (
        "vector needs vector_config",
        {"collection_ids": ["c"], "cluster_type": "vector"},
        "vector_config",
        "required",
    ),
    (
        "attribute needs attribute_config",
        {"collection_ids": ["c"], "cluster_type": "attribute"},
        "attribute_config",
        "required",
    ),
    (
        "vector with attribute_config",
        {**VECTOR, "cluster_type": "vector", "attribute_config": {"attributes": ["a"]}},
        "attribute_config",
        "only used",
    ),
    (
        "attribute with vector_config",
        {**ATTRIBUTE, "vector_config": VECTOR["vector_config"]},
        "vector_config",
        "only used",
    ),
    ("no config at all", {"collection_ids": ["c"]}, "cluster_type", "vector_config"),
    (
        "both configs, no type",
        {**VECTOR, "attribute_config": {"attributes": ["a"]}},
        "cluster_type",
        "both",
    ),
    (
        "clustering_method missing",
        {**VECTOR, "vector_config": {"feature_uris": [URI_A]}},
        "vector_config.clustering_method",
        "required",
    ),
    (
        "clustering_method enum",
        vector(clustering_method="auto"),
        "vector_config.clustering_method",
        "'auto'",
    ),
    ("feature_uris empty", vector(feature_uris=[]), "vector_config.feature_uris", "at least 1"),
    (
        "feature_uri and feature_uris",
        vector(feature_uri=URI_A),
        "vector_config.feature_uri",
        "feature_uris only",
    ),
    (
        "internal vector field",
        vector(feature_extractor_name="x"),
        "vector_config.feature_extractor_name",
        "internal",
    ),
    (
        "multi_feature_strategy enum",
        vector(multi_feature_strategy="sum"),
        "vector_config.multi_feature_strategy",
        "'sum'",
    ),
    (
        "output_strategy enum",
        vector(output_strategy="many"),
        "vector_config.output_strategy",
        "'many'",
    ),
    (
        "effective_feature_method enum",
        vector(effective_feature_method="max"),
        "vector_config.effective_feature_method",
        "'max'",
    ),
    (
        "normalize_features type",
        vector(normalize_features="maybe"),
        "vector_config.normalize_features",
        "bool",
    ),
    ("sample_size type", vector(sample_size="lots"), "vector_config.sample_size", "integer"),
    (
        "feature_weights range",
        vector(feature_weights={URI_A: 1.5}),
        "vector_config.feature_weights",
        "between 0 and 1",
    ),
    (
        "weight_learning max_iterations",
        vector(weight_learning_config={"max_iterations": 500}),
        "vector_config.weight_learning_config.max_iterations",
        "100",
    ),
    (
        "weight_learning sample_size",
        vector(weight_learning_config={"sample_size": 5}),
        "vector_config.weight_learning_config.sample_size",
        "100",
    ),
    (
        "weight_learning metric",
        vector(weight_learning_config={"metric": "f1"}),
        "vector_config.weight_learning_config.metric",
        "'f1'",
    ),
    (
        "vector typo",
        vector(clustering_methd="kmeans"),
        "vector_config.clustering_methd",
        "unknown property",
    ),
    (
        "attributes empty",
        {**ATTRIBUTE, "attribute_config": {"attributes": []}},
        "attribute_config.attributes",
        "at least 1",
    ),
    (
        "attributes missing",
        {**ATTRIBUTE, "attribute_config": {"hierarchical_grouping": True}},
        "attribute_config.attributes",
        "required",
    ),
    (
        "hierarchical_grouping type",
        {
            **ATTRIBUTE,
            "attribute_config": {"attributes": ["a"], "hierarchical_grouping": "perhaps"},
        },
        "attribute_config.hierarchical_grouping",
        "bool",
    ),
    (
        "llm max_samples range",
        llm(max_samples_per_cluster=50),
        "llm_labeling.max_samples_per_cluster",
        "20",
    ),
    (
        "llm sample_text_max_length range",
        llm(sample_text_max_length=10),
        "llm_labeling.sample_text_max_length",
        "50",
    ),
    (
        "llm similarity range",
        llm(embedding_similarity_threshold=0.1),
        "llm_labeling.embedding_similarity_threshold",
        "0.5",
    ),
    ("llm cache ttl range", llm(cache_ttl_seconds=-1), "llm_labeling.cache_ttl_seconds", "0"),
    ("llm provider enum", llm(provider="mistral"), "llm_labeling.provider", "'mistral'"),
    ("llm model enum", llm(model_name="gpt-2"), "llm_labeling.model_name", "'gpt-2'"),
    (
        "llm input_mappings empty",
        llm(labeling_inputs={"input_mappings": []}),
        "llm_labeling.labeling_inputs.input_mappings",
        "at least 1",
    ),
    (
        "llm input_key missing",
        llm(labeling_inputs={"input_mappings": [{"path": "title"}]}),
        "llm_labeling.labeling_inputs.input_mappings[0].input_key",
        "required",
    ),
    (
        "llm source_type enum",
        llm(labeling_inputs={"input_mappings": [{"input_key": "t", "source_type": "web"}]}),
        "llm_labeling.labeling_inputs.input_mappings[0].source_type",
        "'web'",
    ),
    ("llm response_shape type", llm(response_shape=5), "llm_labeling.response_shape", "string"),
    (
        "enrich flag type",
        {**VECTOR, "enrich_source_collection": "perhaps"},
        "enrich_source_collection",
        "bool",
    ),
    (
        "enrichment config without flag",
        {**VECTOR, "source_enrichment_config": {}},
        "source_enrichment_config",
        "enrich_source_collection",
    ),
    (
        "enrichment source_field",
        {
            **VECTOR,
            "enrich_source_collection": True,
            "source_enrichment_config": {
                "field_mappings": [{"source_field": "score", "target_field": "s"}]
            },
        },
        "source_enrichment_config.field_mappings[0].source_field",
        "cluster_id",
    ),
    (
        "enrichment target missing",
        {
            **VECTOR,
            "enrich_source_collection": True,
            "source_enrichment_config": {"field_mappings": [{"source_field": "cluster_id"}]},
        },
        "source_enrichment_config.field_mappings[0].target_field",
        "required",
    ),
    ("filters list type", {**VECTOR, "filters": {"AND": "x"}}, "filters.AND", "list"),
    ("cluster_name empty", {**VECTOR, "cluster_name": ""}, "cluster_name", "at least 1"),
    ("cluster_name type", {**VECTOR, "cluster_name": 7}, "cluster_name", "string"),
    ("description type", {**VECTOR, "description": ["x"]}, "description", "string"),
    ("metadata type", {**VECTOR, "metadata": "x"}, "metadata", "dictionary"),
    (
        "adopt without name",
        {**{k: v for k, v in VECTOR.items() if k != "cluster_name"}, "adopt": True},
        "cluster_name",
        "adopt",
    ),
    ("top-level typo", {**VECTOR, "clustername": "x"}, "clustername", "cluster_name"),
]


@pytest.mark.parametrize(
    ("declaration", "prop", "words"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_each_bad_property_fails_with_its_path(
    declaration: dict[str, Any], prop: str, words: str
) -> None:
    found = failures(declaration)
    assert prop in found, found
    assert words.lower() in found[prop].lower(), found[prop]


@pytest.mark.parametrize(
    "declaration",
    [
        VECTOR,
        ATTRIBUTE,
        {**VECTOR, "cluster_type": "vector", "description": "d", "metadata": {"team": "x"}},
        vector(
            sample_size=1000,
            algorithm_params={"n_clusters": 8},
            multi_feature_strategy="weighted",
            feature_uris=[URI_A, "mixpeek://image_extractor@v1/embedding"],
            feature_weights={URI_A: 0.7},
            weight_learning_config={"method": "grid_search", "max_iterations": 30},
            output_strategy="per_feature",
            effective_feature_method="medoid",
            normalize_features=False,
        ),
        vector(feature_uris=None, feature_uri=URI_A, kmeans_parameters={"n_clusters": 3}),
        {
            **ATTRIBUTE,
            "attribute_config": {
                "attributes": ["a", "b"],
                "hierarchical_grouping": True,
                "aggregation_method": "first",
            },
        },
        {
            **VECTOR,
            "filters": {
                "AND": [{"field": "metadata.lang", "operator": "eq", "value": "en"}],
                "metadata.kind": "doc",
            },
        },
        {
            **VECTOR,
            "llm_labeling": {
                "enabled": True,
                "model_name": "gpt-4o-mini-2024-07-18",
                "labeling_inputs": {
                    "input_mappings": [
                        {"input_key": "title", "source_type": "payload", "path": "title"}
                    ]
                },
                "response_shape": {"type": "object"},
            },
        },
        {
            **VECTOR,
            "enrich_source_collection": True,
            "source_enrichment_config": {
                "field_mappings": [{"source_field": "cluster_label", "target_field": "topic"}]
            },
        },
        {**VECTOR, "adopt": True},
    ],
    ids=[
        "vector",
        "attribute",
        "named+meta",
        "all-vector-fields",
        "deprecated",
        "attribute-all",
        "filters",
        "llm",
        "enrichment",
        "adopt",
    ],
)
def test_valid_declarations_pass(declaration: dict[str, Any]) -> None:
    assert failures(declaration) == {}


MISSPELT: list[tuple[str, dict[str, Any], str, str]] = [
    # (case, declaration, failing property, the whole reason)
    (
        "attribute_config",
        {**ATTRIBUTE, "attribute_config": {"attributes": ["brand"],
                                           "aggregaton_method": "mean"}},
        "attribute_config.aggregaton_method",
        "unknown property; did you mean 'aggregation_method'?",
    ),
    (
        "two levels down",
        vector(weight_learning_config={"metod": "grid_search"}),
        "vector_config.weight_learning_config.metod",
        "unknown property; did you mean 'method'?",
    ),
    (
        "in a list item",
        {**VECTOR, "enrich_source_collection": True, "source_enrichment_config": {
            "field_mappings": [{"source_feld": "cluster_label", "target_field": "x"}]}},
        "source_enrichment_config.field_mappings[0].source_feld",
        "unknown property; did you mean 'source_field'?",
    ),
    (
        "four levels down",
        llm(labeling_inputs={"input_mappings": [{"input_key": "a", "sorce_type": "payload"}]}),
        "llm_labeling.labeling_inputs.input_mappings[0].sorce_type",
        "unknown property; did you mean 'source_type'?",
    ),
    (
        "nothing close",
        {**ATTRIBUTE, "attribute_config": {"attributes": ["brand"], "zzz": 1}},
        "attribute_config.zzz",
        "unknown property; attribute_config takes attributes, hierarchical_grouping, "
        "aggregation_method",
    ),
]


@pytest.mark.parametrize(
    ("declaration", "prop", "reason"),
    [case[1:] for case in MISSPELT],
    ids=[case[0] for case in MISSPELT],
)
def test_a_misspelt_property_at_any_depth_names_the_nearest_valid_one(
    declaration: dict[str, Any], prop: str, reason: str
) -> None:
    assert failures(declaration).get(prop) == reason


def test_a_misspelt_property_of_a_union_member_names_the_member_s_property() -> None:
    """A preprocessing step is one of four models, told apart by ``method`` (API 1.3.783)."""
    declaration = vector(preprocessing_steps=[{"method": "umap", "n_componentz": 3}])
    found = {f.property: f.reason for f in validate_inputs(declaration, api_level("1.3.783"))}
    assert found == {
        "vector_config.preprocessing_steps[0].n_componentz": (
            "unknown property; did you mean 'n_components'?"
        )
    }


def test_every_problem_is_reported_at_once() -> None:
    found = failures(
        {
            "collection_ids": [],
            "cluster_type": "vector",
            "vector_config": {"clustering_method": "nope", "sample_size": "x"},
            "llm_labeling": {"max_samples_per_cluster": 99},
            "metadata": 3,
            "colection_ids": ["x"],
        }
    )
    assert set(found) == {
        "collection_ids",
        "vector_config.clustering_method",
        "vector_config.sample_size",
        "vector_config.feature_uris",  # the API requires them
        "llm_labeling.max_samples_per_cluster",
        "metadata",
        "colection_ids",
    }


UNKNOWNS = [Unknown(), UNKNOWN_SENTINEL]


@pytest.mark.parametrize("unknown", UNKNOWNS, ids=["Unknown()", "sentinel"])
@pytest.mark.parametrize(
    "declaration",
    [
        lambda u: {**VECTOR, "collection_ids": u},
        lambda u: {**VECTOR, "collection_ids": ["a", u]},
        lambda u: {**VECTOR, "cluster_type": u},
        lambda u: {"collection_ids": ["a"], "cluster_type": "vector", "vector_config": u},
        lambda u: vector(clustering_method=u),
        lambda u: vector(sample_size=u, normalize_features=u, feature_weights=u),
        lambda u: vector(weight_learning_config={"max_iterations": u}),
        lambda u: {**ATTRIBUTE, "attribute_config": {"attributes": u, "hierarchical_grouping": u}},
        lambda u: {**VECTOR, "llm_labeling": {"max_samples_per_cluster": u, "model_name": u}},
        lambda u: {**VECTOR, "enrich_source_collection": u, "source_enrichment_config": {}},
        lambda u: {**VECTOR, "filters": {"AND": u}},
        lambda u: {**VECTOR, "cluster_name": u, "description": u, "metadata": u, "adopt": u},
    ],
    ids=[
        "collections",
        "collection-item",
        "type",
        "vector_config",
        "method",
        "vector-scalars",
        "nested",
        "attribute",
        "llm",
        "enrich",
        "filters",
        "mutable",
    ],
)
def test_unknown_values_are_accepted_anywhere(declaration: Any, unknown: Any) -> None:
    decl = declaration(unknown)
    result = ClusterProvider().check({}, {**decl, "__provider": "blob"})
    assert result.failures == []


def test_unknown_does_not_hide_other_problems() -> None:
    found = failures(
        {
            **VECTOR,
            "collection_ids": Unknown(),
            "vector_config": {"clustering_method": "nope", "sample_size": Unknown()},
        }
    )
    assert set(found) == {"vector_config.clustering_method", "vector_config.feature_uris"}


def test_check_returns_canonical_inputs() -> None:
    result = ClusterProvider().check(
        {},
        {
            "__provider": "blob",
            "collection_ids": ["col_a"],
            "vector_config": {
                "feature_uri": URI_A,
                "clustering_method": "kmeans",
                "normalize_features": True,
                "multi_feature_strategy": "concatenate",
                "algorithm_params": {"n_clusters": 8.0},
            },
            "enrich_source_collection": False,
            "filters": {
                "AND": [{"field": "a", "value": 1.0, "case_sensitive": False}],
                "case_sensitive": False,
            },
            "llm_labeling": {"enabled": False, "include_summary": True},
            "metadata": {},
            "description": "",
            "adopt": False,
        },
    )
    assert result.failures == []
    generated = result.inputs.pop("cluster_name")
    assert generated.startswith("pulumi-") and len(generated) == len("pulumi-") + 12
    assert result.inputs.pop("__defaults") == ["cluster_name"]
    # Where the cluster lives, from the configuration (tests/unit/conftest.py).
    assert result.inputs.pop("namespace") == "ns-unit"
    assert result.inputs.pop("endpoint") == "https://api.mixpeek.com"
    assert result.inputs == {
        "collection_ids": ["col_a"],
        "cluster_type": "vector",
        "vector_config": {
            "clustering_method": "kmeans",
            "algorithm_params": {"n_clusters": 8},
            "feature_uris": [URI_A],
        },
        "filters": {"AND": [{"field": "a", "value": 1}]},
    }
    named = {**result.inputs, "cluster_name": generated, "namespace": "ns-unit"}
    again = ClusterProvider().check({}, {**named, "__provider": "blob"})
    assert again.inputs == {**named, "endpoint": "https://api.mixpeek.com"}, "idempotent"


def test_check_needs_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MIXPEEK_ENDPOINT", "http://unreachable.invalid")
    assert failures(VECTOR) == {}
