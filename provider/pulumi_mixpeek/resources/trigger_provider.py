"""The dynamic provider behind ``pulumi_mixpeek.ClusterTrigger``: a trigger that runs a
cluster on a schedule (cron, interval), after events or on a condition.

Keep this module path stable: state refers to ``pulumi_mixpeek.resources.trigger_provider
.ClusterTriggerProvider`` (see ``base.py`` for what is pickled: nothing).

- check: local, every problem at once, records the namespace and endpoint: the declaration
  model's (trigger_type one of cron / interval / event / conditional, execution_config's
  collection_ids and config), exactly one of ``cluster_id`` and ``execution_config``, and
  ``schedule_config`` per trigger type (``schedule.py``: a cron expression that does not
  parse, a timezone that does not exist, an interval that is not positive, an event trigger
  without its threshold ...), one failure per ``schedule_config.<key>``.
- diff: local, from the declaration's markers: ``schedule_config``, ``description`` and
  ``enabled`` change in place (UpdateTriggerRequest), every other input replaces; the new
  trigger is created before the old one is deleted (triggers have no unique name).
- create: 1 POST (status ``paused`` when ``enabled`` is false), never repeated after an
  unknown outcome (``client.create_trigger``: the error says it may have been created).
- read: 1 GET; a trigger deleted outside Pulumi (404) leaves the state; an import (no state)
  records the stack's namespace and endpoint; the server's
  trigger_type, cluster_id, schedule_config, description and status (as ``enabled``: false
  while paused or disabled) are read back as inputs, so a trigger paused, resumed or changed
  outside Pulumi shows as drift on refresh and the next ``up`` sets it back.
- update: 1 PATCH of schedule_config / description when they changed (else 1 GET), then
  1 POST pause or resume when the trigger's status is not what ``enabled`` says.
- delete: 1 DELETE; a trigger already gone (404) is deleted.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    ReadResult,
    UpdateResult,
)

from .._unknowns import is_unknown
from ..boundary import user_facing
from ..client import MixpeekClient
from ..errors import APIResponseValidationError, NotFoundError
from ..models import (
    CreateTriggerRequest,
    TriggerModel,
    TriggerStatus,
    UpdateTriggerRequest,
)
from ..models.declaration import ClusterTriggerDeclaration
from ..normalize import canonical_inputs, same_value, strip_internal
from ..progress import report
from ..schedule import schedule_failures
from .base import DESTROY, REFRESH, ReplacingProvider

__all__ = ["ClusterTriggerProvider", "TRIGGER_OUTPUTS", "trigger_outputs"]

MODEL = ClusterTriggerDeclaration

#: Outputs that are not inputs: every other field of the API's trigger model.
TRIGGER_OUTPUTS: tuple[str, ...] = tuple(
    name for name in TriggerModel.model_fields if name not in MODEL.model_fields
)

#: Statuses in which a trigger does not fire on its own (``enabled`` reads false).
_STOPPED = frozenset({TriggerStatus.PAUSED, TriggerStatus.DISABLED})


class ClusterTriggerProvider(ReplacingProvider):
    """``mixpeek:ClusterTrigger``. Stateless: see ``base.py``."""

    MODEL = MODEL

    def check_inputs(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        """As every resource, plus: exactly one of cluster_id / execution_config, and
        schedule_config checked per trigger_type."""
        result = super().check_inputs(olds, news, random_seed)
        raw = strip_internal(news)
        failures = list(result.failures or [])
        seen = {f.property for f in failures}
        for failure in _target_failures(raw) + schedule_failures(
            raw.get("trigger_type"), raw.get("schedule_config")
        ):
            if failure.property not in seen:
                failures.append(failure)
                seen.add(failure.property)
        return CheckResult(result.inputs, failures)

    @user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = canonical_inputs(strip_internal(props), MODEL)
        body = CreateTriggerRequest.model_validate(
            {
                "cluster_id": declared.get("cluster_id"),
                "execution_config": declared.get("execution_config"),
                "trigger_type": declared["trigger_type"],
                "schedule_config": declared["schedule_config"],
                "description": declared.get("description"),
                "status": None if _enabled(declared) else TriggerStatus.PAUSED,
            }
        )
        trigger = self._client(declared).create_trigger(body)
        if not trigger.trigger_id:
            raise APIResponseValidationError(
                "The API created a trigger but named no trigger_id; it cannot be managed. "
                "List the namespace's triggers and delete or import it.",
                method="POST",
                path="/v1/clusters/triggers",
            )
        report(f"created {_describe(trigger)}")
        return CreateResult(trigger.trigger_id, trigger_outputs(declared, trigger))

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = strip_internal(props)
        declared = canonical_inputs(state, MODEL)
        trigger = self._client(declared, command=REFRESH if state else None).find_trigger(id_)
        if trigger is None:
            return ReadResult("", {})
        inputs = canonical_inputs({**declared, **_read_back(declared, trigger)}, MODEL)
        if not state:
            # An import (`pulumi import ... <trigger id>`): the place it was read from.
            inputs = canonical_inputs({**inputs, **self.recorded(inputs, {})}, MODEL)
        return ReadResult(id_, trigger_outputs(inputs, trigger), inputs)

    @user_facing
    def update(self, id_: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Only schedule_config, description and enabled can differ here (every other
        change replaces)."""
        old = canonical_inputs(strip_internal(_olds), MODEL)
        declared = canonical_inputs(strip_internal(_news), MODEL)
        client = self._client(declared)
        changes: dict[str, Any] = {}
        for name in ("schedule_config", "description"):
            value = declared.get(name)
            # PATCH cannot clear a value (null leaves it as it is): a removed description
            # stays on the server.
            if value is not None and not same_value(old.get(name), value):
                changes[name] = value
        if changes:
            trigger = client.update_trigger(id_, UpdateTriggerRequest.model_validate(changes))
            report(f"updated {', '.join(changes)} of {_describe(trigger)}")
        else:
            trigger = client.get_trigger(id_)
        trigger = _set_enabled(client, id_, trigger, _enabled(declared))
        return UpdateResult(trigger_outputs(declared, trigger))

    @user_facing
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        client = self._client(canonical_inputs(strip_internal(_props), MODEL), command=DESTROY)
        try:
            client.delete_trigger(id_)
        except NotFoundError:
            report(f"trigger {id_} was already deleted")


