"""Rewrite legacy module names to canonical ones (`matriz` -> `MATRIZ`), losslessly, with libcst.

`renames` maps a legacy module to its canonical one; dotted names work too
(`{"candidate.memory_index": "core.memory_index"}`). A legacy name `a.b` matches the module
`a.b` and everything under it (`a.b.c`), never `a.bc` or `a`. What is rewritten:

- `import` statements (`import matriz.a as m`, `import os, matriz`), wherever they are;
- `from` statements whose module is legacy (`from matriz.a import x`, `from matriz import *`),
  and, for a dotted legacy name, `from a import b` that imports the legacy module `a.b` itself
  (it becomes `from <canonical parent> import <canonical last> [as b]`);
- every use of a legacy module through a name an import binds (`lanekeeper.rename.legacy_uses`):
  `matriz.a.f()` after `import matriz`, and `candidate.memory_index.f()` after an import of
  the parent package (`import candidate`), which also gets `import core.memory_index`. Scope
  analysis resolves each name, so a parameter or local variable named `matriz` is left alone;
- with `rewrite_strings`, string literals whose whole value is a legacy dotted name
  (`importlib.import_module("matriz.a")`, `mock.patch("matriz.a.f")`). They are always
  reported in `dynamic`, since they are references that imports-only tools miss, as are the
  uses no rewrite can follow (`getattr(candidate, "memory_index")`).

Look-alikes are never touched: `matriz_utils`, `mymatriz`, `x.matriz`, relative imports,
`MATRIZ` itself, and strings that merely contain the word.

This is also the one legacy-import detector: import-health and `matriz-migrate --check` both
count a result's `legacy_references`. Most files never use a legacy name in code, so a byte
search (`migration.may_mention`) decides first whether the file is parsed at all; scope analysis
(the expensive part) runs only for files with an import that can bind such a name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Mapping, Union

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, ScopeProvider

from lanekeeper.kernel.source_text import decode_source
from lanekeeper.rename.legacy_uses import (
    Found,
    ImportScan,
    UsePlan,
    holds_statements,
    plan_uses,
    renamed,
)
from lanekeeper.rename.migration import (
    CHANGED,
    DEFAULT_RENAMES,
    ERROR,
    KIND_IMPORT,
    KIND_IMPORT_FROM,
    KIND_STRING,
    UNCHANGED,
    Change,
    RewriteResult,
    may_bind_legacy_path,
    may_mention,
)

__all__ = ["DEFAULT_RENAMES", "legacy_references", "rewrite_source"]

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# String prefixes whose literal text is the value itself (no bytes, no f-strings).
_PLAIN_PREFIXES = ("", "r", "u")

_NameNode = Union[cst.Name, cst.Attribute]
_SmallStatements = Union[
    cst.BaseSmallStatement, cst.FlattenSentinel[cst.BaseSmallStatement], cst.RemovalSentinel
]


def rewrite_source(
    path: str, source: bytes, renames: Mapping[str, str], rewrite_strings: bool = False
) -> RewriteResult:
    """Rewrite legacy module names in one file's `source`. Never raises: errors are results."""
    return _rewrite(path, source, renames, rewrite_strings, rewrite=True)


def legacy_references(path: str, source: bytes, renames: Mapping[str, str]) -> RewriteResult:
    """The one legacy-import detector, for import-health: `rewrite_source` run to count, not to
    rewrite. Its `legacy_references` are the rewrite's, which `matriz-migrate --check` counts.

    It skips the work whose output is not counted: building the new source (`new_source` is
    None, `status` `unchanged` unless `error`), string references (`dynamic` may miss them),
    and the scope analysis that renames the uses of a plain `import <legacy>` (`matriz.a.f()`)
    when no import binds a package above a legacy module (never, for a top-level rename such
    as `matriz` -> `MATRIZ`).
    """
    return _rewrite(path, source, renames, rewrite_strings=False, rewrite=False)


def _rewrite(
    path: str, source: bytes, renames: Mapping[str, str], rewrite_strings: bool, rewrite: bool
) -> RewriteResult:
    decoded = decode_source(source)
    if decoded.text is None:
        return RewriteResult(path, ERROR, error=decoded.error)
    text = decoded.text
    if not may_mention(source, renames):
        return RewriteResult(path, UNCHANGED)
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as e:
        return RewriteResult(path, ERROR, error=_syntax_error(text, e))
    try:
        return _transform(path, source, module, renames, rewrite_strings, rewrite)
    except Exception as e:  # noqa: BLE001 - a finding for this file, never a crash of the run
        return RewriteResult(path, ERROR, error=f"internal error: {type(e).__name__}: {e}")


def _syntax_error(text: str, error: cst.ParserSyntaxError) -> str:
    """`line N: message`, with CPython's line and message when it rejects the file too.

    libcst reports where its tokenizer noticed the problem, often a line late.
    """
    try:
        ast.parse(text)
    except SyntaxError as e:
        return f"line {e.lineno}: {e.msg}"
    except Exception:  # noqa: BLE001 - fall back to libcst's own message
        pass
    message = error.message.replace("parser error: ", "", 1)
    return f"line {error.raw_line}: {message}"


