import datetime as dt

import pytest

from governance_lint.testing import lint, positions

TODAY = dt.date(2026, 11, 22)


def process(metadata: str, kind: str = "Process") -> str:
    return (
        f"apiVersion: govlint/v1\nkind: {kind}\nmetadata:\n{metadata}"
        "spec:\n  purpose: Restore normal service operation as quickly as possible.\n"
    )


@pytest.mark.parametrize(
    ("yaml", "options", "expected"),
    [
        pytest.param(process("  id: im\n  lastReviewed: 2026-06-30\n"), {}, [], id="recent"),
        pytest.param(process("  id: im\n  lastReviewed: 2025-11-22\n"), {}, [], id="exactly-cycle-days"),
        pytest.param(
            process("  id: im\n  lastReviewed: 2025-11-21\n"), {}, [("GOV502", 5, 17)], id="one-day-over"
        ),
        pytest.param(process("  id: im\n  lastReviewed: 2027-01-01\n"), {}, [], id="future"),
        pytest.param(
            process("  id: im\n  name: Incident Management\n"),
            {},
            [("GOV502", 3, 1)],
            id="missing-at-metadata",
        ),
        pytest.param(process("  id: im\n  lastReviewed:\n"), {}, [("GOV502", 5, 3)], id="null-at-key"),
        pytest.param(
            process("  id: im\n  lastReviewed: 2026-05-25\n"),
            {"cycle-days": 180},
            [("GOV502", 5, 17)],
            id="option-cycle-days",
        ),
        pytest.param(
            process("  id: im\n  lastReviewed: 2026-05-25\n"),
            {"cycle-days": 181},
            [],
            id="option-cycle-days-boundary",
        ),
        pytest.param(
            process("  id: sd\n  lastReviewed: 2020-01-01\n", "Practice"),
            {},
            [("GOV502", 5, 17)],
            id="practice",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: p, lastReviewed: 2020-01-01}\n"
            "spec: {statement: All incidents must be logged., category: process}\n",
            {},
            [("GOV502", 3, 33)],
            id="policy-flow-mapping",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: windy}\nspec: {email: w@x.org}\n",
            {},
            [],
            id="person-not-checked",
        ),
        pytest.param(process("  id: im\n  lastReviewed: 2026-02-30\n"), {}, [], id="impossible-date"),
        pytest.param(process("  id: im\n  lastReviewed: last spring\n"), {}, [], id="text-to-schema"),
        pytest.param(process("  id: im\n  lastReviewed: 20200101\n"), {}, [], id="number-to-schema"),
        pytest.param(process("  id: im\n  lastReviewed: [2020-01-01]\n"), {}, [], id="list-to-schema"),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: oops\nspec: {purpose: x}\n",
            {},
            [("GOV502", 3, 1)],
            id="metadata-not-a-mapping",
        ),
    ],
)
def test_review_overdue(yaml: str, options: dict[str, int], expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(yaml, select=["GOV502"], options={"GOV502": options}, today=TODAY)) == expected


def test_today_decides() -> None:
    yaml = process("  id: im\n  lastReviewed: 2026-06-30\n")
    assert positions(lint(yaml, select=["review-overdue"], today=dt.date(2027, 7, 1))) == [("GOV502", 5, 17)]
    assert lint(yaml, select=["review-overdue"], today=dt.date(2027, 6, 30)) == []


def test_message_names_date_age_and_cycle() -> None:
    (found,) = lint(process("  id: im\n  lastReviewed: 2025-11-21\n"), select=["GOV502"], today=TODAY)
    # no count of days: the message, and so the finding's identity, is the same on every later day
    assert (
        "process 'im' was last reviewed on 2025-11-21 and was due for review on 2026-11-21" in found.message
    )
    assert "review cycle 365 days" in found.message


@pytest.mark.parametrize("bad", [0, -3, "90", 1.5])
def test_bad_cycle_days_is_a_usage_error(bad: object) -> None:
    from governance_lint.engine import UsageError

    with pytest.raises(UsageError, match="cycle-days"):
        lint(process("  id: im\n"), select=["GOV502"], options={"GOV502": {"cycle-days": bad}})
