"""What matriz-migrate shows a reviewer: the risk statement, each group's JSON and HTML dry run,
`migration-summary.md` and the console table, all rendered from a `Migration`."""

from __future__ import annotations

import html
import posixpath
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

from lanekeeper.kernel.report_text import counted, unified_diff
from lanekeeper.rename.migration import (
    CHANGED,
    ERROR,
    KIND_DYNAMIC_USE,
    KIND_PARENT_USE,
    KIND_STRING,
    USE_KINDS,
    Change,
    Migration,
    RewriteResult,
    group_file_stem,
)
from lanekeeper.rename.narrow_rewrite import FORMATTED, IMPORTS_SORTED, RENAME_ONLY


def risk_statement(migration: Migration) -> tuple[str, list[str]]:
    """A risk level (LOW, MEDIUM, HIGH) and the reasons for it, for the reviewer."""
    reasons: list[str] = []
    level = "LOW"
    blocking = migration.blocking_errors
    if blocking:
        level = "HIGH"
        reasons.append(
            f"{counted(len(blocking), 'file')} could not be parsed or decoded and may import a "
            "legacy module: any legacy import in them is neither rewritten nor counted, and "
            "`--apply` refuses until they parse or leave the specs."
        )
    others = len(migration.errors) - len(blocking)
    if others:
        reasons.append(
            f"{counted(others, 'file')} could not be parsed or decoded but no import in them "
            "names a legacy module: they are not part of the migration."
        )
    strings_left = migration.dynamic_left_of(KIND_STRING)
    if strings_left:
        level = "HIGH"
        reasons.append(
            f"{counted(strings_left, 'string reference')} to legacy modules "
            "(`importlib.import_module`, `mock.patch`, ...) stay as they are: at run time they "
            "still load the legacy module, and a patch of it no longer reaches rewritten code. "
            "Review them, or rerun with `--rewrite-strings`."
        )
    uses_left = migration.dynamic_left_of(KIND_DYNAMIC_USE)
    if uses_left:
        level = "HIGH"
        reasons.append(
            f"{counted(uses_left, 'dynamic use')} of legacy modules (`getattr(candidate, "
            '"memory_index")`, a parent package passed as a value, ...) cannot be rewritten '
            "safely and stay as they are: rewrite each by hand to reach the canonical module."
        )
    use_sites, strings = migration.use_sites_updated, migration.count(KIND_STRING)
    if use_sites or strings:
        level = "MEDIUM" if level == "LOW" else level
        reasons.append(
            f"{counted(use_sites, 'use site')} and {counted(strings, 'string')} were rewritten "
            "beside the import statements; each is in the diff."
        )
    parent_uses = migration.count(KIND_PARENT_USE)
    if parent_uses:
        reasons.append(
            f"{counted(parent_uses, 'use')} reached a legacy module through an import of its "
            "parent package: each now names the canonical module, imported beside that import "
            "(which stays wherever the file still uses it)."
        )
    if not reasons:
        reasons.append(
            "Only import statements change; names bound by them stay the same, so behaviour "
            "changes only if the canonical modules differ from the legacy ones."
        )
    return level, reasons


def change_json(path: str, change: Change) -> dict[str, Any]:
    return {"file": path, "line": change.line, **vars(change)}


def group_json(
    migration: Migration, group: str, results: Iterable[RewriteResult]
) -> dict[str, Any]:
    """The dry-run document of one group: every change with file, line, before, after, kind;
    the lines the rename and formatting change, per file and in all."""
    results = list(results)
    outputs = [o for o in map(migration.output_of, results) if o is not None]
    rename_lines, format_lines = migration.lines(results)
    return {
        "group": group,
        "files_changed": sum(1 for r in results if r.status == CHANGED),
        "rename_lines": rename_lines,
        "format_lines": format_lines,
        "files": [
            {
                "file": o.path,
                "formatting": o.formatting,
                "rename_lines": o.rename_lines,
                "format_lines": o.format_lines,
            }
            for o in outputs
        ],
        "changes": [change_json(r.path, c) for r in results for c in r.changes],
        "dynamic_left": [change_json(r.path, c) for r in results for c in r.dynamic_left],
        "errors": [
            {"file": r.path, "error": r.error, "blocks_apply": r.path in migration.blocking}
            for r in results
            if r.status == ERROR
        ],
    }


