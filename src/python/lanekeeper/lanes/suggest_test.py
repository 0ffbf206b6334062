from lanekeeper.lanes.imports import ImportEdge
from lanekeeper.lanes.suggest import suggest_lanes, top_level_package


def edge(importer: str, imported: str) -> ImportEdge:
    return ImportEdge(importer=importer, line=1, module="m", imported=imported)


def test_a_lane_per_top_level_package_importers_first() -> None:
    files = [
        ("src/core/pricing.py", "src"),
        ("src/labs/checkout.py", "src"),
        ("src/labs/deep/cart.py", "src"),
        ("src/setup_env.py", "src"),
        ("lib/shared/util.py", "lib"),
    ]
    edges = [
        edge("src/labs/checkout.py", "src/core/pricing.py"),
        edge("src/labs/deep/cart.py", "lib/shared/util.py"),
        edge("src/core/pricing.py", "lib/shared/util.py"),
        edge("src/labs/deep/cart.py", "src/labs/checkout.py"),
    ]
    assert suggest_lanes(files, edges).splitlines() == [
        "[lanes]",
        'order = ["labs", "core", "shared"]',
        "production = []",
        "",
        "[lanes.paths]",
        'labs = ["src/labs/**"]',
        'core = ["src/core/**"]',
        'shared = ["lib/shared/**"]',
        "",
        "[lanes.allowed_imports]",
        'labs = ["core", "shared"]',
        'core = ["shared"]',
    ]


def test_packages_of_the_same_name_are_told_apart_and_a_cycle_is_ordered_by_name() -> None:
    files = [("a/util/x.py", "a"), ("b/util/y.py", "b")]
    edges = [edge("a/util/x.py", "b/util/y.py"), edge("b/util/y.py", "a/util/x.py")]
    text = suggest_lanes(files, edges)
    assert 'order = ["a_util", "b_util"]' in text
    assert 'a_util = ["b_util"]' in text and 'b_util = ["a_util"]' in text


def test_a_file_directly_in_a_source_root_has_no_lane() -> None:
    assert top_level_package("setup.py", ".") is None
    assert top_level_package("pkg/mod.py", ".") == "pkg"
    assert suggest_lanes([("src/x.py", "src")], []) == ""
