"""Where a rename must follow a name: the uses of legacy modules, found with libcst's scopes.

An import binds a name to a module: `import candidate.store` binds `candidate` to the package
`candidate`, `import candidate as c` binds `c` to it, `from pkg import sub` binds `sub` to
`pkg.sub`. A use is an attribute chain on such a name; read through its binding, it names a
module path (`c.memory_index.index.build` is `candidate.memory_index.index.build`). When that
path is under a legacy name, the rewrite must change the use:

- `use-site`: the name is bound by a plain `import <legacy>...` (no `as`), whose rewritten
  form binds the canonical name's first part: the use is renamed with it.
- `parent-use`: the name is bound by an import of a package above the legacy module
  (`import candidate`, `import candidate.store`, `import candidate as c`, `from pkg import
  sub`): the use is rewritten to the canonical module, and `import <canonical>` is added right
  after each import the name may come from. That import is replaced instead of kept only when
  it was there for the moved module alone: it imports a package above it (a sibling such as
  `import candidate.store` is always kept), every use of it is rewritten, no string names it
  (`__all__`), and the file is not a package's `__init__.py` (whose imports are its API).
- `dynamic-use`, reported and never rewritten: a name that may be bound by such an import or
  by something else (`try: import candidate` / `except ImportError: candidate = None`),
  `getattr(candidate, "memory_index")`, `candidate.__dict__`, a package above a legacy module
  used as a value (`f(candidate)`), and a use where the canonical name's first part means
  something else (`def f(core): return candidate.memory_index.x`).

Names bound by anything else (parameters, locals, class attributes, relative imports) are left
alone: scope analysis resolves each use to its bindings. A plain `import candidate.memory_index.x`
binds `candidate` too; once rewritten it binds `core` instead, so when the file also uses
`candidate` for something else (`candidate.store.f()`), `import candidate` is added after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Collection, Iterable, Mapping, Optional, Sequence, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import Access, BaseAssignment, ImportAssignment, Scope

from lanekeeper.rename.migration import KIND_DYNAMIC_USE, KIND_PARENT_USE, KIND_USE_SITE

_ImportStatement = Union[cst.Import, cst.ImportFrom]
# Ways to read a module's attributes that no rewrite can follow.
_REFLECTION_CALLS = ("getattr", "hasattr", "setattr", "delattr")
_REFLECTION_ATTRIBUTES = ("__dict__", "__getattribute__", "__getattr__")


class ImportScan(cst.CSTVisitor):
    """The imports of a module, seen without descending into expressions (cheap): whether any
    binds a name whose uses can reach a legacy module, their order, and which are conditional."""

    def __init__(self, renames: Mapping[str, str]) -> None:
        super().__init__()
        self.renames = renames
        self.plain_legacy = False  # a plain `import <legacy>...`: its uses are renamed
        self.above_legacy = False  # an import of a package above a legacy module
        self.order: dict[int, int] = {}  # imports, in source order
        self.conditional: set[int] = set()  # imports under if/try/with/a loop in their scope
        self._depth = [0]  # conditional statements around, per enclosing def/class

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not holds_statements(node):
            return False
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self._depth.append(0)
        elif isinstance(node, _CONDITIONAL):
            self._depth[-1] += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, (cst.FunctionDef, cst.ClassDef)):
            self._depth.pop()
        elif isinstance(original_node, _CONDITIONAL):
            self._depth[-1] -= 1
        super().on_leave(original_node)

    def visit_Import(self, node: cst.Import) -> bool:
        self._record(node)
        for alias in node.names:
            name = _name(alias.name)
            if alias.asname is None:
                self.plain_legacy |= legacy_key(name, self.renames) is not None
                self.above_legacy |= bool(_above_legacy(name.split(".")[0], self.renames))
            else:
                self.above_legacy |= bool(_above_legacy(name, self.renames))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        self._record(node)
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return False
        module = _name(node.module)
        for alias in node.names:
            self.above_legacy |= bool(_above_legacy(f"{module}.{_name(alias.name)}", self.renames))
        return False

    def _record(self, node: _ImportStatement) -> None:
        self.order[id(node)] = len(self.order)
        if self._depth[-1]:
            self.conditional.add(id(node))


class ParentLinks(cst.CSTVisitor):
    """The few links to parent nodes that the plan reads (libcst's `ParentNodeProvider`
    records every node's, at three times the cost)."""

    def __init__(self) -> None:
        super().__init__()
        self.parents: dict[int, cst.CSTNode] = {}

    def _link(self, child: cst.CSTNode, parent: cst.CSTNode) -> None:
        self.parents[id(child)] = parent

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._link(node.value, node)

    def visit_Call(self, node: cst.Call) -> None:
        for arg in node.args:
            self._link(arg, node)

    def visit_Arg(self, node: cst.Arg) -> None:
        self._link(node.value, node)

    def visit_Del(self, node: cst.Del) -> None:
        self._link(node.target, node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._link(node.left, node)

    def visit_ComparisonTarget(self, node: cst.ComparisonTarget) -> None:
        self._link(node.comparator, node)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        self._link(node.expression, node)

    def visit_If(self, node: cst.If) -> None:
        self._link(node.test, node)

    def visit_While(self, node: cst.While) -> None:
        self._link(node.test, node)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._link(node.test, node)


_STATEMENT_HOLDERS = (
    cst.Module,
    cst.BaseStatement,
    cst.BaseSmallStatement,
    cst.BaseSuite,
    cst.Else,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.MatchCase,
)


def holds_statements(node: cst.CSTNode) -> bool:
    """Whether `node` is a statement or can hold one: a visitor that looks for import
    statements only needs to descend into these (a fifth of a module's nodes)."""
    return isinstance(node, _STATEMENT_HOLDERS)


# Statements whose body may not run whenever the enclosing def, class or module does.
_CONDITIONAL = (cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While, cst.Match)


@dataclass(frozen=True)
class Found:
    """A change or dynamic reference at `node`, whose line is looked up once, at the end."""

    node: cst.CSTNode
    kind: str
    before: str
    after: str


@dataclass
class UsePlan:
    """What the rewrite changes besides import names, by node id (the nodes of one module)."""

    replace: dict[int, str] = field(default_factory=dict)  # node -> canonical dotted name
    tops: dict[int, str] = field(default_factory=dict)  # top of a rewritten chain -> its kind
    add_after: dict[int, list[str]] = field(default_factory=dict)  # import -> modules to import
    drop: set[int] = field(default_factory=set)  # ImportAlias nodes to remove
    dynamic: list[Found] = field(default_factory=list)


def legacy_key(name: str, renames: Mapping[str, str]) -> Optional[str]:
    """The longest legacy name that `name` is or is under, or None."""
    best: Optional[str] = None
    for legacy in renames:
        if name == legacy or name.startswith(legacy + "."):
            if best is None or len(legacy) > len(best):
                best = legacy
    return best


def renamed(name: str, renames: Mapping[str, str]) -> Optional[str]:
    """`name` with its legacy part replaced by the canonical one, or None if not legacy."""
    legacy = legacy_key(name, renames)
    return None if legacy is None else renames[legacy] + name[len(legacy) :]


def _above_legacy(module: str, renames: Mapping[str, str]) -> list[str]:
    """The legacy names strictly under `module` (`candidate` -> `candidate.memory_index`)."""
    return sorted(legacy for legacy in renames if legacy.startswith(module + "."))


def _name(node: cst.CSTNode) -> str:
    return get_full_name_for_node(node) or ""


@dataclass(frozen=True)
class _Binding:
    """What one import makes of a name: the module it stands for, and the import itself."""

    module: str
    plain: bool  # `import a.b.c` without `as`: binds a prefix of its own name
    alias: cst.ImportAlias
    statement: _ImportStatement
    scope: Scope  # where the import binds the name


def _binding(assignment: BaseAssignment, name: str) -> Optional[_Binding]:
    """The binding of `name` by `assignment`, or None if it is not an import we follow."""
    if not isinstance(assignment, ImportAssignment):
        return None
    statement = assignment.node
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            if alias.asname is not None and alias.asname.name is assignment.as_name:
                return _Binding(_name(alias.name), False, alias, statement, assignment.scope)
            if alias.asname is None and alias.name is assignment.as_name:
                return _Binding(name, True, alias, statement, assignment.scope)
    elif isinstance(statement, cst.ImportFrom):
        if statement.relative or statement.module is None:
            return None  # a package's own module: not a name the renames can mean
        if isinstance(statement.names, cst.ImportStar):
            return None
        for alias in statement.names:
            bound = alias.asname.name if alias.asname is not None else alias.name
            if bound is assignment.as_name:
                module = f"{_name(statement.module)}.{_name(alias.name)}"
                return _Binding(module, False, alias, statement, assignment.scope)
    return None


class _Planner:
    def __init__(
        self,
        module: cst.Module,
        renames: Mapping[str, str],
        imports: ImportScan,
        parents: Mapping[int, cst.CSTNode],
        keep_imports: bool,
    ) -> None:
        self.module = module
        self.renames = renames
        self.imports = imports
        self.parents = parents
        self.keep_imports = keep_imports
        self.plan = UsePlan()
        self.rewritten: set[int] = set()  # ids of the accesses whose use is rewritten
        # Imports of a package above a legacy module that a rewritten use came through.
        self.parent_imports: dict[int, tuple[cst.ImportAlias, _ImportStatement]] = {}

    def _code(self, node: cst.CSTNode) -> str:
        return " ".join(self.module.code_for_node(node).split())

    def _reaches(self, module: str) -> bool:
        return bool(legacy_key(module, self.renames) or _above_legacy(module, self.renames))

    def _dynamic(self, node: cst.CSTNode, after: str) -> None:
        self.plan.dynamic.append(Found(node, KIND_DYNAMIC_USE, self._code(node), after))

    def _top(self, node: cst.CSTNode) -> cst.CSTNode:
        """The outermost attribute chain `node` is the start of: `a` in `a.b.c()` -> `a.b.c`."""
        parent = self._parent(node)
        while isinstance(parent, cst.Attribute) and parent.value is node:
            node, parent = parent, self._parent(parent)
        return node

    def _parent(self, node: Optional[cst.CSTNode]) -> Optional[cst.CSTNode]:
        """The parent of `node`, for the kinds of parent that `ParentLinks` records."""
        return self.parents.get(id(node))

    def _spelled(self, top: cst.CSTNode, dotted: str) -> Optional[cst.CSTNode]:
        """The node of the chain `top` that spells `dotted`."""
        node: Optional[cst.BaseExpression] = top  # type: ignore[assignment]
        while isinstance(node, (cst.Attribute, cst.Name)):
            if _name(node) == dotted:
                return node
            node = node.value if isinstance(node, cst.Attribute) else None
        return None

    # --- one access -----------------------------------------------------------------------

    def access(self, access: Access) -> None:
        node = access.node
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return  # a string annotation: strings are reported on their own
        name = _name(node)
        referents = list(access.referents)
        bindings = [_binding(assignment, name) for assignment in referents]
        if not any(b is not None and self._reaches(b.module) for b in bindings):
            return  # most names: not bound by an import that can reach a legacy module
        top = self._top(node)
        chain = _name(top)
        rest = chain[len(name) :]
        qualified = {b.module + rest for b in bindings if b is not None}
        legacy = {legacy_key(q, self.renames) for q in qualified} - {None}
        certain = None not in bindings and len(qualified) == 1
        if not legacy:
            for path in sorted(qualified):
                if self._reflects(top, path):
                    break
            if certain:
                self._keep_root(name, [b for b in bindings if b is not None])
            return
        if not certain:
            # Bound by such an import on one path and by something else on another.
            reached = min(q for q in qualified if legacy_key(q, self.renames))
            self._dynamic(top, renamed(reached, self.renames) or "")
            return
        self._rewrite(access, top, name, qualified.pop(), [b for b in bindings if b is not None])

    def _reflects(self, top: cst.CSTNode, path: str) -> bool:
        """Report `path` (read through the bindings) if it reads a package above a legacy
        module in a way no rewrite can follow; True if it did."""
        parts = path.split(".")
        for depth in range(len(parts), 0, -1):
            package = ".".join(parts[:depth])
            below = _above_legacy(package, self.renames)
            if not below:
                continue
            if depth < len(parts):
                if parts[depth] not in _REFLECTION_ATTRIBUTES:
                    return False
                self._dynamic(top, ", ".join(self.renames[b] for b in below))
                return True
            return self._used_as_value(top, package, below)
        return False

    def _used_as_value(self, top: cst.CSTNode, package: str, below: Sequence[str]) -> bool:
        """Report `top`, which reads `package` (above the legacy names `below`), if it hands the
        package on as a value; True if it did. Tests (`if candidate is None`) and `del` do not."""
        parent = self._parent(top)
        if isinstance(parent, (cst.Del, cst.Comparison, cst.ComparisonTarget, cst.UnaryOperation)):
            return False
        if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is top:
            return False
        call = self._parent(parent) if isinstance(parent, cst.Arg) else None
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value in _REFLECTION_CALLS
            and call.args
            and call.args[0] is parent
        ):
            attribute = call.args[1].value if len(call.args) > 1 else None
            if isinstance(attribute, cst.SimpleString) and isinstance(
                attribute.evaluated_value, str
            ):
                reached = f"{package}.{attribute.evaluated_value}"
                hits = [b for b in below if b == reached or b.startswith(reached + ".")]
                hits += [b for b in below if reached.startswith(b + ".")]
                if not hits:
                    return False  # `getattr(candidate, "store")`: not a legacy module
                self._dynamic(call, ", ".join(self.renames[b] for b in sorted(set(hits))))
                return True
            self._dynamic(call, ", ".join(self.renames[b] for b in below))
            return True
        self._dynamic(top, ", ".join(self.renames[b] for b in below))
        return True

    def _rewrite(
        self, access: Access, top: cst.CSTNode, name: str, path: str, bindings: list[_Binding]
    ) -> None:
        """The use `top` reads the module path `path`, under a legacy name."""
        legacy = legacy_key(path, self.renames)
        assert legacy is not None
        canonical = self.renames[legacy]
        module = bindings[0].module  # one path, so one module, for every binding
        if legacy_key(module, self.renames):
            # Bound to a legacy module: the import's own rewrite re-points an `as` name or a
            # `from` name; a plain `import` binds the canonical first part instead, so its uses
            # are renamed.
            plain = {b.plain for b in bindings}
            if plain == {True}:
                self._replace(access, top, legacy, canonical, KIND_USE_SITE)
            elif plain == {True, False}:
                self._dynamic(top, renamed(path, self.renames) or "")
            return
        # Bound to a package above the legacy module.
        spelled = name + legacy[len(module) :]
        first = canonical.split(".")[0]
        missing = [b for b in bindings if not self._binds_after_rewrite(b.statement, first)]
        if not missing:
            self._replace(access, top, spelled, canonical, KIND_USE_SITE)
            return
        scopes = [access.scope, *(b.scope for b in missing)]
        if any(self._means_other(scope, first) for scope in scopes):
            self._dynamic(top, renamed(path, self.renames) or "")
            return
        self._replace(access, top, spelled, canonical, KIND_PARENT_USE)
        for binding in missing:
            self.parent_imports[id(binding.alias)] = (binding.alias, binding.statement)
        for scope in {id(b.scope): b.scope for b in missing}.values():
            if self._already_imported(scope, canonical):
                continue
            for statement in self._where_to_import([b for b in missing if b.scope is scope]):
                added = self.plan.add_after.setdefault(id(statement), [])
                if canonical not in added:
                    added.append(canonical)

    def _where_to_import(self, bindings: list[_Binding]) -> list[_ImportStatement]:
        """The imports (of one scope) to add an import after: the first that always runs
        binds the name for the whole rest of the scope; else each of them."""
        unconditional = [
            b.statement for b in bindings if id(b.statement) not in self.imports.conditional
        ]
        if unconditional:
            return [min(unconditional, key=lambda s: self.imports.order[id(s)])]
        return list({id(b.statement): b.statement for b in bindings}.values())

    def _replace(
        self, access: Access, top: cst.CSTNode, spelled: str, canonical: str, kind: str
    ) -> None:
        node = self._spelled(top, spelled)
        if node is None:
            self._dynamic(top, canonical)
            return
        self.plan.replace[id(node)] = canonical
        self.plan.tops[id(top)] = kind
        self.rewritten.add(id(access))

    def _binds_after_rewrite(self, statement: _ImportStatement, first: str) -> bool:
        """Whether `statement`, rewritten, binds `first` with a plain import of a legacy name."""
        if not isinstance(statement, cst.Import):
            return False
        for alias in statement.names:
            if alias.asname is None:
                new = renamed(_name(alias.name), self.renames)
                if new is not None and new.split(".")[0] == first:
                    return True
        return False

    def _means_other(self, scope: Scope, first: str) -> bool:
        """Whether `first` is bound in `scope` (or visible there) by anything but a plain
        `import first...`: then an added `import <canonical>` would change what it means."""
        for assignment in list(scope[first]):
            if not isinstance(assignment, ImportAssignment):
                return True
            statement = assignment.node
            if not isinstance(statement, cst.Import) or not any(
                alias.asname is None and _name(alias.name).split(".")[0] == first
                for alias in statement.names
            ):
                return True
        return False

    def _already_imported(self, scope: Scope, canonical: str) -> bool:
        """Whether a plain `import <canonical>` already sits in `scope` itself."""
        # Only a plain import binds a dotted name.
        return bool(list(scope.assignments[canonical]))

    def _keep_root(self, name: str, bindings: list[_Binding]) -> None:
        """A use of `name` that is not under a legacy name, bound by plain imports: if each of
        them imports a legacy module whose rewrite stops binding `name`'s first part, import
        `name` again after them."""
        root = name.split(".")[0]
        lost = []
        for binding in bindings:
            if not binding.plain:
                return
            new = renamed(_name(binding.alias.name), self.renames)
            if new is None or new.split(".")[0] == root:
                return  # this import still binds the name after the rewrite
            lost.append(binding)
        for binding in lost:
            added = self.plan.add_after.setdefault(id(binding.statement), [])
            if name not in added:
                added.append(name)

    # --- parent imports that nothing needs any more ----------------------------------------

    def drop_unused(self, assignments: Iterable[BaseAssignment], strings: Collection[str]) -> None:
        """Mark for removal each parent import whose every use was rewritten (see the module
        docstring for when that is)."""
        if self.keep_imports:
            return
        by_alias: dict[int, list[BaseAssignment]] = {}
        for assignment in assignments:
            if isinstance(assignment, ImportAssignment):
                by_alias.setdefault(id(assignment.as_name), []).append(assignment)
        for alias, statement in self.parent_imports.values():
            bound = alias.asname.name if alias.asname is not None else alias.name
            local = _name(bound).split(".")[0]
            if isinstance(statement, cst.Import) and alias.asname is None:
                module = _name(alias.name)
            else:
                module = _binding_module(alias, statement)
            if not _above_legacy(module, self.renames) or local in strings:
                continue
            created = by_alias.get(id(bound), [])
            accesses = [a for assignment in created for a in assignment.references]
            if accesses and all(id(a) in self.rewritten for a in accesses):
                self.plan.drop.add(id(alias))


def _binding_module(alias: cst.ImportAlias, statement: _ImportStatement) -> str:
    if isinstance(statement, cst.ImportFrom) and statement.module is not None:
        return f"{_name(statement.module)}.{_name(alias.name)}"
    return _name(alias.name)


_STRING_VALUE = re.compile(r"""(?<![A-Za-z0-9_])[rRuU]?(['"])([A-Za-z_][A-Za-z0-9_]*)\1""")


def plan_uses(
    module: cst.Module,
    scopes: Mapping[cst.CSTNode, Optional[Scope]],
    imports: ImportScan,
    renames: Mapping[str, str],
    keep_imports: bool,
) -> UsePlan:
    """The use-site part of the rewrite of `module` (see the module docstring), whose
    `imports` were scanned.

    `keep_imports`: never replace an import (the module is a package's `__init__.py`).
    """
    links = ParentLinks()
    module.visit(links)
    planner = _Planner(module, renames, imports, links.parents, keep_imports)
    all_scopes = {s for s in scopes.values() if s is not None}
    assignments: list[BaseAssignment] = []
    for scope in all_scopes:
        for access in list(scope.accesses):
            planner.access(access)
        assignments.extend(scope.assignments)
    strings = {m.group(2) for m in _STRING_VALUE.finditer(module.code)}
    planner.drop_unused(assignments, strings)
    return planner.plan
