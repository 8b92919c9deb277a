"""pulumi-mixpeek: Mixpeek clusters as Pulumi resources."""

__all__: list[str] = []
