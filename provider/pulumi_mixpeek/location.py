"""Where a cluster lives: the namespace and endpoint recorded for it in state.

A cluster exists in one namespace of one API endpoint. ``check`` records both as inputs
(``namespace``, ``endpoint``: the declared value, else the stack's configuration), so the
engine stores them, shows them in preview and diffs them: a changed namespace or endpoint is
a replacement (the cluster moves); the same namespace written by name or by its ``ns_`` id is
no change (``same_namespace``, the one rule check, every diff and the plugin apply). Every
later operation on an existing cluster (read, update, delete, a replacement's delete)
addresses the place recorded for it, never the configuration of the day, so changing
``mixpeek:namespace`` cannot orphan a cluster.

State written before the namespace was recorded has neither input. For such a resource the
place is the ``namespace_id`` output the API returned at create (X-Namespace accepts the
``ns_`` id) and the configured endpoint (the only one the old code ever used); check keeps
recording nothing for it, so upgrading does not replace every cluster. Its next replacement
records the place as usual.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._unknowns import is_unknown
from .config import Origin, ProviderSettings, validate_endpoint
from .errors import ConfigurationError

__all__ = [
    "Location",
    "NAMESPACE_ID_PREFIX",
    "cluster_location",
    "recorded_inputs",
    "same_namespace",
]

NAMESPACE_ID_PREFIX = "ns_"


@dataclass(frozen=True)
class Location:
    """The settings that address one cluster, and whether the state says it lives there
    (only then is a 404 proof that it is gone)."""

    settings: ProviderSettings
    recorded: bool


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def recorded_inputs(
    declared: Mapping[str, Any], olds: Mapping[str, Any], settings: ProviderSettings
) -> dict[str, Any]:
    """``namespace`` and ``endpoint`` as check records them (network- and key-free).

    - declared on the resource: that value (an unknown value stays unknown);
    - else the stack's configuration (``mixpeek:namespace`` / ``mixpeek:endpoint``, then the
      environment; the endpoint defaults to the public API);
    - no namespace configured at all: the previous recorded one (there is nowhere to move
      to; a new cluster then fails at create asking for the namespace);
    - a resource from state written before these inputs existed (``olds`` has inputs but not
      this one): nothing, see the module docstring.
    """
    recorded: dict[str, Any] = {}
    legacy = bool(olds)
    configured = {
        "namespace": settings.namespace,
        "endpoint": _normal_endpoint(settings.endpoint),
    }
    for name, from_config in configured.items():
        value = declared.get(name)
        if value is not None:
            recorded[name] = _normal_endpoint(value) if name == "endpoint" else value
        elif legacy and name not in olds:
            continue
        elif from_config is not None:
            recorded[name] = from_config
        elif _text(olds.get(name)):
            recorded[name] = olds[name]
    return recorded


def _normal_endpoint(value: Any) -> Any:
    """The endpoint without a trailing slash; an unusable one is kept as given (check
    reports it on ``endpoint``)."""
    if not isinstance(value, str) or is_unknown(value):
        return value
    try:
        return validate_endpoint(value)
    except ConfigurationError:
        return value


def cluster_location(props: Mapping[str, Any], settings: ProviderSettings) -> Location:
    """The settings addressing the cluster described by ``props`` (state inputs or outputs):
    the recorded namespace, else the ``namespace_id`` the API returned, else (unknown
    place) the configured one; the recorded endpoint, else the configured one."""
    namespace = _text(props.get("namespace")) or _text(props.get("namespace_id"))
    endpoint = _text(props.get("endpoint"))
    located = dataclasses.replace(
        settings,
        namespace=namespace or settings.namespace,
        endpoint=endpoint or settings.endpoint,
        namespace_origin=Origin.RESOURCE_INPUT if namespace else settings.namespace_origin,
        endpoint_origin=Origin.RESOURCE_INPUT if endpoint else settings.endpoint_origin,
    )
    return Location(located, recorded=namespace is not None)


def same_namespace(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool | None:
    """Whether the new ``namespace`` is the one recorded in ``olds``: the one rule for "the
    same namespace", applied by check, by the diff of every resource and by the plugin.

    ``olds`` is a previous state (outputs, or check's previous inputs): its recorded
    ``namespace`` (a name or an ``ns_`` id) and, for a Cluster, the ``namespace_id`` the API
    answered (where the cluster lives). A namespace is written by name or by id; names are
    unique, so two different names, or two different ids, are two namespaces. Which id a
    name has is known only when the API paired them (``namespace_id`` next to a recorded
    name); a name against an id nobody paired:

    - in a state that holds a ``namespace_id`` (a Cluster's): not known (None), which diff
      counts as a move. The cluster is read, updated and deleted in the recorded namespace,
      and a 404 there counts as gone, so a name that may be another namespace must never be
      recorded for it without the move;
    - in any other state (a run's, an enrichment's, or check's previous inputs): presumed the
      same (True). A run or an enrichment only reads in its namespace (never deletes there),
      and one whose cluster really moved is renewed anyway, for the cluster's new id; check
      only keeps a generated name on it, and diff, which sees the ``namespace_id``, decides.

    True also when nothing new is recorded (state from before namespaces were recorded: no
    move); None when the new value is not known yet or nothing was recorded to compare with.
    """
    new = news.get("namespace")
    old = _text(olds.get("namespace"))
    old_id = _text(olds.get("namespace_id"))
    if is_unknown(new) or not (new is None or isinstance(new, str)):
        return None  # not known yet, or not a namespace at all (check reports it)
    if new is None or new in (old, old_id):
        return True
    recorded = [value for value in (old, old_id) if value is not None]
    if not recorded:
        return None
    if any(_is_id(value) == _is_id(new) for value in recorded):
        return False  # two names, or two ids
    return None if old_id is not None else True


def _is_id(namespace: str) -> bool:
    return namespace.startswith(NAMESPACE_ID_PREFIX)
