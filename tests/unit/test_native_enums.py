"""The native face exports an enum class for every enum type of schema.json: the code
``pulumi import`` writes for Python names them (``mixpeek.ClusterType.VECTOR``) in the
schema's ``language.python.packageName``. Member names are Pulumi's generator's, checked
against the SDK it generates in tests/engine/test_schema_sdk.py; here, without Go, that each
class is there with the schema's values and serializes to them."""

from __future__ import annotations

import asyncio
import enum
import json
from typing import Any

import pulumi.runtime.rpc as rpc
import pytest
from google.protobuf import json_format
from pulumi_mixpeek import native

from tests.support.pulumi import REPO

pytestmark = pytest.mark.unit

SCHEMA = json.loads((REPO / "schema.json").read_text())
ENUM_TYPES = {token: spec for token, spec in SCHEMA["types"].items() if "enum" in spec}
BASES = {"string": str, "integer": int}


def test_the_schema_names_the_native_package() -> None:
    assert SCHEMA["language"]["python"]["packageName"] == native.__name__


@pytest.mark.parametrize("token", sorted(ENUM_TYPES))
def test_native_exports_each_schema_enum(token: str) -> None:
    spec: dict[str, Any] = ENUM_TYPES[token]
    name = token.rsplit(":", 1)[1]
    assert name in native.__all__
    cls = getattr(native, name)
    assert issubclass(cls, enum.Enum) and issubclass(cls, BASES[spec["type"]])
    assert [member.value for member in cls] == [value["value"] for value in spec["enum"]]


@pytest.mark.parametrize("token", sorted(ENUM_TYPES))
def test_members_serialize_to_the_api_values(token: str) -> None:
    """What the SDK sends the plugin for a member (the protobuf Struct of a resource's
    inputs, read back as JSON) is the plain value."""
    cls = getattr(native, token.rsplit(":", 1)[1])
    inputs = {member.name: member for member in cls}
    struct = asyncio.run(rpc.serialize_properties(inputs, {}))
    sent = json.loads(json_format.MessageToJson(struct))
    assert sent == {member.name: member.value for member in cls}
