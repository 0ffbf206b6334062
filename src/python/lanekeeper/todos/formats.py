"""TODO formats a repo declares beside the guide's grammar: `[todo-audit].formats`.

Teams that adopt the TODO campaign on an old repo already write machine-readable TODOs, just
not in the guide's grammar. The commonest is a tag in brackets and a JSON object:

    # TODO[T4-ISSUE]: {"code": "B008", "ticket": "GH-1031", "owner": "matriz-team", ...}

A declared format reads such items into the inventory's fields, so that they count as
structured and can be rewritten into the guide's grammar. Each format is a table:

- `tag`: a regex the whole tag in brackets must match; a JSON object follows (after an optional
  `:`). Or `pattern`: a regex matched from the kind (`TODO`, `FIXME`, ...) on, with named groups.
- `fields`: inventory field -> JSON key or group name; a field not listed reads its own name.
  The tag in brackets is the field `tag`.
- `values`: per inventory field, a table of written value -> inventory value (keys compared
  without case), or a regex whose first group is the value (`GH-([0-9]+)` reads `GH-1031` as
  issue 1031). A value missing from a table is read as written: priorities and scopes in any
  case, owners with or without `@`, issues as `123` or `#123`. An empty value means "none".
- `required`: the fields an item must have (default priority, owner and message);
  `defaults`: the value of a field an item does not have.
- `drop`: keys that the rewrite leaves out of the message (it reports them instead).

A format claims a TODO when its tag or pattern matches. A claimed item whose payload is not a
JSON object, that misses a required field or has a value that does not map is malformed, with
the reasons. The keys no field reads are the item's `extras`: the rewrite carries them in the
message. Every option error is one line naming the option, what is wrong and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Pattern, Sequence

from lanekeeper.todos.grammar import (
    CANONICAL,
    PRIORITIES,
    SCOPES,
    STRUCTURED,
    UNKNOWN_SCOPE,
    TodoItem,
    is_date,
    is_github_user,
    malformed_item,
)

OPTION = "[todo-audit].formats"
FIELDS = ("date", "priority", "owner", "scope", "issue", "message")
DEFAULT_REQUIRED = ("priority", "owner", "message")
_KEYS = ("tag", "pattern", "fields", "values", "required", "defaults", "drop")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# `[TAG]`, then an optional colon before the payload.
_BEFORE_PAYLOAD = re.compile(r"[ \t]*:?[ \t]*")
_ISSUE = re.compile(r"#?([0-9]+)")
# A comment is one line: line breaks and other control characters in a value become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_DECODER = json.JSONDecoder()
_EXAMPLE = '{ tag = "T4-[A-Z-]+", fields = { issue = "ticket", message = "reason" } }'


class TodoFormatError(ValueError):
    """A `[todo-audit].formats` entry is invalid; one line: the option, what and the fix."""


@dataclass(frozen=True)
class ValueMap:
    """How one field's written values become inventory values: a table or a regex."""

    table: tuple[tuple[str, str], ...] = ()  # casefolded written value -> inventory value
    pattern: Optional[Pattern[str]] = None


@dataclass(frozen=True)
class Claimed:
    """A TODO a declared format read: the item, and where the text it read ends in the TODO."""

    item: TodoItem
    end: int


