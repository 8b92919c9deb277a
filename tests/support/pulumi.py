"""Drive the real Pulumi CLI on a throwaway project with a local file backend.

Commands that run the program (up, preview, refresh, destroy), and ``import``, which asks
the program's language runtime for its packages, go through ``scripts/pulumi-run`` (the SDK's
in-process language runtime; see scripts/pulumi-tools/README.md); every other command is
plain ``pulumi``, and so is every command of a YAML project (``runtime: yaml``), whose
language host ``pulumi-language-yaml`` sits beside the CLI (scripts/bootstrap-pulumi). Either
way the output and exit code are the CLI's own, and every output is kept so tests can check
that no secret ever reached a log.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = ["REPO", "Background", "PulumiProject", "pulumi_bin_dir"]

REPO = Path(__file__).resolve().parents[2]
PULUMI_RUN = REPO / "scripts" / "pulumi-run"
PROGRAM_COMMANDS = {"up", "preview", "refresh", "destroy", "import"}
COMMAND_TIMEOUT_S = 300


def pulumi_bin_dir() -> Path:
    """The directory holding the CLI; fails (CI) or skips (elsewhere) when there is none."""
    configured = os.environ.get("PULUMI_BIN_DIR")
    if configured:
        return Path(configured)
    found = subprocess.run(
        [str(REPO / "scripts" / "bootstrap-pulumi"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode == 0:
        return Path(found.stdout.strip())
    message = "no Pulumi CLI: run `make test`, which builds one (scripts/bootstrap-pulumi)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Background:
    """A command started with ``PulumiProject.start``."""

    project: PulumiProject
    shown: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill_group(self) -> None:
        """SIGKILL the command's process group (pulumi-run, the CLI and whatever shares
        its group) and record what it printed."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=COMMAND_TIMEOUT_S)
        self.project.transcript.append(f"$ {self.shown}  (killed)\n{self.output()}")


@dataclass
class PulumiProject:
    """A Pulumi project directory with its own state backend and PULUMI_HOME."""

    root: Path
    bin_dir: Path
    python: Path = Path(sys.executable)
    stack: str = "test"
    extra_env: dict[str, str] = field(default_factory=dict)
    transcript: list[str] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        root: Path,
        bin_dir: Path,
        *,
        name: str = "mixpeek-engine-test",
        program: str | None = None,
        virtualenv: Path | None = None,
        stack: str = "test",
    ) -> PulumiProject:
        root.mkdir(parents=True, exist_ok=True)
        venv = virtualenv or Path(sys.prefix)
        if program is not None:
            (root / "Pulumi.yaml").write_text(
                f"name: {name}\n"
                "runtime:\n"
                "  name: python\n"
                "  options:\n"
                "    toolchain: pip\n"
                f"    virtualenv: {venv}\n"
            )
            (root / "__main__.py").write_text(program)
        project = cls(root=root, bin_dir=bin_dir, python=venv / "bin" / "python", stack=stack)
        (root / ".state").mkdir(exist_ok=True)
        project.run("stack", "init", stack)
        return project

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MIXPEEK_", "PULUMI_")) or key == "MIXPEEK_API_VERSION"
        }
        env.update(
            {
                "PATH": f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                "PULUMI_HOME": str(self.root / ".pulumi-home"),
                "PULUMI_BACKEND_URL": (self.root / ".state").as_uri(),
                "PULUMI_CONFIG_PASSPHRASE": "engine-tests",
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
                "PULUMI_STACK": self.stack,
                "NO_COLOR": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def run(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        plain: bool = False,
        record: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run one CLI command in the project; output is stdout+stderr, interleaved.

        ``plain=True`` runs ``pulumi`` itself even for a program command: right for
        commands that must not load the program (e.g. destroy from state alone).
        ``record=False`` keeps a command's output out of ``logs()`` (for data dumps such as
        ``stack export --show-secrets``, which are not logs).
        """
        shown = [*args[:-1], "<secret>"] if "--secret" in args else list(args)
        return self.execute(
            self.argv(*args, plain=plain),
            shown=f"pulumi {' '.join(shown)}",
            check=check,
            env=env,
            record=record,
        )

    @property
    def has_language_host(self) -> bool:
        """A YAML program: the CLI starts ``pulumi-language-yaml`` itself."""
        manifest = self.root / "Pulumi.yaml"
        return manifest.exists() and bool(
            re.search(r"^runtime:\s*yaml\s*$", manifest.read_text(), re.MULTILINE)
        )

    def argv(self, *args: str, plain: bool = False) -> list[str]:
        """The command line ``run`` uses for ``pulumi <args>``."""
        if args and args[0] in PROGRAM_COMMANDS and not plain and not self.has_language_host:
            return [str(self.python), str(PULUMI_RUN), *args, "--non-interactive"]
        return [str(self.bin_dir / "pulumi"), *args, "--non-interactive"]

    def execute(
        self,
        argv: list[str],
        *,
        shown: str | None = None,
        check: bool = True,
        env: dict[str, str] | None = None,
        record: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run any command in the project with its environment (e.g. a script of this
        repository that calls ``pulumi``), its output recorded like the CLI's."""
        shown = shown or " ".join(argv)
        result = subprocess.run(
            argv,
            cwd=self.root,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
        if record:
            self.transcript.append(f"$ {shown}\n{result.stdout}")
        if check and result.returncode != 0:
            raise AssertionError(f"{shown} exited {result.returncode}:\n{result.stdout}")
        return result

    def start(self, *args: str) -> Background:
        """Start ``pulumi <args>`` in the background as the leader of a new process group,
        so a test can SIGKILL the whole group (as a CI runner does on a timeout)."""
        log = self.root / f".background-{len(self.transcript)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                self.argv(*args),
                cwd=self.root,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return Background(self, f"pulumi {' '.join(args)}", process, log)

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.run("config", "set", *(["--secret"] if secret else ["--plaintext"]), key, value)

    def outputs(self) -> dict[str, Any]:
        result = self.run("stack", "output", "--json", "--show-secrets", record=False)
        return dict(json.loads(result.stdout))

    def export(self, *, show_secrets: bool = True) -> dict[str, Any]:
        flags = ["--show-secrets"] if show_secrets else []
        result = self.run("stack", "export", *flags, record=False)
        return dict(json.loads(result.stdout))

    def resources(self, type_token: str) -> list[dict[str, Any]]:
        deployment = self.export()["deployment"]
        return [r for r in deployment.get("resources") or [] if r["type"] == type_token]

    def logs(self) -> str:
        """Everything the CLI printed, plus the engine's log files under PULUMI_HOME."""
        parts = list(self.transcript)
        home = self.root / ".pulumi-home"
        if home.exists():
            for path in home.rglob("*.log"):
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)
