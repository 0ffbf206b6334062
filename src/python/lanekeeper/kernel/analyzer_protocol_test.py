from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from lanekeeper.kernel.analyzer_protocol import decode, decode_output, encode, output_json


@dataclass(frozen=True)
class Item:
    line: int
    extras: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Result:
    path: str
    new_source: Optional[bytes]
    items: tuple[Item, ...]
    error: Optional[str] = None


def test_results_round_trip_through_the_process_output_byte_for_byte() -> None:
    results = (
        Result("a.py", b"import MATRIZ\r\nx = '\xe9'\r\n", (Item(1, (("tag", "T4"),)), Item(2))),
        Result("b.py", None, (), "line 2: invalid syntax"),
    )
    output = output_json("rename", results)
    assert json.loads(output)["files"][1] == {
        "error": "line 2: invalid syntax",
        "items": [],
        "new_source": None,
        "path": "b.py",
    }
    assert decode_output(Result, output) == results
    assert decode(Result, json.loads(json.dumps(encode(results[0])))) == results[0]
