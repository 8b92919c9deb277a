"""The official ``mixpeek==1.3.783`` SDK as the client of a server at API level 1.3.783.

Run by the SDK's own python (``make sdk`` creates ``.venv-sdk-1.3.783``; the project's
.venv holds ``mixpeek==1.3.1``, the same package name), never imported by the test suite:

    .venv-sdk-1.3.783/bin/python tests/support/sdk_today_driver.py URL KEY NAMESPACE [SCENARIO...]

Each scenario performs cluster operations with the SDK's ``ClustersApi``, ``TasksApi`` and
``CollectionsApi`` in a namespace of its own (``NAMESPACE-<scenario>``) and records what the
SDK made of every answer: the model class it parsed a 2xx body into and that model's
``to_dict()``, or the exception class it raised with the status and its parsed ``.data``
(``ErrorResponse`` when the SDK could read the error body, else None). A 2xx body the SDK's
model cannot parse raises pydantic's ValidationError inside the SDK; that ends the scenario
and is recorded as its ``error``. Nothing here judges the answers: the pytest side
(``tests/emulator/test_sdk_today.py``) asserts on the JSON printed on stdout:

    {"sdk_version": "1.3.783",
     "scenarios": {name: {"steps": {step: record, ...}, "error": str | null}}}
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

import mixpeek
from mixpeek.exceptions import ApiException

URI = "mixpeek://text_extractor@v1/embedding"
TERMINAL = {"COMPLETED", "COMPLETED_WITH_ERRORS", "FAILED", "CANCELED", "SKIPPED",
            "INTERRUPTED", "UNKNOWN", "DEACTIVATED"}
POLL_INTERVAL_S = 0.02
POLL_TIMEOUT_S = 20.0
#: The operation's response types as the SDK's ClustersApi declares them for create and
#: PATCH (``_response_types_map`` in mixpeek/api/clusters_api.py): every error an
#: ErrorResponse, 422 included.
ERRORS = {str(status): "ErrorResponse" for status in (400, 401, 403, 404, 422, 429, 500, 503)}


def plain(value: Any) -> Any:
    """A model's ``to_dict()`` as JSON: enums as their values, datetimes in ISO form."""
    return json.loads(json.dumps(value, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


def model_record(value: Any) -> dict[str, Any]:
    """What the SDK returned: its class and data."""
    data = value.to_dict() if hasattr(value, "to_dict") else value
    return {"class": type(value).__name__, "data": plain(data)}


def error_record(exc: BaseException) -> dict[str, Any]:
    """What the SDK raised: its class, and for an ApiException the status and the parsed
    error body (``.data``, None when the SDK could not read it as the declared model)."""
    record: dict[str, Any] = {"exception": type(exc).__name__}
    if isinstance(exc, ApiException):
        data = exc.data
        record.update(
            status=exc.status,
            data_class=None if data is None else type(data).__name__,
            data=None if data is None else plain(data.to_dict() if hasattr(data, "to_dict")
                                                 else data),
            body=exc.body,
        )
    else:
        record["message"] = str(exc)[:2000]
    return record


class Stop(Exception):
    """A step the scenario needs did not give what it needs; the scenario ends."""


class Run:
    """One scenario: the SDK bound to a key and the scenario's namespace, and its record."""

    def __init__(self, base_url: str, key: str | None, namespace: str) -> None:
        self.base_url = base_url
        self.namespace = namespace
        self.client = client(base_url, key, namespace)
        self.clusters = mixpeek.ClustersApi(self.client)
        self.tasks = mixpeek.TasksApi(self.client)
        self.collections = mixpeek.CollectionsApi(self.client)
        self.steps: dict[str, Any] = {}

    def ok(self, step: str, call: Callable[[], Any]) -> Any:
        """A call that must answer 2xx: record the parsed model and return it. An
        exception is recorded and ends the scenario."""
        try:
            value = call()
        except Exception as exc:
            self.steps[step] = error_record(exc)
            raise Stop(f"{step}: {type(exc).__name__}: {str(exc)[:1500]}") from exc
        self.steps[step] = model_record(value)
        return value

    def fails(self, step: str, call: Callable[[], Any]) -> None:
        """A call that must raise: record the exception (or what it returned instead)."""
        try:
            value = call()
        except Exception as exc:
            self.steps[step] = error_record(exc)
            return
        self.steps[step] = {"exception": None, **model_record(value)}

    def note(self, step: str, value: Any) -> None:
        self.steps[step] = plain(value)

    def create(self, step: str, body: dict[str, Any]) -> Any:
        request = mixpeek.CreateClusterRequest.from_dict(body)
        created = self.ok(step, lambda: self.clusters.create_cluster(request))
        if not created.cluster_id:
            raise Stop(f"{step}: no cluster_id")
        return created

    def poll(self, step: str, task_id: str) -> list[str]:
        """Read the task until it ends: every status seen, in order, is recorded."""
        seen: list[str] = []
        deadline = time.monotonic() + POLL_TIMEOUT_S
        while True:
            task = self.ok(f"{step}.last", lambda: self.tasks.get_task(task_id))
            status = task.status.value
            if not seen or seen[-1] != status:
                seen.append(status)
            self.note(step, seen)
            if status in TERMINAL:
                return seen
            if time.monotonic() > deadline:
                raise Stop(f"{step}: task {task_id} did not end: {seen}")
            time.sleep(POLL_INTERVAL_S)

    def send_raw(self, method: str, path: str, body: Any, types: dict[str, str]) -> Any:
        """A body the SDK's models cannot express (an undeclared key, a value of another
        type), sent by the SDK's own ApiClient as the generated operations send theirs and
        read by it with the given response types."""
        params = self.client.param_serialize(
            method=method,
            resource_path=path,
            header_params={"Content-Type": "application/json", "Accept": "application/json"},
            body=body,
            auth_settings=["NamespaceHeader", "BearerAuth"],
        )
        response = self.client.call_api(*params)
        response.read()
        return self.client.response_deserialize(response, types).data


def client(base_url: str, key: str | None, namespace: str) -> mixpeek.ApiClient:
    """The SDK's client as its README configures it: the key as the BearerAuth access token,
    the namespace as the NamespaceHeader api key (X-Namespace)."""
    configuration = mixpeek.Configuration(
        host=base_url, access_token=key, api_key={"NamespaceHeader": namespace}
    )
    return mixpeek.ApiClient(configuration)


def vector_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "collection_ids": ["col_products"],
        "cluster_type": "vector",
        "vector_config": {"feature_uris": [URI], "clustering_method": "kmeans"},
    }
    body.update(overrides)
    return body


# -- scenarios ----------------------------------------------------------------------------


def scenario_create(run: Run) -> None:
    """Create with description and metadata in the one POST; read it back by id and by
    name; an attribute cluster without a name gets one."""
    created = run.create(
        "create",
        vector_body(
            cluster_name="products",
            description="Product catalogue topics",
            metadata={"team": "search", "tier": 2},
        ),
    )
    run.ok("get_by_id", lambda: run.clusters.get_cluster(created.cluster_id))
    run.ok("get_by_name", lambda: run.clusters.get_cluster("products"))
    run.create(
        "create_attribute",
        {
            "collection_ids": ["col_products"],
            "cluster_type": "attribute",
            "attribute_config": {"attributes": ["category", "brand"]},
        },
    )


def scenario_list(run: Run) -> None:
    """Three clusters, read whole and then page by page: by cursor, by offset, by page."""
    for name in ("one", "two", "three"):
        run.create(f"create_{name}", vector_body(cluster_name=name))
    run.ok("all", lambda: run.clusters.list_clusters(limit=10, include_total=True))
    first = run.ok("cursor_1", lambda: run.clusters.list_clusters(limit=2, include_total=True))
    cursor = first.pagination.next_cursor
    run.note("cursor_1.next_cursor", cursor)
    if cursor:
        run.ok("cursor_2", lambda: run.clusters.list_clusters(limit=2, cursor=cursor))
    run.ok("offset_0", lambda: run.clusters.list_clusters(limit=2, offset=0))
    run.ok("offset_2", lambda: run.clusters.list_clusters(limit=2, offset=2))
    run.ok("page_1", lambda: run.clusters.list_clusters(page_size=2, page=1))
    run.ok("page_2", lambda: run.clusters.list_clusters(page_size=2, page=2))


def scenario_list_get(run: Run) -> None:
    """``list_clusters_get`` (GET /v1/clusters): the same clusters, by search and paged."""
    for name in ("alpha", "beta"):
        run.create(f"create_{name}", vector_body(cluster_name=name))
    run.ok("all", lambda: run.clusters.list_clusters_get(include_total=True))
    run.ok("search", lambda: run.clusters.list_clusters_get(search="alpha"))
    run.ok("limit_1", lambda: run.clusters.list_clusters_get(limit=1))


#: One PATCH per key of the SDK's PatchClusterRequest, each with the value it sends.
PATCHES: dict[str, Any] = {
    "cluster_name": "renamed",
    "description": "Updated description",
    "metadata": {"team": "ranking"},
    "llm_labeling": {"enabled": True, "model_name": "gpt-4o-mini-2024-07-18"},
    "filters": {"AND": [{"field": "metadata.lang", "operator": "eq", "value": "en"}]},
    "face_cluster_merge": {"enabled": False},
    "sample_size": 5000,
    "algorithm_params": {"n_clusters": 5},
    "source_cluster_ids": "<the source cluster's id>",
    "layout_stability": "transform",
}


def scenario_patch(run: Run) -> None:
    """Every PATCH key on its own (PatchClusterRequest), each followed by a GET."""
    source = run.create(
        "create_source", vector_body(cluster_name="source", collection_ids=["col_source"])
    )
    target = run.create(
        "create_target", vector_body(cluster_name="target", description="before")
    )
    for key, value in PATCHES.items():
        if key == "source_cluster_ids":
            value = [source.cluster_id]
        request = mixpeek.PatchClusterRequest.from_dict({key: value})
        run.note(f"{key}.sent", request.to_dict())
        run.ok(f"{key}.patch", lambda r=request: run.clusters.patch_cluster(target.cluster_id, r))
        run.ok(f"{key}.get", lambda: run.clusters.get_cluster(target.cluster_id))


def scenario_execute(run: Run) -> None:
    """A run without a body, read through to its end; then one with an
    ExecuteClusterByIdRequest (a one-run sample_size, not kept on the cluster)."""
    created = run.create("create", vector_body(cluster_name="runs"))
    task = run.ok("execute", lambda: run.clusters.execute_clustering_clusters(created.cluster_id))
    run.poll("statuses", task.task_id)
    run.ok("task", lambda: run.tasks.get_task(task.task_id))
    run.ok("after", lambda: run.clusters.get_cluster(created.cluster_id))
    body = mixpeek.ExecuteClusterByIdRequest(mode="full", sample_size=100)
    run.note("with_body.sent", body.to_dict())
    second = run.ok(
        "with_body",
        lambda: run.clusters.execute_clustering_clusters(created.cluster_id, body),
    )
    run.poll("with_body.statuses", second.task_id)
    run.ok("with_body.task", lambda: run.tasks.get_task(second.task_id))
    run.ok("with_body.after", lambda: run.clusters.get_cluster(created.cluster_id))


def _completed_run(run: Run, name: str) -> Any:
    created = run.create("create", vector_body(cluster_name=name))
    task = run.ok("execute", lambda: run.clusters.execute_clustering_clusters(created.cluster_id))
    run.poll("statuses", task.task_id)
    return run.ok("after", lambda: run.clusters.get_cluster(created.cluster_id))


def scenario_groups(run: Run) -> None:
    """The groups of a completed run (ClusterGroupsResponse)."""
    done = _completed_run(run, "grouped")
    run.ok("groups", lambda: run.clusters.get_cluster_groups(done.cluster_id))


def scenario_visualization(run: Run) -> None:
    """The visualization read of a completed run (an untyped object)."""
    done = _completed_run(run, "drawn")
    run.ok("visualization", lambda: run.clusters.get_cluster_visualization(done.cluster_id))


def scenario_delete(run: Run) -> None:
    """DELETE with cascade_output_collections true, false and unset; the output collection
    read through CollectionsApi.get_collection before and after each."""
    for name, cascade in (("cascade", True), ("keep", False), ("default", None)):
        created = run.create(f"{name}.create", vector_body(cluster_name=f"deleted-{name}"))
        outputs = created.output_collection_ids or []
        run.note(f"{name}.outputs", outputs)
        if not outputs:
            raise Stop(f"{name}.create: no output_collection_ids")
        collection = outputs[0]
        run.ok(f"{name}.collection_before", lambda c=collection: run.collections.get_collection(c))
        if cascade is None:
            run.ok(f"{name}.delete", lambda c=created: run.clusters.delete_cluster(c.cluster_id))
        else:
            run.ok(
                f"{name}.delete",
                lambda c=created, k=cascade: run.clusters.delete_cluster(
                    c.cluster_id, cascade_output_collections=k
                ),
            )
        run.fails(f"{name}.get_after", lambda c=created: run.clusters.get_cluster(c.cluster_id))
        if cascade is False:
            run.ok(f"{name}.collection_after",
                   lambda c=collection: run.collections.get_collection(c))
        else:
            run.fails(f"{name}.collection_after",
                      lambda c=collection: run.collections.get_collection(c))
        run.fails(f"{name}.delete_again",
                  lambda c=created: run.clusters.delete_cluster(c.cluster_id))


def scenario_errors(run: Run) -> None:
    """404, 422 (an undeclared key, a value of another type) and 401, each as the SDK
    raises and parses it."""
    run.fails("get_missing", lambda: run.clusters.get_cluster("missing"))
    run.fails("task_missing", lambda: run.tasks.get_task("task_doesnotexist"))
    run.fails("execute_missing",
              lambda: run.clusters.execute_clustering_clusters("clust_doesnotexist"))
    for name, model in (("create", mixpeek.CreateClusterRequest),
                        ("patch", mixpeek.PatchClusterRequest)):
        run.note(f"accepted.{name}", sorted(
            info.alias or field for field, info in model.model_fields.items()
        ))
    created = run.create("create", vector_body(cluster_name="target"))
    types = {"200": "ClusterMetadata", **ERRORS}
    run.fails(
        "create_undeclared",
        lambda: run.send_raw("POST", "/v1/clusters", vector_body(clustr_name="typo"), types),
    )
    run.fails(
        "create_wrong_type",
        lambda: run.send_raw("POST", "/v1/clusters",
                             vector_body(collection_ids="col_products"), types),
    )
    run.fails(
        "patch_undeclared",
        lambda: run.send_raw("PATCH", f"/v1/clusters/{created.cluster_id}",
                             {"description": "d", "descripton": "typo"},
                             {"200": "ClusterModel", **ERRORS}),
    )
    wrong_key = Run(run.base_url, "sk_wrong", run.namespace)
    run.fails("wrong_key", lambda: wrong_key.clusters.get_cluster(created.cluster_id))
    no_key = Run(run.base_url, None, run.namespace)
    run.fails("no_key", lambda: no_key.clusters.get_cluster(created.cluster_id))
    run.fails("no_key_task", lambda: no_key.tasks.get_task("task_doesnotexist"))


SCENARIOS: dict[str, Callable[[Run], None]] = {
    name[len("scenario_"):]: function
    for name, function in sorted(globals().items())
    if name.startswith("scenario_") and callable(function)
}


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    base_url, key, namespace, *names = argv
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenarios {unknown}; known: {sorted(SCENARIOS)}", file=sys.stderr)
        return 2
    results: dict[str, Any] = {}
    for name in names or list(SCENARIOS):
        run = Run(base_url, key, f"{namespace}-{name.replace('_', '-')}")
        error = None
        try:
            SCENARIOS[name](run)
        except Stop as stop:
            error = str(stop)
        except Exception:
            error = traceback.format_exc(limit=8)
        results[name] = {"namespace": run.namespace, "steps": run.steps, "error": error}
    json.dump({"sdk_version": mixpeek.__version__, "scenarios": results}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
