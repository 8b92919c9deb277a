"""``diff`` without network: the "Recommended diff strategy" of the dynamic-provider notes.

- compare the canonical inputs found in the old outputs with the canonical new inputs;
- nothing really changed → ``changes=False`` (hides e.g. a re-pickled provider);
- otherwise ``changes=None`` (the engine then renders its own per-property diff and the
  user's replaceOnChanges works) with ``replaces`` = exactly the changed immutable fields;
- a value not known yet counts as changed;
- ``cluster_name`` is always set: check generates one for an unnamed cluster and keeps it;
- replacement order: cluster names are unique per namespace, so a replacement that keeps the
  same name must delete first (whether the provider or the user's replaceOnChanges asks for
  the replacement); otherwise the new cluster is created before the old one is deleted. An
  unknown new name is treated as possibly the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import DiffResult

from ._unknowns import contains_unknown, is_unknown
from .fields import diffable_fields, replace_fields
from .normalize import canonical_inputs, same_value

__all__ = ["changed_fields", "diff_cluster"]


def changed_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Input fields whose declared value really changed (old outputs vs new inputs)."""
    old = canonical_inputs(olds)
    new = canonical_inputs(news)
    changed = []
    for name in diffable_fields():
        value = new.get(name)
        if contains_unknown(value):
            changed.append(name)
        elif not same_value(old.get(name), value):
            changed.append(name)
    return changed


def diff_cluster(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    changed = changed_fields(olds, news)
    if not changed:
        return DiffResult(changes=False)
    immutable = replace_fields()
    replaces = [name for name in changed if name in immutable]
    new_name = news.get("cluster_name")
    keeps_name = is_unknown(new_name) or (
        new_name is not None and new_name == olds.get("cluster_name")
    )
    # Set even when nothing here forces a replacement: the user's replaceOnChanges can turn
    # an in-place change into a replacement, and the engine then reads this flag too.
    return DiffResult(changes=None, replaces=replaces, delete_before_replace=keeps_name)
