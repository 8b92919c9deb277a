"""The official SDK of today's API level, ``mixpeek==1.3.783``, from the test suite.

It cannot share the project's .venv, which holds ``mixpeek==1.3.1`` (the same package), so it
lives in a virtualenv of its own that ``make sdk`` creates from
``tests/sdk/requirements-1.3.783.txt`` (``make test`` does it first). The tests run that
virtualenv's python as a subprocess:

- ``run_driver``: ``sdk_today_driver.py`` drives a server with ClustersApi, TasksApi and
  CollectionsApi and prints what the SDK parsed (the emulator tier);
  ``sdk_today_triggers_driver.py`` likewise with ClusterTriggersApi.
- ``SdkJudge``: ``sdk_today_judge.py`` judges create bodies with the SDK's
  ``CreateClusterRequest.from_dict``, one process answering lists of bodies (the check
  parity test).

Without the virtualenv a test fails under CI (CI=true) and is skipped elsewhere, naming the
``make`` command that creates it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

__all__ = ["SDK_TODAY_VERSION", "TRIGGERS_DRIVER", "SdkJudge", "run_driver",
           "sdk_today_python"]

SDK_TODAY_VERSION = "1.3.783"
REPO = Path(__file__).resolve().parents[2]
VENV = REPO / f".venv-sdk-{SDK_TODAY_VERSION}"
MAKE_COMMAND = "make sdk"
DRIVER = Path(__file__).with_name("sdk_today_driver.py")
JUDGE = Path(__file__).with_name("sdk_today_judge.py")
#: ClusterTriggersApi's driver (it reuses sdk_today_driver.py's Run and records).
TRIGGERS_DRIVER = Path(__file__).with_name("sdk_today_triggers_driver.py")
#: Importing the SDK takes seconds (it holds every model of the API); a driver run also
#: waits for clustering runs.
DRIVER_TIMEOUT_S = 300.0
JUDGE_TIMEOUT_S = 120.0


def sdk_today_python() -> Path:
    """The python of the SDK's virtualenv; fails (CI) or skips (elsewhere) when it is not
    installed, naming the command that installs it."""
    python = VENV / "bin" / "python"
    if python.exists() and (VENV / ".installed").exists():
        return python
    message = (
        f"the official SDK mixpeek=={SDK_TODAY_VERSION} is not installed in {VENV.name}: "
        f"run `{MAKE_COMMAND}` (make test does)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _env() -> dict[str, str]:
    """The subprocess's environment: nothing of the project's venv leaks into it."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def run_driver(base_url: str, key: str, namespace: str, scenarios: list[str],
               driver: Path = DRIVER) -> dict[str, Any]:
    """Run a driver's scenarios against a server (``sdk_today_driver.py`` unless another
    driver in its shape is named, e.g. ``TRIGGERS_DRIVER``); its JSON, checked to come from
    the right SDK."""
    done = subprocess.run(
        [str(sdk_today_python()), str(driver), base_url, key, namespace, *scenarios],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=DRIVER_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"the SDK driver failed ({done.returncode}):\n{done.stderr}"
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["sdk_version"] == SDK_TODAY_VERSION, result["sdk_version"]
    return result


class SdkJudge:
    """One SDK process judging create bodies: each request is a list of bodies, each answer
    a list of verdicts ``{"refusal": str | None, "unread": [dotted keys]}`` in order.
    Verdicts are cached by body."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [str(sdk_today_python()), str(JUDGE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        self._cache: dict[str, dict[str, Any]] = {}
        hello = self._ask({"op": "version"})
        assert hello == SDK_TODAY_VERSION, hello

    def _ask(self, request: dict[str, Any]) -> Any:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            _, err = process.communicate(timeout=JUDGE_TIMEOUT_S)
            raise AssertionError(f"the SDK judge stopped ({process.returncode}):\n{err}")
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"the SDK judge failed on {request['op']}: {answer['error']}")
        return answer["result"]

    def verdicts(self, bodies: list[Any]) -> list[dict[str, Any]]:
        keys = [json.dumps(body, sort_keys=True) for body in bodies]
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            answers = self._ask({"op": "judge", "bodies": [json.loads(k) for k in missing]})
            self._cache.update(zip(missing, answers, strict=True))
        return [self._cache[k] for k in keys]

    def verdict(self, body: Any) -> dict[str, Any]:
        return self.verdicts([body])[0]

    def describe(self, paths: list[str]) -> dict[str, Any]:
        """The SDK model's field at each dotted path of CreateClusterRequest (its
        description, or None when there is no such field), and the internal fields."""
        result: dict[str, Any] = self._ask({"op": "describe", "paths": paths})
        return result

    def close(self) -> None:
        process = self._process
        if process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
