"""``mixpeek-recover-pending``: resolve the pending Cluster creates of an interrupted run.

    mixpeek-recover-pending [--stack NAME] [--cwd DIR] [--strategy complete|recreate] [--yes]

Run it in the Pulumi project directory (or pass ``--cwd``), with the environment ``pulumi``
itself needs (backend login, ``PULUMI_CONFIG_PASSPHRASE``) and after every process of the
interrupted run has exited. Without ``--yes`` it only reports what it would do. It reads the
state with ``pulumi stack export``, looks each pending create's cluster up by name
(``recovery.plan``), then with ``--yes`` makes the server changes and writes the state back
with ``pulumi stack import``. Running it again after a failure is safe.

Settings come from the stack configuration (``mixpeek:apiKey``, ``mixpeek:namespace``,
``mixpeek:endpoint``, read with ``pulumi config``) and then the environment, as for the
provider. The CLI is ``$PULUMI_BIN`` when set (as for scripts/pulumi-run), else ``pulumi``.

Exit codes, for pipelines:
  0  nothing is pending, or (with --yes) every pending Cluster create was resolved
  1  an error: state, configuration or server unreachable, or the state write failed
  2  bad arguments
  3  dry run: there are pending creates; --yes would resolve them as printed
  4  needs a person: a cluster name is held by a cluster that is not this stack's (reported,
     left alone), or some pending create cannot be matched safely (other resource types,
     secret inputs, no name, a shared name: nothing was changed)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .client import MixpeekClient
from .config import ProviderSettings
from .errors import MixpeekError, NotFoundError
from .location import cluster_location
from .models import ClusterMetadata
from .recovery import (
    Action,
    Decision,
    PendingCreate,
    Strategy,
    apply,
    other_pending_creates,
    pending_cluster_creates,
    plan,
)
from .resources.cluster_provider import adopt_existing

__all__ = ["EXIT_ERROR", "EXIT_NEEDS_PERSON", "EXIT_OK", "EXIT_PENDING", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_PENDING = 3
EXIT_NEEDS_PERSON = 4

_PROG = "mixpeek-recover-pending"
_EMPTY_ATTRS_HINT = (
    "With a file backend this means the kill left an empty `<stack>.json.attrs` beside the "
    "checkpoint (the checkpoint itself is intact): delete the empty .attrs files under the "
    "backend's .pulumi directory and run again (docs/recovering.md, 'Recovering from an "
    "interrupted run')."
)


class RecoveryError(Exception):
    """A step failed; the message says what and what to do."""


class _Pulumi:
    """The few ``pulumi`` commands the recovery needs, in the project directory."""

    def __init__(self, cwd: Path, stack: str | None) -> None:
        self.cwd = cwd
        self.binary = os.environ.get("PULUMI_BIN", "pulumi")
        self.stack = ["--stack", stack] if stack else []

    def _run(self, *args: str, what: str) -> str:
        argv = [self.binary, *args, *self.stack, "--non-interactive"]
        try:
            done = subprocess.run(argv, cwd=self.cwd, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise RecoveryError(
                f"Could not run {self.binary!r} ({exc.strerror}). Put the Pulumi CLI on PATH "
                "or set PULUMI_BIN."
            ) from None
        if done.returncode != 0:
            # pulumi's own error text; it never holds config values.
            message = f"`pulumi {what}` failed: {done.stderr.strip()}"
            if "failed to load checkpoint: EOF" in done.stderr:
                message += f" {_EMPTY_ATTRS_HINT}"
            raise RecoveryError(message)
        return done.stdout

    def _json(self, *args: str, what: str) -> dict[str, Any]:
        text = self._run(*args, what=what)
        try:
            return dict(json.loads(text))
        except ValueError:
            raise RecoveryError(f"`pulumi {what}` printed no JSON document.") from None

    def export(self) -> dict[str, Any]:
        return self._json("stack", "export", what="stack export")

    def import_(self, document: dict[str, Any]) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(document, file)
        try:
            self._run("stack", "import", "--file", file.name, what="stack import")
        finally:
            os.unlink(file.name)

    def config(self) -> dict[str, Any]:
        """The stack configuration, secrets decrypted (kept in memory, never printed)."""
        raw = self._json("config", "--json", "--show-secrets", what="config")
        return {key: entry.get("value") for key, entry in raw.items()}


class _Server:
    """One client per namespace, created on first use."""

    def __init__(self, settings: ProviderSettings) -> None:
        self.settings = settings
        self._clients: dict[ProviderSettings, MixpeekClient] = {}

    def client(self, pending: PendingCreate) -> MixpeekClient:
        """The client for where the pending create's inputs say the cluster lives (the
        namespace and endpoint check recorded; see location.py)."""
        settings = cluster_location(pending.inputs, self.settings).settings
        if settings not in self._clients:
            self._clients[settings] = MixpeekClient.from_settings(settings)
        return self._clients[settings]

    def find(self, pending: PendingCreate) -> ClusterMetadata | None:
        return self.client(pending).find_cluster_named(str(pending.cluster_name))

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Resolve the pending Cluster creates that an interrupted `pulumi up` left "
        "in the stack's state: clusters this stack created are completed in the state (or "
        "deleted, with --strategy recreate), creates that never reached the server are "
        "cleared. A dry run unless --yes.",
    )
    parser.add_argument("--stack", help="the stack (default: the selected one)")
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the project directory")
    parser.add_argument(
        "--strategy",
        choices=[s.value for s in Strategy],
        default=Strategy.COMPLETE.value,
        help="complete: record the clusters the interrupted run created in the state "
        "(default); recreate: delete them, so the next `pulumi up` creates them again",
    )
    parser.add_argument("--yes", action="store_true", help="make the changes (default: report)")
    return parser


def _print_plan(decisions: Sequence[Decision], *, applied: bool) -> None:
    verbs = {
        Action.COMPLETE: ("complete", "completed"),
        Action.DELETE: ("delete", "deleted"),
        Action.CLEAR: ("clear", "cleared"),
        Action.LEAVE: ("leave", "left alone"),
        Action.UNDECIDED: ("undecided", "undecided"),
    }
    for decision in decisions:
        verb = verbs[decision.action][1 if applied else 0]
        name = decision.pending.cluster_name
        print(f"  {verb:10} {decision.pending.urn} (cluster {name!r}): {decision.reason}")


def _execute(
    server: _Server, decisions: Sequence[Decision]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The server side of the plan: complete (set description/metadata as create would) or
    delete. Returns the completed resources' ids and outputs."""
    completed: dict[str, tuple[str, dict[str, Any]]] = {}
    for decision in decisions:
        cluster = decision.cluster
        if cluster is None or not cluster.cluster_id:
            continue
        client = server.client(decision.pending)
        if decision.action is Action.COMPLETE:
            result = adopt_existing(client, decision.pending.declared, cluster)
            outputs = dict(result.outs or {})
            if "__provider" in decision.pending.inputs:
                # The engine keeps the pickled provider in the outputs too (the dynamic
                # provider host adds it to every create's outputs); refresh, update and
                # delete load the provider from there.
                outputs["__provider"] = decision.pending.inputs["__provider"]
            completed[decision.pending.urn] = (str(result.id), outputs)
        elif decision.action is Action.DELETE:
            try:
                client.delete_cluster(cluster.cluster_id)
            except NotFoundError:
                pass
    return completed


