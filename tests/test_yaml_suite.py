"""The official YAML test suite against the loader (data: tests/data/yaml-test-suite).

Every invalid case must give GOV001; no case may raise; valid cases load to
their ``in.json``.  libyaml does not support every valid YAML 1.2 construct:
the cases it rejects and the few it reads differently are listed below, so a
change in either direction fails and gets looked at.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from governance_lint.loader import load

SUITE = Path(__file__).parent / "data" / "yaml-test-suite"
CASES = sorted(str(p.parent.relative_to(SUITE)) for p in SUITE.rglob("in.yaml"))
INVALID = [case for case in CASES if (SUITE / case / "error").exists()]
VALID = [case for case in CASES if case not in INVALID]

# Valid YAML 1.2 that libyaml 0.2.5 rejects: mostly flow-context edge cases,
# tabs as separators, directives it does not know, re-defined anchors.
LIBYAML_REJECTS = {
    "2JQS",
    "2LFX",
    "2SXE",
    "3GZX",
    "4ABK",
    "4MUZ/00",
    "4MUZ/01",
    "4MUZ/02",
    "58MP",
    "5MUD",
    "5T43",
    "6BCT",
    "6CA3",
    "6LVF",
    "6M2F",
    "7Z25",
    "8XYN",
    "96NN/00",
    "96NN/01",
    "9SA2",
    "A2M4",
    "BEC7",
    "CFD4",
    "DBG4",
    "DK3J",
    "DK95/00",
    "DK95/03",
    "DK95/04",
    "FP8R",
    "FRK4",
    "HM87/00",
    "HWV9",
    "K3WX",
    "M2N8/00",
    "M7A3",
    "MUS6/05",
    "MUS6/06",
    "NHX8",
    "NJ66",
    "NKF9",
    "PW8X",
    "Q5MG",
    "QT73",
    "R4YG",
    "S3PD",
    "SM9W/01",
    "UKK6/00",
    "UT92",
    "VJP3/01",
    "W4TN",
    "W5VH",
    "Y79Y/001",
    "Y79Y/010",
}
# Valid cases libyaml reads differently from the suite ("?foo" keys in flow,
# ":" in anchor names, trailing lines of block scalars after a document end).
LIBYAML_MISREADS = {"652Z", "HM87/01", "JEF9/02", "L24T/01", "Y2GN"}


def expected_documents(case: str) -> list[Any]:
    text = (SUITE / case / "in.json").read_text(encoding="utf-8")
    decoder, documents, index = json.JSONDecoder(), [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return documents
        document, index = decoder.raw_decode(text, index)
        documents.append(document)


def test_suite_is_present() -> None:
    assert len(CASES) == 402 and len(INVALID) == 94
    assert (SUITE / "LICENSE").exists() and (SUITE / "README.md").exists()


@pytest.mark.parametrize("case", INVALID)
def test_invalid_case_is_gov001(case: str) -> None:
    result = load(case, (SUITE / case / "in.yaml").read_bytes())
    assert [p for p in result.problems if p.role == "syntax"], f"{case} accepted"
    assert result.documents == ()


@pytest.mark.parametrize("case", VALID)
def test_valid_case(case: str) -> None:
    result = load(case, (SUITE / case / "in.yaml").read_bytes())
    rejected = any(p.role == "syntax" for p in result.problems)
    assert rejected == (case in LIBYAML_REJECTS), [p.message for p in result.problems]
    if rejected or not (SUITE / case / "in.json").exists():
        return
    loaded = json.loads(json.dumps([d.data for d in result.documents]))
    assert (loaded == expected_documents(case)) == (case not in LIBYAML_MISREADS)


def test_known_gaps_are_real_cases() -> None:
    assert set(VALID) >= LIBYAML_REJECTS and set(VALID) >= LIBYAML_MISREADS
