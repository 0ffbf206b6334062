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


@dataclass(frozen=True)
class NotUtf8:
    """A file whose bytes are not UTF-8, which is all that Pants' dependency parser reads.

    `offset` is the first byte that is not UTF-8, on 1-based `line` at 1-based byte `column`;
    `declared` is the PEP 263 encoding that does decode the file (then it is valid Python), or
    None.
    """

    offset: int
    line: int
    column: int
    declared: Optional[str]

    @property
    def problem(self) -> str:
        where = f"byte {self.offset}, line {self.line}"
        if self.declared is not None:
            return (
                f"encoded as {self.declared} (its PEP 263 coding line), not UTF-8 ({where}): "
                "Pants' dependency inference reads only UTF-8"
            )
        return (
            f"not valid UTF-8 ({where}), and no PEP 263 coding line declares another encoding: "
            "neither Python nor Pants' dependency inference can read it"
        )

    @property
    def fix(self) -> str:
        if self.declared is not None:
            return f"re-save it as UTF-8 (from {self.declared}) and remove the coding line"
        return (
            "re-save it as UTF-8; if it must keep another encoding, declare it with a PEP 263 "
            "coding line such as `# -*- coding: latin-1 -*-` (Pants still needs UTF-8)"
        )


def not_utf8(data: bytes, decoded: DecodedSource) -> Optional[NotUtf8]:
    """Why Pants cannot parse `data` (with `decoded`, its `decode_source`), or None if it can."""
    offset = _bad_utf8_offset(data)
    if offset is None:
        return None
    declared = decoded.encoding if decoded.text is not None else None
    line_start = data.rfind(b"\n", 0, offset) + 1
    return NotUtf8(offset, data[:offset].count(b"\n") + 1, offset - line_start + 1, declared)


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
