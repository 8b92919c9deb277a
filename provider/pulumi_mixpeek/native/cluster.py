"""``pulumi_mixpeek.native.Cluster``: a Mixpeek cluster served by the native plugin.

Type token ``mixpeek:index:Cluster`` (package ``mixpeek``, the plugin
``pulumi-resource-mixpeek``). The arguments, their types and the outputs are those of the
dynamic ``pulumi_mixpeek.Cluster`` (a unit test keeps the two and ``schema.json`` in step);
the rules behind them are the same code. What differs is how the engine reaches it: through
the plugin, configured per provider instance (``opts=pulumi.ResourceOptions(provider=...)``),
and importable with ``pulumi import mixpeek:index:Cluster <name> <cluster id>``.
"""

from typing import Any

import pulumi

from .._constants import CLUSTER_TOKEN
from ..resources.cluster import ClusterBase
from ._wire import register

__all__ = ["Cluster"]


class Cluster(ClusterBase, pulumi.CustomResource):
    """A Mixpeek cluster (Clusters API at the provider's ``apiVersion``, 1.3.1 or 1.3.783),
    managed by the native plugin."""

    __annotations__ = ClusterBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register(self, CLUSTER_TOKEN, resource_name, props, opts)
