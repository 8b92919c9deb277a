"""The GitOps example workflows parse, state their secrets and permissions, and run only
commands that exist: this repository's console scripts (with arguments they accept), its
policy pack, and a few standard tools. tests/engine/test_gitops.py checks the `pulumi`
commands against the real CLI."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from mixpeek_policy import POLICIES
from pulumi_mixpeek.plan_summary import build_parser

from tests.support.pulumi import REPO
from tests.support.workflows import WORKFLOWS, Command, commands, load

pytestmark = pytest.mark.unit

FILES = sorted(WORKFLOWS.glob("*.yml"))
#: Standard tools a GitHub-hosted runner has; everything else must be this repository's.
EXTERNAL = {"python", "pip", "echo", "cat", "head", "tail", "gh", "exit", "["}
PULUMI_SUBCOMMANDS = {"preview", "up", "refresh", "login", "stack"}
SCRIPTS = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
#: Where the workflows expect this repository's files in the team's repository.
COPIED = {
    "../policy": REPO / "policy",
    "../policy-config.json": WORKFLOWS.parent / "policy-config.json",
}


def test_the_four_workflows_exist() -> None:
    assert [p.name for p in FILES] == [
        "mixpeek-drift.yml",
        "mixpeek-preview-comment.yml",
        "mixpeek-preview.yml",
        "mixpeek-up.yml",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_parses_and_states_its_secrets_and_permissions(path: Path) -> None:
    document = load(path)
    text = path.read_text()
    assert document["on"] and document["jobs"]
    assert "permissions" in document, "set the default token's permissions explicitly"
    header = text.split("\nname:", 1)[0]
    secrets_note = re.search(r"# Secrets:(.*?)# Permissions:", header, re.S)
    permissions_note = re.search(r"# Permissions:(.*)", header, re.S)
    assert secrets_note and permissions_note, f"{path.name}: state Secrets: and Permissions:"
    for secret in set(re.findall(r"secrets\.([A-Z_]+)", text)):
        assert secret in secrets_note.group(1), f"{path.name} uses {secret} without saying so"
    for name, job in document["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} must state its permissions"
        for scope, level in job["permissions"].items():
            assert f"{scope}: {level}" in permissions_note.group(1), (
                f"{path.name}: permission {scope}: {level} of job {name} is not in the header"
            )


def all_commands() -> list[Command]:
    return [command for path in FILES for command in commands(path)]


def test_every_command_is_this_repository_s_or_a_standard_tool() -> None:
    seen = set()
    for command in all_commands():
        seen.add(command.name)
        if command.name in SCRIPTS:
            assert command.name == "mixpeek-plan-summary"
            build_parser().parse_args(command.args)  # exits (fails the test) on a bad flag
        elif command.name == "pulumi":
            assert command.args[0] in PULUMI_SUBCOMMANDS, command
            for flag, value in zip(command.args, [*command.args[1:], ""], strict=True):
                if flag in {"--policy-pack", "--policy-pack-config"}:
                    assert COPIED[value].exists(), f"{value} has no counterpart here"
        elif command.name == "pip":
            assert command.args[:2] == ["install", "-r"]
            requirements = command.args[2]
            if requirements.startswith("policy/"):
                assert (REPO / requirements).exists()
            else:
                assert requirements == "infra/requirements.txt"  # the team's own program
        else:
            assert command.name in EXTERNAL, f"{command.workflow} runs unknown {command.words}"
    assert {"mixpeek-plan-summary", "pulumi"} <= seen


def test_the_example_policy_config_matches_the_pack() -> None:
    config = json.loads((WORKFLOWS.parent / "policy-config.json").read_text())
    policies = {p.name: p for p in POLICIES}
    levels = {"advisory", "mandatory", "remediate", "disabled"}
    for name, value in config.items():
        if name == "all" or isinstance(value, str):
            assert value in levels
            continue
        schema = policies[name].config_schema
        assert schema is not None, f"{name} takes no options"
        for option, setting in value.items():
            if option == "enforcementLevel":
                assert setting in levels
                continue
            spec = schema.properties[option]
            allowed = spec.get("items", {}).get("enum")
            if allowed:
                assert set(setting) <= set(allowed), f"{name}.{option}: {setting}"
