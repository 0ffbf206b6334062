"""Import health: E402 exceptions, runtime imports and legacy imports per file, rolled up by lane.

Per file, `analyze_imports` reads a file's bytes with the standard library (`ast` for the
statements, `tokenize` for the comments) and never raises: a file that does not decode or parse
is itself a finding (`unparseable`). Legacy imports come from the one legacy-import detector,
matriz-migrate's rewrite (`lanekeeper.rename`, libcst), so that both goals count the same
references; it parses only the files whose bytes may mention a legacy name (most never do).
E402 is not detected here: ruff finds it (the caller runs `ruff check --select E402
--ignore-noqa --output-format json` and feeds `parse_ruff_json`), and its lines decide which
`# noqa: E402` comments suppress something.

Each `# noqa` comment that names E402 (`# noqa: E402`, `# noqa: E402,F401`, `# NOQA:E402`) is
an exception and gets exactly one category, the first that applies:

- `noqa-unused`: ruff reports no E402 on its line, so it suppresses nothing;
- `noqa-expired`: tagged `EXCEPTION-YYYYMMDD` (the grant date) and more than `ttl_days` old;
- `noqa-unjustified`: no `-- reason`, no issue reference (`ISSUE-123`, `#123`, `issue 123` or a
  URL) or a bad EXCEPTION tag;
- `noqa-expiring-soon`: tagged, and the TTL ends within 14 days of today (still valid);
- `noqa-justified`: a reason and an issue, and no expiry problem.

A bare `# noqa` (no codes) suppresses every code, E402 included: on a line ruff reports E402
for, it is an E402 exception like the others (and the line is no `e402` finding). On any other
line it is left alone, since it may suppress other codes, which only ruff (RUF100) can judge.

Runtime imports (`runtime-import`, detail the pattern): `sys.path.insert`, `sys.path.append`,
`sys.path-assign` (`sys.path = ...`, `sys.path[...] = ...`, `sys.path += ...`),
`importlib.import_module`, `__import__`, `eval`, `exec`, and import statements nested in a
function, an `if` or a `try` (`import-in-function`, `import-under-if`, `import-under-try`, after
the innermost of them). Names are resolved through the file's imports, so
`from importlib import import_module as load; load(...)` counts. Imports in the body of
`if TYPE_CHECKING:` never run, so they are not runtime imports (its `else` branch is).

Legacy imports (`legacy-import`, detail `<kind> <before> -> <after>`): one per legacy reference
(`migration.LEGACY_REFERENCE_KINDS`): each legacy module an import statement names
(`import matriz.a, matriz.b` is two, `from matriz.a import x, y` one), and each use that reaches
a legacy module through an import of its parent package (`import candidate`, then
`candidate.memory_index.f()`).
"""

from __future__ import annotations

import ast
import functools
import io
import json
import posixpath
import re
import tokenize
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Collection, Iterable, Iterator, Mapping, Optional, Sequence

from lanekeeper.kernel import ratchet
from lanekeeper.kernel.lane_config import LaneConfig
from lanekeeper.kernel.ratchet import UNLANED, Comparison, files_most_first
from lanekeeper.kernel.source_text import decode_source
from lanekeeper.migration import DEFAULT_RENAMES, may_mention

E402 = "e402"
NOQA_JUSTIFIED = "noqa-justified"
NOQA_UNJUSTIFIED = "noqa-unjustified"
NOQA_EXPIRED = "noqa-expired"
NOQA_EXPIRING_SOON = "noqa-expiring-soon"
NOQA_UNUSED = "noqa-unused"
RUNTIME_IMPORT = "runtime-import"
LEGACY_IMPORT = "legacy-import"
LANE_VIOLATION = "lane-violation"
CYCLE = "cycle"
UNPARSEABLE = "unparseable"

# Every category, in report order.
CATEGORIES = (
    E402,
    NOQA_UNUSED,
    NOQA_EXPIRED,
    NOQA_UNJUSTIFIED,
    NOQA_EXPIRING_SOON,
    NOQA_JUSTIFIED,
    RUNTIME_IMPORT,
    LEGACY_IMPORT,
    LANE_VIOLATION,
    CYCLE,
    UNPARSEABLE,
)
NOQA_CATEGORIES = (
    NOQA_UNUSED,
    NOQA_EXPIRED,
    NOQA_UNJUSTIFIED,
    NOQA_EXPIRING_SOON,
    NOQA_JUSTIFIED,
)
# Categories whose rise in a production lane fails the run. A justified exception is the
# guide's sanctioned way out of an E402, and an expiring one is still valid.
RATCHETED = tuple(c for c in CATEGORIES if c not in (NOQA_JUSTIFIED, NOQA_EXPIRING_SOON))
# Categories that fail the run in a production lane, whatever the baseline says.
POLICY_CATEGORIES = (NOQA_EXPIRED, NOQA_UNJUSTIFIED)

