"""A Python file's bytes decoded as Python decodes them, or one line saying why they cannot be."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from typing import Optional

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DecodedSource:
    """`text` (None when undecodable), the codec to write it back with, and the problem.

    `encoding` is the PEP 263 declared one, or "utf-8"; "utf-8-sig" when the file starts
    with a byte-order mark, which `text` leaves out and encoding with it puts back.
    `error` names the byte offset and line of the first bad byte (or the bad coding line),
    and the fix; `error_line` is that line, 0 when the file decoded.
    """

    text: Optional[str]
    encoding: str
    error: Optional[str] = None
    error_line: int = 0


def decode_source(data: bytes) -> DecodedSource:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        offset = _bad_utf8_offset(data)
        # detect_encoding calls undecodable bytes in the first two lines a bad declaration.
        if offset is not None:
            return _undecodable(data, "utf-8", offset)
        return DecodedSource(
            None,
            "utf-8",
            f"{exc.msg}; fix the coding line or re-save the file as UTF-8",
            exc.lineno or 1,
        )
    # Decode after a byte-order mark, so that offsets still count from the start of the file.
    skipped = len(_BOM) if encoding == "utf-8-sig" and data.startswith(_BOM) else 0
    try:
        return DecodedSource(data[skipped:].decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        return _undecodable(data, encoding, exc.start + skipped)


def _bad_utf8_offset(data: bytes) -> Optional[int]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _undecodable(data: bytes, encoding: str, offset: int) -> DecodedSource:
    name = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
    line = data[:offset].count(b"\n") + 1
    return DecodedSource(
        None,
        encoding,
        f"not valid {name} at byte {offset} (line {line}); re-save the file as UTF-8",
        line,
    )
