"""The committed Node.js and Go SDKs (sdk/nodejs, sdk/go) are exactly what Pulumi's code
generators make of schema.json (codegen/nodejs and codegen/go, run by
scripts/pulumi-tools/schema-sdk through scripts/generate-sdks): regenerated into a temporary
directory and compared file by file, so they cannot drift from the schema. `make schema`
regenerates them. (Engine tier: it needs Go to build the generator.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.pulumi import REPO

pytestmark = [pytest.mark.engine, pytest.mark.timeout(1800)]

#: What installing or building a Node.js SDK leaves beside it (its generated .gitignore).
NOT_GENERATED = {"node_modules", "bin"}


def _files(root: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_GENERATED or not path.is_file():
            continue
        found[str(relative)] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("go") is None:
        message = "no Go toolchain: scripts/generate-sdks builds scripts/pulumi-tools/schema-sdk"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("sdk")
    result = subprocess.run(
        [str(REPO / "scripts" / "generate-sdks"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1700,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("language", ["nodejs", "go"])
def test_committed_sdk_is_what_the_schema_generates(generated: Path, language: str) -> None:
    fresh, committed = _files(generated / language), _files(REPO / "sdk" / language)
    assert fresh, f"nothing generated for {language}"
    stale = sorted(
        name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name)
    )
    assert stale == [], f"sdk/{language} is out of date in {stale}: run `make schema`"


def test_sdks_name_the_package_as_users_install_it(generated: Path) -> None:
    package = (generated / "nodejs" / "package.json").read_text()
    assert '"name": "@mixpeek/pulumi-mixpeek"' in package
    go_mod = (generated / "go" / "go.mod").read_text()
    assert go_mod.startswith("module github.com/mixpeek/pulumi-mixpeek/sdk/go\n")
    # Pulumi's naming: the schema's camelCase names are each language's own spelling.
    cluster_ts = (generated / "nodejs" / "cluster.ts").read_text()
    assert "collectionIds?: pulumi.Input<pulumi.Input<string>[]" in cluster_ts
    cluster_go = (generated / "go" / "mixpeek" / "cluster.go").read_text()
    assert 'CollectionIds pulumi.StringArrayOutput `pulumi:"collectionIds"`' in cluster_go
