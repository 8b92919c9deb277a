"""Build the plugin archive that `pulumi plugin install resource mixpeek <version> --file` takes.

    python scripts/plugin-archive/build.py dist/pulumi_mixpeek-0.1.0-py3-none-any.whl dist \
        --python 3.11 --python 3.12 ...

writes ``dist/pulumi-resource-mixpeek-v<version>-linux-amd64.tar.gz`` holding:

- ``pulumi-resource-mixpeek``: the launcher (``scripts/plugin-archive/pulumi-resource-mixpeek``),
  which the engine starts from the plugin directory; it runs the package with ``python3``;
- ``lib/cp3XX/``: for each CPython version asked for, the wheel and its dependencies as
  ``pip install --target`` lays them out, from linux x86_64 wheels only (manylinux up to glibc
  2.28), so one build serves every version;
- ``lib/common/``: what is identical in all of those (pure-Python packages), kept once.

The dependencies are what pip resolves from the wheel's requirements at build time, as
``pip install pulumi_mixpeek`` would.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "pulumi-resource-mixpeek"
#: The wheels pip may take: manylinux for glibc 2.28 and older (manylinux2014 = 2.17 also
#: admits manylinux2010 and manylinux1; pip does not expand the PEP 600 tags by itself).
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)] + [
    "manylinux2014_x86_64"
]


def vendor(wheel: Path, python: str, target: Path) -> None:
    """``pip install --target`` of ``wheel`` and its dependencies for CPython ``python``."""
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--no-warn-conflicts", "--no-compile", "--only-binary=:all:",
            "--implementation", "cp", "--python-version", python, *platforms,
            "--target", str(target), str(wheel),
        ],
        check=True,
    )
    # Console scripts, whose shebang names the interpreter that ran pip: not used.
    shutil.rmtree(target / "bin", ignore_errors=True)


def digest(path: Path) -> str:
    """The content of a file or a directory tree (paths and bytes)."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    sha = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        if item.is_file():
            sha.update(str(item.relative_to(path)).encode() + b"\0" + item.read_bytes())
    return sha.hexdigest()


def split_common(versions: dict[str, Path], common: Path) -> None:
    """Move each top-level entry that is identical in every version's directory to
    ``common``, leaving only what differs (compiled extensions and their dist-info)."""
    common.mkdir()
    first = next(iter(versions.values()))
    for entry in sorted(p.name for p in first.iterdir()):
        paths = [where / entry for where in versions.values()]
        if all(p.exists() for p in paths) and len({digest(p) for p in paths}) == 1:
            paths[0].rename(common / entry)
            for other in paths[1:]:
                shutil.rmtree(other) if other.is_dir() else other.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("wheel", type=Path, help="the pulumi_mixpeek wheel (make dist builds it)")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--python", action="append", required=True,
                        help="a CPython version to vendor for, e.g. 3.11 (repeat)")
    args = parser.parse_args()

    found = re.match(r"pulumi_mixpeek-([^-]+)-", args.wheel.name)
    if not found:
        parser.error(f"{args.wheel.name} is not a pulumi_mixpeek wheel")
    version = found.group(1)
    archive = args.outdir / f"pulumi-resource-mixpeek-v{version}-linux-amd64.tar.gz"

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "plugin"
        lib = root / "lib"
        versions = {v: lib / f"cp{v.replace('.', '')}" for v in args.python}
        # One pip per version, side by side: they mostly wait on downloads and unpacking.
        with ThreadPoolExecutor(max_workers=len(versions)) as pool:
            for done in [pool.submit(vendor, args.wheel, v, t) for v, t in versions.items()]:
                done.result()
        split_common(versions, lib / "common")
        shutil.copy2(LAUNCHER, root / LAUNCHER.name)
        (root / LAUNCHER.name).chmod(0o755)

        args.outdir.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            for item in sorted(root.rglob("*")):
                tar.add(item, arcname=str(item.relative_to(root)), recursive=False)
    print(archive)


if __name__ == "__main__":
    main()
