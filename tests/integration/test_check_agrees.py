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
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any, get_args

import mixpeek
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_mixpeek.models.config import MODEL_NAMES
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from tests.integration.conftest import KEY, configured
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import PROVIDER_BLOB

pytestmark = pytest.mark.integration

EXAMPLES = 400

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


def provider_narrowing(body: dict[str, Any]) -> str | None:
    """Why the provider refuses a body the API takes, when it deliberately does."""
    vector = body.get("vector_config")
    if isinstance(vector, dict) and any(name in vector for name in internal_fields()):
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
    """Where the server says the body is wrong: a 422's ``detail[].loc`` or a 400's
    ``error.details.field``, dotted, list positions left out."""
    body = response.json()
    if response.status_code == 422:
        return [
            ".".join(str(p) for p in item["loc"][1:] if not isinstance(p, int))
            for item in body.get("detail") or []
        ]
    details = (body.get("error") or {}).get("details") or {}
    return [str(details["field"])] if "field" in details else []


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
}


def with_fault(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    declaration = copy.deepcopy(base)
    target = declaration
    *parents, last = path.split(".")
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = copy.deepcopy(value)
    return declaration


def base_for(path: str) -> str:
    return "attribute" if path.startswith("attribute_config") else "vector"


def cases(faults: dict[str, list[Any]]) -> list[Any]:
    return [
        pytest.param(base_for(path), path, value, id=f"{path}={value!r}"[:80])
        for path, values in faults.items()
        for value in values
    ]


@st.composite
def one_fault(draw: st.DrawFn) -> dict[str, Any]:
    """A valid-leaning declaration with one field set to a value listed for it."""
    declaration: dict[str, Any] = draw(VALID_LEANING)
    applicable = [
        path for path in ONE_FAULT
        if path.split(".")[0] not in ("vector_config", "attribute_config")
        or path.split(".")[0] in declaration
    ]
    path = draw(st.sampled_from(applicable))
    return with_fault(declaration, path, draw(st.sampled_from(ONE_FAULT[path])))


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


# -- tests ------------------------------------------------------------------------------


def test_the_rules_left_to_the_server_are_the_sdk_models_own_words() -> None:
    """Every place the server is trusted at is a field of the SDK model, and where a rule is
    cited, the SDK states it in that field's description (its schema does not enforce it)."""
    for place, (field, words) in LEFT_TO_THE_SERVER.items():
        sdk_field(place)
        if words is not None:
            assert words in (sdk_field(field).description or ""), (place, words)
    assert internal_fields() == ["feature_extractor_name", "output_name", "version"]


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


@pytest.mark.parametrize("field", ["feature_extractor_name", "version", "output_name"])
def test_check_refuses_the_fields_the_sdk_calls_internal(field: str) -> None:
    """The SDK model takes them (its schema has them); its description says not to set them
    and the reference's mapping says not to expose them: check refuses them."""
    declaration = {
        "collection_ids": ["col_a"],
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
            field: "text_extractor",
        },
    }
    assert sdk_refusal(declaration) is None
    assert provider_narrowing(declaration) is not None

    result = ClusterProvider().check({}, {**declaration, "__provider": PROVIDER_BLOB})

    assert [f.property for f in result.failures] == [f"vector_config.{field}"]


def test_check_refuses_a_name_that_reads_as_a_cluster_id() -> None:
    """The SDK model takes any string; GET /v1/clusters/{identifier} takes an id or a name
    and ids read ``clust_...``, so the provider, which finds clusters by name, refuses it."""
    declaration = {
        "collection_ids": ["col_a"],
        "cluster_name": "clust_5d1c0e2b",
        "vector_config": {
            "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
            "clustering_method": "kmeans",
        },
    }
    assert sdk_refusal(declaration) is None
    assert provider_narrowing(declaration) is not None

    result = ClusterProvider().check({}, {**declaration, "__provider": PROVIDER_BLOB})

    assert [f.property for f in result.failures] == ["cluster_name"]


