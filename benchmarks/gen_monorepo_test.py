"""Tests for benchmarks/gen_monorepo.py.

The generated repository is checked *independently* of the generator's own
bookkeeping: every expectation below is recomputed from the written files with
``ast`` and ``tokenize`` and compared with ``planted.json``.
"""

from __future__ import annotations

import ast
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

import pytest
from gen_monorepo import DEFAULTS, Repo

from lanekeeper import testing as demo

GEN = Path(__file__).resolve().with_name("gen_monorepo.py")
# The fewest files the generator takes: enough for the command-line behaviours.
SMALL = 100

# The lane policy, from its one definition (not imported from the generator).
LANES = list(demo.LANES)
LIBRARIES = list(demo.LIBRARIES)
ALL_LANES = LANES + LIBRARIES
ALLOWED = {lane: set(demo.ALLOWED_IMPORTS.get(lane, ())) for lane in ALL_LANES}


def run_gen(out: Path, *args: str, files: int = 400) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(GEN), "--out", str(out), "--files", str(files), *args]
    return subprocess.run(cmd, capture_output=True, text=True)


def gen_ok(out: Path, *args: str, files: int = 400) -> None:
    proc = run_gen(out, *args, files=files)
    assert proc.returncode == 0, proc.stderr


class Scanned:
    """All generated files, parsed once."""

    def __init__(self, root: Path, shape: str = "uniform") -> None:
        self.root = root
        self.shape = shape
        self.manifest = json.loads((root / "planted.json").read_text(encoding="utf-8"))
        self.lanes = json.loads((root / "lanes.json").read_text(encoding="utf-8"))
        self.files: Dict[str, str] = {}  # rel path -> source
        self.trees: Dict[str, ast.Module] = {}
        self.module_of: Dict[str, str] = {}  # rel path -> dotted module
        self.is_pkg: Dict[str, bool] = {}
        for dirpath, dirnames, filenames in os.walk(root / "src"):
            dirnames.sort()
            for fn in sorted(filenames):
                if not fn.endswith(".py"):
                    continue
                full = Path(dirpath) / fn
                rel = full.relative_to(root).as_posix()
                src = full.read_text(encoding="utf-8")
                self.files[rel] = src
                self.trees[rel] = ast.parse(src, filename=rel)
                parts = rel[len("src/") : -len(".py")].split("/")
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                    self.is_pkg[rel] = True
                else:
                    self.is_pkg[rel] = False
                self.module_of[rel] = ".".join(parts)
        self.modules: Set[str] = set(self.module_of.values())

    def resolve(self, rel: str, node: ast.AST) -> List[Tuple[str, bool]]:
        """Target module names of an import node (known module, or raw name)."""
        out: List[Tuple[str, bool]] = []
        if isinstance(node, ast.Import):
            for alias in node.names:
                out.append((self._known_prefix(alias.name), alias.name.split(".")[0] in ALL_LANES))
            return out
        assert isinstance(node, ast.ImportFrom)
        if node.level:
            pkg = self.module_of[rel] if self.is_pkg[rel] else self.module_of[rel].rsplit(".", 1)[0]
            for _ in range(node.level - 1):
                pkg = pkg.rsplit(".", 1)[0]
            base = pkg + ("." + node.module if node.module else "")
        else:
            base = node.module or ""
        for alias in node.names:
            cand = base + "." + alias.name
            out.append(
                (
                    cand if cand in self.modules else self._known_prefix(base),
                    base.split(".")[0] in ALL_LANES,
                )
            )
        return out

    def _known_prefix(self, dotted: str) -> str:
        parts = dotted.split(".")
        for n in range(len(parts), 0, -1):
            cand = ".".join(parts[:n])
            if cand in self.modules:
                return cand
        return dotted


# Each shape once: the checks below hold for any size (the realistic shape's statistics at the
# measured monorepo's size are checked on its layout alone, without writing 10,000 files).
@pytest.fixture(
    scope="module",
    params=[(400, 7, "uniform"), (1500, 5, "realistic")],
    ids=["400files", "1500files-realistic"],
)
def repo(request, tmp_path_factory) -> Scanned:
    files, seed, shape = request.param
    out = tmp_path_factory.mktemp("gen") / "repo"
    gen_ok(out, "--seed", str(seed), "--shape", shape, files=files)
    return Scanned(out, shape)


