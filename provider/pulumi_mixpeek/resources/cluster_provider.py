"""The dynamic provider behind ``pulumi_mixpeek.Cluster``.

Pickling: Pulumi dill-pickles this object into every resource's state (``__provider``). It
holds no data at all (``__getstate__`` returns nothing), and its class lives in this installed
module, so the pickle is a reference to ``pulumi_mixpeek.resources.cluster_provider
.ClusterProvider``: small, stable across releases, and free of keys. Keep this module path
stable: existing state refers to it. Settings are read in ``configure`` (stack config, then
environment) or, when the engine never called it, from the environment at first use; the HTTP
client is created lazily, one per provider process (``client.shared_client``).

Where: every operation on an existing cluster addresses the namespace and endpoint recorded
for it in state (``location.py``), through the shared client for those settings.

Round trips: check and diff make none; create = 1 POST (+1 PATCH when description or
metadata are declared); with adopt=True, 1 GET by name and no POST when the cluster exists
(+1 PATCH when description/metadata differ); read = 1 GET; update = 1 PATCH (only when a
mutable field changed) + 1 GET; delete = 1 DELETE.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any, NoReturn

from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from .._constants import AUTONAME_SEED_KEY, DEFAULTS_KEY, GENERATED_NAME_PREFIX, UNKNOWN_SENTINEL
from .._unknowns import contains_unknown
from ..boundary import user_facing
from ..client import MixpeekClient, shared_client
from ..diff import changed_fields, diff_cluster, replaced_fields
from ..errors import AdoptionError, APIResponseValidationError, MixpeekError, NotFoundError
from ..fields import update_fields
from ..levels import LEVEL_SECTIONS, ApiLevel
from ..location import Location, cluster_location, recorded_inputs
from ..models import ClusterMetadata, CreateClusterRequest, PatchClusterRequest
from ..normalize import canonical_inputs, same_value, strip_internal
from ..progress import warn
from ..state import (
    NOT_READ_BACK,
    build_outputs,
    immutable_differences,
    live_inputs,
    refreshed_inputs,
)
from ..validation import validate_inputs
from .base import DESTROY, REFRESH, StatelessProvider, recorded_for

__all__ = ["ClusterProvider", "adopt_existing", "generate_cluster_name"]


def generate_cluster_name(
    seed: str | bytes | None = None, declaration: Mapping[str, Any] | None = None
) -> str:
    """A name for a cluster declared without one.

    Assumption (documented in docs/update-or-replace.md, "Names"): the API would generate a
    name itself, but check sets one, so that it is a stable input shown in preview and so
    that a create whose response was lost can be found again by name instead of being
    repeated blindly (see ``client.py``).

    With a ``seed`` the name is derived from the seed and the rest of the declaration, as
    Pulumi's autonaming derives it from the engine's per-resource random seed: preview and up
    produce the same name, and a replacement (whose declaration differs) a new one, shown in
    preview. The native plugin's check gets the engine's seed (bytes); the dynamic-provider
    host does not pass it on, so the ``Cluster`` class sends one of its own (project, stack,
    parent and resource name). While the declaration holds values not known yet (preview)
    the name is not known either. Without a seed it is random.
    """
    if not seed:
        return GENERATED_NAME_PREFIX + secrets.token_hex(6)
    rest = {k: v for k, v in (declaration or {}).items() if k != "cluster_name"}
    if contains_unknown(rest):
        return UNKNOWN_SENTINEL
    key = seed.hex() if isinstance(seed, bytes) else seed
    text = json.dumps([key, rest], sort_keys=True, default=repr)
    return GENERATED_NAME_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:12]


def _cluster_id(meta: ClusterMetadata) -> str:
    if not meta.cluster_id:
        raise APIResponseValidationError(
            f"The API returned cluster {meta.cluster_name!r} without a cluster_id."
        )
    return meta.cluster_id


class ClusterProvider(StatelessProvider):
    """CRUD for ``mixpeek:Cluster``. Stateless: see the module docstring and ``base.py``."""

    def _location(self, props: Mapping[str, Any]) -> Location:
        return cluster_location(props, self._current_settings())

    # -- local operations ---------------------------------------------------------------
    def check_inputs(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        raw = strip_internal(news)
        previous = strip_internal(olds or {})
        # The API level decides which fields and values the declaration may hold and which
        # of its values are the server's defaults (``levels.py``).
        level = self._current_settings().checked_api_level()
        declared = canonical_inputs(raw, level=level)
        inputs = canonical_inputs(
            {**declared, **recorded_inputs(declared, previous, self._current_settings())},
            level=level,
        )
        if inputs.get("cluster_name") is None:
            # Auto-naming, as Pulumi providers do it: an omitted name is generated once and
            # kept from the previous inputs afterwards, so it is a real input (shown in
            # preview, stable across runs and refreshes) rather than a hidden server value.
            # A change that replaces the cluster gets a new name here already, so preview
            # shows it, and the replacement is created before the old cluster is deleted.
            # The engine checks a replacement again without previous inputs; the name is
            # derived from the declaration, so that check gives the same one.
            kept = previous.get("cluster_name")
            keep = (
                isinstance(kept, str) and kept and not replaced_fields(previous, inputs, level)
            )
            inputs["cluster_name"] = (
                kept if keep else generate_cluster_name(random_seed or _seed(news), declared)
            )
            inputs[DEFAULTS_KEY] = ["cluster_name"]
        return CheckResult(inputs, validate_inputs(raw, level))

    @user_facing
    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        # Before a replacement deletes the old cluster (in this process: the engine runs a
        # deployment's diffs and deletes in one provider process, diff first), it must know
        # whether the new declaration keeps the output collections.
        level = self._current_settings().checked_api_level()
        result = diff_cluster(_olds, _news, level)
        if not result.replaces:
            return result
        if canonical_inputs(strip_internal(_news)).get(KEEP):
            _KEEP_ON_DELETE.add(_id)
        elif level.cascade_delete and not _olds.get(KEEP):
            # Preview shows the replacement; say what it deletes with it.
            collections = _olds.get("output_collection_ids") or []
            if collections:
                warn(
                    f"replacing cluster {_olds.get('cluster_name') or _id} deletes its output "
                    f"collections {', '.join(map(str, collections))} (API level "
                    f"{level.version}); set keep_output_collections=True to keep them"
                )
        return result

    def changed_inputs(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """The input fields whose declared value changed, at this provider's API level (the
        native plugin's detailed diff)."""
        return changed_fields(olds, news, level=self._current_settings().checked_api_level())

    def canonical(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """``props``' declared inputs in canonical form at this provider's API level."""
        return canonical_inputs(props, level=self._current_settings().checked_api_level())

    # -- API operations -----------------------------------------------------------------
    @user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        client = self._client(strip_internal(props))
        level = client.level
        declared = canonical_inputs(strip_internal(props), level=level)
        if declared.get("adopt"):
            existing = client.find_cluster_named(str(declared["cluster_name"]))
            if existing is not None:
                return adopt_existing(client, declared, existing)
            # Nothing to adopt (also the case when a replacement re-creates an adopted
            # cluster): create it as declared.
        # The create body: what it takes at this level, and only that (1.3.1: no
        # description or metadata, set by a PATCH after it, and none of the fields 1.3.783
        # adds). check() always sets cluster_name (generated when omitted), so a create whose
        # response was lost can be found again by name instead of being repeated.
        fields = {
            n
            for n in CreateClusterRequest.model_fields
            if n in level.fields
            and (n not in update_fields() or n == "cluster_name" or n in level.create_fields)
        }
        body = CreateClusterRequest.model_validate(
            level_body({k: v for k, v in declared.items() if k in fields}, level)
        )
        meta = client.create_cluster(
            body, differences=lambda found: immutable_differences(found, declared, level)
        )
        cluster_id = _cluster_id(meta)
        # The mutable fields the create body cannot carry (1.3.1: description, metadata).
        patch = _patch(
            {n: declared.get(n) for n in update_fields() if n not in fields and n in _PATCHED}
        )
        if patch is not None:
            try:
                client.patch_cluster(cluster_id, patch)
            except MixpeekError as exc:
                _undo_create(client, cluster_id, meta.cluster_name, exc)
            meta = _patched(meta, patch)
        return CreateResult(cluster_id, build_outputs(meta, _with_defaults(declared, props)))

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        previous = strip_internal(props)
        location = self._location(previous)
        command = REFRESH if previous else None  # no previous state: an import
        meta = shared_client(recorded_for(location.settings, command)).find_cluster(id_)
        if meta is None:
            _require_recorded(location, id_, "read")
            return ReadResult("", {})
        level = location.settings.checked_api_level()
        inputs = refreshed_inputs(meta, previous, level)
        if not previous:
            # `pulumi import` (native face): nothing is known but the id. Record where the
            # cluster was read, as check records it for a declared cluster.
            where = recorded_inputs({}, {}, self._current_settings())
            inputs = canonical_inputs({**inputs, **where}, level=level)
        inputs = _with_defaults(inputs, props)
        return ReadResult(meta.cluster_id or id_, build_outputs(meta, inputs), inputs)

    @user_facing
    def update(self, id_: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        olds = strip_internal(_olds)
        # The cluster is where the old state says (a change of place is a replacement).
        client = self._client(olds)
        old = canonical_inputs(olds, level=client.level)
        declared = canonical_inputs(strip_internal(_news), level=client.level)
        # What may be PATCHed is what the declaration marks mutable (fields.update_fields);
        # a field whose value is removed is cleared.
        patch = _patch(
            {
                n: declared.get(n)
                for n in update_fields()
                if n in _PATCHED and not same_value(old.get(n), declared.get(n))
            },
            clear=True,
            extra=_in_place_changes(old, declared, client.level),
        )
        try:
            if patch is not None:
                client.patch_cluster(id_, patch)
            meta = client.get_cluster(id_)
        except NotFoundError:
            raise MixpeekError(
                f"Could not update cluster {id_!r}: it no longer exists in namespace "
                f"{client.namespace!r} (it was deleted outside Pulumi). Run `pulumi refresh` "
                "(or `pulumi up --refresh`) so the stack forgets it; `pulumi up` then creates "
                "it again."
            ) from None
        return UpdateResult(build_outputs(meta, _with_defaults(declared, _news)))

    @user_facing
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        props = strip_internal(_props)
        location = self._location(props)
        client = shared_client(recorded_for(location.settings, DESTROY))
        keep = bool(props.get(KEEP)) or id_ in _KEEP_ON_DELETE
        try:
            client.delete_cluster(
                id_, keep_output_collections=keep if client.level.cascade_delete else None
            )
        except NotFoundError:
            # Gone from the namespace it lives in: done. Gone from a namespace the state does
            # not name is no proof of anything.
            _require_recorded(location, id_, "delete")


def adopt_existing(
    client: MixpeekClient, declared: dict[str, Any], meta: ClusterMetadata
) -> CreateResult:
    """Take the existing cluster ``meta`` as the one ``declared`` (canonical inputs) would
    create: refused when an immutable field differs; the mutable fields are set as create
    would set them. Used by ``adopt=True`` and by ``mixpeek-recover-pending``."""
    name = meta.cluster_name
    level = client.level
    differing = immutable_differences(meta, declared, level)
    if differing:
        lines = "\n".join(
            f"  {field}: declared {wanted!r}, existing {existing!r}"
            for field, wanted, existing in differing
        )
        raise AdoptionError(
            f"adopt=True: cluster {name!r} ({meta.cluster_id}) exists, but these fields "
            "cannot be changed in place and differ from the declaration:\n"
            f"{lines}\nDeclare the existing values, or remove adopt=True and choose "
            "another cluster_name to create a new cluster."
        )
    cluster_id = _cluster_id(meta)
    live = live_inputs(meta, declared, level)
    # Write-only fields are sent when declared (they cannot be compared); the others when
    # they differ from the existing cluster (cleared when no longer declared).
    patch = _patch(
        {
            n: declared.get(n)
            for n in update_fields()
            if n in _PATCHED
            and (
                declared.get(n) is not None
                if n in NOT_READ_BACK
                else not same_value(live.get(n), declared.get(n))
            )
        },
        clear=True,
    )
    if patch is not None:
        client.patch_cluster(cluster_id, patch)
        meta = _patched(meta, patch)
    return CreateResult(cluster_id, build_outputs(meta, declared))


def _seed(news: Mapping[str, Any]) -> str | None:
    seed = news.get(AUTONAME_SEED_KEY)
    return seed if isinstance(seed, str) and seed else None


def _with_defaults(inputs: dict[str, Any], source: Mapping[str, Any]) -> dict[str, Any]:
    """``inputs`` plus the record of what check filled in (``DEFAULTS_KEY``), carried from
    ``source`` (checked inputs or state) into outputs and refreshed inputs."""
    defaults = source.get(DEFAULTS_KEY)
    return {**inputs, DEFAULTS_KEY: list(defaults)} if isinstance(defaults, list) else inputs


#: The Cluster input that says whether a delete keeps the output collections.
KEEP = "keep_output_collections"
#: Inputs of the Cluster that a PATCH body carries (the others marked ``update``, such as
#: keep_output_collections, change only the state).
_PATCHED = frozenset(PatchClusterRequest.model_fields)
#: Clusters a replacement will delete whose new declaration keeps the output collections
#: (``diff``; the old state may not say so yet).
_KEEP_ON_DELETE: set[str] = set()


def _in_place_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], level: ApiLevel
) -> dict[str, Any]:
    """PATCH keys and values for what ``level`` changes in place beyond the fields marked
    ``update`` (e.g. 1.3.783: ``vector_config.sample_size`` as ``sample_size``), where the
    declaration changed it. diff made anything else a replacement. A whole section
    (``llm_labeling``) is sent as the create body would send it (``level_body``)."""
    body: dict[str, Any] = {}
    for path, key in level.in_place.items():
        name, _, sub = path.partition(".")
        before, after = old.get(name), new.get(name)
        if sub:
            before = before.get(sub) if isinstance(before, dict) else None
            after = after.get(sub) if isinstance(after, dict) else None
        if after is not None and not same_value(before, after):
            if not sub and name in LEVEL_SECTIONS:
                after = level_body({name: after}, level, top=False)[name]
            body[key] = after
    return body