@dataclass(frozen=True)
class TodoFormat:
    """One validated declared format; build them with `parse_formats`."""

    name: str
    tag: Optional[Pattern[str]]
    pattern: Optional[Pattern[str]]
    keys: tuple[tuple[str, str], ...]  # every inventory field -> the key or group it reads
    values: tuple[tuple[str, ValueMap], ...]
    required: tuple[str, ...]
    defaults: tuple[tuple[str, str], ...]
    drop: tuple[str, ...]

    def parse(self, path: str, line: int, kind: str, text: str) -> Optional[Claimed]:
        """The item of `text` (a TODO from its kind on) if this format claims it, else None."""
        if self.pattern is not None:
            match = self.pattern.match(text)
            if match is None:
                return None
            groups = sorted(self.pattern.groupindex.items(), key=lambda pair: pair[1])
            source = [(name, match.group(name)) for name, _ in groups]
            return self._claim(path, line, kind, source, [], match.end(), "")
        return self._parse_tagged(path, line, kind, text)

    def _parse_tagged(self, path: str, line: int, kind: str, text: str) -> Optional[Claimed]:
        assert self.tag is not None
        rest = text[len(kind) :]
        close = rest.find("]")
        if not rest.startswith("[") or close < 0 or not self.tag.fullmatch(rest[1:close]):
            return None
        tag = rest[1:close]
        start = _BEFORE_PAYLOAD.match(text, len(kind) + close + 1)
        assert start is not None  # it matches the empty string
        payload = start.end()
        source: list[tuple[str, Any]] = [("tag", tag)]
        raw = text[payload:].strip()
        if not text.startswith("{", payload):
            problem = f"no JSON object after [{tag}]" + (
                f" (found {_shorten(raw)!r})" if raw else ""
            )
            return self._claim(path, line, kind, source, [problem], len(text), raw)
        try:
            document, end = _DECODER.raw_decode(text, payload)
        except json.JSONDecodeError as e:
            problem = f"the payload is not JSON: {e.msg} at character {e.pos - payload + 1}"
            return self._claim(path, line, kind, source, [problem], len(text), raw)
        source += list(document.items())
        return self._claim(path, line, kind, source, [], end, "")

    def _claim(
        self,
        path: str,
        line: int,
        kind: str,
        source: Sequence[tuple[str, Any]],
        problems: list[str],
        end: int,
        fallback_message: str,
    ) -> Claimed:
        if problems:
            # The payload could not be read: what it misses would only repeat that.
            item = self._malformed(path, line, kind, fallback_message, problems, source)
            return Claimed(item, end)
        written = dict(source)
        keys = dict(self.keys)
        values: dict[str, Optional[str]] = dict.fromkeys(FIELDS)
        extras: list[tuple[str, str]] = []
        for field in FIELDS:
            key = keys[field]
            value, problem = self._read(field, written.get(key))
            if problem is not None:
                problems.append(problem)
            elif value is not None:
                values[field] = value
                if field == "scope" and value.upper() not in SCOPES:
                    values[field] = UNKNOWN_SCOPE
                    extras.append(("scope", value))
                elif field == "scope":
                    values[field] = value.upper()
            elif field in self.required:
                problems.append(f"missing {field} ({self._where(key)})")
            else:
                values[field] = dict(self.defaults).get(field)
        read = set(keys.values())
        extras = [(k, _extra(v)) for k, v in source if k not in read and _extra(v)] + extras
        message = values["message"] or ""
        if problems:
            best_guess = _text(written.get(keys["message"])) or ""
            item = self._malformed(path, line, kind, best_guess, problems, extras)
            return Claimed(item, end)
        item = TodoItem(
            path=path,
            line=line,
            kind=kind,
            status=STRUCTURED,
            date=values["date"],
            priority=values["priority"],
            owner=values["owner"],
            scope=values["scope"] or UNKNOWN_SCOPE,
            issue=values["issue"],
            message=message,
            format=self.name,
            extras=tuple(extras),
        )
        return Claimed(item, end)

    def _malformed(
        self,
        path: str,
        line: int,
        kind: str,
        message: str,
        problems: Sequence[str],
        extras: Sequence[tuple[str, Any]],
    ) -> TodoItem:
        extras_text = tuple((key, _extra(value)) for key, value in extras)
        return malformed_item(
            path, line, kind, _one_line(message), problems, self.name, extras_text
        )

    def _read(self, field: str, written: Any) -> tuple[Optional[str], Optional[str]]:
        """One field's inventory value (None when it has none), or the problem with it."""
        if isinstance(written, (list, dict)):
            noun = "a list" if isinstance(written, list) else "an object"
            return None, f"{field} is {noun}, not a value ({_shorten(_extra(written))})"
        text = _text(written)
        if text is None:
            return None, None
        value_map = dict(self.values).get(field)
        if value_map is not None and value_map.pattern is not None:
            match = value_map.pattern.fullmatch(text)
            if match is None:
                return None, (
                    f"{field} {text!r} does not match `values.{field}` "
                    f"({value_map.pattern.pattern!r})"
                )
            text = match.group(1) if value_map.pattern.groups else match.group(0)
            if not text:
                return None, None
        elif value_map is not None and text.casefold() in dict(value_map.table):
            mapped = dict(value_map.table)[text.casefold()]
            return (mapped or None), None
        value, problem = canonical_value(field, text)
        if problem is not None and value_map is not None and value_map.table:
            known = ", ".join(key for key, _ in value_map.table)
            problem += f"; `values.{field}` knows {known}"
        return value, problem

    def _where(self, key: str) -> str:
        if self.pattern is not None:
            return f"the pattern's group {key!r} matched nothing"
        return f"no {key!r} in the JSON object"


