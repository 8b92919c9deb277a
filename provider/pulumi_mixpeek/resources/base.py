"""What every stateless mixpeek dynamic provider shares: nothing pickled, settings read in
the provider process, one shared client per namespace.

Pulumi dill-pickles a provider object into every resource's state (``__provider``). These
objects hold no data (``__getstate__`` returns nothing) and their classes live in installed
modules, so the pickle is a reference to the class: small, stable across releases, free of
keys. Settings are read in ``configure`` (stack config, then environment) or, when the engine
never called it, from the environment at first use.

Where: as for ``Cluster`` (``location.py``), check records the namespace and endpoint each
resource addresses as its ``namespace`` / ``endpoint`` inputs (declared, else the stack's
configuration), and every operation on it uses the recorded ones, so changing the stack's
configuration later never makes a resource address another namespace.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi.dynamic import CheckResult, ConfigureRequest, DiffResult, ResourceProvider
from pydantic import BaseModel

from ..boundary import engine_failures, user_facing
from ..client import MixpeekClient, shared_client
from ..config import ProviderSettings
from ..diff import diff_replacing
from ..location import cluster_location, recorded_inputs
from ..normalize import canonical_inputs, strip_internal
from ..validation import validate_declaration

__all__ = ["DESTROY", "REFRESH", "ReplacingProvider", "StatelessProvider", "recorded_for"]

#: The commands that, unless given ``--run-program``, run an operation on a resource in the
#: state with the provider settings recorded there rather than the current stack config: a
#: read of a resource with a previous state is a refresh, a delete a destroy (or an up
#: deleting what the program no longer declares). Messages about the key name the flag.
REFRESH = "refresh"
DESTROY = "destroy"


def recorded_for(settings: ProviderSettings, command: str | None) -> ProviderSettings:
    """``settings`` for an operation that ``pulumi <command>`` runs (None: not one of those)."""
    return dataclasses.replace(settings, recorded_for=command)


class StatelessProvider(ResourceProvider):
    """Base of every mixpeek dynamic provider (see the module docstring)."""

    #: Nothing secret is ever captured, so ``__provider`` need not be encrypted in state.
    serialize_as_secret_always = False

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        pass

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = ProviderSettings.resolve(req.config.get)

    def use_settings(self, settings: ProviderSettings) -> None:
        """Configure with settings resolved elsewhere (the native plugin's, which knows
        whether they came from the stack's config or an explicit provider's arguments)."""
        self._settings = settings

    @user_facing
    def check(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        """``check_inputs``, its failures as the engine prints them (``engine_failures``)."""
        result = self.check_inputs(olds, news, random_seed)
        return CheckResult(result.inputs, engine_failures(result.failures or [], news))

    def check_inputs(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        """The checked inputs and one failure per bad property, named by its path
        (``vector_config.feature_uris``); the native plugin renames the paths to the
        schema's names before ``engine_failures``."""
        raise NotImplementedError

    def _current_settings(self) -> ProviderSettings:
        settings: ProviderSettings | None = getattr(self, "_settings", None)
        if settings is None:
            settings = self._settings = ProviderSettings.resolve()
        return settings

    def secret_values(self) -> Iterable[str]:
        """The keys this process may send (configured and from the environment), which no
        error may show (``boundary.user_facing``, which every operation goes through)."""
        keys = (self._current_settings().api_key, ProviderSettings.resolve().api_key)
        return [key for key in keys if key]

    def recorded(self, declared: Mapping[str, Any], olds: Mapping[str, Any]) -> dict[str, Any]:
        """``namespace`` and ``endpoint`` as check records them (``location.recorded_inputs``)."""
        return recorded_inputs(declared, olds, self._current_settings())

    def _client(
        self, props: Mapping[str, Any], *, command: str | None = None
    ) -> MixpeekClient:
        """The client for the place ``props`` (checked inputs or state) record; ``command``:
        REFRESH or DESTROY for a read or delete of a resource in the state."""
        settings = cluster_location(props, self._current_settings()).settings
        return shared_client(recorded_for(settings, command))


class ReplacingProvider(StatelessProvider):
    """A resource whose every input change that matters is a new one (the run and the
    enrichment): check and diff from the declaration model ``MODEL`` alone, with no network."""

    #: The declaration model: fields, defaults and which changes replace (``fields.py``).
    MODEL: ClassVar[type[BaseModel]]

    def check_inputs(
        self, olds: dict[str, Any], news: dict[str, Any], random_seed: bytes | None = None
    ) -> CheckResult:
        """``random_seed`` (the native plugin passes the engine's) is not used: nothing here
        is generated."""
        raw = strip_internal(news)
        inputs = canonical_inputs(raw, self.MODEL)
        place = self.recorded(inputs, strip_internal(olds or {}))
        inputs = canonical_inputs({**inputs, **place}, self.MODEL)
        return CheckResult(inputs, validate_declaration(raw, self.MODEL))

    @user_facing
    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return diff_replacing(strip_internal(_olds), strip_internal(_news), self.MODEL)