DEFAULT_TTL_DAYS = 90
EXPIRING_WITHIN_DAYS = 14
NOT_CHECKED = "not checked"

_NOQA = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+|\s+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_NOQA_WORD = re.compile("noqa", re.IGNORECASE)  # what every match of `_NOQA` contains
_REASON_SEPARATOR = re.compile(r"^\s*--\s*")
_ISSUE_REF = re.compile(
    r"\bISSUE-[0-9]+\b|(?<![\w&])#[0-9]+\b|\bissue\s+[0-9]+\b|\bhttps?://\S+", re.IGNORECASE
)
_EXCEPTION_TAG = re.compile(r"\bEXCEPTION-([0-9]*)")
_ERROR_LINE = re.compile(r"line ([0-9]+): (.*)", re.DOTALL)
_LINE_BREAK = re.compile(r"\r\n|\r")
_TYPE_CHECKING = ("TYPE_CHECKING", "typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING")
_CALL_PATTERNS = {
    "sys.path.insert": "sys.path.insert",
    "sys.path.append": "sys.path.append",
    "importlib.import_module": "importlib.import_module",
    "importlib.__import__": "__import__",
    "__import__": "__import__",
    "builtins.__import__": "__import__",
    "eval": "eval",
    "builtins.eval": "eval",
    "exec": "exec",
    "builtins.exec": "exec",
}
# The names a call must write to be one of `_CALL_PATTERNS`: all but the first, which an import
# may rename (`import importlib as il`), or the one name of `eval`.
_CALL_PATTERN_WORDS = tuple(
    tuple(pattern.split(".")[1:] or [pattern]) for pattern in _CALL_PATTERNS
)
# Statements sit only in statement bodies, `except` handlers and `match` cases.
_STATEMENT_NODES: tuple[type, ...] = (ast.stmt, ast.excepthandler) + (
    (ast.match_case,) if hasattr(ast, "match_case") else ()
)


@dataclass(frozen=True)
class ImportFinding:
    """One finding: a 1-based line of `path`, its category and a one-line detail."""

    path: str
    line: int
    category: str
    detail: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "category": self.category,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class NoqaException:
    """One `# noqa` comment covering E402, as read: its category and what it says.

    `granted` and `expires` are ISO dates, set only for a valid `EXCEPTION-YYYYMMDD` tag.
    """

    path: str
    line: int
    category: str
    comment: str
    reason: Optional[str]
    issue: Optional[str]
    granted: Optional[str]
    expires: Optional[str]

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "category": self.category,
            "comment": self.comment,
            "reason": self.reason,
            "issue": self.issue,
            "granted": self.granted,
            "expires": self.expires,
        }


@dataclass(frozen=True)
class FileImportHealth:
    """The findings of one file, by line; `error` says why it could not be analyzed, if so.

    `e402_checked` is False when no ruff result was given for the file, so neither `e402` nor
    `noqa-unused` could be decided.
    """

    path: str
    findings: tuple[ImportFinding, ...]
    error: Optional[str] = None
    exceptions: tuple[NoqaException, ...] = ()
    e402_checked: bool = True


# ---------------------------------------------------------------------------------------------
# Per file


