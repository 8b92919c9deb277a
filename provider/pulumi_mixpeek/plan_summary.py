"""``mixpeek-plan-summary``: a pull-request comment from ``pulumi preview --json``.

    PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true \\
        pulumi preview --json --policy-pack policy > preview.json
    mixpeek-plan-summary preview.json --fail-on-delete > comment.md

Prints Markdown: a one-line verdict first, the change counts, a table of every Mixpeek
cluster that would be replaced or deleted (with the properties forcing a replacement), the
other Mixpeek changes, and the policy violations with their enforcement level. Replacing or
deleting a cluster deletes it on the server, so it is never hidden in a long preview. Runs
and enrichments are named for what they are: replacing a ``ClusterExecution`` starts a new
run, replacing a ``ClusterEnrichment`` applies it again, and deleting either only removes it
from the state (its delete makes no API call). A ``ClusterTrigger`` is a schedule on the
server: creating one schedules clustering runs, replacing one deletes the schedule and creates
it again (a new trigger: its counters start over), and deleting one removes the schedule,
nothing of the cluster or its data; neither is listed with the clusters nor trips
``--fail-on-delete`` / ``--fail-on-replace``.

Failing triggers. A ``ClusterTrigger`` whose old state (the last ``up`` or refresh; with
``pulumi preview --refresh``, what the server says now) reports ``consecutive_failures`` above
0 or ``status`` "failed" gets a warning line naming it, its consecutive failures and its
``last_execution_error``, whatever the step, unless the preview deletes it. The event stream
has a step for every resource, so an unchanged trigger is warned about too; the digest lists
only the resources that change (and the stack), so there only a changed trigger is.

Output collections. At an API level whose DELETE deletes a cluster's output collections with
it (``levels.py``: ``cascade_delete``, 1.3.783), the table names the output collections each
replaced or deleted cluster takes with it (its ``output_collection_ids`` in the state), unless
its state keeps them (``keep_output_collections``; for a replacement, the new declaration's
too, which the provider's diff passes on to the delete); the verdict counts them. At 1.3.1 they
are always kept. The level is ``--api-version`` when given, else the stack configuration's
``mixpeek:apiVersion`` that the preview output carries (the digest's ``config``, the event
stream's ``preludeEvent``), else ``MIXPEEK_API_VERSION`` in this command's environment (the
provider's own fallback, so run both in the same job), else today's default, 1.3.783. An
explicit ``native.Provider(api_version=...)`` is not seen: pass ``--api-version``.

Input. ``pulumi preview --json`` prints one of two forms, and both are read (files, or
standard input):
- by default a digest (``steps``, ``changeSummary``, ``diagnostics``), which carries no
  policy results: the CLI leaves policy events out of it (pkg/backend/display/json.go);
- with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, the engine events, one JSON object per
  line: the steps, the counts, the outcome and the policy violations. Use this form in
  pipelines. The event log of ``--event-log FILE`` (a debug command) has the same format.
Only names, property names, policy messages, the ids of the output collections a change
deletes and a failing trigger's failure count and last error (outputs the server reported)
are printed, never input values (they may hold data the program did not mark secret).

Exit status: 0; 1 when ``--fail-on-replace`` or ``--fail-on-delete`` trips, only on a cluster
replaced or deleted (the verdict says which); 2 when an input cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from ._constants import (
    CLUSTER_TOKEN,
    CONFIG_API_VERSION,
    ENRICHMENT_TOKEN,
    ENV_API_VERSION,
    EXECUTION_TOKEN,
    PACKAGE_NAME,
    TRIGGER_TOKEN,
    TYPE_TOKEN_PREFIX,
)
from .levels import API_VERSIONS, DEFAULT_API_VERSION, ApiLevel, api_level
from .names import resource_to_snake
from .resources.cluster import CLUSTER_TYPE
from .resources.enrichment import TYPE_TOKEN as ENRICHMENT_TYPE
from .resources.execution import TYPE_TOKEN as EXECUTION_TYPE
from .resources.trigger import TYPE_TOKEN as TRIGGER_TYPE

__all__ = [
    "InputError",
    "Plan",
    "Step",
    "TRIGGER_TYPES",
    "TriggerHealth",
    "Violation",
    "build_parser",
    "main",
    "parse",
    "plan_level",
    "render",
    "verdict",
]

#: Engine step ops as a reviewer reads them; an op not listed here changes nothing.
_CHANGE_OPS = {
    "create": "create",
    "update": "update",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "delete": "delete",
    "discard": "delete",
    "import": "import",
}
_COUNT_WORDS = {
    "create": "to create",
    "update": "to update in place",
    "replace": "to replace",
    "delete": "to delete",
    "import": "to import",
    "same": "unchanged",
}
#: Resources whose replace or delete deletes nothing on the server: a replaced run is a new
#: run, a replaced enrichment is applied again, and deleting either only leaves the state.
#: Every other Mixpeek resource (a cluster) is deleted on the server by a replace or delete.
_RUN_TYPES = frozenset({EXECUTION_TYPE, EXECUTION_TOKEN})
_ENRICHMENT_TYPES = frozenset({ENRICHMENT_TYPE, ENRICHMENT_TOKEN})
_CLUSTER_TYPES = frozenset({CLUSTER_TYPE, CLUSTER_TOKEN})
#: pulumi_mixpeek.ClusterTrigger and pulumi_mixpeek.native.ClusterTrigger: a schedule on the
#: server, not data.
TRIGGER_TYPES = frozenset({TRIGGER_TYPE, TRIGGER_TOKEN})
#: What a run's or an enrichment's step does, by op, shown after its line.
_STATE_ONLY = "nothing is deleted on the server"
_RUN_EFFECTS = {"create": "starts a run", "replace": "starts a new run", "delete": _STATE_ONLY}
_ENRICHMENT_EFFECTS = {"create": "applies it", "replace": "applies it again", "delete": _STATE_ONLY}
_TRIGGER_EFFECTS = {
    "create": "schedules clustering runs on the server",
    "replace": "deletes its schedule on the server and creates it again: a new trigger, its "
    "run counters start over",
    "delete": "removes its schedule on the server: no more runs from it; the cluster and its "
    "data are kept",
}
#: The longest last_execution_error printed (the rest is cut, with "…").
_ERROR_CHARS = 300
#: Policy events call the advisory level "warning" (apitype.PolicyEvent).
_LEVELS = {"warning": "advisory", "none": "disabled"}
#: The Cluster input (and state) that keeps the output collections on delete.
_KEEP = "keep_output_collections"


class InputError(Exception):
    """An input that is not ``pulumi preview --json`` output."""


@dataclass
class Step:
    op: str
    urn: str
    type: str
    cluster_name: str | None = None
    replace_reasons: list[str] = field(default_factory=list)
    diff_reasons: list[str] = field(default_factory=list)
    #: The old state's ``output_collection_ids`` (None when it records none).
    output_collections: list[str] | None = None
    #: The old state, or a replacement's new inputs, set ``keep_output_collections``.
    keeps_outputs: bool = False

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    @property
    def kind(self) -> str:
        return self.type.rsplit(":", 1)[-1]

    @property
    def is_mixpeek(self) -> bool:
        """A dynamic resource of this package, or one of the native plugin's."""
        return self.type.startswith(TYPE_TOKEN_PREFIX) or self.type.startswith(f"{PACKAGE_NAME}:")

    @property
    def deletes_on_server(self) -> bool:
        """A Mixpeek replace or delete that deletes data on the server (a cluster): any but a
        run's or an enrichment's (whose delete makes no API call) or a trigger's (whose
        delete removes a schedule, not data)."""
        return (
            self.is_mixpeek
            and self.op in {"replace", "delete"}
            and self.type not in _RUN_TYPES | _ENRICHMENT_TYPES | TRIGGER_TYPES
        )

    @property
    def is_cluster(self) -> bool:
        return self.type in _CLUSTER_TYPES

    def loses_outputs(self, level: ApiLevel) -> bool:
        """A cluster replaced or deleted where DELETE cascades (``level``), not kept, with
        output collections recorded (or none recorded at all: then any it has)."""
        return (
            self.deletes_on_server
            and self.is_cluster
            and level.cascade_delete
            and not self.keeps_outputs
            and self.output_collections != []
        )

    def removed_collections(self, level: ApiLevel) -> list[str]:
        """The recorded output collections this step deletes on the server at ``level``."""
        return list(self.output_collections or []) if self.loses_outputs(level) else []

    @property
    def effect(self) -> str:
        """What a run's or an enrichment's step does, in words; "" for other resources."""
        if self.type in _RUN_TYPES:
            return _RUN_EFFECTS.get(self.op, "")
        if self.type in _ENRICHMENT_TYPES:
            return _ENRICHMENT_EFFECTS.get(self.op, "")
        if self.type in TRIGGER_TYPES:
            return _TRIGGER_EFFECTS.get(self.op, "")
        return ""


