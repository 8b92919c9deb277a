"""Resolve the pending Cluster creates an interrupted ``pulumi up`` left in a stack's state.

When ``pulumi up`` dies while creates are in flight (SIGKILL, a CI job timeout), the state
keeps each unfinished create under ``pending_operations`` (type ``creating``): the engine
cannot know whether the cluster was made. ``pulumi refresh`` leaves pending creates alone, and
its ``--import-pending-creates`` does not help (docs/recovering.md, "Recovering from an
interrupted run"), so each next ``up`` fails on every name the lost creates did take.

This module decides, for each pending Cluster create, from what the server holds under the
cluster's name (``plan``), and edits a ``pulumi stack export`` document accordingly
(``apply``). It does no I/O: the command ``mixpeek-recover-pending`` (``recover_pending.py``)
reads the state, asks the server and writes the state back.

A pending create is matched by name (check always sets ``cluster_name``, and names are unique
in a namespace) and then by configuration, with the comparison ``adopt=True`` uses
(``state.immutable_differences``):

- no cluster of that name: the create never reached the server; the pending create is
  cleared and the next ``up`` creates the cluster;
- a cluster whose immutable configuration is the declared one, and which no other resource
  of the state manages: this create made it. ``complete`` puts it into the state as the
  create would have (same inputs, outputs of the cluster as read); ``recreate`` deletes it
  and clears the pending create, so the next ``up`` creates it again;
- a cluster managed by another resource of the state, or whose configuration differs: it is
  not this create's. It is reported and left alone, and the pending create is cleared (the
  create cannot have succeeded under a taken name; the next ``up`` reports the name clash).

A pending create that cannot be matched safely (secret inputs, which the export does not
decrypt; no name; a name two pending creates share) is ``UNDECIDED``: the command then
changes nothing at all, since writing the state back clears every pending operation.

A pending create whose URN is also in the state's resources is the new half of an interrupted
create-before-delete replacement; completing it would need the old copy marked for deletion,
so such a cluster is always deleted and the replacement is redone by the next ``up``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .levels import ApiLevel
from .models import ClusterMetadata
from .normalize import canonical_inputs, strip_internal
from .state import immutable_differences

__all__ = [
    "CLUSTER_TYPE",
    "Action",
    "Decision",
    "PendingCreate",
    "Strategy",
    "apply",
    "other_pending_creates",
    "pending_cluster_creates",
    "plan",
]

#: The Cluster's type token (``pulumi.dynamic.Resource`` with module "mixpeek", name
#: "Cluster"; tests/unit/test_recovery.py checks it against the class).
CLUSTER_TYPE = "pulumi-python:dynamic/mixpeek:Cluster"

_CREATING = "creating"
#: How ``pulumi stack export`` marks a secret value (the key of its envelope object).
_SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"


class Strategy(StrEnum):
    """What to do with a cluster that a pending create did make."""

    COMPLETE = "complete"
    RECREATE = "recreate"


class Action(StrEnum):
    COMPLETE = "complete"  # record the cluster in the state as created
    DELETE = "delete"  # delete the cluster this create made; clear the pending create
    CLEAR = "clear"  # nothing was created; clear the pending create
    LEAVE = "leave"  # the name is held by a cluster that is not this create's: report it
    UNDECIDED = "undecided"  # cannot be matched safely: nothing at all is changed


@dataclass(frozen=True)
class PendingCreate:
    """One pending Cluster create of the state."""

    urn: str
    inputs: dict[str, Any]  # as stored: checked inputs plus ``__provider``
    #: The API level the stack speaks (its defaults shape the canonical form); None: the
    #: seed's.
    level: ApiLevel | None = None

    @property
    def declared(self) -> dict[str, Any]:
        return canonical_inputs(strip_internal(self.inputs), level=self.level)

    @property
    def cluster_name(self) -> str | None:
        name = self.inputs.get("cluster_name")
        return name if isinstance(name, str) and name else None

    @property
    def namespace(self) -> str | None:
        """The namespace recorded in the inputs, when the resource declares one; else the
        stack's configured namespace applies."""
        value = self.inputs.get("namespace")
        return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Decision:
    pending: PendingCreate
    action: Action
    reason: str
    cluster: ClusterMetadata | None = None

    @property
    def changes_server(self) -> bool:
        return self.action in (Action.COMPLETE, Action.DELETE)


