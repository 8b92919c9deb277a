"""The documentation says what the package is: the README is a five-minute read that links
every page under docs/; every link resolves; every Python name a page shows is exported by
the package (and every keyword and output it uses exists); every type token is in
schema.json; the README's first program is the template's; the cluster of "Other languages"
is the same in every language; and every page names the local server's one port."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pulumi.dynamic
import pulumi_mixpeek
import pulumi_mixpeek.native
import pytest
import yaml
from mixpeek_emulator import cli as emulator_cli

from tests.support.readme import README, CodeBlock, code_blocks, first_program, section

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
TEMPLATE = REPO / "templates" / "python"
#: Everything a user reads as documentation of this package.
PAGES = sorted([README, *DOCS.glob("*.md"), REPO / "emulator" / "README.md",
                REPO / "policy" / "README.md", *REPO.glob("examples/*/README.md")])
#: Each page says how many lines it may have: the README is read top to bottom.
README_MAX_LINES = 200
PACKAGES = {"pulumi_mixpeek": pulumi_mixpeek, "pulumi_mixpeek.native": pulumi_mixpeek.native}
SDK_NODEJS = REPO / "sdk" / "nodejs"
SDK_GO = REPO / "sdk" / "go" / "mixpeek"


def rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def prose(markdown: str) -> str:
    """The text outside fenced code blocks and HTML comments."""
    text = re.sub(r"^( *)```.*?^\1```[ \t]*$", "", markdown, flags=re.M | re.S)
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def inline_code(markdown: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", prose(markdown))


# -- the README and the pages it links ----------------------------------------------------

def test_the_readme_is_a_five_minute_read() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_the_readme_links_every_page_under_docs() -> None:
    linked = {
        (README.parent / target).resolve()
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)\s]*)?\)", prose(README.read_text()))
    }
    unlinked = [rel(page) for page in sorted(DOCS.glob("*.md")) if page.resolve() not in linked]
    assert unlinked == [], f"README.md links no {unlinked}"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[|\]\([^)]*\)", lambda m: "" if m[0] != "_" else "_", heading)
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", prose(path.read_text()), re.M):
        base = slug(heading)
        name, n = base, 0
        while name in found:
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    return found


def links(path: Path) -> Iterator[tuple[str, str]]:
    """(file, anchor) of every relative link of a page."""
    for target in re.findall(r"\]\(([^)\s]+)\)", prose(path.read_text())):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        yield file, anchor


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for file, anchor in links(page):
        target = (page.parent / file).resolve() if file else page
        if not target.exists():
            broken.append(f"{file} (no such file)")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{file}#{anchor} (no such heading)")
    assert broken == [], f"{rel(page)}: {broken}"


# -- Python names: exported, and used with the keywords and outputs they have --------------

def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a parent is no module (pulumi_mixpeek.Cluster.x)
        return False


def resolve(dotted: str) -> Any:
    """The object a documented dotted name denotes: an exported name of ``pulumi_mixpeek`` or
    ``pulumi_mixpeek.native`` (in their ``__all__``), or of a module of the package, then its
    attributes. Raises LookupError when the package has no such name."""
    parts = dotted.split(".")
    module: types.ModuleType | None = None
    rest: list[str] = []
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        if name.startswith("pulumi_mixpeek") and _is_module(name):
            module, rest = importlib.import_module(name), parts[i:]
            break
    if module is None:
        raise LookupError(f"{dotted}: no such module")
    value: Any = module
    for i, attr in enumerate(rest):
        if i == 0 and module.__name__ in PACKAGES and attr not in module.__all__:
            raise LookupError(f"{dotted}: {module.__name__} does not export {attr}")
        if not hasattr(value, attr):
            raise LookupError(f"{dotted}: {attr} does not exist")
        value = getattr(value, attr)
    return value


def aliases(source: str) -> dict[str, str]:
    """The names a Python block binds to the package's modules (``mixpeek`` for
    ``pulumi_mixpeek`` unless the block imports it otherwise, as the docs' snippets do)."""
    bound: dict[str, str] = {}
    for module, alias in re.findall(r"^\s*import (pulumi_mixpeek(?:\.native)?)(?: as (\w+))?",
                                    source, re.M):
        bound[alias or module] = module
    for name, alias in re.findall(r"^\s*from pulumi_mixpeek import (native)(?: as (\w+))?$",
                                  source, re.M):
        bound[alias or name] = "pulumi_mixpeek.native"
    if not bound:
        bound["mixpeek"] = "pulumi_mixpeek"
    bound.setdefault("pulumi_mixpeek", "pulumi_mixpeek")
    return bound