# --------------------------------------------------------------------------- structure


def test_layout_and_counts(repo: Scanned) -> None:
    m = repo.manifest
    assert m["files"] == len(repo.files) == m["generator"]["files_requested"]
    per_lane: Dict[str, int] = {lane: 0 for lane in ALL_LANES}
    for rel in repo.files:
        per_lane[rel.split("/")[1]] += 1
    assert m["per_lane_files"] == per_lane
    assert list(m) == [
        "generator",
        "source_root",
        "files",
        "per_lane_files",
        "lane_violations",
        "cycles",
        "e402",
        "legacy_imports",
        "runtime_imports",
        "todos",
        "decoys",
        "warnings",
        "counts",
    ]
    assert m["warnings"] == []
    assert m["generator"]["shape"] == repo.shape
    # every directory holding .py files is a package with a BUILD file
    dirs = {os.path.dirname(rel) for rel in repo.files}
    for d in dirs:
        assert (repo.root / d / "__init__.py").is_file(), d
        assert (repo.root / d / "BUILD").read_text() == "python_sources()\n"
    for rel in repo.files:  # module paths in the manifest are POSIX, relative to DIR
        assert rel.startswith("src/")


def py_files_per_directory(root: Path) -> List[int]:
    sizes = []
    for _, _, filenames in os.walk(root / "src"):
        n = sum(1 for fn in filenames if fn.endswith(".py"))
        if n:
            sizes.append(n)
    return sorted(sizes)


def test_realistic_shape_matches_the_measured_monorepo() -> None:
    # The real monorepo: 9,159 files in 2,065 directories, median 2, 90th percentile 7,
    # 558 single-file directories, the largest 602. The generator writes each module at its
    # `path` (`repo` above checks the written files), so the layout is read from the plan.
    repo = Repo(10000, 0, dict(DEFAULTS), "realistic")
    repo.plant()
    per_directory = Counter(os.path.dirname(module.path) for module in repo.modules)
    sizes = sorted(per_directory.values())
    assert sum(sizes) == 10000
    assert 1900 <= len(sizes) <= 2150
    assert sizes[len(sizes) // 2] == 2
    assert sizes[int(len(sizes) * 0.9)] == 7
    assert 500 <= sizes.count(1) <= 600
    assert sizes[-1] == 600
    assert repo.warnings == []


def test_uniform_shape_is_the_default(tmp_path: Path) -> None:
    gen_ok(tmp_path / "u", "-q")
    sizes = py_files_per_directory(tmp_path / "u")
    # Packages of about 25 files; the 7 lane roots hold only their __init__.py.
    assert sizes[:7] == [1] * 7
    assert all(10 <= n <= 40 for n in sizes[7:])
    manifest = json.loads((tmp_path / "u" / "planted.json").read_text())
    assert manifest["generator"]["shape"] == "uniform"


def test_lanes_json(repo: Scanned) -> None:
    cfg = repo.lanes
    assert cfg["order"] == LANES
    assert cfg["libraries"] == LIBRARIES
    assert cfg["production"] == ["core", "lukhas", "products"]
    assert cfg["paths"] == {lane: ["src/%s/**" % lane] for lane in ALL_LANES}
    assert {k: set(v) for k, v in cfg["allowed_imports"].items()} == ALLOWED


def test_every_file_parses_and_module_docstring(repo: Scanned) -> None:
    for rel, tree in repo.trees.items():
        compile(tree, rel, "exec")
        assert ast.get_docstring(tree), rel


def test_generated_imports_are_module_level(repo: Scanned) -> None:
    for rel, tree in repo.trees.items():
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                relative = isinstance(node, ast.ImportFrom) and bool(node.level)
                if relative or any(is_lane for _, is_lane in repo.resolve(rel, node)):
                    assert id(node) in top, (rel, node.lineno)


def test_matriz_is_mirrored_in_MATRIZ(repo: Scanned) -> None:
    legacy = [mod for mod in repo.modules if mod.split(".")[0] == "matriz"]
    assert legacy
    for mod in legacy:
        assert "MATRIZ" + mod[len("matriz") :] in repo.modules, mod


# --------------------------------------------------------------------------- lane violations


def test_lane_violations_exact(repo: Scanned) -> None:
    found = set()
    for rel, tree in repo.trees.items():
        importer = rel.split("/")[1]
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target, _ in repo.resolve(rel, node):
                lane = target.split(".")[0]
                if lane in ALL_LANES and lane != importer and lane not in ALLOWED[importer]:
                    found.add((rel, node.lineno, node.col_offset + 1, importer, lane, target))
    planted = {
        (
            v["file"],
            v["line"],
            v["col"],
            v["importer_lane"],
            v["imported_lane"],
            v["imported_module"],
        )
        for v in repo.manifest["lane_violations"]
    }
    assert len(planted) == len(repo.manifest["lane_violations"])
    assert found == planted
    assert planted, "expected some planted violations"
    forms = {v["form"] for v in repo.manifest["lane_violations"]}
    if len(planted) >= 10:
        assert forms == {"import", "from", "from_module"}


# --------------------------------------------------------------------------- cycles


def tarjan(graph: Dict[str, Set[str]]) -> List[List[str]]:
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack: Set[str] = set()
    stack: List[str] = []
    comps: List[List[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(graph[root])))]
        while work:
            v, it = work[-1]
            descended = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    descended = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(comp)
    return comps