def analyze_imports(
    path: str,
    data: bytes,
    *,
    today: date,
    e402_lines: Optional[Collection[int]] = None,
    renames: Mapping[str, str] = DEFAULT_RENAMES,
    ttl_days: int = DEFAULT_TTL_DAYS,
) -> FileImportHealth:
    """The import health of the file `path` whose content is `data`; never raises.

    `e402_lines` are the lines ruff reported E402 for in this file with `--ignore-noqa` (so
    suppressed ones too); None when ruff was not run, which leaves `e402` and `noqa-unused`
    unchecked. `renames` are matriz-migrate's: their legacy names are the legacy imports.
    """
    decoded = decode_source(data)
    if decoded.text is None:
        return _unparseable(path, decoded.error_line, decoded.error or "")
    source = _LINE_BREAK.sub("\n", decoded.text)
    if "\0" in source:  # a ValueError before Python 3.12, a SyntaxError since
        line = source[: source.find("\0")].count("\n") + 1
        return _unparseable(path, line, f"line {line}: source contains a null byte")
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:  # IndentationError and TabError too
        line = exc.lineno or 1
        return _unparseable(path, line, f"line {line}: {type(exc).__name__}: {exc.msg}")
    except ValueError as exc:
        return _unparseable(path, 1, f"line 1: {exc}")
    except (RecursionError, MemoryError):
        return _unparseable(path, 1, "line 1: too deeply nested for the Python parser")

    checked = e402_lines is not None
    reported = frozenset(e402_lines or ())
    findings: list[ImportFinding] = []
    exceptions: list[NoqaException] = []
    covered: set[int] = set()
    for number, comment in _comments(source):
        exception = classify_noqa(
            path, number, comment, number in reported, checked, today, ttl_days
        )
        if exception is None:
            continue
        covered.add(number)
        exceptions.append(exception)
        findings.append(
            ImportFinding(
                path, number, exception.category, _noqa_detail(exception, today, ttl_days)
            )
        )
    statements = _import_statements(tree)
    for number in sorted(reported - covered):
        statement = _unparse(statements[number]) if number in statements else ""
        what = f": `{statement}`" if statement else ""
        findings.append(
            ImportFinding(path, number, E402, f"module level import not at top of file{what}")
        )
    findings.extend(_runtime_imports(path, tree, _may_call_a_pattern(source)))
    findings.extend(_legacy_imports(path, data, renames))
    findings.sort(key=lambda f: (f.line, CATEGORIES.index(f.category), f.detail))
    return FileImportHealth(path, tuple(findings), None, tuple(exceptions), checked)


def _unparseable(path: str, line: int, error: str) -> FileImportHealth:
    """A file that could not be read: one `unparseable` finding and the error."""
    detail = error.split(": ", 1)[1] if error.startswith("line ") else error
    return FileImportHealth(
        path, (ImportFinding(path, line, UNPARSEABLE, detail),), error, (), False
    )


def _comments(source: str) -> list[tuple[int, str]]:
    """Every `(line, comment)` of a source that parses; the ones before a tokenize error.

    Only `# noqa` comments matter, so a source that never says `noqa` is not tokenized (the
    slowest step of the analysis otherwise).
    """
    comments: list[tuple[int, str]] = []
    if _NOQA_WORD.search(source) is None:
        return comments
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                comments.append((token.start[0], token.string))
    except (tokenize.TokenError, SyntaxError):
        pass
    return comments


def classify_noqa(
    path: str,
    line: int,
    comment: str,
    is_e402: bool,
    e402_checked: bool,
    today: date,
    ttl_days: int = DEFAULT_TTL_DAYS,
) -> Optional[NoqaException]:
    """The E402 exception of one comment, or None if it is not a `# noqa` covering E402.

    `is_e402`: ruff reports E402 on the line; `e402_checked`: ruff was run at all.
    """
    match = _NOQA.search(comment)
    if match is None:
        return None
    codes = match.group("codes")
    names_e402 = codes is not None and "E402" in re.split(r"[\s,]+", codes.upper())
    if not names_e402 and (codes is not None or not is_e402):
        return None
    rest = comment[match.end() :]
    separator = _REASON_SEPARATOR.match(rest)
    reason = rest[separator.end() :].strip() if separator else None
    issue_match = _ISSUE_REF.search(reason) if reason else None
    issue = issue_match.group(0).rstrip(".,;:)") if issue_match else None
    tag = _EXCEPTION_TAG.search(comment[match.end() :])
    granted: Optional[date] = None
    tag_problem: Optional[str] = None
    if tag is not None:
        granted = _tag_date(tag.group(1))
        if granted is None:
            tag_problem = f"bad tag `{tag.group(0)}` (want EXCEPTION-YYYYMMDD, the grant date)"
        elif granted > today:
            tag_problem = f"`{tag.group(0)}` is dated after {today.isoformat()}"
            granted = None
    expires = granted + timedelta(days=ttl_days) if granted is not None else None

    if e402_checked and not is_e402:
        category = NOQA_UNUSED
    elif expires is not None and expires < today:
        category = NOQA_EXPIRED
    elif not reason or issue is None or tag_problem is not None or not _has_words(reason):
        category = NOQA_UNJUSTIFIED
    elif expires is not None and (expires - today).days <= EXPIRING_WITHIN_DAYS:
        category = NOQA_EXPIRING_SOON
    else:
        category = NOQA_JUSTIFIED
    return NoqaException(
        path=path,
        line=line,
        category=category,
        comment=comment.strip(),
        reason=reason or None,
        issue=issue,
        granted=granted.isoformat() if granted else None,
        expires=expires.isoformat() if expires else None,
    )


