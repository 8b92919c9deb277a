"""The code ``pulumi import`` writes for a Python project runs as is: pasted into the
program, the next preview shows no change.

The code is written by Pulumi's own Python program generator (``codegen/python``), which
``scripts/pulumi-run import`` serves as the language runtime's ``GenerateProgram`` (there is
no ``pulumi-language-python`` here; scripts/pulumi-tools/README.md). It reads how to name
the package from the schema the plugin serves, so the text it writes is the one a normal
Pulumi install writes."""

from __future__ import annotations

import pytest

from tests.engine.helpers import FACES, Face, Stack
from tests.engine.test_cluster_engine import vector_cluster
from tests.engine.test_native_engine import create_out_of_band

pytestmark = pytest.mark.engine

NATIVE = FACES["native"]


@pytest.fixture
def face() -> Face:
    """Every stack of this module uses the native face."""
    return NATIVE


def test_generated_python_previews_no_change(stack: Stack) -> None:
    declared = vector_cluster("legacy", description=None, metadata=None)
    existing_id = create_out_of_band(stack, declared)
    stack.emulator.reset()

    generated_file = stack.project.root / "imported.py"
    imported = stack.run(
        "import", NATIVE.cluster_type, "legacy", existing_id, "--yes", "--out", str(generated_file)
    )
    assert "1 imported" in imported, imported
    generated = generated_file.read_text()

    # It names the module that declares mixpeek:index:Cluster; `pulumi_mixpeek.Cluster` is
    # the dynamic provider's resource, another type.
    lines = generated.splitlines()
    assert "import pulumi_mixpeek.native as mixpeek" in lines, generated
    assert "import pulumi_mixpeek as mixpeek" not in lines, generated
    assert 'mixpeek.Cluster("legacy",' in generated, generated
    assert existing_id not in generated  # the id is state, not code

    # Pasted as the program, it declares exactly what was imported.
    (stack.project.root / "__main__.py").write_text(generated)
    stack.run("preview", "--expect-no-changes")
    assert {r["method"] for r in stack.api_requests()} == {"GET"}  # import and preview read
    (resource,) = stack.project.resources(NATIVE.cluster_type)
    assert resource["id"] == existing_id
    assert [c["cluster_id"] for c in stack.server_clusters()] == [existing_id]
