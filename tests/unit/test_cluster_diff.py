"""diff: (old, new) → no change | update | replace, for every field, nested fields, server
defaults and unknowns; plus read → diff round trips. No network."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi_mixpeek._constants import UNKNOWN_SENTINEL
from pulumi_mixpeek.config import ProviderSettings
from pulumi_mixpeek.fields import cluster_fields, replace_fields, update_fields
from pulumi_mixpeek.levels import SEED_API_VERSION, TODAY_API_VERSION, api_level
from pulumi_mixpeek.location import recorded_inputs
from pulumi_mixpeek.models.declaration import Mutability
from pulumi_mixpeek.normalize import canonical_inputs
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.state import (
    VECTOR_NOT_READ_BACK,
    build_outputs,
    live_inputs,
    refreshed_inputs,
)

from tests.unit.cluster_helpers import (
    ATTRIBUTE,
    URI_A,
    URI_B,
    VECTOR,
    checked,
    created_state,
    outcome,
    server_metadata,
)

pytestmark = pytest.mark.unit


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = {**base, **changes}
    return {k: v for k, v in out.items() if v is not None}


def vec(**config: Any) -> dict[str, Any]:
    return with_(VECTOR, vector_config={**VECTOR["vector_config"], **config})


def attr(**config: Any) -> dict[str, Any]:
    return with_(ATTRIBUTE, attribute_config={**ATTRIBUTE["attribute_config"], **config})


LLM = {"enabled": True, "model_name": "gemini-2.0-flash"}
ENRICH = with_(
    VECTOR,
    enrich_source_collection=True,
    source_enrichment_config={
        "field_mappings": [{"source_field": "cluster_id", "target_field": "cid"}]
    },
)

# (case, old declaration, new declaration, expected outcome, expected replaces)
TABLE: list[tuple[str, dict[str, Any], dict[str, Any], str, list[str]]] = [
    # -- nothing changed, or only a server default / representation ----------------------
    ("identical", VECTOR, VECTOR, "none", []),
    ("explicit cluster_type", VECTOR, with_(VECTOR, cluster_type="vector"), "none", []),
    ("explicit enrich false", VECTOR, with_(VECTOR, enrich_source_collection=False), "none", []),
    (
        "explicit vector defaults",
        VECTOR,
        vec(
            multi_feature_strategy="concatenate",
            normalize_features=True,
            output_strategy="single",
            effective_feature_method="mean",
            enrich_source=False,
        ),
        "none",
        [],
    ),
    (
        "explicit weight-learning defaults",
        vec(weight_learning_config={}),
        vec(
            weight_learning_config={
                "method": "bayesian",
                "max_iterations": 20,
                "metric": "silhouette",
                "random_state": 42,
            }
        ),
        "none",
        [],
    ),
    ("feature_uri vs feature_uris", vec(), vec(feature_uris=None, feature_uri=URI_A), "none", []),
    (
        "float vs int",
        vec(algorithm_params={"n_clusters": 8}),
        vec(algorithm_params={"n_clusters": 8.0}),
        "none",
        [],
    ),
    (
        "explicit attribute defaults",
        ATTRIBUTE,
        attr(hierarchical_grouping=False, aggregation_method="most_frequent"),
        "none",
        [],
    ),
    (
        "filters case_sensitive default",
        with_(VECTOR, filters={"AND": [{"field": "a", "operator": "eq", "value": 1}]}),
        with_(
            VECTOR,
            filters={
                "AND": [{"field": "a", "operator": "eq", "value": 1, "case_sensitive": False}],
                "case_sensitive": False,
            },
        ),
        "none",
        [],
    ),
    (
        "llm defaults",
        with_(VECTOR, llm_labeling=LLM),
        with_(
            VECTOR,
            llm_labeling={
                **LLM,
                "include_summary": True,
                "include_keywords": True,
                "max_samples_per_cluster": 10,
                "sample_text_max_length": 200,
                "use_embedding_dedup": False,
                "embedding_similarity_threshold": 0.8,
                "cache_ttl_seconds": 604800,
            },
        ),
        "none",
        [],
    ),
    ("empty metadata is none", VECTOR, with_(VECTOR, metadata={}), "none", []),
    ("empty description is none", VECTOR, with_(VECTOR, description=""), "none", []),
    ("adopt flag is provider-only", VECTOR, with_(VECTOR, adopt=True), "none", []),
    (
        "metadata key order",
        with_(VECTOR, metadata={"a": 1, "b": 2}),
        with_(VECTOR, metadata={"b": 2, "a": 1}),
        "none",
        [],
    ),
    # -- in-place updates ----------------------------------------------------------------
    ("rename", VECTOR, with_(VECTOR, cluster_name="products-v2"), "update", []),
    ("description set", VECTOR, with_(VECTOR, description="all products"), "update", []),
    (
        "keep_output_collections set (recorded in state, no API call)",
        VECTOR,
        with_(VECTOR, keep_output_collections=True),
        "update",
        [],
    ),
    (
        "description changed",
        with_(VECTOR, description="a"),
        with_(VECTOR, description="b"),
        "update",
        [],
    ),
    ("description removed", with_(VECTOR, description="a"), VECTOR, "update", []),
    ("metadata set", VECTOR, with_(VECTOR, metadata={"team": "search"}), "update", []),
    # -- where the cluster lives -----------------------------------------------------------
    ("namespace moves", VECTOR, with_(VECTOR, namespace="ns-other"), "replace", ["namespace"]),
    (
        "endpoint moves",
        VECTOR,
        with_(VECTOR, endpoint="https://eu.mixpeek.example"),
        "replace",
        ["endpoint"],
    ),
    ("namespace id of the same namespace", VECTOR, with_(VECTOR, namespace="ns_0001"), "none", []),
    (
        "metadata value",
        with_(VECTOR, metadata={"team": "a"}),
        with_(VECTOR, metadata={"team": "b"}),
        "update",
        [],
    ),
    (
        "metadata bool vs int",
        with_(VECTOR, metadata={"x": 1}),
        with_(VECTOR, metadata={"x": True}),
        "update",
        [],
    ),
    ("metadata removed", with_(VECTOR, metadata={"team": "a"}), VECTOR, "update", []),
    # -- replacements: top level -----------------------------------------------------------
    (
        "collection added",
        VECTOR,
        with_(VECTOR, collection_ids=["col_a", "col_b"]),
        "replace",
        ["collection_ids"],
    ),
    (
        "collection order",
        with_(VECTOR, collection_ids=["a", "b"]),
        with_(VECTOR, collection_ids=["b", "a"]),
        "replace",
        ["collection_ids"],
    ),
    (
        "vector to attribute",
        VECTOR,
        with_(ATTRIBUTE, cluster_name="products"),
        "replace",
        ["cluster_type", "vector_config", "attribute_config"],
    ),
    (
        "enrich on",
        VECTOR,
        with_(VECTOR, enrich_source_collection=True),
        "replace",
        ["enrich_source_collection"],
    ),
    (
        "enrichment config",
        ENRICH,
        with_(
            ENRICH,
            source_enrichment_config={
                "field_mappings": [{"source_field": "cluster_label", "target_field": "topic"}]
            },
        ),
        "replace",
        ["source_enrichment_config"],
    ),
    (
        "filters added",
        VECTOR,
        with_(VECTOR, filters={"metadata.lang": "en"}),
        "replace",
        ["filters"],
    ),
    (
        "filters value",
        with_(VECTOR, filters={"metadata.lang": "en"}),
        with_(VECTOR, filters={"metadata.lang": "de"}),
        "replace",
        ["filters"],
    ),
    (
        "filters case_sensitive on",
        with_(VECTOR, filters={"metadata.lang": "en"}),
        with_(VECTOR, filters={"metadata.lang": "en", "case_sensitive": True}),
        "replace",
        ["filters"],
    ),
    (
        "filters removed",
        with_(VECTOR, filters={"metadata.lang": "en"}),
        VECTOR,
        "replace",
        ["filters"],
    ),
    ("llm added", VECTOR, with_(VECTOR, llm_labeling=LLM), "replace", ["llm_labeling"]),
    (
        "llm model",
        with_(VECTOR, llm_labeling=LLM),
        with_(VECTOR, llm_labeling={**LLM, "model_name": "gpt-4.1-2025-04-14"}),
        "replace",
        ["llm_labeling"],
    ),
    (
        "llm nested mapping",
        with_(
            VECTOR,
            llm_labeling={
                **LLM,
                "labeling_inputs": {"input_mappings": [{"input_key": "t", "path": "title"}]},
            },
        ),
        with_(
            VECTOR,
            llm_labeling={
                **LLM,
                "labeling_inputs": {"input_mappings": [{"input_key": "t", "path": "name"}]},
            },
        ),
        "replace",
        ["llm_labeling"],
    ),
    (
        "rename plus collections",
        VECTOR,
        with_(VECTOR, cluster_name="p2", collection_ids=["x"]),
        "replace",
        ["collection_ids"],
    ),
    # -- replacements: every vector_config field ------------------------------------------
    ("vector feature_uris", VECTOR, vec(feature_uris=[URI_A, URI_B]), "replace", ["vector_config"]),
    (
        "vector clustering_method",
        VECTOR,
        vec(clustering_method="hdbscan"),
        "replace",
        ["vector_config"],
    ),
    ("vector sample_size", VECTOR, vec(sample_size=500), "replace", ["vector_config"]),
    (
        "vector algorithm_params",
        vec(algorithm_params={"n_clusters": 8}),
        vec(algorithm_params={"n_clusters": 9}),
        "replace",
        ["vector_config"],
    ),
    (
        "vector kmeans_parameters",
        VECTOR,
        vec(kmeans_parameters={"n_clusters": 3}),
        "replace",
        ["vector_config"],
    ),
    (
        "vector multi_feature_strategy",
        VECTOR,
        vec(multi_feature_strategy="independent"),
        "replace",
        ["vector_config"],
    ),
    (
        "vector normalize_features",
        VECTOR,
        vec(normalize_features=False),
        "replace",
        ["vector_config"],
    ),
    (
        "vector feature_weights",
        VECTOR,
        vec(feature_weights={URI_A: 0.5}),
        "replace",
        ["vector_config"],
    ),
    (
        "vector weight_learning nested",
        vec(weight_learning_config={"max_iterations": 20}),
        vec(weight_learning_config={"max_iterations": 30}),
        "replace",
        ["vector_config"],
    ),
    (
        "vector output_strategy",
        VECTOR,
        vec(output_strategy="per_feature"),
        "replace",
        ["vector_config"],
    ),
    (
        "vector effective_feature_method",
        VECTOR,
        vec(effective_feature_method="median"),
        "replace",
        ["vector_config"],
    ),
    ("vector enrich_source", VECTOR, vec(enrich_source=True), "replace", ["vector_config"]),
    # -- replacements: every attribute_config field ----------------------------------------
    (
        "attribute attributes",
        ATTRIBUTE,
        attr(attributes=["brand", "color"]),
        "replace",
        ["attribute_config"],
    ),
    (
        "attribute order",
        attr(attributes=["a", "b"]),
        attr(attributes=["b", "a"]),
        "replace",
        ["attribute_config"],
    ),
    (
        "attribute hierarchical",
        ATTRIBUTE,
        attr(hierarchical_grouping=True),
        "replace",
        ["attribute_config"],
    ),
    (
        "attribute aggregation",
        ATTRIBUTE,
        attr(aggregation_method="first"),
        "replace",
        ["attribute_config"],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected", "replaces"),
    [case[1:] for case in TABLE],
    ids=[case[0] for case in TABLE],
)
def test_diff_table(
    old: dict[str, Any], new: dict[str, Any], expected: str, replaces: list[str]
) -> None:
    result = ClusterProvider().diff("clust_0001", created_state(old), checked(new))
    assert outcome(result) == expected
    assert sorted(result.replaces or []) == sorted(replaces)


def test_table_covers_every_field() -> None:
    """Each diffable input field appears in at least one changing case."""
    covered: set[str] = set()
    for _, old, new, expected, _ in TABLE:
        if expected != "none":
            covered |= {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    diffable = {s.name for s in cluster_fields() if s.mutability is not Mutability.PROVIDER}
    # This table is the seed level's (the suite's); the fields only API 1.3.783 has are
    # diffed at that level in test_api_level_fields.py.
    seed = api_level(SEED_API_VERSION).fields
    today_only = api_level(TODAY_API_VERSION).fields - seed
    assert diffable - today_only <= covered


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN_SENTINEL], ids=["Unknown()", "sentinel"])
@pytest.mark.parametrize(
    ("make", "expected", "replaces"),
    [
        (lambda u: with_(VECTOR, collection_ids=u), "replace", ["collection_ids"]),
        (lambda u: with_(VECTOR, collection_ids=["col_a", u]), "replace", ["collection_ids"]),
        (lambda u: vec(clustering_method=u), "replace", ["vector_config"]),
        (lambda u: vec(sample_size=u), "replace", ["vector_config"]),
        (lambda u: with_(VECTOR, cluster_type=u), "replace", ["cluster_type"]),
        (lambda u: with_(VECTOR, filters=u), "replace", ["filters"]),
        (lambda u: with_(VECTOR, llm_labeling={"enabled": u}), "replace", ["llm_labeling"]),
        (
            lambda u: with_(VECTOR, enrich_source_collection=u),
            "replace",
            ["enrich_source_collection"],
        ),
        (lambda u: with_(VECTOR, cluster_name=u), "update", []),
        (lambda u: with_(VECTOR, description=u), "update", []),
        (lambda u: with_(VECTOR, metadata={"team": u}), "update", []),
        (lambda u: with_(VECTOR, adopt=u), "none", []),
    ],
    ids=[
        "collections",
        "collection-item",
        "method",
        "nested-scalar",
        "type",
        "filters",
        "llm",
        "enrich",
        "name",
        "description",
        "metadata",
        "adopt",
    ],
)
def test_unknowns_count_as_changed(
    make: Any, expected: str, replaces: list[str], unknown: Any
) -> None:
    news = {
        **ClusterProvider().check({}, {**make(unknown), "__provider": "p"}).inputs,
        "__provider": "p",
    }
    result = ClusterProvider().diff("clust_0001", created_state(VECTOR), news)
    assert outcome(result) == expected
    assert sorted(result.replaces or []) == replaces


@pytest.mark.parametrize(
    ("old", "new", "delete_first"),
    [
        (VECTOR, with_(VECTOR, collection_ids=["b"]), True),  # same name: cannot coexist
        (VECTOR, with_(VECTOR, collection_ids=["b"], cluster_name="products-2"), False),
        (
            with_(VECTOR, cluster_name=None),
            with_(VECTOR, collection_ids=["b"], cluster_name=None),
            False,
        ),
        (VECTOR, with_(VECTOR, collection_ids=["b"], cluster_name=Unknown()), True),
        (VECTOR, with_(VECTOR, collection_ids=["b"], namespace="ns-other"), False),
        (VECTOR, with_(VECTOR, namespace="ns-other"), False),
        (VECTOR, with_(VECTOR, namespace="ns_0002"), False),
        # A name against an id: maybe the same namespace, so the name may collide.
        (VECTOR, with_(VECTOR, namespace=Unknown()), True),
        (VECTOR, with_(VECTOR, endpoint="https://eu.mixpeek.example"), True),
    ],
    ids=[
        "same-name",
        "new-name",
        "generated-name",
        "unknown-name",
        "other-namespace",
        "move-only",
        "other-namespace-id",
        "unknown-namespace",
        "other-endpoint",
    ],
)
def test_replacement_order(old: dict[str, Any], new: dict[str, Any], delete_first: bool) -> None:
    """The engine checks the new inputs against the previous inputs (so a generated name is
    kept at this point) and asks diff; the order comes from that diff."""
    previous = checked(old)
    olds = created_state(old, previous=previous)
    news = checked(new, olds=previous)
    result = ClusterProvider().diff("clust_0001", olds, news)
    assert outcome(result) == "replace"
    assert result.delete_before_replace is delete_first


def test_update_keeping_the_name_still_asks_to_delete_first() -> None:
    """replaceOnChanges can turn this update into a replacement; the engine then reads the
    flag, and two clusters of one name cannot coexist."""
    news = {**checked(with_(VECTOR, metadata={"tier": "gold"})), "__provider": "p"}
    result = ClusterProvider().diff("clust_0001", created_state(VECTOR), news)
    assert outcome(result) == "update"
    assert result.delete_before_replace is True


def test_omitted_name_is_generated_once_then_kept() -> None:
    """Auto-naming: check generates a name for an unnamed cluster and keeps the previous
    one on every later run (the engine passes the stored inputs as olds)."""
    first = checked(with_(VECTOR, cluster_name=None))
    assert first["cluster_name"].startswith("pulumi-")
    again = checked(with_(VECTOR, cluster_name=None), olds=first)
    assert again["cluster_name"] == first["cluster_name"]
    olds = created_state(with_(VECTOR, cluster_name=first["cluster_name"]))
    assert outcome(ClusterProvider().diff("clust_0001", olds, again)) == "none"
    # Dropping a declared name keeps it too.
    named = checked(VECTOR)
    assert checked(with_(VECTOR, cluster_name=None), olds=named)["cluster_name"] == (
        VECTOR["cluster_name"]
    )


def test_only_the_pickled_provider_changed_is_no_change() -> None:
    olds = created_state(VECTOR)
    news = {**checked(VECTOR), "__provider": "a-newer-pickle"}
    assert outcome(ClusterProvider().diff("clust_0001", olds, news)) == "none"


def test_mutability_is_declared_once_and_as_specified() -> None:
    assert update_fields() == {
        "cluster_name", "description", "metadata", "keep_output_collections"
    }
    assert replace_fields() == {
        "namespace",
        "endpoint",
        "collection_ids",
        "cluster_type",
        "vector_config",
        "attribute_config",
        "filters",
        "llm_labeling",
        "enrich_source_collection",
        "source_enrichment_config",
        "source_cluster_ids",
        "auto_execute_on_batch",
        "auto_execute_min_documents",
        "auto_execute_cooldown_seconds",
    }
    assert all(spec.description for spec in cluster_fields())


ROUNDTRIP = [
    VECTOR,
    ATTRIBUTE,
    with_(VECTOR, description="d", metadata={"team": "search", "n": 2}),
    vec(
        feature_uris=[URI_A, URI_B],
        sample_size=500,
        algorithm_params={"n_clusters": 5},
        multi_feature_strategy="weighted",
        feature_weights={URI_A: 0.3, URI_B: 0.7},
        weight_learning_config={"method": "grid_search"},
        output_strategy="per_feature",
        effective_feature_method="medoid",
        normalize_features=False,
    ),
    vec(feature_uris=None, feature_uri=URI_A, kmeans_parameters={"n_clusters": 3}),
    vec(enrich_source=True),
    attr(attributes=["a", "b"], hierarchical_grouping=True, aggregation_method="last"),
    with_(
        VECTOR,
        filters={
            "OR": [
                {"field": "a", "operator": "in", "value": [1, 2]},
                {"NOT": [{"field": "b", "operator": "exists"}]},
            ],
            "metadata.kind": "doc",
        },
    ),
    with_(
        VECTOR,
        llm_labeling={
            **LLM,
            "labeling_inputs": {
                "input_mappings": [{"input_key": "t", "source_type": "payload", "path": "title"}]
            },
            "parameters": {"temperature": 0.2},
        },
    ),
    ENRICH,
    with_(VECTOR, cluster_name=None),
]


@pytest.mark.parametrize("declaration", ROUNDTRIP, ids=[str(i) for i in range(len(ROUNDTRIP))])
def test_read_then_diff_is_no_change(declaration: dict[str, Any]) -> None:
    """refresh stores read's outputs and inputs; the next preview must be empty, and read's
    inputs must be shaped exactly as check shapes the program's inputs."""
    olds = created_state(declaration)
    meta = server_metadata(checked(declaration), cluster_name=olds["cluster_name"])
    inputs = live_inputs(meta, olds)
    outs = {**build_outputs(meta, inputs), "__provider": "p"}
    program = checked(declaration, olds=inputs)
    assert outcome(ClusterProvider().diff("clust_0001", outs, program)) == "none"
    declared = {k: v for k, v in program.items() if not k.startswith("__")}
    expected = {**declared, "cluster_name": olds["cluster_name"]}
    assert inputs == expected


