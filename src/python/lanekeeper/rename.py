"""Rewrite legacy module names to canonical ones (`matriz` -> `MATRIZ`), losslessly, with libcst.

`renames` maps a legacy module to its canonical one; dotted names work too
(`{"candidate.memory_index": "core.memory_index"}`). A legacy name `a.b` matches the module
`a.b` and everything under it (`a.b.c`), never `a.bc` or `a`. What is rewritten:

- `import` statements (`import matriz.a as m`, `import os, matriz`), wherever they are;
- `from` statements whose module is legacy (`from matriz.a import x`, `from matriz import *`),
  and, for a dotted legacy name, `from a import b` that imports the legacy module `a.b` itself
  (it becomes `from <canonical parent> import <canonical last> [as b]`);
- every use of a name bound by a plain `import matriz...` (no `as`): `matriz.a.f()`, resolved
  with libcst's scope analysis, so a parameter or local variable named `matriz` is left alone;
- with `rewrite_strings`, string literals whose whole value is a legacy dotted name
  (`importlib.import_module("matriz.a")`, `mock.patch("matriz.a.f")`). They are always
  reported in `dynamic`, since they are references that imports-only tools miss.

Look-alikes are never touched: `matriz_utils`, `mymatriz`, `x.matriz`, relative imports,
`MATRIZ` itself, and strings that merely contain the word.

Most files never use a legacy name in code, so a byte search (`migration.may_mention`) decides
first whether the file is parsed at all; scope analysis (the expensive part) runs only for
files that have a plain `import <legacy>`.
"""

from __future__ import annotations

import ast
import re
from typing import Iterable, Mapping, Optional, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    BaseAssignment,
    CodeRange,
    ImportAssignment,
    MetadataWrapper,
    PositionProvider,
    ScopeProvider,
)

from lanekeeper.kernel.source_text import decode_source
from lanekeeper.migration import (
    CHANGED,
    ERROR,
    KIND_IMPORT,
    KIND_IMPORT_FROM,
    KIND_STRING,
    KIND_USE_SITE,
    UNCHANGED,
    Change,
    RewriteResult,
    may_import_plainly,
    may_mention,
)

DEFAULT_RENAMES: Mapping[str, str] = {"matriz": "MATRIZ"}

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# String prefixes whose literal text is the value itself (no bytes, no f-strings).
_PLAIN_PREFIXES = ("", "r", "u")

_NameNode = Union[cst.Name, cst.Attribute]


def rewrite_source(
    path: str, source: bytes, renames: Mapping[str, str], rewrite_strings: bool = False
) -> RewriteResult:
    """Rewrite legacy module names in one file's `source`. Never raises: errors are results."""
    return _rewrite(path, source, renames, rewrite_strings, use_sites=True)


def legacy_imports(path: str, source: bytes, renames: Mapping[str, str]) -> tuple[Change, ...]:
    """The legacy import statements of `source` (kinds `import` and `import-from`), by line.

    A file that cannot be decoded or parsed has none (`rewrite_source` reports why).
    """
    result = _rewrite(path, source, renames, rewrite_strings=False, use_sites=False)
    return tuple(c for c in result.changes if c.kind in (KIND_IMPORT, KIND_IMPORT_FROM))


def _legacy_key(name: str, renames: Mapping[str, str]) -> Optional[str]:
    """The longest legacy name that `name` is or is under, or None."""
    best: Optional[str] = None
    for legacy in renames:
        if name == legacy or name.startswith(legacy + "."):
            if best is None or len(legacy) > len(best):
                best = legacy
    return best


def _renamed(name: str, renames: Mapping[str, str]) -> Optional[str]:
    legacy = _legacy_key(name, renames)
    return None if legacy is None else renames[legacy] + name[len(legacy) :]


