"""plotting.huffman_tree: a prefix-free code drawn as a tree, and clear errors on bad input."""

import doctest

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import huffman, plotting


def leaves(ax):
    """The leaf labels of a drawn tree (the texts with a line break), sorted."""
    return sorted(t.get_text() for t in ax.texts if "\n" in t.get_text())


def bits(ax):
    """The 0/1 labels on the edges, as drawn."""
    return [t.get_text() for t in ax.texts if "\n" not in t.get_text()]


def test_codes_as_bit_strings_one_leaf_each():
    ax = plotting.huffman_tree({"E": "0", "T": "10", "A": "11"})
    assert leaves(ax) == ["A\n11", "E\n0", "T\n10"]
    assert sorted(bits(ax)) == ["0", "0", "1", "1"]  # two inner nodes, two edges each
    plt.close(ax.figure)


def test_lengths_become_canonical_codes_in_mapping_order():
    ax = plotting.huffman_tree({"b": 2, "a": 1, "c": 3, "d": 3})
    assert leaves(ax) == ["a\n0", "b\n10", "c\n110", "d\n111"]
    plt.close(ax.figure)


def test_canonical_codes_match_jpeg_code_table():
    counts = np.zeros(256, np.int64)
    counts[:8] = [591, 494, 667, 670, 637, 581, 384, 72]
    spec = huffman.optimal_spec(counts)
    codes, lengths = huffman.code_table(spec)
    ax = plotting.huffman_tree({s: int(lengths[s]) for s in spec.values})
    expected = [f"{s}\n{format(int(codes[s]), f'0{lengths[s]}b')}" for s in spec.values]
    assert leaves(ax) == sorted(expected + ["unused\n11111"])  # JPEG keeps the all-ones code free
    plt.close(ax.figure)


def test_unused_branch_is_dashed_and_labelled():
    ax = plotting.huffman_tree({"a": "0", "b": "10"})
    assert "unused\n11" in leaves(ax)
    assert sorted(line.get_linestyle() for line in ax.lines) == ["-", "-", "-", "--"]
    plt.close(ax.figure)


def test_counts_written_under_leaves():
    ax = plotting.huffman_tree({"a": "0", "b": "1"}, {"a": 1200, "b": 3})
    assert leaves(ax) == ["a\n0\n1,200", "b\n1\n3"]
    plt.close(ax.figure)


def test_draws_into_given_axes_and_leaves_positions_follow_depth():
    fig, ax = plt.subplots()
    assert plotting.huffman_tree({"a": "0", "b": "10", "c": "11"}, ax=ax) is ax
    ys = {t.get_text(): t.get_position()[1] for t in ax.texts if "\n" in t.get_text()}
    assert ys["a\n0"] > ys["b\n10"] == ys["c\n11"]  # a deeper leaf sits lower
    assert not ax.axison
    plt.close(fig)


def test_tree_of_huffman_lengths_round_trip():
    counts = np.array([5, 9, 12, 13, 16, 45])
    lengths = huffman.huffman_lengths(counts)
    ax = plotting.huffman_tree({s: int(n) for s, n in enumerate(lengths)})
    drawn = {int(t.get_text().split("\n")[0]): len(t.get_text().split("\n")[1]) for t in ax.texts
             if "\n" in t.get_text() and not t.get_text().startswith("unused")}
    assert drawn == {s: int(n) for s, n in enumerate(lengths)}
    plt.close(ax.figure)


@pytest.mark.parametrize("codes, match", [
    ([("a", "0")], "codes must be a non-empty mapping"),
    ({}, "codes must be a non-empty mapping"),
    ({"a": "0", "b": 2}, "every symbol to a bit string or every symbol to a whole length"),
    ({"a": True}, "every symbol to a bit string"),
    ({"a": 1.5}, "every symbol to a bit string"),
])
def test_type_errors_name_codes(codes, match):
    with pytest.raises(TypeError, match=match):
        plotting.huffman_tree(codes)


@pytest.mark.parametrize("codes, match", [
    ({"a": ""}, r"codes\['a'\] must be 1 to 32 characters 0 or 1"),
    ({"a": "012"}, r"codes\['a'\] must be 1 to 32 characters"),
    ({"a": "0" * 33}, r"codes\['a'\] must be 1 to 32"),
    ({"a": "0", "b": "01"}, r"prefix-free: '0' \('a'\) is the start of '01' \('b'\)"),
    ({"a": "10", "b": "10"}, "prefix-free"),
    ({"a": 1, "b": 1, "c": 1}, "Kraft inequality"),
    ({"a": 0}, r"codes\['a'\] must be 1..32, got 0"),
    ({i: f"{i:07b}" for i in range(65)}, "at most 64 symbols"),
])
def test_value_errors_name_codes(codes, match):
    with pytest.raises(ValueError, match=match):
        plotting.huffman_tree(codes)


def test_bad_counts_and_axes():
    with pytest.raises(TypeError, match="counts must be a mapping"):
        plotting.huffman_tree({"a": "0"}, [3])
    with pytest.raises(ValueError, match="counts must have the symbols of codes"):
        plotting.huffman_tree({"a": "0", "b": "1"}, {"a": 3})
    with pytest.raises(ValueError, match=r"counts\['a'\] must be >= 0"):
        plotting.huffman_tree({"a": "0", "b": "1"}, {"a": -1, "b": 2})
    with pytest.raises(TypeError, match=r"counts\['a'\] must be an integer"):
        plotting.huffman_tree({"a": "0", "b": "1"}, {"a": 1.5, "b": 2})
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        plotting.huffman_tree({"a": "0"}, ax="axes")


def test_docstring_example_runs():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(plotting.huffman_tree, "huffman_tree", globs={"huffman_tree": plotting.huffman_tree}):
        runner.run(test)
    assert runner.summarize(verbose=False).attempted >= 2
    assert runner.summarize(verbose=False).failed == 0
    plt.close("all")