def _enabled(declared: dict[str, Any]) -> bool:
    value = declared.get("enabled")
    return True if value is None else bool(value)


def _describe(trigger: TriggerModel) -> str:
    what = trigger.cluster_id or "its execution_config"
    return f"{trigger.trigger_type.value} trigger {trigger.trigger_id} of {what}"


def _set_enabled(
    client: MixpeekClient, id_: str, trigger: TriggerModel, enabled: bool
) -> TriggerModel:
    """Pause or resume the trigger when its status is not what ``enabled`` says."""
    stopped = trigger.status in _STOPPED
    if enabled and stopped:
        trigger = client.resume_trigger(id_)
        report(f"resumed {_describe(trigger)}")
    elif not enabled and trigger.status is not TriggerStatus.PAUSED:
        trigger = client.pause_trigger(id_)
        report(f"paused {_describe(trigger)}")
    return trigger


def _read_back(declared: dict[str, Any], trigger: TriggerModel) -> dict[str, Any]:
    """The inputs the server's trigger says (drift shows as a change of these)."""
    schedule = trigger.schedule_config
    mine = declared.get("schedule_config")
    if isinstance(mine, dict) and all(
        same_value(mine.get(k), schedule.get(k)) for k in mine
    ):
        # Keys the server filled in (its defaults) are not drift.
        schedule = mine
    back: dict[str, Any] = {
        "trigger_type": trigger.trigger_type.value,
        "schedule_config": schedule,
        "description": trigger.description,
        "enabled": None if trigger.status is None else trigger.status not in _STOPPED,
    }
    if trigger.cluster_id is not None or declared.get("cluster_id") is not None:
        back["cluster_id"] = trigger.cluster_id
    return back


def trigger_outputs(declared: dict[str, Any], trigger: TriggerModel) -> dict[str, Any]:
    """The declared inputs (canonical), then every other field of the trigger model."""
    wire = trigger.model_dump(mode="json")
    return {
        **{name: declared.get(name) for name in MODEL.model_fields},
        **{name: wire.get(name) for name in TRIGGER_OUTPUTS},
    }


def _target_failures(raw: dict[str, Any]) -> list[CheckFailure]:
    """Exactly one of cluster_id and execution_config (CreateTriggerRequest: "Either
    cluster_id OR execution_config must be provided")."""
    cluster_id, config = raw.get("cluster_id"), raw.get("execution_config")
    if is_unknown(cluster_id) or is_unknown(config):
        return []
    if cluster_id is None and config is None:
        return [
            CheckFailure(
                "cluster_id",
                "a trigger runs either a cluster or an execution_config: set cluster_id (e.g. "
                "cluster.id) or execution_config (collection_ids and config)",
            )
        ]
    if cluster_id is not None and config is not None:
        return [
            CheckFailure(
                "execution_config",
                "set either cluster_id or execution_config, not both: with cluster_id the "
                "trigger runs that cluster's configuration",
            )
        ]
    return []
