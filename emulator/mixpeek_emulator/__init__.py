"""mixpeek-emulator: a local server for the Mixpeek Clusters API, at the level of mixpeek SDK
1.3.1 or 1.3.783 (``--api-version``).

Run it with ``mixpeek-emulator --port 0 --api-key KEY``; see emulator/README.md.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
