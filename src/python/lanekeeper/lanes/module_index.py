"""Which first-party file an imported name comes from, decided the way Python decides it.

The index is built from Pants' first-party module mapping (module name -> the files that
provide it), so it knows exactly the modules Pants knows. It differs from Pants' own owner
lookup where Python does:

- a package shadows a module of the same name on the same path entry (`pkg/x/__init__.py`
  beside `pkg/x.py`: `import pkg.x` imports the package), where Pants calls the owner ambiguous
  and infers nothing;
- a namespace package (a directory of modules without `__init__.py`) is importable;
- a name that resolves to no file but starts with a first-party package is *unresolved*, and
  keeps the longest existing prefix, whose place in the tree still says which lane it names.

Names whose first part no first-party file provides (the standard library, third-party
packages) are not first-party: they resolve to None.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Collection, Iterable, Mapping, Optional

from lanekeeper.lanes.import_statements import ImportedName

RESOLVED = "resolved"
AMBIGUOUS = "ambiguous"
UNRESOLVED = "unresolved"

_INIT_FILES = ("__init__.py", "__init__.pyi")


@dataclass(frozen=True)
class Resolution:
    """Where one imported name comes from.

    - resolved: `module` is the module found; `paths` its file;
    - ambiguous: several files provide `module` on different path entries; `paths` lists them;
    - unresolved: no file provides it; `module` is the module the statement names (or the
      whole name, when that module exists), `prefix` its longest existing prefix and `paths`
      that prefix's file(s).

    When `namespace` is true, `paths` are instead the directories of a namespace package (no
    `__init__.py`), one per portion: the module itself (resolved) or the prefix (unresolved).
    """

    status: str
    module: str
    paths: tuple[str, ...]
    prefix: str = ""
    namespace: bool = False


def _is_init(path: str) -> bool:
    return posixpath.basename(path) in _INIT_FILES


def _path_entry(module: str, path: str) -> str:
    """The directory on sys.path from which `path` provides `module` (`src` for `src/a/b.py`)."""
    directory = posixpath.dirname(path)
    depth = module.count(".") + (1 if _is_init(path) else 0)
    for _ in range(depth):
        directory = posixpath.dirname(directory)
    return directory


@dataclass(frozen=True)
class ModuleIndex:
    """First-party modules and packages. Build it with `ModuleIndex.build`.

    Equal and hashable by `modules` (the mapping it was built from, sorted), so the engine can
    tell an unchanged index from a changed one; the lookup tables are derived.
    """

    modules: tuple[tuple[str, tuple[str, ...]], ...]
    _providers: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _package_dirs: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _module_of: dict[str, str] = field(init=False, repr=False, compare=False)

    @classmethod
    def build(cls, modules: Mapping[str, Iterable[str]]) -> ModuleIndex:
        """From module name -> paths of the files that provide it (relative to the build root)."""
        return cls(
            tuple(sorted((module, tuple(sorted(set(paths)))) for module, paths in modules.items()))
        )

    def __post_init__(self) -> None:
        providers = dict(self.modules)
        package_dirs: dict[str, set[str]] = {}
        module_of: dict[str, str] = {}
        for module, paths in self.modules:
            for path in paths:
                module_of.setdefault(path, module)
                # Every package on the way to the file, with the directory that holds it.
                parts = module.split(".")
                directory = posixpath.dirname(path)
                if not _is_init(path):
                    parts = parts[:-1]
                while parts:
                    package_dirs.setdefault(".".join(parts), set()).add(directory)
                    parts = parts[:-1]
                    directory = posixpath.dirname(directory)
        object.__setattr__(self, "_providers", providers)
        object.__setattr__(
            self, "_package_dirs", {k: tuple(sorted(v)) for k, v in package_dirs.items()}
        )
        object.__setattr__(self, "_module_of", module_of)

    def module_of(self, path: str) -> Optional[str]:
        """The module a file provides, or None if it provides none."""
        return self._module_of.get(path)

    def package_of(self, path: str) -> Optional[str]:
        """The package that relative imports in `path` resolve against ("" at the top level)."""
        module = self._module_of.get(path)
        if module is None:
            return None
        return module if _is_init(path) else module.rpartition(".")[0]

    def _files(
        self, module: str, chosen: Collection[str], ignored: Collection[str]
    ) -> Optional[Resolution]:
        """The resolution of a module some file provides, or None if none does."""
        candidates = [path for path in self._providers.get(module, ()) if path not in ignored]
        if not candidates:
            return None
        # A stub only types a module; the code that runs is the `.py` (or other) file.
        implementations = [path for path in candidates if not path.endswith(".pyi")]
        candidates = implementations or candidates
        # On one path entry, a package (`x/__init__.py`) shadows a module `x.py`.
        by_entry: dict[str, list[str]] = {}
        for path in candidates:
            by_entry.setdefault(_path_entry(module, path), []).append(path)
        winners = []
        for paths in by_entry.values():
            packages = [path for path in paths if _is_init(path)]
            winners.extend(packages or paths)
        if len(winners) > 1:
            picked = [path for path in winners if path in chosen]
            winners = picked if len(picked) == 1 else winners
        status = RESOLVED if len(winners) == 1 else AMBIGUOUS
        return Resolution(status, module, tuple(sorted(winners)))

    def resolve(
        self,
        imported: ImportedName,
        chosen: Collection[str] = (),
        ignored: Collection[str] = (),
    ) -> Optional[Resolution]:
        """Where `imported` comes from; None if it is not first-party.

        `chosen` and `ignored` are the paths of the importer's explicit BUILD dependencies and
        `!` ignores: like Pants, they settle which of several candidate files is meant.
        """
        name = imported.name
        found = self._files(name, chosen, ignored)
        if found is not None:
            return found
        if name in self._package_dirs:
            return Resolution(RESOLVED, name, self._package_dirs[name], namespace=True)
        # `from a.b import C` names `a.b.C`; C may be a name inside module `a.b`. (`import a.b`
        # needs the module `a.b` itself.)
        if imported.module != name:
            found = self._files(imported.module, chosen, ignored)
            if found is not None:
                return found
        parts = name.split(".")
        for length in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:length])
            # Named by what the statement names, unless that exists: then by the missing name.
            missing = imported.module if imported.module.count(".") + 1 > length else name
            found = self._files(prefix, chosen, ignored)
            if found is not None:
                return Resolution(UNRESOLVED, missing, found.paths, prefix)
            if prefix in self._package_dirs:
                directories = self._package_dirs[prefix]
                return Resolution(UNRESOLVED, missing, directories, prefix, namespace=True)
        return None
