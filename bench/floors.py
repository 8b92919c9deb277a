"""The two floors `make bench` measures pulumi_mixpeek.Cluster against.

- ``ThinCluster``: a stand-in a user could write in an afternoon. The same API calls as the
  provider (create 1 POST, +1 PATCH with description/metadata; read 1 GET; update 1 PATCH +
  1 GET; delete 1 DELETE; preview none), standard-library HTTP, no validation, no typed
  args; its outputs are the declared inputs plus the server's response, as returned.
- ``NoopCluster``: the same resource lifecycle with no API at all: what the engine, the
  program and the dynamic-provider host cost by themselves.

Both providers are defined in this module (not in the program), so Pulumi pickles them by
reference, like ``ClusterProvider``: `bench/run.py` puts this directory on PYTHONPATH for the
program and the provider host. Settings come from the environment (MIXPEEK_ENDPOINT,
MIXPEEK_API_KEY, MIXPEEK_NAMESPACE), which the bench also sets for the provider.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

import pulumi
from pulumi.dynamic import (
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

__all__ = ["NoopCluster", "NoopProvider", "ThinCluster", "ThinProvider"]

MUTABLE = ("cluster_name", "description", "metadata")
CREATE_FIELDS = (
    "collection_ids",
    "cluster_type",
    "vector_config",
    "attribute_config",
    "filters",
    "llm_labeling",
    "enrich_source_collection",
    "source_enrichment_config",
    "cluster_name",
)


def _diff(olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
    changed = [k for k in news if k != "__provider" and olds.get(k) != news.get(k)]
    replaces = [k for k in changed if k not in MUTABLE]
    return DiffResult(changes=bool(changed), replaces=replaces)


class ThinProvider(ResourceProvider):
    serialize_as_secret_always = False

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            os.environ["MIXPEEK_ENDPOINT"] + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={
                "Authorization": "Bearer " + os.environ["MIXPEEK_API_KEY"],
                "X-Namespace": os.environ["MIXPEEK_NAMESPACE"],
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return _diff(olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        body = {k: props[k] for k in CREATE_FIELDS if props.get(k) is not None}
        created = self._call("POST", "/v1/clusters", body)
        extra = {k: props[k] for k in ("description", "metadata") if props.get(k) is not None}
        if extra:
            self._call("PATCH", f"/v1/clusters/{created['cluster_id']}", extra)
        return CreateResult(created["cluster_id"], {**props, **created, **extra})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            live = self._call("GET", f"/v1/clusters/{id_}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return ReadResult("", {})
            raise
        return ReadResult(id_, {**props, **live})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        changes = {k: news.get(k) for k in MUTABLE if olds.get(k) != news.get(k)}
        if changes:
            self._call("PATCH", f"/v1/clusters/{id_}", changes)
        return UpdateResult({**news, **self._call("GET", f"/v1/clusters/{id_}")})

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        self._call("DELETE", f"/v1/clusters/{id_}")


class NoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return _diff(olds, news)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(str(props["cluster_name"]), props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, props)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(news)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        pass


class ThinCluster(Resource, module="bench", name="ThinCluster"):
    cluster_id: pulumi.Output[str]

    def __init__(
        self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(ThinProvider(), name, {**props, "cluster_id": None}, opts)


class NoopCluster(Resource, module="bench", name="NoopCluster"):
    def __init__(
        self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(NoopProvider(), name, props, opts)