def python_blocks(page: Path) -> list[CodeBlock]:
    return [b for b in code_blocks(page.read_text()) if b.lang == "python"]


def python_page(page: Path) -> bool:
    """Whether a page's prose means the Python package by `mixpeek.X`: it shows Python, or
    no program of another language (whose SDK a TypeScript or Go page calls `mixpeek`)."""
    if (page.parent / "Pulumi.yaml").exists() and not (page.parent / "requirements.txt").exists():
        return False  # an example in YAML, TypeScript or Go
    langs = {b.lang for b in code_blocks(page.read_text())}
    return "python" in langs or not langs & {"typescript", "ts", "javascript", "go"}


def named_symbols(page: Path) -> Iterator[str]:
    """Every package name a page uses: in its Python blocks through their imports, and in
    its inline code as ``pulumi_mixpeek.X`` / ``mixpeek.X`` (on Python pages) / ``native.X``."""
    for block in python_blocks(page):
        bound = aliases(block.text)
        for name in re.findall(r"^\s*from (pulumi_mixpeek(?:\.\w+)*) import ([\w, ]+)$",
                               block.text, re.M):
            for imported in name[1].split(","):
                yield f"{name[0]}.{imported.strip()}"
        for alias, dotted in re.findall(rf"(?<![\w.])({'|'.join(map(re.escape, bound))})"
                                        r"((?:\.\w+)+)", block.text):
            yield bound[alias] + dotted
    prefixes = {"pulumi_mixpeek": "pulumi_mixpeek", "native": "pulumi_mixpeek.native"}
    if python_page(page):
        prefixes["mixpeek"] = "pulumi_mixpeek"
    pattern = rf"(?<![\w./:-])({'|'.join(prefixes)})((?:\.\w+)+)"
    for code in inline_code(page.read_text()):
        for prefix, dotted in re.findall(pattern, code):
            yield prefixes[prefix] + dotted


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_every_python_name_a_page_shows_is_exported(page: Path) -> None:
    missing = []
    for dotted in sorted(set(named_symbols(page))):
        try:
            resolve(dotted)
        except LookupError as exc:
            missing.append(str(exc))
    assert missing == [], f"{rel(page)} names what the package does not export: {missing}"



def test_the_name_check_catches_a_name_the_package_lacks(tmp_path: Path) -> None:
    """The checks above on a page that names what pulumi_mixpeek does not export (the
    enum class `pulumi import` once printed, a lookup in the schema's spelling)."""
    page = tmp_path / "page.md"
    page.write_text(
        "Use `pulumi_mixpeek.getCluster` or `mixpeek.native.get_cluster`.\n\n"
        "```python\nimport pulumi_mixpeek as mixpeek\n\n"
        "mixpeek.Cluster('c', cluster_type=mixpeek.ClusterType.VECTOR)\n```\n"
    )
    names = set(named_symbols(page))
    assert names == {"pulumi_mixpeek.getCluster", "pulumi_mixpeek.native.get_cluster",
                     "pulumi_mixpeek.Cluster", "pulumi_mixpeek.ClusterType.VECTOR"}
    failing = set()
    for dotted in names:
        try:
            resolve(dotted)
        except LookupError:
            failing.add(dotted)
    assert failing == {"pulumi_mixpeek.getCluster", "pulumi_mixpeek.ClusterType.VECTOR"}


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_a_python_class_is_named_with_its_own_type_token(page: Path) -> None:
    """Where a page pairs a class with a type token (`pulumi_mixpeek.native.Cluster`
    (`mixpeek:index:Cluster`)), the token is that class's: the native face's classes are the
    schema's `mixpeek:index:*`, the dynamic ones `pulumi-python:dynamic/mixpeek:*`."""
    wrong = []
    pairs = re.findall(r"`(pulumi_mixpeek(?:\.native)?)\.(\w+)`[^`\n]{0,40}?"
                       r"`((?:mixpeek:index:|pulumi-python:dynamic/mixpeek:)\w+)`",
                       prose(page.read_text()))
    for module, name, token in pairs:
        native = module == "pulumi_mixpeek.native"
        if name[:1].islower() and not native:
            wrong.append(f"{module}.{name} calls the API from the program: it has no token")
            continue
        own = ("mixpeek:index:" if native else "pulumi-python:dynamic/mixpeek:") + _camel(name)
        if token != own:
            wrong.append(f"{module}.{name} is {own}, not {token}")
    assert wrong == [], f"{rel(page)}: {wrong}"

