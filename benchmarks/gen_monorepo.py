#!/usr/bin/env python3
"""Generate a synthetic, lane-structured Python monorepo for benchmarking lanekeeper.

The output is deterministic for a given ``--files``/``--seed``/option set, and
comes with an exact manifest (``planted.json``) of every finding that was
planted on purpose, so the lanekeeper goals' results can be compared with it.

Layout written under ``--out DIR``::

    DIR/lanes.json                      lane policy (order, libraries, paths, ...)
    DIR/planted.json                    manifest of planted findings
    DIR/src/<lane>/__init__.py          ``src`` is the source root
    DIR/src/<lane>/BUILD                ``python_sources()``
    DIR/src/<lane>/pkg<k>/__init__.py
    DIR/src/<lane>/pkg<k>/BUILD
    DIR/src/<lane>/pkg<k>/mod<j>.py     module ``<lane>.pkg<k>.mod<j>``

``pants.toml`` is *not* written: the benchmark harness supplies it.

How exactness is guaranteed
---------------------------
* Every module has a global *rank*. Libraries come first, lane modules are
  interleaved by a per-lane key range. Every import that is not a planted cycle
  edge goes from a higher rank to a strictly lower rank, so the "normal" import
  graph is a DAG.
* Normal imports only target lanes the importer may import (never ``matriz``,
  whose imports are all planted legacy imports), so they never create a lane
  violation.
* Planted lane violations also point downward (a lower-ranked module of a
  forbidden lane), so they create no cycle.
* Planted cycles use modules that nothing else imports (they are "reserved"):
  the only edges into a cycle node are the cycle's own edges, hence the
  non-trivial strongly connected components are exactly the planted cycles.
* Only planted statements produce E402, legacy ``matriz`` imports, runtime
  imports and TODO/FIXME comments. Decoys that must *not* be counted are also
  planted: "TODO" inside string literals, ``sys.path.insert`` before imports
  (not E402 code), imports inside a top-level ``try`` after code (not E402,
  exactly like ruff), and the word ``matriz`` in docstrings.

Manifest (``planted.json``, keys in this order)
----------------------------------------------
Paths are POSIX, relative to DIR; lines are 1-based; columns are 1-based
(``ast`` col_offset + 1). Lists are sorted by (file, line).

* ``generator``: name, version, seed, files_requested, options (the rates used).
* ``source_root``: ``"src"``.
* ``files``: number of .py files; ``per_lane_files``: lane -> .py files.
* ``lane_violations``: {file, line, col, importer_lane, imported_lane,
  imported_module, form} with form ``import`` (``import a.b.c``),
  ``from_module`` (``from a.b import c``) or ``from`` (``from a.b.c import f``).
* ``cycles``: lists of module names; each imports the next, the last imports
  the first. Cycles share no module.
* ``e402``: {file, line, noqa, lane}; noqa is ``none``, ``justified``
  (``# noqa: E402 -- reason, see ISSUE-n``) or ``unjustified`` (bare noqa).
* ``legacy_imports``: {file, line, form, modules, modules_rewritten,
  usage_rewrites, lane}; form is ``import``, ``import_as``, ``import_multi``
  (``import matriz.a, matriz.b``), ``from`` or ``from_module``;
  ``modules_rewritten`` counts the ``matriz`` module references in the
  statement, ``usage_rewrites`` the ``matriz.x.y.f`` references in the body
  that a plain ``import matriz...`` binding forces the codemod to rewrite too.
* ``runtime_imports``: {file, line, pattern, lane}; pattern is
  ``sys.path.insert``, ``importlib.import_module`` or ``__import__``.
* ``todos``: {file, line, kind (TODO|FIXME), status (structured|malformed|
  plain), priority (HIGH|MED|LOW for structured, else null), lane, problem
  (``bad_date``/``unknown_priority`` for malformed, else null)}.
* ``decoys``: how many non-findings of each kind were planted.
* ``warnings``: planted fewer than asked (e.g. too few modules for cycles).
* ``counts``: totals per category, per lane and per sub-kind, derived from
  the lists above.

Standard library only; runs on Python 3.9+.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import shutil
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

# The generated repo has the demo's lanes: their one definition is lanekeeper's test data.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "python"))
from lanekeeper import testing as demo  # noqa: E402

GENERATOR_VERSION = 1

LANES = list(demo.LANES)  # promotion order
LIBRARIES = list(demo.LIBRARIES)
ALL_LANES = LANES + LIBRARIES
PRODUCTION = list(demo.PRODUCTION)
LEGACY_LIBRARY = "matriz"
CANONICAL_LIBRARY = "MATRIZ"
SOURCE_ROOT = "src"

# Lanes a lane may import besides itself (every lane may import itself).
ALLOWED_IMPORTS: Dict[str, List[str]] = {
    lane: list(demo.ALLOWED_IMPORTS.get(lane, ())) for lane in ALL_LANES
}

# Share of the generated .py files per lane (sums to 1).
SHARES: Dict[str, float] = {
    "candidate": 0.35,
    "core": 0.20,
    "lukhas": 0.15,
    "products": 0.10,
    "MATRIZ": 0.08,
    "matriz": 0.04,
    "universal_language": 0.08,
}

# Rank key ranges of lane modules (libraries always rank below every lane).
# Overlapping ranges interleave the lanes so that "forbidden" imports such as
# core -> lukhas can still point downward in the DAG order.
KEY_RANGE: Dict[str, Tuple[float, float]] = {
    "core": (0.0, 0.8),
    "lukhas": (0.1, 0.9),
    "products": (0.2, 1.0),
    "candidate": (0.1, 1.0),
}

PACKAGE_FILES = 25  # files per package, including its __init__.py
MIN_FILES = 100

# Directory shapes (``--shape``). ``uniform``: every package holds ~PACKAGE_FILES files.
# ``realistic``: files per directory as measured on a real 9,159-file monorepo (2,065
# directories: median 2, 90th percentile 7, 558 with a single file, the largest 602).
SHAPES = ("uniform", "realistic")
# (smallest, largest, weight): files per package, its ``__init__.py`` included (1 = a package
# holding only its ``__init__.py``). Mean ~4.7 files, so 10,000 files make ~2,000 directories.
REALISTIC_PACKAGE_SIZES: List[Tuple[int, int, float]] = [
    (1, 1, 0.27),
    (2, 2, 0.25),
    (3, 3, 0.13),
    (4, 4, 0.09),
    (5, 5, 0.06),
    (6, 6, 0.05),
    (7, 7, 0.05),
    (8, 15, 0.06),
    (16, 40, 0.03),
    (41, 120, 0.01),
]
# The long tail's end: one directory with this share of all files, in the largest lane.
REALISTIC_LARGEST_SHARE = 0.06
REALISTIC_LARGEST_LANE = "candidate"

VERBS = [
    "load",
    "build",
    "compute",
    "merge",
    "render",
    "parse",
    "resolve",
    "validate",
    "normalize",
    "collect",
    "score",
    "filter",
    "index",
    "encode",
    "decode",
    "sync",
    "plan",
    "route",
    "rank",
    "fetch",
    "split",
    "align",
]
NOUNS = [
    "record",
    "batch",
    "signal",
    "token",
    "frame",
    "policy",
    "vector",
    "graph",
    "window",
    "ledger",
    "profile",
    "metric",
    "cluster",
    "payload",
    "schema",
    "span",
    "trace",
    "cohort",
    "lattice",
    "glyph",
    "channel",
    "bundle",
]
ROLES = ["Engine", "Registry", "Adapter", "Cache", "Router", "Builder", "Store", "Monitor"]
OWNERS = ["dev1", "dev2", "dev3", "dev4", "dev5", "ana", "li-wei", "sam"]
TODO_MESSAGES = [
    "split {noun} handling into smaller steps",
    "drop the fallback once {noun} data is migrated",
    "cache {noun} lookups per request",
    "replace the linear scan over {noun} items",
    "document the {noun} limit",
    "handle empty {noun} input explicitly",
    "add metrics for {noun} failures",
]
NOQA_REASONS = [
    "logging must be configured first",
    "optional plugin registry loads late",
    "keeps import order stable for legacy callers",
    "breaks a circular import at startup",
]
LATE_STDLIB = ["json", "textwrap", "itertools", "functools", "collections", "string"]

# typing names and how the body templates use them (only these forms occur)
TYPING_USE = [("Any", "Any"), ("Dict", "Dict["), ("List", "List["), ("Optional", "Optional[")]

DEFAULTS: Dict[str, Any] = {
    "violation_rate": 0.02,
    "cycles": 20,
    "e402_rate": 0.03,
    "legacy_rate": 0.03,
    "runtime_rate": 0.005,
    "todo_rate": 0.05,
}


class GenerationError(Exception):
    """Raised for invalid arguments or an unusable output directory."""


class Module:
    """One generated .py file (a package ``__init__`` or a module)."""

    __slots__ = (
        "name",
        "lane",
        "pkg",
        "idx",
        "path",
        "is_init",
        "rank",
        "key",
        "funcs",
        "cls",
        "const",
        "noun",
    )

    def __init__(self, lane: str, pkg: Optional[int], idx: Optional[int]) -> None:
        self.lane = lane
        self.pkg = pkg
        self.idx = idx
        self.is_init = idx is None
        parts = [lane]
        if pkg is not None:
            parts.append("pkg%d" % pkg)
        if idx is not None:
            parts.append("mod%d" % idx)
        self.name = ".".join(parts)
        if idx is None:
            self.path = "/".join([SOURCE_ROOT] + parts + ["__init__.py"])
        else:
            self.path = "/".join([SOURCE_ROOT] + parts[:-1] + [parts[-1] + ".py"])
        self.rank = -1
        self.key = 0.0
        self.funcs: List[str] = []
        self.cls: Optional[str] = None
        self.const = ""
        self.noun = ""

    @property
    def package(self) -> str:
        return self.name.rsplit(".", 1)[0]

    @property
    def pkg_dir(self) -> str:
        """``pkg<k>`` of a module inside a package."""
        return self.name.split(".")[1]

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[1]


class ImportSpec:
    """A generated import statement of another generated module."""

    __slots__ = ("role", "form", "targets", "names", "line", "usages", "binding", "exprs")

    def __init__(self, role: str, form: str, targets: List[Module]) -> None:
        self.role = role  # normal | violation | cycle | legacy
        self.form = (
            form  # import | import_as | import_multi | from | from_module | rel_from | rel_module
        )
        self.targets = targets
        self.names: List[str] = []  # imported function names for from/rel_from
        self.line = 0
        self.usages = 0  # emitted references through a ``matriz`` binding
        self.binding = ""
        self.exprs: List[str] = []  # callable expressions made available


class Plan:
    """What gets planted in one module."""

    __slots__ = (
        "imports",
        "late",
        "runtime",
        "todos",
        "decoy_string",
        "decoy_try",
        "future",
        "late_stdlib",
        "late_noqa",
    )

    def __init__(self) -> None:
        self.imports: List[ImportSpec] = []
        self.late: List[Tuple[ImportSpec, str]] = []  # (spec, noqa kind)
        self.late_stdlib: List[Tuple[str, str]] = []  # (module, noqa kind)
        self.late_noqa: List[str] = []  # planned E402 statements, by noqa kind
        self.runtime: List[Tuple[str, Optional[Module]]] = []
        self.todos: List[Dict[str, Any]] = []
        self.decoy_string = False
        self.decoy_try = False
        self.future = False


# --------------------------------------------------------------------------- structure


def lane_file_counts(n_files: int) -> Dict[str, int]:
    """Split ``n_files`` over lanes by SHARES (largest remainder, deterministic)."""
    raw = {lane: n_files * SHARES[lane] for lane in ALL_LANES}
    counts = {lane: int(raw[lane]) for lane in ALL_LANES}
    rest = n_files - sum(counts.values())
    order = sorted(ALL_LANES, key=lambda ln: (-(raw[ln] - counts[ln]), ALL_LANES.index(ln)))
    for lane in order[:rest]:
        counts[lane] += 1
    if counts[CANONICAL_LIBRARY] < counts[LEGACY_LIBRARY]:  # keep the mirror possible
        diff = counts[LEGACY_LIBRARY] - counts[CANONICAL_LIBRARY]
        counts[CANONICAL_LIBRARY] += diff
        counts["candidate"] -= diff
    return counts


def split_packages(total: int) -> List[int]:
    """Split ``total`` files into packages of ~PACKAGE_FILES files (each >= 2)."""
    n_pkgs = max(1, int(round(total / float(PACKAGE_FILES))))
    while n_pkgs > 1 and total // n_pkgs < 2:
        n_pkgs -= 1
    base, rem = divmod(total, n_pkgs)
    return [base + (1 if i < rem else 0) for i in range(n_pkgs)]


def realistic_package_sizes(total: int, rng: random.Random, largest: int = 0) -> List[int]:
    """Split ``total`` files into packages of long-tailed sizes (REALISTIC_PACKAGE_SIZES),
    plus one package of ``largest`` files when it fits in half of ``total``."""
    sizes = [largest] if 0 < largest <= total // 2 else []
    remaining = total - sum(sizes)
    bands = [(lo, hi) for lo, hi, _ in REALISTIC_PACKAGE_SIZES]
    weights = [w for _, _, w in REALISTIC_PACKAGE_SIZES]
    while remaining > 0:
        lo, hi = rng.choices(bands, weights)[0]
        size = min(rng.randint(lo, hi), remaining)
        sizes.append(size)
        remaining -= size
    rng.shuffle(sizes)
    return sizes


def unique_words(rng: random.Random, n: int) -> List[Tuple[str, str]]:
    pairs: List[Tuple[str, str]] = []
    seen: Set[Tuple[str, str]] = set()
    while len(pairs) < n:
        pair = (rng.choice(VERBS), rng.choice(NOUNS))
        if pair not in seen:
            seen.add(pair)
            pairs.append(pair)
    return pairs


def assign_exports(mod: Module, rng: random.Random) -> None:
    pairs = unique_words(rng, rng.randint(2, 4))
    mod.funcs = ["%s_%s" % p for p in pairs]
    mod.noun = pairs[0][1]
    mod.const = "DEFAULT_%s_LIMIT" % mod.noun.upper()
    mod.cls = (mod.noun.capitalize() + rng.choice(ROLES)) if rng.random() < 0.6 else None


class Repo:
    """The structure of the generated repository and all planted findings."""

    def __init__(
        self, n_files: int, seed: int, options: Dict[str, Any], shape: str = "uniform"
    ) -> None:
        if n_files < MIN_FILES:
            raise GenerationError("--files must be at least %d" % MIN_FILES)
        if shape not in SHAPES:
            raise GenerationError("unknown --shape %r (known: %s)" % (shape, ", ".join(SHAPES)))
        self.n_files = n_files
        self.seed = seed
        self.shape = shape
        self.options = options
        self.rng = random.Random(seed)
        self.counts = lane_file_counts(n_files)
        self.modules: List[Module] = []  # every file, in writing order
        self.mods: Dict[str, List[Module]] = {lane: [] for lane in ALL_LANES}  # non-init
        self.packages: Dict[str, List[List[Module]]] = {lane: [] for lane in ALL_LANES}
        self.by_name: Dict[str, Module] = {}
        self.plans: Dict[str, Plan] = {}
        self.reserved: Set[str] = set()
        self.cycles: List[List[Module]] = []
        self.warnings: List[str] = []
        self._build_structure()
        self._assign_ranks()

    # -- structure -----------------------------------------------------------

    def _package_sizes(self, lane: str, total: int) -> List[int]:
        if self.shape == "uniform":
            return split_packages(total)
        # Its own random stream: the uniform shape's output stays what it always was.
        shape_rng = random.Random("%s-%d-%s" % (self.shape, self.seed, lane))
        largest = (
            int(round(self.n_files * REALISTIC_LARGEST_SHARE))
            if lane == REALISTIC_LARGEST_LANE
            else 0
        )
        return realistic_package_sizes(total, shape_rng, largest)

    def _build_structure(self) -> None:
        rng = self.rng
        sizes: Dict[str, List[int]] = {}
        for lane in ALL_LANES:
            if lane == CANONICAL_LIBRARY:
                continue
            sizes[lane] = self._package_sizes(lane, self.counts[lane] - 1)
        extra = self.counts[CANONICAL_LIBRARY] - self.counts[LEGACY_LIBRARY]
        mirror = list(sizes[LEGACY_LIBRARY])
        if extra >= 2:
            mirror += self._package_sizes(CANONICAL_LIBRARY, extra)
        elif extra == 1:
            mirror[-1] += 1
        sizes[CANONICAL_LIBRARY] = mirror

        order = [
            "candidate",
            "core",
            "lukhas",
            "products",
            "matriz",
            "MATRIZ",
            "universal_language",
        ]
        for lane in order:
            lane_init = Module(lane, None, None)
            self._add(lane_init)
            for p, size in enumerate(sizes[lane]):
                self._add(Module(lane, p, None))
                pkg_mods = []
                for j in range(size - 1):
                    mod = Module(lane, p, j)
                    if lane == CANONICAL_LIBRARY:
                        twin = self.by_name.get("%s.pkg%d.mod%d" % (LEGACY_LIBRARY, p, j))
                        if twin is not None:  # same public names: rewrite target exists
                            mod.funcs = list(twin.funcs)
                            mod.cls = twin.cls
                            mod.const = twin.const
                            mod.noun = twin.noun
                        else:
                            assign_exports(mod, rng)
                    else:
                        assign_exports(mod, rng)
                    self._add(mod)
                    pkg_mods.append(mod)
                    self.mods[lane].append(mod)
                self.packages[lane].append(pkg_mods)
        assert len(self.modules) == self.n_files, (len(self.modules), self.n_files)

    def _add(self, mod: Module) -> None:
        self.modules.append(mod)
        self.by_name[mod.name] = mod
        if not mod.is_init:
            self.plans[mod.name] = Plan()

    def _assign_ranks(self) -> None:
        ordered: List[Module] = []
        for lane in ("universal_language", "matriz", "MATRIZ"):
            ordered.extend(self.mods[lane])
        lane_mods: List[Module] = []
        for lane in LANES:
            lo, hi = KEY_RANGE[lane]
            pkgs = self.packages[lane]
            for p, pkg_mods in enumerate(pkgs):
                m_count = len(pkg_mods)
                for j, mod in enumerate(pkg_mods):
                    frac = (p + (j + 1) / float(m_count + 1)) / len(pkgs)
                    mod.key = lo + (hi - lo) * frac
                    lane_mods.append(mod)
        lane_mods.sort(key=lambda m: (m.key, LANES.index(m.lane), m.pkg, m.idx))
        ordered.extend(lane_mods)
        for rank, mod in enumerate(ordered):
            mod.rank = rank
        self.ranked: Dict[str, List[Module]] = {}
        self.rank_keys: Dict[str, List[int]] = {}
        for lane in ALL_LANES:
            mods = sorted(self.mods[lane], key=lambda m: m.rank)
            self.ranked[lane] = mods
            self.rank_keys[lane] = [m.rank for m in mods]

    # -- helpers -------------------------------------------------------------

    def lower_in_lane(self, lane: str, rank: int) -> int:
        """Number of modules of ``lane`` ranked below ``rank``."""
        return bisect.bisect_left(self.rank_keys[lane], rank)

    def pick_lower(self, lane: str, rank: int, avoid: Set[str]) -> Optional[Module]:
        n = self.lower_in_lane(lane, rank)
        if n == 0:
            return None
        pool = self.ranked[lane]
        for _ in range(12):
            cand = pool[self.rng.randrange(n)]
            if cand.name not in avoid and cand.name not in self.reserved:
                return cand
        for cand in pool[:n]:  # rare: scan deterministically
            if cand.name not in avoid and cand.name not in self.reserved:
                return cand
        return None

    def package_of(self, mod: Module) -> List[Module]:
        return self.packages[mod.lane][mod.pkg]  # type: ignore[index]

    def normal_lanes(self, lane: str) -> List[str]:
        return [ln for ln in ALLOWED_IMPORTS[lane] if ln != LEGACY_LIBRARY]

    # -- planting ------------------------------------------------------------

    def plant(self) -> None:
        self._plant_cycles()
        self._plant_violations()
        self._plant_legacy()
        self._plant_runtime()
        self._plant_e402()
        self._plant_todos()
        self._plant_decoys()
        for mod in self.modules:
            if not mod.is_init:
                self._plan_normal_imports(mod)

    def _import_form(self, choices: Sequence[Tuple[str, float]]) -> str:
        r = self.rng.random()
        acc = 0.0
        for form, weight in choices:
            acc += weight
            if r < acc:
                return form
        return choices[-1][0]

    def _spec(self, role: str, form: str, targets: List[Module]) -> ImportSpec:
        spec = ImportSpec(role, form, targets)
        if form in ("from", "rel_from"):
            tgt = targets[0]
            spec.names = self.rng.sample(tgt.funcs, min(len(tgt.funcs), self.rng.choice((1, 1, 2))))
        return spec

    def _plant_cycles(self) -> None:
        wanted = int(self.options["cycles"])
        lane_cycle = ["core", "candidate", "lukhas", "products"]
        budget = {ln: int(len(self.mods[ln]) * 0.4) for ln in LANES}
        forms = (("from_module", 0.4), ("import", 0.3), ("from", 0.3))
        for i in range(wanted):
            length = self.rng.randint(2, 4)
            nodes: Optional[List[Module]] = None
            for shift in range(len(lane_cycle)):
                lane = lane_cycle[(i + shift) % len(lane_cycle)]
                if budget[lane] < length:
                    continue
                nodes = self._cycle_nodes(lane, length)
                if nodes is not None:
                    budget[lane] -= length
                    break
            if nodes is None:
                self.warnings.append("only %d of %d cycles could be planted" % (i, wanted))
                break
            for node in nodes:
                self.reserved.add(node.name)
            for k, node in enumerate(nodes):
                nxt = nodes[(k + 1) % len(nodes)]
                self.plans[node.name].imports.append(
                    self._spec("cycle", self._import_form(forms), [nxt])
                )
            self.cycles.append(nodes)

    def _cycle_nodes(self, lane: str, length: int) -> Optional[List[Module]]:
        rng = self.rng
        if rng.random() < 0.5:  # within one package
            pkgs = [
                p
                for p in self.packages[lane]
                if sum(1 for m in p if m.name not in self.reserved) >= length
            ]
            if pkgs:
                pkg = rng.choice(pkgs)
                free = [m for m in pkg if m.name not in self.reserved]
                return rng.sample(free, length)
        free = [m for m in self.mods[lane] if m.name not in self.reserved]
        if len(free) < length:
            return None
        return rng.sample(free, length)

    def _plant_violations(self) -> None:
        rng = self.rng
        lane_files = sum(self.counts[ln] for ln in LANES)
        wanted = int(round(lane_files * float(self.options["violation_rate"])))
        # Round-robin over importer lanes so every lane gets violations
        # (core -> lukhas, lukhas -> products, candidate -> lukhas, ...).
        pools = {}
        for ln in LANES:
            pools[ln] = list(self.mods[ln])
            rng.shuffle(pools[ln])
        pool: List[Module] = []
        while any(pools.values()):
            for ln in ("core", "lukhas", "candidate", "products"):
                if pools[ln]:
                    pool.append(pools[ln].pop())
        forms = (("import", 0.34), ("from_module", 0.33), ("from", 0.33))
        planted = 0
        for mod in pool:
            if planted >= wanted:
                break
            forbidden = [
                ln for ln in LANES if ln != mod.lane and ln not in ALLOWED_IMPORTS[mod.lane]
            ]
            rng.shuffle(forbidden)
            plan = self.plans[mod.name]
            avoid = {t.name for s in plan.imports for t in s.targets} | {mod.name}
            n_here = 2 if rng.random() < 0.1 else 1
            for _ in range(n_here):
                target = None
                for lane in forbidden:
                    target = self.pick_lower(lane, mod.rank, avoid)
                    if target is not None:
                        break
                if target is None or planted >= wanted:
                    break
                avoid.add(target.name)
                plan.imports.append(self._spec("violation", self._import_form(forms), [target]))
                planted += 1
        if planted < wanted:
            self.warnings.append(
                "only %d of %d lane violations could be planted" % (planted, wanted)
            )

    def _plant_legacy(self) -> None:
        rng = self.rng
        legacy = self.mods[LEGACY_LIBRARY]
        basis = self.n_files - self.counts[LEGACY_LIBRARY]
        wanted = int(round(basis * float(self.options["legacy_rate"])))
        pool = [m for ln in LANES for m in self.mods[ln]]
        forms = (
            ("from", 0.35),
            ("from_module", 0.2),
            ("import", 0.2),
            ("import_as", 0.15),
            ("import_multi", 0.1),
        )
        for mod in rng.sample(pool, min(wanted, len(pool))):
            plan = self.plans[mod.name]
            n_here = 2 if rng.random() < 0.15 else 1
            for _ in range(n_here):
                form = self._import_form(forms)
                if form == "import_multi" and len(legacy) >= 2:
                    targets = rng.sample(legacy, 2)
                else:
                    form = "import" if form == "import_multi" else form
                    targets = [rng.choice(legacy)]
                plan.imports.append(self._spec("legacy", form, targets))

    def _plant_runtime(self) -> None:
        rng = self.rng
        wanted = int(round(self.n_files * float(self.options["runtime_rate"])))
        if float(self.options["runtime_rate"]) > 0:
            wanted = max(1, wanted)
        pool = [m for ln in ALL_LANES if ln != LEGACY_LIBRARY for m in self.mods[ln]]
        patterns = ["sys.path.insert", "importlib.import_module", "__import__"]
        for n, mod in enumerate(rng.sample(pool, min(wanted, len(pool)))):
            plan = self.plans[mod.name]
            kinds = [patterns[n % 3]]
            if rng.random() < 0.2:
                kinds.append(patterns[(n + 1) % 3])
            for kind in kinds:
                if kind == "sys.path.insert":
                    plan.runtime.append((kind, None))
                    continue
                target = self._allowed_lower(mod, {mod.name})
                if target is None:
                    if not any(k == "sys.path.insert" for k, _ in plan.runtime):
                        plan.runtime.append(("sys.path.insert", None))
                    continue
                plan.runtime.append((kind, target))

    def _allowed_lower(self, mod: Module, avoid: Set[str]) -> Optional[Module]:
        lanes = [mod.lane] + self.normal_lanes(mod.lane)
        self.rng.shuffle(lanes)
        for lane in lanes:
            target = self.pick_lower(lane, mod.rank, avoid)
            if target is not None:
                return target
        return None

    def _plant_e402(self) -> None:
        rng = self.rng
        wanted = int(round(self.n_files * float(self.options["e402_rate"])))
        pool = [m for ln in ALL_LANES for m in self.mods[ln]]
        for mod in rng.sample(pool, min(wanted, len(pool))):
            plan = self.plans[mod.name]
            n_here = 2 if rng.random() < 0.2 else 1
            for _ in range(n_here):
                r = rng.random()
                noqa = "none" if r < 0.4 else ("justified" if r < 0.7 else "unjustified")
                plan.late_noqa.append(noqa)  # which import moves down is chosen later

    def _plant_todos(self) -> None:
        rng = self.rng
        wanted = int(round(self.n_files * float(self.options["todo_rate"])))
        pool = [m for ln in ALL_LANES for m in self.mods[ln]]
        for mod in rng.sample(pool, min(wanted, len(pool))):
            plan = self.plans[mod.name]
            for _ in range(2 if rng.random() < 0.3 else 1):
                plan.todos.append(self._todo(mod))

    def _todo(self, mod: Module) -> Dict[str, Any]:
        rng = self.rng
        msg = rng.choice(TODO_MESSAGES).format(noun=mod.noun)
        r = rng.random()
        prio = rng.choice(["HIGH", "MED", "LOW"])
        owner = rng.choice(OWNERS)
        scope = rng.choice(["PROD", "CANDIDATE", "DOCS"])
        issue = "[ISSUE:%d]" % rng.randint(1, 400) if rng.random() < 0.6 else ""
        date = "2026-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
        problem = None
        if r < 0.5:
            status, kind, priority = "structured", "TODO", prio
            text = "# TODO[%s][PRIORITY:%s][OWNER:@%s][SCOPE:%s]%s : %s" % (
                date,
                prio,
                owner,
                scope,
                issue,
                msg,
            )
        elif r < 0.7:
            status, kind, priority = "malformed", "TODO", None
            if rng.random() < 0.5:
                problem = "bad_date"
                date = rng.choice(["2026-13-01", "2026-02-30", "26-05-01", "2026/05/01", "soon"])
            else:
                problem = "unknown_priority"
                prio = rng.choice(["URGENT", "CRITICAL", "P1", "high"])
            text = "# TODO[%s][PRIORITY:%s][OWNER:@%s][SCOPE:%s]%s : %s" % (
                date,
                prio,
                owner,
                scope,
                issue,
                msg,
            )
        else:
            status, priority = "plain", None
            kind = "FIXME" if rng.random() < 0.4 else "TODO"
            text = "# %s%s %s" % (kind, rng.choice([":", ""]), msg)
        return {
            "text": text,
            "kind": kind,
            "status": status,
            "priority": priority,
            "problem": problem,
            "placement": rng.choice(["own", "own", "trailing", "module"]),
        }

    def _plant_decoys(self) -> None:
        rng = self.rng
        pool = [m for ln in ALL_LANES for m in self.mods[ln]]
        for mod in rng.sample(pool, min(len(pool), max(1, len(pool) // 25))):
            self.plans[mod.name].decoy_string = True
        for mod in rng.sample(pool, min(len(pool), max(1, len(pool) // 80))):
            self.plans[mod.name].decoy_try = True
        for mod in pool:
            self.plans[mod.name].future = rng.random() < 0.5

    def _plan_normal_imports(self, mod: Module) -> None:
        rng = self.rng
        plan = self.plans[mod.name]
        avoid = {t.name for s in plan.imports for t in s.targets} | {mod.name}
        want = rng.randint(2, 6)
        planted_edges = sum(len(s.targets) for s in plan.imports)
        want = max(1, want - planted_edges)
        pkg = self.package_of(mod)
        same_pkg = pkg[: mod.idx]  # lower index == lower rank inside a package
        other_lanes = self.normal_lanes(mod.lane)
        picked: List[Module] = []
        is_legacy_lib = mod.lane == LEGACY_LIBRARY
        for _ in range(want * 4):
            if len(picked) >= want:
                break
            r = rng.random()
            target: Optional[Module] = None
            if r < 0.45 or is_legacy_lib:
                if same_pkg:
                    cand = same_pkg[rng.randrange(len(same_pkg))]
                    if cand.name not in avoid and cand.name not in self.reserved:
                        target = cand
            elif r < 0.75 or not other_lanes:
                target = self.pick_lower(mod.lane, mod.rank, avoid)
            else:
                target = self.pick_lower(rng.choice(other_lanes), mod.rank, avoid)
            if target is not None and target.name not in avoid:
                avoid.add(target.name)
                picked.append(target)
        if is_legacy_lib:
            forms: Sequence[Tuple[str, float]] = (("rel_module", 0.5), ("rel_from", 0.5))
        else:
            forms = (("from_module", 0.35), ("from", 0.35), ("import", 0.2), ("import_as", 0.1))
        normal = [self._spec("normal", self._import_form(forms), [t]) for t in picked]
        # E402: move normal imports below the first code statement, or use stdlib.
        late: List[Tuple[ImportSpec, str]] = []
        stdlib_late: List[Tuple[str, str]] = []
        for noqa in plan.late_noqa:
            if normal and rng.random() < 0.75:
                late.append((normal.pop(rng.randrange(len(normal))), noqa))
            else:
                used = {name for name, _ in stdlib_late}
                name = rng.choice([s for s in LATE_STDLIB if s not in used])
                stdlib_late.append((name, noqa))
        plan.late = late
        plan.late_stdlib = stdlib_late
        plan.imports.extend(normal)
        rng.shuffle(plan.imports)


# --------------------------------------------------------------------------- rendering


class Renderer:
    """Turns a module plan into source text and fills in manifest records."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.rng = repo.rng
        self.lane_violations: List[Dict[str, Any]] = []
        self.e402: List[Dict[str, Any]] = []
        self.legacy: List[Dict[str, Any]] = []
        self.runtime: List[Dict[str, Any]] = []
        self.todos: List[Dict[str, Any]] = []
        self.decoys = {
            "todo_in_strings": 0,
            "try_imports_after_code": 0,
            "sys_path_insert_before_imports": 0,
            "matriz_in_docstrings": 0,
        }

    # -- binding names -------------------------------------------------------

    @staticmethod
    def _unique(used: Set[str], candidates: Sequence[str]) -> str:
        for cand in candidates:
            if cand not in used:
                used.add(cand)
                return cand
        base = candidates[-1]
        n = 2
        while "%s_%d" % (base, n) in used:
            n += 1
        used.add("%s_%d" % (base, n))
        return "%s_%d" % (base, n)

    def _import_line(self, spec: ImportSpec, mod: Module, used: Set[str]) -> str:
        """Render ``spec`` and set its callable expressions."""
        rng = self.rng
        tgt = spec.targets[0]
        exprs: List[str] = []
        if spec.form == "import":
            spec.binding = tgt.lane
            exprs.append("%s.%s" % (tgt.name, rng.choice(tgt.funcs)))
            line = "import %s" % tgt.name
        elif spec.form == "import_multi":
            spec.binding = tgt.lane
            for t in spec.targets:
                exprs.append("%s.%s" % (t.name, rng.choice(t.funcs)))
            line = "import %s" % ", ".join(t.name for t in spec.targets)
        elif spec.form == "import_as":
            if spec.role == "legacy":
                cands = [
                    "legacy_%s" % tgt.short,
                    "legacy_%s_%s" % (tgt.pkg_dir, tgt.short),
                ]
            else:
                cands = ["%s_%s_%s" % (tgt.lane, tgt.pkg_dir, tgt.short)]
            alias = self._unique(used, cands)
            exprs.append("%s.%s" % (alias, rng.choice(tgt.funcs)))
            line = "import %s as %s" % (tgt.name, alias)
        elif spec.form in ("from_module", "rel_module"):
            pkg_short = tgt.pkg_dir
            cands = [
                tgt.short,
                "%s_%s" % (pkg_short, tgt.short),
                "%s_%s_%s" % (tgt.lane, pkg_short, tgt.short),
            ]
            name = self._unique(used, cands)
            alias = "" if name == tgt.short else " as %s" % name
            exprs.append("%s.%s" % (name, rng.choice(tgt.funcs)))
            src = tgt.package if spec.form == "from_module" else "."
            line = "from %s import %s%s" % (src, tgt.short, alias)
        else:  # from / rel_from
            parts = []
            for fn in spec.names:
                local = self._unique(
                    used, [fn, "%s_%s" % (fn, tgt.short), "%s_%s_%s" % (fn, tgt.pkg_dir, tgt.short)]
                )
                parts.append(fn if local == fn else "%s as %s" % (fn, local))
                exprs.append(local)
            src = tgt.name if spec.form == "from" else "." + tgt.short
            line = "from %s import %s" % (src, ", ".join(parts))
        spec.exprs = exprs
        return line

    # -- module --------------------------------------------------------------

    def render(self, mod: Module) -> str:
        if mod.is_init:
            if mod.pkg is None:
                return '"""Top-level package of the %s lane."""\n' % mod.lane
            return '"""Package %s of the %s lane."""\n' % (mod.name, mod.lane)
        rng = self.rng
        plan = self.repo.plans[mod.name]
        out: List[str] = []

        def emit(text: str) -> int:
            out.append(text)
            return len(out)

        # docstring -----------------------------------------------------------
        title = "%s %s helpers" % (
            mod.noun.capitalize(),
            rng.choice(["routing", "scoring", "storage", "parsing", "planning"]),
        )
        emit('"""%s for the %s lane (%s).' % (title, mod.lane, mod.package))
        if rng.random() < 0.6 or plan.decoy_string:
            emit("")
            if plan.decoy_string:
                emit("TODO markers found in %s payloads are preserved verbatim." % mod.noun)
                self.decoys["todo_in_strings"] += 1
            elif mod.lane == CANONICAL_LIBRARY:
                emit("Canonical successor of the legacy matriz package.")
                self.decoys["matriz_in_docstrings"] += 1
            else:
                emit(
                    "Used by sibling modules; see the package docs for the %s contract." % mod.noun
                )
        out[-1] += '"""' if len(out) == 1 else ""
        if len(out) > 1:
            emit('"""')
        if plan.future:
            emit("from __future__ import annotations")
        emit("")

        used: Set[str] = {
            "LOGGER",
            "logging",
            "os",
            "sys",
            "importlib",
            "Any",
            "Dict",
            "List",
            "Optional",
            "annotations",
            "zlib",
            "codec",
            "__all__",
            "_HANDLERS",
        }
        used.update(mod.funcs)
        used.add(mod.const)
        if mod.cls:
            used.add(mod.cls)
        used.update(LATE_STDLIB)
        kinds = [k for k, _ in plan.runtime]
        stdlib = ["import logging"]
        if "importlib.import_module" in kinds:
            stdlib.insert(0, "import importlib")
        if "sys.path.insert" in kinds:
            stdlib += ["import os", "import sys"]
        for line in stdlib:
            emit(line)
        typing_line = emit("from typing import ...") - 1  # filled in once the body is known
        if "sys.path.insert" in kinds:
            emit("")
            ln = emit('sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))')
            self.runtime.append({"file": mod.path, "line": ln, "pattern": "sys.path.insert"})
            if plan.imports:
                self.decoys["sys_path_insert_before_imports"] += 1

        # generated imports ---------------------------------------------------
        if plan.imports:
            emit("")
        for spec in plan.imports:
            text = self._import_line(spec, mod, used)
            spec.line = emit(text)
            if spec.role == "violation":
                tgt = spec.targets[0]
                self.lane_violations.append(
                    {
                        "file": mod.path,
                        "line": spec.line,
                        "col": 1,
                        "importer_lane": mod.lane,
                        "imported_lane": tgt.lane,
                        "imported_module": tgt.name,
                        "form": spec.form,
                    }
                )
        emit("")
        emit("LOGGER = logging.getLogger(__name__)")
        late_specs: List[ImportSpec] = []
        if plan.late or plan.late_stdlib:
            emit("")
            items: List[Tuple[str, str]] = []
            for spec, noqa in plan.late:
                items.append((self._import_line(spec, mod, used), noqa))
                late_specs.append(spec)
            for name, noqa in plan.late_stdlib:
                items.append(("import %s" % name, noqa))
            for text, noqa in items:
                if noqa == "justified":
                    text += "  # noqa: E402 -- %s, see ISSUE-%d" % (
                        rng.choice(NOQA_REASONS),
                        rng.randint(1, 400),
                    )
                elif noqa == "unjustified":
                    text += "  # noqa: E402"
                ln = emit(text)
                self.e402.append({"file": mod.path, "line": ln, "noqa": noqa})
        if plan.decoy_try:
            emit("")
            emit("try:")
            emit("    import zlib as codec")
            emit("except ImportError:  # pragma: no cover - optional accelerator")
            emit("    codec = None")
            self.decoys["try_imports_after_code"] += 1
        emit("")
        emit("%s = %d" % (mod.const, rng.choice([8, 16, 32, 64, 128, 256])))
        exported = list(mod.funcs) + ([mod.cls] if mod.cls else [])
        emit("__all__ = [%s]" % ", ".join('"%s"' % n for n in exported))

        # body ----------------------------------------------------------------
        all_specs = plan.imports + late_specs
        callables: List[Tuple[str, Optional[ImportSpec]]] = []
        for spec in all_specs:
            for expr in spec.exprs:
                callables.append((expr, spec))
        for name, _ in plan.late_stdlib:
            callables.append(
                (
                    {
                        "json": "json.dumps",
                        "textwrap": "textwrap.dedent",
                        "itertools": "itertools.chain",
                        "functools": "functools.reduce",
                        "collections": "collections.Counter",
                        "string": "string.capwords",
                    }[name],
                    None,
                )
            )
        rng.shuffle(callables)
        queue = list(callables)

        def next_call() -> str:
            if queue:
                expr, spec = queue.pop()
            elif callables:
                expr, spec = callables[rng.randrange(len(callables))]
            else:
                return rng.choice(["repr", "str", "len"])
            if (
                spec is not None
                and spec.role == "legacy"
                and spec.form in ("import", "import_multi")
            ):
                spec.usages += 1
            return expr

        todo_by_func: Dict[int, List[Dict[str, Any]]] = {}
        for todo in plan.todos:
            todo_by_func.setdefault(rng.randrange(len(mod.funcs)), []).append(todo)
        decoy_func = rng.randrange(len(mod.funcs)) if plan.decoy_string else -1

        for i, fname in enumerate(mod.funcs):
            block = self._function(fname, mod, next_call)
            if i == decoy_func:
                block.insert(
                    2,
                    '    LOGGER.debug("TODO: revisit %%s thresholds (FIXME later)", "%s")'
                    % mod.noun,
                )
            todos = todo_by_func.get(i, [])
            recs: List[Tuple[int, Dict[str, Any]]] = []  # (index in block, todo)
            pre: List[Dict[str, Any]] = []
            trailing_used = False
            for todo in todos:
                place = todo["placement"]
                if place == "module":
                    pre.append(todo)
                elif place == "trailing" and not trailing_used:
                    trailing_used = True
                    block[-1] += "  " + todo["text"]
                    recs.append((len(block) - 1, todo))
                else:
                    block.insert(2, "    " + todo["text"])
                    recs = [(k + 1 if k >= 2 else k, t) for k, t in recs]
                    recs.append((2, todo))
            emit("")
            emit("")
            for todo in pre:
                self._record_todo(mod, emit(todo["text"]), todo)
            start = len(out)
            for text in block:
                emit(text)
            for k, todo in recs:
                self._record_todo(mod, start + k + 1, todo)

        if mod.cls:
            emit("")
            emit("")
            for text in self._klass(mod, next_call):
                emit(text)

        for kind, target in plan.runtime:
            if kind == "sys.path.insert" or target is None:
                continue
            emit("")
            emit("")
            emit("def _load_%s_plugin() -> Any:" % ("dynamic" if kind == "__import__" else "lazy"))
            emit('    """Import an optional implementation at call time."""')
            if kind == "importlib.import_module":
                ln = emit('    module = importlib.import_module("%s")' % target.name)
            else:
                ln = emit(
                    '    module = __import__("%s", fromlist=["%s"])'
                    % (target.name, target.funcs[0])
                )
            emit("    return getattr(module, %r)" % target.funcs[0])
            self.runtime.append({"file": mod.path, "line": ln, "pattern": kind})

        if queue:  # every import is referenced at least once
            emit("")
            emit("")
            emit("_HANDLERS = (")
            while queue:
                emit("    %s," % next_call())
            emit(")")

        body = "\n".join(out[typing_line + 1 :])
        out[typing_line] = "from typing import %s" % ", ".join(
            n for n, use in TYPING_USE if use in body
        )
        for spec in all_specs:
            if spec.role != "legacy":
                continue
            self.legacy.append(
                {
                    "file": mod.path,
                    "line": spec.line,
                    "form": spec.form,
                    "modules": [t.name for t in spec.targets],
                    "modules_rewritten": len(spec.targets),
                    "usage_rewrites": spec.usages,
                }
            )
        return "\n".join(out) + "\n"

    def _record_todo(self, mod: Module, line: int, todo: Dict[str, Any]) -> None:
        self.todos.append(
            {
                "file": mod.path,
                "line": line,
                "kind": todo["kind"],
                "status": todo["status"],
                "priority": todo["priority"],
                "lane": mod.lane,
                "problem": todo["problem"],
            }
        )

    def _function(self, fname: str, mod: Module, call: Any) -> List[str]:
        verb, noun = fname.split("_", 1)
        const = mod.const
        doc = '    """%s %s items."""' % (verb.capitalize(), noun)
        t = self.rng.randrange(5)
        if t == 0:
            return [
                "def %s(data: Any, limit: int = %s) -> List[Any]:" % (fname, const),
                doc,
                "    items = list(data or [])[:limit]",
                "    result = []",
                "    for item in items:",
                "        result.append(%s(item))" % call(),
                "    return result",
            ]
        if t == 1:
            return [
                "def %s(data: Any) -> Dict[str, Any]:" % fname,
                doc,
                '    summary: Dict[str, Any] = {"source": __name__}',
                '    summary["primary"] = %s(data)' % call(),
                '    summary["secondary"] = %s(data)' % call(),
                '    if not summary["primary"]:',
                '        LOGGER.debug("empty %%s result", "%s")' % noun,
                "    return summary",
            ]
        if t == 2:
            return [
                "def %s(data: Any, strict: bool = False) -> Optional[Any]:" % fname,
                doc,
                "    if data is None:",
                "        return None",
                "    try:",
                "        value = %s(data)" % call(),
                "    except (ValueError, KeyError) as exc:",
                "        if strict:",
                "            raise",
                '        LOGGER.warning("%s failed: %%s", exc)' % fname,
                "        return None",
                "    return value",
            ]
        if t == 3:
            return [
                "def %s(data: Any) -> int:" % fname,
                doc,
                "    total = 0",
                "    for index, item in enumerate(data or ()):",
                "        total += (index + 1) * len(str(item))",
                "    return total %% %s" % const,
            ]
        return [
            "def %s(left: Any, right: Any = None) -> List[Any]:" % fname,
            doc,
            "    merged = [%s(left)]" % call(),
            "    if right is not None:",
            "        merged.append(%s(right))" % call(),
            "    return sorted(merged, key=repr)",
        ]

    def _klass(self, mod: Module, call: Any) -> List[str]:
        method = self.rng.choice(VERBS)
        return [
            "class %s:" % mod.cls,
            '    """Stateful %s helper."""' % mod.noun,
            "",
            "    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:",
            "        self.config = dict(config or {})",
            "        self.calls = 0",
            "",
            "    def %s(self, data: Any) -> Any:" % method,
            "        self.calls += 1",
            '        if self.calls > self.config.get("max_calls", %s):' % mod.const,
            '            raise RuntimeError("%s budget exhausted")' % mod.noun,
            "        return %s(data)" % call(),
            "",
            "    def reset(self) -> None:",
            "        self.calls = 0",
        ]


