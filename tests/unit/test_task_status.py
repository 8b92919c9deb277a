"""Task statuses: every status the API can report belongs to exactly one class (running,
succeeded, succeeded with errors, failed), declared once in ``models``; the oracle is the
official SDK's TaskStatusEnum (mixpeek 1.3.1) plus the values newer APIs added. A status the
provider does not know is read without error and stops the wait at once, named; one that is
not running is never polled. No network (httpx.MockTransport, a fake clock)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from mixpeek.models.task_status_enum import TaskStatusEnum
from pulumi_mixpeek.client import MixpeekClient
from pulumi_mixpeek.errors import ExecutionError, ExecutionTimeoutError
from pulumi_mixpeek.models import (
    TASK_STATUS_CLASSES,
    ClusterExecutionOutputs,
    ClusterMetadata,
    ClusterModel,
    TaskResponse,
    TaskStatus,
    TaskStatusClass,
    task_status_class,
)
from pulumi_mixpeek.polling import wait_for_task

pytestmark = pytest.mark.unit

RUNNING = TaskStatusClass.RUNNING
SUCCEEDED = TaskStatusClass.SUCCEEDED
WITH_ERRORS = TaskStatusClass.SUCCEEDED_WITH_ERRORS
FAILED = TaskStatusClass.FAILED

#: The values of the installed SDK's enum (mixpeek 1.3.1): the oracle.
SDK_STATUSES = [status.value for status in TaskStatusEnum]
#: Added after 1.3.1: QUEUED and INTERRUPTED (SDK 1.3.2), DEACTIVATED (by 1.3.400).
NEWER_STATUSES = {"QUEUED": RUNNING, "INTERRUPTED": FAILED, "DEACTIVATED": FAILED}

#: The class of each status, as the provider reads it (the six statuses that are neither
#: running nor finished read as failed: see models/responses.py for why).
EXPECTED = {
    "PENDING": RUNNING,
    "IN_PROGRESS": RUNNING,
    "PROCESSING": RUNNING,
    "QUEUED": RUNNING,
    "COMPLETED": SUCCEEDED,
    "COMPLETED_WITH_ERRORS": WITH_ERRORS,
    "FAILED": FAILED,
    "CANCELED": FAILED,
    "INTERRUPTED": FAILED,
    "DEACTIVATED": FAILED,
    "SKIPPED": FAILED,
    "UNKNOWN": FAILED,
    "DRAFT": FAILED,
    "ACTIVE": FAILED,
    "ARCHIVED": FAILED,
    "SUSPENDED": FAILED,
}

KEY = "sk_unit_task_status_SECRET"
NOT_KNOWN = "PAUSED_FOR_REVIEW"


def test_the_oracle_is_the_1_3_1_sdk() -> None:
    assert len(SDK_STATUSES) == 13 and "SKIPPED" in SDK_STATUSES
    assert not set(NEWER_STATUSES) & set(SDK_STATUSES)


@pytest.mark.parametrize("value", [*SDK_STATUSES, *NEWER_STATUSES])
def test_every_status_belongs_to_exactly_one_class(value: str) -> None:
    classes = [cls for cls in TaskStatusClass if task_status_class(value) is cls]
    assert classes == [EXPECTED[value]]
    assert TASK_STATUS_CLASSES[TaskStatus(value)] is EXPECTED[value]


def test_the_classes_are_declared_once_for_exactly_these_statuses() -> None:
    """One mapping, one entry per status the API can report: nothing left out (the six
    statuses that were neither running nor terminal), nothing the API does not have."""
    assert set(TASK_STATUS_CLASSES) == set(TaskStatus) == {*SDK_STATUSES, *NEWER_STATUSES}
    assert dict(TASK_STATUS_CLASSES) == EXPECTED


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (TaskResponse, {"task_id": "task_1", "task_type": "engine_cluster_build"}),
        (ClusterMetadata, {"cluster_name": "c", "namespace_id": "ns_1",
                           "input_collections": ["col_a"], "cluster_type": "vector"}),
        (ClusterModel, {}),
        (ClusterExecutionOutputs, {"task_id": "task_1"}),
    ],
    ids=["TaskResponse", "ClusterMetadata", "ClusterModel", "ClusterExecutionOutputs"],
)
def test_a_status_the_provider_does_not_know_is_read_and_classed_not_known(
    model: Any, body: dict[str, Any]
) -> None:
    read = model.model_validate({**body, "status": NOT_KNOWN})
    assert read.status == NOT_KNOWN and read.status.value == NOT_KNOWN
    assert read.model_dump(mode="json")["status"] == NOT_KNOWN
    assert task_status_class(read.status) is None
    known = model.model_validate({**body, "status": "SKIPPED"})
    assert known.status is TaskStatus.SKIPPED


# -- the wait ----------------------------------------------------------------------------
class Server:
    """GET /v1/tasks/task_1 answers the given statuses in turn (the last one repeats)."""

    def __init__(self, *statuses: str) -> None:
        self.statuses = list(statuses)
        self.gets = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        status = self.statuses[min(self.gets, len(self.statuses) - 1)]
        self.gets += 1
        return httpx.Response(200, json=task(status).model_dump(mode="json"))

    def client(self) -> MixpeekClient:
        return MixpeekClient(endpoint="https://api.example", api_key=KEY, namespace="ns",
                             http_client=httpx.Client(transport=httpx.MockTransport(self.handler)))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def task(status: str) -> TaskResponse:
    return TaskResponse(task_id="task_1", task_type="engine_cluster_build", status=status)


def wait(server: Server, first: str, timeout_s: float = 1800) -> tuple[TaskResponse, Clock]:
    clock = Clock()
    done = wait_for_task(server.client(), task(first), cluster_id="clust_1", timeout_s=timeout_s,
                         clock=clock, sleep=clock.sleep)
    return done, clock


@pytest.mark.parametrize("value", [v for v, cls in EXPECTED.items() if cls is not RUNNING])
def test_a_status_that_is_not_running_ends_the_wait_without_a_poll(value: str) -> None:
    server = Server(value)
    done, clock = wait(server, value)
    assert done.status == value and server.gets == 0 and clock.now == 0


@pytest.mark.parametrize("value", ["SKIPPED", "INTERRUPTED", "ARCHIVED", "UNKNOWN"])
def test_a_run_that_turns_not_running_is_polled_no_further(value: str) -> None:
    server = Server("PROCESSING", value, "COMPLETED")
    done, clock = wait(server, "PENDING")
    assert done.status == value and server.gets == 2
    assert clock.now < 5  # 1 s, then 1.5 s: not the 1800 s timeout


def test_queued_is_running() -> None:
    server = Server("QUEUED", "QUEUED", "COMPLETED")
    done, _ = wait(server, "QUEUED")
    assert done.status is TaskStatus.COMPLETED and server.gets == 3
    with pytest.raises(ExecutionTimeoutError):
        wait(Server("QUEUED"), "QUEUED", timeout_s=10)


@pytest.mark.parametrize("reached_after", [0, 2])
def test_a_status_the_provider_does_not_know_stops_the_wait_at_once_named(
    reached_after: int,
) -> None:
    server = Server(*["PROCESSING"] * reached_after, NOT_KNOWN)
    first = "PENDING" if reached_after else NOT_KNOWN
    with pytest.raises(ExecutionError) as stopped:
        wait(server, first)
    assert not isinstance(stopped.value, ExecutionTimeoutError)
    assert stopped.value.status == NOT_KNOWN and stopped.value.task_id == "task_1"
    assert NOT_KNOWN in str(stopped.value) and "task_1" in str(stopped.value)
    assert server.gets == (reached_after + 1 if reached_after else 0)
