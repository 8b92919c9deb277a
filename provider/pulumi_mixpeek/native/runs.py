"""``pulumi_mixpeek.native.ClusterExecution`` and ``ClusterEnrichment``: the run resources
served by the native plugin.

Arguments, types and outputs are those of the dynamic ``pulumi_mixpeek.ClusterExecution`` /
``ClusterEnrichment`` (a unit test keeps them and ``schema.json`` in step); the rules behind
them are the same code, reached through the plugin (``mixpeek:index:ClusterExecution``,
``mixpeek:index:ClusterEnrichment``).
"""

from typing import Any

import pulumi

from .._constants import ENRICHMENT_TOKEN, EXECUTION_TOKEN
from ..resources.enrichment import ClusterEnrichmentBase
from ..resources.execution import ClusterExecutionBase
from ._wire import register

__all__ = ["ClusterEnrichment", "ClusterExecution"]


class ClusterExecution(ClusterExecutionBase, pulumi.CustomResource):
    """``pulumi_mixpeek.ClusterExecution`` served by the native plugin (same arguments, outputs and
    rules)."""

    __annotations__ = ClusterExecutionBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register(self, EXECUTION_TOKEN, resource_name, props, opts)


class ClusterEnrichment(ClusterEnrichmentBase, pulumi.CustomResource):
    """``pulumi_mixpeek.ClusterEnrichment`` served by the native plugin (same arguments, outputs and
    rules)."""

    __annotations__ = ClusterEnrichmentBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register(self, ENRICHMENT_TOKEN, resource_name, props, opts)