def _tag_date(digits: str) -> Optional[date]:
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _has_words(reason: str) -> bool:
    """Whether the reason says something besides its issue references and tags."""
    rest = _EXCEPTION_TAG.sub(" ", _ISSUE_REF.sub(" ", reason))
    return re.search(r"[A-Za-z]{2,}", rest) is not None


def _noqa_detail(exception: NoqaException, today: date, ttl_days: int) -> str:
    """One line: what is wrong (or right) with an exception."""
    category = exception.category
    reason = f"reason: {exception.reason}" if exception.reason else "no `-- reason`"
    issue = f"issue {exception.issue}" if exception.issue else "no issue reference"
    if category == NOQA_UNUSED:
        return "`# noqa: E402` on a line with no E402: it suppresses nothing; remove it"
    if category in (NOQA_EXPIRED, NOQA_EXPIRING_SOON) and exception.expires:
        expires = date.fromisoformat(exception.expires)
        days = abs((expires - today).days)
        if category == NOQA_EXPIRED:
            when = f"expired {exception.expires} ({days} days before {today.isoformat()})"
        else:
            when = f"expires {exception.expires} ({days} days after {today.isoformat()})"
        return f"granted {exception.granted}, TTL {ttl_days} days, {when}; {reason}; {issue}"
    if category == NOQA_UNJUSTIFIED:
        problems = []
        if not exception.reason:
            problems.append("no `-- reason`")
        elif not _has_words(exception.reason):
            problems.append("the reason says nothing besides its references")
        if exception.issue is None:
            problems.append("no issue reference (ISSUE-123, #123, issue 123 or a URL)")
        tag = _EXCEPTION_TAG.search(exception.comment)
        if tag is not None and exception.granted is None:
            problems.append(f"bad EXCEPTION tag `{tag.group(0)}` (want the grant date, not later)")
        return f"`# noqa: E402` with {'; '.join(problems)}"
    if exception.expires:
        return f"{reason}; {issue}; granted {exception.granted}, expires {exception.expires}"
    return f"{reason}; {issue}; permanent (no EXCEPTION tag)"


def _import_statements(tree: ast.Module) -> dict[int, ast.stmt]:
    """Module-level import statements by line."""
    return {
        node.lineno: node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
    }


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (RecursionError, ValueError, AttributeError):
        return ""


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of `tree` in `ast.walk`'s order, without walking into expressions."""
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        todo.extend(c for c in ast.iter_child_nodes(node) if isinstance(c, _STATEMENT_NODES))
        yield node


