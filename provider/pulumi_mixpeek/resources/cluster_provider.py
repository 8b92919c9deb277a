"""The dynamic provider behind ``pulumi_mixpeek.Cluster``.

Pickling: Pulumi dill-pickles this object into every resource's state (``__provider``). It
holds no data at all (``__getstate__`` returns nothing), and its class lives in this installed
module, so the pickle is a reference to ``pulumi_mixpeek.resources.cluster_provider
.ClusterProvider``: small, stable across releases, and free of keys. Keep this module path
stable: existing state refers to it. Settings are read in ``configure`` (stack config, then
environment) or, when the engine never called it, from the environment at first use; the HTTP
client is created lazily, one per provider process (``client.shared_client``).

Round trips: check and diff make none; create = 1 POST (+1 PATCH when description or
metadata are declared); with adopt=True, 1 GET by name and no POST when the cluster exists
(+1 PATCH when description/metadata differ); read = 1 GET; update = 1 PATCH (only when a
mutable field changed) + 1 GET; delete = 1 DELETE.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, NoReturn

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .._constants import GENERATED_NAME_PREFIX
from ..client import MixpeekClient, shared_client
from ..config import ProviderSettings
from ..diff import diff_cluster
from ..errors import AdoptionError, APIResponseValidationError, MixpeekError, NotFoundError
from ..models import ClusterMetadata, CreateClusterRequest, PatchClusterRequest
from ..normalize import canonical_inputs, same_value, strip_internal
from ..state import build_outputs, immutable_differences, live_inputs
from ..validation import validate_inputs

__all__ = ["ClusterProvider", "adopt_existing", "generate_cluster_name"]


def generate_cluster_name(random_seed: bytes | None = None) -> str:
    """A name for a cluster declared without one.

    Assumption (documented in the README): the API would generate a name itself, but check
    sets one, so that it is a stable input shown in preview and so that a create whose
    response was lost can be found again by name instead of being repeated blindly (see
    ``client.py``). With the engine's random seed (the native plugin's check gets one; it is
    the same for a resource in preview and in the update that follows) the name is derived
    from it, so the name shown in preview is the name created.
    """
    if random_seed:
        return GENERATED_NAME_PREFIX + hashlib.sha256(random_seed).hexdigest()[:12]
    return GENERATED_NAME_PREFIX + secrets.token_hex(6)


def _cluster_id(meta: ClusterMetadata) -> str:
    if not meta.cluster_id:
        raise APIResponseValidationError(
            f"The API returned cluster {meta.cluster_name!r} without a cluster_id."
        )
    return meta.cluster_id


class ClusterProvider(ResourceProvider):
    """CRUD for ``mixpeek:Cluster``. Stateless: see the module docstring."""

    #: Nothing secret is ever captured, so ``__provider`` need not be encrypted in state.
    serialize_as_secret_always = False

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass

    def __repr__(self) -> str:
        return "ClusterProvider()"

    # -- configuration ------------------------------------------------------------------
    def configure(self, req: ConfigureRequest) -> None:
        self._settings = ProviderSettings.resolve(req.config.get)

    def _client(self) -> MixpeekClient:
        settings = getattr(self, "_settings", None) or ProviderSettings.resolve()
        return shared_client(settings)

    # -- local operations ---------------------------------------------------------------
    def check(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        raw = strip_internal(news)
        inputs = canonical_inputs(raw)
        if inputs.get("cluster_name") is None:
            # Auto-naming, as Pulumi providers do it: an omitted name is generated once and
            # kept from the previous inputs afterwards, so it is a real input (shown in
            # preview, stable across runs and refreshes) rather than a hidden server value.
            previous = (olds or {}).get("cluster_name")
            inputs["cluster_name"] = (
                previous
                if isinstance(previous, str) and previous
                else generate_cluster_name(random_seed)
            )
        return CheckResult(inputs, validate_inputs(raw))

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return diff_cluster(strip_internal(_olds), strip_internal(_news))

    # -- API operations -----------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = canonical_inputs(strip_internal(props))
        client = self._client()
        if declared.get("adopt"):
            existing = client.find_cluster(str(declared["cluster_name"]))
            if existing is not None:
                return adopt_existing(client, declared, existing)
            # Nothing to adopt (also the case when a replacement re-creates an adopted
            # cluster): create it as declared.
        fields = CreateClusterRequest.model_fields
        # check() always sets cluster_name (generated when omitted), so a create whose
        # response was lost can be found again by name instead of being repeated.
        body = CreateClusterRequest.model_validate(
            {k: v for k, v in declared.items() if k in fields}
        )
        meta = client.create_cluster(body)
        cluster_id = _cluster_id(meta)
        patch = PatchClusterRequest(
            description=declared.get("description"), metadata=declared.get("metadata")
        )
        if _has_values(patch):
            try:
                client.patch_cluster(cluster_id, patch)
            except MixpeekError as exc:
                _undo_create(client, cluster_id, meta.cluster_name, exc)
            meta = meta.model_copy(update={"metadata": declared.get("metadata")})
        return CreateResult(cluster_id, build_outputs(meta, declared))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        meta = self._client().find_cluster(id_)
        if meta is None:
            return ReadResult("", {})
        inputs = live_inputs(meta, strip_internal(props))
        return ReadResult(meta.cluster_id or id_, build_outputs(meta, inputs), inputs)

    def update(self, id_: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        olds = strip_internal(_olds)
        old = canonical_inputs(olds)
        declared = canonical_inputs(strip_internal(_news))
        changes: dict[str, Any] = {}
        name = declared.get("cluster_name")
        if name is not None and name != olds.get("cluster_name"):
            changes["cluster_name"] = name
        if not same_value(old.get("description"), declared.get("description")):
            changes["description"] = declared.get("description") or ""
        if not same_value(old.get("metadata"), declared.get("metadata")):
            changes["metadata"] = declared.get("metadata") or {}
        client = self._client()
        if changes:
            client.patch_cluster(id_, PatchClusterRequest.model_validate(changes))
        meta = client.get_cluster(id_)
        return UpdateResult(build_outputs(meta, declared))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        try:
            self._client().delete_cluster(id_)
        except NotFoundError:
            pass


def adopt_existing(
    client: MixpeekClient, declared: dict[str, Any], meta: ClusterMetadata
) -> CreateResult:
    """Take the existing cluster ``meta`` as the one ``declared`` (canonical inputs) would
    create: refused when an immutable field differs; description and metadata are set as
    create would set them. Used by ``adopt=True`` and by ``mixpeek-recover-pending``."""
    name = meta.cluster_name
    differing = immutable_differences(meta, declared)
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
    live_metadata = live_inputs(meta, declared).get("metadata")
    patch = PatchClusterRequest(
        description=declared.get("description"),
        metadata=(
            None
            if same_value(live_metadata, declared.get("metadata"))
            else declared.get("metadata") or {}
        ),
    )
    if _has_values(patch):
        client.patch_cluster(cluster_id, patch)
        meta = meta.model_copy(update={"metadata": declared.get("metadata")})
    return CreateResult(cluster_id, build_outputs(meta, declared))


def _has_values(patch: PatchClusterRequest) -> bool:
    return any(v is not None for v in patch.model_dump().values())


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
