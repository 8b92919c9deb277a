"""The pack's policies: pulumi-policy objects around the rules in ``rules.py``.

Each policy has a kebab-case name, a default enforcement level and, where it takes
parameters, a config schema whose ``default`` values are the ones used when the pack
configuration (``--policy-pack-config``) leaves them out. Resource policies apply to the
provider's two Cluster type tokens (the dynamic resource's and the native plugin's, which
take the same inputs) and ignore inputs they do not know, so new provider fields and
resources never break them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_mixpeek._constants import CLUSTER_TOKEN, ENRICHMENT_TOKEN, TRIGGER_TOKEN
from pulumi_mixpeek.names import renamer, resource_to_snake
from pulumi_mixpeek.resources.cluster import CLUSTER_TYPE
from pulumi_mixpeek.resources.enrichment import TYPE_TOKEN as ENRICHMENT_TYPE
from pulumi_mixpeek.resources.trigger import TYPE_TOKEN as TRIGGER_TYPE
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import _DictProxy, _ListProxy, unknown_checking_proxy

from . import rules
from .stack import current_stack

__all__ = [
    "CLUSTER_TYPES",
    "ENRICHMENT_TYPES",
    "PACK_NAME",
    "POLICIES",
    "TRIGGER_TYPES",
    "config_with_defaults",
]

PACK_NAME = "mixpeek-guardrails"

#: pulumi_mixpeek.Cluster (dynamic provider) and pulumi_mixpeek.native.Cluster (plugin).
CLUSTER_TYPES = frozenset({CLUSTER_TYPE, CLUSTER_TOKEN})
#: pulumi_mixpeek.ClusterEnrichment and pulumi_mixpeek.native.ClusterEnrichment.
ENRICHMENT_TYPES = frozenset({ENRICHMENT_TYPE, ENRICHMENT_TOKEN})
#: pulumi_mixpeek.ClusterTrigger and pulumi_mixpeek.native.ClusterTrigger.
TRIGGER_TYPES = frozenset({TRIGGER_TYPE, TRIGGER_TOKEN})

_STRINGS = {"type": "array", "items": {"type": "string"}}


def _schema(**properties: dict[str, Any]) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties=properties)


def config_with_defaults(schema: PolicyConfigSchema | None, given: Mapping[str, Any]) -> dict:
    """The policy's configuration: the schema defaults, overridden by what was given."""
    defaults = {
        name: spec["default"]
        for name, spec in (schema.properties if schema else {}).items()
        if "default" in spec
    }
    return {**defaults, **dict(given or {})}


def _props(args: ResourceValidationArgs) -> Mapping[str, Any]:
    """The resource's inputs in the rules' names (the API's snake_case): the native plugin's
    resources (``mixpeek:index:*``) carry the schema's camelCase, translated by the schema
    (``pulumi_mixpeek.names``); the dynamic resources' are already snake_case. The renamed
    inputs are wrapped in pulumi-policy's unknown-checking proxy again, so a value not known
    at preview still raises ``UnknownValueError`` where a rule reads it, as before."""
    if args.resource_type not in renamer()[1]["resources"]:
        return args.props
    renamed = resource_to_snake(args.resource_type, _unproxied(args.props))
    proxied: Mapping[str, Any] = unknown_checking_proxy(renamed)
    return proxied


def _unproxied(value: Any) -> Any:
    """``value`` without pulumi-policy's proxies (they hand over their target for the key
    ``"__target"``, ``pulumi_policy/proxy.py``); unknown values stay their sentinels."""
    if isinstance(value, _DictProxy | _ListProxy):
        value = value["__target"]
    if isinstance(value, Mapping):
        return {key: _unproxied(value[key]) for key in value}
    if isinstance(value, list):
        return [_unproxied(item) for item in value]
    return value


def _no_stack(args: ResourceValidationArgs | StackValidationArgs) -> None:
    args.not_applicable("the stack name is unknown (PULUMI_STACK is not set)")