def _declared_outputs(cls: type) -> set[str]:
    names: set[str] = {"id", "urn"}
    for klass in cls.__mro__:
        names.update(n for n in getattr(klass, "__annotations__", {}) if not n.startswith("_"))
    return names


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_python_blocks_use_the_keywords_and_outputs_the_package_has(page: Path) -> None:
    """In each Python block that parses: every keyword of a call of the package is a
    parameter it takes, and every attribute read from a resource it declared is one of that
    resource's outputs (``products.cluster_id``)."""
    wrong = []
    for block in python_blocks(page):
        try:
            tree = ast.parse(block.text)
        except SyntaxError:
            continue  # a fragment ("..."): its names are checked above
        bound = aliases(block.text)
        resources: dict[str, type] = {}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in bound):
                continue
            dotted = f"{bound[node.func.value.id]}.{node.func.attr}"
            try:
                target = resolve(dotted)
            except LookupError:
                continue  # reported by test_every_python_name_a_page_shows_is_exported
            params = inspect.signature(target).parameters
            if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
                wrong += [f"{dotted}({k.arg}=...)" for k in node.keywords
                          if k.arg and k.arg not in params]
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Attribute)
                    and isinstance(node.value.func.value, ast.Name)
                    and node.value.func.value.id in bound):
                try:
                    cls = resolve(f"{bound[node.value.func.value.id]}.{node.value.func.attr}")
                except LookupError:
                    continue
                if isinstance(cls, type) and issubclass(cls, pulumi.Resource):
                    resources[node.targets[0].id] = cls
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in resources
                    and node.attr not in _declared_outputs(resources[node.value.id])):
                wrong.append(f"{node.value.id}.{node.attr} ({resources[node.value.id].__name__} "
                             "has no such output)")
    assert wrong == [], f"{rel(page)}: {wrong}"


# -- type tokens ---------------------------------------------------------------------------

def schema_tokens() -> set[str]:
    schema = json.loads((REPO / "schema.json").read_text())
    return {*schema["resources"], *schema["functions"], *schema["types"], "mixpeek:index:Provider",
            "pulumi:providers:mixpeek"}


def dynamic_tokens() -> set[str]:
    """The type tokens of the dynamic resources the package exports (a dynamic resource's
    type is pulumi-python:dynamic/ and its module:name)."""
    return {
        f"pulumi-python:dynamic/mixpeek:{name}"
        for name in pulumi_mixpeek.__all__
        if isinstance(value := getattr(pulumi_mixpeek, name), type)
        and issubclass(value, pulumi.dynamic.Resource)
    }


@pytest.mark.parametrize("page", [*PAGES, TEMPLATE / "Pulumi.yaml"], ids=rel)
def test_every_type_token_a_page_names_exists(page: Path) -> None:
    text = page.read_text()
    known = schema_tokens() | dynamic_tokens()
    named = set(re.findall(r"mixpeek:index:\w+", text))
    named |= set(re.findall(r"pulumi-python:dynamic/mixpeek:\w+", text))
    assert sorted(named - known) == [], f"{rel(page)} names unknown type tokens"


# -- the first program is the template -----------------------------------------------------