def level_body(
    values: Mapping[str, Any], level: ApiLevel, *, top: bool = True
) -> dict[str, Any]:
    """A request body's fields (canonical values) as ``level`` takes them: only the keys of
    ``vector_config`` and ``llm_labeling`` the level has, and the level's documented default
    (``levels.py``) for each key of theirs (and, with ``top``, each field) not declared, as
    that level's SDK sends it; a default of None is sent as None, which the body leaves out
    (1.3.783's ``llm_labeling.max_samples_per_cluster``, auto-scaled). At 1.3.1 this is the
    body the models alone would make."""
    body = dict(values)
    if top:
        for name, default in level.section_defaults("").items():
            body.setdefault(name, default)
    for section in LEVEL_SECTIONS:
        config = body.get(section)
        if not isinstance(config, dict):
            continue
        keys = level.keys(section)
        config = {k: v for k, v in config.items() if k in keys}
        for key, default in level.section_defaults(section).items():
            config.setdefault(key, default)
        body[section] = config
    return body


def _patch(
    values: Mapping[str, Any], *, clear: bool = False, extra: Mapping[str, Any] | None = None
) -> PatchClusterRequest | None:
    """The PATCH body for these mutable fields (and ``extra`` PATCH keys), or None when it
    would be empty. A field without a value is left out, or with ``clear`` sent as its empty
    value."""
    body: dict[str, Any] = dict(extra or {})
    for name, value in values.items():
        if value is not None:
            body[name] = value
        elif clear:
            empty = _empty_value(name)
            if empty is not None:
                body[name] = empty
    return PatchClusterRequest.model_validate(body) if body else None