def _cluster_policy(
    name: str,
    description: str,
    level: EnforcementLevel,
    rule: Callable[[Mapping[str, Any], dict[str, Any]], list[str]],
    schema: PolicyConfigSchema | None = None,
    *,
    types: frozenset[str] = CLUSTER_TYPES,
) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        config = config_with_defaults(schema, args.get_config())
        for message in rule(_props(args), config):
            report(message, None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        enforcement_level=level,
        config_schema=schema,
        validate=validate,
    )


_PROTECTED_STACKS = {
    **_STRINGS,
    "default": list(rules.DEFAULT_PROTECTED_STACKS),
    "description": "Stack names treated as production.",
}

_METADATA_SCHEMA = _schema(
    keys={
        **_STRINGS,
        "default": list(rules.DEFAULT_REQUIRED_METADATA),
        "description": "Metadata keys every cluster must set to a non-empty value.",
    }
)
_NAME_SCHEMA = _schema(
    pattern={
        "type": "string",
        "default": rules.DEFAULT_NAME_PATTERN,
        "description": "Regular expression cluster_name must match in full.",
    }
)
_ALGORITHM_SCHEMA = _schema(
    allowed={
        "type": "array",
        "items": {"type": "string", "enum": list(rules.ALGORITHMS)},
        "default": list(rules.ALGORITHMS),
        "description": "Clustering algorithms clusters may use (attribute clusters count as "
        "attribute_based).",
    }
)
_SAMPLE_SCHEMA = _schema(
    maximum={
        "type": "integer",
        "minimum": 1,
        "default": rules.DEFAULT_MAX_SAMPLE_SIZE,
        "description": "Largest vector_config.sample_size (and weight-learning sample size).",
    },
    requireSampleSize={
        "type": "boolean",
        "default": False,
        "description": "Vector clusters must set vector_config.sample_size.",
    },
)
_MODEL_SCHEMA = _schema(
    allowedModels={
        "type": "array",
        "items": {"type": "string", "enum": list(rules.MODELS)},
        "default": list(rules.MODELS),
        "description": "LLM models clusters may label with.",
    }
)
_ENRICHMENT_SCHEMA = _schema(protectedStacks=_PROTECTED_STACKS)
_MAX_CLUSTERS_SCHEMA = _schema(
    maximum={
        "type": "integer",
        "minimum": 0,
        "default": rules.DEFAULT_MAX_CLUSTERS,
        "description": "Most clusters one stack may declare.",
    }
)
_PROTECT_SCHEMA = _schema(protectedStacks=_PROTECTED_STACKS)
_KEEP_OUTPUTS_SCHEMA = _schema(
    allClusters={
        "type": "boolean",
        "default": False,
        "description": "Require keep_output_collections on every cluster, not only on "
        "protected ones.",
    }
)

_TRIGGER_INTERVAL_SCHEMA = _schema(
    minimumIntervalSeconds={
        "type": "number",
        "exclusiveMinimum": 0,
        "default": rules.DEFAULT_MIN_TRIGGER_INTERVAL_S,
        "description": "Shortest time in seconds a trigger's schedule may leave between two "
        "runs (interval_seconds, or two consecutive fire times of cron_expression).",
    }
)


