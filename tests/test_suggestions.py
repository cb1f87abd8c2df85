"""The did-you-mean vocabulary: close words found, its comparisons bounded."""

from __future__ import annotations

from governance_lint.model import Vocabulary


def test_the_closest_word_ignoring_case_and_nothing_when_none_is_close() -> None:
    words = Vocabulary(["windy", "Service-Desk", "change-enablement"])
    assert words.closest("windi") == "windy"
    assert words.closest("service-desk") == "Service-Desk"
    assert words.closest("servce-desk") == "Service-Desk"
    assert words.closest("zzz") is None


def test_past_its_comparisons_a_new_word_gets_no_suggestion() -> None:
    ids = [f"person-{n:04d}" for n in range(1_000)]
    words = Vocabulary(ids, comparisons=3 * len(ids))  # three look-ups
    assert [words.closest(f"persn-{n:04d}") for n in range(3)] == ids[:3]
    assert words.closest("persn-0003") is None  # a fourth word: not compared with a thousand ids
    assert words.closest("persn-0001") == ids[1]  # a word already looked up costs nothing
    assert words.closest("PERSON-0500") == "person-0500"  # an exact match (ignoring case) is no search
    assert Vocabulary(ids).closest("persn-0003") == "person-0003"


def test_a_long_word_counts_once_per_64_characters() -> None:
    ids = [f"p{n}" for n in range(99)] + ["q" * 200]
    long_word = "q" * 199 + "r"  # 200 characters: four comparisons' worth against each id
    assert Vocabulary(ids, comparisons=4 * len(ids) - 1).closest(long_word) is None
    assert Vocabulary(ids, comparisons=4 * len(ids)).closest(long_word) == "q" * 200