def test_read_reports_real_drift() -> None:
    olds = created_state(with_(VECTOR, metadata={"team": "a"}))
    meta = server_metadata(checked(VECTOR), metadata={"team": "b"}, input_collections=["col_z"])
    outs = build_outputs(meta, live_inputs(meta, olds))
    result = ClusterProvider().diff(
        "clust_0001", outs, checked(with_(VECTOR, metadata={"team": "a"}))
    )
    assert outcome(result) == "replace"
    assert result.replaces == ["collection_ids"]


#: The round trips an import can make: GET returns every field they declare.
IMPORTABLE = [
    d for d in ROUNDTRIP
    if not set(d.get("vector_config") or {}) & set(VECTOR_NOT_READ_BACK)
]


@pytest.mark.parametrize("declaration", IMPORTABLE, ids=[str(i) for i in range(len(IMPORTABLE))])
def test_import_read_then_diff_of_the_declaring_program_is_no_change(
    declaration: dict[str, Any],
) -> None:
    """`pulumi import` reads with no previous state at all: every configuration the server
    returns is the cluster's (nothing was sent it could have added to), so a program declaring
    the cluster as it is previews no change."""
    meta = server_metadata(checked(declaration), cluster_name="imported")
    inputs = refreshed_inputs(meta, {})
    assert inputs == live_inputs(meta, {})
    # read adds where it read the cluster (recorded_inputs), as check does.
    where = recorded_inputs({}, {}, ProviderSettings.resolve())
    outs = build_outputs(meta, canonical_inputs({**inputs, **where}))
    program = checked({**declaration, "cluster_name": "imported", "description": None})
    assert outcome(ClusterProvider().diff(str(meta.cluster_id), outs, program)) == "none"
