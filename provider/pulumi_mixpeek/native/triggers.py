"""``pulumi_mixpeek.native.ClusterTrigger``: the trigger resource served by the native plugin.

Arguments, types and outputs are those of the dynamic ``pulumi_mixpeek.ClusterTrigger`` (a unit
test keeps them and ``schema.json`` in step); the rules behind them are the same code, reached
through the plugin (``mixpeek:index:ClusterTrigger``).
"""

from typing import Any

import pulumi

from .._constants import TRIGGER_TOKEN
from ..resources.trigger import ClusterTriggerBase
from ._wire import register

__all__ = ["ClusterTrigger"]


class ClusterTrigger(ClusterTriggerBase, pulumi.CustomResource):
    """``pulumi_mixpeek.ClusterTrigger`` served by the native plugin (same arguments, outputs
    and rules)."""

    __annotations__ = ClusterTriggerBase.__annotations__

    def _register(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> None:
        register(self, TRIGGER_TOKEN, resource_name, props, opts)