def expected_verdict(server: Emulator, body: dict[str, Any]) -> tuple[bool, str, str]:
    """(valid?, on whose word, which oracle decided: "sdk", "narrowing", "server" or
    "accepted")."""
    refusal = sdk_refusal(body)
    if refusal is not None:
        return False, f"the SDK model refuses it: {refusal[:400]}", "sdk"
    narrowed = provider_narrowing(body)
    if narrowed is not None:
        return False, f"the SDK model and the server take it, but {narrowed}", "narrowing"
    response = server.api(
        "POST",
        "/v1/clusters",
        key=KEY,
        namespace=f"ns-agree-{uuid.uuid4().hex[:12]}",
        json=body,
    )
    assert response.status_code in (200, 400, 422), response.text
    if response.status_code == 200:
        return True, "the SDK model and the server accept it", "accepted"
    places = refusal_places(response)
    unread = unread_keys(body)
    counted = [p for p in places if p in unread or p in LEFT_TO_THE_SERVER]
    answer = f"{response.status_code} {response.text[:400]}"
    if not counted:
        return True, (
            f"the SDK model accepts it; the server's refusal ({answer}) is at {places}, "
            "which the SDK model judges"
        ), "accepted"
    return False, f"the SDK model cannot judge {counted}; the server answered {answer}", "server"


@pytest.fixture(scope="module")
def agreement_server(emulator: Emulator) -> Iterator[Emulator]:
    emulator.reset(data=True)
    yield emulator
    emulator.reset(data=True)


@pytest.fixture
def agreement_provider(
    agreement_server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> ClusterProvider:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider: ClusterProvider = configured(agreement_server)
    return provider


def single_fault_verdicts(
    server: Emulator, provider: ClusterProvider, base: str, path: str, value: Any
) -> tuple[list[tuple[str, str]], bool, str]:
    declaration = with_fault(SINGLE_FAULT_BASES[base], path, value)
    result = provider.check({}, {**declaration, "__provider": PROVIDER_BLOB})
    valid, why, _ = expected_verdict(server, wire_body(declaration))
    return [(f.property, f.reason) for f in result.failures], valid, why


@pytest.mark.parametrize(("base", "path", "value"), cases(ONE_FAULT))
def test_check_agrees_on_each_single_fault(
    agreement_server: Emulator, agreement_provider: ClusterProvider,
    base: str, path: str, value: Any,
) -> None:
    problems, valid, why = single_fault_verdicts(
        agreement_server, agreement_provider, base, path, value
    )
    assert (not problems) == valid, f"check says {problems or 'valid'}; {why}"


@pytest.mark.parametrize(("base", "path", "value"), cases(WRONG_TYPES))
def test_check_judges_json_types_as_the_sdk_model_does(
    agreement_server: Emulator, agreement_provider: ClusterProvider,
    base: str, path: str, value: Any,
) -> None:
    """A boolean field takes true or false, an integer field an integer (reference section
    2; the SDK model refuses "yes", 1 or "500" there). An integral number is an integer:
    that is how the engine carries a program's integers."""
    problems, valid, why = single_fault_verdicts(
        agreement_server, agreement_provider, base, path, value
    )
    assert (not problems) == valid, f"check says {problems or 'valid'}; {why}"


def test_check_agrees_with_the_sdk_model_and_the_server(
    agreement_server: Emulator, agreement_provider: ClusterProvider
) -> None:
    seen = {"examples": 0, "valid": 0, "sdk": 0, "narrowing": 0, "server": 0, "accepted": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(declaration=st.one_of(VALID_LEANING, one_fault(), DECLARATIONS))
    def agree(declaration: dict[str, Any]) -> None:
        # check must never raise, whatever it is given.
        result = agreement_provider.check({}, {**declaration, "__provider": PROVIDER_BLOB})
        problems = [(f.property, f.reason) for f in result.failures]
        valid, why, decided = expected_verdict(agreement_server, wire_body(declaration))
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