def _may_call_a_pattern(source: str) -> bool:
    """False when no call in `source` can be one of `_CALL_PATTERNS`: every name but a
    pattern's first (which an import may rename) must be written somewhere in the source."""
    if not source.isascii():  # the parser normalizes identifiers (NFKC): compare nothing
        return True
    return any(all(word in source for word in words) for words in _CALL_PATTERN_WORDS)


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local names bound by the file's imports (anywhere in it), to what they name."""
    names: dict[str, str] = {}
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    first = alias.name.split(".")[0]
                    names[first] = first
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if alias.name != "*":
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _qualified(node: ast.AST, aliases: dict[str, str]) -> Optional[str]:
    """The dotted name an expression refers to through the file's imports, or None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def _is_type_checking(test: ast.expr, aliases: dict[str, str]) -> bool:
    return _qualified(test, aliases) in _TYPE_CHECKING


def _nested_kind(node: ast.AST) -> Optional[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return "import-in-function"
    if isinstance(node, ast.If):
        return "import-under-if"
    if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
        return "import-under-try"
    return None


def _children(
    node: ast.AST, kind: Optional[str], aliases: dict[str, str]
) -> list[tuple[ast.AST, Optional[str]]]:
    """`(child, enclosing kind)` pairs; the body of `if TYPE_CHECKING:` never runs."""
    own = _nested_kind(node)
    if isinstance(node, ast.If) and _is_type_checking(node.test, aliases):
        pairs: list[tuple[ast.AST, Optional[str]]] = [
            (node.test, kind),
            *((child, "skip") for child in node.body),
        ]
        return pairs + [(child, own) for child in node.orelse]
    if own is None:
        return [(child, kind) for child in ast.iter_child_nodes(node)]
    if isinstance(node, ast.If):
        return [(node.test, kind)] + [(c, own) for c in node.body + node.orelse]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        # Decorators, defaults and annotations run where the function is defined.
        outer: list[ast.AST] = [*getattr(node, "decorator_list", ()), node.args]
        returns = getattr(node, "returns", None)
        if returns is not None:
            outer.append(returns)
        # A lambda's body is one expression; a def's is a list of statements.
        body: list[ast.AST] = list(node.body) if isinstance(node.body, list) else [node.body]
        return [(c, kind) for c in outer] + [(c, own) for c in body]
    return [(child, own) for child in ast.iter_child_nodes(node)]


def _legacy_imports(path: str, data: bytes, renames: Mapping[str, str]) -> list[ImportFinding]:
    """The legacy references of a file that `ast` parsed, as matriz-migrate counts them."""
    if not may_mention(data, renames):
        return []  # most files: no need to load libcst (0.15 s) or build a CST (12 ms a file)
    from lanekeeper.rename import legacy_references  # libcst: the engine imports this module

    result = legacy_references(path, data, renames)
    if result.error is not None:
        # Python parses it but libcst does not: matriz-migrate cannot check it either.
        located = _ERROR_LINE.match(result.error)
        line, message = (int(located[1]), located[2]) if located else (1, result.error)
        return [ImportFinding(path, line, UNPARSEABLE, f"legacy imports not checked: {message}")]
    return [
        ImportFinding(path, c.line, LEGACY_IMPORT, f"{c.kind} {c.before} -> {c.after}")
        for c in result.legacy_references
    ]


def _runtime_imports(
    path: str, tree: ast.Module, may_call_a_pattern: bool = True
) -> list[ImportFinding]:
    """Runtime-import findings of a parsed file.

    Imports and assignments are statements; only the calls of `_CALL_PATTERNS` sit inside
    expressions, so without `may_call_a_pattern` the walk skips every expression.
    """
    aliases = _aliases(tree)
    findings: list[ImportFinding] = []
    stack: list[tuple[ast.AST, Optional[str]]] = [(tree, None)]
    while stack:
        node, kind = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if kind is not None and kind != "skip":
                findings.append(ImportFinding(path, node.lineno, RUNTIME_IMPORT, kind))
        elif isinstance(node, ast.Call):
            pattern = _CALL_PATTERNS.get(_qualified(node.func, aliases) or "")
            if pattern is not None:
                findings.append(ImportFinding(path, node.lineno, RUNTIME_IMPORT, pattern))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_sys_path(target, aliases) for target in targets):
                findings.append(ImportFinding(path, node.lineno, RUNTIME_IMPORT, "sys.path-assign"))
        children = _children(node, kind, aliases)
        if not may_call_a_pattern:
            children = [(c, k) for c, k in children if isinstance(c, _STATEMENT_NODES)]
        stack.extend(reversed(children))
    return findings


def _is_sys_path(target: ast.AST, aliases: dict[str, str]) -> bool:
    """`sys.path`, `sys.path[...]`, or either inside a tuple or list of targets."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_is_sys_path(element, aliases) for element in target.elts)
    if isinstance(target, ast.Starred):
        return _is_sys_path(target.value, aliases)
    if isinstance(target, ast.Subscript):
        target = target.value
    return _qualified(target, aliases) == "sys.path"


# ---------------------------------------------------------------------------------------------
# ruff


def parse_ruff_json(
    output: str, root: Optional[str] = None, files: Sequence[str] = ()
) -> dict[str, tuple[int, ...]]:
    """Path -> sorted E402 lines from `ruff check --output-format json` output.

    Paths under `root` (an absolute directory) are made relative to it, and a path ending in
    `/<f>` for one of the relative `files` ruff was given is named `f` (ruff writes absolute
    paths, and a sandbox's root is not known in advance); others are kept as ruff wrote them.
    Raises ValueError naming the problem when the output is not ruff's JSON.
    """
    try:
        document = json.loads(output) if output.strip() else []
    except ValueError as error:
        raise ValueError(f"ruff's output is not JSON ({error}); run ruff with --output-format json")
    if not isinstance(document, list):
        raise ValueError("ruff's JSON output must be a list of diagnostics")
    lines: dict[str, set[int]] = {}
    prefix = root.rstrip("/") + "/" if root else None
    for number, entry in enumerate(document):
        if not isinstance(entry, dict):
            raise ValueError(f"ruff diagnostic {number} is not an object")
        if entry.get("code") != "E402":
            continue
        filename = entry.get("filename")
        location = entry.get("location")
        row = location.get("row") if isinstance(location, dict) else None
        if not isinstance(filename, str) or not isinstance(row, int) or isinstance(row, bool):
            raise ValueError(f"ruff diagnostic {number} has no `filename` and `location.row`")
        if prefix and filename.startswith(prefix):
            filename = filename[len(prefix) :]
        filename = next((f for f in files if filename.endswith("/" + f)), filename)
        lines.setdefault(filename, set()).add(row)
    return {path: tuple(sorted(rows)) for path, rows in sorted(lines.items())}


# ---------------------------------------------------------------------------------------------
# Rollup


