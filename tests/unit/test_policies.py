"""Every policy of the pack (policy/mixpeek_policy), called as pulumi-policy calls it.

Props are wrapped in ``unknown_checking_proxy`` exactly as the analyzer wraps the engine's
inputs, so reading an unknown value raises as it would during a real preview. Each policy is
checked compliant, violating, with unknown values, and with each of its config options.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from mixpeek_policy import POLICIES, current_stack, export_stack_from_configure
from mixpeek_policy.policies import CLUSTER_TYPES, ENRICHMENT_TYPES, TRIGGER_TYPES
from mixpeek_policy.rules import CronError, cron_fire_gap
from pulumi.runtime.proto import analyzer_pb2
from pulumi_mixpeek.resources.cluster import CLUSTER_TYPE
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.policy import _NotApplicableError, _PolicyAnalyzerServicer
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

pytestmark = pytest.mark.unit

UNKNOWN = UNKNOWN_STRING_VALUE

#: A compliant cluster in the provider's canonical input form (what check returns).
CLUSTER: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "cluster_type": "vector",
    "vector_config": {
        "feature_uris": ["mixpeek://text_extractor@v1/embedding"],
        "clustering_method": "hdbscan",
        "sample_size": 5000,
    },
    "llm_labeling": {"enabled": True, "model_name": "gpt-4o-mini-2024-07-18"},
    "cluster_name": "products",
    "description": "Products grouped by text embedding",
    "metadata": {"owner": "search", "team": "search"},
}
ATTRIBUTE_CLUSTER: dict[str, Any] = {
    "collection_ids": ["col_products"],
    "cluster_type": "attribute",
    "attribute_config": {"attributes": ["brand"]},
    "cluster_name": "by-brand",
    "description": "Products by brand",
    "metadata": {"owner": "search"},
}


def policy(name: str) -> Policy:
    (found,) = [p for p in POLICIES if p.name == name]
    return found


def options(*, protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def cluster(**changes: Any) -> dict[str, Any]:
    props = copy.deepcopy(CLUSTER)
    for key, value in changes.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    return props


def check(
    name: str,
    props: dict[str, Any],
    config: dict[str, Any] | None = None,
    *,
    resource_type: str = CLUSTER_TYPE,
    protect: bool = False,
) -> list[str]:
    """The messages policy ``name`` reports for one resource with these inputs."""
    reported: list[str] = []
    args = ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:test::project::{resource_type}::res",
        "res",
        options(protect=protect),
        None,
        config,
    )
    policy(name).validate(args, lambda message, urn=None: reported.append(message))
    return reported


def check_stack(
    name: str, resources: list[tuple[str, bool]], config: dict[str, Any] | None = None
) -> list[tuple[str, str | None]]:
    """(message, urn) reported by stack policy ``name``; resources are (type, protect)."""
    reported: list[tuple[str, str | None]] = []
    args = StackValidationArgs(
        [
            PolicyResource(
                resource_type,
                unknown_checking_proxy({"cluster_name": f"c{i}"}),
                f"urn:pulumi:test::project::{resource_type}::c{i}",
                f"c{i}",
                options(protect=protect),
                None,
                None,
                [],
                {},
            )
            for i, (resource_type, protect) in enumerate(resources)
        ],
        config,
    )
    policy(name).validate(args, lambda message, urn=None: reported.append((message, urn)))
    return reported


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_stack(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("PULUMI_STACK", raising=False)
        else:
            monkeypatch.setenv("PULUMI_STACK", name)

    return set_stack


def test_the_pack_has_the_issue_s_policies_with_their_levels() -> None:
    levels = {p.name: p.enforcement_level for p in POLICIES}
    assert levels == {
        "cluster-requires-description": EnforcementLevel.ADVISORY,
        "cluster-required-metadata": EnforcementLevel.MANDATORY,
        "cluster-name-pattern": EnforcementLevel.MANDATORY,
        "cluster-allowed-algorithms": EnforcementLevel.MANDATORY,
        "cluster-max-sample-size": EnforcementLevel.MANDATORY,
        "llm-labeling-allowed-models": EnforcementLevel.MANDATORY,
        "no-source-enrichment-in-protected-stacks": EnforcementLevel.MANDATORY,
        "cluster-keep-output-collections": EnforcementLevel.MANDATORY,
        "cluster-trigger-min-interval": EnforcementLevel.MANDATORY,
        "cluster-trigger-requires-description": EnforcementLevel.ADVISORY,
        "max-clusters-per-stack": EnforcementLevel.MANDATORY,
        "protect-clusters-in-protected-stacks": EnforcementLevel.MANDATORY,
    }
    assert CLUSTER_TYPE == "pulumi-python:dynamic/mixpeek:Cluster"


@pytest.mark.parametrize("name", [p.name for p in POLICIES])
def test_other_resource_types_are_left_alone(name: str, stack: Any) -> None:
    stack("prod")
    if name in {"max-clusters-per-stack", "protect-clusters-in-protected-stacks"}:
        other = "pulumi-python:dynamic/mixpeek:ClusterExecution"
        assert check_stack(name, [(other, False)] * 30) == []
    else:
        bad = cluster(description=None, metadata=None, cluster_name="Bad Name")
        assert check(name, bad, resource_type="aws:s3/bucket:Bucket", protect=True) == []
        too_often = trigger(description=None, schedule_config={"interval_seconds": 60})
        assert check(name, too_often, resource_type="aws:s3/bucket:Bucket") == []


def test_both_cluster_faces_are_checked() -> None:
    assert CLUSTER_TYPES == {CLUSTER_TYPE, "mixpeek:index:Cluster"}
    for token in CLUSTER_TYPES:
        bad = cluster(cluster_name="Bad")
        assert len(check("cluster-name-pattern", bad, resource_type=token)) == 1
    native = [("mixpeek:index:Cluster", False)] * 2
    assert len(check_stack("max-clusters-per-stack", native, {"maximum": 1})) == 1


# -- cluster-requires-description -------------------------------------------------------
def test_description_compliant_violating_unknown() -> None:
    assert check("cluster-requires-description", cluster()) == []
    (message,) = check("cluster-requires-description", cluster(description=None))
    assert "Set `description`" in message
    assert check("cluster-requires-description", cluster(description="   ")) == [message]
    assert check("cluster-requires-description", cluster(description=UNKNOWN)) == []


# -- cluster-required-metadata ----------------------------------------------------------
def test_metadata_requires_owner_by_default() -> None:
    name = "cluster-required-metadata"
    assert check(name, cluster()) == []
    (message,) = check(name, cluster(metadata=None))
    assert "'owner'" in message and "metadata" in message
    assert check(name, cluster(metadata={"team": "search"})) == [message]
    assert check(name, cluster(metadata={"owner": " "})) == [message]


def test_metadata_unknown_values() -> None:
    name = "cluster-required-metadata"
    assert check(name, cluster(metadata=UNKNOWN)) == []
    assert check(name, cluster(metadata={"owner": UNKNOWN})) == []
    # An unknown in one key does not hide another key's absence.
    (message,) = check(name, cluster(metadata={"team": UNKNOWN}))
    assert "'owner'" in message


def test_metadata_keys_config() -> None:
    name = "cluster-required-metadata"
    config = {"keys": ["owner", "cost-center"]}
    (message,) = check(name, cluster(), config)
    assert "'cost-center'" in message and "'owner'" not in message
    assert check(name, cluster(metadata={"owner": "a", "cost-center": "42"}), config) == []
    assert check(name, cluster(metadata=None), {"keys": []}) == []


# -- cluster-name-pattern ---------------------------------------------------------------
@pytest.mark.parametrize("good", ["products", "products-v2", "a_b", "pulumi-0123456789ab"])
def test_name_pattern_default_accepts(good: str) -> None:
    assert check("cluster-name-pattern", cluster(cluster_name=good)) == []


@pytest.mark.parametrize("bad", ["Products", "my products", "products.v2", "1products", "-x"])
def test_name_pattern_default_rejects(bad: str) -> None:
    (message,) = check("cluster-name-pattern", cluster(cluster_name=bad))
    assert repr(bad) in message and "lowercase letters, digits, '-' and '_'" in message


def test_name_pattern_unknown_and_config() -> None:
    name = "cluster-name-pattern"
    assert check(name, cluster(cluster_name=UNKNOWN)) == []
    config = {"pattern": r"search-[a-z]+"}
    assert check(name, cluster(cluster_name="search-products"), config) == []
    (message,) = check(name, cluster(cluster_name="products"), config)
    assert "search-[a-z]+" in message
    (broken,) = check(name, cluster(), {"pattern": "("})
    assert "not a valid regular expression" in broken


# -- cluster-allowed-algorithms ---------------------------------------------------------
def test_algorithms_default_allows_every_api_algorithm() -> None:
    name = "cluster-allowed-algorithms"
    for method in ("kmeans", "hdbscan", "spectral", "optics"):
        vector = {**CLUSTER["vector_config"], "clustering_method": method}
        assert check(name, cluster(vector_config=vector)) == []
    assert check(name, ATTRIBUTE_CLUSTER) == []


def test_algorithms_allowed_config() -> None:
    name = "cluster-allowed-algorithms"
    config = {"allowed": ["kmeans"]}
    (message,) = check(name, cluster(), config)
    assert "'hdbscan'" in message and "kmeans" in message
    (attribute,) = check(name, ATTRIBUTE_CLUSTER, config)
    assert "'attribute_based'" in attribute
    kmeans = {**CLUSTER["vector_config"], "clustering_method": "kmeans"}
    assert check(name, cluster(vector_config=kmeans), config) == []


def test_algorithms_unknown() -> None:
    name = "cluster-allowed-algorithms"
    config = {"allowed": ["kmeans"]}
    unknown_method = {**CLUSTER["vector_config"], "clustering_method": UNKNOWN}
    assert check(name, cluster(vector_config=unknown_method), config) == []
    assert check(name, cluster(vector_config=UNKNOWN), config) == []


# -- cluster-max-sample-size -------------------------------------------------------------
def with_vector(**changes: Any) -> dict[str, Any]:
    return cluster(vector_config={**CLUSTER["vector_config"], **changes})


def test_sample_size_default_budget() -> None:
    name = "cluster-max-sample-size"
    assert check(name, cluster()) == []
    assert check(name, with_vector(sample_size=100000.0)) == []  # the engine sends floats
    (message,) = check(name, with_vector(sample_size=250000.0))
    assert "250000" in message and "100000" in message
    (learning,) = check(name, with_vector(weight_learning_config={"sample_size": 200000}))
    assert "weight_learning_config.sample_size 200000" in learning
    assert check(name, ATTRIBUTE_CLUSTER) == []


def test_sample_size_unknown() -> None:
    name = "cluster-max-sample-size"
    assert check(name, with_vector(sample_size=UNKNOWN)) == []
    assert check(name, with_vector(sample_size=UNKNOWN), {"requireSampleSize": True}) == []
    assert check(name, cluster(vector_config=UNKNOWN)) == []


def test_sample_size_config() -> None:
    name = "cluster-max-sample-size"
    (message,) = check(name, cluster(), {"maximum": 1000})
    assert "5000" in message and "1000" in message
    without = cluster(
        vector_config={k: v for k, v in CLUSTER["vector_config"].items() if k != "sample_size"}
    )
    assert check(name, without) == []
    (required,) = check(name, without, {"requireSampleSize": True})
    assert "sample_size is not set" in required
    assert check(name, cluster(), {"requireSampleSize": True}) == []


# -- llm-labeling-allowed-models ---------------------------------------------------------
def test_llm_models_default() -> None:
    name = "llm-labeling-allowed-models"
    assert check(name, cluster()) == []
    assert check(name, cluster(llm_labeling=None)) == []
    (message,) = check(name, cluster(llm_labeling={"enabled": True}))
    assert "no model" in message and "llm_labeling.model_name" in message
    # Switched off: no model needed.
    assert check(name, cluster(llm_labeling={"model_name": "gpt-4o-2024-08-06"})) == []


def test_llm_models_config_and_unknown() -> None:
    name = "llm-labeling-allowed-models"
    config = {"allowedModels": ["gemini-2.0-flash"]}
    (message,) = check(name, cluster(), config)
    assert "'gpt-4o-mini-2024-07-18'" in message and "gemini-2.0-flash" in message
    gemini = {"enabled": True, "model_name": "gemini-2.0-flash"}
    assert check(name, cluster(llm_labeling=gemini), config) == []
    unknown_model = {"enabled": True, "model_name": UNKNOWN}
    assert check(name, cluster(llm_labeling=unknown_model), config) == []
    unknown_enabled = {"enabled": UNKNOWN_BOOLEAN_VALUE}
    assert check(name, cluster(llm_labeling=unknown_enabled), config) == []


# -- no-source-enrichment-in-protected-stacks --------------------------------------------
def test_source_enrichment_in_protected_stacks(stack: Any) -> None:
    name = "no-source-enrichment-in-protected-stacks"
    enriched = {**ATTRIBUTE_CLUSTER, "enrich_source_collection": True}
    legacy = with_vector(enrich_source=True)
    for protected in ("prod", "production"):
        stack(protected)
        (message,) = check(name, enriched)
        assert "enrich_source_collection" in message and repr(protected) in message
        (message,) = check(name, legacy)
        assert "vector_config.enrich_source" in message
        assert check(name, ATTRIBUTE_CLUSTER) == []
    stack("dev")
    assert check(name, enriched) == []


def test_source_enrichment_config_and_unknown(stack: Any) -> None:
    name = "no-source-enrichment-in-protected-stacks"
    enriched = {**ATTRIBUTE_CLUSTER, "enrich_source_collection": True}
    config = {"protectedStacks": ["live"]}
    stack("live")
    assert len(check(name, enriched, config)) == 1
    stack("prod")
    assert check(name, enriched, config) == []
    unknown = {**ATTRIBUTE_CLUSTER, "enrich_source_collection": UNKNOWN_BOOLEAN_VALUE}
    assert check(name, unknown) == []


@pytest.mark.parametrize("token", sorted(ENRICHMENT_TYPES))
def test_cluster_enrichment_into_the_source_collection(stack: Any, token: str) -> None:
    name = "no-source-enrichment-in-protected-stacks"
    assert token in {
        "pulumi-python:dynamic/mixpeek:ClusterEnrichment",
        "mixpeek:index:ClusterEnrichment",
    }
    in_place = {"clustering_ids": ["clu_1"], "source_collection_id": "col_products"}
    elsewhere = {**in_place, "target_collection_id": "col_products_labelled"}
    stack("prod")
    (message,) = check(name, in_place, resource_type=token)
    assert "'col_products'" in message and "set target_collection_id" in message
    assert check(name, elsewhere, resource_type=token) == []
    unknown = {**in_place, "target_collection_id": UNKNOWN}
    assert check(name, unknown, resource_type=token) == []
    assert check(name, in_place, {"protectedStacks": ["live"]}, resource_type=token) == []
    stack("dev")
    assert check(name, in_place, resource_type=token) == []
    # Other policies leave enrichments alone.
    assert check("cluster-required-metadata", in_place, resource_type=token) == []


def test_source_enrichment_without_a_stack_is_not_applicable(stack: Any) -> None:
    stack(None)
    enriched = {**ATTRIBUTE_CLUSTER, "enrich_source_collection": True}
    with pytest.raises(_NotApplicableError):
        check("no-source-enrichment-in-protected-stacks", enriched)


# -- max-clusters-per-stack ---------------------------------------------------------------
def test_max_clusters_per_stack() -> None:
    name = "max-clusters-per-stack"
    other = "pulumi-python:dynamic/mixpeek:ClusterExecution"
    assert check_stack(name, [(CLUSTER_TYPE, False)] * 25) == []
    ((message, urn),) = check_stack(name, [(CLUSTER_TYPE, False)] * 26)
    assert "26 clusters" in message and "25" in message and urn is None
    assert (
        check_stack(name, [(CLUSTER_TYPE, False)] * 2 + [(other, False)] * 5, {"maximum": 2}) == []
    )
    ((message, _),) = check_stack(name, [(CLUSTER_TYPE, False)] * 3, {"maximum": 2})
    assert "remove 1" in message


# -- cluster-keep-output-collections --------------------------------------------------------
def test_protected_clusters_must_keep_their_output_collections() -> None:
    name = "cluster-keep-output-collections"
    for token in CLUSTER_TYPES:
        (message,) = check(name, cluster(), resource_type=token, protect=True)
        assert "keep_output_collections=True" in message and "protected" in message
        assert "1.3.783" in message and "pulumi up" in message
        kept = cluster(keep_output_collections=True)
        assert check(name, kept, resource_type=token, protect=True) == []
        # Not protected: nothing required.
        assert check(name, cluster(), resource_type=token) == []
    # Not known yet (preview): not a violation.
    unknown = cluster(keep_output_collections=UNKNOWN_BOOLEAN_VALUE)
    assert check(name, unknown, protect=True) == []
    # Canonical inputs leave false out; a false that is spelled out is false too.
    assert len(check(name, cluster(keep_output_collections=False), protect=True)) == 1


def test_keep_output_collections_config_applies_to_every_cluster() -> None:
    name = "cluster-keep-output-collections"
    config = {"allClusters": True}
    (message,) = check(name, cluster(), config)
    assert "every cluster must keep them" in message
    assert check(name, cluster(keep_output_collections=True), config) == []
    assert len(check(name, cluster(), config, protect=True)) == 1
    assert check(name, cluster(), {"allClusters": False}) == []
    # A run or an enrichment has no output collections of its own.
    run = {"cluster_id": "clust_1", "triggers": ["v1"]}
    execution = "pulumi-python:dynamic/mixpeek:ClusterExecution"
    assert check(name, run, config, resource_type=execution, protect=True) == []


# -- protect-clusters-in-protected-stacks --------------------------------------------------
def test_protect_clusters_in_protected_stacks(stack: Any) -> None:
    name = "protect-clusters-in-protected-stacks"
    resources = [(CLUSTER_TYPE, True), (CLUSTER_TYPE, False)]
    stack("prod")
    ((message, urn),) = check_stack(name, resources)
    assert urn is not None and urn.endswith("::c1")
    assert "protect=True" in message
    assert check_stack(name, [(CLUSTER_TYPE, True)]) == []
    stack("dev")
    assert check_stack(name, resources) == []
    assert len(check_stack(name, resources, {"protectedStacks": ["dev"]})) == 1
    stack(None)
    with pytest.raises(_NotApplicableError):
        check_stack(name, resources)


# -- the stack name, when the CLI starts the pack itself -----------------------------------
def test_configure_stack_exports_the_stack_name(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("PULUMI_STACK", "PULUMI_PROJECT", "PULUMI_ORGANIZATION", "PULUMI_DRY_RUN"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PULUMI_STACK", "dev")  # inherited from the shell; --stack prod wins
    export_stack_from_configure()
    export_stack_from_configure()  # idempotent
    servicer = _PolicyAnalyzerServicer(
        "pack",
        "0.0.1",
        POLICIES,
        EnforcementLevel.ADVISORY,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
    request = analyzer_pb2.AnalyzerStackConfigureRequest(
        stack="prod", project="clusters", organization="acme", dry_run=True, tags={"a": "b"}
    )
    servicer.ConfigureStack(request, None)
    assert current_stack() == "prod"
    assert os.environ["PULUMI_PROJECT"] == "clusters"
    assert os.environ["PULUMI_DRY_RUN"] == "true"


# -- cluster triggers -------------------------------------------------------------------------
#: A compliant nightly cron trigger, with the API's schedule_config keys.
TRIGGER: dict[str, Any] = {
    "cluster_id": "clust_products",
    "trigger_type": "cron",
    "schedule_config": {"cron_expression": "0 2 * * *", "timezone": "Europe/Berlin"},
    "description": "Re-cluster products every night at 02:00 Berlin time",
    "enabled": True,
}
TRIGGER_TYPE = "pulumi-python:dynamic/mixpeek:ClusterTrigger"


def trigger(**changes: Any) -> dict[str, Any]:
    props = copy.deepcopy(TRIGGER)
    for key, value in changes.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    return props


def check_trigger(
    name: str, props: dict[str, Any], config: dict[str, Any] | None = None
) -> list[str]:
    return check(name, props, config, resource_type=TRIGGER_TYPE)


def cron(expression: str) -> dict[str, Any]:
    return trigger(schedule_config={"cron_expression": expression, "timezone": "UTC"})


def interval(seconds: Any) -> dict[str, Any]:
    return trigger(
        trigger_type="interval",
        schedule_config={"interval_seconds": seconds, "start_immediately": False},
    )


def test_trigger_policies_check_both_trigger_faces_and_only_triggers() -> None:
    from pulumi_mixpeek._constants import TRIGGER_TOKEN
    from pulumi_mixpeek.resources.trigger import TYPE_TOKEN

    assert TRIGGER_TYPES == {TRIGGER_TYPE, "mixpeek:index:ClusterTrigger"}
    assert (TYPE_TOKEN, TRIGGER_TOKEN) == (TRIGGER_TYPE, "mixpeek:index:ClusterTrigger")
    for token in TRIGGER_TYPES:
        assert len(check("cluster-trigger-min-interval", interval(60), resource_type=token)) == 1
        assert len(
            check("cluster-trigger-requires-description", trigger(description=None),
                  resource_type=token)
        ) == 1
    # The cluster policies leave triggers alone, and the trigger policies clusters.
    assert check("cluster-requires-description", trigger(description=None),
                 resource_type=TRIGGER_TYPE) == []
    assert check("cluster-trigger-requires-description", cluster(description=None)) == []
    assert check_stack("max-clusters-per-stack", [(TRIGGER_TYPE, False)] * 30) == []


@pytest.mark.parametrize(
    ("expression", "gap"),
    [
        ("0 2 * * *", 86400),
        ("*/15 * * * *", 900),
        ("* * * * *", 60),
        ("0 */2 * * *", 7200),
        ("0 9-17 * * mon-fri", 3600),
        ("0 23,0 * * *", 3600),  # across midnight
        ("30 1 * * 1,2", 86400),
        ("0 0 * * sun,7", 7 * 86400),  # 7 is Sunday too
        ("5/20 * * * *", 1200),
        ("0 0 28,1 * *", 86400),  # 28 February to 1 March
        ("0 0 1 jan,jul *", 181 * 86400),
        ("0 0 1 * 1", 86400),  # both day fields restricted: either matches
        ("@hourly", 3600),
        ("@daily", 86400),
        ("@weekly", 7 * 86400),
        ("0 0 29 2 *", 1461 * 86400),  # leap days
        ("0 0 30 2 *", None),  # never fires
    ],
)
def test_cron_fire_gap(expression: str, gap: int | None) -> None:
    assert cron_fire_gap(expression) == gap


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("0 2 * *", "4 fields"),
        ("0 0 2 * * *", "6 fields"),
        ("60 * * * *", "minute 60 is outside 0-59"),
        ("0 24 * * *", "hour 24"),
        ("0 0 0 * *", "day of month 0"),
        ("0 0 * 13 *", "month 13"),
        ("*/0 * * * *", "step '0'"),
        ("0 5-1 * * *", "runs backwards"),
        ("0 0 L * *", "'L' is not a number"),
    ],
)
def test_cron_expressions_the_pack_cannot_read(expression: str, reason: str) -> None:
    with pytest.raises(CronError, match=reason):
        cron_fire_gap(expression)


def test_min_interval_default_is_an_hour() -> None:
    name = "cluster-trigger-min-interval"
    assert check_trigger(name, trigger()) == []
    assert check_trigger(name, cron("0 * * * *")) == []
    assert check_trigger(name, interval(3600.0)) == []  # the engine sends floats
    assert check_trigger(name, interval(21600)) == []
    (message,) = check_trigger(name, interval(1800.0))
    assert "interval_seconds 1800" in message and "every 30 minutes" in message
    assert "minimum of 1 hour" in message and "minimumIntervalSeconds" in message
    (message,) = check_trigger(name, cron("*/15 * * * *"))
    assert "'*/15 * * * *'" in message and "every 15 minutes" in message
    assert "minimum of 1 hour" in message
    (message,) = check_trigger(name, cron("0,30 2 * * *"))
    assert "every 30 minutes" in message
    (message,) = check_trigger(name, cron("0 23,0 * * *"), {"minimumIntervalSeconds": 7200})
    assert "every 1 hour" in message and "minimum of 2 hours" in message


def test_min_interval_config() -> None:
    name = "cluster-trigger-min-interval"
    daily = {"minimumIntervalSeconds": 86400}
    assert check_trigger(name, trigger(), daily) == []
    (message,) = check_trigger(name, cron("0 2 * * 1,2"), {"minimumIntervalSeconds": 2 * 86400})
    assert "every 1 day" in message and "minimum of 2 days" in message
    assert len(check_trigger(name, interval(21600), daily)) == 1
    assert check_trigger(name, cron("*/5 * * * *"), {"minimumIntervalSeconds": 300}) == []
    assert check_trigger(name, interval(90), {"minimumIntervalSeconds": 60}) == []


def test_min_interval_unknown_and_other_trigger_types() -> None:
    name = "cluster-trigger-min-interval"
    assert check_trigger(name, cron(UNKNOWN)) == []
    assert check_trigger(name, interval(UNKNOWN)) == []
    assert check_trigger(name, trigger(schedule_config=UNKNOWN)) == []
    # Event and conditional triggers fire on data, not on a schedule.
    event = trigger(
        trigger_type="event",
        schedule_config={
            "event_type": "documents_added", "event_threshold": 100,
            "collection_id": "col_products", "cooldown_seconds": 60,
        },
    )
    assert check_trigger(name, event) == []
    conditional = trigger(
        trigger_type="conditional",
        schedule_config={
            "condition_type": "drift", "threshold": 0.3, "metric": "cosine_drift",
            "check_interval_seconds": 60,
        },
    )
    assert check_trigger(name, conditional) == []


def test_min_interval_reports_a_cron_expression_it_cannot_read() -> None:
    (message,) = check_trigger("cluster-trigger-min-interval", cron("0 2 * *"))
    assert "'0 2 * *' cannot be read (it has 4 fields" in message
    assert "'0 2 * * *'" in message


def test_trigger_requires_description() -> None:
    name = "cluster-trigger-requires-description"
    assert check_trigger(name, trigger()) == []
    (message,) = check_trigger(name, trigger(description=None))
    assert "Set `description`" in message and "in-place update" in message
    assert check_trigger(name, trigger(description="  ")) == [message]
    assert check_trigger(name, trigger(description=UNKNOWN)) == []
