"""The dynamic provider behind ``pulumi_mixpeek.ClusterEnrichment``: cluster results written
into a collection (``POST /v1/clusters/enrich``).

Keep this module path stable: state refers to ``pulumi_mixpeek.resources.enrichment_provider
.ClusterEnrichmentProvider`` (see ``base.py`` for what is pickled: nothing).

- check: local, every problem at once, records the namespace and endpoint; diff: local,
  any change of an input is a new application (replacement), except ``fail_on_errors``,
  which only decides how the next application reports failed documents.
- create: 1 POST, never repeated after an ambiguous failure (``client.apply_enrichment``).
  ``failed > 0`` fails the create when ``fail_on_errors`` (the default), else warns.
- read: no API call (1.3.1 has no way to read an enrichment back): the recorded outputs.
- delete: no API call. Written labels are not removed; the resource only leaves the state.
"""

from __future__ import annotations

import secrets
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, ReadResult, UpdateResult

from ..boundary import user_facing
from ..errors import EnrichmentError
from ..levels import SEED_API_VERSION
from ..models import ApplyClusterEnrichmentRequest, ClusteringEnrichmentResponse
from ..models.declaration import ClusterEnrichmentDeclaration
from ..normalize import canonical_inputs, strip_internal
from ..progress import report, warn
from .base import ReplacingProvider

__all__ = ["ClusterEnrichmentProvider", "ENRICHMENT_OUTPUTS", "ENRICHMENT_ID_PREFIX"]

MODEL = ClusterEnrichmentDeclaration

#: Outputs that are not inputs (ClusteringEnrichmentResponse).
ENRICHMENT_OUTPUTS: tuple[str, ...] = tuple(ClusteringEnrichmentResponse.model_fields)

#: The API gives an enrichment no id; the provider makes one up per application.
ENRICHMENT_ID_PREFIX = "enrich_"


class ClusterEnrichmentProvider(ReplacingProvider):
    """One application of ``mixpeek:ClusterEnrichment``. Stateless: see ``base.py``."""

    MODEL = MODEL

    # -- API operations -----------------------------------------------------------------
    def check_inputs(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        """As every replacing resource; and where the API level has no enrich endpoint
        (1.3.783), a failure that says what replaces it."""
        result = super().check_inputs(olds, news, random_seed)
        level = self._current_settings().checked_api_level()
        if level.enrich_endpoint:
            return result
        failure = CheckFailure(
            "source_collection_id",
            f"ClusterEnrichment needs POST /v1/clusters/enrich, which API level {level.version} "
            "(mixpeek:apiVersion) no longer has: set enrich_source_collection=true (with "
            "source_enrichment_config) on the Cluster, so each run writes its labels into the "
            f"source collection; or set mixpeek:apiVersion to {SEED_API_VERSION} for a "
            "deployment that still has the endpoint",
        )
        return CheckResult(result.inputs, [*(result.failures or []), failure])

    @user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = canonical_inputs(strip_internal(props), MODEL)
        body = ApplyClusterEnrichmentRequest.model_validate(
            {k: v for k, v in declared.items() if k in ApplyClusterEnrichmentRequest.model_fields}
        )
        result = self._client(declared).apply_enrichment(body)
        what = (
            f"enrichment of collection {body.source_collection_id} with clusters "
            f"{', '.join(body.clustering_ids)}"
        )
        counts = (
            f"{result.processed} processed, {result.enriched} enriched, {result.failed} failed "
            f"in {result.batches} batches"
        )
        if result.failed > 0:
            if declared.get("fail_on_errors", True):
                raise EnrichmentError(
                    f"The {what} was applied, but {result.failed} of {result.processed} "
                    f"documents failed ({counts}). Fix the cause and run `pulumi up` again to "
                    "apply it again, or set fail_on_errors=False to accept failed documents."
                )
            warn(f"{what}: {result.failed} documents failed ({counts})")
        else:
            report(f"{what}: {counts}")
        outputs = {**_inputs(declared), **result.model_dump(mode="json")}
        return CreateResult(ENRICHMENT_ID_PREFIX + secrets.token_hex(8), outputs)

    @user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Nothing to read in API 1.3.1: the recorded outputs, and the inputs they hold."""
        state = strip_internal(props)
        declared = canonical_inputs(state, MODEL)
        outputs = {**_inputs(declared), **{n: state.get(n) for n in ENRICHMENT_OUTPUTS}}
        return ReadResult(id_, outputs, declared)

    @user_facing
    def update(self, id_: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Only ``fail_on_errors`` can differ here (every other change replaces): no call."""
        olds = strip_internal(_olds)
        declared = canonical_inputs(strip_internal(_news), MODEL)
        return UpdateResult(
            {**_inputs(declared), **{n: olds.get(n) for n in ENRICHMENT_OUTPUTS}}
        )

    @user_facing
    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        """Written labels stay in the collection: the resource only leaves the state."""


def _inputs(declared: dict[str, Any]) -> dict[str, Any]:
    return {name: declared.get(name) for name in MODEL.model_fields}
