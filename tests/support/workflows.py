"""The commands the GitOps example workflows (examples/gitops/workflows) run.

Each ``run:`` script is split into simple commands with ``shlex`` (pipes, ``;``, ``&&``,
``||``, ``$( )``, ``{ }``, ``if/then/else`` and redirections understood well enough for
these scripts), so tests can check every command against this repository and the CLI.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.support.pulumi import REPO

__all__ = ["WORKFLOWS", "Command", "commands", "load"]

WORKFLOWS = REPO / "examples" / "gitops" / "workflows"

_SEPARATORS = {";", "&&", "||", "|", "{", "}", "(", ")", "!", "then", "else", "do", "if"}
_REDIRECTS = {">", ">>", "<", ">&", "2>", "&>"}


@dataclass(frozen=True)
class Command:
    workflow: str
    job: str
    words: tuple[str, ...]

    @property
    def name(self) -> str:
        return Path(self.words[0]).name

    @property
    def args(self) -> list[str]:
        return list(self.words[1:])


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict), f"{path.name} is not a YAML mapping"
    # YAML 1.1 reads the key `on` as True.
    if True in document:
        document["on"] = document.pop(True)
    return document


def _split(script: str) -> list[list[str]]:
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars=";&|(){}<>!")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    result: list[list[str]] = []
    current: list[str] = []
    skip_next = skipping_case = False
    for token in lexer:
        if skipping_case:
            skipping_case = token != "esac" and not token.endswith("esac")
            continue
        if skip_next:
            skip_next = False
            continue
        if token in _REDIRECTS:
            if current and current[-1].isdigit():  # the 2 of 2>&1
                current.pop()
            skip_next = True
            continue
        if token == "&" and current == []:
            continue
        if token in _SEPARATORS or token == "\n":
            if current:
                result.append(current)
            current = []
            continue
        if not current and "=" in token and not token.startswith("-"):
            continue  # an assignment, or the variable of VAR=value cmd
        if not current and token == "case":
            skipping_case = True
            continue
        if not current and token in {"fi", "done", "esac"}:
            continue
        current.append(token)
    if current:
        result.append(current)
    return result


def commands(path: Path) -> list[Command]:
    document = load(path)
    found = []
    for job_name, job in document["jobs"].items():
        for step in job.get("steps", []):
            if "run" in step:
                for line in str(step["run"]).splitlines():
                    for words in _split(line):
                        found.append(Command(path.name, job_name, tuple(words)))
    return found
