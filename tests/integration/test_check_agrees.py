"""check agrees with the API: a property-based comparison on generated declarations (at
least 400 per run: mixed, mostly valid, and valid but for one field) of the provider's
``check`` verdict (it must never raise) with a verdict this project did not write:

- the official ``mixpeek==1.3.1`` request model judges the body: what
  ``CreateClusterRequest.from_dict`` refuses, check must refuse. ``from_dict``, not
  ``model_validate``: it is how the SDK reads JSON (``model_validate`` refuses a plain string
  ``model_name`` or an ``algorithm_params`` object, which need the SDK's wrapper types;
  reference section 2), and a dict ``algorithm_params`` always passes (its anyOf ends with
  ``object``), whatever variant it is mis-parsed as (section 4);
- what the SDK model accepts is POSTed to a real ``mixpeek-emulator`` process, and its answer
  counts only for what the SDK model cannot judge: keys ``from_dict`` never reads (unknown
  properties), and the rules the SDK states only in words or that only the server can know
  (``LEFT_TO_THE_SERVER``). A refusal anywhere else is the server judging what the SDK model
  judged and accepted: the SDK's verdict stands.

Two things the SDK model and the server take, the provider deliberately does not, and the
comparison expects check to refuse them (``provider_narrowing``): the fields the SDK calls
internal ("Do not set manually": vector_config's feature_extractor_name, version,
output_name; the reference's mapping says "do not expose"), and a cluster_name that reads as
a cluster id (``clust_...``: GET takes an id or a name, reference sections 1 and 3, and the
provider finds clusters by name).

Every example gets a namespace of its own, so a name is never taken by an earlier example.

Each API level is compared with its own oracle: at the seed level (1.3.1) the SDK above in
this process and the server at ``--api-version 1.3.1``; at today's (1.3.783) the provider
configured with ``mixpeek:apiVersion`` 1.3.783, ``mixpeek==1.3.783``'s CreateClusterRequest
(its own virtualenv, ``make sdk``: one subprocess, ``tests/support/sdk_today_judge.py``,
judges the bodies in lists) and the server at ``--api-version 1.3.783``. Today's declarations
add the fields and values 1.3.783 adds (``TODAY_*``).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Protocol, get_args

import mixpeek
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_mixpeek.models.config import MODEL_NAMES
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from tests.integration.conftest import KEY, configured
from tests.support.emulator import Emulator, running_emulator
from tests.support.sdk_today import SDK_TODAY_VERSION, SdkJudge
from tests.unit.cluster_helpers import PROVIDER_BLOB

pytestmark = pytest.mark.integration

EXAMPLES = 400
SEED = "1.3.1"
TODAY = SDK_TODAY_VERSION
LEVELS = [SEED, TODAY]

# -- the oracle: the official SDK model, and the server for what it cannot judge ---------

SDK_REQUEST: type[BaseModel] = mixpeek.CreateClusterRequest

#: Where the server's refusal of a body the SDK model accepts counts, with the words of the
#: SDK field's own description that state the rule its schema does not enforce (None: a rule
#: only the server can know, or the reference's inference; see the comment).
LEFT_TO_THE_SERVER: dict[str, tuple[str, str | None]] = {
    # Which collections exist (and so that a blank id names none) only the server knows.
    "collection_ids": ("collection_ids", None),
    # Names are unique in a namespace (GET and PATCH take a name; reference section 4); a
    # blank one names nothing.
    "cluster_name": ("cluster_name", None),
    "cluster_type": ("vector_config", "Required when cluster_type is 'vector'"),
    "vector_config": ("vector_config", "Required when cluster_type is 'vector'"),
    "attribute_config": ("attribute_config", "Required when cluster_type is 'attribute'"),
    "vector_config.feature_uri": (
        "vector_config.feature_uri", "Format: 'mixpeek://{extractor}@{version}/{output}'"
    ),
    "vector_config.feature_uris": (
        "vector_config.feature_uris", "Format: 'mixpeek://{extractor}@{version}/{output}'"
    ),
    "vector_config.feature_weights": ("vector_config.feature_weights", "weights (0.0-1.0)"),
    # The enum serves both types; attribute_based is the attribute clusters' algorithm
    # (reference section 4, an inference there).
    "vector_config.clustering_method": ("vector_config.clustering_method", None),
    "attribute_config.attributes": ("attribute_config.attributes", "attribute field names"),
    "attribute_config.aggregation_method": (
        "attribute_config.aggregation_method", "Options: 'most_frequent' (default), 'first', 'last'"
    ),
    "source_enrichment_config": (
        "source_enrichment_config", "only used if enrich_source_collection=True"
    ),
    "source_enrichment_config.field_mappings.source_field": (
        "source_enrichment_config.field_mappings.source_field",
        "Available fields: cluster_id, cluster_label, distance_to_centroid, member_count, "
        "keywords, x, y, z",
    ),
    "llm_labeling.provider": ("llm_labeling.provider", "inferred from model_name"),
}

#: Today's level (SDK 1.3.783): the same places, each description still stating its rule,
#: and what 1.3.783 adds: collection_ids may be left out for source_cluster_ids, whose
#: clusters only the server knows; the typesafe provider picks labels from candidate_labels
#: (said in llm_labeling.provider's description; candidate_labels has none).
LEFT_TO_THE_SERVER_TODAY: dict[str, tuple[str, str | None]] = {
    **LEFT_TO_THE_SERVER,
    "collection_ids": ("collection_ids", "Required unless source_cluster_ids is set"),
    "source_cluster_ids": (
        "source_cluster_ids",
        "Each id must be a vector cluster in this namespace with the same feature_uris",
    ),
    "llm_labeling.candidate_labels": (
        "llm_labeling.provider", "Picks each cluster's label from candidate_labels"
    ),
}
LEFT_TO_THE_SERVER_AT = {SEED: LEFT_TO_THE_SERVER, TODAY: LEFT_TO_THE_SERVER_TODAY}

#: The words by which the SDK marks a field the server fills in itself.
INTERNAL_MARK = "Do not set manually"


def sdk_model(annotation: Any) -> type[BaseModel] | None:
    """The SDK model an annotation holds (through Optional, List, Annotated), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = sdk_model(arg)
        if found is not None:
            return found
    return None


