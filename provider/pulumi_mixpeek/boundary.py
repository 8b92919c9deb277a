"""What leaves a provider method: the message, with no chained exceptions and never the key.

The dynamic-provider host answers a failed call with ``traceback.format_exc()`` of whatever
the method raised (``pulumi/dynamic/__main__.py``, ``_abort_with_traceback``), chained causes
included, and the engine prints it. So every provider method goes through ``user_facing``:

- a ``MixpeekError`` (an expected failure, whose message says what happened and what to do)
  is raised again with its chain cut (``__cause__`` and ``__context__``) and its traceback
  reset: the user reads the message under the host's own frames, not the httpx/httpcore
  exceptions it replaced;
- any other exception (a bug) keeps its traceback and chain, which are needed to fix it,
  unless the key appears anywhere in them: then a ``MixpeekError`` naming the exception
  type replaces it;
- the key is redacted from the message of whatever is raised.

Check failures leave through ``engine_failures``: the CLI prints a failure that names a
property as ``property <p> value {<v>} has a problem: <reason>``, where ``<v>`` is the
resource's input named ``<p>``, looked up as a top-level key
(``pkg/resource/deploy/step_generator.go``, ``issueCheckFailures``, pulumi v3.274.1); a nested
path such as ``attribute_config.aggregation_method``, or an input not given, prints
``value {<nil>}``, and an object prints as a Go map. Such a failure goes to the engine
without a property, its path leading the reason: ``resource 'x' has a problem:
attribute_config.aggregaton_method: unknown property; ...``.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from pulumi.dynamic import CheckFailure

from .errors import MixpeekError, redact

__all__ = ["SecretHolder", "engine_failures", "surfaced", "user_facing"]

P = ParamSpec("P")
R = TypeVar("R")


class SecretHolder(Protocol):
    def secret_values(self) -> Iterable[str]:
        """Every value that must never appear in an error (the API key)."""
        ...


S = TypeVar("S", bound=SecretHolder)


def _leaks(exc: BaseException, secrets: list[str]) -> bool:
    """Whether a secret is in the printed traceback or in any exception of the chain
    (suppressed contexts included: they are still reachable through ``__context__``)."""
    texts = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current.args)]
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]
    return any(secret in text for text in texts for secret in secrets)


def surfaced(exc: Exception, secrets: Iterable[str]) -> Exception:
    """The exception to raise in place of ``exc`` at a provider method's boundary."""
    values = [s for s in secrets if s]
    if isinstance(exc, MixpeekError):
        message = redact(str(exc), values)
        if message != str(exc):
            exc.args = (message,)
            if hasattr(exc, "message"):
                exc.message = message
        exc.__cause__ = None
        exc.__context__ = None
        exc.__suppress_context__ = False
        return exc.with_traceback(None)
    if _leaks(exc, values):
        return MixpeekError(
            redact(f"The provider failed: {type(exc).__name__}: {exc}", values)
            + " (its traceback is withheld because it held the API key)"
        )
    return exc


def user_facing(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Decorate a provider method so that what it raises is ``surfaced``."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - every exception crosses this boundary
            error = surfaced(exc, self.secret_values())
        # Raised outside the handler, so the handled exception is not chained as context.
        raise error

    return wrapper


def engine_failures(
    failures: Iterable[CheckFailure], inputs: Mapping[str, Any]
) -> list[CheckFailure]:
    """``failures`` (each naming a property path) as the engine prints them well: a failure
    keeps its property when ``inputs`` (what the program declared, the engine's lookup)
    holds a number, string or boolean there; any other goes without a property, its path
    leading the reason (see the module docstring)."""
    shown = []
    for failure in failures:
        path = failure.property
        value = inputs.get(path) if path else None
        if isinstance(value, str | int | float | bool):
            shown.append(CheckFailure(path, failure.reason))
        else:
            shown.append(CheckFailure("", f"{path}: {failure.reason}" if path else failure.reason))
    return shown
