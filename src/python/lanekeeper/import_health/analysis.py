"""Import health: E402 exceptions, runtime imports and legacy imports per file, rolled up by lane.

Per file, `scan_imports` reads a file's bytes with the standard library (`ast` for the
statements, `tokenize` for the comments) and never raises: a file that does not decode or parse
is itself a finding (`unparseable`). Legacy imports come from the one legacy-import detector,
matriz-migrate's rewrite (`lanekeeper.rename.rewrite`, libcst), so that both goals count the same
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

Those categories depend on the run's date and TTL, so the scan only records each such comment
(`FileImportScan`) and `FileImportScan.classify` decides them: the scan, run as a cached process
per batch, has the same cache key on every day, on every machine sharing a remote cache.
`analyze_imports` is both steps.

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
import io
import re
import tokenize
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Collection, Iterator, Mapping, Optional

from lanekeeper.import_health.categories import (
    CATEGORIES,
    DEFAULT_TTL_DAYS,
    E402,
    EXPIRING_WITHIN_DAYS,
    LEGACY_IMPORT,
    NOQA_EXPIRED,
    NOQA_EXPIRING_SOON,
    NOQA_JUSTIFIED,
    NOQA_UNJUSTIFIED,
    NOQA_UNUSED,
    RUNTIME_IMPORT,
    UNPARSEABLE,
)
from lanekeeper.kernel.batches import DEFAULT_BATCH_SIZE, stable_batches_by_kind
from lanekeeper.kernel.source_text import decode_source
from lanekeeper.rename.migration import may_mention

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
class NoqaComment:
    """A `# noqa` comment covering E402, as the scan found it: its category is the run's."""

    line: int
    comment: str
    is_e402: bool  # ruff reports E402 on its line


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


@dataclass(frozen=True)
class FileImportScan:
    """What the scan of one file found, whatever the date: every finding but those of its E402
    exceptions, which `classify` adds for a run's date and TTL."""

    path: str
    findings: tuple[ImportFinding, ...]
    error: Optional[str] = None
    noqa_comments: tuple[NoqaComment, ...] = ()
    e402_checked: bool = True

    def classify(self, today: date, ttl_days: int = DEFAULT_TTL_DAYS) -> FileImportHealth:
        """The file's import health on `today`: its exceptions categorised, one finding each."""
        findings = list(self.findings)
        exceptions: list[NoqaException] = []
        for noqa in self.noqa_comments:
            exception = classify_noqa(
                self.path, noqa.line, noqa.comment, noqa.is_e402, self.e402_checked, today, ttl_days
            )
            if exception is None:  # the scan kept only comments that cover E402
                continue
            exceptions.append(exception)
            detail = _noqa_detail(exception, today, ttl_days)
            findings.append(ImportFinding(self.path, noqa.line, exception.category, detail))
        findings.sort(key=lambda f: (f.line, CATEGORIES.index(f.category), f.detail))
        return FileImportHealth(
            self.path, tuple(findings), self.error, tuple(exceptions), self.e402_checked
        )


# ---------------------------------------------------------------------------------------------
# Per file


def analyze_imports(
    path: str,
    data: bytes,
    *,
    today: date,
    e402_lines: Optional[Collection[int]] = None,
    renames: Mapping[str, str],
    ttl_days: int = DEFAULT_TTL_DAYS,
) -> FileImportHealth:
    """The import health of the file `path` whose content is `data` on `today`; never raises.
    `scan_imports` says what the arguments mean."""
    return scan_imports(path, data, e402_lines=e402_lines, renames=renames).classify(
        today, ttl_days
    )


def scan_imports(
    path: str,
    data: bytes,
    *,
    e402_lines: Optional[Collection[int]] = None,
    renames: Mapping[str, str],
) -> FileImportScan:
    """What the file `path` whose content is `data` says, whatever the date; never raises.

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
    noqa_comments = tuple(
        NoqaComment(number, comment, number in reported)
        for number, comment in _comments(source)
        if _noqa_covering_e402(comment, number in reported) is not None
    )
    covered = {noqa.line for noqa in noqa_comments}
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
    return FileImportScan(path, tuple(findings), None, noqa_comments, checked)


def import_health_batches(
    files: Mapping[str, bytes],
    renames: Mapping[str, str],
    size: int = DEFAULT_BATCH_SIZE,
) -> tuple[tuple[str, ...], ...]:
    """The analyzer's batches of `files` (path -> bytes): the files that may mention a legacy
    name (`may_mention`, the legacy detector's own pre-check) apart from the rest, so that only
    their processes load libcst (two thirds of a process's start-up, for ~3% of a repo's files).
    Stable, as `stable_batches`: an edit re-runs one batch (two if it changes the file's kind)."""
    return stable_batches_by_kind(
        {path: may_mention(data, renames) for path, data in files.items()}, size
    )


def _unparseable(path: str, line: int, error: str) -> FileImportScan:
    """A file that could not be read: one `unparseable` finding and the error."""
    detail = error.split(": ", 1)[1] if error.startswith("line ") else error
    return FileImportScan(path, (ImportFinding(path, line, UNPARSEABLE, detail),), error, (), False)


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
    match = _noqa_covering_e402(comment, is_e402)
    if match is None:
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


def _noqa_covering_e402(comment: str, is_e402: bool) -> Optional[re.Match[str]]:
    """The comment's `# noqa` if it covers E402 (names it, or names no code on an E402 line)."""
    match = _NOQA.search(comment)
    if match is None:
        return None
    codes = match.group("codes")
    names_e402 = codes is not None and "E402" in re.split(r"[\s,]+", codes.upper())
    if not names_e402 and (codes is not None or not is_e402):
        return None
    return match


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
    from lanekeeper.rename.rewrite import (
        legacy_references,  # libcst: the engine imports this module
    )

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
