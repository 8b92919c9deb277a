"""What both faces of a resource share: its typed surface, and how a declaration becomes the
properties it registers.

Each resource (Cluster, ClusterExecution, ClusterEnrichment) declares its attributes and its
``__init__`` once, on a base class derived from ``Declared``; the dynamic face
(``pulumi_mixpeek.<Resource>``) and the native face (``pulumi_mixpeek.native.<Resource>``)
subclass it and only say how they register (``_register``: type token, and for the dynamic
face the pickled provider). Each face copies the base's annotations into its own class body
(``__annotations__ = Base.__annotations__``), because the SDK reads only a resource class's
own annotations (``inspect.get_annotations``) to cast the outputs the engine returns.
"""

import inspect
from typing import Any

import pulumi

from .cluster_args import to_plain

__all__ = ["Declared", "output_names", "register_dynamic"]


class Declared:
    """Base of a resource's shared surface (see the module docstring)."""

    def _declare(
        self, resource_name: str, inputs: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        """Register ``inputs`` (plain values) plus every other declared attribute as an
        output to be filled in by the provider."""
        props: dict[str, Any] = {name: to_plain(value) for name, value in inputs.items()}
        for name in type(self).__annotations__:
            props.setdefault(name, None)
        self._register(resource_name, props, opts)
        # The SDK tracks every Output until it resolves, and at the end of the program waits
        # on the unresolved ones with asyncio.wait over the whole set, once per completion
        # (pulumi/runtime/stack.py, wait_for_rpcs): a cost quadratic in the number of tracked
        # Outputs, ~46 per cluster. These attributes resolve from this resource's
        # registration, which the SDK awaits and whose failure it reports by itself, so they
        # need no tracking of their own, as the SDK reasons for an Output that apply derives
        # from (Output.apply untracks its source). bench/results.md shows the cost.
        for name in props:
            attribute = self.__dict__.get(name)
            if isinstance(attribute, pulumi.Output):
                attribute._untrack()

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        raise NotImplementedError


def register_dynamic(
    resource: pulumi.CustomResource,
    type_token: str,
    serialized_provider: str,
    resource_name: str,
    props: dict[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> None:
    """What ``pulumi.dynamic.Resource.__init__`` does with a provider that captures no secret,
    minus the pickling: ``serialized_provider`` is the SDK's pickle of the provider,
    precomputed so that declaring a resource does not import the provider's module (httpx and
    the pydantic API models; only the dynamic-provider host runs the provider)."""
    props["__provider"] = serialized_provider
    pulumi.CustomResource.__init__(resource, type_token, resource_name, props, opts)


def output_names(surface: type) -> tuple[str, ...]:
    """The attributes ``surface`` declares that are not arguments of its ``__init__``."""
    parameters = inspect.signature(surface).parameters
    return tuple(name for name in surface.__annotations__ if name not in parameters)
