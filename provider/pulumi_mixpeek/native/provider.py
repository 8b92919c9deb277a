"""``pulumi_mixpeek.native.Provider``: an explicit instance of the native ``mixpeek`` provider.

Its arguments are the provider's configuration (``mixpeek:apiKey``, ``mixpeek:namespace``,
``mixpeek:endpoint``, ``mixpeek:maxRetries``, ``mixpeek:apiVersion`` for the default
provider); resources created with ``opts=pulumi.ResourceOptions(provider=p)`` use that
instance, so one program can manage clusters in several namespaces, or with several keys.
Arguments left out fall back to the ``MIXPEEK_*`` environment variables in the plugin, as the
default provider's do; the stack's ``mixpeek:*`` configuration applies to the default provider
only.
"""

from __future__ import annotations

import pulumi

from .._constants import PACKAGE_NAME

__all__ = ["Provider"]


class Provider(pulumi.ProviderResource):
    """The ``mixpeek`` provider with its own key, namespace and endpoint."""

    def __init__(
        self,
        resource_name: str,
        *,
        api_key: pulumi.Input[str] | None = None,
        namespace: pulumi.Input[str] | None = None,
        endpoint: pulumi.Input[str] | None = None,
        max_retries: pulumi.Input[int] | None = None,
        api_version: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {
            # Always a secret: the engine encrypts it in the state and masks it in output.
            "apiKey": None if api_key is None else pulumi.Output.secret(api_key),
            "namespace": namespace,
            "endpoint": endpoint,
            "maxRetries": max_retries,
            "apiVersion": api_version,
        }
        super().__init__(PACKAGE_NAME, resource_name, props, opts)