def sdk_field(path: str) -> FieldInfo:
    """The SDK field at a dotted path from CreateClusterRequest (through lists)."""
    model: type[BaseModel] | None = SDK_REQUEST
    info: FieldInfo | None = None
    for name in path.split("."):
        assert model is not None, path
        info = model.model_fields.get(name)
        assert info is not None, f"the SDK model has no {path}"
        model = sdk_model(info.annotation)
    assert info is not None
    return info


def internal_fields() -> list[str]:
    return sorted(
        name
        for name, info in mixpeek.VectorBasedConfigInput.model_fields.items()
        if INTERNAL_MARK in (info.description or "")
    )


#: The form of a cluster id (reference section 3: "examples use the form clust_abc123").
CLUSTER_ID_PREFIX = "clust_"


def provider_narrowing(body: dict[str, Any], internal: list[str] | None = None) -> str | None:
    """Why the provider refuses a body the API takes, when it deliberately does
    (``internal``: the SDK's internal vector_config fields, the seed SDK's by default)."""
    vector = body.get("vector_config")
    internal = internal_fields() if internal is None else internal
    if isinstance(vector, dict) and any(name in vector for name in internal):
        return f"it sets a field the SDK says is internal ({INTERNAL_MARK!r})"
    name = body.get("cluster_name")
    if isinstance(name, str) and name.startswith(CLUSTER_ID_PREFIX):
        return (
            "its cluster_name reads as a cluster id, and GET /v1/clusters/{identifier} takes "
            "an id or a name"
        )
    return None


def sdk_refusal(body: dict[str, Any]) -> str | None:
    """Why the SDK model refuses the body, or None when it accepts it."""
    try:
        mixpeek.CreateClusterRequest.from_dict(body)
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        return str(exc)
    return None


def unread_keys(value: Any, model: type[BaseModel] = SDK_REQUEST, path: str = "") -> set[str]:
    """The keys of ``value`` (dotted, list positions left out) that the SDK model's
    ``from_dict`` never reads: it reads its own properties only, except a model that keeps
    additional properties (filters) and the anyOf wrappers (algorithm_params), which take
    any object."""
    fields = model.model_fields
    if not isinstance(value, dict) or "additional_properties" in fields:
        return set()
    if "actual_instance" in fields:
        return set()
    by_key = {info.alias or name: info for name, info in fields.items()}
    unread = set()
    for key, item in value.items():
        info = by_key.get(key)
        if info is None:
            unread.add(path + key)
            continue
        sub = sdk_model(info.annotation)
        if sub is not None:
            for element in item if isinstance(item, list) else [item]:
                unread |= unread_keys(element, sub, f"{path}{key}.")
    return unread


def refusal_places(response: Any) -> list[str]:
    """Where the server says the body is wrong, dotted, list positions left out: a 1.3.1
    422's ``detail[].loc``; an ErrorResponse's ``error.details.validation_errors[].loc`` (a
    1.3.783 422) or ``error.details.field`` (a 400)."""
    body = response.json()
    if response.status_code == 422 and isinstance(body.get("detail"), list):
        items = body["detail"]
        details: dict[str, Any] = {}
    else:
        details = (body.get("error") or {}).get("details") or {}
        items = details.get("validation_errors") or []
    places = [
        ".".join(str(p) for p in item["loc"][1:] if not isinstance(p, int)) for item in items
    ]
    return places + ([str(details["field"])] if "field" in details else [])


# -- the declarations -------------------------------------------------------------------

