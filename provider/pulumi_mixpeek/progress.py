"""Progress and warning lines for the person watching ``pulumi up``.

The engine shows every line a provider plugin writes to its stderr in the command's output
(Pulumi's plugin host logs each stderr line as a diagnostic), so a line written here by the
dynamic-provider process appears while the operation runs. Lines carry ids, statuses and
counts only: never a credential.
"""

from __future__ import annotations

import sys

__all__ = ["report", "warn"]

PREFIX = "mixpeek: "


def report(message: str) -> None:
    """One progress line on stderr."""
    print(PREFIX + message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """One warning line on stderr (the operation goes on)."""
    print(PREFIX + "warning: " + message, file=sys.stderr, flush=True)
