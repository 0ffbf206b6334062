"""The import statements of a Python file, read from its text.

One entry per statement, at the line and column of its `import` or `from` keyword (1-based,
columns in characters: what ruff and editors show), with every name it imports named as Pants
names them: `from a.b import C` imports `a.b.C`, and relative imports are made absolute.

`ast` reads a file fast, in C. A file that `ast` cannot parse (a syntax error, or syntax newer
than the Python running this code: Pants' engine runs 3.9, and `match` came in 3.10) is read
from its tokens instead. Both readers give the same statements for every file `ast` parses (a
test checks that on the standard library), and the token reader still finds the statements of
a file with a syntax error, except after an unclosed bracket or string, which hides the rest.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

# Python numbers lines by these separators only; str.splitlines also splits on form feeds and
# Unicode separators, which would shift every later line number.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, order=True)
class ImportedName:
    """One name a statement imports: `name` as Pants names it, `module` as the statement does.

    `import a.b` -> ("a.b", "a.b"); `from a.b import C` -> ("a.b.C", "a.b"); `from a import *`
    -> ("a", "a"). Whether `a.b.C` is a module or a name inside `a.b` is for the resolver to say.
    """

    name: str
    module: str


@dataclass(frozen=True, order=True)
class ImportStatement:
    line: int
    col: int
    names: tuple[ImportedName, ...]


@dataclass(frozen=True)
class FileStatements:
    """The statements, and why `ast` could not parse the file (None when it could)."""

    statements: tuple[ImportStatement, ...]
    parse_error: Optional[str] = None


def absolute_module(module: Optional[str], level: int, package: Optional[str]) -> Optional[str]:
    """The absolute module of `from <level dots><module> import ...` in `package`.

    None when the import is relative but the package is unknown, or climbs above the top-level
    package (Python raises ImportError for that).
    """
    if level == 0:
        return module
    if package is None:
        return None
    parts = package.split(".") if package else []
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _from_names(base: str, aliases: Sequence[str]) -> tuple[ImportedName, ...]:
    if list(aliases) == ["*"]:
        return (ImportedName(base, base),)
    return tuple(ImportedName(f"{base}.{alias}", base) for alias in aliases)


def import_statements(text: str, package: Optional[str]) -> FileStatements:
    """Every import statement of `text`, in file order.

    `package` is the dotted package that relative imports resolve against (the directory's
    package, also for an `__init__.py`); None when unknown, which drops relative imports.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        # ValueError: a NUL byte (Python 3.9-3.11); the others: nesting too deep for the parser.
        problem = f"line {getattr(error, 'lineno', None) or 1}: {getattr(error, 'msg', error)}"
        return FileStatements(tuple(_statements_from_tokens(text, package)), problem)
    return FileStatements(_statements_from_ast(tree, text, package))


