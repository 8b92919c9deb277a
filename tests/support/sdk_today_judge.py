"""The official ``mixpeek==1.3.783`` SDK's verdict on create bodies.

Run by the SDK's own python (``make sdk`` creates ``.venv-sdk-1.3.783``), never imported by
the test suite (``tests/support/sdk_today.py`` starts it). It reads one JSON request per
line on stdin and answers each with one JSON line on stdout, ``{"result": ...}`` or
``{"error": ...}``:

- ``{"op": "version"}``: the SDK's version.
- ``{"op": "judge", "bodies": [...]}``: for each body, in order,
  ``{"refusal": why | null, "unread": [...]}``: why ``CreateClusterRequest.from_dict``
  refuses it (null: it accepts it), and the keys of the body (dotted, list positions left
  out) that ``from_dict`` never reads.
- ``{"op": "describe", "paths": [...]}``: ``{"fields": {path: description | null},
  "internal": [...]}``: the description of CreateClusterRequest's field at each dotted path
  (null when the model has no such field) and VectorBasedConfigInput's fields marked "Do
  not set manually".

``from_dict``, not ``model_validate``: it is how the SDK reads JSON (``model_validate``
refuses a plain string ``model_name`` or an ``algorithm_params`` object, which need the SDK's
wrapper types).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any, get_args

import mixpeek
from pydantic import BaseModel
from pydantic.fields import FieldInfo

REQUEST: type[BaseModel] = mixpeek.CreateClusterRequest
INTERNAL_MARK = "Do not set manually"


def sdk_model(annotation: Any) -> type[BaseModel] | None:
    """The SDK model an annotation holds (through Optional, List, Annotated), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = sdk_model(arg)
        if found is not None:
            return found
    return None


def field(path: str) -> FieldInfo | None:
    model: type[BaseModel] | None = REQUEST
    info: FieldInfo | None = None
    for name in path.split("."):
        if model is None:
            return None
        info = model.model_fields.get(name)
        if info is None:
            return None
        model = sdk_model(info.annotation)
    return info


def refusal(body: Any) -> str | None:
    try:
        mixpeek.CreateClusterRequest.from_dict(body)
    except (ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        return str(exc)
    return None


def unread_keys(value: Any, model: type[BaseModel] = REQUEST, path: str = "") -> set[str]:
    """The keys ``from_dict`` never reads: it reads a model's own properties only, except a
    model that keeps additional properties (filters) and the anyOf/oneOf wrappers
    (algorithm_params, model_name, preprocessing steps), which take what their variants
    take."""
    fields = model.model_fields
    if not isinstance(value, dict) or "additional_properties" in fields:
        return set()
    if "actual_instance" in fields:
        return set()
    by_key = {info.alias or name: info for name, info in fields.items()}
    unread = set()
    for key, item in value.items():
        info = by_key.get(key)
        if info is None:
            unread.add(path + key)
            continue
        sub = sdk_model(info.annotation)
        if sub is not None:
            for element in item if isinstance(item, list) else [item]:
                unread |= unread_keys(element, sub, f"{path}{key}.")
    return unread


def answer(request: dict[str, Any]) -> Any:
    op = request.get("op")
    if op == "version":
        return mixpeek.__version__
    if op == "judge":
        return [
            {"refusal": refusal(body), "unread": sorted(unread_keys(body))}
            for body in request["bodies"]
        ]
    if op == "describe":
        described = {}
        for path in request["paths"]:
            info = field(path)
            described[path] = None if info is None else (info.description or "")
        internal = sorted(
            name
            for name, info in mixpeek.VectorBasedConfigInput.model_fields.items()
            if INTERNAL_MARK in (info.description or "")
        )
        return {"fields": described, "internal": internal}
    raise ValueError(f"unknown op {op!r}")


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = {"result": answer(json.loads(line))}
        except Exception:
            reply = {"error": traceback.format_exc(limit=5)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
