"""Pytest configuration for the demo monorepo.

Deliberately empty. A ``conftest.py`` at the top of ``demo/`` (a directory without an
``__init__.py``) makes pytest put ``demo/`` on ``sys.path``, so tests import modules by
lane name (``from core.scoring import rank``), just as Pants does with ``demo`` as a
source root.
"""
