"""The API's wire models, one module per API level where the levels differ.

Written from the API reference (mixpeek-clusters-api.md) and the official SDK's models of
each level (``mixpeek`` 1.3.1 and 1.3.783), not from the provider's models: the server is an
independent oracle, so a drift of the provider's models from the real API shows in tests.

- ``base``: how request bodies are read (undeclared keys refused; true/false only a JSON
  boolean, numbers only a JSON number, as the SDK's strict types say) and response bodies.
- ``common``: the models both levels share unchanged.
- ``v1_3_1``: the seed level.
- ``v1_3_783``: today's level.
"""
