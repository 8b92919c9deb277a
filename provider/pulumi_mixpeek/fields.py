"""The Cluster's input fields with their mutability, read from the declaration model.

Mutability is declared once, on ``models.declaration.ClusterDeclaration``'s fields; diff,
the README field table and the schema generator all read it through ``cluster_fields``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .models.declaration import MUTABILITY_KEY, ClusterDeclaration, Mutability

__all__ = [
    "FieldSpec",
    "cluster_fields",
    "diffable_fields",
    "field_names",
    "markdown_table",
    "replace_fields",
    "update_fields",
]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    mutability: Mutability
    description: str
    required: bool


@cache
def cluster_fields() -> tuple[FieldSpec, ...]:
    """Every input field in declaration order, with mutability and description."""
    specs = []
    for name, info in ClusterDeclaration.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict) or MUTABILITY_KEY not in extra:
            raise TypeError(f"ClusterDeclaration.{name} declares no mutability")
        specs.append(
            FieldSpec(
                name=name,
                mutability=Mutability(str(extra[MUTABILITY_KEY])),
                description=info.description or "",
                required=info.is_required(),
            )
        )
    return tuple(specs)


def field_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in cluster_fields())


def replace_fields() -> frozenset[str]:
    return frozenset(s.name for s in cluster_fields() if s.mutability is Mutability.REPLACE)


def update_fields() -> frozenset[str]:
    return frozenset(s.name for s in cluster_fields() if s.mutability is Mutability.UPDATE)


def diffable_fields() -> tuple[str, ...]:
    """Fields whose change is a change of the resource (all but provider-only ones)."""
    return tuple(s.name for s in cluster_fields() if s.mutability is not Mutability.PROVIDER)


_CHANGE_TEXT = {
    Mutability.UPDATE: "in place (PATCH)",
    Mutability.REPLACE: "replaces the cluster",
    Mutability.PROVIDER: "never a change (read at create)",
}


def markdown_table() -> str:
    """The README's field table: name, required, what a change does, description."""
    lines = ["| field | required | on change | description |", "|---|---|---|---|"]
    for spec in cluster_fields():
        required = "yes" if spec.required else "no"
        lines.append(
            f"| `{spec.name}` | {required} | {_CHANGE_TEXT[spec.mutability]} | {spec.description} |"
        )
    return "\n".join(lines) + "\n"