def _validate_source_enrichment(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type in CLUSTER_TYPES:
        rule = rules.source_enrichment_in_protected_stack
    elif args.resource_type in ENRICHMENT_TYPES:
        rule = rules.enrichment_into_source_in_protected_stack
    else:
        return
    stack = current_stack()
    if stack is None:
        _no_stack(args)
        return
    config = config_with_defaults(_ENRICHMENT_SCHEMA, args.get_config())
    for message in rule(_props(args), stack, config["protectedStacks"]):
        report(message, None)


def _validate_keep_outputs(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in CLUSTER_TYPES:
        return
    config = config_with_defaults(_KEEP_OUTPUTS_SCHEMA, args.get_config())
    protected = bool(args.opts.protect) if args.opts is not None else False
    for message in rules.output_collections_not_kept(
        _props(args), protected=protected, all_clusters=bool(config["allClusters"])
    ):
        report(message, None)


def _validate_max_clusters(args: StackValidationArgs, report: ReportViolation) -> None:
    config = config_with_defaults(_MAX_CLUSTERS_SCHEMA, args.get_config())
    count = sum(1 for r in args.resources if r.resource_type in CLUSTER_TYPES)
    for message in rules.too_many_clusters(count, int(config["maximum"])):
        report(message, None)


def _validate_protection(args: StackValidationArgs, report: ReportViolation) -> None:
    stack = current_stack()
    if stack is None:
        _no_stack(args)
        return
    config = config_with_defaults(_PROTECT_SCHEMA, args.get_config())
    clusters = [
        (r.urn, bool(r.opts.protect)) for r in args.resources if r.resource_type in CLUSTER_TYPES
    ]
    for urn, message in rules.unprotected_clusters(clusters, stack, config["protectedStacks"]):
        report(message, urn)


POLICIES: list[Policy] = [
    _cluster_policy(
        "cluster-requires-description",
        "Every Mixpeek cluster has a description.",
        EnforcementLevel.ADVISORY,
        lambda props, _config: rules.missing_description(props),
    ),
    _cluster_policy(
        "cluster-required-metadata",
        "Every Mixpeek cluster carries the required metadata keys (by default: owner).",
        EnforcementLevel.MANDATORY,
        lambda props, config: rules.missing_metadata(props, config["keys"]),
        _METADATA_SCHEMA,
    ),
    _cluster_policy(
        "cluster-name-pattern",
        "Mixpeek cluster names follow the naming pattern.",
        EnforcementLevel.MANDATORY,
        lambda props, config: rules.name_mismatch(props, config["pattern"]),
        _NAME_SCHEMA,
    ),
    _cluster_policy(
        "cluster-allowed-algorithms",
        "Mixpeek clusters use an allowed clustering algorithm.",
        EnforcementLevel.MANDATORY,
        lambda props, config: rules.disallowed_algorithm(props, config["allowed"]),
        _ALGORITHM_SCHEMA,
    ),
    _cluster_policy(
        "cluster-max-sample-size",
        "Mixpeek clusters sample at most the budgeted number of documents.",
        EnforcementLevel.MANDATORY,
        lambda props, config: rules.oversized_sample(
            props, config["maximum"], require=bool(config["requireSampleSize"])
        ),
        _SAMPLE_SCHEMA,
    ),
    _cluster_policy(
        "llm-labeling-allowed-models",
        "Mixpeek clusters label with an allowed LLM model.",
        EnforcementLevel.MANDATORY,
        lambda props, config: rules.disallowed_llm_model(props, config["allowedModels"]),
        _MODEL_SCHEMA,
    ),
    ResourceValidationPolicy(
        name="no-source-enrichment-in-protected-stacks",
        description="Mixpeek clusters in protected stacks do not write into source documents.",
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=_ENRICHMENT_SCHEMA,
        validate=_validate_source_enrichment,
    ),
    ResourceValidationPolicy(
        name="cluster-keep-output-collections",
        description="Protected Mixpeek clusters keep their output collections when deleted or "
        "replaced (keep_output_collections).",
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=_KEEP_OUTPUTS_SCHEMA,
        validate=_validate_keep_outputs,
    ),
    _cluster_policy(
        "cluster-trigger-min-interval",
        "Mixpeek cluster triggers run the clustering at most once per minimum interval "
        "(by default: an hour).",
        EnforcementLevel.MANDATORY,
        lambda props, config: rules.trigger_too_frequent(
            props, float(config["minimumIntervalSeconds"])
        ),
        _TRIGGER_INTERVAL_SCHEMA,
        types=TRIGGER_TYPES,
    ),
    _cluster_policy(
        "cluster-trigger-requires-description",
        "Every Mixpeek cluster trigger has a description.",
        EnforcementLevel.ADVISORY,
        lambda props, _config: rules.trigger_missing_description(props),
        types=TRIGGER_TYPES,
    ),
    StackValidationPolicy(
        name="max-clusters-per-stack",
        description="A stack declares at most the allowed number of Mixpeek clusters.",
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=_MAX_CLUSTERS_SCHEMA,
        validate=_validate_max_clusters,
    ),
    StackValidationPolicy(
        name="protect-clusters-in-protected-stacks",
        description="Mixpeek clusters in protected stacks are protected from deletion.",
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=_PROTECT_SCHEMA,
        validate=_validate_protection,
    ),
]
