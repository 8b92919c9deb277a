"""Input fields with their mutability, read from the declaration models.

Mutability is declared once, on each declaration model's fields (``models.declaration``);
diff, the schema generator and the docs made from it all read it through ``declared_fields``.
The helpers below take the declaration model (``ClusterDeclaration`` by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from .models._base import INTERNAL_KEY
from .models.declaration import MUTABILITY_KEY, ClusterDeclaration, Mutability

__all__ = [
    "FieldSpec",
    "cluster_fields",
    "declared_fields",
    "diffable_fields",
    "field_names",
    "internal_fields",
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
def declared_fields(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """Every input field of a declaration model in order, with mutability and description."""
    specs = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict) or MUTABILITY_KEY not in extra:
            raise TypeError(f"{model.__name__}.{name} declares no mutability")
        specs.append(
            FieldSpec(
                name=name,
                mutability=Mutability(str(extra[MUTABILITY_KEY])),
                description=info.description or "",
                required=info.is_required(),
            )
        )
    return tuple(specs)


@cache
def internal_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields of a wire model that the server fills in (marked ``models._base.INTERNAL``)."""
    return tuple(
        name
        for name, info in model.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get(INTERNAL_KEY)
    )


def cluster_fields() -> tuple[FieldSpec, ...]:
    """The Cluster's input fields in declaration order."""
    return declared_fields(ClusterDeclaration)


def field_names(model: type[BaseModel] = ClusterDeclaration) -> tuple[str, ...]:
    return tuple(spec.name for spec in declared_fields(model))


def replace_fields(model: type[BaseModel] = ClusterDeclaration) -> frozenset[str]:
    return frozenset(
        s.name for s in declared_fields(model) if s.mutability is Mutability.REPLACE
    )


def update_fields(model: type[BaseModel] = ClusterDeclaration) -> frozenset[str]:
    return frozenset(s.name for s in declared_fields(model) if s.mutability is Mutability.UPDATE)


def diffable_fields(model: type[BaseModel] = ClusterDeclaration) -> tuple[str, ...]:
    """Fields whose change is a change of the resource (all but provider-only ones)."""
    return tuple(s.name for s in declared_fields(model) if s.mutability is not Mutability.PROVIDER)
