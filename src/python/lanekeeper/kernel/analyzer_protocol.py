"""The one JSON codec of the analyzer process (`python -m lanekeeper.analyze`).

The process prints `{"analysis": <name>, "files": [<one document per file>]}`; each document
is a frozen dataclass of the core (`TodoScan`, `FileImportHealth`, `RewriteResult`, ...)
encoded field by field: tuples as lists, `bytes` base64 (a rewritten file travels byte for
byte), nested dataclasses as objects. `decode` rebuilds the dataclass from its type hints, so
a new result type needs no codec of its own.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
from typing import Any, Iterable, Type, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")


def encode(value: Any) -> Any:
    """`value` as JSON-ready data: dataclasses as objects, tuples as lists, bytes base64."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    return value


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _decode(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin is Union:
        if value is None:
            return None
        (inner,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return _decode(inner, value)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(arg, item) for arg, item in zip(args, value))
    if hint is bytes:
        return base64.b64decode(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        fields = {
            field.name: _decode(hints[field.name], value[field.name])
            for field in dataclasses.fields(hint)
            if field.name in value
        }
        return hint(**fields)
    return value


def decode(cls: Type[T], document: Any) -> T:
    """The `cls` (a dataclass) that `encode` turned into `document`."""
    decoded: T = _decode(cls, document)
    return decoded


def output_json(analysis: str, files: Iterable[Any]) -> str:
    """What one analyzer run prints: its analysis and a document per file."""
    return json.dumps({"analysis": analysis, "files": [encode(f) for f in files]}, sort_keys=True)


def parse_output(output: str) -> list[dict[str, Any]]:
    """The per-file documents of one analyzer run's stdout."""
    files: list[dict[str, Any]] = json.loads(output)["files"]
    return files


def decode_output(cls: Type[T], output: str) -> tuple[T, ...]:
    """The per-file results, as `cls`, of one analyzer run's stdout."""
    return tuple(decode(cls, document) for document in parse_output(output))
