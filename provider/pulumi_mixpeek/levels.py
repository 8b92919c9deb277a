"""The Mixpeek API levels this provider speaks, declared as data: what differs between the
seed's level (mixpeek SDK 1.3.1, the contract the source document describes; older and
self-hosted deployments speak it) and today's (SDK 1.3.783, what the live API speaks).

A level is chosen with ``mixpeek:apiVersion`` (``MIXPEEK_API_VERSION``), default today's. It
is not recorded in any resource's state: changing it is no change to any resource, the next
diff simply uses the new level's rules.

What a level says, and who reads it:
- ``in_place``: the declared values (a field, or a key of ``vector_config`` as
  ``vector_config.<key>``) that PATCH changes in place, each with its PATCH key. A Cluster
  field's own marker (``models/declaration.py``) says what it is at every level; this adds
  what a level changes in place beyond that (1.3.2 added ``llm_labeling``, ``filters``,
  ``sample_size`` and ``algorithm_params`` to PatchClusterRequest, top-level in the PATCH
  body even where the create body nests them under ``vector_config``). diff (update vs
  replace) and update (the PATCH body) read it.
- ``create_fields``: the mutable fields the create body carries (1.3.783 takes description
  and metadata in the POST; 1.3.1 needs a PATCH after it). create reads it.
- ``cascade_delete``: DELETE takes ``cascade_output_collections`` and, unless it is false,
  deletes the cluster's output collections with it (1.3.2 onwards; 1.3.1 keeps them). delete
  reads it with the Cluster's ``keep_output_collections``.
- ``enrich_endpoint``: ``POST /v1/clusters/enrich`` exists (gone by 1.3.783). check of a
  ``ClusterEnrichment`` reads it.
- ``reads_description``: GET returns ``description`` (1.3.783), so its drift shows on
  refresh; at 1.3.1 it is write-only and kept from the state.
- ``execute_body``: ``POST /v1/clusters/{id}/execute`` takes the optional
  ExecuteClusterByIdRequest body (1.3.2 onwards: mode, one-run overrides). check and create
  of a ``ClusterExecution`` read it (1.3.1 takes no body: declared run options are refused).
- ``groups_endpoint``: ``GET /v1/clusters/{id}/groups`` exists (1.3.2 onwards).
  ``client.get_cluster_groups`` reads it.
- ``cursor_paging``: the list POST pages with ``page_size`` and ``page``, or ``cursor`` from
  the previous page's ``next_cursor`` (1.3.783); 1.3.1 pages with ``limit``/``offset``.
  ``client.iter_clusters`` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "API_VERSIONS",
    "DEFAULT_API_VERSION",
    "SEED_API_VERSION",
    "TODAY_API_VERSION",
    "ApiLevel",
    "api_level",
]

SEED_API_VERSION = "1.3.1"
TODAY_API_VERSION = "1.3.783"
DEFAULT_API_VERSION = TODAY_API_VERSION


@dataclass(frozen=True)
class ApiLevel:
    version: str
    in_place: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    create_fields: frozenset[str] = frozenset()
    cascade_delete: bool = False
    enrich_endpoint: bool = True
    reads_description: bool = False
    execute_body: bool = False
    groups_endpoint: bool = False
    cursor_paging: bool = False

    def in_place_keys(self, name: str) -> frozenset[str]:
        """The keys of the mapping field ``name`` that PATCH changes in place."""
        prefix = name + "."
        return frozenset(p[len(prefix) :] for p in self.in_place if p.startswith(prefix))


_LEVELS: dict[str, ApiLevel] = {
    SEED_API_VERSION: ApiLevel(SEED_API_VERSION),
    TODAY_API_VERSION: ApiLevel(
        TODAY_API_VERSION,
        in_place=MappingProxyType(
            {
                "llm_labeling": "llm_labeling",
                "filters": "filters",
                "vector_config.sample_size": "sample_size",
                "vector_config.algorithm_params": "algorithm_params",
            }
        ),
        create_fields=frozenset({"description", "metadata"}),
        cascade_delete=True,
        enrich_endpoint=False,
        reads_description=True,
        execute_body=True,
        groups_endpoint=True,
        cursor_paging=True,
    ),
}

#: The versions ``mixpeek:apiVersion`` accepts, oldest first.
API_VERSIONS: tuple[str, ...] = tuple(_LEVELS)


def api_level(version: str | None) -> ApiLevel:
    """The level of ``version`` (None: the default). Raises KeyError for any other; settings
    refuse such a value before it gets here (``ProviderSettings.checked_api_level``)."""
    return _LEVELS[version or DEFAULT_API_VERSION]
