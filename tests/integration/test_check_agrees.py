"""check agrees with the API: a property-based comparison of three verdicts on generated
declarations, valid and invalid (at least 300 per run):

- the provider's ``check`` (it must never raise);
- the official ``mixpeek==1.3.1`` request model, ``CreateClusterRequest.from_dict`` (the
  contract's schema, with its own wrapper types);
- a real ``mixpeek-emulator`` process, which answers the create POST.

Every example gets a namespace of its own, so a name is never taken by an earlier example:
everything the server refuses is then knowable without it, and check must refuse it too; what
the server accepts, check must accept. What the SDK model refuses, check must refuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import mixpeek
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_mixpeek.models.config import MODEL_NAMES
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider

from tests.integration.conftest import KEY, configured
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import PROVIDER_BLOB

pytestmark = pytest.mark.integration

EXAMPLES = 300

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


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


VECTOR_CONFIG = st.fixed_dictionaries(
    {"clustering_method": METHODS},
    optional={
        "feature_uris": maybe(st.lists(ANY_URI, max_size=3)),
        "feature_uri": ANY_URI,
        "algorithm_params": maybe(
            st.dictionaries(
                st.sampled_from(["n_clusters", "min_cluster_size", "eps"]),
                st.integers(1, 20),
                max_size=2,
            )
        ),
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
        "weight_learning_config": st.fixed_dictionaries(
            {}, optional={"max_iterations": st.integers(0, 120)}
        ),
    },
)
ATTRIBUTE_CONFIG = st.fixed_dictionaries(
    {"attributes": st.lists(st.sampled_from(["brand", "color", "size", "", " "]), max_size=3)},
    optional={
        "aggregation_method": st.sampled_from(["most_frequent", "first", "last", "median"]),
        "hierarchical_grouping": st.booleans(),
    },
)
LLM_LABELING = st.fixed_dictionaries(
    {},
    optional={
        "enabled": st.booleans(),
        "model_name": st.sampled_from([*MODEL_NAMES, "gpt-5-turbo"]),
        "provider": st.sampled_from(["openai", "google", "anthropic", "mistral"]),
        "max_samples_per_cluster": st.integers(0, 25),
        "sample_text_max_length": st.integers(0, 600),
        "labeling_inputs": st.fixed_dictionaries(
            {
                "input_mappings": st.lists(
                    st.fixed_dictionaries(
                        {"input_key": st.sampled_from(["title", ""])},
                        optional={"source_type": st.sampled_from(["payload", "file"])},
                    ),
                    max_size=2,
                )
            }
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
DECLARATIONS = st.fixed_dictionaries(
    {"collection_ids": st.lists(st.sampled_from(["col_a", "col_b", "", " "]), max_size=3)},
    optional={
        "cluster_type": maybe(st.sampled_from(["vector", "attribute", "graph"])),
        "vector_config": maybe(VECTOR_CONFIG),
        "attribute_config": maybe(ATTRIBUTE_CONFIG),
        "filters": maybe(
            st.sampled_from(
                [{"AND": [{"field": "lang", "operator": "eq", "value": "en"}]}, {"kind": "doc"}]
            )
        ),
        "llm_labeling": maybe(LLM_LABELING),
        "enrich_source_collection": maybe(st.booleans()),
        "source_enrichment_config": maybe(SOURCE_ENRICHMENT),
        "cluster_name": maybe(st.sampled_from(["products", "", " ", "two words"])),
        "clustr_name": st.just("typo"),
    },
)


#: Declarations that are mostly valid (the mixed ones above are mostly not), so both sides
#: of the comparison are exercised in earnest.
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
                },
            ),
        },
        optional={
            "cluster_type": st.just("vector"),
            "cluster_name": st.sampled_from(["products", "catalogue"]),
            "llm_labeling": st.fixed_dictionaries(
                {"enabled": st.booleans()},
                optional={"model_name": st.sampled_from(MODEL_NAMES)},
            ),
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


def without_nones(value: Any) -> Any:
    """What the provider would send: ``exclude_none``, at every level."""
    if isinstance(value, dict):
        return {k: without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nones(v) for v in value]
    return value


def sdk_accepts(body: dict[str, Any]) -> bool:
    try:
        mixpeek.CreateClusterRequest.from_dict(body)
    except Exception:  # noqa: BLE001 - any refusal of the official model counts
        return False
    return True


@pytest.fixture(scope="module")
def agreement_server(emulator: Emulator) -> Iterator[Emulator]:
    emulator.reset(data=True)
    yield emulator
    emulator.reset(data=True)


def test_check_agrees_with_the_sdk_model_and_the_server(
    agreement_server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    provider: ClusterProvider = configured(agreement_server)
    seen = {"examples": 0, "valid": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(declaration=st.one_of(VALID_LEANING, DECLARATIONS))
    def agree(declaration: dict[str, Any]) -> None:
        result = provider.check({}, {**declaration, "__provider": PROVIDER_BLOB})  # never raises
        problems = [(f.property, f.reason) for f in result.failures]
        body = without_nones(declaration)
        response = agreement_server.api(
            "POST",
            "/v1/clusters",
            key=KEY,
            namespace=f"ns-agree-{uuid.uuid4().hex[:12]}",
            json=body,
        )
        assert response.status_code in (200, 400, 422), response.text
        server_ok = response.status_code == 200
        seen["examples"] += 1
        seen["valid"] += server_ok
        assert (not problems) == server_ok, (
            f"check says {problems or 'valid'}; the server answered "
            f"{response.status_code} {response.text[:400]}"
        )
        if not sdk_accepts(body):
            assert problems, "the SDK's model refuses it, check must too"

    agree()
    assert seen["examples"] >= EXAMPLES
    # Both kinds were generated in earnest.
    assert EXAMPLES // 10 <= seen["valid"] <= seen["examples"] - EXAMPLES // 10, seen
