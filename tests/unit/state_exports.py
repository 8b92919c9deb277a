"""Hand-built ``pulumi stack export`` documents (the shape CLI 3.274.1 writes) for the
recovery tests: a stack, its default dynamic provider, Clusters created or pending."""

from __future__ import annotations

from typing import Any

from pulumi_mixpeek.recovery import CLUSTER_TYPE
from pulumi_mixpeek.state import build_outputs

from tests.unit.cluster_helpers import PROVIDER_BLOB, checked
from tests.unit.cluster_helpers import server_metadata as metadata_for
from tests.unit.conftest import UNIT_NAMESPACE

__all__ = [
    "DEFAULT_NS",
    "PROVIDER_REF",
    "PROVIDER_URN",
    "STACK_URN",
    "created",
    "deployment",
    "pending",
    "resource_state",
    "urn",
]

STACK_URN = "urn:pulumi:test::proj::pulumi:pulumi:Stack::proj-test"
PROVIDER_URN = "urn:pulumi:test::proj::pulumi:providers:pulumi-python::default"
PROVIDER_REF = PROVIDER_URN + "::04b8b0b1-9c1e-4b0f-9d2a-2d1c6f1b6a11"
#: The namespace check records in these states (tests/unit/conftest.py configures it).
DEFAULT_NS = UNIT_NAMESPACE


def urn(name: str) -> str:
    return f"urn:pulumi:test::proj::{CLUSTER_TYPE}::{name}"


def resource_state(name: str, declaration: dict[str, Any]) -> dict[str, Any]:
    """A Cluster as the engine records it before the create (inputs only)."""
    return {
        "urn": urn(name),
        "custom": True,
        "type": CLUSTER_TYPE,
        "inputs": checked(declaration),
        "parent": STACK_URN,
        "provider": PROVIDER_REF,
        "propertyDependencies": {},
    }


def created(name: str, declaration: dict[str, Any], cluster_id: str) -> dict[str, Any]:
    state = resource_state(name, declaration)
    meta = metadata_for(state["inputs"], cluster_id=cluster_id)
    outputs = build_outputs(meta, state["inputs"])
    return {**state, "id": cluster_id, "outputs": {**outputs, "__provider": PROVIDER_BLOB}}


def pending(name: str, declaration: dict[str, Any], kind: str = "creating") -> dict[str, Any]:
    return {"resource": resource_state(name, declaration), "type": kind}


def deployment(
    resources: list[dict[str, Any]], operations: list[dict[str, Any]]
) -> dict[str, Any]:
    base = [
        {"urn": STACK_URN, "custom": False, "type": "pulumi:pulumi:Stack"},
        {
            "urn": PROVIDER_URN,
            "custom": True,
            "id": PROVIDER_REF.rsplit("::", 1)[1],
            "type": "pulumi:providers:pulumi-python",
        },
    ]
    return {
        "manifest": {"time": "2026-11-29T05:00:00Z", "version": "v3.274.1"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:abc"}},
        "resources": base + resources,
        "pending_operations": operations,
    }