def _pending_operations(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(deployment.get("pending_operations") or [])


def pending_cluster_creates(
    deployment: Mapping[str, Any], level: ApiLevel | None = None
) -> list[PendingCreate]:
    """The pending Cluster creates of a deployment (``pulumi stack export``'s
    ``deployment``), in state order, compared at the API ``level`` (default the seed's)."""
    return [
        PendingCreate(
            str(op["resource"]["urn"]), dict(op["resource"].get("inputs") or {}), level
        )
        for op in _pending_operations(deployment)
        if op.get("type") == _CREATING and op["resource"].get("type") == CLUSTER_TYPE
    ]


def other_pending_creates(deployment: Mapping[str, Any]) -> list[str]:
    """URNs of pending creates of other resource types. ``pulumi stack import`` would drop
    them silently, so their presence stops the recovery."""
    return [
        str(op["resource"]["urn"])
        for op in _pending_operations(deployment)
        if op.get("type") == _CREATING and op["resource"].get("type") != CLUSTER_TYPE
    ]


def _holds_secret(value: Any) -> bool:
    if isinstance(value, dict):
        return _SECRET_SIGNATURE in value or any(_holds_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_secret(v) for v in value)
    return False


def _managed_ids(deployment: Mapping[str, Any]) -> dict[str, str]:
    """cluster_id -> URN of every Cluster the state manages."""
    return {
        str(r["id"]): str(r["urn"])
        for r in deployment.get("resources") or []
        if r.get("type") == CLUSTER_TYPE and r.get("id")
    }


def _describe(differing: list[tuple[str, Any, Any]]) -> str:
    return "; ".join(
        f"{field}: declared {wanted!r}, existing {existing!r}"
        for field, wanted, existing in differing
    )


def plan(
    deployment: Mapping[str, Any],
    find: Callable[[PendingCreate], ClusterMetadata | None],
    *,
    strategy: Strategy = Strategy.COMPLETE,
    level: ApiLevel | None = None,
) -> list[Decision]:
    """One decision per pending Cluster create. ``find`` returns the cluster that holds the
    pending create's name in its namespace, or None. ``level``: the API level the stack
    speaks, whose documented defaults apply to the comparison (default the seed's)."""
    managed = _managed_ids(deployment)
    urns = {str(r["urn"]) for r in deployment.get("resources") or [] if not r.get("delete")}
    pending = pending_cluster_creates(deployment, level)
    names: dict[tuple[str | None, str | None], int] = {}
    for item in pending:
        key = (item.namespace, item.cluster_name)
        names[key] = names.get(key, 0) + 1
    decisions = []
    for item in pending:
        name = item.cluster_name
        if name is None:
            decisions.append(
                Decision(item, Action.UNDECIDED, "no cluster_name in its inputs: cannot be matched")
            )
            continue
        if _holds_secret(strip_internal(item.inputs)):
            # The export is read without --show-secrets (it would decrypt the stack's key
            # too), so a secret input cannot be compared or sent.
            decisions.append(
                Decision(
                    item,
                    Action.UNDECIDED,
                    "its inputs hold secret values, which this command does not decrypt",
                )
            )
            continue
        if names[(item.namespace, name)] > 1:
            decisions.append(
                Decision(
                    item,
                    Action.UNDECIDED,
                    f"several pending creates name the cluster {name!r}: cannot tell which "
                    "made it",
                )
            )
            continue
        found = find(item)
        if found is None:
            decisions.append(Decision(item, Action.CLEAR, "never reached the server"))
            continue
        holder = managed.get(found.cluster_id or "")
        if holder is not None:
            decisions.append(
                Decision(
                    item,
                    Action.CLEAR,
                    f"the name is held by {found.cluster_id}, which the state manages as "
                    f"{holder}; this create made nothing",
                    found,
                )
            )
            continue
        differing = immutable_differences(found, item.declared, level)
        if differing:
            decisions.append(
                Decision(
                    item,
                    Action.LEAVE,
                    f"{found.cluster_id} holds the name with another configuration "
                    f"({_describe(differing)}); not taken over, not deleted",
                    found,
                )
            )
        elif strategy is Strategy.RECREATE or item.urn in urns:
            why = (
                "made by an interrupted replacement; the next up replaces again"
                if item.urn in urns
                else "made by this create; the next up creates it again"
            )
            decisions.append(Decision(item, Action.DELETE, f"{found.cluster_id} {why}", found))
        else:
            decisions.append(
                Decision(item, Action.COMPLETE, f"{found.cluster_id} made by this create", found)
            )
    return decisions


def apply(
    deployment: Mapping[str, Any],
    decisions: list[Decision],
    completed: Mapping[str, tuple[str, dict[str, Any]]],
) -> dict[str, Any]:
    """The deployment with every decided pending create resolved: those in ``completed``
    (URN -> (cluster id, outputs)) appended to the resources as created, the others dropped.
    Other pending operations (updates, deletes, reads) are kept; ``pulumi stack import``
    clears them, as ``pulumi refresh`` would."""
    result = copy.deepcopy(dict(deployment))
    decided = {d.pending.urn for d in decisions}
    resources = list(result.get("resources") or [])
    remaining = []
    for op in _pending_operations(result):
        resource = op["resource"]
        urn = str(resource["urn"])
        if op.get("type") != _CREATING or urn not in decided:
            remaining.append(op)
            continue
        if urn in completed:
            cluster_id, outputs = completed[urn]
            state = {k: v for k, v in resource.items() if k not in ("id", "outputs")}
            # Dependencies, parent and provider of a pending create are all recorded
            # before it (a dependent waits for the create), so appending keeps the order.
            resources.append({**state, "id": cluster_id, "outputs": outputs})
    result["resources"] = resources
    result["pending_operations"] = remaining
    return result
