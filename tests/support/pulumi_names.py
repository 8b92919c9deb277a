"""How Pulumi's generators spell a schema's property names in Python, written from Pulumi's
rule (pkg/codegen/python ``PyName``), not from the provider's renaming: the oracle the
tests hold the camelCase schema and the Python faces against."""

from __future__ import annotations

import re

__all__ = ["python_name"]


def python_name(name: str) -> str:
    """``collectionIds`` -> ``collection_ids``; ``visNComponents`` -> ``vis_n_components``;
    an all-capitals name (``AND``) is kept."""
    if name.isupper():
        return name
    # An underscore before a capital after a small letter or digit, and before the last
    # capital of a run that a small letter follows.
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