def _transform(
    path: str,
    source: bytes,
    module: cst.Module,
    renames: Mapping[str, str],
    rewrite_strings: bool,
    rewrite: bool,
) -> RewriteResult:
    # The module was parsed just now and is not shared, so the defensive deep copy is waste.
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    plan = UsePlan()
    # Scope analysis costs five parses; most legacy imports are `from` imports, without it.
    if may_bind_legacy_path(source, renames):
        imports = ImportScan(renames)
        wrapper.module.visit(imports)
        if imports.above_legacy or (rewrite and imports.plain_legacy):
            plan = plan_uses(
                wrapper.module,
                wrapper.resolve(ScopeProvider),
                imports,
                renames,
                keep_imports=path.rsplit("/", 1)[-1] == "__init__.py",
            )
    # Counting needs no expression visited unless the plan rewrites uses in them.
    imports_only = not rewrite and not plan.replace
    transformer = _Renamer(renames, plan, rewrite_strings, imports_only)
    new_module = wrapper.module.visit(transformer)
    found = [*transformer.changes, *transformer.dynamic, *plan.dynamic]
    lines = _lines(wrapper.module, {id(f.node) for f in found})
    changes = _changes(transformer.changes, lines)
    dynamic = _changes([*transformer.dynamic, *plan.dynamic], lines)
    if not rewrite:
        return RewriteResult(path, UNCHANGED, changes=changes, dynamic=dynamic)
    new_source = new_module.bytes
    if new_source == source:
        return RewriteResult(path, UNCHANGED, changes=changes, dynamic=dynamic)
    return RewriteResult(path, CHANGED, new_source, changes, dynamic)


def _dotted_node(name: str) -> _NameNode:
    """`a.b.c` as the CST expression libcst builds for it."""
    parts = name.split(".")
    node: _NameNode = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _changes(found: list[Found], lines: Mapping[int, int]) -> tuple[Change, ...]:
    changes = [Change(lines[id(f.node)], f.kind, f.before, f.after) for f in found]
    return tuple(sorted(changes, key=lambda c: c.line))


@dataclass(frozen=False)
class _LineFinder(CodegenState):
    """Code generation that notes the line where each wanted node starts: what libcst's
    `PositionProvider` gives for every node, at a quarter of its cost. (`CodegenState` has no
    public name; `PositionProvider` extends it the same way.)"""

    wanted: frozenset[int] = frozenset()
    line: int = 1
    lines: dict[int, int] = field(default_factory=dict)

    def add_token(self, value: str) -> None:
        super().add_token(value)
        if "\n" in value or "\r" in value:
            self.line += len(_NEWLINE.findall(value))

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self.lines.setdefault(id(node), self.line)


_NEWLINE = re.compile(r"\r\n?|\n")


def _lines(module: cst.Module, wanted: set[int]) -> dict[int, int]:
    """The first line of each node of `module` whose id is `wanted`."""
    if not wanted:
        return {}
    state = _LineFinder(module.default_indent, module.default_newline, wanted=frozenset(wanted))
    module._codegen(state)
    return state.lines


