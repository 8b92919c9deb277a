"""What each API level lets a Cluster declare, without a server: the fields, keys and values
of ``levels.py`` against the official SDKs, check at each level (a field or value the level
lacks fails, naming its path and the level), composite clusters, the create and PATCH bodies
of each level (a 1.3.1 body never carries a key of 1.3.783), what updates in place at
1.3.783, and refresh -> preview without spurious diffs where the levels' defaults differ.

The seed level's oracle is the installed ``mixpeek`` 1.3.1 (imported). Today's is the SDK
1.3.783, written out here as literals, each with the SDK file it comes from (its models'
``__properties``, enum members and field defaults)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import mixpeek
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.levels import (
    API_VERSIONS,
    LEVEL_SECTIONS,
    SEED_API_VERSION,
    TODAY_API_VERSION,
    api_level,
)
from pulumi_mixpeek.models import (
    ClusterMetadata,
    CreateClusterRequest,
    PatchClusterRequest,
)
from pulumi_mixpeek.models.config import (
    MODEL_NAMES,
    MODEL_PROVIDERS,
    ClusteringAlgorithm,
    FaceClusterMergeConfig,
    LLMLabelingInput,
    LLMProvider,
    VectorBasedConfig,
)
from pulumi_mixpeek.models.declaration import ClusterDeclaration
from pulumi_mixpeek.normalize import canonical_inputs
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.state import build_outputs

from tests.unit.cluster_helpers import PROVIDER_BLOB, URI_A, VECTOR, outcome

pytestmark = pytest.mark.unit

SEED, TODAY = SEED_API_VERSION, TODAY_API_VERSION

# -- the oracle: SDK 1.3.783 ---------------------------------------------------------------
#: mixpeek/models/create_cluster_request.py: CreateClusterRequest.__properties.
TODAY_CREATE_KEYS = {
    "collection_ids", "source_cluster_ids", "cluster_name", "description", "metadata",
    "cluster_type", "vector_config", "attribute_config", "filters", "llm_labeling",
    "enrich_source_collection", "source_enrichment_config", "auto_execute_on_batch",
    "auto_execute_min_documents", "auto_execute_cooldown_seconds",
}
#: mixpeek/models/vector_based_config_input.py: VectorBasedConfigInput.__properties.
TODAY_VECTOR_KEYS = {
    "feature_uri", "feature_uris", "feature_extractor_name", "version", "output_name",
    "clustering_method", "sample_size", "kmeans_parameters", "dbscan_parameters",
    "hdbscan_parameters", "algorithm_params", "multi_feature_strategy", "normalize_features",
    "feature_weights", "weight_learning_config", "output_strategy", "effective_feature_method",
    "enrich_source", "face_cluster_merge", "preprocessing_steps", "hierarchical",
    "max_hierarchy_depth", "vis_n_components", "layout_stability",
}
#: mixpeek/models/llm_labeling_input.py: LLMLabelingInput.__properties.
TODAY_LABELING_KEYS = {
    "enabled", "labeling_inputs", "provider", "model_name", "include_summary",
    "include_keywords", "max_samples_per_cluster", "sample_text_max_length",
    "sample_selection_strategy", "use_embedding_dedup", "embedding_similarity_threshold",
    "cache_ttl_seconds", "labeling_context", "custom_prompt", "response_shape", "parameters",
    "candidate_labels",
}
#: mixpeek/models/clustering_algorithm.py: ClusteringAlgorithm's members.
TODAY_METHODS = {
    "kmeans", "dbscan", "hdbscan", "agglomerative", "spectral", "gaussian_mixture",
    "mean_shift", "optics", "leiden", "evoc", "attribute_based", "auto",
}
#: mixpeek/models/llm_provider.py: LLMProvider's members.
TODAY_PROVIDERS = {"openai", "google", "anthropic", "typesafe"}
#: The models of each provider: mixpeek/models/open_ai_model.py, google_model.py,
#: anthropic_model.py and type_safe_model.py (ModelName, model_name.py, is anyOf them).
TODAY_MODELS = {
    "openai": {
        "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14", "o3-mini-2025-01-31",
    },
    "google": {
        "gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-3.1-flash-lite",
        "gemini-3.5-flash-lite",
    },
    "anthropic": {
        "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-3-5-sonnet-20241022",
        "claude-3-5-haiku-20241022",
    },
    "typesafe": {"jev-latest", "jev-preview", "jev-1.13.0"},
}
#: The field defaults of the models above that differ from 1.3.1's or are new:
#: create_cluster_request.py (auto_execute_*), vector_based_config_input.py (hierarchical,
#: max_hierarchy_depth, vis_n_components), llm_labeling_input.py (the labeling defaults,
#: reference section 6).
TODAY_DEFAULTS = {
    "auto_execute_on_batch": False,
    "auto_execute_cooldown_seconds": 3600,
    "vector_config.hierarchical": False,
    "vector_config.max_hierarchy_depth": 3,
    "vector_config.vis_n_components": 2,
    "llm_labeling.max_samples_per_cluster": None,
    "llm_labeling.sample_selection_strategy": "nearest",
    "llm_labeling.use_embedding_dedup": True,
}
#: mixpeek/models/face_cluster_merge_config.py: FaceClusterMergeConfig's fields and defaults.
TODAY_FACE_MERGE = {
    "enabled": True, "centroid_cosine_threshold": 0.55, "bbox_iou_threshold": 0.4,
    "scene_jaccard_threshold": 0.3, "bbox_field": "bbox", "frame_field": "frame_number",
    "scene_field": "scene_id",
}


def at(version: str) -> ClusterProvider:
    provider = ClusterProvider()
    provider.configure(ConfigureRequest(Config({"mixpeek:apiVersion": version}, "proj")))
    return provider


def failures(version: str, declaration: dict[str, Any]) -> dict[str, str]:
    """Each failure by its property path (the engine gets them as ``check`` shapes them,
    tests/unit/test_boundary.py)."""
    result = at(version).check_inputs({}, {**declaration, "__provider": PROVIDER_BLOB})
    found = {f.property: f.reason for f in result.failures}
    assert len(found) == len(result.failures), "one failure per property"
    return found


def checked_at(version: str, declaration: dict[str, Any]) -> dict[str, Any]:
    result = at(version).check({}, {**declaration, "__provider": PROVIDER_BLOB})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return {**result.inputs, "__provider": PROVIDER_BLOB}


def vector(**config: Any) -> dict[str, Any]:
    return {**VECTOR, "vector_config": {**VECTOR["vector_config"], **config}}


def labeled(**config: Any) -> dict[str, Any]:
    return {**VECTOR, "llm_labeling": {"enabled": True, **config}}


# -- levels.py against the SDKs ------------------------------------------------------------
def _seed_keys(model: type) -> set[str]:
    return set(model.model_fields)  # type: ignore[attr-defined]


def test_the_seed_levels_fields_are_the_sdk_1_3_1_models() -> None:
    seed = api_level(SEED)
    # PatchClusterRequest adds description and metadata, set by PATCH at 1.3.1.
    assert seed.keys("") == _seed_keys(mixpeek.CreateClusterRequest) | {"description", "metadata"}
    assert seed.keys("vector_config") == _seed_keys(mixpeek.VectorBasedConfigInput)
    assert seed.keys("llm_labeling") == _seed_keys(mixpeek.LLMLabelingInput)
    assert set(seed.values["vector_config.clustering_method"]) == {
        m.value for m in mixpeek.ClusteringAlgorithm
    }
    assert set(seed.values["llm_labeling.provider"]) == {p.value for p in mixpeek.LLMProvider}
    assert set(seed.values["llm_labeling.model_name"]) == {
        m.value for e in (mixpeek.OpenAIModel, mixpeek.GoogleModel, mixpeek.AnthropicModel)
        for m in e
    }
    labeling = mixpeek.LLMLabelingInput.model_fields
    for key, default in seed.section_defaults("llm_labeling").items():
        assert labeling[key].default == default, key


def test_todays_level_fields_are_the_sdk_1_3_783_models() -> None:
    today = api_level(TODAY)
    assert today.keys("") == TODAY_CREATE_KEYS
    assert today.keys("vector_config") == TODAY_VECTOR_KEYS
    assert today.keys("llm_labeling") == TODAY_LABELING_KEYS
    assert set(today.values["vector_config.clustering_method"]) == TODAY_METHODS
    assert set(today.values["llm_labeling.provider"]) == TODAY_PROVIDERS
    assert set(today.values["llm_labeling.model_name"]) == set().union(*TODAY_MODELS.values())
    assert dict(today.defaults) == TODAY_DEFAULTS
    assert today.maxima == {"vector_config.sample_size": 1_000_000}  # le=1000000


def test_the_models_take_every_levels_fields_and_values() -> None:
    union = set().union(*(api_level(v).fields for v in API_VERSIONS))
    assert {p for p in union if "." not in p} <= set(ClusterDeclaration.model_fields)
    assert {p for p in union if "." not in p} <= set(CreateClusterRequest.model_fields) | {
        "description", "metadata",
    }
    assert api_level(TODAY).keys("vector_config") == set(VectorBasedConfig.model_fields)
    assert api_level(TODAY).keys("llm_labeling") == set(LLMLabelingInput.model_fields)
    values = [api_level(v).values for v in API_VERSIONS]
    assert {m.value for m in ClusteringAlgorithm} == set().union(
        *(v["vector_config.clustering_method"] for v in values)
    )
    assert {p.value for p in LLMProvider} == set().union(
        *(v["llm_labeling.provider"] for v in values)
    )
    assert set(MODEL_NAMES) == set().union(*(v["llm_labeling.model_name"] for v in values))
    for provider, names in TODAY_MODELS.items():
        assert {n for n in names if MODEL_PROVIDERS[n] == provider} == names
    assert {k: f.default for k, f in FaceClusterMergeConfig.model_fields.items()} == (
        TODAY_FACE_MERGE
    )


def test_every_today_in_place_path_has_its_patch_key_in_the_patch_model() -> None:
    for path, key in api_level(TODAY).in_place.items():
        assert key in PatchClusterRequest.model_fields, path


# -- check: fields and keys ------------------------------------------------------------------
#: One valid value of every field and key today's level adds.
TODAY_ONLY: dict[str, Any] = {
    "auto_execute_on_batch": True,
    "auto_execute_min_documents": 500,
    "auto_execute_cooldown_seconds": 600,
    "vector_config.face_cluster_merge": {"enabled": True, "centroid_cosine_threshold": 0.6},
    "vector_config.preprocessing_steps": [
        {"method": "whitening"}, {"method": "umap", "n_components": 20},
    ],
    "vector_config.hierarchical": True,
    "vector_config.max_hierarchy_depth": 2,
    "vector_config.vis_n_components": 3,
    "vector_config.layout_stability": "transform",
    "llm_labeling.sample_selection_strategy": "representative",
    "llm_labeling.labeling_context": "Scenes from pharmaceutical TV ads",
    "llm_labeling.candidate_labels": ["Testimonial", "Product shot"],
}


def declaring(path: str, value: Any) -> dict[str, Any]:
    section, _, key = path.partition(".")
    if not key:
        return {**VECTOR, section: value}
    if section == "vector_config":
        return vector(**{key: value})
    return labeled(**{key: value})


def test_every_field_today_adds_is_listed_here() -> None:
    added = api_level(TODAY).fields - api_level(SEED).fields
    assert added == set(TODAY_ONLY) | {"source_cluster_ids"}


@pytest.mark.parametrize(("path", "value"), TODAY_ONLY.items(), ids=list(TODAY_ONLY))
def test_a_field_of_todays_level_fails_at_the_seed_naming_it_and_the_level(
    path: str, value: Any
) -> None:
    found = failures(SEED, declaring(path, value))
    assert list(found) == [path]
    assert found[path].startswith("needs API level 1.3.783 (mixpeek:apiVersion is 1.3.1)")
    assert failures(TODAY, declaring(path, value)) == {}


def test_a_faulty_field_of_todays_level_fails_at_the_seed_for_the_level_only() -> None:
    # The level's word, not the model's on its nested keys.
    found = failures(SEED, vector(face_cluster_merge={"bbox_iou_threshold": 7}))
    assert list(found) == ["vector_config.face_cluster_merge"]
    assert "1.3.783" in found["vector_config.face_cluster_merge"]


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("vector_config.max_hierarchy_depth", 6, "less than or equal to 5"),
        ("vector_config.vis_n_components", 4, "2 or 3"),
        ("vector_config.layout_stability", "frozen", "'frozen'"),
        ("vector_config.hierarchical", "yes", "boolean"),
        ("vector_config.face_cluster_merge", {"centroid_cosine_threshold": 1.5}, "1"),
        ("vector_config.preprocessing_steps", [{"method": "pca"}], "'pca'"),
        ("vector_config.preprocessing_steps", [{"n_components": 5}], "method"),
        ("vector_config.preprocessing_steps", [{"method": "umap", "n_components": 1}], "2"),
        ("vector_config.preprocessing_steps", [{"method": "none", "n_neighbors": 3}], "unknown"),
        ("llm_labeling.sample_selection_strategy", "random", "'random'"),
        ("llm_labeling.labeling_context", "x" * 2001, "2000"),
        ("llm_labeling.candidate_labels", [f"l{i}" for i in range(256)], "255"),
        ("auto_execute_min_documents", "many", "integer"),
        ("auto_execute_on_batch", 1, "boolean"),
    ],
)
def test_todays_fields_are_validated_at_todays_level(path: str, value: Any, words: str) -> None:
    found = failures(TODAY, declaring(path, value))
    assert found, found
    (prop, reason), *_ = found.items()
    assert prop.startswith(path), found
    assert words in reason, reason


def test_sample_size_is_bounded_at_todays_level_only() -> None:
    # vector_based_config_input.py: sample_size le=1000000 (1.3.1: no bound).
    assert failures(SEED, vector(sample_size=2_000_000)) == {}
    found = failures(TODAY, vector(sample_size=2_000_000))
    assert found == {
        "vector_config.sample_size": "must be at most 1000000 at API level 1.3.783 (got 2000000)"
    }
    assert failures(TODAY, vector(sample_size=1_000_000)) == {}


# -- check: values -----------------------------------------------------------------------------
NEW_METHODS = sorted(TODAY_METHODS - {m.value for m in mixpeek.ClusteringAlgorithm})
NEW_MODELS = sorted(
    set().union(*TODAY_MODELS.values())
    - {m.value for e in (mixpeek.OpenAIModel, mixpeek.GoogleModel, mixpeek.AnthropicModel)
       for m in e}
)


def test_the_new_values_are_the_ones_the_issue_names() -> None:
    assert NEW_METHODS == ["auto", "evoc", "leiden"]
    assert "typesafe" in TODAY_PROVIDERS
    assert {"gemini-2.5-flash", "claude-sonnet-4-5-20250929", "jev-latest"} <= set(NEW_MODELS)


@pytest.mark.parametrize("method", NEW_METHODS)
def test_a_new_clustering_method_needs_todays_level(method: str) -> None:
    found = failures(SEED, vector(clustering_method=method))
    assert list(found) == ["vector_config.clustering_method"]
    assert found["vector_config.clustering_method"].startswith(
        f"{method!r} needs API level 1.3.783 (mixpeek:apiVersion is 1.3.1); at 1.3.1 use one "
        "of: kmeans, dbscan"
    )
    assert failures(TODAY, vector(clustering_method=method)) == {}


def test_the_typesafe_provider_needs_todays_level() -> None:
    declaration = labeled(provider="typesafe", candidate_labels=["A", "B"])
    found = failures(SEED, declaration)
    assert found["llm_labeling.provider"].startswith("'typesafe' needs API level 1.3.783")
    assert "llm_labeling.candidate_labels" in found  # a key 1.3.1 lacks too
    assert failures(TODAY, declaration) == {}


@pytest.mark.parametrize("model", NEW_MODELS)
def test_a_new_model_needs_todays_level(model: str) -> None:
    extra = {"candidate_labels": ["A", "B"]} if MODEL_PROVIDERS[model] == "typesafe" else {}
    declaration = labeled(model_name=model, **extra)
    found = failures(SEED, declaration)
    assert found["llm_labeling.model_name"].startswith(f"{model!r} needs API level 1.3.783")
    assert failures(TODAY, declaration) == {}


@pytest.mark.parametrize("model", ["gemini-2.0-flash", "gemini-2.0-flash-exp"])
def test_the_dropped_gemini_models_fail_at_todays_level_naming_the_google_ones(model: str) -> None:
    assert failures(SEED, labeled(model_name=model)) == {}
    found = failures(TODAY, labeled(model_name=model))
    assert found == {
        "llm_labeling.model_name": f"{model!r} is not offered by API level 1.3.783 (only by "
        "1.3.1); use one of: gemini-2.5-flash-lite, gemini-2.5-flash, gemini-2.5-pro, "
        "gemini-3.1-flash-lite, gemini-3.5-flash-lite"
    }


@pytest.mark.parametrize("version", API_VERSIONS)
def test_a_value_of_no_level_lists_the_levels_values(version: str) -> None:
    found = failures(version, vector(clustering_method="kmeanz"))
    reason = found["vector_config.clustering_method"]
    assert reason.startswith("must be one of kmeans, ") and f"at API level {version}" in reason
    assert ("leiden" in reason) == (version == TODAY)


def test_a_model_must_belong_to_the_declared_provider_at_todays_level() -> None:
    found = failures(TODAY, labeled(provider="anthropic", model_name="gemini-2.5-pro"))
    assert "'gemini-2.5-pro' is a google model" in found["llm_labeling.provider"]


@pytest.mark.parametrize(
    ("labeling", "valid"),
    [
        ({"provider": "typesafe"}, False),
        ({"model_name": "jev-latest"}, False),  # the provider inferred from the model
        ({"provider": "typesafe", "candidate_labels": ["A"]}, True),
        ({"provider": "typesafe", "candidate_labels": {"A": "what belongs under A"}}, True),
        ({"provider": "typesafe", "response_shape": {"type": "object"}}, True),
        ({"provider": "typesafe", "response_shape": "a label"}, False),
        ({"provider": "typesafe", "enabled": False}, True),
    ],
)
def test_typesafe_labeling_needs_candidate_labels(labeling: dict[str, Any], valid: bool) -> None:
    # llm_labeling_input.py (candidate_labels): "REQUIRED when provider is 'typesafe' (Jev)
    # unless response_shape is an explicit schema of closed-set fields".
    found = failures(TODAY, labeled(**labeling))
    assert (found == {}) == valid, found
    if not valid:
        assert list(found) == ["llm_labeling.candidate_labels"]


# -- check: composite clusters ---------------------------------------------------------------
COMPOSITE = {
    "cluster_name": "all-products",
    "source_cluster_ids": ["clust_a", "clust_b"],
    "vector_config": {"feature_uris": [URI_A], "clustering_method": "hdbscan"},
}


def test_a_composite_cluster_may_leave_collection_ids_out_at_todays_level() -> None:
    # create_cluster_request.py: collection_ids "Required unless source_cluster_ids is set".
    assert failures(TODAY, COMPOSITE) == {}
    assert failures(TODAY, {**COMPOSITE, "collection_ids": ["col_a"]}) == {}
    found = failures(SEED, COMPOSITE)
    assert found == {
        "collection_ids": "required",
        "source_cluster_ids": "needs API level 1.3.783 (mixpeek:apiVersion is 1.3.1); set "
        "mixpeek:apiVersion to 1.3.783 or remove it",
    }


def test_without_collection_ids_or_sources_check_names_both_at_todays_level() -> None:
    declaration = {k: v for k, v in COMPOSITE.items() if k != "source_cluster_ids"}
    assert failures(TODAY, declaration) == {
        "collection_ids": "required unless source_cluster_ids is set (a composite cluster)"
    }
    assert failures(SEED, declaration) == {"collection_ids": "required"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"source_cluster_ids": []}, "at least 1"),
        ({"source_cluster_ids": ["clust_a", "clust_a"]}, "twice"),
        ({"source_cluster_ids": ["clust_a", " "]}, "empty"),
        (
            {"vector_config": None, "cluster_type": "attribute",
             "attribute_config": {"attributes": ["brand"]}},
            "vector cluster",
        ),
    ],
)
def test_composite_rules(change: dict[str, Any], words: str) -> None:
    declaration = {k: v for k, v in {**COMPOSITE, **change}.items() if v is not None}
    found = failures(TODAY, declaration)
    assert words in found["source_cluster_ids"], found


# -- the canonical form: each level's defaults -----------------------------------------------
def test_each_levels_labeling_defaults_are_dropped_and_the_others_kept() -> None:
    seed_defaults = {"use_embedding_dedup": False, "max_samples_per_cluster": 10}
    today_defaults = {"use_embedding_dedup": True, "sample_selection_strategy": "nearest"}
    seed = api_level(SEED)
    today = api_level(TODAY)
    plain = canonical_inputs(labeled(), level=today)["llm_labeling"]
    assert plain == {"enabled": True}
    assert canonical_inputs(labeled(**today_defaults), level=today)["llm_labeling"] == plain
    assert canonical_inputs(labeled(**seed_defaults), level=today)["llm_labeling"] == {
        "enabled": True, **seed_defaults,
    }
    assert canonical_inputs(labeled(**seed_defaults), level=seed)["llm_labeling"] == plain
    assert canonical_inputs(labeled(max_samples_per_cluster=None), level=seed) == (
        canonical_inputs(labeled(), level=seed)
    )


def test_todays_new_defaults_are_dropped() -> None:
    today = api_level(TODAY)
    declared = {
        **vector(hierarchical=False, max_hierarchy_depth=3, vis_n_components=2),
        "auto_execute_on_batch": False,
        "auto_execute_cooldown_seconds": 3600,
    }
    assert canonical_inputs(declared, level=today) == canonical_inputs(VECTOR, level=today)
    kept = canonical_inputs({**vector(hierarchical=True), "auto_execute_on_batch": True},
                            level=today)
    assert kept["vector_config"]["hierarchical"] is True and kept["auto_execute_on_batch"]


@pytest.mark.parametrize("version", API_VERSIONS)
def test_the_canonical_form_is_idempotent_at_each_level(version: str) -> None:
    level = api_level(version)
    declared = {
        **vector(hierarchical=True, face_cluster_merge={"enabled": False},
                 preprocessing_steps=[{"method": "umap", "n_components": 50.0}]),
        "llm_labeling": {"enabled": True, "use_embedding_dedup": False,
                         "max_samples_per_cluster": 10, "sample_selection_strategy": "nearest"},
        "auto_execute_cooldown_seconds": 3600.0,
    }
    once = canonical_inputs(declared, level=level)
    assert canonical_inputs(once, level=level) == once


# -- create, update, refresh against a fake API ----------------------------------------------
class FakeApi:
    """Enough of the Clusters API for create, GET and PATCH: it stores the create body and
    answers as the level's server would (at 1.3.783: the labeling defaults filled in, the
    composite's inputs taken from its sources)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.requests: list[tuple[str, str, Any]] = []
        self.body: dict[str, Any] = {}

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, request.url.path, body))
        if request.method == "POST" and request.url.path == "/v1/clusters":
            self.body = body
            return httpx.Response(200, json=self.metadata())
        if request.method == "PATCH":
            self.body.update({k: v for k, v in body.items() if k not in ("sample_size",)})
            return httpx.Response(200, json={"cluster_id": "clust_1"})
        if request.method == "GET":
            return httpx.Response(200, json=self.metadata())
        raise AssertionError(f"unexpected {request.method} {request.url.path}")

    def metadata(self) -> dict[str, Any]:
        body = self.body
        vector_config = body.get("vector_config") or {}
        labeling = body.get("llm_labeling")
        if labeling is not None and self.version == TODAY:
            labeling = {"max_samples_per_cluster": None, "provider": "openai", **labeling}
        return {
            "cluster_id": "clust_1",
            "cluster_name": body.get("cluster_name"),
            "namespace_id": "ns_1",
            "input_collections": body.get("collection_ids") or ["col_from_sources"],
            "cluster_type": body.get("cluster_type") or "vector",
            "feature_uris": vector_config.get("feature_uris"),
            "algorithm": vector_config.get("clustering_method"),
            "algorithm_params": vector_config.get("algorithm_params"),
            "multi_feature_strategy": vector_config.get("multi_feature_strategy"),
            "effective_feature_method": vector_config.get("effective_feature_method"),
            "llm_labeling": labeling,
            "filters": body.get("filters"),
            "metadata": body.get("metadata"),
            "description": body.get("description"),
            "created_at": "2025-01-01T00:00:00Z",
            # What 1.3.783's ClusterMetadata adds (not read by this provider).
            "source_cluster_ids": body.get("source_cluster_ids"),
            "hierarchical_vector": vector_config.get("hierarchical"),
        }

    @property
    def created(self) -> dict[str, Any]:
        [body] = [b for m, p, b in self.requests if m == "POST" and p == "/v1/clusters"]
        return dict(body)

    @property
    def patches(self) -> list[dict[str, Any]]:
        return [b for m, _, b in self.requests if m == "PATCH"]


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``wired(version)``: a provider at ``version`` whose every request reaches a FakeApi."""

    def wire(version: str) -> tuple[ClusterProvider, FakeApi]:
        server = FakeApi(version)
        provider = at(version)
        client = MixpeekClient(
            endpoint="https://api.example",
            api_key="sk_unit_levels",
            namespace="ns-unit",
            http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
            level=api_level(version),
        )
        provider._client = lambda _props: client  # type: ignore[method-assign]
        monkeypatch.setattr(
            "pulumi_mixpeek.resources.cluster_provider.shared_client", lambda _s: client
        )
        return provider, server

    return wire


def every_key(body: dict[str, Any]) -> set[str]:
    keys = set(body)
    for section in LEVEL_SECTIONS:
        if isinstance(body.get(section), dict):
            keys |= {f"{section}.{k}" for k in body[section]}
    return keys


TODAY_DECLARATION: dict[str, Any] = {
    **vector(hierarchical=True, face_cluster_merge={"enabled": True},
             preprocessing_steps=[{"method": "umap", "n_components": 20}],
             layout_stability="transform"),
    "llm_labeling": {"enabled": True, "model_name": "gpt-4o-2024-08-06",
                     "sample_selection_strategy": "representative"},
    "auto_execute_on_batch": True,
}


def test_a_seed_create_never_sends_a_key_of_todays_level(wired: Any) -> None:
    provider, server = wired(SEED)
    # Even props check would refuse (check runs first in the engine; this is the body's own
    # guarantee).
    props = canonical_inputs({**TODAY_DECLARATION, "source_cluster_ids": ["clust_a"]},
                             level=api_level(SEED))
    provider.create({**props, "__provider": PROVIDER_BLOB})
    sent = every_key(server.created)
    assert sent <= api_level(SEED).fields
    # ... and it is the body of 1.3.1's SDK: its defaults, labeling's included.
    assert server.created["llm_labeling"]["use_embedding_dedup"] is False
    assert server.created["llm_labeling"]["max_samples_per_cluster"] == 10
    assert mixpeek.CreateClusterRequest.from_dict(server.created) is not None


def test_todays_create_sends_todays_keys_and_defaults(wired: Any) -> None:
    provider, server = wired(TODAY)
    provider.create(checked_at(TODAY, TODAY_DECLARATION))
    body = server.created
    assert every_key(body) <= api_level(TODAY).fields
    assert body["auto_execute_on_batch"] is True
    assert body["auto_execute_cooldown_seconds"] == 3600  # today's default, as its SDK sends
    assert body["vector_config"]["hierarchical"] is True
    assert body["vector_config"]["face_cluster_merge"]["enabled"] is True
    assert body["vector_config"]["preprocessing_steps"][0]["method"] == "umap"
    labeling = body["llm_labeling"]
    assert labeling["sample_selection_strategy"] == "representative"
    assert labeling["use_embedding_dedup"] is True  # today's default, not 1.3.1's false
    assert "max_samples_per_cluster" not in labeling  # auto-scaled when unset


def test_a_composite_create_sends_no_collection_ids(wired: Any) -> None:
    provider, server = wired(TODAY)
    provider.create(checked_at(TODAY, COMPOSITE))
    assert "collection_ids" not in server.created
    assert server.created["source_cluster_ids"] == ["clust_a", "clust_b"]


@pytest.mark.parametrize("version", API_VERSIONS)
def test_refresh_then_preview_shows_no_change_at_each_level(version: str, wired: Any) -> None:
    declaration = TODAY_DECLARATION if version == TODAY else {
        **VECTOR, "llm_labeling": {"enabled": True, "model_name": "gpt-4o-2024-08-06"},
    }
    for declared in (declaration, COMPOSITE) if version == TODAY else (declaration,):
        provider, _ = wired(version)
        news = checked_at(version, declared)
        created = provider.create(news)
        state = {**created.outs, "__provider": PROVIDER_BLOB}
        read = provider.read(created.id, state)
        assert read.inputs is not None
        refreshed = {**read.outs, "__provider": PROVIDER_BLOB}
        assert outcome(provider.diff(created.id, refreshed, news)) == "none", declared
        assert read.inputs.get("collection_ids") == news.get("collection_ids")


def test_explicit_labeling_choices_survive_todays_refresh(wired: Any) -> None:
    declared = {**VECTOR, "llm_labeling": {"enabled": True, "use_embedding_dedup": False,
                                           "max_samples_per_cluster": 10}}
    provider, server = wired(TODAY)
    news = checked_at(TODAY, declared)
    created = provider.create(news)
    assert server.created["llm_labeling"]["use_embedding_dedup"] is False
    assert server.created["llm_labeling"]["max_samples_per_cluster"] == 10
    read = provider.read(created.id, {**created.outs, "__provider": PROVIDER_BLOB})
    assert read.inputs is not None and read.inputs["llm_labeling"] == news["llm_labeling"]
    assert outcome(provider.diff(created.id, {**read.outs, "__provider": PROVIDER_BLOB},
                                 news)) == "none"


# -- what updates in place at today's level --------------------------------------------------
def _state(version: str, declaration: dict[str, Any]) -> dict[str, Any]:
    inputs = checked_at(version, declaration)
    meta = ClusterMetadata.model_validate(
        {"cluster_id": "clust_1", "cluster_name": inputs["cluster_name"], "namespace_id": "ns_1",
         "input_collections": inputs.get("collection_ids") or ["col_x"],
         "cluster_type": inputs["cluster_type"]}
    )
    return {**build_outputs(meta, inputs), "__provider": PROVIDER_BLOB}


IN_PLACE = [
    # (case, old, new, outcome at 1.3.783, the PATCH body)
    ("face_cluster_merge set", VECTOR, vector(face_cluster_merge={"enabled": False}),
     "update", {"face_cluster_merge": {"enabled": False}}),
    ("face_cluster_merge changed", vector(face_cluster_merge={"enabled": False}),
     vector(face_cluster_merge={"bbox_iou_threshold": 0.5}),
     "update", {"face_cluster_merge": {"bbox_iou_threshold": 0.5}}),
    ("face_cluster_merge removed", vector(face_cluster_merge={"enabled": False}), VECTOR,
     "replace", None),
    ("layout_stability set", VECTOR, vector(layout_stability="none"),
     "update", {"layout_stability": "none"}),
    ("layout_stability and hierarchical", VECTOR,
     vector(layout_stability="none", hierarchical=True), "replace", None),
    ("source_cluster_ids changed", COMPOSITE, {**COMPOSITE, "source_cluster_ids": ["clust_c"]},
     "update", {"source_cluster_ids": ["clust_c"]}),
    ("source_cluster_ids removed", {**COMPOSITE, "collection_ids": ["col_a"]},
     {k: v for k, v in COMPOSITE.items() if k != "source_cluster_ids"}
     | {"collection_ids": ["col_a"]}, "replace", None),
    ("auto_execute_on_batch set", VECTOR, {**VECTOR, "auto_execute_on_batch": True},
     "replace", None),
    ("hierarchical set", VECTOR, vector(hierarchical=True), "replace", None),
    ("labeling changed", {**VECTOR, "llm_labeling": {"enabled": True}},
     {**VECTOR, "llm_labeling": {"enabled": True, "include_summary": False}}, "update",
     {"llm_labeling": {"enabled": True, "include_summary": False, "use_embedding_dedup": True,
                       "sample_selection_strategy": "nearest"}}),
    ("labeling's seed default declared", {**VECTOR, "llm_labeling": {"enabled": True}},
     {**VECTOR, "llm_labeling": {"enabled": True, "use_embedding_dedup": False}}, "update",
     {"llm_labeling": {"enabled": True, "use_embedding_dedup": False,
                       "sample_selection_strategy": "nearest"}}),
    ("labeling's today default declared", {**VECTOR, "llm_labeling": {"enabled": True}},
     {**VECTOR, "llm_labeling": {"enabled": True, "use_embedding_dedup": True}}, "none", None),
]


@pytest.mark.parametrize(
    ("old", "new", "expected", "patch"),
    [case[1:] for case in IN_PLACE],
    ids=[case[0] for case in IN_PLACE],
)
def test_what_todays_level_changes_in_place_and_the_patch_it_sends(
    old: dict[str, Any],
    new: dict[str, Any],
    expected: str,
    patch: dict[str, Any] | None,
    wired: Any,
) -> None:
    provider, server = wired(TODAY)
    state = _state(TODAY, old)
    server.body = {k: v for k, v in state.items() if k in CreateClusterRequest.model_fields}
    news = checked_at(TODAY, {**new, "cluster_name": state["cluster_name"]})
    assert outcome(provider.diff("clust_1", state, news)) == expected
    if expected != "update":
        return
    provider.update("clust_1", state, news)
    [sent] = server.patches
    expected_patch = dict(patch or {})
    labeling = expected_patch.get("llm_labeling")
    if labeling is not None:  # the rest of LLMLabelingInput's defaults, as the SDK sends them
        sent_labeling = dict(sent["llm_labeling"])
        assert {k: sent_labeling.pop(k) for k in labeling} == labeling
        assert "max_samples_per_cluster" not in sent_labeling
        sent = {k: v for k, v in sent.items() if k != "llm_labeling"}
        expected_patch.pop("llm_labeling")
    for key, value in expected_patch.items():
        if isinstance(value, dict):
            assert {k: sent[key][k] for k in value} == value
        else:
            assert sent[key] == value
    assert set(sent) <= set(expected_patch)


def test_the_native_face_compares_at_its_level() -> None:
    """The plugin's detailed diff (changed_inputs): at 1.3.783 declaring the seed's labeling
    default is a change, at 1.3.1 it is none."""
    old = {**VECTOR, "llm_labeling": {"enabled": True}}
    new = {**VECTOR, "llm_labeling": {"enabled": True, "use_embedding_dedup": False}}
    assert at(TODAY).changed_inputs(_state(TODAY, old), checked_at(TODAY, new)) == [
        "llm_labeling"
    ]
    assert at(SEED).changed_inputs(_state(SEED, old), checked_at(SEED, new)) == []


# -- mixpeek-recover-pending at today's level ------------------------------------------------
@pytest.mark.parametrize(
    "labeling",
    [
        {"enabled": True, "model_name": "gpt-4o-2024-08-06"},
        {"enabled": True, "use_embedding_dedup": False, "max_samples_per_cluster": 10},
    ],
    ids=["defaults", "seed-defaults-declared"],
)
def test_a_lost_create_at_todays_level_is_recognised_with_todays_defaults(
    labeling: dict[str, Any], wired: Any
) -> None:
    """The cluster a lost create made answers with today's labeling defaults (what the create
    sent); compared at today's level it is this create's, not another configuration."""
    from pulumi_mixpeek.recovery import Action, plan

    from tests.unit.state_exports import deployment, pending

    declaration = {**VECTOR, "llm_labeling": labeling}
    provider, server = wired(TODAY)
    provider.create(checked_at(TODAY, declaration))
    found = ClusterMetadata.model_validate(server.metadata())
    op = pending("products", declaration)
    op["resource"]["inputs"] = checked_at(TODAY, declaration)
    (decision,) = plan(deployment([], [op]), lambda _item: found, level=api_level(TODAY))
    assert decision.action is Action.COMPLETE, decision.reason