URIS = st.sampled_from(
    [
        "mixpeek://text_extractor@v1/embedding",
        "mixpeek://image_extractor@v2/clip",
        "mixpeek://text_extractor@v1/multilingual_e5_large_instruct_v1",
    ]
)
BAD_URIS = st.sampled_from(["", "not-a-uri", "mixpeek://text_extractor@v1", "http://x/y"])
ANY_URI = st.one_of(URIS, URIS, BAD_URIS)
METHODS = st.sampled_from(
    ["kmeans", "dbscan", "hdbscan", "agglomerative", "spectral", "gaussian_mixture",
     "mean_shift", "optics", "attribute_based", "kmeanz"]
)
PARAMS = st.dictionaries(
    st.sampled_from(["n_clusters", "min_cluster_size", "eps", "min_samples", "xi", "foo"]),
    st.one_of(st.integers(-2, 2000), st.floats(-1, 2, allow_nan=False), st.just("x")),
    max_size=2,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


WEIGHT_LEARNING = st.fixed_dictionaries(
    {},
    optional={
        "method": st.sampled_from(["bayesian", "grid_search", "random"]),
        "max_iterations": st.integers(0, 120),
        "metric": st.sampled_from(
            ["silhouette", "davies_bouldin", "calinski_harabasz", "inertia"]
        ),
        "sample_size": maybe(st.integers(0, 300)),
        "random_state": st.integers(-5, 100),
    },
)
VECTOR_CONFIG = st.fixed_dictionaries(
    {"clustering_method": METHODS},
    optional={
        "feature_uris": maybe(st.lists(ANY_URI, max_size=3)),
        "feature_uri": ANY_URI,
        "algorithm_params": maybe(PARAMS),
        "kmeans_parameters": PARAMS,
        "hdbscan_parameters": PARAMS,
        "sample_size": maybe(st.integers(-5, 2000)),
        "multi_feature_strategy": st.sampled_from(
            ["concatenate", "independent", "weighted", "stacked"]
        ),
        "normalize_features": st.booleans(),
        "feature_weights": maybe(
            st.dictionaries(ANY_URI, st.floats(-0.5, 1.5, allow_nan=False), max_size=2)
        ),
        "output_strategy": st.sampled_from(["single", "per_feature", "many"]),
        "effective_feature_method": st.sampled_from(["mean", "median", "medoid", "mode"]),
        "weight_learning_config": WEIGHT_LEARNING,
        "enrich_source": st.booleans(),
        "feature_extractor_name": st.just("text_extractor"),
        "version": st.just("v1"),
        "output_name": st.just("embedding"),
    },
)
ATTRIBUTE_CONFIG = st.fixed_dictionaries(
    {"attributes": st.lists(st.sampled_from(["brand", "color", "size", "", " "]), max_size=3)},
    optional={
        "aggregation_method": st.sampled_from(["most_frequent", "first", "last", "median"]),
        "hierarchical_grouping": st.booleans(),
    },
)
INPUT_MAPPING = st.fixed_dictionaries(
    {"input_key": st.sampled_from(["title", ""])},
    optional={
        "source_type": st.sampled_from(["payload", "literal", "vector", "file"]),
        "path": st.sampled_from(["metadata.title", ""]),
        "override": maybe(st.one_of(st.integers(), st.text(max_size=3))),
    },
)
LLM_LABELING = st.fixed_dictionaries(
    {},
    optional={
        "enabled": st.booleans(),
        "model_name": st.sampled_from([*MODEL_NAMES, "gpt-5-turbo"]),
        "provider": st.sampled_from(["openai", "google", "anthropic", "mistral"]),
        "include_summary": st.booleans(),
        "include_keywords": st.booleans(),
        "max_samples_per_cluster": st.integers(0, 25),
        "sample_text_max_length": st.integers(0, 600),
        "use_embedding_dedup": st.booleans(),
        "embedding_similarity_threshold": st.floats(0.3, 1.2, allow_nan=False),
        "cache_ttl_seconds": st.integers(-1, 2600000),
        "custom_prompt": st.text(max_size=5),
        "response_shape": st.one_of(
            st.text(max_size=5), st.just({"type": "object"}), st.integers(0, 3)
        ),
        "parameters": st.just({"temperature": 0.2}),
        "labeling_inputs": st.fixed_dictionaries(
            {"input_mappings": st.lists(INPUT_MAPPING, max_size=2)}
        ),
    },
)
SOURCE_ENRICHMENT = st.fixed_dictionaries(
    {},
    optional={
        "field_mappings": st.lists(
            st.fixed_dictionaries(
                {
                    "source_field": st.sampled_from(
                        ["cluster_id", "cluster_label", "metadata.topic", "centroid"]
                    ),
                    "target_field": st.sampled_from(["topic", "group"]),
                }
            ),
            max_size=2,
        )
    },
)
CONDITION = st.fixed_dictionaries(
    {"field": st.sampled_from(["lang", "metadata.kind"])},
    optional={
        "operator": st.sampled_from(["eq", "ne", "in", "text", "nope"]),
        "value": st.one_of(
            st.none(), st.integers(), st.text(max_size=3),
            st.just({"type": "dynamic", "field": "inputs.lang"}),
        ),
    },
)
FILTERS = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "AND": st.lists(CONDITION, max_size=2),
            "OR": st.lists(CONDITION, max_size=2),
            "NOT": st.lists(CONDITION, max_size=2),
            "case_sensitive": st.booleans(),
        },
    ),
    st.fixed_dictionaries({"AND": st.lists(st.fixed_dictionaries(
        {"OR": st.lists(CONDITION, min_size=1, max_size=2)}), max_size=2)}),
    st.fixed_dictionaries({"metadata.title": st.text(max_size=3)}),
)
DECLARATIONS = st.fixed_dictionaries(
    {"collection_ids": st.lists(st.sampled_from(["col_a", "col_b", "", " "]), max_size=3)},
    optional={
        "cluster_type": maybe(st.sampled_from(["vector", "attribute", "graph"])),
        "vector_config": maybe(VECTOR_CONFIG),
        "attribute_config": maybe(ATTRIBUTE_CONFIG),
        "filters": maybe(FILTERS),
        "llm_labeling": maybe(LLM_LABELING),
        "enrich_source_collection": maybe(st.booleans()),
        "source_enrichment_config": maybe(SOURCE_ENRICHMENT),
        "cluster_name": maybe(
            st.sampled_from(["products", "", " ", "two words", "clust_5d1c0e2b"])
        ),
        "clustr_name": st.just("typo"),
    },
)


#: Declarations that are mostly valid (the mixed ones above are mostly not), so both sides
#: of the comparison are exercised in earnest.
VALID_FILTERS = st.sampled_from(
    [
        {"AND": [{"field": "lang", "operator": "eq", "value": "en"}]},
        {"OR": [{"field": "lang", "value": "en"}], "case_sensitive": True},
        {"metadata.kind": "doc"},
    ]
)
VALID_LABELING = st.fixed_dictionaries(
    {"enabled": st.booleans()},
    optional={
        "model_name": st.sampled_from(MODEL_NAMES),
        "max_samples_per_cluster": st.integers(1, 20),
        "sample_text_max_length": st.integers(50, 500),
        "embedding_similarity_threshold": st.floats(0.5, 1.0, allow_nan=False),
        "cache_ttl_seconds": st.integers(0, 2592000),
        "labeling_inputs": st.just(
            {"input_mappings": [{"input_key": "title", "source_type": "payload",
                                 "path": "metadata.title"}]}
        ),
    },
)
VALID_LEANING = st.one_of(
    st.fixed_dictionaries(
        {
            "collection_ids": st.lists(st.sampled_from(["col_a", "col_b"]), min_size=1, max_size=2),
            "vector_config": st.fixed_dictionaries(
                {
                    "clustering_method": st.sampled_from(["kmeans", "hdbscan", "dbscan"]),
                    "feature_uris": st.lists(URIS, min_size=1, max_size=2, unique=True),
                },
                optional={
                    "algorithm_params": st.dictionaries(
                        st.sampled_from(["n_clusters", "min_cluster_size"]),
                        st.integers(1, 20),
                        max_size=2,
                    ),
                    "multi_feature_strategy": st.sampled_from(["concatenate", "independent"]),
                    "output_strategy": st.sampled_from(["single", "per_feature"]),
                    "sample_size": st.integers(100, 1000),
                    "weight_learning_config": st.fixed_dictionaries(
                        {}, optional={"max_iterations": st.integers(5, 100),
                                      "metric": st.just("davies_bouldin")}
                    ),
                },
            ),
        },
        optional={
            "cluster_type": st.just("vector"),
            "cluster_name": st.sampled_from(["products", "catalogue"]),
            "llm_labeling": VALID_LABELING,
            "filters": VALID_FILTERS,
        },
    ),
    st.fixed_dictionaries(
        {
            "collection_ids": st.lists(st.sampled_from(["col_a", "col_b"]), min_size=1, max_size=2),
            "attribute_config": st.fixed_dictionaries(
                {"attributes": st.lists(
                    st.sampled_from(["brand", "color", "size"]), min_size=1, max_size=3, unique=True
                )},
                optional={
                    "aggregation_method": st.sampled_from(["most_frequent", "first", "last"]),
                    "hierarchical_grouping": st.booleans(),
                },
            ),
        },
        optional={
            "cluster_type": st.just("attribute"),
            "enrich_source_collection": st.just(True),
            "source_enrichment_config": SOURCE_ENRICHMENT,
        },
    ),
)


