import pytest

from governance_lint.testing import lint, positions

PROCESS = """\
apiVersion: govlint/v1
kind: Process
metadata: {id: incident-management}
spec:
  purpose: Restore normal service operation as quickly as possible.
  owner: person:mrs-davis
"""


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        pytest.param(
            PROCESS + "  kpis:\n    - {id: mttr, description: Restore, target: '<= 4h'}\n",
            [],
            id="kpi-with-target",
        ),
        pytest.param(
            PROCESS + "  kpis:\n    - {id: share, description: Share, target: 0}\n", [], id="zero-is-a-target"
        ),
        pytest.param(PROCESS, [("GOV501", 4, 1)], id="no-kpis-at-spec"),
        pytest.param(PROCESS + "  kpis: []\n", [("GOV501", 7, 3)], id="empty-kpis"),
        pytest.param(PROCESS + "  kpis:\n", [("GOV501", 7, 3)], id="null-kpis-at-key"),
        pytest.param(
            PROCESS + "  kpis:\n    - id: mttr\n      description: Mean time to restore\n",
            [("GOV501", 8, 7)],
            id="kpi-without-target",
        ),
        pytest.param(
            PROCESS + "  kpis:\n    - {id: a, description: A, target: 95}\n"
            "    - {id: b, description: B, target: ''}\n"
            "    - {id: c, description: C, target: null}\n",
            [("GOV501", 9, 7), ("GOV501", 10, 7)],
            id="empty-and-null-targets",
        ),
        pytest.param(
            PROCESS.replace("kind: Process", "kind: Practice") + "  kpis: []\n",
            [("GOV501", 7, 3)],
            id="practice",
        ),
        pytest.param(PROCESS + "  kpis: mttr\n", [], id="string-left-to-schema"),
        pytest.param(PROCESS + "  kpis: [mttr, 3, [x]]\n", [], id="non-mapping-items-left-to-schema"),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: x}\nspec: 7\n",
            [("GOV501", 4, 1)],
            id="spec-not-a-mapping",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Service\nmetadata: {id: email}\n"
            "spec: {owner: person:tamika, description: Mail}\n",
            [],
            id="service-not-checked",
        ),
    ],
)
def test_kpi_defined(yaml: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(yaml, select=["GOV501"])) == expected


def test_messages_name_the_kpi_and_the_reason() -> None:
    found = lint(PROCESS + "  kpis:\n    - {id: mttr, description: Restore}\n", select=["kpi-defined"])
    (message,) = [d.message for d in found]
    assert "KPI 'mttr' of process 'incident-management' has no target" in message
    assert "measured" in message
