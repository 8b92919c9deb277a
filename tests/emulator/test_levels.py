"""The API level a server speaks: ``--api-version 1.3.1|1.3.783`` or
``MIXPEEK_EMULATOR_API_VERSION``, default 1.3.783 (today's level); the harness defaults to the
seed level so that tiers naming no level keep running there."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.emulator.helpers import KEY
from tests.support.emulator import running_emulator

pytestmark = pytest.mark.emulator

ENV = "MIXPEEK_EMULATOR_API_VERSION"


def _level_of(*args: str, env: dict[str, str] | None = None) -> str:
    """The level a server started with these arguments reports (started bare, without the
    harness, which always names a level)."""
    environ = {k: v for k, v in os.environ.items() if k != ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "mixpeek_emulator", "--port", "0", "--db", ":memory:",
         "--api-key", KEY, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**environ, **(env or {})},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http"), process.communicate(timeout=10)
        info = httpx.get(f"{url}/_emulator/info").json()
        openapi = httpx.get(f"{url}/openapi.json").json()
        assert openapi["info"]["version"] == info["api_version"]
        return str(info["api_version"])
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_default_is_todays_level() -> None:
    assert _level_of() == "1.3.783"


@pytest.mark.parametrize("level", ["1.3.1", "1.3.783"])
def test_option_and_environment_choose_the_level(level: str) -> None:
    assert _level_of("--api-version", level) == level
    assert _level_of(env={ENV: level}) == level


def test_option_wins_over_the_environment() -> None:
    assert _level_of("--api-version", "1.3.1", env={ENV: "1.3.783"}) == "1.3.1"
    assert _level_of("--api-version", "1.3.783", env={ENV: "1.3.1"}) == "1.3.783"


@pytest.mark.parametrize(
    ("args", "env", "word"),
    [
        (("--api-version", "1.3.2"), {}, "--api-version"),
        (("--api-version", ""), {}, "--api-version"),
        ((), {ENV: "latest"}, ENV),
    ],
    ids=["unknown-option", "empty-option", "unknown-env"],
)
def test_unknown_level_refuses_to_start(args: tuple[str, ...], env: dict[str, str],
                                        word: str) -> None:
    environ = {k: v for k, v in os.environ.items() if k != ENV}
    process = subprocess.run(
        [sys.executable, "-m", "mixpeek_emulator", "--port", "0", "--db", ":memory:",
         "--api-key", KEY, *args],
        capture_output=True, text=True, env={**environ, **env}, timeout=30,
    )
    assert process.returncode == 2
    assert word in process.stderr and "1.3.1" in process.stderr and "1.3.783" in process.stderr


def test_the_harness_defaults_to_the_seed_level() -> None:
    with running_emulator() as server:
        assert server.api_version == "1.3.1"
        assert httpx.get(f"{server.base_url}/_emulator/info").json()["api_version"] == "1.3.1"
    with running_emulator(api_version="1.3.783") as server:
        assert server.api_version == "1.3.783"
        assert httpx.get(f"{server.base_url}/_emulator/info").json()["api_version"] == "1.3.783"