#: One field of a valid declaration and values for it around the SDK's bounds and enums
#: (reference section 2): with a single fault, the verdict shows whether check judges that
#: very field as the oracle does. Each is tried on its own and sampled inside
#: the property test.
_URI = "mixpeek://text_extractor@v1/embedding"
ONE_FAULT: dict[str, list[Any]] = {
    "collection_ids": [[], ["col_a", ""], ["col_a", "col_a"]],
    "cluster_name": ["", " ", "x", "clust_0001", "a" * 300],
    "cluster_type": ["vector", "attribute", "graph", "Vector"],
    "enrich_source_collection": [True, False],
    "source_enrichment_config": [
        {}, {"field_mappings": []},
        {"field_mappings": [{"source_field": "metadata.topic", "target_field": "topic"}]},
        {"field_mappings": [{"source_field": "centroid", "target_field": "topic"}]},
        {"field_mappings": [{"source_field": "cluster_id"}]},
    ],
    "filters": [
        {}, {"metadata.kind": "doc"}, {"AND": []}, {"case_sensitive": True},
        {"AND": [{"field": "lang", "operator": "eq", "value": "en"}]},
        {"OR": [{"field": "lang", "operator": "nope", "value": None}]},
        {"NOT": [{"AND": [{"field": "lang", "value": "en"}]}]},
        {"AND": "lang"},
    ],
    "llm_labeling.enabled": [True, False],
    "llm_labeling.model_name": [*MODEL_NAMES, "gemini-2.5-flash", ""],
    "llm_labeling.provider": ["openai", "google", "anthropic", "azure"],
    "llm_labeling.max_samples_per_cluster": [0, 1, 20, 21],
    "llm_labeling.sample_text_max_length": [49, 50, 500, 501],
    "llm_labeling.embedding_similarity_threshold": [0.49, 0.5, 1.0, 1.01],
    "llm_labeling.cache_ttl_seconds": [-1, 0, 2592000, 2592001],
    "llm_labeling.custom_prompt": ["Name the cluster.", 5],
    "llm_labeling.response_shape": ["short", {"type": "object"}, 3],
    "llm_labeling.parameters": [{"temperature": 0.2}, "hot"],
    "llm_labeling.labeling_inputs": [
        {"input_mappings": []},
        {"input_mappings": [{"input_key": "title"}]},
        {"input_mappings": [{"input_key": "t", "source_type": "literal", "override": 3}]},
        {"input_mappings": [{"input_key": "t", "source_type": "file"}]},
        {"input_mappings": [{"source_type": "payload"}]},
    ],
    "vector_config.clustering_method": [
        "kmeans", "dbscan", "hdbscan", "agglomerative", "spectral", "gaussian_mixture",
        "mean_shift", "optics", "attribute_based", "auto", "kmeanz",
    ],
    "vector_config.feature_uris": [
        [], [_URI, _URI], ["not-a-uri"], ["mixpeek://text_extractor@v1"], [_URI, "http://x/y"],
    ],
    "vector_config.feature_uri": [_URI],
    "vector_config.sample_size": [-1, 0, 1, 100000],
    "vector_config.algorithm_params": [
        {}, {"n_clusters": 1}, {"min_cluster_size": 10}, {"eps": -1}, {"foo": "bar"}, [1],
    ],
    "vector_config.kmeans_parameters": [{"n_clusters": 5}, {"n_clusters": 1}],
    "vector_config.multi_feature_strategy": ["concatenate", "independent", "weighted", "stacked"],
    "vector_config.output_strategy": ["single", "per_feature", "many"],
    "vector_config.effective_feature_method": ["mean", "median", "medoid", "mode"],
    "vector_config.normalize_features": [True, False],
    "vector_config.enrich_source": [True, False],
    "vector_config.feature_weights": [
        {_URI: 0.0}, {_URI: 1}, {_URI: -0.1}, {_URI: 1.1}, {"mixpeek://other@v1/x": 0.5},
    ],
    "vector_config.weight_learning_config": [
        {}, {"max_iterations": 4}, {"max_iterations": 5}, {"max_iterations": 100},
        {"max_iterations": 101}, {"sample_size": 99}, {"sample_size": 100},
        {"method": "grid_search"}, {"method": "random"}, {"metric": "calinski_harabasz"},
        {"metric": "inertia"}, {"random_state": -1},
    ],
    "vector_config.feature_extractor_name": ["text_extractor"],
    "vector_config.version": ["v1"],
    "vector_config.output_name": ["embedding"],
    "attribute_config.attributes": [[], ["brand", "brand"], [""], ["metadata.brand"]],
    "attribute_config.aggregation_method": ["most_frequent", "first", "last", "median"],
    "attribute_config.hierarchical_grouping": [True, False],
}

