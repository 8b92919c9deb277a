"""schema.json through Pulumi's own tools: the schema binder and the Python code generator
(``pkg/v3/codegen/schema`` and ``codegen/python.GeneratePackage``, the code behind
``pulumi package gen-sdk --language python``), run by ``scripts/pulumi-tools/schema-sdk``.
The generated SDK is imported and compared with the provider's Python classes: the generated
package is ``pulumi_mixpeek.native`` (the schema's ``language.python.packageName``), the module
``pulumi import`` names in the code it writes, so its enums must be the native face's."""

from __future__ import annotations

import enum
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi_mixpeek
import pytest
from pulumi_mixpeek import schema
from pulumi_mixpeek.config import CONFIG_VARIABLES

from tests.support.pulumi import REPO

pytestmark = [pytest.mark.engine, pytest.mark.timeout(1800)]

TOOLS = REPO / "scripts" / "pulumi-tools"

# Run in a fresh interpreter that loads the generated package from its directory (named
# after the schema's packageName, `pulumi_mixpeek.native`) as the module of that name, so that
# it is the generated SDK, not this repository's package. (Its _utilities reads the version of
# the distribution its name starts with, `pulumi_mixpeek`, installed here.)
INSPECT = r"""
import dataclasses, enum, importlib.util, inspect, json, sys
directory, name = sys.argv[1:]
spec = importlib.util.spec_from_file_location(
    name, directory + "/__init__.py", submodule_search_locations=[directory]
)
sdk = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = sdk
spec.loader.exec_module(sdk)

def params(fn):
    return {
        name: p.default is inspect.Parameter.empty
        for name, p in inspect.signature(fn).parameters.items()
        if name not in ("__self__", "self", "resource_name", "opts", "__props__")
    }

def enum_kind(cls):
    return "str" if issubclass(cls, str) else "int" if issubclass(cls, int) else "other"

print(json.dumps({
    "file": sdk.__file__,
    "classes": {
        name: params(getattr(sdk, name).__init__)
        for name in dir(sdk) if name.endswith("Args") and inspect.isclass(getattr(sdk, name))
    },
    "functions": {name: params(getattr(sdk, name)) for name in ("get_cluster", "list_clusters")},
    "provider": params(sdk.ProviderArgs.__init__),
    "enums": {
        name: {"kind": enum_kind(cls), "members": {m.name: m.value for m in cls}}
        for name, cls in vars(sdk).items()
        if inspect.isclass(cls) and issubclass(cls, enum.Enum) and cls.__module__ != "enum"
    },
}))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    go = shutil.which("go")
    if go is None:
        message = "no Go toolchain: the schema check builds scripts/pulumi-tools/schema-sdk"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("schema-sdk")
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly", "CGO_ENABLED": "0"}
    build = subprocess.run(
        [go, "build", "-o", str(work / "schema-sdk"), "./schema-sdk"],
        cwd=TOOLS,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1700,
    )
    assert build.returncode == 0, build.stderr
    out = work / "sdk"
    run = subprocess.run(
        [str(work / "schema-sdk"), str(REPO / "schema.json"), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # Any binder diagnostic, error or warning, fails the run and is printed on stderr.
    assert run.returncode == 0 and run.stderr == "", run.stderr
    return out


@pytest.fixture(scope="module")
def sdk(generated: Path) -> dict[str, Any]:
    package = json.loads((REPO / "schema.json").read_text())["language"]["python"]["packageName"]
    result = subprocess.run(
        [sys.executable, "-c", INSPECT, str(generated / package), package],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found: dict[str, Any] = json.loads(result.stdout)
    assert Path(found["file"]).is_relative_to(generated)
    return found


def _arguments(fn: Any) -> dict[str, bool]:
    """Argument name -> required, for a constructor or function of this package."""
    return {
        name: p.default is inspect.Parameter.empty
        for name, p in inspect.signature(fn).parameters.items()
        if name not in ("self", "resource_name", "opts") and p.kind is not p.VAR_KEYWORD
    }


@pytest.mark.parametrize("resource", schema.RESOURCES, ids=lambda r: r.name)
def test_generated_resource_takes_the_providers_arguments(
    resource: schema.ResourceSchema, sdk: dict[str, Any]
) -> None:
    assert sdk["classes"][f"{resource.name}Args"] == _arguments(resource.resource.__init__)


def test_generated_args_classes_are_the_providers(sdk: dict[str, Any]) -> None:
    ours = {
        name: _arguments(getattr(pulumi_mixpeek, name))
        for name in pulumi_mixpeek.__all__
        if name.endswith("Args")
    }
    assert ours
    for name, arguments in ours.items():
        assert sdk["classes"][name] == arguments, name


def test_generated_functions_and_provider(sdk: dict[str, Any]) -> None:
    assert sdk["functions"]["get_cluster"] == {"identifier": False}  # keyword, may be unknown
    assert set(sdk["functions"]["list_clusters"]) == {"search", "filters"}
    assert set(_arguments(pulumi_mixpeek.list_clusters)) >= {"search", "filters"}
    # Every configuration variable the provider declares is an optional provider argument
    # (explicit provider resources), named in snake case by the generator.
    declared = {re.sub(r"(?<!^)(?=[A-Z])", "_", v.name).lower() for v in CONFIG_VARIABLES}
    assert declared >= {"api_key", "endpoint", "namespace", "max_retries"}
    assert sdk["provider"] == dict.fromkeys(declared, False)


def test_generated_enums_are_the_native_faces(sdk: dict[str, Any]) -> None:
    """The code `pulumi import` writes names these classes and members in the package it
    imports (`pulumi_mixpeek.native`); each must be there, a str or int enum of the same
    values, so that the program it is pasted into runs."""
    from pulumi_mixpeek import native

    assert sdk["enums"]
    ours = {
        name: {
            "kind": "str" if issubclass(cls, str) else "int" if issubclass(cls, int) else "other",
            "members": {member.name: member.value for member in cls},
        }
        for name in native.__all__
        if isinstance(cls := getattr(native, name), type) and issubclass(cls, enum.Enum)
    }
    assert ours == sdk["enums"]