def test_the_readme_first_program_is_the_template() -> None:
    program = first_program()
    assert set(program.files) == {"Pulumi.yaml", "requirements.txt", "__main__.py"}
    for name in ("__main__.py", "requirements.txt"):
        assert program.files[name] == (TEMPLATE / name).read_text(), name
    template = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())
    prompts = template.pop("template")
    assert yaml.safe_load(program.files["Pulumi.yaml"]) == template
    # pulumi new asks for the settings the README's steps set, the key as a secret.
    assert set(prompts["config"]) == {"mixpeek:apiKey", "mixpeek:namespace", "mixpeek:endpoint"}
    assert prompts["config"]["mixpeek:apiKey"]["secret"] is True


# -- one port for the local server ---------------------------------------------------------

def test_every_page_names_the_local_server_s_default_port() -> None:
    """The server's default port is the one the README's steps, the template, `make emulator`
    and every page use, so `mixpeek-emulator` with no flag serves what they point at."""
    port = emulator_cli.DEFAULT_PORT
    makefile = (REPO / "Makefile").read_text()
    recipe = section_of_make(makefile, "emulator")
    assert "--port" not in recipe, "make emulator must use the server's default port"
    program = first_program()
    server = next(step for step in program.server_steps if step[0] == "mixpeek-emulator")
    assert "--port" not in server
    endpoint = next(step[-1] for step in program.project_steps if "mixpeek:endpoint" in step)
    assert endpoint == f"http://127.0.0.1:{port}"
    prompts = yaml.safe_load((TEMPLATE / "Pulumi.yaml").read_text())["template"]["config"]
    assert prompts["mixpeek:endpoint"]["default"] == f"http://127.0.0.1:{port}"
    others = {}
    for page in [*PAGES, REPO / "Makefile"]:
        found = set(re.findall(r"(?:127\.0\.0\.1|localhost|port):?\s?(\d{4,5})\b",
                               page.read_text())) - {str(port)}
        if found:
            others[rel(page)] = sorted(found)
    assert others == {}, f"pages naming another port than {port}: {others}"


def section_of_make(makefile: str, target: str) -> str:
    match = re.search(rf"^{target}:.*\n((?:\t.*\n?)*)", makefile, re.M)
    assert match, f"no make target {target}"
    return match[1]


# -- the same cluster in every language -----------------------------------------------------

def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _python_keys() -> set[str]:
    """The keywords of the first program's Cluster, nested ones and dict keys too, in the
    schema's camelCase (a free-form map's keys as written)."""
    tree = ast.parse(first_program().files["__main__.py"])
    keys: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            keys.update(_camel(k.arg) for k in node.keywords if k.arg)
        if isinstance(node, ast.Dict):
            keys.update(k.value for k in node.keys if isinstance(k, ast.Constant))
    return keys


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    return set()


def _literal_keys(code: str) -> set[str]:
    """The keys of the object literals / struct fields of a TypeScript or Go block."""
    quoted = set(re.findall(r'"(\w+)"\s*:(?!=)', code))
    bare = re.sub(r'"[^"\n]*"', '""', code)
    return quoted | set(re.findall(r"\b(\w+)\s*:(?!=)", bare))


def _other_languages() -> dict[str, str]:
    blocks = code_blocks(section(README.read_text(), "Other languages"))
    found = {b.lang: b.text for b in blocks}
    assert set(found) == {"yaml", "typescript", "go"}, set(found)
    return found


def _schema_property_paths(properties: dict[str, Any], types_: dict[str, Any],
                           value: dict[str, Any], path: str = "") -> list[str]:
    """The keys of ``value`` the schema does not declare (free-form maps are not walked)."""
    unknown = []
    for key, item in value.items():
        spec = properties.get(key)
        if spec is None:
            unknown.append(path + key)
            continue
        ref = spec.get("$ref", "")
        if isinstance(item, dict) and ref.startswith("#/types/"):
            nested = types_[ref.removeprefix("#/types/")].get("properties", {})
            unknown += _schema_property_paths(nested, types_, item, f"{path}{key}.")
    return unknown