#: Values of another JSON type than the field's (the SDK's types are strict: StrictBool,
#: StrictInt, StrictStr), and integral numbers, which a program's integers become on the
#: engine's wire (every number is a double there).
WRONG_TYPES: dict[str, list[Any]] = {
    "collection_ids": [["col_a", 7]],
    "cluster_name": [12],
    "enrich_source_collection": ["yes", 1],
    "filters.case_sensitive": ["no"],
    "llm_labeling.enabled": [1, "true"],
    "llm_labeling.custom_prompt": [5],
    "llm_labeling.cache_ttl_seconds": ["0", 0.0],
    "vector_config.normalize_features": ["false"],
    "vector_config.sample_size": ["500", 500.0, 1.5],
    "vector_config.weight_learning_config": [{"max_iterations": "20"}, {"max_iterations": 20.0}],
}

#: The valid declarations a single fault is put into (vector, and attribute for its own).
SINGLE_FAULT_BASES: dict[str, dict[str, Any]] = {
    "vector": {
        "collection_ids": ["col_a"],
        "cluster_name": "products",
        "vector_config": {"feature_uris": [_URI], "clustering_method": "kmeans"},
    },
    "attribute": {
        "collection_ids": ["col_a"],
        "cluster_type": "attribute",
        "attribute_config": {"attributes": ["brand"]},
    },
    # Today's faults of source_enrichment_config: where it is used.
    "enriching": {
        "collection_ids": ["col_a"],
        "cluster_name": "products",
        "vector_config": {"feature_uris": [_URI], "clustering_method": "kmeans"},
        "enrich_source_collection": True,
    },
}