@dataclass(frozen=True)
class LanedFinding:
    """A finding with the lane of its file (None when unlaned)."""

    finding: ImportFinding
    lane: Optional[str]

    def to_json_dict(self) -> dict[str, Any]:
        return {**self.finding.to_json_dict(), "lane": self.lane}


@dataclass(frozen=True)
class ImportHealthReport:
    """Every finding with its lane, and counts per lane and per directory x category.

    `lanes` are the config's lanes and libraries in order, then None (unlaned) if any file is;
    `counts` has one row per entry of `lanes`, in `CATEGORIES` order; `directories` likewise
    per parent directory of the files with findings. Categories in `not_checked` were not
    looked for, and show as "not checked", never as 0.
    """

    production_lanes: tuple[str, ...]
    files_analyzed: int
    findings: tuple[LanedFinding, ...]
    exceptions: tuple[tuple[NoqaException, Optional[str]], ...]
    errors: tuple[tuple[str, str], ...]
    lanes: tuple[Optional[str], ...]
    counts: tuple[tuple[int, ...], ...]
    directories: tuple[tuple[str, tuple[int, ...]], ...]
    not_checked: tuple[str, ...]

    @classmethod
    def build(
        cls,
        config: LaneConfig,
        files: Iterable[FileImportHealth],
        *,
        extra_findings: Iterable[ImportFinding] = (),
        not_checked: Sequence[str] = (),
    ) -> ImportHealthReport:
        """Lane every finding by its path; raises LaneConfigError if a path matches two lanes.

        `extra_findings` are findings made elsewhere (lane violations, cycles); list the
        categories nobody looked for in `not_checked`.
        """
        files = tuple(files)
        skipped = set(not_checked)
        if any(not file.e402_checked and file.error is None for file in files):
            skipped.update((E402, NOQA_UNUSED))
        lane_cache: dict[str, Optional[str]] = {}

        def lane_of(path: str) -> Optional[str]:
            if path not in lane_cache:
                lane_cache[path] = config.lane_of(path)
            return lane_cache[path]

        raw = [f for file in files for f in file.findings] + list(extra_findings)
        findings = sorted(
            (LanedFinding(f, lane_of(f.path)) for f in raw),
            key=lambda e: (e.finding.path, e.finding.line, _order(e.finding.category)),
        )
        lanes: list[Optional[str]] = list(config.lanes)
        if any(lane_of(file.path) is None for file in files) or any(
            e.lane is None for e in findings
        ):
            lanes.append(None)
        index = {category: i for i, category in enumerate(CATEGORIES)}
        per_lane = {lane: [0] * len(CATEGORIES) for lane in lanes}
        per_dir: dict[str, list[int]] = {}
        for entry in findings:
            column = index.get(entry.finding.category)
            if column is None:
                continue
            per_lane.setdefault(entry.lane, [0] * len(CATEGORIES))[column] += 1
            directory = posixpath.dirname(entry.finding.path) or "."
            per_dir.setdefault(directory, [0] * len(CATEGORIES))[column] += 1
        exceptions = sorted(
            ((e, lane_of(e.path)) for file in files for e in file.exceptions),
            key=lambda pair: (pair[0].path, pair[0].line),
        )
        return cls(
            production_lanes=config.production,
            files_analyzed=len(files),
            findings=tuple(findings),
            exceptions=tuple(exceptions),
            errors=tuple(sorted((file.path, file.error) for file in files if file.error)),
            lanes=tuple(lanes),
            counts=tuple(tuple(per_lane[lane]) for lane in lanes),
            directories=tuple((d, tuple(row)) for d, row in sorted(per_dir.items())),
            not_checked=tuple(c for c in CATEGORIES if c in skipped),
        )

    @property
    def checked(self) -> tuple[str, ...]:
        """The categories that were looked for, in `CATEGORIES` order."""
        return tuple(c for c in CATEGORIES if c not in self.not_checked)

    def count(self, lane: Optional[str], category: str) -> int:
        """Findings of `category` in `lane` (None: unlaned); 0 for an unknown lane."""
        if lane not in self.lanes or category not in CATEGORIES:
            return 0
        return self.counts[self.lanes.index(lane)][CATEGORIES.index(category)]

    def production_total(self, category: str) -> int:
        return sum(self.count(lane, category) for lane in self.production_lanes)

    @property
    def policy_failures(self) -> tuple[str, ...]:
        """Expired and unjustified exceptions in production lanes: they fail the run always."""
        return tuple(
            f"{e.finding.path}:{e.finding.line}: {e.finding.category} in production lane "
            f"{e.lane}: {e.finding.detail}"
            for e in self.findings
            if e.lane in self.production_lanes and e.finding.category in POLICY_CATEGORIES
        )