@dataclass
class TriggerHealth:
    """A ClusterTrigger whose old state reports failures (its outputs)."""

    urn: str
    type: str
    consecutive_failures: int
    status: str | None
    last_error: str | None
    #: The step the preview takes for it (a change op, or e.g. "same").
    op: str = "same"

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    @property
    def kind(self) -> str:
        return self.type.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str
    message: str
    urn: str

    @property
    def resource(self) -> str:
        return self.urn.rsplit("::", 1)[-1] if self.urn else "(stack)"

    @property
    def fix(self) -> str:
        """The message without the policy's description (the pack sends "description\\nmsg")."""
        lines = [line for line in self.message.splitlines() if line.strip()]
        return " ".join(lines[1:] if len(lines) > 1 else lines)


@dataclass
class Plan:
    steps: dict[str, Step] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Whether an input was an engine event stream (which carries the policy results).
    saw_events: bool = False
    #: Whether the preview failed (an error diagnostic, or the engine's own outcome).
    failed: bool = False
    #: ``mixpeek:apiVersion`` of the stack configuration the preview printed, if any.
    api_version: str | None = None
    #: Triggers whose old state reports failures, by URN.
    failing: dict[str, TriggerHealth] = field(default_factory=dict)

    def mixpeek(self, *ops: str) -> list[Step]:
        return [s for s in self.steps.values() if s.is_mixpeek and s.op in ops]

    def destructive(self, *ops: str) -> list[Step]:
        """The Mixpeek steps that delete something on the server (clusters), of ``ops``."""
        return [s for s in self.mixpeek(*ops) if s.deletes_on_server]

    @property
    def failing_triggers(self) -> list[TriggerHealth]:
        """The failing triggers the preview keeps (a deleted one is going away)."""
        return [t for t in self.failing.values() if t.op != "delete"]

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.level in {"mandatory", "remediate"}]