_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1f2328; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; font-family: monospace; }
table.summary td, table.summary th { padding: 2px 12px 2px 0; text-align: left; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 13px; }
pre span { display: block; white-space: pre; min-height: 1em; }
.add { background: #dafbe1; } .del { background: #ffebe9; }
.hunk { color: #8250df; } .meta { color: #57606a; }
.error { color: #cf222e; } .note { color: #57606a; }
"""


def group_html(migration: Migration, group: str, results: Iterable[RewriteResult]) -> str:
    """A self-contained page (inline CSS, no scripts) with the group's diffs (what would be
    written) and findings."""
    results = list(results)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>matriz-migrate dry run: {e(group)}</title><style>{_CSS}</style></head><body>",
        f"<h1>matriz-migrate dry run: <code>{e(group)}</code></h1>",
        '<table class="summary"><tr><th>file</th><th>status</th><th>changes</th>'
        "<th>dynamic references left</th><th>rename lines</th><th>format lines</th>"
        "<th>formatting</th></tr>",
    ]
    for r in results:
        output = migration.output_of(r)
        lines = "<td></td><td></td><td></td>"
        if output is not None:
            lines = (
                f"<td>{output.rename_lines}</td><td>{output.format_lines}</td>"
                f"<td>{e(output.formatting)}</td>"
            )
        parts.append(
            f"<tr><td><code>{e(r.path)}</code></td><td>{e(r.status)}</td>"
            f"<td>{len(r.changes)}</td><td>{len(r.dynamic_left)}</td>{lines}</tr>"
        )
    parts.append("</table>")
    for r in results:
        parts.append(f'<h2 id="{e(r.path)}">{e(r.path)}</h2>')
        if r.status == ERROR:
            parts.append(f'<p class="error">Not rewritten: {e(r.error or "")}</p>')
        output = migration.output_of(r)
        if output is not None:
            diff = unified_diff(r.path, migration.originals.get(r.path, b""), output.content)
            parts.append(
                "<pre>" + "".join(_diff_line(line) for line in diff.splitlines()) + "</pre>"
            )
        for d in r.dynamic_left:
            if d.kind == KIND_STRING:
                parts.append(
                    f'<p class="note">line {d.line}: string reference <code>{e(repr(d.before))}'
                    f"</code> left as it is (rewrite with <code>--rewrite-strings</code>)</p>"
                )
            else:
                parts.append(
                    f'<p class="note">line {d.line}: dynamic use <code>{e(d.before)}</code> '
                    f"left as it is: rewrite it by hand to reach <code>{e(d.after)}</code></p>"
                )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _diff_line(line: str) -> str:
    if line.startswith(("---", "+++", "\\")):
        css = "meta"
    else:
        css = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "ctx")
    return f'<span class="{css}">{html.escape(line)}</span>'


def group_counts(migration: Migration, results: Sequence[RewriteResult]) -> tuple[int, ...]:
    """`GROUP_COLUMNS` of `results`: what the console table and the summary show per group."""
    return (
        sum(1 for r in results if r.status == CHANGED),
        sum(len(r.legacy_imports) for r in results),
        sum(1 for r in results for c in r.changes if c.kind in USE_KINDS),
        sum(len(r.dynamic_left) for r in results),
        sum(1 for r in results if r.status == ERROR),
        *migration.lines(results),
    )


GROUP_COLUMNS = (
    "files",
    "imports",
    "use sites",
    "dynamic left",
    "errors",
    "rename lines",
    "format lines",
)


def summary_markdown(
    migration: Migration,
    renames: Mapping[str, str],
    groups: Mapping[str, Sequence[RewriteResult]],
    applied: bool,
    formatted_with: Sequence[str] = (),
    baseline_lines: Sequence[str] = (),
    apply_one_group: str = "",
) -> str:
    """`migration-summary.md`: what changed, what is left, and how risky it is.

    `apply_one_group` is the command that applies one group (`<group>` stands for its name);
    set, the summary lists each group's directories and says how to apply them in order.
    """
    level, reasons = risk_statement(migration)
    mapping = ", ".join(f"`{old}` -> `{new}`" for old, new in sorted(renames.items()))
    mode = "applied" if applied else "dry run (nothing written)"
    rename_lines, format_lines = migration.lines(migration.results)
    lines = [
        "# Legacy import migration summary",
        "",
        f"- Renames: {mapping}",
        f"- Mode: {mode}",
        f"- Files scanned: {migration.scanned}",
        f"- Files mentioning a legacy name: {len(migration.results)}",
        f"- Files changed: {len(migration.changed)}",
        f"- Imports updated: {migration.imports_updated}",
        f"- Use sites updated: {migration.use_sites_updated}",
        f"- Uses through a parent package updated: {migration.count(KIND_PARENT_USE)}",
        f"- String references rewritten: {migration.count(KIND_STRING)}",
        f"- String references left (dynamic): {migration.dynamic_left_of(KIND_STRING)}",
        f"- Dynamic uses left (not rewritten): {migration.dynamic_left_of(KIND_DYNAMIC_USE)}",
        f"- Unparseable files: {len(migration.errors)}",
        f"- Lines changed: {rename_lines + format_lines} ({rename_lines} by the rename, "
        f"{format_lines} by formatting)",
    ]
    if formatted_with:
        modes = Counter(o.formatting for o in map(migration.output_of, migration.results) if o)
        not_clean = modes[IMPORTS_SORTED] + modes[RENAME_ONLY]
        lines.append(
            f"- Formatting ({', '.join(formatted_with)}): {counted(modes[FORMATTED], 'file')} "
            f"formatter-clean before, formatted; {counted(not_clean, 'file')} not "
            f"formatter-clean, written with the rename alone ({modes[IMPORTS_SORTED]} with "
            "their changed import blocks sorted)"
        )
    lines += [
        "- Test outcome: not run by matriz-migrate; after `--apply`, run the tests of what "
        "changed and everything that depends on it: "
        "`pants --changed-since=HEAD --changed-dependents=transitive test`",
        "",
        f"## Risk: {level}",
        "",
        *[f"- {reason}" for reason in reasons],
        "",
        "## Groups",
        "",
    ]
    if apply_one_group:
        lines += [f"In order; apply one at a time with `{apply_one_group}`.", ""]
    lines += [
        "| group | " + " | ".join(GROUP_COLUMNS) + " | report |",
        "| --- " * (len(GROUP_COLUMNS) + 2) + "|",
    ]
    for group, results in groups.items():
        stem = group_file_stem(group)
        cells = " | ".join(str(n) for n in group_counts(migration, results))
        lines.append(
            f"| `{group}` | {cells} | [html](dryrun_{stem}.html), [json](dryrun_{stem}.json) |"
        )
    if apply_one_group:
        lines += ["", "### Directories per group", ""]
        for group, results in groups.items():
            directories = sorted({posixpath.dirname(r.path) or "." for r in results})
            lines.append(f"- `{group}`: " + ", ".join(f"`{d}`" for d in directories))
    if migration.errors:
        lines += ["", "## Files that could not be rewritten", ""]
        for r in migration.errors:
            why = (
                "may import a legacy module, so `--apply` refuses until it parses"
                if r.path in migration.blocking
                else "no import names a legacy module: not part of the migration"
            )
            lines.append(f"- `{r.path}`: {r.error} ({why})")
    if baseline_lines:
        lines += ["", "## Against the baseline", "", *[f"- {line}" for line in baseline_lines]]
    return "\n".join(lines) + "\n"


def console_table(migration: Migration, groups: Mapping[str, Sequence[RewriteResult]]) -> str:
    """One row per group with changes, errors or string references, then the totals."""
    rows: list[tuple[str, ...]] = [("group", *GROUP_COLUMNS)]
    for group, results in groups.items():
        counts = group_counts(migration, results)
        if any(counts):
            rows.append((group, *map(str, counts)))
    rows.append(("total", *map(str, group_counts(migration, migration.results))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        )
        for row in rows
    )
