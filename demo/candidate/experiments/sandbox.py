"""Sandbox for quick experiments with slugs and small matrices."""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

SANDBOX_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scratch")
sys.path[:0] = [SANDBOX_DIR]

import matriz_utils

# TODO[2026-03-15][PRIORITY:LOW][OWNER:@gina][SCOPE:CANDIDATE] move the sandbox out of the repo
# XXX: scratch directory is never cleaned up


def experiment_slug(title: str) -> str:
    """Slug for an experiment's title."""
    mymatriz = matriz_utils.slugify(title)
    return mymatriz


def grid(rows: int, cols: int) -> list[list[int]]:
    """A ``rows`` x ``cols`` matrix, numbered row by row."""
    matriz = [[row * cols + col for col in range(cols)] for row in range(rows)]
    return matriz


def matrix_setting(config: SimpleNamespace) -> object:
    """The matrix setting of an experiment's ``config``."""
    return config.matriz