def plan_level(plan: Plan, override: str | None = None) -> ApiLevel:
    """The API level the previewed stack speaks: ``override`` (``--api-version``), else the
    stack configuration's ``mixpeek:apiVersion`` in the preview, else ``MIXPEEK_API_VERSION``,
    else the default. A version this provider does not know counts as the default (today's,
    which deletes output collections: the reading that hides no deletion)."""
    for version in (override, plan.api_version, os.environ.get(ENV_API_VERSION, "").strip()):
        if version:
            return api_level(version if version in API_VERSIONS else DEFAULT_API_VERSION)
    return api_level(None)


# -- reading --------------------------------------------------------------------------------
def _python_names(state: Any, type_: str) -> Any:
    """A state of the native plugin's resource ``type_`` (the schema's camelCase) with its
    inputs and outputs in the API's snake_case, which the rest of this module reads; any
    other state as it is."""
    if not isinstance(state, dict):
        return state
    token = str(state.get("type") or type_)
    renamed = dict(state)
    for bag in ("inputs", "outputs"):
        if isinstance(state.get(bag), dict):
            renamed[bag] = resource_to_snake(token, state[bag])
    return renamed


def _cluster_name(*states: Any) -> str | None:
    for state in states:
        if not isinstance(state, dict):
            continue
        for bag in (state.get("inputs"), state.get("outputs")):
            if isinstance(bag, dict) and isinstance(bag.get("cluster_name"), str):
                return str(bag["cluster_name"])
    return None


