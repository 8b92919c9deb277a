"""What the chosen API level changes, without a server: which Cluster changes are updates and
which replacements, which configuration values are refused, and ClusterEnrichment's check.
The PATCH keys of today's level are those of the official SDK 1.3.783's
PatchClusterRequest (its ``__properties``), written out here as the oracle."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi_mixpeek.errors import ConfigurationError
from pulumi_mixpeek.levels import API_VERSIONS, api_level
from pulumi_mixpeek.resources.cluster_provider import ClusterProvider
from pulumi_mixpeek.resources.enrichment_provider import ClusterEnrichmentProvider

from tests.unit.cluster_helpers import VECTOR, checked, created_state, outcome

pytestmark = pytest.mark.unit

#: PatchClusterRequest.__properties of mixpeek 1.3.783 (models/patch_cluster_request.py),
#: every one of which this provider declares.
TODAY_PATCH_KEYS = {
    "cluster_name", "description", "metadata", "llm_labeling", "filters", "face_cluster_merge",
    "sample_size", "algorithm_params", "source_cluster_ids", "layout_stability",
}


def at(version: str | None, provider_class: type[Any] = ClusterProvider) -> Any:
    provider = provider_class()
    values = {"mixpeek:apiVersion": version} if version else {}
    provider.configure(ConfigureRequest(Config(values, "proj")))
    return provider


def vector(**config: Any) -> dict[str, Any]:
    return {**VECTOR, "vector_config": {**VECTOR["vector_config"], **config}}


CASES = [
    # (case, old, new, at 1.3.1, at 1.3.783)
    ("sample_size set", VECTOR, vector(sample_size=500), "replace", "update"),
    ("sample_size changed", vector(sample_size=500), vector(sample_size=900), "replace", "update"),
    ("sample_size removed", vector(sample_size=500), VECTOR, "replace", "replace"),
    ("algorithm_params changed", vector(algorithm_params={"n_clusters": 3}),
     vector(algorithm_params={"n_clusters": 5}), "replace", "update"),
    ("algorithm_params and method changed", vector(algorithm_params={"n_clusters": 3}),
     vector(clustering_method="hdbscan", algorithm_params={"min_cluster_size": 5}),
     "replace", "replace"),
    ("feature_uris changed", VECTOR,
     vector(feature_uris=["mixpeek://image_extractor@v1/embedding"]), "replace", "replace"),
    ("llm_labeling set", VECTOR, {**VECTOR, "llm_labeling": {"enabled": True}},
     "replace", "update"),
    ("llm_labeling removed", {**VECTOR, "llm_labeling": {"enabled": True}}, VECTOR,
     "replace", "replace"),
    ("filters set", VECTOR,
     {**VECTOR, "filters": {"AND": [{"field": "lang", "operator": "eq", "value": "en"}]}},
     "replace", "update"),
    ("collection_ids changed", VECTOR, {**VECTOR, "collection_ids": ["col_other"]},
     "replace", "replace"),
    ("description changed", VECTOR, {**VECTOR, "description": "x"}, "update", "update"),
]


@pytest.mark.parametrize(
    ("old", "new", "seed", "today"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_what_each_level_changes_in_place(
    old: dict[str, Any], new: dict[str, Any], seed: str, today: str
) -> None:
    for version, expected in (("1.3.1", seed), ("1.3.783", today)):
        provider = at(version)
        result = provider.diff("clust_1", created_state(old), checked(new))
        assert outcome(result) == expected, version


def test_the_default_level_is_todays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIXPEEK_API_VERSION")  # the suite's pin (tests/conftest.py)
    provider = at(None)
    result = provider.diff("clust_1", created_state(VECTOR), checked(vector(sample_size=9)))
    assert outcome(result) == "update"


def test_every_patch_key_of_a_level_is_one_the_sdk_patch_request_has() -> None:
    assert set(api_level("1.3.1").in_place.values()) == set()
    today = set(api_level("1.3.783").in_place.values()) | {
        "cluster_name", "description", "metadata",
    }
    assert today == TODAY_PATCH_KEYS


def test_an_unknown_level_is_refused_naming_the_setting_and_the_choices() -> None:
    provider = at("1.4")
    with pytest.raises(ConfigurationError) as caught:
        provider.diff("clust_1", created_state(VECTOR), checked(VECTOR))
    message = str(caught.value)
    assert "mixpeek:apiVersion" in message and "'1.4'" in message
    assert all(version in message for version in API_VERSIONS)


ENRICHMENT = {"clustering_ids": ["clust_1"], "source_collection_id": "col_products"}


def test_enrichment_fails_check_at_todays_level_pointing_to_the_cluster_input() -> None:
    result = at("1.3.783", ClusterEnrichmentProvider).check({}, ENRICHMENT)
    [failure] = result.failures
    assert "1.3.783" in failure.reason and "enrich_source_collection" in failure.reason
    assert at("1.3.1", ClusterEnrichmentProvider).check({}, ENRICHMENT).failures == []


@pytest.mark.parametrize(
    ("version", "keep", "warned"),
    [("1.3.783", False, True), ("1.3.783", True, False), ("1.3.1", False, False)],
)
def test_a_replacement_preview_names_the_output_collections_it_deletes(
    capsys: pytest.CaptureFixture[str], version: str, keep: bool, warned: bool
) -> None:
    old = {**created_state(VECTOR), "output_collection_ids": ["col_out_1"]}
    if keep:
        old["keep_output_collections"] = True
    new = checked({**VECTOR, "collection_ids": ["col_other"], "keep_output_collections": keep})
    result = at(version).diff("clust_1", old, new)
    assert result.replaces == ["collection_ids"]
    err = capsys.readouterr().err
    assert ("deletes its output collections col_out_1" in err) is warned, err
    if warned:
        assert "keep_output_collections=True" in err