def run(args: argparse.Namespace) -> int:
    pulumi = _Pulumi(args.cwd, args.stack)
    exported = pulumi.export()
    deployment = exported.get("deployment") or {}
    pending = pending_cluster_creates(deployment)
    others = other_pending_creates(deployment)
    if others:
        print(
            f"{_PROG}: the state also holds pending creates of other resource types, which "
            "this command cannot check and `pulumi stack import` would drop. Nothing was "
            "changed. Resolve them first (`pulumi refresh` in a terminal asks for each):"
        )
        for urn in others:
            print(f"  {urn}")
        return EXIT_NEEDS_PERSON
    if not pending:
        print(f"{_PROG}: no pending Cluster creates; nothing to do.")
        return EXIT_OK

    settings = ProviderSettings.resolve(pulumi.config().get)
    server = _Server(settings)
    try:
        decisions = plan(
            deployment,
            server.find,
            strategy=Strategy(args.strategy),
            level=settings.checked_api_level(),
        )
        needs_person = any(d.action is Action.LEAVE for d in decisions)
        if any(d.action is Action.UNDECIDED for d in decisions):
            print(
                f"{_PROG}: some pending Cluster creates cannot be matched safely, so nothing "
                "was changed (writing the state back would clear them all). Resolve them by "
                "hand (`pulumi refresh` in a terminal asks for each), then run this again:"
            )
            _print_plan(decisions, applied=False)
            return EXIT_NEEDS_PERSON
        if not args.yes:
            print(f"{_PROG}: {len(decisions)} pending Cluster create(s); with --yes it would:")
            _print_plan(decisions, applied=False)
            return EXIT_NEEDS_PERSON if needs_person else EXIT_PENDING
        completed = _execute(server, decisions)
    finally:
        server.close()
    pulumi.import_({**exported, "deployment": apply(deployment, decisions, completed)})
    left = pending_cluster_creates(pulumi.export().get("deployment") or {})
    if left:
        raise RecoveryError(
            f"the state still holds {len(left)} pending Cluster create(s) after the import; "
            "run the command again."
        )
    print(f"{_PROG}: resolved {len(decisions)} pending Cluster create(s):")
    _print_plan(decisions, applied=True)
    if needs_person:
        print(
            "Clusters left alone hold a name this stack declares: rename the cluster in the "
            "program, take the existing one over with adopt=True, or remove it, then run "
            "`pulumi up`."
        )
        return EXIT_NEEDS_PERSON
    print("Run `pulumi up` to create what was cleared and finish the deployment.")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(args)
    except (RecoveryError, MixpeekError) as exc:
        # MixpeekError messages are redacted of the key (errors.redact); show no chain.
        print(f"{_PROG}: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
