import json
from pathlib import Path

import pytest
from helpers import make_repo, run_govlint

from governance_lint.testing import lint, positions

# `spec:` is line 4; the owner line (when given) is line 6, its value at column 10.
HEAD = "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: incident-management}\nspec:\n  purpose: R.\n"


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        pytest.param("  owner: person:mrs-davis\n", [], id="one-person"),
        pytest.param("", [("GOV101", 4, 1)], id="missing-at-spec"),
        pytest.param("  owner:\n", [("GOV101", 6, 3)], id="null-at-the-key"),
        pytest.param("  owner: ''\n", [("GOV101", 6, 3)], id="empty-text-at-the-key"),
        pytest.param("  owner: [person:a, person:b]\n", [("GOV101", 6, 3)], id="two"),
        pytest.param(
            "  owner:\n    - person:a\n    - person:b\n    - person:c\n", [("GOV101", 6, 3)], id="three"
        ),
        pytest.param("  owner: [person:a, person:a]\n", [("GOV101", 6, 3)], id="same-twice"),
        pytest.param("  owner: [person:a]\n", [], id="list-of-one-left-to-schema"),
        pytest.param("  owner: [person:a, null, '']\n", [], id="blanks-do-not-count"),
        pytest.param("  owner: []\n", [("GOV101", 6, 3)], id="empty-list"),
        pytest.param("  owner: [null, '']\n", [("GOV101", 6, 3)], id="only-blanks"),
        pytest.param("  owner: [team:a]\n", [("GOV101", 6, 3)], id="list-of-one-team"),
        pytest.param("  owner: team:service-desk\n", [("GOV101", 6, 10)], id="team"),
        pytest.param("  owner: mrs-davis\n", [("GOV101", 6, 10)], id="no-kind"),
        pytest.param("  owner: 42\n", [("GOV101", 6, 10)], id="number"),
        pytest.param("  owner: true\n", [("GOV101", 6, 10)], id="boolean"),
        pytest.param("  owner: {person: mrs-davis}\n", [("GOV101", 6, 3)], id="mapping-at-the-key"),
    ],
)
def test_single_owner(owner: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(HEAD + owner, select=["GOV101"])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "apiVersion: govlint/v1\nkind: Practice\nmetadata: {id: sd}\nspec: {purpose: x, owner: team:x}\n",
            [("GOV101", 4, 27)],
            id="practice",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Service\nmetadata: {id: email}\nspec: {description: Mail}\n",
            [("GOV101", 4, 1)],
            id="service-without-owner",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Service\nmetadata: {id: email}\nspec: {owner: person:tamika}\n",
            [],
            id="service",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Team\nmetadata: {id: sd}\nspec: {members: []}\n",
            [],
            id="team-has-no-owner",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Policy\nmetadata: {id: p}\nspec: {statement: S., owner: team:x}\n",
            [],
            id="policy-not-checked",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\nspec: [owner]\n",
            [("GOV101", 4, 1)],
            id="spec-a-list",
        ),
        pytest.param(
            "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: im}\n",
            [("GOV101", 1, 1)],
            id="no-spec-at-the-document",
        ),
    ],
)
def test_kinds(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert positions(lint(text, select=["GOV101"])) == expected


@pytest.mark.parametrize(
    ("owner", "words"),
    [
        pytest.param(
            "[person:a, person:b]",
            [
                "process 'incident-management' has 2 owners (person:a, person:b)",
                "exactly one accountable owner",
            ],
            id="several",
        ),
        pytest.param("team:service-desk", ["'team:service-desk', not a person"], id="team"),
        pytest.param("''", ["has no owner"], id="none"),
        pytest.param(
            "Mrs. Davis",
            ["'Mrs. Davis', a name, not a reference to a person; write person:mrs-davis"],
            id="a-name-gets-its-reference-form",
        ),
        pytest.param("mrs-davis", ["write person:mrs-davis"], id="an-id-without-its-kind"),
    ],
)
def test_message_gives_the_governance_reason(owner: str, words: list[str]) -> None:
    (found,) = lint(HEAD + f"  owner: {owner}\n", select=["single-owner"])
    assert all(w in found.message for w in words), found.message


PEOPLE = """\
apiVersion: govlint/v1
kind: Person
metadata: {id: davis, name: Mrs. Davis}
spec: {email: davis@example.org}
---
apiVersion: govlint/v1
kind: Person
metadata: {id: windy}
spec: {email: windy@example.org}
"""


@pytest.mark.parametrize(
    ("owner", "words", "hint"),
    [
        pytest.param(
            "Mrs. Davis", "write person:mrs-davis", "(did you mean person:davis?)", id="by-the-person-s-name"
        ),
        pytest.param("Windi", "write person:windi", "(did you mean person:windy?)", id="by-the-closest-id"),
        pytest.param("windy", "write person:windy", None, id="the-reference-form-exists"),
        pytest.param("Zebedee", "write person:zebedee", None, id="nobody-close"),
    ],
)
def test_an_owner_written_as_a_name_gets_the_person_it_means(
    owner: str, words: str, hint: str | None
) -> None:
    (found,) = lint({"people.yaml": PEOPLE, "p.yaml": HEAD + f"  owner: {owner}\n"}, select=["GOV101"])
    assert (found.code, found.path, found.line, found.column) == ("GOV101", "p.yaml", 6, 10)
    assert words in found.message
    assert (hint in found.message) if hint else ("did you mean" not in found.message)


@pytest.mark.parametrize(
    ("owner", "max_owners", "expected"),
    [
        pytest.param("[person:a, person:b]", 2, [], id="two-of-two"),
        pytest.param("[person:a, person:b, person:c]", 2, [("GOV101", 6, 3)], id="three-of-two"),
        pytest.param("person:a", 3, [], id="one-of-three"),
        pytest.param("[person:a, team:b]", 3, [("GOV101", 6, 21)], id="a-team-among-owners"),
        pytest.param("[person:a, Mrs. Davis]", 3, [("GOV101", 6, 21)], id="a-name-among-owners"),
        pytest.param("[]", 3, [("GOV101", 6, 3)], id="none-of-three"),
        pytest.param("team:a", 3, [("GOV101", 6, 10)], id="a-team-alone"),
    ],
)
def test_max_owners(owner: str, max_owners: int, expected: list[tuple[str, int, int]]) -> None:
    found = lint(
        HEAD + f"  owner: {owner}\n", select=["GOV101"], options={"GOV101": {"max-owners": max_owners}}
    )
    assert positions(found) == expected


def test_above_max_owners_the_message_names_the_option() -> None:
    (found,) = lint(
        HEAD + "  owner: [person:a, person:b, person:c]\n",
        select=["GOV101"],
        options={"single-owner": {"max-owners": 2}},
    )
    assert "has 3 owners (person:a, person:b, person:c); at most 2 allowed by max-owners" in found.message


@pytest.mark.parametrize("value", [0, -1, "two"])
def test_max_owners_must_be_a_positive_number(value: object) -> None:
    from governance_lint.engine import UsageError

    with pytest.raises(UsageError, match="max-owners"):
        lint(HEAD + "  owner: person:a\n", select=["GOV101"], options={"GOV101": {"max-owners": value}})


def _group(ident: str, chairs: list[str], leads: list[str]) -> str:
    """A Kubernetes-style special interest group: co-chairs own it, tech leads run it, subprojects are its work."""
    managers = "".join(f"    - person: person:{lead}\n      scope: technical ({lead})\n" for lead in leads)
    return f"""\
apiVersion: govlint/v1
kind: Process
metadata: {{id: {ident}, name: {ident}}}
spec:
  purpose: Own and evolve the {ident} area of the project.
  owner: [{", ".join(f"person:{c}" for c in chairs)}]
  managers:
{managers}  practitioners: [team:{ident}-reviewers]
  escalation: [person:{leads[0]}, person:{chairs[0]}]
  activities:
    - id: subproject-{ident}
      raci:
        responsible: [team:{ident}-reviewers]
        accountable: person:{leads[0]}
"""


GROUPS = {
    "sig-node": (["dawn", "derek"], ["sergey", "mrunal"]),
    "sig-apps": (["janet", "maciej", "kenneth"], ["soltysh"]),
    "sig-architecture": (["derek", "john"], ["dims"]),
    "wg-big": ([f"chair-{i}" for i in range(10)], ["lead-big"]),
}


def _people() -> str:
    names = {n for chairs, leads in GROUPS.values() for n in chairs + leads}
    docs = [
        f"apiVersion: govlint/v1\nkind: Person\nmetadata: {{id: {n}}}\nspec: {{email: {n}@example.org}}\n"
        for n in sorted(names)
    ]
    docs += [
        f"apiVersion: govlint/v1\nkind: Team\nmetadata: {{id: {g}-reviewers}}\n"
        f"spec: {{members: [person:{leads[0]}]}}\n"
        for g, (_, leads) in GROUPS.items()
    ]
    return "---\n".join(docs)


KUBERNETES = {
    "people.yaml": _people(),
    **{f"groups/{g}.yaml": _group(g, chairs, leads) for g, (chairs, leads) in GROUPS.items()},
}


def test_a_repository_of_co_chaired_groups() -> None:
    """Groups with two to ten co-chairs: allowed with max-owners 10, one GOV101 per group by default."""
    codes = ["GOV002", "GOV005", "GOV101", "GOV102", "GOV701"]
    shared = lint(KUBERNETES, select=codes, options={"GOV101": {"max-owners": 10}})
    assert positions(shared) == []
    default = lint(KUBERNETES, select=codes)
    assert sorted((d.code, d.path, d.line, d.column) for d in default) == [
        ("GOV101", f"groups/{g}.yaml", 6, 3) for g in sorted(GROUPS)
    ]
    three = lint(KUBERNETES, select=codes, options={"GOV101": {"max-owners": 3}})
    assert [(d.code, d.path) for d in three] == [("GOV101", "groups/wg-big.yaml")]
    assert "has 10 owners" in three[0].message


def test_max_owners_from_the_config_of_a_real_repository(tmp_path: Path) -> None:
    """The installed govlint reads max-owners from .govlint.yaml in a git work tree."""
    repo = make_repo(
        tmp_path / "repo",
        {**KUBERNETES, ".govlint.yaml": "rules:\n  single-owner: {options: {max-owners: 10}}\n"},
    )
    done = run_govlint("check", "--select", "GOV002,GOV101,GOV701", ".", cwd=repo)
    assert (done.returncode, done.stdout.count("GOV")) == (0, 0), done.stdout + done.stderr
    (repo / ".govlint.yaml").write_text("rules:\n  single-owner: {options: {max-owners: 2}}\n")
    done = run_govlint("check", "--select", "GOV002,GOV101,GOV701", "--format", "json", ".", cwd=repo)
    assert done.returncode == 1, done.stderr
    found = [(d["code"], d["path"]) for d in json.loads(done.stdout)["diagnostics"]]
    assert found == [("GOV101", "groups/sig-apps.yaml"), ("GOV101", "groups/wg-big.yaml")]
