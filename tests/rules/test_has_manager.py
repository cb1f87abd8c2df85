import pytest

from governance_lint.testing import lint, positions

HEAD = """\
apiVersion: govlint/v1
kind: {kind}
metadata: {{id: incident-management}}
spec:
  purpose: Restore normal service operation.
  owner: person:mrs-davis
"""


def process(body: str = "", kind: str = "Process") -> str:
    return HEAD.format(kind=kind) + body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(process(), [("GOV103", 4, 1)], id="missing-at-spec"),
        pytest.param(process("  managers: []\n"), [("GOV103", 7, 3)], id="empty-list"),
        pytest.param(process("  managers:\n"), [("GOV103", 7, 3)], id="null"),
        pytest.param(process(kind="Practice"), [("GOV103", 4, 1)], id="practice"),
        pytest.param(process("  managers:\n    - person: person:windy\n"), [], id="one-manager"),
        pytest.param(
            process("  managers:\n    - person: person:mrs-davis\n      scope: All\n"), [], id="owner-manages"
        ),
        pytest.param(process("  managers: person:windy\n"), [], id="string-names-someone"),
        pytest.param(process(kind="Service"), [], id="service-has-no-managers"),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: x}\nspec: [1, 2]\n",
            [("GOV103", 4, 1)],
            id="spec-not-a-mapping",
        ),
    ],
)
def test_has_manager(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV103"])) == expected