def _order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


# ---------------------------------------------------------------------------------------------
# Baseline


KIND = "import-health"


def baseline_json(report: ImportHealthReport) -> str:
    """The baseline file: per production lane, the count of every checked category."""
    return ratchet.baseline_json(
        KIND,
        {
            lane: {category: report.count(lane, category) for category in report.checked}
            for lane in report.production_lanes
        },
    )


def _upgrade(document: dict[str, Any]) -> object:
    """A version 1 file: `{"kind": "import-health", "production": <the lanes>}`."""
    return document.get("production") if document.get("kind") == KIND else None


def _files_holding(report: ImportHealthReport, lane: str, category: str) -> str:
    """The lane's files with findings of `category`, most first."""
    per_file: dict[str, int] = {}
    for entry in report.findings:
        if entry.lane == lane and entry.finding.category == category:
            per_file[entry.finding.path] = per_file.get(entry.finding.path, 0) + 1
    return f"files with {category} in {lane}: {files_most_first(per_file)}"


def compare_to_baseline(
    report: ImportHealthReport, text: str, source: str = "the import-health baseline"
) -> Comparison:
    """The report's production counts against the baseline `text`; ValueError if broken.

    Only categories both sides track are compared: one this run did not check, or one the
    baseline does not hold yet, is a note, never a regression.
    """
    rows = ratchet.read_baseline(text, source, kind=KIND, categories=CATEGORIES, upgrade=_upgrade)
    tracked = set().union(*(row.keys() for row in rows.values())) if rows else set()
    notes = [
        f"{category}: not in the baseline yet; `--update-baseline` tracks it"
        for category in report.checked
        if category not in tracked
    ]
    notes += [
        f"{category}: in the baseline but not checked in this run"
        for category in CATEGORIES
        if category in tracked and category in report.not_checked
    ]
    categories = tuple(c for c in report.checked if c in tracked)
    lanes = report.production_lanes
    return ratchet.compare(
        rows,
        {lane: {c: report.count(lane, c) for c in categories} for lane in lanes},
        kind=KIND,
        lanes=lanes,
        categories=categories,
        ratcheted=RATCHETED,
        files_behind=functools.partial(_files_holding, report),
        notes=notes,
    )


def run_failed(report: ImportHealthReport, comparison: Optional[Comparison]) -> bool:
    """Whether the run fails: a regression against the baseline, or a policy failure."""
    return bool(report.policy_failures) or (comparison is not None and comparison.failed)


# ---------------------------------------------------------------------------------------------
# Reports


def _lane_name(lane: Optional[str]) -> str:
    return UNLANED if lane is None else lane


def _count_cell(report: ImportHealthReport, category: str, value: int) -> Any:
    return NOT_CHECKED if category in report.not_checked else value


def report_json(
    report: ImportHealthReport, comparison: Optional[Comparison] = None
) -> dict[str, Any]:
    """`report.json`: every finding and exception, and every count the other reports print."""
    document: dict[str, Any] = {
        "files_analyzed": report.files_analyzed,
        "categories": list(CATEGORIES),
        "not_checked": list(report.not_checked),
        "production_lanes": list(report.production_lanes),
        "ratcheted": list(RATCHETED),
        "lanes": [
            {
                "lane": lane,
                "production": lane in report.production_lanes,
                "counts": {c: _count_cell(report, c, v) for c, v in zip(CATEGORIES, row)},
            }
            for lane, row in zip(report.lanes, report.counts)
        ],
        "production_total": {
            c: _count_cell(report, c, report.production_total(c)) for c in CATEGORIES
        },
        "directories": [
            {
                "directory": directory,
                "counts": {c: _count_cell(report, c, v) for c, v in zip(CATEGORIES, row)},
            }
            for directory, row in report.directories
        ],
        "findings": [entry.to_json_dict() for entry in report.findings],
        "exceptions": [
            {**exception.to_json_dict(), "lane": lane} for exception, lane in report.exceptions
        ],
        "errors": [{"path": path, "error": error} for path, error in report.errors],
        "policy_failures": list(report.policy_failures),
        "failed": run_failed(report, comparison),
    }
    if comparison is not None:
        document["baseline"] = comparison.to_json_dict()
    return document


