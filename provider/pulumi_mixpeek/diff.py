"""``diff`` without network: the "Recommended diff strategy" of the dynamic-provider notes.

- compare the canonical inputs found in the old outputs with the canonical new inputs;
- nothing really changed → ``changes=False`` (hides e.g. a re-pickled provider);
- otherwise ``changes=None`` (the engine then renders its own per-property diff and the
  user's replaceOnChanges works) with ``replaces`` = exactly the changed immutable fields;
- a value not known yet counts as changed;
- ``cluster_name`` is always set: check generates one for an unnamed cluster and keeps it;
- ``namespace`` is compared as a place, by the one rule ``location.same_namespace`` (a name
  and its ``ns_`` id are the same namespace), for every resource, in ``changed_fields``,
  which the native plugin's diff uses too;
- replacement order: cluster names are unique per namespace, so a replacement that keeps the
  same name in the same namespace must delete first (whether the provider or the user's
  replaceOnChanges asks for the replacement); otherwise the new cluster is created before the
  old one is deleted. An unknown new name, or a namespace that may be the same one spelled
  differently, is treated as possibly the same. A generated name (check lists it in
  ``DEFAULTS_KEY``) is not kept by a replacement: check already gives a replaced cluster a
  new one, and the engine checks a replacement again without the old inputs (also one that
  the user's replaceOnChanges forces), which generates a new name, so it is created first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import DiffResult
from pydantic import BaseModel

from ._constants import DEFAULTS_KEY
from ._unknowns import contains_unknown, is_unknown
from .fields import diffable_fields, replace_fields
from .levels import SEED_API_VERSION, ApiLevel, api_level
from .location import same_namespace
from .models.declaration import ClusterDeclaration
from .normalize import canonical_inputs, same_value

__all__ = ["changed_fields", "diff_cluster", "diff_replacing", "replaced_fields"]


def changed_fields(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    model: type[BaseModel] = ClusterDeclaration,
    level: ApiLevel | None = None,
) -> list[str]:
    """Input fields whose declared value really changed (``olds``: the old outputs, or the
    previous inputs; ``news``: the new inputs), compared in canonical form at the API
    ``level`` (a Cluster's defaults depend on it; default the seed's). ``namespace`` changed
    unless ``same_namespace`` says it is the same one."""
    old = canonical_inputs(olds, model, level)
    new = canonical_inputs(news, model, level)
    changed = []
    for name in diffable_fields(model):
        value = new.get(name)
        if name == "namespace":
            if same_namespace(olds, news) is not True:
                changed.append(name)
        elif contains_unknown(value):
            changed.append(name)
        elif not same_value(old.get(name), value):
            changed.append(name)
    return changed


def _changes_in_place(
    name: str, old: Mapping[str, Any], new: Mapping[str, Any], level: ApiLevel
) -> bool:
    """Whether the change of the immutable field ``name`` is one ``level``'s PATCH makes: the
    field itself is changed in place there (and still has a value: PATCH cannot clear it,
    null leaves it as it is), or only keys of it that are, none removed."""
    before, after = old.get(name), new.get(name)
    if after is None or contains_unknown(after):
        return False
    if name in level.in_place:
        return True
    keys = level.in_place_keys(name)
    if not keys or not isinstance(before, dict) or not isinstance(after, dict):
        return False
    if any(after.get(key) is None for key in keys if before.get(key) is not None):
        return False
    rest = [{k: v for k, v in side.items() if k not in keys} for side in (before, after)]
    return same_value(rest[0], rest[1])


def replaced_fields(
    olds: Mapping[str, Any], news: Mapping[str, Any], level: ApiLevel | None = None
) -> list[str]:
    """The changed fields that force a replacement at ``level`` (default: the seed's, whose
    in-place fields are the ones marked so) (``olds``: previous inputs or outputs)."""
    level = level or api_level(SEED_API_VERSION)
    immutable = replace_fields()
    old, new = canonical_inputs(olds, level=level), canonical_inputs(news, level=level)
    return [
        name
        for name in changed_fields(olds, news, level=level)
        if name in immutable and not _changes_in_place(name, old, new, level)
    ]


def diff_cluster(
    olds: Mapping[str, Any], news: Mapping[str, Any], level: ApiLevel | None = None
) -> DiffResult:
    """``olds``: the previous outputs; ``news``: the checked inputs (engine keys included);
    ``level``: the API level spoken (what its PATCH changes in place)."""
    if not changed_fields(olds, news, level=level):
        return DiffResult(changes=False)
    # Set even when nothing here forces a replacement: the user's replaceOnChanges can turn
    # an in-place change into a replacement, and the engine then reads this flag too.
    return DiffResult(
        changes=None,
        replaces=replaced_fields(olds, news, level),
        delete_before_replace=_delete_first(olds, news, same_namespace(olds, news)),
    )


def _delete_first(olds: Mapping[str, Any], news: Mapping[str, Any], place: bool | None) -> bool:
    """Whether a replacement could meet the old cluster's name in the old cluster's namespace."""
    defaults = news.get(DEFAULTS_KEY)
    if isinstance(defaults, list) and "cluster_name" in defaults:
        return False
    if place is False:
        return False
    new_name = news.get("cluster_name")
    return is_unknown(new_name) or (new_name is not None and new_name == olds.get("cluster_name"))


def diff_replacing(
    olds: Mapping[str, Any], news: Mapping[str, Any], model: type[BaseModel]
) -> DiffResult:
    """The same strategy for a resource whose every change is a replacement (a clustering
    run, an enrichment): the new one is created before the old one leaves the state."""
    changed = changed_fields(olds, news, model)
    if not changed:
        return DiffResult(changes=False)
    immutable = replace_fields(model)
    return DiffResult(
        changes=None,
        replaces=[name for name in changed if name in immutable],
        delete_before_replace=False,
    )
