"""The API levels the server speaks, named by the official SDK release that documents them.

- ``1.3.1``: the seed level (mixpeek SDK 1.3.1): seven cluster operations plus
  ``GET /v1/tasks/{task_id}``; FastAPI's ``{"detail": [...]}`` for 422s.
- ``1.3.783``: today's level (mixpeek SDK 1.3.783): the wider create and PATCH bodies,
  server-filled defaults, runs that pass through ``QUEUED``, output collections readable at
  ``GET /v1/collections/{id}`` and deleted with their cluster, no ``/v1/clusters/enrich``,
  undeclared keys refused with 422 ``extra_forbidden`` in the ErrorResponse shape, the groups
  read and list paging.

Both levels serve the cluster triggers API (``/v1/clusters/triggers``, routes_triggers.py),
whose models the two SDKs declare alike.

Chosen with ``mixpeek-emulator --api-version`` or ``MIXPEEK_EMULATOR_API_VERSION``; the
default is today's level.
"""

from __future__ import annotations

__all__ = ["API_VERSIONS", "DEFAULT_API_VERSION", "ENV_API_VERSION", "SEED", "TODAY"]

#: The seed level (mixpeek SDK 1.3.1).
SEED = "1.3.1"
#: Today's level (mixpeek SDK 1.3.783).
TODAY = "1.3.783"
API_VERSIONS: tuple[str, ...] = (SEED, TODAY)
DEFAULT_API_VERSION = TODAY
ENV_API_VERSION = "MIXPEEK_EMULATOR_API_VERSION"