def _bags(state: Any) -> list[dict[str, Any]]:
    if not isinstance(state, dict):
        return []
    return [bag for bag in (state.get("inputs"), state.get("outputs")) if isinstance(bag, dict)]


def _output_collections(state: Any) -> list[str] | None:
    for bag in reversed(_bags(state)):  # outputs first: what the server reported
        ids = bag.get("output_collection_ids")
        if isinstance(ids, list):
            return [str(i) for i in ids if isinstance(i, str)]
    return None


def _keeps(state: Any) -> bool:
    return any(bag.get(_KEEP) is True for bag in _bags(state))


def _read_config(plan: Plan, config: Any) -> None:
    """``mixpeek:apiVersion`` from the stack configuration a preview prints (a secret one is
    printed as "[secret]": not read)."""
    if not isinstance(config, dict):
        return
    version = config.get(CONFIG_API_VERSION)
    if isinstance(version, str) and version.strip() and version != "[secret]":
        plan.api_version = version.strip()


def _add_error(plan: Plan, message: Any) -> None:
    """Record an error diagnostic; the engine's closing "preview failed" says nothing more."""
    plan.failed = True
    text = str(message or "").strip().removeprefix("error:").strip()
    if text and text != "preview failed" and text not in plan.errors:
        plan.errors.append(text)


def _failures(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value)


def _read_trigger_health(plan: Plan, op: str, urn: str, type_: str, state: Any) -> None:
    """Record a trigger whose state's outputs report failures (any step op), or forget it
    when a later step's state says it is healthy (``preview --refresh``: the refresh step's
    new state, then the steps after it, carry what the server reported)."""
    if not isinstance(state, dict):
        return
    outputs = state.get("outputs")
    if not isinstance(outputs, dict):
        return
    failures = _failures(outputs.get("consecutive_failures"))
    status = outputs.get("status") if isinstance(outputs.get("status"), str) else None
    if failures <= 0 and status != "failed":
        plan.failing.pop(urn, None)
        return
    error = outputs.get("last_execution_error")
    plan.failing[urn] = TriggerHealth(
        urn=urn,
        type=type_,
        consecutive_failures=failures,
        status=status,
        last_error=error if isinstance(error, str) and error.strip() else None,
        op=_CHANGE_OPS.get(op, op),
    )


def _add_step(
    plan: Plan, op: str, urn: str, type_: str, old: Any, new: Any, keys: Any, diffs: Any
) -> None:
    if not urn:
        return
    if not type_:
        state = new if isinstance(new, dict) and new else old if isinstance(old, dict) else {}
        type_ = str(state.get("type", ""))
    old, new = _python_names(old, type_), _python_names(new, type_)
    if type_ in TRIGGER_TYPES:
        # A refresh step's new state is the server's; any other step's old state the last.
        _read_trigger_health(plan, op, urn, type_, new if op == "refresh" else old)
    change = _CHANGE_OPS.get(op)
    if change is None:
        return
    step = plan.steps.setdefault(urn, Step(op=change, urn=urn, type=type_))
    step.op = change
    step.type = step.type or type_
    step.cluster_name = _cluster_name(new, old) or step.cluster_name
    step.replace_reasons += [str(k) for k in keys or [] if str(k) not in step.replace_reasons]
    step.diff_reasons += [str(k) for k in diffs or [] if str(k) not in step.diff_reasons]
    collections = _output_collections(old)
    if collections is not None:
        step.output_collections = collections
    # A replacement's delete keeps them when the new declaration does (its diff says so).
    step.keeps_outputs = (
        step.keeps_outputs or _keeps(old) or (change == "replace" and _keeps(new))
    )


