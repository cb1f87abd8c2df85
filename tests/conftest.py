"""Shared fixtures: the whole session runs with govlint's cache in a temporary folder.

govlint (in-process, or as a subprocess, which inherits the environment) must
never write to the user's real cache folder while the suite runs.  The
environment is set for the session, before any session-scoped fixture builds
a subprocess environment from it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "examples" / "clean"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("govlint-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVLINT_CACHE_DIR", str(cache))
        patch.setenv("XDG_CACHE_HOME", str(cache / "xdg"))
        # The installed govlint runs as a subprocess thousands of times: its modules are compiled once,
        # into a temporary folder (a shell that forbids writing bytecode would have each run compile
        # them all again; an installed wheel has them compiled).
        patch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path_factory.mktemp("bytecode")))
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        yield cache


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean generated repository of 50 process files (benchmarks/generate.py)."""
    out = tmp_path_factory.mktemp("generated") / "repo"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(out), "--files", "50"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.fixture(params=["clean", "generated"])
def repo(request: pytest.FixtureRequest) -> Path:
    """examples/clean, then the generated repository."""
    return CLEAN if request.param == "clean" else request.getfixturevalue("generated")
