from __future__ import annotations

import dataclasses

import pytest

from lanekeeper.kernel.globs import PathGlob


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        # `**` at the end: everything below, and the directory itself.
        ("demo/core/**", "demo/core/a.py", True),
        ("demo/core/**", "demo/core/x/y/b.py", True),
        ("demo/core/**", "demo/core", True),
        ("demo/core/**", "demo/corex/a.py", False),
        ("demo/core/**", "demo/cor", False),
        ("demo/core/**", "demo", False),
        ("demo/core/**", "other/demo/core/a.py", False),
        # `**` at the start: zero or more leading directories.
        ("**/*.py", "a.py", True),
        ("**/*.py", "a/b/c.py", True),
        ("**/*.py", "a/b/c.pyc", False),
        ("**/BUILD", "BUILD", True),
        ("**/BUILD", "x/BUILD", True),
        ("**/BUILD", "xBUILD", False),
        # `**` in the middle: zero or more directories between.
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**/b", "ab", False),
        ("a/**/b", "a/xb", False),
        ("a/**/b", "a/b/c", False),
        # A bare `**` matches any path; repeated `**` means the same as one.
        ("**", "a", True),
        ("**", "a/b/c", True),
        ("**/**", "a", True),
        ("a/**/**/b", "a/b", True),
        ("a/**/**/b", "a/x/y/b", True),
        # `*` stays within one segment.
        ("a/*.py", "a/b.py", True),
        ("a/*.py", "a/.py", True),
        ("a/*.py", "a/b/c.py", False),
        ("a/*", "a/b", True),
        ("a/*", "a/b/c", False),
        ("*", "a", True),
        ("*", "a/b", False),
        ("a*b", "ab", True),
        ("a*b", "axyzb", True),
        ("a*b", "ax/b", False),
        # `?` is exactly one character, never `/`.
        ("?.py", "a.py", True),
        ("?.py", ".py", False),
        ("?.py", "ab.py", False),
        ("a?b", "a/b", False),
        # Regex metacharacters are literal.
        ("c++/x.py", "c++/x.py", True),
        ("c++/x.py", "cc/x.py", False),
        ("a.b", "a.b", True),
        ("a.b", "axb", False),
        ("(x)|[y]^$/{1}", "(x)|[y]^$/{1}", True),
        ("x\\d", "x\\d", True),
        ("x\\d", "x1", False),
        # Matching is case-sensitive and exact, with no implicit prefix or suffix.
        ("demo/MATRIZ/**", "demo/matriz/a.py", False),
        ("demo/a.py", "demo/a.py", True),
        ("demo/a.py", "demo/a.pyc", False),
        ("demo/a.py", "x/demo/a.py", False),
    ],
)
def test_matches(pattern: str, path: str, expected: bool) -> None:
    assert PathGlob.parse(pattern).matches(path) is expected


@pytest.mark.parametrize(
    "pattern, message",
    [
        (
            "",
            "'' is not a valid path glob: it is empty; give a path relative to the build root, "
            "like 'src/**'.",
        ),
        (
            "/demo/**",
            "'/demo/**' is not a valid path glob: it is absolute; write it relative to the build "
            "root, without the leading '/'.",
        ),
        (
            "a**b",
            "'a**b' is not a valid path glob: '**' must be a whole segment, not part of 'a**b'; "
            "use '*' to match within one segment, or put '**' alone between slashes, "
            "like 'demo/**/x.py'.",
        ),
        (
            "demo/**.py",
            "'demo/**.py' is not a valid path glob: '**' must be a whole segment, not part of "
            "'**.py'; use '*' to match within one segment, or put '**' alone between slashes, "
            "like 'demo/**/x.py'.",
        ),
        (
            "demo/***",
            "'demo/***' is not a valid path glob: '**' must be a whole segment, not part of "
            "'***'; use '*' to match within one segment, or put '**' alone between slashes, "
            "like 'demo/**/x.py'.",
        ),
        (
            "demo//core/**",
            "'demo//core/**' is not a valid path glob: it has an empty segment; "
            "remove the extra '/'.",
        ),
        (
            "demo/core/",
            "'demo/core/' is not a valid path glob: it has an empty segment; remove the extra '/'.",
        ),
        (
            "./demo/**",
            "'./demo/**' is not a valid path glob: it has a '.' segment; "
            "write the normalized path without it.",
        ),
        (
            "demo/../core/**",
            "'demo/../core/**' is not a valid path glob: it has a '..' segment; "
            "write the normalized path without it.",
        ),
    ],
)
def test_parse_rejects(pattern: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        PathGlob.parse(pattern)
    assert str(caught.value) == message


def test_constructor_validates_like_parse() -> None:
    with pytest.raises(ValueError):
        PathGlob("/abs")


@pytest.mark.parametrize(
    "pattern, prefix",
    [
        ("demo/core/**", "demo/core"),
        ("demo/core/*.py", "demo/core"),
        ("demo/c?re/x.py", "demo"),
        ("demo/**/x.py", "demo"),
        ("demo/a.py", "demo/a.py"),
        ("**/*.py", ""),
        ("*", ""),
    ],
)
def test_literal_prefix(pattern: str, prefix: str) -> None:
    assert PathGlob.parse(pattern).literal_prefix == prefix


@pytest.mark.parametrize(
    "pattern, sample",
    [
        ("demo/core/**", "demo/core"),
        ("demo/**/x.py", "demo/x.py"),
        ("**/*.py", "x.py"),
        ("demo/c?re/*", "demo/cxre/x"),
        ("a*b?c", "axbxc"),
        ("demo/a.py", "demo/a.py"),
        ("**", "x"),
        ("**/**", "x"),
    ],
)
def test_sample_path_is_matched_by_its_glob(pattern: str, sample: str) -> None:
    glob = PathGlob.parse(pattern)
    assert glob.sample_path() == sample
    assert glob.matches(sample)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("demo/core/**", "demo/core/**", True),
        ("demo/**", "demo/core/**", True),
        ("demo/core/**", "demo/lukhas/**", False),
        ("demo/core/**", "demo/core", True),
        ("demo/core/**", "demo/corex/**", False),
        # Overlaps that no sample_path() reveals.
        ("**/*.py", "demo/core/**", True),
        ("demo/*/x.py", "demo/core/**", True),
        ("a*", "*b", True),
        ("a?c", "abc", True),
        ("a?c", "a*d", False),
        ("*.py", "*.txt", False),
        ("demo/*.py", "demo/core/**", False),
        ("a/**/b", "a/**/c", False),
        ("a/**/b", "**/x/b", True),
        ("a/**/b", "a", False),
        ("**", "anything/at/all", True),
        ("a/b", "a/b/c", False),
    ],
)
def test_overlaps_is_exact_and_symmetric(left: str, right: str, expected: bool) -> None:
    left_glob, right_glob = PathGlob.parse(left), PathGlob.parse(right)
    assert left_glob.overlaps(right_glob) is expected
    assert right_glob.overlaps(left_glob) is expected


def test_globs_are_frozen_values() -> None:
    glob = PathGlob.parse("demo/**")
    assert glob == PathGlob.parse("demo/**")
    assert glob != PathGlob.parse("demo/*")
    assert len({glob, PathGlob.parse("demo/**")}) == 1
    assert repr(glob) == "PathGlob(pattern='demo/**')"
    assert glob.segments == ("demo", "**")
    with pytest.raises(dataclasses.FrozenInstanceError):
        glob.pattern = "other/**"  # type: ignore[misc]