def _read_digest(plan: Plan, digest: dict[str, Any]) -> None:
    _read_config(plan, digest.get("config"))
    for step in digest.get("steps") or []:
        _add_step(
            plan,
            str(step.get("op", "")),
            str(step.get("urn", "")),
            "",
            step.get("oldState"),
            step.get("newState"),
            step.get("replaceReasons"),
            step.get("diffReasons"),
        )
    plan.counts = {str(k): int(v) for k, v in (digest.get("changeSummary") or {}).items()}
    for diagnostic in digest.get("diagnostics") or []:
        if diagnostic.get("severity") == "error":
            _add_error(plan, diagnostic.get("message"))


def _read_event(plan: Plan, event: dict[str, Any]) -> None:
    if "preludeEvent" in event:
        _read_config(plan, (event["preludeEvent"] or {}).get("config"))
    elif "resourcePreEvent" in event:
        meta = event["resourcePreEvent"].get("metadata") or {}
        _add_step(
            plan,
            str(meta.get("op", "")),
            str(meta.get("urn", "")),
            str(meta.get("type", "")),
            meta.get("old"),
            meta.get("new"),
            meta.get("keys"),
            meta.get("diffs"),
        )
    elif "policyEvent" in event:
        policy = event["policyEvent"]
        level = str(policy.get("enforcementLevel", ""))
        violation = Violation(
            policy=str(policy.get("policyName", "")),
            level=_LEVELS.get(level, level),
            message=str(policy.get("message", "")).strip(),
            urn=str(policy.get("resourceUrn", "")),
        )
        if violation not in plan.violations:
            plan.violations.append(violation)
    elif "summaryEvent" in event:
        summary = event["summaryEvent"]
        changes = summary.get("resourceChanges") or {}
        plan.counts = plan.counts or {str(k): int(v) for k, v in changes.items()}
        plan.failed = plan.failed or summary.get("result") == "failed"
    elif "diagnosticEvent" in event:
        diagnostic = event["diagnosticEvent"]
        if diagnostic.get("severity") == "error" and not diagnostic.get("ephemeral"):
            _add_error(plan, diagnostic.get("message"))


def _documents(source: str, text: str) -> list[Any]:
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{source} is empty: give it the output of `pulumi preview --json`.")
    try:
        return [json.loads(stripped)]
    except json.JSONDecodeError:
        pass
    documents = []
    for number, line in enumerate(stripped.splitlines(), 1):
        if line.strip():
            try:
                documents.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{source} line {number} is not JSON ({exc.msg}): give it the output of "
                    "`pulumi preview --json`."
                ) from None
    return documents


def parse(texts: Iterable[tuple[str, str]]) -> Plan:
    """A Plan from (source name, text) pairs: preview digests and/or engine event streams."""
    plan = Plan()
    for source, text in texts:
        documents = _documents(source, text)
        if not all(isinstance(d, dict) for d in documents):
            raise InputError(f"{source} is not `pulumi preview --json` output.")
        if len(documents) == 1 and {"steps", "changeSummary"} & documents[0].keys():
            _read_digest(plan, documents[0])
            continue
        if not any("sequence" in d or "summaryEvent" in d for d in documents):
            raise InputError(f"{source} is not `pulumi preview --json` output.")
        plan.saw_events = True
        for event in documents:
            _read_event(plan, event)
    return plan


