"""The native provider plugin ``pulumi-resource-mixpeek`` (package ``mixpeek``).

``provider.py`` puts the resource providers of ``resources/`` behind the engine's provider
interface, ``values.py`` converts property values, ``server.py`` serves it over gRPC.
"""

__all__: list[str] = []