def _empty_value(name: str) -> Any:
    """What clears a mutable field: "" for text, {} for a mapping; None when it cannot be
    cleared (cluster_name: check always sets one)."""
    annotation = str(PatchClusterRequest.model_fields[name].annotation)
    if name == "cluster_name":
        return None
    if annotation.startswith("dict"):
        return {}
    if annotation.startswith("str"):
        return ""
    return None


def _patched(meta: ClusterMetadata, patch: PatchClusterRequest) -> ClusterMetadata:
    """``meta`` with what the PATCH set (the fields ClusterMetadata carries)."""
    sent = patch.model_dump(exclude_none=True)
    return meta.model_copy(update={k: v for k, v in sent.items() if k in type(meta).model_fields})


def _require_recorded(location: Location, cluster_id: str, action: str) -> None:
    if location.recorded:
        return
    raise MixpeekError(
        f"Cannot {action} cluster {cluster_id!r}: it is not in namespace "
        f"{location.settings.namespace!r}, and the state does not record the namespace it "
        "lives in. Set mixpeek:namespace to the namespace it was created in and run again, "
        "or, if it was deleted, remove it from the state with `pulumi state delete <urn>`."
    )


def _undo_create(client: MixpeekClient, cluster_id: str, name: str, exc: MixpeekError) -> NoReturn:
    """The follow-up PATCH failed: delete the new cluster so nothing untracked remains."""
    try:
        client.delete_cluster(cluster_id)
    except NotFoundError:
        pass
    except MixpeekError as cleanup:
        raise MixpeekError(
            f"Cluster {name!r} ({cluster_id}) was created, but setting its description/"
            f"metadata failed ({exc}) and deleting it again failed too ({cleanup}). Delete it "
            "by hand (or adopt it with adopt=True) before running again."
        ) from exc
    raise MixpeekError(
        f"Cluster {name!r} was created, but setting its description/metadata failed, so it "
        f"was deleted again and nothing was left behind: {exc}"
    ) from exc