# -- rendering ------------------------------------------------------------------------------
def _code(items: Sequence[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _resource(step: Step) -> str:
    named = (
        f" (cluster `{step.cluster_name}`)"
        if step.cluster_name and step.cluster_name != step.name
        else ""
    )
    return f"{step.kind} `{step.name}`{named}"


def _trigger_health(trigger: TriggerHealth) -> str:
    """One failing trigger: its name, consecutive failures, status and last error."""
    parts = []
    if trigger.consecutive_failures > 0:
        parts.append(_plural(trigger.consecutive_failures, "consecutive failure"))
    if trigger.status == "failed":
        parts.append("status `failed`")
    if trigger.last_error is None:
        error = "no error recorded"
    else:
        text = _cell(trigger.last_error)
        if len(text) > _ERROR_CHARS:
            text = text[: _ERROR_CHARS - 1].rstrip() + "…"
        error = f"last error: {text.replace('`', chr(39))}"
    return f"{trigger.kind} `{trigger.name}` is failing: {', '.join(parts)}; {error}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _outputs_cell(step: Step, level: ApiLevel) -> str:
    """The output-collections cell of a replaced or deleted cluster at a cascading level."""
    if step.keeps_outputs:
        return f"kept (`{_KEEP}`)"
    if not step.loses_outputs(level):
        return "none"
    if step.output_collections is None:
        return "**deleted**: any it has (none recorded in the state)"
    return f"**deleted**: {_code(step.removed_collections(level))}"


def verdict(plan: Plan, level: ApiLevel | None = None) -> str:
    """The first line: blocked, failed, destructive, safe or nothing to do. ``level``: the
    API level the stack speaks (default: ``plan_level(plan)``)."""
    level = level or plan_level(plan)
    if plan.mandatory:
        return (
            f"❌ **Blocked by policy:** {_plural(len(plan.mandatory), 'mandatory violation')}; "
            "this change cannot be applied as it is."
        )
    if plan.failed:
        reason = _cell(plan.errors[0]) if plan.errors else "see the preview log"
        return f"❌ **Preview failed:** {reason}"
    replaced, deleted = plan.destructive("replace"), plan.destructive("delete")
    if replaced or deleted:
        what = " and ".join(
            part
            for part in (
                f"replaces {len(replaced)}" if replaced else "",
                f"deletes {len(deleted)}" if deleted else "",
            )
            if part
        )
        noun = (
            "cluster" if all(s.type in _CLUSTER_TYPES for s in replaced + deleted) else "resource"
        )
        noun += "s" * (len(replaced) + len(deleted) != 1)
        removed = sum(len(s.removed_collections(level)) for s in replaced + deleted)
        if removed:
            outputs = (
                f", and with it {_plural(removed, 'output collection')} "
                f"(API level {level.version})"
            )
        elif any(s.loses_outputs(level) for s in replaced + deleted):
            outputs = f", with any output collections it has (API level {level.version})"
        else:
            outputs = " (its output collections are kept)"
        return (
            f"⚠️ **Destructive:** {what} Mixpeek {noun}; a replaced or deleted cluster is "
            f"deleted on the server{outputs}."
        )
    if not any(count for op, count in plan.counts.items() if op != "same") and not plan.steps:
        return "✅ **No changes.**"
    return "✅ **Safe:** no Mixpeek cluster is replaced or deleted."


def render(plan: Plan, level: ApiLevel | None = None) -> str:
    """The Markdown summary; ``level``: the API level the stack speaks (default:
    ``plan_level(plan)``)."""
    level = level or plan_level(plan)
    lines = [verdict(plan, level), ""]
    counts = [
        f"{plan.counts[op]} {words}" for op, words in _COUNT_WORDS.items() if plan.counts.get(op)
    ]
    lines += [f"**Changes:** {' · '.join(counts) or 'none'}", ""]

    failing = plan.failing_triggers
    if failing:
        lines.append(
            f"**Failing {'triggers' if len(failing) != 1 else 'trigger'}** (as of the last "
            "`up` or refresh; `pulumi preview --refresh` asks the server again):"
        )
        lines += [f"- ⚠️ {_trigger_health(trigger)}" for trigger in failing]
        lines.append("")

    destructive = plan.destructive("replace", "delete")
    if destructive:
        # Where DELETE cascades (1.3.783), which output collections go with each cluster.
        outputs = level.cascade_delete and any(s.is_cluster for s in destructive)
        if outputs:
            lines += [
                "| action | resource | forced by | output collections |",
                "|---|---|---|---|",
            ]
        else:
            lines += ["| action | resource | forced by |", "|---|---|---|"]
        for step in destructive:
            if step.op == "replace":
                cause = _code(step.replace_reasons) or "a replacement the program asked for"
            else:
                cause = "removed from the program"
            row = f"| **{step.op}** | {_cell(_resource(step))} | {cause} |"
            if outputs:
                row += f" {_outputs_cell(step, level) if step.is_cluster else ''} |"
            lines.append(row)
        lines.append("")
        if any(s.loses_outputs(level) for s in destructive):
            lines += [
                f"At API level {level.version} deleting a cluster deletes its output "
                f"collections. To keep them, set `{_KEEP}=True` on the cluster: a replacement "
                "in the same `up` keeps them; before a delete, apply it with `pulumi up` "
                "first.",
                "",
            ]

    others = [s for s in plan.mixpeek(*_CHANGE_OPS.values()) if not s.deletes_on_server]
    if others:
        lines.append("Other Mixpeek changes:")
        for step in others:
            effect = f" ({step.effect})" if step.effect else ""
            if step.op == "delete" and step.type in TRIGGER_TYPES:
                lines.append(f"- delete {_resource(step)}{effect}")
                continue
            if step.op == "delete":
                lines.append(f"- remove {_resource(step)} from the state{effect}")
                continue
            reasons = step.replace_reasons if step.op == "replace" else step.diff_reasons
            changed = f": {_code(reasons)}" if reasons else ""
            lines.append(f"- {step.op} {_resource(step)}{changed}{effect}")
        lines.append("")

    if plan.violations:
        lines.append("**Policy violations:**")
        for violation in plan.violations:
            lines.append(
                f"- **{violation.level}** `{violation.policy}` on `{violation.resource}`: "
                f"{_cell(violation.fix)}"
            )
        lines.append("")
    elif plan.saw_events:
        lines += ["**Policy violations:** none.", ""]
    else:
        lines += [
            "Policy results are not in this `pulumi preview --json` digest: run the preview "
            "with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true to include them.",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _read(path: str, stdin: TextIO) -> tuple[str, str]:
    if path == "-":
        return "standard input", stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return path, handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}.") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mixpeek-plan-summary",
        description="Markdown summary of `pulumi preview --json` for a pull-request comment.",
    )
    parser.add_argument(
        "previews",
        nargs="*",
        default=["-"],
        metavar="FILE",
        help="`pulumi preview --json` output; - or nothing reads standard input",
    )
    parser.add_argument(
        "--fail-on-replace",
        action="store_true",
        help="exit 1 when a Mixpeek cluster would be replaced (deleted and created again)",
    )
    parser.add_argument(
        "--api-version",
        choices=API_VERSIONS,
        help="the Mixpeek API level the stack speaks, which decides whether deleting a "
        "cluster deletes its output collections (default: the preview's mixpeek:apiVersion, "
        f"else {ENV_API_VERSION}, else {DEFAULT_API_VERSION})",
    )
    parser.add_argument(
        "--fail-on-delete",
        action="store_true",
        help="exit 1 when a Mixpeek cluster would be deleted (removing a run or an "
        "enrichment from the program deletes nothing on the server; removing a trigger "
        "deletes its schedule, not data)",
    )
    return parser


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        plan = parse([_read(path, stdin or sys.stdin) for path in args.previews])
    except InputError as exc:
        print(f"mixpeek-plan-summary: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(plan, plan_level(plan, args.api_version)))
    tripped = (args.fail_on_replace and plan.destructive("replace")) or (
        args.fail_on_delete and plan.destructive("delete")
    )
    return 1 if tripped else 0


if __name__ == "__main__":
    sys.exit(main())