# --------------------------------------------------------------------------- manifest


def lanes_config() -> Dict[str, Any]:
    return {
        "order": list(LANES),
        "libraries": list(LIBRARIES),
        "paths": {lane: ["%s/%s/**" % (SOURCE_ROOT, lane)] for lane in ALL_LANES},
        "allowed_imports": {lane: list(ALLOWED_IMPORTS[lane]) for lane in ALL_LANES},
        "production": list(PRODUCTION),
        "source_root": SOURCE_ROOT,
        "self_imports_allowed": True,
        "legacy_aliases": {LEGACY_LIBRARY: CANONICAL_LIBRARY},
    }


def _per_lane(items: List[Dict[str, Any]], key: str = "lane") -> Dict[str, int]:
    out = {lane: 0 for lane in ALL_LANES}
    for item in items:
        out[item[key]] += 1
    return out


def _tally(items: List[Dict[str, Any]], key: str, keys: Sequence[Any]) -> Dict[str, int]:
    def name(value: Any) -> str:
        return "none" if value is None else str(value)

    out = {name(k): 0 for k in keys}
    for item in items:
        out[name(item[key])] += 1
    return out


def lane_of(path: str) -> str:
    return path.split("/")[1]


def build_counts(m: Dict[str, Any]) -> Dict[str, Any]:
    """Totals per category and per lane, derived only from the manifest lists."""
    for cat in ("e402", "legacy_imports", "runtime_imports"):
        for item in m[cat]:
            item.setdefault("lane", lane_of(item["file"]))
    counts: Dict[str, Any] = {"files": m["files"]}
    lv = m["lane_violations"]
    counts["lane_violations"] = {
        "total": len(lv),
        "files": len({x["file"] for x in lv}),
        "per_importer_lane": _per_lane(lv, "importer_lane"),
        "per_imported_lane": _per_lane(lv, "imported_lane"),
    }
    cyc = m["cycles"]
    per_lane_cycles = {lane: 0 for lane in ALL_LANES}
    for c in cyc:
        per_lane_cycles[c[0].split(".")[0]] += 1
    counts["cycles"] = {
        "total": len(cyc),
        "modules": sum(len(c) for c in cyc),
        "per_length": _tally([{"n": len(c)} for c in cyc], "n", [2, 3, 4]),
        "per_lane": per_lane_cycles,
        "production": sum(per_lane_cycles[ln] for ln in PRODUCTION),
    }
    e4 = m["e402"]
    counts["e402"] = {
        "total": len(e4),
        "files": len({x["file"] for x in e4}),
        "per_noqa": _tally(e4, "noqa", ["none", "justified", "unjustified"]),
        "per_lane": _per_lane(e4),
    }
    lg = m["legacy_imports"]
    counts["legacy_imports"] = {
        "total": len(lg),
        "files": len({x["file"] for x in lg}),
        "modules_rewritten": sum(x["modules_rewritten"] for x in lg),
        "usage_rewrites": sum(x["usage_rewrites"] for x in lg),
        "per_form": _tally(
            lg, "form", ["import", "import_as", "import_multi", "from", "from_module"]
        ),
        "per_lane": _per_lane(lg),
    }
    rt = m["runtime_imports"]
    counts["runtime_imports"] = {
        "total": len(rt),
        "files": len({x["file"] for x in rt}),
        "per_pattern": _tally(
            rt, "pattern", ["sys.path.insert", "importlib.import_module", "__import__"]
        ),
        "per_lane": _per_lane(rt),
    }
    td = m["todos"]
    counts["todos"] = {
        "total": len(td),
        "files": len({x["file"] for x in td}),
        "per_kind": _tally(td, "kind", ["TODO", "FIXME"]),
        "per_status": _tally(td, "status", ["structured", "malformed", "plain"]),
        "per_priority": _tally(td, "priority", ["HIGH", "MED", "LOW", None]),
        "per_lane": _per_lane(td),
    }
    return counts