def import_graph(repo: Scanned) -> Dict[str, Set[str]]:
    graph: Dict[str, Set[str]] = {mod: set() for mod in repo.modules}
    for rel, tree in repo.trees.items():
        src = repo.module_of[rel]
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target, _ in repo.resolve(rel, node):
                    if target in repo.modules:
                        graph[src].add(target)
    return graph


def test_tarjan_helper() -> None:
    g = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert sorted(sorted(c) for c in tarjan(g) if len(c) > 1) == [["a", "b", "c"]]


def test_cycles_exact(repo: Scanned) -> None:
    graph = import_graph(repo)
    nontrivial = {frozenset(c) for c in tarjan(graph) if len(c) > 1}
    assert not any(mod in graph[mod] for mod in graph), "self-import"
    planted = repo.manifest["cycles"]
    nodes = [mod for cycle in planted for mod in cycle]
    assert len(nodes) == len(set(nodes)), "planted cycles must not share modules"
    assert nontrivial == {frozenset(c) for c in planted}
    for cycle in planted:
        assert 2 <= len(cycle) <= 4
        assert len({c.split(".")[0] for c in cycle}) == 1, "cycle within one lane"
        for i, mod in enumerate(cycle):
            assert cycle[(i + 1) % len(cycle)] in graph[mod], (mod, cycle)
    assert len(planted) == 20
    assert any(c[0].split(".")[0] in ("core", "lukhas", "products") for c in planted)


# --------------------------------------------------------------------------- E402


def is_sys_path_call(stmt: ast.stmt) -> bool:
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "path"
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id == "sys"
    )


