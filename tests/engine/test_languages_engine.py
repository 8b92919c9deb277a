"""The TypeScript and Go quickstarts (examples/typescript-quickstart, examples/go-quickstart),
written against the SDKs generated from schema.json (sdk/nodejs, sdk/go), under the real Pulumi
CLI against a real local server at today's API level: each runs as an inline program through
its language's Automation API (no Node.js or Go language host is needed), and goes up, previews
no change, updates a description in place, replaces the vector cluster on a changed
collectionIds and destroys, each step checked on the server.

The example's dependencies come from `make examples` (npm ci from its package-lock.json; the Go
modules from the proxy into Go's build cache); its runner is compiled once per session here."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.engine.helpers import API_KEY, FACES, server_clusters
from tests.support.emulator import TODAY_API_VERSION, Emulator, running_emulator
from tests.support.pulumi import REPO, PulumiProject

pytestmark = [pytest.mark.engine, pytest.mark.timeout(900)]

EXAMPLES = REPO / "examples"
CLUSTER_TYPE = "mixpeek:index:Cluster"
BUILD_TIMEOUT_S = 600


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"no {tool} on PATH: the TypeScript and Go quickstarts need Node.js and Go"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _build(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=BUILD_TIMEOUT_S,
    )
    assert result.returncode == 0, f"{' '.join(argv)} in {cwd}:\n{result.stdout}{result.stderr}"


@dataclass(frozen=True)
class Example:
    """An example whose runner takes ``up|preview|refresh|destroy [flags]``."""

    name: str
    language: str  # the prefix of its cluster names
    runner: list[str]
    expect_no_changes: str  # the runner's flag for it

    @property
    def source(self) -> Path:
        return EXAMPLES / self.name


@pytest.fixture(scope="session")
def typescript_example() -> Example:
    node = _require("node")
    source = EXAMPLES / "typescript-quickstart"
    tsc = source / "node_modules" / ".bin" / "tsc"
    if not tsc.exists():
        pytest.fail(f"{source}/node_modules is missing: `make examples` installs it (npm ci)")
    _build([str(tsc), "-p", "."], source)  # into bin/ (ignored by git), beside node_modules
    return Example(
        "typescript-quickstart",
        "typescript",
        [node, str(source / "bin" / "automation.js")],
        "--expect-no-changes",
    )


@pytest.fixture(scope="session")
def go_example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    go = _require("go")
    source = EXAMPLES / "go-quickstart"
    binary = tmp_path_factory.mktemp("go-quickstart") / "automation"
    # Modules from the proxy via the committed go.sum; `make examples` has already compiled
    # them into Go's build cache, so this is mostly a link.
    env = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly", "CGO_ENABLED": "0"}
    _build([go, "build", "-o", str(binary), "./automation"], source, env)
    return Example("go-quickstart", "go", [str(binary)], "-expect-no-changes")


@pytest.fixture(scope="module")
def today_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    db = tmp_path_factory.mktemp("emulator") / "languages.db"
    with running_emulator(db=db, api_keys=(API_KEY,), api_version=TODAY_API_VERSION) as server:
        yield server


@pytest.fixture(params=["typescript", "go"])
def example(request: pytest.FixtureRequest) -> Example:
    found: Example = request.getfixturevalue(f"{request.param}_example")
    return found


class Run:
    """One stack of an example: its project directory holds the example's Pulumi.yaml and the
    stack's config; the runner runs the program inline against it."""

    def __init__(self, example: Example, project: PulumiProject, server: Emulator,
                 namespace: str) -> None:
        self.example = example
        self.project = project
        self.server = server
        self.namespace = namespace

    def __call__(self, command: str, *flags: str) -> str:
        argv = [*self.example.runner, command, *flags]
        shown = f"{self.example.name} {command} {' '.join(flags)}".strip()
        return self.project.execute(argv, shown=shown).stdout

    def clusters(self) -> dict[str, dict[str, Any]]:
        """The server's clusters in this stack's namespace, by name."""
        return {c["cluster_name"]: c for c in server_clusters(self.server, self.namespace)}

    def cluster(self, identifier: str) -> dict[str, Any] | None:
        response = self.server.api(
            "GET", f"/v1/clusters/{identifier}", key=API_KEY, namespace=self.namespace
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return dict(response.json())

    def changes(self) -> list[str]:
        """The writes the server received on this namespace since the last reset."""
        return [
            f"{r['method']} {r['path']}"
            for r in self.server.requests()
            if r.get("namespace") == self.namespace and r["method"] in {"POST", "PATCH", "DELETE"}
            and not r["path"].endswith("/list")
        ]


@pytest.fixture
def run(
    example: Example, tmp_path: Path, bin_dir: Path, today_server: Emulator, namespace: str
) -> Iterator[Run]:
    root = tmp_path / example.name
    root.mkdir()
    shutil.copy(example.source / "Pulumi.yaml", root / "Pulumi.yaml")
    project = PulumiProject.create(root, bin_dir, stack="dev")
    # The CLI and the native plugin on PATH, as the README says.
    project.extra_env.update(FACES["native"].env(bin_dir))
    project.set_config("mixpeek:endpoint", today_server.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)
    project.set_config("mixpeek:apiVersion", TODAY_API_VERSION)  # the suite pins 1.3.1
    stack = Run(example, project, today_server, namespace)
    yield stack
    if project.resources(CLUSTER_TYPE):
        project.run("destroy", "--yes", plain=True)
    assert server_clusters(today_server, namespace) == [], f"left behind in {namespace}"
    assert API_KEY not in project.logs()


def test_quickstart_lifecycle(run: Run) -> None:
    language = run.example.language
    products_name, catalog_name = f"{language}-products-dev", f"{language}-catalog-dev"

    # up: the two clusters the program declares, as declared.
    run("up")
    clusters = run.clusters()
    assert set(clusters) == {products_name, catalog_name}
    products, catalog = clusters[products_name], clusters[catalog_name]
    assert products["cluster_type"] == "vector"
    assert products["input_collections"] == ["col_products"]
    assert products["description"] == "Products grouped by text embedding"
    assert products["metadata"] == {"team": "search", "managed-by": "pulumi"}
    assert products["algorithm"] == "hdbscan"
    assert products["llm_labeling"]["enabled"] is True
    assert catalog["cluster_type"] == "attribute"
    assert catalog["input_collections"] == ["col_catalog"]
    assert catalog["clustered_attributes"] == ["metadata.category", "metadata.brand"]
    assert catalog["hierarchical_grouping"] is True
    outputs = run.project.outputs()
    assert outputs["productsClusterId"] == products["cluster_id"]
    assert outputs["catalogClusterId"] == catalog["cluster_id"]
    assert outputs["productsOutputCollectionIds"] == products["output_collection_ids"]

    # A preview of the same program changes nothing, on the server either.
    run.server.reset()
    preview = run("preview", run.example.expect_no_changes)
    assert "3 unchanged" in preview, preview
    assert run.changes() == []

    # A new description updates the vector cluster in place: same id, one PATCH.
    run.project.set_config("description", "Products, regrouped")
    run.server.reset()
    run("up")
    updated = run.cluster(products["cluster_id"])
    assert updated is not None and updated["description"] == "Products, regrouped"
    assert run.changes() == [f"PATCH /v1/clusters/{products['cluster_id']}"]
    assert set(run.clusters()) == {products_name, catalog_name}

    # A changed collectionIds replaces it: a new id, the old one gone; the catalog untouched.
    for index, collection in enumerate(["col_products", "col_more"]):
        run.project.run("config", "set", "--path", f"collectionIds[{index}]", collection)
    run("up")
    clusters = run.clusters()
    assert set(clusters) == {products_name, catalog_name}
    replaced = clusters[products_name]
    assert replaced["cluster_id"] != products["cluster_id"]
    assert replaced["input_collections"] == ["col_products", "col_more"]
    assert run.cluster(products["cluster_id"]) is None
    assert clusters[catalog_name]["cluster_id"] == catalog["cluster_id"]
    assert run.project.outputs()["productsClusterId"] == replaced["cluster_id"]
    run("preview", run.example.expect_no_changes)

    # destroy: nothing left on the server or in the state.
    run("destroy")
    assert run.clusters() == {}
    assert run.project.resources(CLUSTER_TYPE) == []
