"""Shared pieces of the engine tests: the test program, the key, and the Stack wrapper."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import Emulator
from tests.support.pulumi import REPO, PulumiProject

__all__ = [
    "API_KEY",
    "BOTH_FACES",
    "CLUSTER_TYPE",
    "FACES",
    "POLICY_LAUNCHER",
    "PROGRAM",
    "Face",
    "Stack",
    "plugin_path",
    "server_clusters",
]

API_KEY = "sk_test_engine_" + uuid.uuid4().hex
CLUSTER_TYPE = "pulumi-python:dynamic/mixpeek:Cluster"
#: The policy pack's launcher: what `--policy-pack` names where there is no language host.
POLICY_LAUNCHER = REPO / "policy" / "run-pack"

#: The engine-test program: one Cluster per entry of spec.json, so a test changes the
#: declaration by rewriting that file ("resource_options" holds pulumi.ResourceOptions
#: arguments). Exports each cluster's id and output collections. ``{cluster}`` is the face's
#: Cluster class.
PROGRAM = """\
import json
from pathlib import Path

import pulumi
import pulumi_mixpeek as mixpeek

spec = json.loads(Path("spec.json").read_text())
for name, args in spec.items():
    options = args.pop("resource_options", None)
    opts = pulumi.ResourceOptions(**options) if options else None
    cluster = {cluster}(name, **args, opts=opts)
    pulumi.export(f"{{name}}_id", cluster.cluster_id)
    pulumi.export(f"{{name}}_outputs", cluster.output_collection_ids)
"""

NATIVE_CLUSTER_TYPE = "mixpeek:index:Cluster"


@dataclass(frozen=True)
class Face:
    """One of the package's two faces: the dynamic provider, or the native plugin."""

    name: str
    cluster_class: str
    cluster_type: str

    @property
    def program(self) -> str:
        return PROGRAM.format(cluster=self.cluster_class)

    def shown(self, field: str) -> str:
        """How the CLI names an input: the dynamic provider's state uses the API's
        snake_case, the native plugin the schema's camelCase (Pulumi's convention, written out
        here rather than taken from the provider's renaming)."""
        if self.name != "native":
            return field
        return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), field)

    def env(self, bin_dir: Path) -> dict[str, str]:
        """The native face finds its plugin as the README says: on PATH."""
        if self.name != "native":
            return {}
        path = os.pathsep.join([str(bin_dir), str(plugin_path().parent), os.environ["PATH"]])
        return {"PATH": path}


FACES = {
    "dynamic": Face("dynamic", "mixpeek.Cluster", CLUSTER_TYPE),
    "native": Face("native", "mixpeek.native.Cluster", NATIVE_CLUSTER_TYPE),
}
#: For ``pytest.mark.parametrize("face", BOTH_FACES, indirect=True)``.
BOTH_FACES = list(FACES)


def plugin_path() -> Path:
    """``pulumi-resource-mixpeek``, the console script installed beside this Python."""
    return Path(sys.executable).parent / "pulumi-resource-mixpeek"


def server_clusters(emulator: Emulator, namespace: str) -> list[dict[str, Any]]:
    """The clusters the server holds in ``namespace``, read through the API."""
    response = emulator.api(
        "POST", "/v1/clusters/list", key=API_KEY, namespace=namespace, params={"limit": 100}
    )
    response.raise_for_status()
    return list(response.json()["results"])


class Stack:
    """A project wired to the emulator, plus helpers to declare clusters and read the server."""

    def __init__(
        self, project: PulumiProject, emulator: Emulator, namespace: str, face: Face
    ) -> None:
        self.project = project
        self.emulator = emulator
        self.namespace = namespace
        self.face = face
        #: Further (server, namespace) places the test put clusters in.
        self.other_places: list[tuple[Emulator, str]] = []

    def places(self) -> list[tuple[Emulator, str]]:
        """Every (server, namespace) this stack may have put clusters in."""
        return [(self.emulator, self.namespace), *self.other_places]

    def other_namespace(self, suffix: str) -> str:
        """A further namespace on this stack's server, checked for leftovers at the end."""
        name = f"{self.namespace}-{suffix}"
        self.other_places.append((self.emulator, name))
        return name

    def declare(self, **clusters: dict[str, Any]) -> None:
        (self.project.root / "spec.json").write_text(json.dumps(clusters, indent=2))

    def run(self, *args: str, check: bool = True) -> str:
        return self.project.run(*args, check=check).stdout

    def server_clusters(self, namespace: str | None = None) -> list[dict[str, Any]]:
        return server_clusters(self.emulator, namespace or self.namespace)

    def server_cluster(self, identifier: str) -> dict[str, Any] | None:
        response = self.emulator.api(
            "GET", f"/v1/clusters/{identifier}", key=API_KEY, namespace=self.namespace
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return dict(response.json())

    def api_requests(self, *namespaces: str) -> list[dict[str, Any]]:
        """Requests the server received on this test's namespace (or on ``namespaces``)."""
        wanted = set(namespaces or (self.namespace,))
        return [r for r in self.emulator.requests() if r.get("namespace") in wanted]

    def preview_with_policies(
        self,
        config: dict[str, Any],
        *args: str,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """`pulumi preview --policy-pack policy/run-pack --policy-pack-config <config>`."""
        if not (REPO / "policy" / "venv" / "bin" / "python").exists():
            pytest.fail("policy/venv is missing: `make policy` creates it from requirements.txt")
        config_file = self.project.root / "policy-config.json"
        config_file.write_text(json.dumps(config))
        return self.project.run(
            "preview",
            "--policy-pack",
            str(POLICY_LAUNCHER),
            "--policy-pack-config",
            str(config_file),
            *args,
            check=False,
            env=env,
        )
