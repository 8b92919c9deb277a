"""``--fill-defaults``: answer like a server that returns more than it was sent.

The live API fills in server-side defaults (the parameters of the clustering algorithm, the
labeling model, ...) and, over time, adds fields an older SDK does not know. In this mode
every ClusterMetadata the emulator returns (create, get, list) gets:

- ``algorithm_params``: the algorithm's default parameters under the ones that were sent;
- ``multi_feature_strategy`` / ``effective_feature_method`` (vector) and
  ``aggregation_method`` / ``hierarchical_grouping`` (attribute) when they were not sent;
- ``llm_labeling``: the labeling defaults (provider, model, limits) under what was sent, plus
  a field 1.3.1 does not know;
- ``source_enrichment_config``: a field 1.3.1 does not know;
- top-level fields 1.3.1 does not know.

Nothing is stored differently: the mode only changes how records are presented. At 1.3.783
the labeling defaults are that level's (its records already hold its model defaults, and a
null ``max_samples_per_cluster`` means auto-scaled, so it stays null).
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["ENV_FILL_DEFAULTS", "fill_defaults", "fill_defaults_v1_3_783"]

ENV_FILL_DEFAULTS = "MIXPEEK_EMULATOR_FILL_DEFAULTS"

#: Plausible server defaults per algorithm (scikit-learn's, as the API's workers use).
ALGORITHM_DEFAULTS: dict[str, dict[str, Any]] = {
    "kmeans": {"n_clusters": 8, "max_iter": 300, "n_init": 10, "random_state": 42},
    "dbscan": {"eps": 0.5, "min_samples": 5, "metric": "cosine"},
    "hdbscan": {"min_cluster_size": 5, "min_samples": 5, "cluster_selection_method": "eom"},
    "agglomerative": {"n_clusters": 8, "linkage": "ward"},
    "spectral": {"n_clusters": 8, "affinity": "rbf", "random_state": 42},
    "gaussian_mixture": {"n_components": 8, "covariance_type": "full", "random_state": 42},
    "mean_shift": {"bin_seeding": True},
    "optics": {"min_samples": 5, "xi": 0.05},
}

LLM_LABELING_DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "provider": "openai",
    "model_name": "gpt-4o-mini-2024-07-18",
    "include_summary": True,
    "include_keywords": True,
    "max_samples_per_cluster": 10,
    "sample_text_max_length": 200,
    "cache_ttl_seconds": 604800,
}

#: Fields a newer API returns that SDK 1.3.1 does not know.
EXTRA_FIELDS: dict[str, Any] = {
    "index_version": 3,
    "compute_region": "emulator-local",
    "run_defaults": {"timeout_seconds": 3600},
}


#: The labeling defaults a 1.3.783 server fills in (the model; the limits are the model's).
LLM_LABELING_DEFAULTS_V1_3_783: dict[str, Any] = {
    "provider": "openai",
    "model_name": "gpt-4o-mini-2024-07-18",
}


def fill_defaults_v1_3_783(doc: dict[str, Any]) -> dict[str, Any]:
    """A 1.3.783 ClusterMetadata JSON document as a defaults-filling server would return it."""
    labeling = doc.get("llm_labeling")
    filled = fill_defaults({**doc, "llm_labeling": None})
    if isinstance(labeling, dict):
        given = {k: v for k, v in labeling.items() if v is not None}
        filled["llm_labeling"] = {**labeling, **LLM_LABELING_DEFAULTS_V1_3_783, **given,
                                  "prompt_version": 2}
    return filled


def fill_defaults(doc: dict[str, Any]) -> dict[str, Any]:
    """A ClusterMetadata JSON document as a defaults-filling server would return it."""
    filled = copy.deepcopy(doc)
    if filled.get("cluster_type") == "vector":
        algorithm = str(filled.get("algorithm"))
        filled["algorithm_params"] = {
            **ALGORITHM_DEFAULTS.get(algorithm, {}),
            **(filled.get("algorithm_params") or {}),
        }
        filled["multi_feature_strategy"] = filled.get("multi_feature_strategy") or "concatenate"
        filled["effective_feature_method"] = filled.get("effective_feature_method") or "mean"
    elif filled.get("cluster_type") == "attribute":
        filled["aggregation_method"] = filled.get("aggregation_method") or "most_frequent"
        if filled.get("hierarchical_grouping") is None:
            filled["hierarchical_grouping"] = False
    labeling = filled.get("llm_labeling")
    if isinstance(labeling, dict):
        given = {k: v for k, v in labeling.items() if v is not None}
        filled["llm_labeling"] = {**LLM_LABELING_DEFAULTS, **given, "prompt_version": 2}
    enrichment = filled.get("source_enrichment_config")
    if isinstance(enrichment, dict):
        filled["source_enrichment_config"] = {**enrichment, "write_mode": "upsert"}
    return {**filled, **EXTRA_FIELDS}
