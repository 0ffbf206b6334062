from __future__ import annotations

from typing import Optional

import pytest

from lanekeeper.kernel.source_text import DecodedSource, NotUtf8, decode_source, not_utf8


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"x = 'caf\xc3\xa9'\n", DecodedSource("x = 'café'\n", "utf-8")),
        (b"\xef\xbb\xbfx = 1\n", DecodedSource("x = 1\n", "utf-8-sig")),
        (
            b"# coding: latin-1\nx = '\xe9'\n",
            DecodedSource("# coding: latin-1\nx = 'é'\n", "iso-8859-1"),
        ),
        (
            b"x = 1\ny = '\xff'\n",
            DecodedSource(
                None, "utf-8", "not valid UTF-8 at byte 11 (line 2); re-save the file as UTF-8", 2
            ),
        ),
        # Undecodable bytes on the first lines are what detect_encoding calls a bad coding line.
        (
            b"x = '\xe9'\n",
            DecodedSource(
                None, "utf-8", "not valid UTF-8 at byte 5 (line 1); re-save the file as UTF-8", 1
            ),
        ),
        # Offsets count the byte-order mark.
        (
            b"\xef\xbb\xbf# a\n\xc3(\n",
            DecodedSource(
                None, "utf-8", "not valid UTF-8 at byte 7 (line 2); re-save the file as UTF-8", 2
            ),
        ),
        (
            b"# coding: ascii\nx = 'caf\xc3\xa9'\n",
            DecodedSource(
                None, "ascii", "not valid ascii at byte 24 (line 2); re-save the file as UTF-8", 2
            ),
        ),
        (
            b"# coding: klingon\n",
            DecodedSource(
                None,
                "utf-8",
                "unknown encoding: klingon; fix the coding line or re-save the file as UTF-8",
                1,
            ),
        ),
    ],
)
def test_decode_source(data: bytes, expected: DecodedSource) -> None:
    assert decode_source(data) == expected


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"x = 'caf\xc3\xa9'\n", None),
        (b"\xef\xbb\xbfx = 1\n", None),
        (b"x = 1\ny = '\xff'\n", NotUtf8(11, 2, 6, None)),
        (b"# coding: latin-1\nx = '\xe9'\n", NotUtf8(23, 2, 6, "iso-8859-1")),
    ],
)
def test_not_utf8(data: bytes, expected: Optional[NotUtf8]) -> None:
    assert not_utf8(data, decode_source(data)) == expected
