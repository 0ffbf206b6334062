from __future__ import annotations

from lanekeeper_pants.analyzer.rules import _core_sources


def test_the_analyzer_gets_every_module_of_the_core_and_no_test() -> None:
    paths = [f.path for f in _core_sources()]
    assert "lanekeeper/analyze.py" in paths
    # Sub-packages too: the kernel and the features live in them.
    assert "lanekeeper/kernel/__init__.py" in paths
    assert "lanekeeper/kernel/lane_config.py" in paths
    assert not [path for path in paths if path.endswith("_test.py")]