def test_the_yaml_cluster_uses_the_schema_s_names() -> None:
    schema = json.loads((REPO / "schema.json").read_text())
    program = yaml.safe_load(_other_languages()["yaml"])
    for name, resource in program["resources"].items():
        spec = schema["resources"][resource["type"]]
        unknown = _schema_property_paths(spec["inputProperties"], schema["types"],
                                         resource["properties"])
        assert unknown == [], f"{name}: {unknown} are not properties of {resource['type']}"
        for output in re.findall(rf"\$\{{{name}\.(\w+)\}}", _other_languages()["yaml"]):
            assert output in spec["properties"], output


def test_other_languages_declare_the_first_program_s_cluster() -> None:
    """YAML, TypeScript and Go name the same properties as the Python program (camelCase,
    Go's exported spelling of it), so the README shows one cluster in four languages."""
    python = _python_keys()
    blocks = _other_languages()
    yaml_program = yaml.safe_load(blocks["yaml"])
    (resource,) = yaml_program["resources"].values()
    assert _keys(resource["properties"]) == python
    typescript = _literal_keys(blocks["typescript"])
    assert typescript == python
    go = {k if k.islower() and "_" in k else k[:1].lower() + k[1:]
          for k in _literal_keys(blocks["go"])}
    assert go == python


def _sdk_names(files: list[Path], pattern: str) -> set[str]:
    return {m for f in files for m in re.findall(pattern, f.read_text())}


def _typescript_names() -> set[str]:
    """What the generated Node.js SDK exports: classes, functions, enum objects, members."""
    files = [p for p in SDK_NODEJS.rglob("*.ts") if "node_modules" not in p.parts]
    return _sdk_names(files, r"export (?:declare )?(?:class|const|function|type|enum) (\w+)") \
        | _sdk_names(files, r"(?m)^\s*(\w+): \"")


def _go_names() -> set[str]:
    """What the generated Go SDK's package declares: functions, types, enum constants."""
    files = list(SDK_GO.glob("*.go"))
    return (_sdk_names(files, r"(?m)^func (\w+)\(")
            | _sdk_names(files, r"(?m)^type (\w+) ")
            | _sdk_names(files, r"(?m)^\s+(\w+)\s+=\s+\w+\(\""))


def test_typescript_and_go_names_exist_in_the_generated_sdks() -> None:
    """The README's TypeScript and Go blocks import the generated SDKs by their names and use
    only what they declare."""
    blocks = _other_languages()
    package = json.loads((SDK_NODEJS / "package.json").read_text())["name"]
    assert f'from "{package}"' in blocks["typescript"]
    ts_names = _typescript_names()
    used = re.findall(r"\bmixpeek\.(\w+)(?:\.(\w+))?", blocks["typescript"])
    assert [u for u in used if u[0] not in ts_names or (u[1] and u[1] not in ts_names)] == []
    used_go = set(re.findall(r"\bmixpeek\.(\w+)", blocks["go"]))
    assert sorted(used_go - _go_names()) == []


@pytest.mark.parametrize("page", [p for p in PAGES if not python_page(p)] + [
    DOCS / "typescript-and-go.md"], ids=rel)
def test_pages_of_other_languages_name_what_their_sdks_declare(page: Path) -> None:
    """On a TypeScript or Go page, `mixpeek.X` is the SDK's: each block's names are its
    language's; a name in the prose is one of either SDK."""
    if not page.exists():
        pytest.fail(f"{rel(page)} is missing")
    text = page.read_text()
    ts_names, go_names = _typescript_names(), _go_names()
    wrong = []
    for block in code_blocks(text):
        known = {"typescript": ts_names, "ts": ts_names, "go": go_names}.get(block.lang)
        if known is not None:
            wrong += [n for n in re.findall(r"\bmixpeek\.(\w+)", block.text) if n not in known]
    for code in inline_code(text):
        wrong += [n for n in re.findall(r"(?<![\w./])mixpeek\.(\w+)", code)
                  if n not in ts_names | go_names]
    assert sorted(set(wrong)) == [], f"{rel(page)} names what neither SDK declares"