class _Renamer(cst.CSTTransformer):
    """Rewrites imports, use sites (as `plan` says) and (optionally) strings, recording each
    change."""

    def __init__(
        self,
        renames: Mapping[str, str],
        plan: UsePlan,
        rewrite_strings: bool,
        imports_only: bool = False,
    ) -> None:
        super().__init__()
        self.renames = renames
        self.plan = plan
        self.rewrite_strings = rewrite_strings
        self.imports_only = imports_only
        self.changes: list[Found] = []
        self.dynamic: list[Found] = []
        # Statements to add after the current simple statement line (split `from` imports).
        self._split = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.imports_only and not holds_statements(node):
            return False
        return super().on_visit(node)

    # --- import statements -------------------------------------------------------------

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> _SmallStatements:
        names = []
        for original, alias in zip(original_node.names, updated_node.names):
            if id(original) in self.plan.drop:
                continue
            name = get_full_name_for_node(alias.name)
            new = renamed(name, self.renames) if name else None
            if name and new and new != name:
                alias = alias.with_changes(name=_dotted_node(new))
                self.changes.append(Found(original.name, KIND_IMPORT, name, new))
            names.append(alias)
        if len(names) < len(updated_node.names):
            names = _without_trailing_comma(names) if names else []
        kept: list[cst.BaseSmallStatement] = (
            [updated_node.with_changes(names=names)] if names else []
        )
        return self._with_added(original_node, kept)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> _SmallStatements:
        if updated_node.relative or updated_node.module is None or original_node.module is None:
            return updated_node  # relative imports name the package's own modules
        module = get_full_name_for_node(updated_node.module) or ""
        new = renamed(module, self.renames)
        if new is not None and new != module:
            self.changes.append(Found(original_node.module, KIND_IMPORT_FROM, module, new))
            return updated_node.with_changes(module=_dotted_node(new))
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        return self._with_added(
            original_node, self._from_parent(original_node, updated_node, module)
        )

    def _from_parent(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom, module: str
    ) -> list[cst.BaseSmallStatement]:
        """`from a import b` where `a.b` itself is legacy: import it from its new home."""
        assert not isinstance(updated_node.names, cst.ImportStar)
        kept: list[cst.ImportAlias] = []
        moved: list[cst.BaseSmallStatement] = []
        for original, alias in zip(original_node.names, updated_node.names):  # type: ignore
            if id(original) in self.plan.drop:
                continue
            imported = get_full_name_for_node(alias.name) or ""
            full = f"{module}.{imported}"
            new = self.renames.get(full)
            if new is None or new == full:
                kept.append(alias)
                continue
            local = alias.asname.name.value if alias.asname is not None else imported  # type: ignore
            moved.append(_import_as(new, local))
            self.changes.append(Found(original.name, KIND_IMPORT_FROM, full, new))
        if kept and len(kept) == len(updated_node.names):
            return [updated_node]
        if not kept:
            return moved
        return [updated_node.with_changes(names=_without_trailing_comma(kept)), *moved]

    def _with_added(
        self,
        original_node: Union[cst.Import, cst.ImportFrom],
        statements: list[cst.BaseSmallStatement],
    ) -> _SmallStatements:
        """`statements` (what became of `original_node`), then the imports the plan adds."""
        added = [_import(m) for m in self.plan.add_after.get(id(original_node), ())]
        statements = [*statements, *added]
        if not statements:
            # Every name dropped and the canonical import already there (libcst writes `pass`
            # into a block this leaves empty).
            return cst.RemoveFromParent()
        if len(statements) == 1:
            return statements[0]
        self._split = True
        return cst.FlattenSentinel(statements)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement]]:
        """One statement per line again after a split import, comments on the first."""
        if not self._split:
            return updated_node
        self._split = False
        if len(original_node.body) != 1:
            return updated_node  # `a; from x import y`: semicolons are the line's own style
        body = [s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s in updated_node.body]
        first = updated_node.with_changes(body=[body[0]])
        rest = [cst.SimpleStatementLine(body=[statement]) for statement in body[1:]]
        return cst.FlattenSentinel([first, *rest])

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        # `if x: from a import b, c` stays one line: semicolons are all a suite can hold.
        self._split = False
        return updated_node

    # --- use sites ---------------------------------------------------------------------

    def leave_Name(
        self, original_node: cst.Name, updated_node: cst.Name
    ) -> Union[cst.Name, cst.Attribute]:
        return self._use_site(original_node, updated_node)  # type: ignore[return-value]

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> Union[cst.Name, cst.Attribute]:
        return self._use_site(original_node, updated_node)  # type: ignore[return-value]

    def _use_site(self, original: _NameNode, updated: _NameNode) -> cst.BaseExpression:
        result: cst.BaseExpression = updated
        new = self.plan.replace.get(id(original))
        if new is not None:
            result = _dotted_node(new)
        kind = self.plan.tops.get(id(original))
        if kind is not None:
            # The top of a rewritten chain: report the whole chain once.
            before, after = get_full_name_for_node(original), get_full_name_for_node(result)
            if before and after and after != before:
                self.changes.append(Found(original, kind, before, after))
        return result

    # --- string references -------------------------------------------------------------

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        prefix = updated_node.prefix
        if prefix.lower() not in _PLAIN_PREFIXES:
            return updated_node
        quote = updated_node.quote
        body = updated_node.value[len(prefix) + len(quote) : -len(quote)]
        if not _DOTTED.fullmatch(body):
            return updated_node
        new = renamed(body, self.renames)
        if new is None or new == body:
            return updated_node
        change = Found(original_node, KIND_STRING, body, new)
        self.dynamic.append(change)
        if not self.rewrite_strings:
            return updated_node
        self.changes.append(change)
        return updated_node.with_changes(value=f"{prefix}{quote}{new}{quote}")


def _without_trailing_comma(names: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """The last name must not keep a comma that separated it from a name taken out."""
    return [*names[:-1], names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def _import(module: str) -> cst.Import:
    return cst.Import(names=[cst.ImportAlias(name=_dotted_node(module))])


def _import_as(module: str, local: str) -> cst.BaseSmallStatement:
    """The statement that binds `local` to `module`: `from p import m [as local]`."""
    parent, _, last = module.rpartition(".")
    asname = None if last == local else cst.AsName(name=cst.Name(local))
    if not parent:
        return cst.Import(names=[cst.ImportAlias(name=cst.Name(last), asname=asname)])
    return cst.ImportFrom(
        module=_dotted_node(parent),
        names=[cst.ImportAlias(name=cst.Name(last), asname=asname)],
    )