def _sorted(items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return sorted(items, key=lambda x: (x["file"], x["line"]))


def _reorder(item: Dict[str, Any], keys: Sequence[str]) -> Dict[str, Any]:
    return {k: item[k] for k in keys}


# --------------------------------------------------------------------------- output


def prepare_out_dir(out: str, force: bool) -> None:
    if os.path.exists(out) and not os.path.isdir(out):
        raise GenerationError("--out %s exists and is not a directory" % out)
    if os.path.isdir(out) and os.listdir(out):
        if not force:
            raise GenerationError(
                "refusing to write into non-empty directory %s (pass --force to replace a "
                "previous generator output there)" % out
            )
        src = os.path.join(out, SOURCE_ROOT)
        if os.path.exists(src) and not os.path.isfile(os.path.join(out, "planted.json")):
            raise GenerationError(
                "%s exists but %s has no planted.json: not a gen_monorepo output, not deleting it"
                % (src, out)
            )
        if os.path.isdir(src):
            shutil.rmtree(src)
        elif os.path.exists(src):
            os.remove(src)
        for name in ("planted.json", "lanes.json"):
            path = os.path.join(out, name)
            if os.path.exists(path):
                os.remove(path)
    os.makedirs(out, exist_ok=True)


def generate(
    out: str,
    n_files: int = 10000,
    seed: int = 0,
    force: bool = False,
    shape: str = "uniform",
    **options: Any,
) -> Dict[str, Any]:
    """Generate the repository into ``out`` and return the manifest."""
    opts = dict(DEFAULTS)
    for key, value in options.items():
        if key not in DEFAULTS:
            raise GenerationError("unknown option %r" % key)
        if value is not None:
            opts[key] = value
    for key, value in opts.items():
        if value < 0 or (key.endswith("_rate") and value > 1):
            raise GenerationError("invalid value for %s: %r" % (key, value))
    repo = Repo(n_files, seed, opts, shape)
    repo.plant()
    prepare_out_dir(out, force)

    renderer = Renderer(repo)
    made_dirs: Set[str] = set()
    for mod in repo.modules:
        path = os.path.join(out, *mod.path.split("/"))
        folder = os.path.dirname(path)
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "BUILD"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("python_sources()\n")
            made_dirs.add(folder)
        text = renderer.render(mod)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    manifest: Dict[str, Any] = {
        "generator": {
            "name": "gen_monorepo",
            "version": GENERATOR_VERSION,
            "seed": seed,
            "files_requested": n_files,
            "shape": shape,
            "options": opts,
        },
        "source_root": SOURCE_ROOT,
        "files": len(repo.modules),
        "per_lane_files": {lane: repo.counts[lane] for lane in ALL_LANES},
        "lane_violations": [
            _reorder(
                x,
                [
                    "file",
                    "line",
                    "col",
                    "importer_lane",
                    "imported_lane",
                    "imported_module",
                    "form",
                ],
            )
            for x in _sorted(renderer.lane_violations)
        ],
        "cycles": [[m.name for m in c] for c in repo.cycles],
        "e402": _sorted(renderer.e402),
        "legacy_imports": _sorted(renderer.legacy),
        "runtime_imports": _sorted(renderer.runtime),
        "todos": [
            _reorder(x, ["file", "line", "kind", "status", "priority", "lane", "problem"])
            for x in _sorted(renderer.todos)
        ],
        "decoys": renderer.decoys,
        "warnings": repo.warnings,
    }
    counts = build_counts(manifest)
    for cat, keys in (
        ("e402", ["file", "line", "noqa", "lane"]),
        (
            "legacy_imports",
            ["file", "line", "form", "modules", "modules_rewritten", "usage_rewrites", "lane"],
        ),
        ("runtime_imports", ["file", "line", "pattern", "lane"]),
    ):
        manifest[cat] = [_reorder(x, keys) for x in manifest[cat]]
    manifest["counts"] = counts

    with open(os.path.join(out, "lanes.json"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(lanes_config(), indent=2) + "\n")
    with open(os.path.join(out, "planted.json"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(manifest, indent=2) + "\n")
    return manifest


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Generate a synthetic lane-structured Python monorepo with a manifest "
        "(planted.json) of planted lane violations, cycles, E402, legacy imports, "
        "runtime imports and TODOs."
    )
    p.add_argument("--out", required=True, help="output directory (must be empty unless --force)")
    p.add_argument(
        "--files",
        type=int,
        default=10000,
        help="number of .py files (default 10000, min %d)" % MIN_FILES,
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--shape",
        choices=SHAPES,
        default="uniform",
        help="directory layout: 'uniform' packages of ~%d files, or 'realistic' (as measured on "
        "a real monorepo: median 2 files per directory, a quarter with one file, one directory "
        "with %d%%%% of the files) (default uniform)"
        % (PACKAGE_FILES, int(REALISTIC_LARGEST_SHARE * 100)),
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR, replacing a previous output's src/, lanes.json "
        "and planted.json (other files such as pants.toml are kept)",
    )
    p.add_argument(
        "--violation-rate",
        type=float,
        default=None,
        help="lane violations per file of the four lanes (default %(d)s)"
        % {"d": DEFAULTS["violation_rate"]},
    )
    p.add_argument(
        "--cycles",
        type=int,
        default=None,
        help="import cycles to plant (default %d)" % DEFAULTS["cycles"],
    )
    p.add_argument(
        "--e402-rate",
        type=float,
        default=None,
        help="share of files with late imports (default %s)" % DEFAULTS["e402_rate"],
    )
    p.add_argument(
        "--legacy-rate",
        type=float,
        default=None,
        help="share of non-matriz files with legacy matriz imports (default %s)"
        % DEFAULTS["legacy_rate"],
    )
    p.add_argument(
        "--runtime-rate",
        type=float,
        default=None,
        help="share of files with runtime imports (default %s)" % DEFAULTS["runtime_rate"],
    )
    p.add_argument(
        "--todo-rate",
        type=float,
        default=None,
        help="share of files with TODO/FIXME comments (default %s)" % DEFAULTS["todo_rate"],
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return p.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        manifest = generate(
            args.out,
            n_files=args.files,
            seed=args.seed,
            force=args.force,
            shape=args.shape,
            violation_rate=args.violation_rate,
            cycles=args.cycles,
            e402_rate=args.e402_rate,
            legacy_rate=args.legacy_rate,
            runtime_rate=args.runtime_rate,
            todo_rate=args.todo_rate,
        )
    except GenerationError as exc:
        print("gen_monorepo: error: %s" % exc, file=sys.stderr)
        return 2
    for warning in manifest["warnings"]:
        print("gen_monorepo: warning: %s" % warning, file=sys.stderr)
    if not args.quiet:
        c = manifest["counts"]
        print(
            "wrote %d files to %s in %.2fs: %d lane violations, %d cycles, %d E402, "
            "%d legacy imports, %d runtime imports, %d TODOs"
            % (
                manifest["files"],
                args.out,
                time.perf_counter() - started,
                c["lane_violations"]["total"],
                c["cycles"]["total"],
                c["e402"]["total"],
                c["legacy_imports"]["total"],
                c["runtime_imports"]["total"],
                c["todos"]["total"],
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