def _rewrite(
    path: str,
    source: bytes,
    renames: Mapping[str, str],
    rewrite_strings: bool,
    use_sites: bool,
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
        return _transform(path, source, module, renames, rewrite_strings, use_sites)
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
    use_sites: bool,
) -> RewriteResult:
    # The module was parsed just now and is not shared, so the defensive deep copy is waste.
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    targets: frozenset[int] = frozenset()
    # Scope analysis is the costly part; most legacy imports are `from` imports, without it.
    if use_sites and may_import_plainly(source, renames):
        finder = _PlainImportFinder(renames)
        wrapper.module.visit(finder)
        if finder.found:
            targets = _use_site_roots(wrapper, renames)
    transformer = _Renamer(renames, positions, targets, rewrite_strings)
    new_module = wrapper.module.visit(transformer)
    changes = tuple(sorted(transformer.changes, key=lambda c: c.line))
    dynamic = tuple(sorted(transformer.dynamic, key=lambda c: c.line))
    new_source = new_module.bytes
    if new_source == source:
        return RewriteResult(path, UNCHANGED, changes=changes, dynamic=dynamic)
    return RewriteResult(path, CHANGED, new_source, changes, dynamic)


class _PlainImportFinder(cst.CSTVisitor):
    """Finds whether any `import <legacy>...` binds the legacy top-level name (no `as`)."""

    def __init__(self, renames: Mapping[str, str]) -> None:
        super().__init__()
        self.renames = renames
        self.found = False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = get_full_name_for_node(alias.name)
            if alias.asname is None and name and _legacy_key(name, self.renames):
                self.found = True


def _use_site_roots(wrapper: MetadataWrapper, renames: Mapping[str, str]) -> frozenset[int]:
    """ids of the Name nodes that refer only to plain `import <legacy>...` statements.

    Such a name is the root of a use site; a parameter, local variable or other import of the
    same name resolves elsewhere and is left alone. Where a name may refer to a plain import
    or to something else (assigned on one branch), it is left alone too: rewriting it would
    be a guess.
    """
    roots: set[int] = set()
    scopes = wrapper.resolve(ScopeProvider)
    for scope in set(scopes.values()):
        if scope is None:
            continue
        for access in scope.accesses:
            # libcst names the access by the node that spells the binding: `matriz`, or for
            # `import matriz.a.b` (depending on its version) the whole `matriz.a.b`.
            root = _chain_root(access.node)
            if root is None or not access.referents:
                continue
            if _all_plain_legacy_imports(root.value, access.referents, renames):
                roots.add(id(root))
    return frozenset(roots)


def _all_plain_legacy_imports(
    root: str, referents: Iterable[BaseAssignment], renames: Mapping[str, str]
) -> bool:
    """Whether every assignment binds `root` by a plain `import` (no `as`), one of a legacy name."""
    any_legacy = False
    for assignment in referents:
        if not isinstance(assignment, ImportAssignment):
            return False
        statement = assignment.node
        if not isinstance(statement, cst.Import):
            return False
        plain = [
            name
            for name in (get_full_name_for_node(alias.name) or "" for alias in statement.names)
            if name.split(".")[0] == root
        ]
        binds = any(
            alias.asname is None and (get_full_name_for_node(alias.name) or "") in plain
            for alias in statement.names
        )
        if not binds:
            return False  # `import matriz as matriz`, or a binding we do not understand
        if any(_legacy_key(name, renames) for name in plain):
            any_legacy = True
    return any_legacy