def with_fault(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    declaration = copy.deepcopy(base)
    target = declaration
    *parents, last = path.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = copy.deepcopy(value)
    return declaration


def base_for(path: str, level: str = SEED) -> str:
    if path.startswith("attribute_config"):
        return "attribute"
    if level == TODAY and path.startswith("source_enrichment_config"):
        return "enriching"
    return "vector"


def cases(faults: dict[str, dict[str, list[Any]]]) -> list[Any]:
    """(level, base, path, value) for each level's faults."""
    return [
        pytest.param(level, base_for(path, level), path, value,
                     id=f"{level}:{path}={value!r}"[:90])
        for level, by_path in faults.items()
        for path, values in by_path.items()
        for value in values
    ]


@st.composite
def one_fault(
    draw: st.DrawFn,
    leaning: st.SearchStrategy[dict[str, Any]] | None = None,
    faults: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """A valid-leaning declaration with one field set to a value listed for it (the seed
    level's unless ``leaning`` and ``faults`` say otherwise)."""
    faults = ONE_FAULT if faults is None else faults
    declaration: dict[str, Any] = draw(VALID_LEANING if leaning is None else leaning)
    applicable = [
        path for path in faults
        if path.split(".")[0] not in ("vector_config", "attribute_config")
        or path.split(".")[0] in declaration
    ]
    path = draw(st.sampled_from(applicable))
    return with_fault(declaration, path, draw(st.sampled_from(faults[path])))


# -- today's declarations: what SDK 1.3.783 adds ----------------------------------------------

#: SDK 1.3.783's ClusteringAlgorithm (mixpeek/models/clustering_algorithm.py).
TODAY_METHODS = [
    "kmeans", "dbscan", "hdbscan", "agglomerative", "spectral", "gaussian_mixture",
    "mean_shift", "optics", "leiden", "evoc", "attribute_based", "auto",
]
#: SDK 1.3.783's model names (open_ai_model.py, google_model.py, anthropic_model.py,
#: type_safe_model.py); it drops gemini-2.0-flash and gemini-2.0-flash-exp.
TODAY_MODEL_NAMES = [
    "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14",
    "gpt-4.1-mini-2025-04-14", "o3-mini-2025-01-31", "gemini-2.5-flash-lite",
    "gemini-2.5-flash", "gemini-2.5-pro", "gemini-3.1-flash-lite", "gemini-3.5-flash-lite",
    "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-3-5-sonnet-20241022",
    "claude-3-5-haiku-20241022", "jev-latest", "jev-preview", "jev-1.13.0",
]
PREPROCESSING = st.lists(
    st.sampled_from([
        {"method": "umap", "n_components": 10}, {"method": "umap", "n_components": 1},
        {"method": "whitening"}, {"method": "whitening", "regularization": -1},
        {"method": "none"}, {"method": "pca"},
    ]),
    max_size=2,
)
FACE_MERGE = st.fixed_dictionaries(
    {},
    optional={
        "enabled": st.booleans(),
        "centroid_cosine_threshold": st.floats(-0.2, 1.2, allow_nan=False),
        "bbox_field": st.sampled_from(["bbox", ""]),
    },
)


def with_extra(
    base: st.SearchStrategy[dict[str, Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """``base``'s dictionaries with some of ``optional``'s keys drawn over them."""
    return st.tuples(base, st.fixed_dictionaries({}, optional=optional)).map(
        lambda pair: {**pair[0], **pair[1]}
    )


VECTOR_CONFIG_TODAY = with_extra(
    VECTOR_CONFIG,
    {
        "clustering_method": st.sampled_from([*TODAY_METHODS, "kmeanz"]),
        "face_cluster_merge": FACE_MERGE,
        "preprocessing_steps": PREPROCESSING,
        "hierarchical": st.booleans(),
        "max_hierarchy_depth": st.integers(0, 6),
        "vis_n_components": st.sampled_from([1, 2, 3, 4]),
        "layout_stability": st.sampled_from(["align", "transform", "none", "stable"]),
        "sample_size": maybe(st.integers(-5, 1_100_000)),
    },
)
LLM_LABELING_TODAY = with_extra(
    LLM_LABELING,
    {
        "model_name": st.sampled_from([*TODAY_MODEL_NAMES, "gemini-2.0-flash", "gpt-5-turbo"]),
        "provider": st.sampled_from(["openai", "google", "anthropic", "typesafe", "mistral"]),
        "sample_selection_strategy": st.sampled_from(["nearest", "representative", "random"]),
        "labeling_context": st.one_of(st.text(max_size=5), st.just("x" * 2001)),
        "candidate_labels": st.sampled_from(
            [["sports", "news"], {"sports": "Sports articles"}, "sports"]
        ),
    },
)
TOP_TODAY: dict[str, st.SearchStrategy[Any]] = {
    "description": st.one_of(st.text(max_size=5), st.just(5)),
    "metadata": st.sampled_from([{"team": "search"}, {}, "x"]),
    "auto_execute_on_batch": st.booleans(),
    "auto_execute_min_documents": st.integers(-1, 100),
    "auto_execute_cooldown_seconds": st.integers(-1, 7200),
}


def _without_collections(pair: tuple[dict[str, Any], int]) -> dict[str, Any]:
    """One declaration in ten leaves collection_ids out (optional from 1.3.783)."""
    declaration, roll = pair
    if roll == 0:
        declaration = {k: v for k, v in declaration.items() if k != "collection_ids"}
    return declaration


DECLARATIONS_TODAY = st.tuples(
    with_extra(
        DECLARATIONS,
        {
            "vector_config": maybe(VECTOR_CONFIG_TODAY),
            "llm_labeling": maybe(LLM_LABELING_TODAY),
            **TOP_TODAY,
        },
    ),
    st.integers(0, 9),
).map(_without_collections)

VALID_VECTOR_TODAY: dict[str, st.SearchStrategy[Any]] = {
    "vis_n_components": st.sampled_from([2, 3]),
    "layout_stability": st.sampled_from(["align", "transform", "none"]),
    "hierarchical": st.booleans(),
    "max_hierarchy_depth": st.integers(1, 5),
    "face_cluster_merge": st.just({"enabled": False}),
}
VALID_TOP_TODAY: dict[str, st.SearchStrategy[Any]] = {
    "description": st.sampled_from(["Product topics", ""]),
    "metadata": st.just({"team": "search"}),
    "auto_execute_on_batch": st.booleans(),
    "auto_execute_cooldown_seconds": st.integers(0, 7200),
}


@st.composite
def valid_leaning_today(draw: st.DrawFn) -> dict[str, Any]:
    """The seed's valid-leaning declarations with today's model names and some of today's
    fields, with valid values."""
    declaration: dict[str, Any] = copy.deepcopy(draw(VALID_LEANING))
    labeling = declaration.get("llm_labeling")
    if isinstance(labeling, dict) and labeling.get("model_name") not in (None,
                                                                           *TODAY_MODEL_NAMES):
        labeling["model_name"] = draw(st.sampled_from(TODAY_MODEL_NAMES[:14]))
    vector = declaration.get("vector_config")
    if isinstance(vector, dict):
        vector.update(draw(st.fixed_dictionaries({}, optional=VALID_VECTOR_TODAY)))
    declaration.update(draw(st.fixed_dictionaries({}, optional=VALID_TOP_TODAY)))
    return declaration


VALID_LEANING_TODAY = valid_leaning_today()

#: Today's single faults: the seed's, with today's values where 1.3.783 changed a field's
#: values or bounds, and the fields 1.3.783 adds. source_cluster_ids only where the SDK
#: model judges it: which clusters exist, only the server knows, and check cannot.
ONE_FAULT_TODAY: dict[str, list[Any]] = {
    **ONE_FAULT,
    "collection_ids": [*ONE_FAULT["collection_ids"], None],
    "llm_labeling.model_name": [*TODAY_MODEL_NAMES, "gemini-2.0-flash", ""],
    "llm_labeling.provider": ["openai", "google", "anthropic", "typesafe", "azure"],
    "llm_labeling.sample_selection_strategy": ["nearest", "representative", "random"],
    "llm_labeling.labeling_context": ["Product reviews", "x" * 2001],
    "llm_labeling.candidate_labels": [["sports", "news"], {"sports": "Sports"}, "sports"],
    "vector_config.clustering_method": [*TODAY_METHODS, "kmeanz"],
    "vector_config.sample_size": [-1, 0, 1, 100000, 1000000, 1000001],
    "vector_config.face_cluster_merge": [
        {}, {"enabled": False}, {"centroid_cosine_threshold": 1.5}, {"bbox_field": 3},
    ],
    "vector_config.preprocessing_steps": [
        [], [{"method": "umap"}], [{"method": "whitening", "regularization": -1}],
        [{"method": "pca"}],
    ],
    "vector_config.hierarchical": [True, False],
    "vector_config.max_hierarchy_depth": [0, 1, 5, 6],
    "vector_config.vis_n_components": [1, 2, 3, 4],
    "vector_config.layout_stability": ["align", "transform", "none", "stable"],
    "description": ["Product topics", ""],
    "metadata": [{"team": "search"}, {}, "x", ["a"]],
    "source_cluster_ids": [[], [7]],
    "auto_execute_on_batch": [True, False],
    "auto_execute_min_documents": [-1, 0, 10],
    "auto_execute_cooldown_seconds": [-1, 0, 3600],
}
WRONG_TYPES_TODAY: dict[str, list[Any]] = {
    **WRONG_TYPES,
    "description": [5],
    "auto_execute_on_batch": ["yes", 1],
    "auto_execute_min_documents": ["10", 10.0, 1.5],
    "vector_config.hierarchical": ["true"],
    "vector_config.vis_n_components": ["2", 2.0],
}
ONE_FAULT_AT = {SEED: ONE_FAULT, TODAY: ONE_FAULT_TODAY}
WRONG_TYPES_AT = {SEED: WRONG_TYPES, TODAY: WRONG_TYPES_TODAY}
DRAWN_AT = {
    SEED: st.one_of(VALID_LEANING, one_fault(), DECLARATIONS),
    TODAY: st.one_of(
        VALID_LEANING_TODAY, one_fault(VALID_LEANING_TODAY, ONE_FAULT_TODAY), DECLARATIONS_TODAY
    ),
}


def wire_body(value: Any) -> Any:
    """The body a declaration means, as JSON: a null is the same as an absent field to the
    SDK model (``from_dict`` reads ``obj.get``), and it is left out; an integral number is
    an integer (the engine carries every number as a double, so a program's 500 reaches
    check as 500.0)."""
    if isinstance(value, dict):
        return {k: wire_body(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [wire_body(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# -- each level's oracle ------------------------------------------------------------------


class Oracle(Protocol):
    """A level's official SDK as judge of create bodies."""

    def verdicts(self, bodies: list[Any]) -> list[dict[str, Any]]:
        """For each body ``{"refusal": why | None, "unread": [dotted keys]}``."""
        ...

    def describe(self, paths: list[str]) -> dict[str, Any]:
        """``{"fields": {path: description | None}, "internal": [...]}``."""
        ...


class SeedOracle:
    """mixpeek 1.3.1, in this process (the project's .venv)."""

    def verdicts(self, bodies: list[Any]) -> list[dict[str, Any]]:
        return [
            {"refusal": sdk_refusal(body), "unread": sorted(unread_keys(body))}
            for body in bodies
        ]

    def describe(self, paths: list[str]) -> dict[str, Any]:
        described: dict[str, str | None] = {}
        for path in paths:
            try:
                described[path] = sdk_field(path).description or ""
            except AssertionError:
                described[path] = None
        return {"fields": described, "internal": internal_fields()}


@dataclass
class Level:
    """An API level's server and official SDK."""

    version: str
    server: Emulator
    oracle: Oracle
    internal: list[str] = field(default_factory=list)

    @property
    def left_to_the_server(self) -> dict[str, tuple[str, str | None]]:
        return LEFT_TO_THE_SERVER_AT[self.version]

    def provider(self) -> ClusterProvider:
        """The provider configured for this level's server, at this level."""
        provider: ClusterProvider = configured(
            self.server, ClusterProvider, **{"mixpeek:apiVersion": self.version}
        )
        return provider


class Levels:
    """Each level's server and SDK, started on first use: the seed level on the tier's
    server; today's on a server of its own and the SDK's own virtualenv, whose judge gets
    every single-fault body in one list first."""

    def __init__(self, seed_server: Emulator) -> None:
        self._seed_server = seed_server
        self._stack = ExitStack()
        self._levels: dict[str, Level] = {}

    def __getitem__(self, version: str) -> Level:
        if version not in self._levels:
            self._levels[version] = self._start(version)
        return self._levels[version]

    def _start(self, version: str) -> Level:
        if version == SEED:
            self._seed_server.reset(data=True)
            return Level(SEED, self._seed_server, SeedOracle(), internal_fields())
        judge = SdkJudge()
        self._stack.callback(judge.close)
        server = self._stack.enter_context(
            running_emulator(api_keys=(KEY,), api_version=TODAY)
        )
        judge.verdicts([
            wire_body(with_fault(SINGLE_FAULT_BASES[base_for(path, TODAY)], path, value))
            for faults in (ONE_FAULT_TODAY, WRONG_TYPES_TODAY)
            for path, values in faults.items()
            for value in values
        ])
        return Level(TODAY, server, judge, judge.describe([])["internal"])

    def close(self) -> None:
        self._stack.close()
        self._seed_server.reset(data=True)


@pytest.fixture(scope="module")
def levels(emulator: Emulator) -> Iterator[Levels]:
    started = Levels(emulator)
    yield started
    started.close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


# -- tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", LEVELS)
def test_the_rules_left_to_the_server_are_the_sdk_models_own_words(
    levels: Levels, version: str
) -> None:
    """Every place the server is trusted at is a field of the level's SDK model, and where a
    rule is cited, the SDK states it in that field's description (its schema does not
    enforce it)."""
    level = levels[version]
    places = level.left_to_the_server
    described = level.oracle.describe(
        sorted({*places, *(place for place, _ in places.values())})
    )
    for place, (sdk_path, words) in places.items():
        assert described["fields"][place] is not None, f"the SDK {version} model has no {place}"
        if words is not None:
            assert words in (described["fields"][sdk_path] or ""), (place, words)
    assert described["internal"] == ["feature_extractor_name", "output_name", "version"]


def test_the_sdk_oracle_reads_json_as_from_dict_does() -> None:
    """``model_validate`` is not the SDK's reading of JSON: it refuses a plain model name and
    an algorithm_params object, which ``from_dict`` wraps (reference section 2)."""
    body = {
        "collection_ids": ["col_a"],
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "hdbscan",
            "algorithm_params": {"min_cluster_size": 10},
        },
        "llm_labeling": {"enabled": True, "model_name": "gpt-4o-2024-08-06"},
    }
    assert sdk_refusal(body) is None
    with pytest.raises(ValueError):
        mixpeek.CreateClusterRequest.model_validate(body)
    assert unread_keys({**body, "clustr_name": "x", "filters": {"metadata.kind": "doc"}}) == {
        "clustr_name"
    }


def test_todays_sdk_oracle_is_its_own_from_dict(levels: Levels) -> None:
    """The 1.3.783 judge reads JSON as that SDK's from_dict: a plain model name and an
    algorithm_params object pass, an unknown key is reported unread (also inside
    vector_config), a model name 1.3.783 dropped is refused."""
    body: dict[str, Any] = {
        "collection_ids": ["col_a"],
        "description": "d",
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "leiden",
            "algorithm_params": {"resolution": 1.0},
            "vis_n_components": 3,
        },
        "llm_labeling": {"enabled": True, "model_name": "gemini-3.5-flash-lite"},
    }
    accepted, unread, dropped = levels[TODAY].oracle.verdicts([
        body,
        {**body, "clustr_name": "x", "vector_config": {**body["vector_config"], "k": 1}},
        {**body, "llm_labeling": {"enabled": True, "model_name": "gemini-2.0-flash"}},
    ])
    assert accepted == {"refusal": None, "unread": []}
    assert unread == {"refusal": None, "unread": ["clustr_name", "vector_config.k"]}
    assert dropped["refusal"] is not None
    assert sdk_refusal(body) is not None  # the seed SDK knows neither leiden nor description


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("version", LEVELS)
@pytest.mark.parametrize("name", ["feature_extractor_name", "version", "output_name"])
def test_check_refuses_the_fields_the_sdk_calls_internal(
    levels: Levels, version: str, name: str
) -> None:
    """The SDK model takes them (its schema has them); its description says not to set them
    and the reference's mapping says not to expose them: check refuses them."""
    level = levels[version]
    declaration = {
        "collection_ids": ["col_a"],
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
            name: "text_extractor",
        },
    }
    assert level.oracle.verdicts([declaration])[0]["refusal"] is None
    assert provider_narrowing(declaration, level.internal) is not None

    result = level.provider().check_inputs({}, {**declaration, "__provider": PROVIDER_BLOB})

    assert [f.property for f in result.failures] == [f"vector_config.{name}"]


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("version", LEVELS)
def test_check_refuses_a_name_that_reads_as_a_cluster_id(levels: Levels, version: str) -> None:
    """The SDK model takes any string; GET /v1/clusters/{identifier} takes an id or a name
    and ids read ``clust_...``, so the provider, which finds clusters by name, refuses it."""
    level = levels[version]
    declaration = {
        "collection_ids": ["col_a"],
        "cluster_name": "clust_5d1c0e2b",
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
        },
    }
    assert level.oracle.verdicts([declaration])[0]["refusal"] is None
    assert provider_narrowing(declaration, level.internal) is not None

    result = level.provider().check({}, {**declaration, "__provider": PROVIDER_BLOB})

    assert [f.property for f in result.failures] == ["cluster_name"]


def expected_verdict(level: Level, body: dict[str, Any]) -> tuple[bool, str, str]:
    """(valid?, on whose word, which oracle decided: "sdk", "narrowing", "server" or
    "accepted"), at ``level``."""
    verdict = level.oracle.verdicts([body])[0]
    refusal = verdict["refusal"]
    sdk = f"the SDK {level.version} model"
    if refusal is not None:
        return False, f"{sdk} refuses it: {refusal[:400]}", "sdk"
    narrowed = provider_narrowing(body, level.internal)
    if narrowed is not None:
        return False, f"{sdk} and the server take it, but {narrowed}", "narrowing"
    response = level.server.api(
        "POST",
        "/v1/clusters",
        key=KEY,
        namespace=f"ns-agree-{uuid.uuid4().hex[:12]}",
        json=body,
    )
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code == 200:
        return True, f"{sdk} and the server accept it", "accepted"
    places = refusal_places(response)
    unread = set(verdict["unread"])
    counted = [p for p in places if p in unread or p in level.left_to_the_server]
    answer = f"{response.status_code} {response.text[:400]}"
    if not counted:
        return True, (
            f"{sdk} accepts it; the server's refusal ({answer}) is at {places}, "
            "which the SDK model judges"
        ), "accepted"
    return False, f"{sdk} cannot judge {counted}; the server answered {answer}", "server"


def single_fault_verdicts(
    level: Level, base: str, path: str, value: Any
) -> tuple[list[tuple[str, str]], bool, str]:
    declaration = with_fault(SINGLE_FAULT_BASES[base], path, value)
    result = level.provider().check({}, {**declaration, "__provider": PROVIDER_BLOB})
    valid, why, _ = expected_verdict(level, wire_body(declaration))
    return [(f.property, f.reason) for f in result.failures], valid, why


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(("version", "base", "path", "value"), cases(ONE_FAULT_AT))
def test_check_agrees_on_each_single_fault(
    levels: Levels, version: str, base: str, path: str, value: Any
) -> None:
    problems, valid, why = single_fault_verdicts(levels[version], base, path, value)
    assert (not problems) == valid, f"check says {problems or 'valid'}; {why}"


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(("version", "base", "path", "value"), cases(WRONG_TYPES_AT))
def test_check_judges_json_types_as_the_sdk_model_does(
    levels: Levels, version: str, base: str, path: str, value: Any
) -> None:
    """A boolean field takes true or false, an integer field an integer (reference section
    2; the SDK model refuses "yes", 1 or "500" there). An integral number is an integer:
    that is how the engine carries a program's integers."""
    problems, valid, why = single_fault_verdicts(levels[version], base, path, value)
    assert (not problems) == valid, f"check says {problems or 'valid'}; {why}"


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("version", LEVELS)
def test_check_agrees_with_the_sdk_model_and_the_server(levels: Levels, version: str) -> None:
    level = levels[version]
    provider = level.provider()
    seen = {"examples": 0, "valid": 0, "sdk": 0, "narrowing": 0, "server": 0, "accepted": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(declaration=DRAWN_AT[version])
    def agree(declaration: dict[str, Any]) -> None:
        # check must never raise, whatever it is given.
        result = provider.check({}, {**declaration, "__provider": PROVIDER_BLOB})
        problems = [(f.property, f.reason) for f in result.failures]
        valid, why, decided = expected_verdict(level, wire_body(declaration))
        seen["examples"] += 1
        seen["valid"] += valid
        seen[decided] += 1
        assert (not problems) == valid, f"check says {problems or 'valid'}; {why}"

    agree()
    assert seen["examples"] >= EXAMPLES
    # Valid and invalid declarations, and refusals on each oracle's word, in earnest.
    assert EXAMPLES // 10 <= seen["valid"] <= seen["examples"] - EXAMPLES // 10, seen
    assert seen["sdk"] >= EXAMPLES // 10, seen
    assert seen["server"] >= EXAMPLES // 10, seen