def canonical_value(field: str, text: str) -> tuple[Optional[str], Optional[str]]:
    """A written value as the inventory's, read leniently, or the problem with it."""
    if field == "date":
        return (text, None) if is_date(text) else (None, f"bad date {text!r} (want YYYY-MM-DD)")
    if field == "priority":
        if text.upper() in PRIORITIES:
            return text.upper(), None
        return None, f"unknown priority {text!r} (want HIGH, MED or LOW)"
    if field == "owner":
        name = text[1:] if text.startswith("@") else text
        if is_github_user(name):
            return f"@{name}", None
        return None, f"owner {text!r} is not a GitHub user name"
    if field == "issue":
        match = _ISSUE.fullmatch(text)
        if match is None:
            return None, f"bad issue {text!r} (want a number, like 42 or #42)"
        return match.group(1), None
    # A scope the guide does not know is UNKNOWN, and kept; a message is any one line.
    return _one_line(text) or None, None


def _text(written: Any) -> Optional[str]:
    """A JSON scalar or a group as text; None for null, a missing key or an empty string."""
    if written is None or isinstance(written, (list, dict)):
        return None
    if isinstance(written, bool):
        text = "true" if written else "false"
    else:
        text = str(written)
    return text.strip() or None


def _extra(written: Any) -> str:
    """A field the inventory has no column for, as one line of text ("" when empty)."""
    if isinstance(written, (list, dict)):
        return json.dumps(written, ensure_ascii=False, separators=(",", ":"))
    return _one_line(_text(written) or "")


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# The option


def parse_formats(raw: Any, option: str = OPTION) -> tuple[TodoFormat, ...]:
    """Validate `[todo-audit].formats` (name -> table); TodoFormatError on the first problem."""
    if not isinstance(raw, Mapping):
        raise TodoFormatError(
            f"`{option}`: expected a table of named formats, like t4 = {_EXAMPLE}; " f"got {raw!r}."
        )
    return tuple(_parse_format(name, spec, option) for name, spec in raw.items())


def _parse_format(name: Any, spec: Any, option: str) -> TodoFormat:
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name == CANONICAL:
        raise TodoFormatError(
            f"`{option}`: {name!r} is not a format name; use letters, digits, '-', '_' and "
            f"'.' (and not {CANONICAL!r}, the guide's own grammar)."
        )
    where = f"{option}.{name}"
    if not isinstance(spec, Mapping):
        raise TodoFormatError(f"`{where}`: expected a table like {_EXAMPLE}; got {spec!r}.")
    unknown = [key for key in spec if key not in _KEYS]
    if unknown:
        raise TodoFormatError(
            f"`{where}`: unknown key {unknown[0]!r}; the keys are {', '.join(_KEYS)}."
        )
    if ("tag" in spec) == ("pattern" in spec):
        raise TodoFormatError(
            f"`{where}`: set exactly one of `tag` (a tag in brackets, then a JSON object) and "
            "`pattern` (a regex with named groups, matched from the kind on)."
        )
    tag = _regex(f"{where}.tag", spec["tag"]) if "tag" in spec else None
    pattern = _regex(f"{where}.pattern", spec["pattern"]) if "pattern" in spec else None
    keys = _table(f"{where}.fields", spec.get("fields", {}), FIELDS)
    for field, key in keys.items():
        if not isinstance(key, str) or not key:
            raise TodoFormatError(
                f"`{where}.fields.{field}`: expected the name of a JSON key or a group; "
                f"got {key!r}."
            )
    all_keys = {field: keys.get(field, field) for field in FIELDS}
    required = _names(f"{where}.required", spec.get("required", DEFAULT_REQUIRED), FIELDS)
    defaults = _defaults(f"{where}.defaults", spec.get("defaults", {}), required)
    if pattern is not None:
        _check_groups(where, pattern, keys, required)
    values = _table(f"{where}.values", spec.get("values", {}), FIELDS)
    drop = _names(f"{where}.drop", spec.get("drop", []), None)
    return TodoFormat(
        name=name,
        tag=tag,
        pattern=pattern,
        keys=tuple(all_keys.items()),
        values=tuple(
            (field, _value_map(f"{where}.values.{field}", field, value))
            for field, value in values.items()
        ),
        required=required,
        defaults=tuple(defaults.items()),
        drop=drop,
    )


