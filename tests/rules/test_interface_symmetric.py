import pytest

from governance_lint.testing import lint


def process(ident: str, interfaces: str, kind: str = "Process") -> str:
    return (
        f"apiVersion: govlint/v1\nkind: {kind}\nmetadata: {{id: {ident}}}\nspec:\n"
        f"  purpose: Do the work.\n  owner: person:a\n  interfaces:\n{interfaces}"
    )


# Interfaces start on line 8: "    - process: ..." then sends / receives lines.
IM_TO_PM = "    - process: process:pm\n      sends: [incident-record]\n      receives: [known-error]\n"
PM_TO_IM = "    - process: process:im\n      sends: [known-error]\n      receives: [incident-record]\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"im.yaml": process("im", IM_TO_PM), "pm.yaml": process("pm", PM_TO_IM)}, [], id="symmetric"
        ),
        pytest.param(
            {
                "im.yaml": process("im", IM_TO_PM),
                "pm.yaml": process("pm", "    - process: process:im\n      sends: [known-error]\n"),
            },
            [("im.yaml", 9, 15)],
            id="sent-but-not-received",
        ),
        pytest.param(
            {
                "im.yaml": process("im", IM_TO_PM),
                "pm.yaml": process("pm", "    - process: process:im\n      receives: [incident-record]\n"),
            },
            [("im.yaml", 10, 18)],
            id="received-but-not-sent",
        ),
        pytest.param(
            {"im.yaml": process("im", IM_TO_PM), "pm.yaml": process("pm", "    - process: process:cm\n")},
            [("im.yaml", 9, 15), ("im.yaml", 10, 18)],
            id="partner-has-no-interface-with-us",
        ),
        pytest.param(
            {
                "im.yaml": process("im", IM_TO_PM),
                "pm.yaml": "apiVersion: govlint/v1\nkind: Process\nmetadata: {id: pm}\nspec: {purpose: x}\n",
            },
            [("im.yaml", 9, 15), ("im.yaml", 10, 18)],
            id="partner-without-interfaces",
        ),
        pytest.param({"im.yaml": process("im", IM_TO_PM)}, [], id="missing-partner-left-to-gov005"),
        # the partner's two entries for us together hold the counterparts
        pytest.param(
            {
                "im.yaml": process("im", IM_TO_PM),
                "pm.yaml": process(
                    "pm",
                    "    - process: process:im\n      sends: [known-error]\n"
                    "    - process: process:im\n"
                    "      receives: [incident-record]\n",
                ),
            },
            [],
            id="split-entries",
        ),
        pytest.param(
            {
                "im.yaml": process("im", "    - process: practice:sd\n      sends: [user-contact]\n"),
                "sd.yaml": process(
                    "sd", "    - process: process:im\n      receives: [user-contact]\n", kind="Practice"
                ),
            },
            [],
            id="practice-partner",
        ),
        pytest.param(
            {
                "im.yaml": process("im", "    - process: practice:sd\n      sends: [user-contact]\n"),
                "sd.yaml": process(
                    "sd", "    - process: process:im\n      receives: [contact]\n", kind="Practice"
                ),
            },
            [("im.yaml", 9, 15), ("sd.yaml", 9, 18)],
            id="practice-mismatch-both-sides",
        ),
        # im names process:sd, which is nothing (GOV005): it does not send to practice:sd
        pytest.param(
            {
                "im.yaml": process("im", "    - process: process:sd\n      sends: [user-contact]\n"),
                "sd.yaml": process(
                    "sd", "    - process: process:im\n      receives: [user-contact]\n", kind="Practice"
                ),
            },
            [("sd.yaml", 9, 18)],
            id="wrong-kind-reference-is-not-a-counterpart",
        ),
        pytest.param(
            {
                "im.yaml": process("im", "    - process: person:a\n      sends: [x]\n"),
                "a.yaml": "apiVersion: govlint/v1\nkind: Person\nmetadata: {id: a}\nspec: {email: a@b.c}\n",
            },
            [],
            id="not-a-process-left-to-schema",
        ),
        pytest.param(
            {
                "im.yaml": process(
                    "im",
                    "    - process: process:pm\n      sends: incident-record\n"
                    "      receives: [7, null]\n    - 3\n    - {sends: [x]}\n",
                ),
                "pm.yaml": process("pm", "    - process: process:im\n"),
            },
            [],
            id="invalid-shapes-do-not-crash",
        ),
    ],
)
def test_interface_symmetric(files: dict[str, str], expected: list[tuple[str, int, int]]) -> None:
    found = lint(files, select=["GOV601"])
    assert [(d.path, d.line, d.column) for d in found] == expected
    assert {d.code for d in found} <= {"GOV601"}


def test_message_names_both_sides_and_the_other_location() -> None:
    files = {
        "im.yaml": process("im", IM_TO_PM),
        "pm.yaml": process("pm", "    - process: process:im\n      sends: [known-error]\n"),
    }
    (found,) = lint(files, select=["interface-symmetric"])
    assert (
        "process:im sends 'incident-record' to process:pm, but process:pm does not receive it "
        "from process:im (see pm.yaml:8)"
    ) in found.message
