"""The house rules for Mixpeek clusters as plain functions: inputs in, messages out.

Each rule reads a cluster's inputs as the engine hands them to a policy pack: the checked
inputs, in the provider's canonical form (values equal to the API default are left out, and
``cluster_name`` is always set, generated when the program omits it). An empty list means
compliant; each message says what to change.

Values not known yet (during preview, e.g. a name built from another resource's output) are
skipped: a rule reports nothing for them rather than guess, and runs again on the known
values when ``pulumi up`` analyses the same resource before changing it. pulumi-policy hands
the inputs over wrapped in ``unknown_checking_proxy``, which raises ``UnknownValueError`` when
an unknown value is read; ``_lookup`` turns that into ``UNKNOWN`` for one value, so an unknown
in one field never hides a violation in another.

Field names and enums are the provider's own declarations (``pulumi_mixpeek.models``): a
renamed field fails at import, not silently at review time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from pulumi_mixpeek.models.config import (
    MODEL_NAMES,
    ClusteringAlgorithm,
    LLMLabelingInput,
    VectorBasedConfig,
    WeightLearningConfig,
)
from pulumi_mixpeek.models.declaration import ClusterDeclaration, ClusterEnrichmentDeclaration
from pulumi_policy.proxy import UnknownValueError
from pydantic import BaseModel

__all__ = [
    "ALGORITHMS",
    "DEFAULT_MIN_TRIGGER_INTERVAL_S",
    "DEFAULT_MAX_CLUSTERS",
    "DEFAULT_MAX_SAMPLE_SIZE",
    "DEFAULT_NAME_PATTERN",
    "DEFAULT_PROTECTED_STACKS",
    "DEFAULT_REQUIRED_METADATA",
    "MODELS",
    "CronError",
    "UNKNOWN",
    "disallowed_algorithm",
    "disallowed_llm_model",
    "enrichment_into_source_in_protected_stack",
    "missing_description",
    "missing_metadata",
    "name_mismatch",
    "output_collections_not_kept",
    "oversized_sample",
    "source_enrichment_in_protected_stack",
    "too_many_clusters",
    "cron_fire_gap",
    "trigger_missing_description",
    "trigger_too_frequent",
    "unprotected_clusters",
]


def _field(model: type[BaseModel], name: str) -> str:
    if name not in model.model_fields:
        raise AssertionError(f"{model.__name__} declares no field {name!r}")
    return name


DESCRIPTION = _field(ClusterDeclaration, "description")
METADATA = _field(ClusterDeclaration, "metadata")
CLUSTER_NAME = _field(ClusterDeclaration, "cluster_name")
VECTOR_CONFIG = _field(ClusterDeclaration, "vector_config")
ATTRIBUTE_CONFIG = _field(ClusterDeclaration, "attribute_config")
LLM_LABELING = _field(ClusterDeclaration, "llm_labeling")
ENRICH_SOURCE_COLLECTION = _field(ClusterDeclaration, "enrich_source_collection")
KEEP_OUTPUT_COLLECTIONS = _field(ClusterDeclaration, "keep_output_collections")
CLUSTERING_METHOD = _field(VectorBasedConfig, "clustering_method")
SAMPLE_SIZE = _field(VectorBasedConfig, "sample_size")
WEIGHT_LEARNING_CONFIG = _field(VectorBasedConfig, "weight_learning_config")
WEIGHT_SAMPLE_SIZE = _field(WeightLearningConfig, "sample_size")
ENRICH_SOURCE = _field(VectorBasedConfig, "enrich_source")
ENABLED = _field(LLMLabelingInput, "enabled")
SOURCE_COLLECTION_ID = _field(ClusterEnrichmentDeclaration, "source_collection_id")
TARGET_COLLECTION_ID = _field(ClusterEnrichmentDeclaration, "target_collection_id")
MODEL_NAME = _field(LLMLabelingInput, "model_name")

#: Every clustering algorithm API 1.3.1 accepts, and every labeling model.
ALGORITHMS: tuple[str, ...] = tuple(a.value for a in ClusteringAlgorithm)
MODELS: tuple[str, ...] = MODEL_NAMES

DEFAULT_REQUIRED_METADATA: tuple[str, ...] = ("owner",)
#: Lowercase letters, digits, '-' and '_', starting with a letter (matched in full).
#: Names the provider generates for unnamed clusters (``pulumi-<hex>``) match it.
DEFAULT_NAME_PATTERN = r"[a-z][a-z0-9_-]*"
DEFAULT_MAX_SAMPLE_SIZE = 100_000
DEFAULT_PROTECTED_STACKS: tuple[str, ...] = ("prod", "production")
DEFAULT_MAX_CLUSTERS = 25


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: What ``_lookup`` returns for a value the engine does not know yet.
UNKNOWN: Any = _Unknown()


def _lookup(props: Any, *path: str) -> Any:
    """``props[path[0]][path[1]]...``; None when absent, UNKNOWN when not known yet."""
    value = props
    for key in path:
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, Mapping):
            return None
        try:
            value = value.get(key)
        except UnknownValueError:
            return UNKNOWN
        if value is None:
            return None
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def missing_description(props: Mapping[str, Any]) -> list[str]:
    value = _lookup(props, DESCRIPTION)
    if value is UNKNOWN or not _blank(value):
        return []
    return [
        "Set `description` to say what the cluster groups and who reads its output "
        "(an in-place update)."
    ]


def missing_metadata(props: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    metadata = _lookup(props, METADATA)
    if metadata is UNKNOWN:
        return []
    missing = []
    for key in keys:
        value = _lookup(metadata, key)
        if value is not UNKNOWN and _blank(value):
            missing.append(key)
    if not missing:
        return []
    example = ", ".join(f'"{key}": "..."' for key in missing)
    return [
        f"`metadata` lacks {', '.join(repr(k) for k in missing)}: add {{{example}}} to the "
        "cluster's metadata (an in-place update)."
    ]


def name_mismatch(props: Mapping[str, Any], pattern: str) -> list[str]:
    name = _lookup(props, CLUSTER_NAME)
    if name is UNKNOWN or not isinstance(name, str):
        return []
    try:
        matches = re.fullmatch(pattern, name) is not None
    except re.error as exc:
        return [
            f"The policy's `pattern` {pattern!r} is not a valid regular expression ({exc}): "
            "fix it in the policy pack configuration."
        ]
    if matches:
        return []
    hint = (
        "use lowercase letters, digits, '-' and '_', starting with a letter"
        if pattern == DEFAULT_NAME_PATTERN
        else f"use a name matching {pattern!r} in full"
    )
    return [
        f"cluster_name {name!r} does not follow the naming rule: {hint} "
        "(a rename is an in-place update)."
    ]


def _algorithm(props: Mapping[str, Any]) -> Any:
    method = _lookup(props, VECTOR_CONFIG, CLUSTERING_METHOD)
    if method is not None:
        return method
    # Attribute clusters have no clustering_method; the API reports them as attribute_based.
    attribute = _lookup(props, ATTRIBUTE_CONFIG)
    if attribute is UNKNOWN:
        return UNKNOWN
    return ClusteringAlgorithm.ATTRIBUTE_BASED.value if attribute is not None else None


def disallowed_algorithm(props: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    method = _algorithm(props)
    if method is UNKNOWN or method is None or method in allowed:
        return []
    return [
        f"Clustering algorithm {method!r} is not allowed here: use one of "
        f"{', '.join(allowed) or '(none configured)'} "
        "(changing the algorithm replaces the cluster)."
    ]


def oversized_sample(
    props: Mapping[str, Any], maximum: float, *, require: bool = False
) -> list[str]:
    vector = _lookup(props, VECTOR_CONFIG)
    if vector is UNKNOWN or vector is None:
        return []  # attribute clusters take no sample
    messages = []
    size = _lookup(vector, SAMPLE_SIZE)
    if size is None and require:
        messages.append(
            f"vector_config.sample_size is not set, so every run clusters all documents: set it "
            f"to at most {_number(maximum)}."
        )
    elif isinstance(size, int | float) and size > maximum:
        messages.append(
            f"vector_config.sample_size {_number(size)} is above the budget of "
            f"{_number(maximum)}: lower it (a change replaces the cluster)."
        )
    learning = _lookup(vector, WEIGHT_LEARNING_CONFIG, WEIGHT_SAMPLE_SIZE)
    if isinstance(learning, int | float) and learning > maximum:
        messages.append(
            f"vector_config.weight_learning_config.sample_size {_number(learning)} is above the "
            f"budget of {_number(maximum)}: lower it (a change replaces the cluster)."
        )
    return messages


def disallowed_llm_model(props: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    enabled = _lookup(props, LLM_LABELING, ENABLED)
    if enabled is UNKNOWN or enabled is not True:
        return []
    model = _lookup(props, LLM_LABELING, MODEL_NAME)
    choices = ", ".join(allowed) or "(none configured)"
    if model is UNKNOWN:
        return []
    if model is None:
        return [
            f"LLM labeling is enabled with no model: set llm_labeling.model_name to one of "
            f"{choices}, or turn labeling off."
        ]
    if model in allowed:
        return []
    return [
        f"LLM model {model!r} is not allowed here: use one of {choices} "
        "(changing the model replaces the cluster)."
    ]


def source_enrichment_in_protected_stack(
    props: Mapping[str, Any], stack: str, protected_stacks: Iterable[str]
) -> list[str]:
    if stack not in set(protected_stacks):
        return []
    switched_on = [
        ".".join(path)
        for path in ((ENRICH_SOURCE_COLLECTION,), (VECTOR_CONFIG, ENRICH_SOURCE))
        if _lookup(props, *path) is True
    ]
    if not switched_on:
        return []
    return [
        f"{' and '.join(switched_on)} writes cluster results into the source documents, which "
        f"is not allowed in stack {stack!r}: remove it, or enable it in a non-production "
        "stack first."
    ]


def enrichment_into_source_in_protected_stack(
    props: Mapping[str, Any], stack: str, protected_stacks: Iterable[str]
) -> list[str]:
    """A ClusterEnrichment without target_collection_id, in a protected stack.

    Assumption (API 1.3.1 does not say where results go without a target): they are written
    into the source collection's documents, the reading that is safest for the data.
    """
    if stack not in set(protected_stacks):
        return []
    target = _lookup(props, TARGET_COLLECTION_ID)
    if target is UNKNOWN or not _blank(target):
        return []
    source = _lookup(props, SOURCE_COLLECTION_ID)
    named = f" {source!r}" if isinstance(source, str) else ""
    return [
        f"This enrichment writes cluster results into the documents of source collection"
        f"{named}, which is not allowed in stack {stack!r}: set target_collection_id to "
        "write them into another collection, or remove the enrichment."
    ]


def output_collections_not_kept(
    props: Mapping[str, Any], *, protected: bool, all_clusters: bool = False
) -> list[str]:
    """A protected cluster (``protect=True``; every cluster with ``all_clusters``) that does
    not set ``keep_output_collections``: at API level 1.3.783 (the provider's default) a
    delete or a replacement deletes the cluster's output collections with it. ``protect``
    stops a delete or replacement while it is set; the output collections should survive the
    day it is lifted."""
    if not (protected or all_clusters):
        return []
    keep = _lookup(props, KEEP_OUTPUT_COLLECTIONS)
    if keep is UNKNOWN or keep is True:
        return []
    why = "it is protected" if protected else "every cluster must keep them here"
    return [
        f"Set keep_output_collections=True on this cluster ({why}): at API level 1.3.783 "
        "deleting or replacing a cluster deletes its output collections with it. The change "
        "is an in-place update that makes no API call; apply it with `pulumi up` before any "
        "destroy or replacement."
    ]


def too_many_clusters(count: int, maximum: int) -> list[str]:
    if count <= maximum:
        return []
    return [
        f"The stack declares {count} clusters, more than the {maximum} allowed: remove "
        f"{count - maximum}, or raise `maximum` in the policy configuration."
    ]


def unprotected_clusters(
    clusters: Iterable[tuple[str, bool]], stack: str, protected_stacks: Iterable[str]
) -> list[tuple[str, str]]:
    """(urn, message) for each cluster without ``protect`` in a protected stack.

    ``clusters`` holds (urn, protect) pairs. The resource option ``retain_on_delete`` would
    do too, but the engine does not pass it to policy packs (the Analyzer protocol's
    resource options carry protect, ignoreChanges, deleteBeforeReplace, aliases,
    customTimeouts, additionalSecretOutputs and parent only), so only ``protect`` is seen.
    """
    if stack not in set(protected_stacks):
        return []
    return [
        (
            urn,
            f"Clusters in stack {stack!r} must be protected from deletion: add "
            "opts=pulumi.ResourceOptions(protect=True) to this cluster.",
        )
        for urn, protect in clusters
        if not protect
    ]


# -- cluster triggers ----------------------------------------------------------------------
# A ClusterTrigger's inputs: ``trigger_type`` and ``schedule_config``, whose keys are the
# API's per trigger type (SDK ``SharedClustersTriggersModelsCreateTriggerRequest``): cron
# {cron_expression, timezone}, interval {interval_seconds, start_immediately}, event
# {event_type, event_threshold, collection_id, cooldown_seconds}, conditional
# {condition_type, threshold, metric, check_interval_seconds}.
TRIGGER_TYPE = "trigger_type"
SCHEDULE_CONFIG = "schedule_config"
TRIGGER_DESCRIPTION = "description"
CRON_EXPRESSION = "cron_expression"
INTERVAL_SECONDS = "interval_seconds"

#: A trigger may fire at most once an hour unless the pack configuration says otherwise.
DEFAULT_MIN_TRIGGER_INTERVAL_S = 3600

_CRON_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
#: (name, lowest, highest, names) of the five fields; day of week 7 is Sunday too.
_CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _WEEKDAYS),
)
#: Days scanned for consecutive fire days: five years hold a leap day, every month length
#: and every weekday on every date, so the shortest gap between two fire days shows.
_CRON_SCAN_DAYS = 5 * 366


class CronError(ValueError):
    """A cron expression this pack cannot read (it says why)."""


def _cron_value(text: str, name: str, low: int, high: int, names: Sequence[str]) -> int:
    lowered = text.lower()
    if lowered in names:
        return names.index(lowered) + (1 if name == "month" else 0)
    if not text.isdigit():
        raise CronError(f"{name} {text!r} is not a number")
    value = int(text)
    if not low <= value <= high:
        raise CronError(f"{name} {value} is outside {low}-{high}")
    return value


def _cron_field(text: str, name: str, low: int, high: int, names: Sequence[str]) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) < 1:
                raise CronError(f"{name} step {step_text!r} is not a positive number")
            step = int(step_text)
        if base in {"*", "?"}:
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start = _cron_value(first, name, low, high, names)
            end = _cron_value(last, name, low, high, names)
            if start > end:
                raise CronError(f"{name} range {base!r} runs backwards")
        else:
            start = _cron_value(base, name, low, high, names)
            end = high if slash else start  # "5/15": from 5, every 15
        values.update(range(start, end + 1, step))
    return values


def cron_fire_gap(expression: str) -> int | None:
    """The shortest time in seconds between two consecutive fire times of a five-field cron
    expression (minute hour day-of-month month day-of-week, with lists, ranges, steps, month
    and weekday names, and the @hourly-style macros); None when it fires at most once in the
    five years scanned. Wall-clock time: the timezone's daylight-saving shifts are not
    counted. When both day fields are restricted a day matches either (as cron does).

    Raises CronError for an expression it cannot read.
    """
    text = _CRON_MACROS.get(expression.strip().lower(), expression)
    fields = text.split()
    if len(fields) != 5:
        raise CronError(
            f"it has {len(fields)} fields, not the 5 of minute hour day-of-month month "
            "day-of-week"
        )
    minutes, hours, days, months, weekdays = (
        _cron_field(field, name, low, high, names)
        for field, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True)
    )
    weekdays = {0 if day == 7 else day for day in weekdays}
    either = not fields[2].startswith("*") and not fields[4].startswith("*")
    # Fire times within one day, in minutes after midnight, and the gaps between them.
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    start = date(2024, 1, 1)
    fire_days = []
    for offset in range(_CRON_SCAN_DAYS):
        day = start + timedelta(days=offset)
        weekday = day.isoweekday() % 7  # cron: Sunday 0
        in_month = day.month in months
        by_date, by_weekday = day.day in days, weekday in weekdays
        if in_month and ((by_date or by_weekday) if either else (by_date and by_weekday)):
            fire_days.append(offset)
    if not fire_days:
        return None
    for earlier, later in zip(fire_days, fire_days[1:], strict=False):
        gaps.append((later - earlier) * 1440 + times[0] - times[-1])
    return min(gaps) * 60 if gaps else None


def _duration(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            return _plural_unit(int(seconds // size), unit)
    return _plural_unit(seconds, "second")


def _plural_unit(count: float, unit: str) -> str:
    return f"{_number(count)} {unit}{'' if count == 1 else 's'}"


def trigger_too_frequent(props: Mapping[str, Any], minimum: float) -> list[str]:
    """A trigger whose schedule fires more often than once every ``minimum`` seconds: an
    ``interval_seconds`` below it, or a ``cron_expression`` two of whose consecutive fire
    times are closer than it. Event and conditional triggers fire on data, not on a
    schedule, and are not checked; an expression this pack cannot read is reported."""
    limit = _duration(minimum)
    fix = (
        f"schedule it at most once every {limit}, or raise `minimumIntervalSeconds` in the "
        "policy configuration"
    )
    messages = []
    interval = _lookup(props, SCHEDULE_CONFIG, INTERVAL_SECONDS)
    if isinstance(interval, int | float) and not isinstance(interval, bool):
        if interval < minimum:
            messages.append(
                f"schedule_config.interval_seconds {_number(interval)} runs the clustering "
                f"every {_duration(interval)}, more often than the minimum of {limit}: {fix}."
            )
    expression = _lookup(props, SCHEDULE_CONFIG, CRON_EXPRESSION)
    if isinstance(expression, str):
        try:
            gap = cron_fire_gap(expression)
        except CronError as exc:
            messages.append(
                f"schedule_config.cron_expression {expression!r} cannot be read ({exc}), so "
                "how often it fires cannot be checked: use five fields, minute hour "
                "day-of-month month day-of-week (e.g. '0 2 * * *' for 02:00 every day)."
            )
        else:
            if gap is not None and gap < minimum:
                messages.append(
                    f"schedule_config.cron_expression {expression!r} fires as often as every "
                    f"{_duration(gap)}, more often than the minimum of {limit}: {fix}."
                )
    return messages


def trigger_missing_description(props: Mapping[str, Any]) -> list[str]:
    value = _lookup(props, TRIGGER_DESCRIPTION)
    if value is UNKNOWN or not _blank(value):
        return []
    return [
        "Set `description` to say what this trigger runs, when and why, so whoever sees it "
        "fire (or fail) knows what it is for (an in-place update)."
    ]