def _regex(option: str, value: Any) -> Pattern[str]:
    if not isinstance(value, str) or not value:
        raise TodoFormatError(f"`{option}`: expected a regular expression; got {value!r}.")
    try:
        return re.compile(value)
    except re.error as e:
        raise TodoFormatError(
            f"`{option}`: {value!r} is not a regular expression ({e}); fix it."
        ) from None


def _table(option: str, value: Any, allowed: Sequence[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TodoFormatError(f"`{option}`: expected a table; got {value!r}.")
    for key in value:
        if key not in allowed:
            raise TodoFormatError(
                f"`{option}`: {key!r} is not an inventory field; the fields are "
                f"{', '.join(allowed)}."
            )
    return dict(value)


def _names(option: str, value: Any, allowed: Optional[Sequence[str]]) -> tuple[str, ...]:
    # A bare string is a Sequence[str] too; iterating it would yield single letters.
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TodoFormatError(f"`{option}`: expected a list of names; got {value!r}.")
    for name in value:
        if not isinstance(name, str) or (allowed is not None and name not in allowed):
            known = f"; the fields are {', '.join(allowed)}" if allowed else ""
            raise TodoFormatError(f"`{option}`: {name!r} is not a field name{known}.")
    return tuple(value)


def _defaults(option: str, value: Any, required: Sequence[str]) -> dict[str, str]:
    """The defaults as the inventory writes them (`low` -> `LOW`); empty ones left out."""
    defaults = {}
    for field, default in _table(option, value, FIELDS).items():
        if field in required:
            raise TodoFormatError(
                f"`{option}.{field}`: {field} is also required, so the default is never used; "
                f"drop one of them."
            )
        checked = _check_value(f"{option}.{field}", field, default)
        if checked:
            defaults[field] = checked
    return defaults


def _check_value(option: str, field: str, value: Any) -> str:
    """`value` as the inventory writes it; TodoFormatError when it is not a valid one."""
    if not isinstance(value, str):
        raise TodoFormatError(f"`{option}`: expected a string; got {value!r}.")
    if value == "":
        return value
    checked, problem = canonical_value(field, value)
    if problem is not None or checked is None:
        raise TodoFormatError(f"`{option}`: {problem or 'empty value'}.")
    if field == "scope" and checked.upper() not in SCOPES:
        raise TodoFormatError(f"`{option}`: unknown scope {value!r} (want {', '.join(SCOPES)}).")
    return checked.upper() if field == "scope" else checked


def _value_map(option: str, field: str, value: Any) -> ValueMap:
    if isinstance(value, str):
        return ValueMap(pattern=_regex(option, value))
    if not isinstance(value, Mapping):
        raise TodoFormatError(
            f"`{option}`: expected a table of written value -> {field}, or a regex whose "
            f"first group is the {field}; got {value!r}."
        )
    table: dict[str, str] = {}
    for written, mapped in value.items():
        key = str(written).casefold()
        if key in table:
            raise TodoFormatError(
                f"`{option}`: {written!r} is listed twice (keys are compared without case)."
            )
        table[key] = _check_value(f"{option}.{written}", field, mapped)
    return ValueMap(table=tuple(table.items()))


def _check_groups(
    where: str, pattern: Pattern[str], keys: Mapping[str, str], required: Sequence[str]
) -> None:
    """A pattern must have a group for each field it is told to read, and each required one."""
    groups = sorted(pattern.groupindex)
    known = ", ".join(groups) or "none"
    for field, key in keys.items():
        if key not in pattern.groupindex:
            raise TodoFormatError(
                f"`{where}.fields.{field}`: the pattern has no group {key!r} (its named "
                f"groups: {known})."
            )
    for field in required:
        if keys.get(field, field) not in pattern.groupindex:
            raise TodoFormatError(
                f"`{where}.required`: {field} is required but the pattern has no group for it "
                f"(its named groups: {known}); add (?P<{field}>...) or map it in `fields`."
            )
