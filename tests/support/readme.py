"""Read the documentation as a user reads it: the fenced code blocks of a Markdown file, and
the README's first program (the files of "Your first program" and the shell steps of "Run it
against the local server"), so tests run and check exactly what the README shows."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

__all__ = ["README", "CodeBlock", "FirstProgram", "code_blocks", "first_program", "section"]

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

_FENCE = re.compile(
    r"^(?P<indent> *)```(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block: its language tag, its text, and the paragraph just before it (where
    the README names the file a block is)."""

    lang: str
    text: str
    caption: str


def code_blocks(markdown: str) -> list[CodeBlock]:
    blocks = []
    for match in _FENCE.finditer(markdown):
        indent = len(match["indent"])
        body = "".join(line[indent:] + "\n" for line in match["body"].splitlines())
        before = markdown[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        blocks.append(CodeBlock(match["lang"], body, " ".join(before.split())))
    return blocks


def section(markdown: str, heading: str) -> str:
    """The text under ``heading`` (a ``#``-line, given without the hashes) up to the next
    heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", markdown, re.M)
    if match is None:
        raise AssertionError(f"no heading {heading!r}")
    level = len(match[1])
    rest = markdown[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


@dataclass(frozen=True)
class FirstProgram:
    """The README's first program: the project's files by name, the commands that start the
    local server, and the commands run in the project directory."""

    files: dict[str, str]
    server_steps: list[list[str]]
    project_steps: list[list[str]]


def _commands(script: str) -> list[list[str]]:
    return [shlex.split(line, comments=True) for line in script.splitlines()
            if shlex.split(line, comments=True)]


def first_program(markdown: str | None = None) -> FirstProgram:
    """The blocks under "Your first program": each file block is captioned by its file name
    in backticks (``Pulumi.yaml``, ``requirements.txt``, ``__main__.py``); of the two shell
    blocks under "Run it against the local server", the first starts the server and the
    second runs in the project."""
    text = README.read_text() if markdown is None else markdown
    program = section(text, "Your first program")
    files = {}
    for block in code_blocks(program):
        named = re.match(r"`([\w.]+)`", block.caption)
        if block.lang != "sh" and named:
            files[named[1]] = block.text
    shell = [b.text for b in code_blocks(section(text, "Run it against the local server"))
             if b.lang == "sh"]
    if len(shell) != 2:
        raise AssertionError(f"expected two sh blocks to run the first program, found {len(shell)}")
    return FirstProgram(files, _commands(shell[0]), _commands(shell[1]))
