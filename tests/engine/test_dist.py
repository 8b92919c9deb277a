"""The packages as a user gets them: ``make dist`` builds the wheels; the provider's wheel
holds the provider only, with the metadata pip and users' tooling read, and installed into a
fresh virtualenv outside the repository it runs a copied example (``up``, a no-op preview,
``destroy``) against a real local server."""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.helpers import API_KEY, CLUSTER_TYPE, server_clusters
from tests.support.emulator import Emulator
from tests.support.pulumi import REPO, PulumiProject

pytestmark = [pytest.mark.engine, pytest.mark.timeout(1200)]

PIP = ("-m", "pip", "--disable-pip-version-check")
#: The one line of an example's requirements.txt that installs this checkout; its comment
#: tells a user outside the repository what to put instead.
CHECKOUT_LINE = "-e ../.."


def run(*args: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
    )
    output = result.stdout + result.stderr
    command = " ".join(map(str, args))
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{output}"
    return output


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = run("make", "dist", f"DIST={out}", cwd=REPO)
    # The build prints setuptools' deprecation warnings (the old TOML-table license made one
    # on every build, which pip then shows on every install from source, and Pulumi shows
    # as "error:" lines): there must be none.
    assert "deprecat" not in built.lower(), built
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("pulumi_mixpeek-*-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("outside")
    assert not root.resolve().is_relative_to(REPO.resolve())
    yield root


def test_dist_builds_wheels_and_sdists(dist: Path) -> None:
    names = sorted(p.name for p in dist.iterdir())
    assert names == [
        "mixpeek_emulator-0.1.0-py3-none-any.whl",
        "mixpeek_emulator-0.1.0.tar.gz",
        "pulumi-resource-mixpeek-v0.1.0-linux-amd64.tar.gz",
        "pulumi_mixpeek-0.1.0-py3-none-any.whl",
        "pulumi_mixpeek-0.1.0.tar.gz",
    ]


def test_wheel_holds_the_provider_only(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_string(archive.read(info).decode())
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"pulumi_mixpeek", "pulumi_mixpeek-0.1.0.dist-info"}
    assert "pulumi_mixpeek/py.typed" in names
    assert "pulumi_mixpeek-0.1.0.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if "emulator" in n or n.startswith("tests/")]

    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License") is None  # the deprecated free-text field
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert set(urls) >= {"Homepage", "Repository", "Documentation", "Issues"}
    # What `pulumi up` needs and nothing more: no FastAPI / uvicorn for provider users.
    requires = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert sorted(re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0] for r in requires) == [
        "httpx",
        "pulumi",
        "pydantic",
    ]


def test_wheel_runs_a_copied_example_outside_the_repository(
    wheel: Path, outside: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> None:
    project_dir = outside / "quickstart"
    shutil.copytree(
        REPO / "examples" / "quickstart",
        project_dir,
        ignore=shutil.ignore_patterns("venv", "Pulumi.*.yaml", "__pycache__"),
    )
    requirements = project_dir / "requirements.txt"
    lines = requirements.read_text().splitlines()
    assert lines.count(CHECKOUT_LINE) == 1
    # The one documented change: the checkout line becomes the wheel built by `make dist`.
    requirements.write_text(
        "\n".join(str(wheel) if line == CHECKOUT_LINE else line for line in lines) + "\n"
    )

    python = shutil.which("python3.11") or "python3.11"
    run(python, "-m", "venv", project_dir / "venv")
    venv_python = project_dir / "venv" / "bin" / "python"
    installed = run(venv_python, *PIP, "install", "-r", requirements, cwd=project_dir)
    assert "deprecat" not in installed.lower(), installed

    where = run(
        venv_python,
        "-c",
        "import importlib.util as u, pulumi_mixpeek as m;"
        "print(m.__version__, m.__file__, u.find_spec('mixpeek_emulator'), u.find_spec('fastapi'))",
        cwd=outside,
    ).split()
    assert where[0] == "0.1.0"
    assert Path(where[1]).is_relative_to(project_dir / "venv")
    assert where[2:] == ["None", "None"]  # the provider alone: no local server, no FastAPI

    project = PulumiProject.create(
        project_dir, bin_dir, virtualenv=project_dir / "venv", stack="dev"
    )
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)

    project.run("up", "--yes")
    (cluster,) = server_clusters(emulator, namespace)
    assert project.outputs()["cluster_id"] == cluster["cluster_id"]
    project.run("preview", "--expect-no-changes")
    project.run("destroy", "--yes")
    assert server_clusters(emulator, namespace) == []
    assert project.resources(CLUSTER_TYPE) == []
    assert API_KEY not in project.logs()


def test_plugin_archive_installs_and_runs_the_yaml_example(
    dist: Path, outside: Path, bin_dir: Path, emulator: Emulator, namespace: str
) -> None:
    """The archive as docs/yaml.md installs it, into a private PULUMI_HOME; the plugin is on
    no PATH, so the engine can only run the installed one (with the system's python3)."""
    archive = dist / "pulumi-resource-mixpeek-v0.1.0-linux-amd64.tar.gz"
    with tarfile.open(archive) as tar:
        launcher = tar.getmember("pulumi-resource-mixpeek")
        assert launcher.isfile() and launcher.mode & 0o111
        assert "lib/common/pulumi_mixpeek/plugin/server.py" in tar.getnames()

    project_dir = outside / "yaml-quickstart"
    shutil.copytree(
        REPO / "examples" / "yaml-quickstart", project_dir,
        ignore=shutil.ignore_patterns("Pulumi.*.yaml"),
    )
    project = PulumiProject.create(project_dir, bin_dir, stack="dev")
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(
        [str(bin_dir), *(p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin)]
    )
    project.extra_env["PATH"] = path
    assert shutil.which("pulumi-resource-mixpeek", path=path) is None
    python3 = run("python3", "-c", "import sys; print(sys.version_info >= (3, 11))")
    assert python3.strip() == "True", "the plugin runs with python3 from PATH: 3.11 or newer"

    project.run("plugin", "install", "resource", "mixpeek", "0.1.0", "--file", str(archive))
    installed = project_dir / ".pulumi-home" / "plugins" / "resource-mixpeek-v0.1.0"
    assert (installed / "pulumi-resource-mixpeek").is_file()
    project.set_config("mixpeek:endpoint", emulator.base_url)
    project.set_config("mixpeek:namespace", namespace)
    project.set_config("mixpeek:apiKey", API_KEY, secret=True)

    project.run("up", "--yes")
    clusters = {c["cluster_name"]: c for c in server_clusters(emulator, namespace)}
    assert set(clusters) == {"yaml-products-dev", "yaml-catalog-dev"}
    outputs = project.outputs()
    assert outputs["productsClusterId"] == clusters["yaml-products-dev"]["cluster_id"]
    assert outputs["runStatus"] == "COMPLETED"
    project.run("preview", "--expect-no-changes")
    project.run("destroy", "--yes")
    assert server_clusters(emulator, namespace) == []
    assert "from $PATH" not in project.logs()
    assert API_KEY not in project.logs()
