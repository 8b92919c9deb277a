"""The stack name for the stack-aware policies, however the pack was started.

- Through the Python language host (``pulumi preview --policy-pack policy`` on a normal
  install): the host receives the stack in ConfigureStack and starts the pack with
  PULUMI_STACK, PULUMI_PROJECT, PULUMI_ORGANIZATION and PULUMI_DRY_RUN in its environment.
- As an executable (``--policy-pack policy/run-pack``): the CLI starts the pack with the CLI's
  own environment and sends the stack only in the ConfigureStack call. pulumi-policy 1.21.0's
  ``ConfigureStack`` keeps only the stack tags (``pulumi_policy/policy.py``), so
  ``export_stack_from_configure`` wraps it to export the same variables first, as the
  language host does. The stack the CLI names there wins over a PULUMI_STACK inherited from
  the shell (``pulumi preview --stack prod`` beats that variable, so the pack must too).

Either way pulumi-policy then configures ``pulumi.get_stack()`` from these variables before
each analysis, and ``current_stack`` reads the same value.
"""

from __future__ import annotations

import os
from typing import Any

from pulumi_policy.policy import _PolicyAnalyzerServicer

__all__ = ["current_stack", "export_stack", "export_stack_from_configure"]

_MARK = "_mixpeek_exports_stack"


def current_stack() -> str | None:
    """The stack being previewed or updated; None when nobody said (e.g. `policy publish`)."""
    return os.environ.get("PULUMI_STACK") or None


def export_stack(request: Any) -> None:
    """Export an AnalyzerStackConfigureRequest's stack, project, organization and dry run."""
    for variable, value in (
        ("PULUMI_STACK", request.stack),
        ("PULUMI_PROJECT", request.project),
        ("PULUMI_ORGANIZATION", request.organization),
    ):
        if value:
            os.environ[variable] = value
    if request.stack:
        os.environ["PULUMI_DRY_RUN"] = "true" if request.dry_run else "false"


def export_stack_from_configure() -> None:
    """Make the pack's ConfigureStack export the stack (idempotent; call before PolicyPack)."""
    original = _PolicyAnalyzerServicer.ConfigureStack
    if getattr(original, _MARK, False):
        return

    def configure_stack(self: Any, request: Any, context: Any) -> Any:
        export_stack(request)
        return original(self, request, context)

    setattr(configure_stack, _MARK, True)
    _PolicyAnalyzerServicer.ConfigureStack = configure_stack  # type: ignore[method-assign]