def is_dunder_assign(stmt: ast.stmt) -> bool:
    targets: List[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    return bool(targets) and all(
        isinstance(t, ast.Name) and t.id.startswith("__") and t.id.endswith("__") for t in targets
    )


def e402_lines(tree: ast.Module) -> List[int]:
    """Module-level imports after code, with ruff's notion of 'code'."""
    flagged: List[int] = []
    seen_code = False
    docstring_allowed = True
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            docstring_allowed = False
            if seen_code and not (isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"):
                flagged.append(stmt.lineno)
            continue
        if (
            docstring_allowed
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            docstring_allowed = False
            continue
        docstring_allowed = False
        if (
            is_sys_path_call(stmt)
            or is_dunder_assign(stmt)
            or isinstance(stmt, (ast.If, ast.Try, ast.With))
        ):
            continue  # not an import boundary for ruff's E402
        seen_code = True
    return flagged


def comments_by_line(src: str) -> Dict[int, List[str]]:
    out: Dict[int, List[str]] = {}
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            out.setdefault(tok.start[0], []).append(tok.string)
    return out


def noqa_kind(comments: Iterable[str]) -> str:
    for text in comments:
        m = re.match(r"#\s*noqa:\s*E402\b(.*)$", text)
        if m:
            rest = m.group(1).strip()
            return "justified" if rest.startswith("--") and rest[2:].strip() else "unjustified"
    return "none"


def test_e402_exact(repo: Scanned) -> None:
    found = []
    for rel, tree in repo.trees.items():
        lines = e402_lines(tree)
        if lines:
            comments = comments_by_line(repo.files[rel])
            found += [(rel, ln, noqa_kind(comments.get(ln, []))) for ln in lines]
    planted = [(e["file"], e["line"], e["noqa"]) for e in repo.manifest["e402"]]
    assert sorted(found) == sorted(planted)
    assert {k for _, _, k in planted} == {"none", "justified", "unjustified"}
    # the decoys that look like late imports but are not E402 do exist
    assert repo.manifest["decoys"]["try_imports_after_code"] > 0


def test_e402_helper_follows_ruff_rules() -> None:
    src = (
        '"""Doc."""\nfrom __future__ import annotations\nimport sys\n'
        'sys.path.insert(0, "x")\nimport os\n__all__ = ["a"]\nimport json\n'
        "try:\n    import re\nexcept ImportError:\n    re = None\nimport abc\n"
        "X = 1\nimport csv  # noqa: E402\ndef f():\n    import glob\n"
    )
    assert e402_lines(ast.parse(src)) == [14]
    assert e402_lines(ast.parse('"""a"""\n"""b"""\nimport os\n')) == [3]


# --------------------------------------------------------------------------- legacy imports


def test_legacy_imports_exact(repo: Scanned) -> None:
    found = []
    names_per_file: Dict[str, int] = {}
    for rel, tree in repo.trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                legacy = [a for a in node.names if a.name.split(".")[0] == "matriz"]
                if not legacy:
                    continue
                if len(legacy) > 1:
                    form = "import_multi"
                else:
                    form = "import_as" if legacy[0].asname else "import"
                found.append((rel, node.lineno, form, len(legacy)))
            elif (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and node.module
                and node.module.split(".")[0] == "matriz"
            ):
                targets = [node.module + "." + a.name for a in node.names]
                form = "from_module" if all(t in repo.modules for t in targets) else "from"
                found.append((rel, node.lineno, form, 1))
                if form == "from":  # the canonical module must define the imported names
                    canon = "MATRIZ" + node.module[len("matriz") :]
                    canon_rel = "src/" + canon.replace(".", "/") + ".py"
                    defined = {
                        n.name
                        for n in repo.trees[canon_rel].body
                        if isinstance(n, (ast.FunctionDef, ast.ClassDef))
                    }
                    assert {a.name for a in node.names} <= defined
            elif isinstance(node, ast.Name) and node.id == "matriz":
                names_per_file[rel] = names_per_file.get(rel, 0) + 1
    planted = [
        (x["file"], x["line"], x["form"], x["modules_rewritten"])
        for x in repo.manifest["legacy_imports"]
    ]
    assert sorted(found) == sorted(planted)
    assert {f for _, _, f, _ in planted} >= {"import", "import_as", "from", "from_module"}
    usage: Dict[str, int] = {}
    for x in repo.manifest["legacy_imports"]:
        if x["usage_rewrites"]:
            usage[x["file"]] = usage.get(x["file"], 0) + x["usage_rewrites"]
        for mod in x["modules"]:
            assert mod.split(".")[0] == "matriz" and mod in repo.modules
            assert "MATRIZ" + mod[len("matriz") :] in repo.modules
    assert usage == names_per_file
    assert all(x["file"].split("/")[1] != "matriz" for x in repo.manifest["legacy_imports"])


# --------------------------------------------------------------------------- runtime imports


def runtime_pattern(call: ast.Call) -> Optional[str]:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "__import__":
        return "__import__"
    if isinstance(func, ast.Attribute):
        if (
            func.attr == "import_module"
            and isinstance(func.value, ast.Name)
            and func.value.id == "importlib"
        ):
            return "importlib.import_module"
        if (
            func.attr == "insert"
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "path"
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == "sys"
        ):
            return "sys.path.insert"
    return None


def test_runtime_imports_exact(repo: Scanned) -> None:
    found = []
    for rel, tree in repo.trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                pattern = runtime_pattern(node)
                if pattern:
                    found.append((rel, node.lineno, pattern))
                    if pattern != "sys.path.insert":  # targets are real, allowed modules
                        target = node.args[0].value  # type: ignore[attr-defined]
                        assert target in repo.modules
                        lane = target.split(".")[0]
                        importer = rel.split("/")[1]
                        assert lane == importer or lane in ALLOWED[importer]
    planted = [(x["file"], x["line"], x["pattern"]) for x in repo.manifest["runtime_imports"]]
    assert sorted(found) == sorted(planted)
    assert planted


# --------------------------------------------------------------------------- TODOs

STRUCTURED = re.compile(
    r"#\s*(?P<kind>TODO|FIXME)\[(?P<date>[^\]]*)\]\[PRIORITY:(?P<prio>[^\]]*)\]"
    r"\[OWNER:@[\w.-]+\]\[SCOPE:(?P<scope>[^\]]*)\](?:\[ISSUE:\d+\])?\s*:\s*\S"
)


def classify_todo(comment: str) -> Optional[Tuple[str, str, Optional[str]]]:
    m = re.match(r"#\s*(TODO|FIXME)\b", comment)
    if not m:
        return None
    kind = m.group(1)
    if not comment[m.end() :].startswith("["):
        return kind, "plain", None
    s = STRUCTURED.match(comment)
    if not s:
        return kind, "malformed", None
    date_ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.group("date")) is not None
    if date_ok:
        try:
            datetime.date.fromisoformat(s.group("date"))
        except ValueError:
            date_ok = False
    if (
        date_ok
        and s.group("prio") in ("HIGH", "MED", "LOW")
        and s.group("scope") in ("PROD", "CANDIDATE", "DOCS")
    ):
        return kind, "structured", s.group("prio")
    return kind, "malformed", None


def test_todos_exact(repo: Scanned) -> None:
    found = []
    naive = 0
    for rel, src in repo.files.items():
        naive += len(re.findall(r"\b(?:TODO|FIXME)\b", src))
        for line, comments in comments_by_line(src).items():
            for text in comments:
                c = classify_todo(text)
                if c:
                    found.append((rel, line) + c + (rel.split("/")[1],))
    planted = [
        (t["file"], t["line"], t["kind"], t["status"], t["priority"], t["lane"])
        for t in repo.manifest["todos"]
    ]
    assert sorted(found, key=repr) == sorted(planted, key=repr)
    assert {t[3] for t in planted} == {"structured", "malformed", "plain"}
    assert {t[2] for t in planted} == {"TODO", "FIXME"}
    assert naive > len(planted), "TODO decoys inside string literals are expected"


# --------------------------------------------------------------------------- counts


def test_counts_derived_from_lists(repo: Scanned) -> None:
    m = repo.manifest
    c = m["counts"]
    assert c["files"] == m["files"]
    assert c["lane_violations"]["total"] == len(m["lane_violations"])
    assert sum(c["lane_violations"]["per_importer_lane"].values()) == len(m["lane_violations"])
    assert c["cycles"]["total"] == len(m["cycles"])
    assert c["cycles"]["modules"] == sum(len(x) for x in m["cycles"])
    assert c["e402"]["total"] == len(m["e402"]) == sum(c["e402"]["per_noqa"].values())
    assert sum(c["e402"]["per_lane"].values()) == len(m["e402"])
    assert c["legacy_imports"]["total"] == len(m["legacy_imports"])
    assert c["legacy_imports"]["modules_rewritten"] == sum(
        x["modules_rewritten"] for x in m["legacy_imports"]
    )
    assert (
        c["runtime_imports"]["total"]
        == len(m["runtime_imports"])
        == sum(c["runtime_imports"]["per_pattern"].values())
    )
    assert c["todos"]["total"] == len(m["todos"]) == sum(c["todos"]["per_status"].values())
    assert sum(c["todos"]["per_lane"].values()) == len(m["todos"])
    for key in ("lane_violations", "e402", "legacy_imports", "runtime_imports", "todos"):
        items = m[key]
        assert items == sorted(items, key=lambda x: (x["file"], x["line"]))
    # realistic shares: a few percent of files
    n = m["files"]
    assert 0.01 * n <= len({x["file"] for x in m["e402"]}) <= 0.05 * n
    assert 0.02 * n <= len({x["file"] for x in m["todos"]}) <= 0.08 * n


# --------------------------------------------------------------------------- determinism and CLI


def tree_bytes(root: Path) -> Dict[str, bytes]:
    out = {}
    for dirpath, _, filenames in os.walk(root):
        for fn in filenames:
            full = Path(dirpath) / fn
            out[full.relative_to(root).as_posix()] = full.read_bytes()
    return out


def test_deterministic_for_seed(tmp_path: Path) -> None:
    gen_ok(tmp_path / "a", "--seed", "11", files=SMALL)
    gen_ok(tmp_path / "b", "--seed", "11", files=SMALL)
    gen_ok(tmp_path / "c", "--seed", "12", files=SMALL)
    a, b, c = (tree_bytes(tmp_path / x) for x in "abc")
    assert a == b
    assert a.keys() == c.keys()  # same layout for the same --files
    assert a != c
    assert a["planted.json"] != c["planted.json"]
    assert sum(1 for k in a if a[k] != c[k]) > len(a) // 2


def test_refuses_non_empty_dir_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "pants.toml").write_text("[GLOBAL]\n")
    proc = run_gen(out, files=SMALL)
    assert proc.returncode != 0
    assert "non-empty" in proc.stderr and "--force" in proc.stderr
    assert sorted(os.listdir(out)) == ["pants.toml"]
    gen_ok(out, "--force", "--seed", "5", files=SMALL)
    first = tree_bytes(out)
    proc = run_gen(out, "--seed", "5", files=SMALL)
    assert proc.returncode != 0
    # Replaces the previous output, keeps pants.toml.
    gen_ok(out, "--force", "--seed", "5", files=SMALL)
    assert tree_bytes(out) == first
    assert (out / "pants.toml").read_text() == "[GLOBAL]\n"
    gen_ok(tmp_path / "fresh", "--seed", "5", files=SMALL)
    fresh = tree_bytes(tmp_path / "fresh")
    assert {k: v for k, v in first.items() if k != "pants.toml"} == fresh


def test_force_does_not_delete_foreign_src(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "src").mkdir(parents=True)
    (out / "src" / "keep.py").write_text("x = 1\n")
    proc = run_gen(out, "--force", files=SMALL)
    assert proc.returncode != 0
    assert (out / "src" / "keep.py").exists()


def test_rejects_too_few_files(tmp_path: Path) -> None:
    proc = run_gen(tmp_path / "x", files=10)
    assert proc.returncode != 0
    assert "at least" in proc.stderr


def test_options_change_planted_counts(tmp_path: Path) -> None:
    gen_ok(
        tmp_path / "o",
        "--cycles",
        "3",
        "--todo-rate",
        "0",
        "--e402-rate",
        "0",
        "--legacy-rate",
        "0",
        "--runtime-rate",
        "0",
        "--violation-rate",
        "0",
    )
    scanned = Scanned(tmp_path / "o")
    m = scanned.manifest
    assert len(m["cycles"]) == 3
    assert m["todos"] == m["e402"] == m["legacy_imports"] == m["runtime_imports"] == []
    assert m["lane_violations"] == []
    graph = import_graph(scanned)
    assert {frozenset(c) for c in tarjan(graph) if len(c) > 1} == {
        frozenset(c) for c in m["cycles"]
    }


# ------------------------------------------------------------------ optional ruff cross-check


def test_e402_agrees_with_ruff(repo: Scanned) -> None:
    ruff = os.environ.get("RUFF") or shutil.which("ruff")
    if not ruff:
        pytest.skip("ruff not available (set RUFF=/path/to/ruff to enable)")
    proc = subprocess.run(
        [
            ruff,
            "check",
            "--isolated",
            "--select",
            "E402",
            "--ignore-noqa",
            "--output-format",
            "json",
            "--exit-zero",
            "src",
        ],
        cwd=str(repo.root),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    ruff_hits = sorted(
        (
            Path(d["filename"]).resolve().relative_to(repo.root.resolve()).as_posix(),
            d["location"]["row"],
        )
        for d in json.loads(proc.stdout)
    )
    planted = sorted((e["file"], e["line"]) for e in repo.manifest["e402"])
    assert ruff_hits == planted
