from __future__ import annotations

from lanekeeper.kernel.report_text import counted, unified_diff


def test_counted() -> None:
    assert (counted(1, "file"), counted(0, "file"), counted(2, "TODO")) == (
        "1 file",
        "0 files",
        "2 TODOs",
    )


def test_unified_diff() -> None:
    diff = unified_diff("a.py", b"import matriz\nx = 1", b"import MATRIZ\nx = 1")
    assert diff == (
        "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n-import matriz\n+import MATRIZ\n"
        " x = 1\n\\ No newline at end of file\n"
    )
    assert unified_diff("a.py", b"x\n", b"x\n") == ""


def test_unified_diff_of_undecodable_bytes_replaces_them() -> None:
    assert "+x = '\ufffd'\n" in unified_diff("a.py", b"", b"x = '\xff'\n")
