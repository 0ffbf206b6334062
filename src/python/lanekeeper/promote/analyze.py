"""Per-file checks of the promote gates: the analyzer's `promote` analysis.

It runs on the repo's own interpreter and gives `{"path", "syntax_error", "missing_docstrings"}`
per file. A file that does not compile (`compile()`, what `py_compile` does) or is not UTF-8 is
reported as data, never a crash.
"""

from __future__ import annotations

import ast
from typing import Any, Optional, Sequence, Union

_Definition = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef]


def _is_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def missing_docstrings(path: str, tree: ast.Module) -> list[dict[str, Any]]:
    """Public module, classes, functions and methods (one level into classes) without one."""
    missing: list[dict[str, Any]] = []
    module_name = path.rsplit("/", 1)[-1][:-3]
    if _is_public(module_name) and ast.get_docstring(tree) is None:
        missing.append({"line": 1, "kind": "module", "name": module_name})

    def visit(nodes: Sequence[ast.stmt], prefix: str) -> None:
        for node in nodes:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if not _is_public(node.name):
                continue
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            if prefix:
                kind = "method"
            if ast.get_docstring(node) is None:
                missing.append({"line": node.lineno, "kind": kind, "name": prefix + node.name})
            if isinstance(node, ast.ClassDef) and not prefix:
                visit(node.body, node.name + ".")

    visit(tree.body, "")
    return missing


def analyze_file(path: str, data: bytes) -> dict[str, Any]:
    syntax_error: Optional[dict[str, Any]] = None
    missing: list[dict[str, Any]] = []
    try:
        source = data.decode("utf-8")
        compile(source, path, "exec", dont_inherit=True)
        missing = missing_docstrings(path, ast.parse(source, path))
    except UnicodeDecodeError as e:
        syntax_error = {"line": 1, "message": f"not UTF-8: {e.reason} at byte {e.start}"}
    except SyntaxError as e:
        syntax_error = {"line": e.lineno or 1, "message": f"SyntaxError: {e.msg}"}
    return {"path": path, "syntax_error": syntax_error, "missing_docstrings": missing}