def _statement_nodes(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, nested ones too; expressions are skipped: imports are statements."""
    pending: list[ast.AST] = list(reversed(tree.body))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.stmt):
            yield node
        children: list[ast.AST] = []
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            value = getattr(node, field, None)
            if isinstance(value, list):
                children.extend(child for child in value if isinstance(child, ast.AST))
        pending.extend(reversed(children))


def _char_column(lines: Sequence[str], line: int, byte_offset: int) -> int:
    """ast's UTF-8 byte offset on `line` as a 1-based character column."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if text.isascii():
        return byte_offset + 1
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore")) + 1


def _statements_from_ast(
    tree: ast.Module, text: str, package: Optional[str]
) -> tuple[ImportStatement, ...]:
    lines = LINE_BREAK.split(text)
    statements = []
    for node in _statement_nodes(tree):
        if isinstance(node, ast.Import):
            names = tuple(ImportedName(alias.name, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(node.module, node.level, package)
            if base is None:
                continue
            names = _from_names(base, [alias.name for alias in node.names])
        else:
            continue
        column = _char_column(lines, node.lineno, node.col_offset)
        statements.append(ImportStatement(node.lineno, column, names))
    return tuple(sorted(statements))


_ENDS_STATEMENT = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
_SKIPPED = (tokenize.NL, tokenize.COMMENT)


def _statements_from_tokens(text: str, package: Optional[str]) -> Iterator[ImportStatement]:
    """The import statements of a file `ast` cannot parse, from its tokens.

    A statement starts where a simple statement may start: after a NEWLINE, INDENT or DEDENT,
    a `;`, or the `:` of a compound statement's header (`try: import x`); `import` and `from`
    are keywords, so no expression can start with them.
    """
    depth = 0
    at_start = True
    current: Optional[list[tokenize.TokenInfo]] = None
    # newline=None: `\r` and `\r\n` end lines, as they do for `ast`.
    tokens = tokenize.generate_tokens(io.StringIO(text, newline=None).readline)
    try:
        for token in tokens:
            kind, string = token.type, token.string
            if kind in _SKIPPED:
                continue
            if kind in _ENDS_STATEMENT or (kind == tokenize.OP and string == ";" and depth == 0):
                if current is not None:
                    statement = _parse_statement(current, package)
                    if statement is not None:
                        yield statement
                current, at_start = None, True
                continue
            if kind == tokenize.OP:
                if string in "([{":
                    depth += 1
                elif string in ")]}":
                    depth = max(depth - 1, 0)
            if current is not None:
                current.append(token)
            elif at_start and kind == tokenize.NAME and string in ("import", "from"):
                current = [token]
            else:
                at_start = kind == tokenize.OP and string == ":" and depth == 0
    except (tokenize.TokenError, SyntaxError):
        # The tokenizer gave up (an unclosed bracket or string, a bad dedent): keep what it read.
        return


class _Tokens:
    """A cursor over one statement's tokens."""

    def __init__(self, tokens: Sequence[tokenize.TokenInfo]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str:
        if self.position < len(self.tokens):
            return self.tokens[self.position].string
        return ""

    def take(self, string: Optional[str] = None) -> Optional[str]:
        """The next token's text, if it is `string` (or any name, when None); else None."""
        if self.position >= len(self.tokens):
            return None
        token = self.tokens[self.position]
        if string is None and token.type != tokenize.NAME:
            return None
        if string is not None and token.string != string:
            return None
        self.position += 1
        return token.string

    def dotted(self) -> Optional[str]:
        first = self.take()
        if first is None:
            return None
        parts = [first]
        while self.peek() == ".":
            self.take(".")
            part = self.take()
            if part is None:
                return None
            parts.append(part)
        return ".".join(parts)

    def alias(self) -> Optional[str]:
        """A name with an optional `as <name>`; the name."""
        name = self.take()
        if name is not None and self.take("as") is not None and self.take() is None:
            return None
        return name

    @property
    def done(self) -> bool:
        return self.position == len(self.tokens)


def _parse_statement(
    tokens: Sequence[tokenize.TokenInfo], package: Optional[str]
) -> Optional[ImportStatement]:
    """One `import ...` or `from ... import ...` statement; None if it is malformed."""
    line, col = tokens[0].start
    cursor = _Tokens(tokens[1:])
    names: list[ImportedName] = []
    if tokens[0].string == "import":
        while True:
            module = cursor.dotted()
            if module is None or (cursor.take("as") is not None and cursor.take() is None):
                return None
            names.append(ImportedName(module, module))
            if cursor.take(",") is None:
                break
        return ImportStatement(line, col + 1, tuple(names)) if cursor.done else None
    level = 0
    while cursor.peek() in (".", "..."):
        level += len(cursor.peek())
        cursor.position += 1
    module = cursor.dotted() if cursor.peek() != "import" else None
    if (level == 0 and module is None) or cursor.take("import") is None:
        return None
    aliases: list[str] = []
    if cursor.take("*") is not None:
        aliases.append("*")
    else:
        parenthesized = cursor.take("(") is not None
        while True:
            alias = cursor.alias()
            if alias is None:
                return None
            aliases.append(alias)
            if cursor.take(",") is None or (parenthesized and cursor.peek() == ")"):
                break
        if parenthesized and cursor.take(")") is None:
            return None
    base = absolute_module(module, level, package)
    if base is None or not cursor.done:
        return None
    return ImportStatement(line, col + 1, _from_names(base, aliases))