def _dotted_node(name: str) -> _NameNode:
    """`a.b.c` as the CST expression libcst builds for it."""
    parts = name.split(".")
    node: _NameNode = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _chain_root(node: cst.BaseExpression) -> Optional[cst.Name]:
    """The Name at the root of a pure `a.b.c` chain, or None if the chain holds anything else."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return node if isinstance(node, cst.Name) else None


class _Renamer(cst.CSTTransformer):
    """Rewrites imports, use sites and (optionally) strings, recording each change."""

    def __init__(
        self,
        renames: Mapping[str, str],
        positions: Mapping[cst.CSTNode, CodeRange],
        targets: frozenset[int],
        rewrite_strings: bool,
    ) -> None:
        super().__init__()
        self.renames = renames
        self.positions = positions
        self.targets = targets
        self.rewrite_strings = rewrite_strings
        self.changes: list[Change] = []
        self.dynamic: list[Change] = []
        # ids of Name/Attribute nodes that are the `.value` of an Attribute: not chain tops.
        self._inner: set[int] = set()
        # Import names are not use sites, even when they spell the same dotted name.
        self._in_import = 0
        # Statements to add after the current simple statement line (split `from` imports).
        self._split = False

    def _line(self, node: cst.CSTNode) -> int:
        position = self.positions.get(node)
        return position.start.line if position is not None else 0

    # --- import statements -------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        self._in_import += 1

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        self._in_import -= 1
        names = []
        for original, alias in zip(original_node.names, updated_node.names):
            name = get_full_name_for_node(alias.name)
            new = _renamed(name, self.renames) if name else None
            if name and new and new != name:
                alias = alias.with_changes(name=_dotted_node(new))
                self.changes.append(Change(self._line(original.name), KIND_IMPORT, name, new))
            names.append(alias)
        return updated_node.with_changes(names=names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._in_import += 1

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> Union[cst.BaseSmallStatement, cst.FlattenSentinel[cst.BaseSmallStatement]]:
        self._in_import -= 1
        if updated_node.relative or updated_node.module is None:
            return updated_node  # relative imports name the package's own modules
        module = get_full_name_for_node(updated_node.module) or ""
        new = _renamed(module, self.renames)
        if new is not None and new != module:
            line = self._line(original_node.module or original_node)
            self.changes.append(Change(line, KIND_IMPORT_FROM, module, new))
            return updated_node.with_changes(module=_dotted_node(new))
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        return self._from_parent(original_node, updated_node, module)

    def _from_parent(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom, module: str
    ) -> Union[cst.BaseSmallStatement, cst.FlattenSentinel[cst.BaseSmallStatement]]:
        """`from a import b` where `a.b` itself is legacy: import it from its new home."""
        assert not isinstance(updated_node.names, cst.ImportStar)
        kept: list[cst.ImportAlias] = []
        moved: list[cst.BaseSmallStatement] = []
        for original, alias in zip(original_node.names, updated_node.names):  # type: ignore
            imported = get_full_name_for_node(alias.name) or ""
            full = f"{module}.{imported}"
            new = self.renames.get(full)
            if new is None or new == full:
                kept.append(alias)
                continue
            local = alias.asname.name.value if alias.asname is not None else imported  # type: ignore
            moved.append(_import_as(new, local))
            self.changes.append(Change(self._line(original.name), KIND_IMPORT_FROM, full, new))
        if not moved:
            return updated_node
        if not kept:
            if len(moved) == 1:
                return moved[0]
            self._split = True
            return cst.FlattenSentinel(moved)
        # The last kept name must not keep a trailing comma that separated it from a moved one.
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self._split = True
        return cst.FlattenSentinel([updated_node.with_changes(names=kept), *moved])

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Union[cst.BaseStatement, cst.FlattenSentinel[cst.BaseStatement]]:
        """One statement per line again after a split `from` import, comments on the first."""
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

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._inner.add(id(node.value))

    def leave_Name(
        self, original_node: cst.Name, updated_node: cst.Name
    ) -> Union[cst.Name, cst.Attribute]:
        return self._use_site(original_node, updated_node)  # type: ignore[return-value]

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> Union[cst.Name, cst.Attribute]:
        return self._use_site(original_node, updated_node)  # type: ignore[return-value]

    def _use_site(self, original: _NameNode, updated: _NameNode) -> cst.BaseExpression:
        if self._in_import or not self.targets:
            return updated
        root = _chain_root(original)
        if root is None or id(root) not in self.targets:
            return updated
        name = get_full_name_for_node(original) or ""
        result: cst.BaseExpression = updated
        if name in self.renames and self.renames[name] != name:
            # The node that spells exactly the legacy name: swap in the canonical one.
            result = _dotted_node(self.renames[name])
        if id(original) not in self._inner:
            # The top of the chain: report the whole chain once, if anything in it changed.
            after = get_full_name_for_node(result) or ""
            if after and after != name:
                self.changes.append(Change(self._line(original), KIND_USE_SITE, name, after))
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
        new = _renamed(body, self.renames)
        if new is None or new == body:
            return updated_node
        change = Change(self._line(original_node), KIND_STRING, body, new)
        self.dynamic.append(change)
        if not self.rewrite_strings:
            return updated_node
        self.changes.append(change)
        return updated_node.with_changes(value=f"{prefix}{quote}{new}{quote}")


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
