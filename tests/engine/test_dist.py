"""The packages as a user gets them: ``make dist`` builds the wheels; the provider's wheel
holds the provider only, with the metadata pip and users' tooling read, and installed into a
fresh virtualenv outside the repository it runs a copied example (``up``, a no-op preview,
``destroy``) against a real local server; and the README's first program runs as the README
shows it, against the local server installed from its own wheel."""

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
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.engine.helpers import API_KEY, CLUSTER_TYPE, server_clusters
from tests.support.emulator import TODAY_API_VERSION, Emulator
from tests.support.pulumi import REPO, PulumiProject
from tests.support.readme import first_program

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


@dataclass
class UserProject(PulumiProject):
    """A project run with a user's environment: no ``MIXPEEK_*`` variable at all (the suite
    pins ``MIXPEEK_API_VERSION`` for its own stacks; a user following the README has none)."""

    @property
    def env(self) -> dict[str, str]:
        return {k: v for k, v in super().env.items() if not k.startswith("MIXPEEK_")}


def test_readme_first_program_runs_as_the_readme_shows_it(
    dist: Path, wheel: Path, outside: Path, bin_dir: Path
) -> None:
    """The README's first program, its three files as the README shows them, in a fresh
    project outside the repository, with the README's one documented change while the
    package is not on PyPI (requirements.txt names the wheel). The local server is installed
    from its own wheel into a virtualenv of its own and started with the README's command,
    plus ``--port 0`` and a database of the test's, so no other server on this machine can
    answer (tests/unit/test_docs.py checks that the README's endpoint is the server's default
    port); the stack's endpoint is then the URL the server printed. Every other step is the
    README's, verbatim: stack init, config set, up; then the two changes it describes
    preview as it says, and destroy leaves the server empty."""
    program = first_program()
    project_dir = outside / "first-program"
    project_dir.mkdir()
    for name, text in program.files.items():
        (project_dir / name).write_text(text)
    requirements = project_dir / "requirements.txt"
    lines = requirements.read_text().splitlines()
    assert lines.count("pulumi-mixpeek") == 1
    requirements.write_text(
        "\n".join(str(wheel) if line == "pulumi-mixpeek" else line for line in lines) + "\n"
    )
    python = shutil.which("python3.11") or "python3.11"
    run(python, "-m", "venv", project_dir / "venv")
    run(project_dir / "venv" / "bin" / "python", *PIP, "install", "-r", requirements,
        cwd=project_dir)

    # The server, as the README starts it: pip install its wheel, then mixpeek-emulator.
    server_venv = outside / "server-venv"
    run(python, "-m", "venv", server_venv)
    server_bin = server_venv / "bin"
    steps = iter(program.server_steps)
    install = next(steps)
    assert install[:2] == ["pip", "install"] and len(install) == 3, install
    pattern = install[2].removeprefix("dist/")  # the README runs it in the checkout
    (server_wheel,) = dist.glob(pattern)
    run(server_bin / "pip", "install", "--disable-pip-version-check", server_wheel, cwd=outside)
    start = next(steps)
    assert start[0] == "mixpeek-emulator"
    key = start[start.index("--api-key") + 1]
    argv = [str(server_bin / start[0]), *start[1:], "--port", "0",
            "--db", str(outside / "server.db")]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=outside, env={k: v for k, v in os.environ.items()
                                                 if not k.startswith("MIXPEEK_")})
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    server = Emulator(process, base_url, argv, TODAY_API_VERSION)
    try:
        assert base_url.startswith("http://127.0.0.1:"), (base_url, server.stderr_lines)
        project = UserProject(root=project_dir, bin_dir=bin_dir,
                              python=project_dir / "venv" / "bin" / "python")
        (project_dir / ".state").mkdir()
        namespace = None
        for step in program.project_steps:
            assert step[0] == "pulumi"
            args = step[1:]
            if args[:3] == ["config", "set", "mixpeek:endpoint"]:
                args = [*args[:3], base_url]
            if args[:3] == ["config", "set", "mixpeek:namespace"]:
                namespace = args[3]
            if args[:2] == ["stack", "init"]:
                project.stack = args[2]
            project.run(*args, *(["--yes"] if args[0] in ("up", "destroy") else []))

        (cluster,) = _clusters(server, key, namespace)
        outputs = project.outputs()
        assert outputs["cluster_id"] == cluster["cluster_id"]
        assert outputs["cluster_name"] == cluster["cluster_name"]
        assert cluster["input_collections"] == ["col_products"]
        assert cluster["cluster_type"] == "vector" and cluster["algorithm"] == "kmeans"
        assert cluster["algorithm_params"] == {"n_clusters": 8}
        assert cluster["description"] == "Products grouped by text embedding"  # one POST
        project.run("preview", "--expect-no-changes")

        # "Change the description and pulumi preview shows an update in place; change
        # collection_ids and it shows a replacement."
        main = project_dir / "__main__.py"
        text = main.read_text()
        main.write_text(text.replace("Products grouped by text embedding", "Regrouped"))
        assert "update" in _cluster_step(project)
        main.write_text(text.replace('["col_products"]', '["col_products", "col_more"]'))
        assert "replace" in _cluster_step(project)
        main.write_text(text)

        project.run("destroy", "--yes")
        assert _clusters(server, key, namespace) == []
        assert key not in project.logs()
    finally:
        server.stop()


def _clusters(server: Emulator, key: str, namespace: str | None) -> list[dict[str, object]]:
    response = server.api("POST", "/v1/clusters/list", key=key, namespace=namespace,
                          params={"limit": 100})
    response.raise_for_status()
    return list(response.json()["results"])


def _cluster_step(project: PulumiProject) -> str:
    """The line of ``pulumi preview`` that names the Cluster ``products``."""
    output = project.run("preview").stdout
    lines = [line for line in output.splitlines() if CLUSTER_TYPE in line and "products" in line]
    assert lines, output
    return lines[0]


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
