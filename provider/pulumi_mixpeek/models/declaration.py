"""What a user declares for each resource: the one place mutability is declared.

``ClusterDeclaration`` (``mixpeek:Cluster``), ``ClusterExecutionDeclaration``
(``mixpeek:ClusterExecution``), ``ClusterEnrichmentDeclaration``
(``mixpeek:ClusterEnrichment``) and ``ClusterTriggerDeclaration`` (``mixpeek:ClusterTrigger``).

Each field carries ``json_schema_extra={"mutability": ...}``:
- ``update``: changed in place with one PATCH (1.3.1 PATCH takes cluster_name, description,
  metadata; a trigger's PATCH takes schedule_config and description, and its status, which
  ``enabled`` sets through pause / resume);
- ``replace``: the API cannot change it, so a change creates a new cluster (``namespace`` and
  ``endpoint`` say where the cluster lives: a change moves it, which is a replacement too);
  for a run or an enrichment, a change means a new run or a new application;
- ``provider``: read by the provider only (``adopt``, ``wait``), never a change.

``pulumi_mixpeek.fields`` reads these markers for diff, the schema generator and the docs.
The nested config models are the wire models (``models/config.py``), so a declaration is
validated exactly as ``CreateClusterRequest`` would validate it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from ._base import RequestModel
from .config import (
    AttributeBasedConfig,
    ClusterType,
    LLMLabelingInput,
    LogicalOperator,
    SourceEnrichmentConfig,
    VectorBasedConfig,
)
from .triggers import TriggerExecutionConfig, TriggerType

__all__ = [
    "ClusterDeclaration",
    "ClusterEnrichmentDeclaration",
    "ClusterExecutionDeclaration",
    "ClusterTriggerDeclaration",
    "Mutability",
    "MUTABILITY_KEY",
]

MUTABILITY_KEY = "mutability"


class Mutability(StrEnum):
    UPDATE = "update"
    REPLACE = "replace"
    PROVIDER = "provider"


def _marker(mutability: Mutability) -> dict[str, Any]:
    return {MUTABILITY_KEY: mutability.value}


_REPLACE = _marker(Mutability.REPLACE)
_UPDATE = _marker(Mutability.UPDATE)
_PROVIDER = _marker(Mutability.PROVIDER)


class ClusterDeclaration(RequestModel):
    """The inputs of ``pulumi_mixpeek.Cluster`` (CreateClusterRequest + PATCH-only fields)."""

    collection_ids: list[str] | None = Field(
        None,
        min_length=1,
        description="Collections whose documents are clustered together; required unless "
        "source_cluster_ids is set (API 1.3.783: then the source clusters' collections).",
        json_schema_extra=_REPLACE,
    )
    source_cluster_ids: list[str] | None = Field(
        None,
        min_length=1,
        description="API 1.3.783: makes this a composite cluster, which groups the centroids "
        "of these vector clusters' runs (each in this namespace, with the same feature_uris) "
        "instead of documents. Vector clusters only.",
        json_schema_extra=_REPLACE,
    )
    cluster_type: ClusterType | None = Field(
        None,
        description="vector or attribute; inferred from vector_config / attribute_config.",
        json_schema_extra=_REPLACE,
    )
    vector_config: VectorBasedConfig | None = Field(
        None,
        description="Features and algorithm of a vector cluster.",
        json_schema_extra=_REPLACE,
    )
    attribute_config: AttributeBasedConfig | None = Field(
        None,
        description="Fields grouped by an attribute cluster.",
        json_schema_extra=_REPLACE,
    )
    filters: LogicalOperator | None = Field(
        None,
        description="Pre-filter on the source documents (AND / OR / NOT).",
        json_schema_extra=_REPLACE,
    )
    llm_labeling: LLMLabelingInput | None = Field(
        None,
        description="LLM-generated cluster labels, summaries and keywords.",
        json_schema_extra=_REPLACE,
    )
    enrich_source_collection: bool = Field(
        False,
        description="Write results into the source collections instead of a new collection.",
        json_schema_extra=_REPLACE,
    )
    source_enrichment_config: SourceEnrichmentConfig | None = Field(
        None,
        description="Cluster fields written into source documents (enrich_source_collection).",
        json_schema_extra=_REPLACE,
    )
    auto_execute_on_batch: bool | None = Field(
        None,
        description="API 1.3.783: run the cluster whenever a batch completes on one of its "
        "input collections (server default false: runs are started by the API only).",
        json_schema_extra=_REPLACE,
    )
    auto_execute_min_documents: int | None = Field(
        None,
        description="API 1.3.783: with auto_execute_on_batch, skip a run while the "
        "collection holds fewer documents than this.",
        json_schema_extra=_REPLACE,
    )
    auto_execute_cooldown_seconds: int | None = Field(
        None,
        description="API 1.3.783: with auto_execute_on_batch, the least time between two "
        "automatic runs (server default 3600).",
        json_schema_extra=_REPLACE,
    )
    cluster_name: str | None = Field(
        None,
        min_length=1,
        description="Name, unique in the namespace; generated when omitted.",
        json_schema_extra=_UPDATE,
    )
    description: str | None = Field(
        None,
        description="Description (API 1.3.1: write-only, set and never read back).",
        json_schema_extra=_UPDATE,
    )
    metadata: dict[str, Any] | None = Field(
        None,
        description="User metadata (replaced as a whole on change).",
        json_schema_extra=_UPDATE,
    )
    namespace: str | None = Field(
        None,
        min_length=1,
        description=(
            "Namespace (name or ns_ id) the cluster lives in; defaults to the stack's "
            "mixpeek:namespace and is recorded in state, so a change moves the cluster."
        ),
        json_schema_extra=_REPLACE,
    )
    endpoint: str | None = Field(
        None,
        min_length=1,
        description=(
            "API base URL the cluster lives at; defaults to the stack's mixpeek:endpoint and "
            "is recorded in state, so a change moves the cluster."
        ),
        json_schema_extra=_REPLACE,
    )
    adopt: bool = Field(
        False,
        description=(
            "Take over the existing cluster named cluster_name instead of creating one "
            "(refused when its immutable configuration differs); created when none exists."
        ),
        json_schema_extra=_PROVIDER,
    )
    keep_output_collections: bool = Field(
        False,
        description=(
            "Keep the cluster's output collections when it is deleted or replaced (API "
            "1.3.783 deletes them by default; 1.3.1 always keeps them). Recorded in state "
            "without an API call, so run up after changing it, before a destroy."
        ),
        json_schema_extra=_UPDATE,
    )


#: A value or values whose change means "do it again" (e.g. a data version from stack config).
Triggers = list[Any] | dict[str, Any]

_NAMESPACE_TEXT = (
    "Namespace (name or ns_ id) of the cluster; defaults to the stack's mixpeek:namespace and "
    "is recorded in state, so a change means a new one."
)
_ENDPOINT_TEXT = (
    "API base URL of the cluster; defaults to the stack's mixpeek:endpoint and is recorded in "
    "state, so a change means a new one."
)


#: Said of every run option (an ExecuteClusterRequest field of ClusterExecution).
_RUN_OPTION = " API level 1.3.783 only (check refuses it at 1.3.1)."


def _run_option(text: str) -> str:
    return text + _RUN_OPTION


class ClusterExecutionDeclaration(RequestModel):
    """The inputs of ``pulumi_mixpeek.ClusterExecution``: one clustering run of a cluster,
    and how it goes (the run options: ``models.requests.ExecuteClusterRequest``'s fields,
    sent as the execute body where declared)."""

    cluster_id: str = Field(
        ...,
        min_length=1,
        description="Cluster to run (pass the Cluster's id).",
        json_schema_extra=_REPLACE,
    )
    triggers: Triggers | None = Field(
        None,
        description="Values whose change starts a new run (e.g. a data version).",
        json_schema_extra=_REPLACE,
    )
    wait: bool = Field(
        True,
        description="Wait for the run to end, showing its progress; false only starts it.",
        json_schema_extra=_PROVIDER,
    )
    timeout_seconds: int = Field(
        1800,
        ge=1,
        description="How long to wait for the run; a run still going then is recorded with a "
        "warning, and the next up follows it.",
        json_schema_extra=_PROVIDER,
    )
    mode: Literal["full", "assign", "composite"] | None = Field(
        None,
        description=_run_option(
            "full: the whole clustering pipeline (the API's default); assign: put new "
            "documents into the existing clusters (needs a finished run with centroids); "
            "composite: cluster the centroids of several runs (source_execution_ids)."
        ),
        json_schema_extra=_REPLACE,
    )
    source_execution_ids: list[str] | None = Field(
        None,
        description=_run_option(
            "Runs (run ids, at least 2, each completed) whose centroids are clustered "
            "together; only with mode composite."
        ),
        json_schema_extra=_REPLACE,
    )
    assignment_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description=_run_option(
            "Least cosine similarity that assigns a document to a cluster (0 to 1, API "
            "default 0.5); only with mode assign."
        ),
        json_schema_extra=_REPLACE,
    )
    filters: LogicalOperator | None = Field(
        None,
        description=_run_option("Pre-filter for this run instead of the cluster's filters."),
        json_schema_extra=_REPLACE,
    )
    sample_size: int | None = Field(
        None,
        le=1_000_000,
        description=_run_option(
            "Most documents this run clusters, instead of the cluster's sample_size."
        ),
        json_schema_extra=_REPLACE,
    )
    vis_n_components: Literal[2, 3] | None = Field(
        None,
        description=_run_option("Dimensions of the visualization coordinates (2 or 3)."),
        json_schema_extra=_REPLACE,
    )
    defer_visualization: bool | None = Field(
        None,
        description=_run_option(
            "Compute the scatter coordinates at the first visualization read instead of "
            "during the run (large runs finish sooner)."
        ),
        json_schema_extra=_REPLACE,
    )
    layout_stability: Literal["none", "transform", "align"] | None = Field(
        None,
        description=_run_option(
            "How the layout relates to the previous run's: align (onto its coordinates), "
            "transform (reuse its projection) or none."
        ),
        json_schema_extra=_REPLACE,
    )
    llm_labeling: LLMLabelingInput | None = Field(
        None,
        description=_run_option(
            "LLM labeling for this run instead of the cluster's own (enabled: true labels)."
        ),
        json_schema_extra=_REPLACE,
    )
    namespace: str | None = Field(
        None, min_length=1, description=_NAMESPACE_TEXT, json_schema_extra=_REPLACE
    )
    endpoint: str | None = Field(
        None, min_length=1, description=_ENDPOINT_TEXT, json_schema_extra=_REPLACE
    )


class ClusterEnrichmentDeclaration(RequestModel):
    """The inputs of ``pulumi_mixpeek.ClusterEnrichment``: cluster results written into a
    collection (ApplyClusterEnrichmentRequest, plus triggers and error handling)."""

    clustering_ids: list[str] = Field(
        ...,
        min_length=1,
        description="Clusters whose results are applied (their ids).",
        json_schema_extra=_REPLACE,
    )
    source_collection_id: str = Field(
        ...,
        min_length=1,
        description="Collection to enrich (an input collection of the clusters).",
        json_schema_extra=_REPLACE,
    )
    target_collection_id: str | None = Field(
        None,
        min_length=1,
        description="Collection the enriched documents are written to (optional).",
        json_schema_extra=_REPLACE,
    )
    batch_size: int = Field(
        1000, ge=1, description="Documents per batch.", json_schema_extra=_REPLACE
    )
    parallelism: int = Field(1, ge=1, description="Parallel batches.", json_schema_extra=_REPLACE)
    triggers: Triggers | None = Field(
        None,
        description="Values whose change applies it again (e.g. the execution's task_id).",
        json_schema_extra=_REPLACE,
    )
    fail_on_errors: bool = Field(
        True,
        description="Fail when documents failed (failed > 0); false only warns.",
        json_schema_extra=_PROVIDER,
    )
    namespace: str | None = Field(
        None, min_length=1, description=_NAMESPACE_TEXT, json_schema_extra=_REPLACE
    )
    endpoint: str | None = Field(
        None, min_length=1, description=_ENDPOINT_TEXT, json_schema_extra=_REPLACE
    )


class ClusterTriggerDeclaration(RequestModel):
    """The inputs of ``pulumi_mixpeek.ClusterTrigger``: a trigger that runs a cluster on a
    schedule, after events or on a condition (CreateTriggerRequest; what UpdateTriggerRequest
    takes, ``schedule_config``, ``description`` and the status, changes in place)."""

    cluster_id: str | None = Field(
        None,
        min_length=1,
        description="Cluster the trigger runs (pass the Cluster's id); either cluster_id or "
        "execution_config.",
        json_schema_extra=_REPLACE,
    )
    execution_config: TriggerExecutionConfig | None = Field(
        None,
        description="What the trigger runs when it names no cluster: collection_ids and the "
        "algorithm config; either cluster_id or execution_config.",
        json_schema_extra=_REPLACE,
    )
    trigger_type: TriggerType = Field(
        ...,
        description="cron, interval, event or conditional: which schedule_config keys apply.",
        json_schema_extra=_REPLACE,
    )
    schedule_config: dict[str, Any] = Field(
        ...,
        description="Per trigger_type: cron {cron_expression, timezone}; interval "
        "{interval_seconds, start_immediately}; event {event_type, event_threshold, "
        "collection_id, cooldown_seconds}; conditional {condition_type, threshold, metric, "
        "check_interval_seconds}; each of these keys required, no other taken (checked at "
        "preview).",
        json_schema_extra=_UPDATE,
    )
    description: str | None = Field(
        None, description="What the trigger does (shown in dashboards).", json_schema_extra=_UPDATE
    )
    enabled: bool = Field(
        True,
        description="false pauses the trigger (POST .../pause), true resumes it (.../resume); "
        "a trigger paused or resumed outside Pulumi shows as drift on refresh.",
        json_schema_extra=_UPDATE,
    )
    namespace: str | None = Field(
        None, min_length=1, description=_NAMESPACE_TEXT, json_schema_extra=_REPLACE
    )
    endpoint: str | None = Field(
        None, min_length=1, description=_ENDPOINT_TEXT, json_schema_extra=_REPLACE
    )
