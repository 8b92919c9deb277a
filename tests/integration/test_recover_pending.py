"""``mixpeek-recover-pending`` against a real emulator process, with a stand-in ``pulumi``
(``$PULUMI_BIN``) serving a hand-built state export: the cases an engine run cannot produce
on purpose. The real CLI is in tests/engine/test_interrupted_run.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi_mixpeek.recover_pending import main

from tests.integration.conftest import KEY, NAMESPACE
from tests.support.emulator import Emulator
from tests.unit.cluster_helpers import VECTOR
from tests.unit.state_exports import deployment, pending, urn

pytestmark = pytest.mark.integration

FAKE_PULUMI = """\
import json, shutil, sys
from pathlib import Path
here = Path(__file__).parent
args = sys.argv[1:]
with (here / "calls.log").open("a") as log:
    log.write(" ".join(args[:2]) + "\\n")
if args[:2] == ["stack", "export"]:
    print((here / "export.json").read_text())
elif args[:1] == ["config"]:
    print((here / "config.json").read_text())
elif args[:2] == ["stack", "import"]:
    doc = json.loads(Path(args[args.index("--file") + 1]).read_text())
    (here / "imported.json").write_text(json.dumps(doc))
    doc["deployment"]["pending_operations"] = []  # as pulumi stack import does
    (here / "export.json").write_text(json.dumps(doc))
else:
    sys.exit("unexpected: " + " ".join(args))
"""


class FakePulumi:
    def __init__(self, root: Path, emulator: Emulator, key: str) -> None:
        self.root = root
        script = root / "pulumi"
        script.write_text(f"#!{sys.executable}\n{FAKE_PULUMI}")
        script.chmod(0o755)
        config = {
            "mixpeek:apiKey": {"value": key, "secret": True},
            "mixpeek:namespace": {"value": NAMESPACE, "secret": False},
            "mixpeek:endpoint": {"value": emulator.base_url, "secret": False},
        }
        (root / "config.json").write_text(json.dumps(config))

    def state(self, doc: dict[str, Any]) -> None:
        (self.root / "export.json").write_text(json.dumps({"version": 3, "deployment": doc}))

    def calls(self) -> list[str]:
        log = self.root / "calls.log"
        return log.read_text().splitlines() if log.exists() else []

    def imported(self) -> dict[str, Any] | None:
        path = self.root / "imported.json"
        return dict(json.loads(path.read_text())["deployment"]) if path.exists() else None


@pytest.fixture
def fake(tmp_path: Path, server: Emulator, monkeypatch: pytest.MonkeyPatch) -> FakePulumi:
    for name in ("MIXPEEK_API_KEY", "MIXPEEK_NAMESPACE", "MIXPEEK_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PULUMI_BIN", str(tmp_path / "pulumi"))
    return FakePulumi(tmp_path, server, KEY)


def recover(fake: FakePulumi, *args: str) -> int:
    return main(["--cwd", str(fake.root), *args])


def post(server: Emulator, body: dict[str, Any]) -> dict[str, Any]:
    response = server.api("POST", "/v1/clusters", key=KEY, namespace=NAMESPACE, json=body)
    response.raise_for_status()
    return dict(response.json())


def test_a_create_killed_before_its_patch_is_completed_as_create_would(
    fake: FakePulumi, server: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    declared = {**VECTOR, "description": "grouped", "metadata": {"team": "search"},
                # Where check recorded the cluster to live: the stack's configuration.
                "namespace": NAMESPACE, "endpoint": server.base_url}
    # The POST was handled; the run died before the PATCH that sets description/metadata.
    made = post(server, {k: v for k, v in VECTOR.items()})
    fake.state(deployment([], [pending("products", declared)]))
    server.reset()

    assert recover(fake) == 3
    assert fake.imported() is None
    assert [r["method"] for r in server.requests()] == ["GET"]

    assert recover(fake, "--yes") == 0, capsys.readouterr()

    patches = [r for r in server.requests() if r["method"] == "PATCH"]
    assert [p["body"] for p in patches] == [
        {"description": "grouped", "metadata": {"team": "search"}}
    ]
    imported = fake.imported()
    assert imported is not None and imported["pending_operations"] == []
    record = imported["resources"][-1]
    assert (record["urn"], record["id"]) == (urn("products"), made["cluster_id"])
    assert record["outputs"]["metadata"] == {"team": "search"}
    assert record["outputs"]["cluster_id"] == made["cluster_id"]
    assert record["outputs"]["__provider"] == record["inputs"]["__provider"]
    out = capsys.readouterr().out
    assert "completed" in out


def test_pending_creates_of_other_types_stop_it_unchanged(
    fake: FakePulumi, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = deployment([], [pending("products", VECTOR)])
    other = {"urn": "urn:pulumi:test::proj::random:index/randomId:RandomId::r",
             "type": "random:index/randomId:RandomId", "custom": True, "inputs": {}}
    doc["pending_operations"].append({"resource": other, "type": "creating"})
    fake.state(doc)

    assert recover(fake, "--yes") == 4

    assert fake.calls() == ["stack export"]
    assert other["urn"] in capsys.readouterr().out


def test_an_undecidable_pending_create_stops_it_unchanged(
    fake: FakePulumi, server: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    post(server, dict(VECTOR))
    doc = deployment([], [pending("a", VECTOR), pending("b", VECTOR)])  # one name, twice
    fake.state(doc)

    assert recover(fake, "--yes") == 4

    assert fake.imported() is None
    assert {r["method"] for r in server.requests()} == {"POST"}, "nothing asked or changed"
    assert "nothing was changed" in capsys.readouterr().out


def test_nothing_pending_is_nothing_to_do(fake: FakePulumi) -> None:
    fake.state(deployment([], [pending("products", VECTOR, kind="updating")]))

    assert recover(fake, "--yes") == 0
    assert fake.calls() == ["stack export"]


@pytest.mark.parametrize("endpoint", ["server", "unreachable"])
def test_failures_say_what_happened_and_never_show_the_key(
    tmp_path: Path, server: Emulator, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], endpoint: str,
) -> None:
    key = "sk_wrong_" + "7" * 24
    monkeypatch.setenv("PULUMI_BIN", str(tmp_path / "pulumi"))
    fake = FakePulumi(tmp_path, server, key)
    if endpoint == "unreachable":
        config = json.loads((tmp_path / "config.json").read_text())
        config["mixpeek:endpoint"]["value"] = "http://127.0.0.1:9"
        (tmp_path / "config.json").write_text(json.dumps(config))
    fake.state(deployment([], [pending("products", VECTOR)]))

    assert recover(fake, "--yes") == 1

    out, err = capsys.readouterr()
    assert key not in out + err
    # Retries are reported as they happen (one "mixpeek:" line each); then the error.
    message = [line for line in err.splitlines() if not line.startswith("mixpeek: ")]
    assert message[0].startswith("mixpeek-recover-pending: ") and "Traceback" not in err
    assert fake.imported() is None