def console_table(report: ImportHealthReport, comparison: Optional[Comparison] = None) -> str:
    """A fixed-width table: a row per category, a column per lane and the production total.

    With a comparison, production cells the baseline tracks show their change (`3 (+1)`).
    """
    columns: list[tuple[str, Optional[str], bool]] = [
        (_lane_name(lane), lane, lane in report.production_lanes) for lane in report.lanes
    ]
    table = [["category", *(label for label, _, _ in columns), "production total"]]
    for category in CATEGORIES:
        if category in report.not_checked:
            table.append([category, *([NOT_CHECKED] * (len(columns) + 1))])
            continue
        cells = [category]
        for _, lane, production in columns:
            cells.append(
                _with_delta(report.count(lane, category), comparison, production, lane, category)
            )
        total = report.production_total(category)
        cells.append(_with_delta(total, comparison, True, None, category))
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    out = []
    for row in table:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        out.append("  ".join([first, *rest]).rstrip())
    lanes = ", ".join(report.production_lanes) or "none"
    out.append(f"production lanes: {lanes}; files analyzed: {report.files_analyzed}")
    for failure in report.policy_failures:
        out.append(f"policy failure: {failure}")
    if comparison is not None:
        out.extend(comparison.lines())
    return "\n".join(out) + "\n"


def _with_delta(
    value: int,
    comparison: Optional[Comparison],
    production: bool,
    lane: Optional[str],
    category: str,
) -> str:
    delta = comparison.delta(lane, category) if comparison is not None and production else None
    return f"{value} ({delta:+d})" if delta else str(value)


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def audit_markdown(
    report: ImportHealthReport, comparison: Optional[Comparison], today: date
) -> str:
    """`IMPORT_MIGRATION_AUDIT.md`: counts, every exception, what expires soon, runtime imports,
    unparseable files and the baseline."""
    status = "FAILED" if run_failed(report, comparison) else "passed"
    lines = [
        "# Import migration audit",
        "",
        f"Date: {today.isoformat()}. Files analyzed: {report.files_analyzed}. "
        f"Findings: {len(report.findings)}. Result: {status}.",
        "",
        "## Counts",
        "",
        "| category | "
        + " | ".join(_lane_name(lane) for lane in report.lanes)
        + " | production total |",
        "| --- |" + " ---: |" * (len(report.lanes) + 1),
    ]
    for category in CATEGORIES:
        if category in report.not_checked:
            cells = [NOT_CHECKED] * (len(report.lanes) + 1)
        else:
            cells = [str(report.count(lane, category)) for lane in report.lanes]
            cells.append(str(report.production_total(category)))
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"## E402 exceptions ({len(report.exceptions)})", ""]
    if report.exceptions:
        lines += [
            "| file | line | lane | category | reason | issue | granted | expires |",
            "| --- | ---: | --- | --- | --- | --- | --- | --- |",
        ]
        for exception, lane in report.exceptions:
            lines.append(
                f"| `{exception.path}` | {exception.line} | {_lane_name(lane)} "
                f"| {exception.category} | {_md(exception.reason or '(none)')} "
                f"| {_md(exception.issue or '(none)')} | {exception.granted or '-'} "
                f"| {exception.expires or 'never'} |"
            )
    else:
        lines.append("None.")
    lines.append("")
    soon = [
        (e, lane)
        for e, lane in report.exceptions
        if e.expires is not None
        and 0 <= (date.fromisoformat(e.expires) - today).days <= EXPIRING_WITHIN_DAYS
    ]
    lines += [f"## Expiring within {EXPIRING_WITHIN_DAYS} days ({len(soon)})", ""]
    lines += [
        f"- `{e.path}:{e.line}` ({_lane_name(lane)}): expires {e.expires}; "
        f"issue {e.issue or '(none)'}"
        for e, lane in soon
    ] or ["None."]
    lines.append("")
    for title, category in (
        ("Runtime imports", RUNTIME_IMPORT),
        ("Legacy imports", LEGACY_IMPORT),
        ("Unparseable files", UNPARSEABLE),
    ):
        entries = [e for e in report.findings if e.finding.category == category]
        lines += [f"## {title} ({len(entries)})", ""]
        lines += [
            f"- `{e.finding.path}:{e.finding.line}` ({_lane_name(e.lane)}): "
            f"{_md(e.finding.detail)}"
            for e in entries
        ] or ["None."]
        lines.append("")
    lines += [f"## Policy failures ({len(report.policy_failures)})", ""]
    lines += [f"- {_md(line)}" for line in report.policy_failures] or ["None."]
    lines.append("")
    if report.not_checked:
        lines += [f"Not checked in this run: {', '.join(report.not_checked)}.", ""]
    if comparison is not None:
        lines += ["## Baseline", ""]
        lines += [f"- {_md(line)}" for line in comparison.lines()]
        if comparison.clean:
            lines.append("The baseline is exact.")
        lines.append("")
    return "\n".join(lines)
