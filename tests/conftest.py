"""Shared fixtures: the whole session runs with govlint's cache in a temporary folder.

govlint (in-process, or as a subprocess, which inherits the environment) must
never write to the user's real cache folder while the suite runs.  The
environment is set for the session, before any session-scoped fixture builds
a subprocess environment from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.mktemp("govlint-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVLINT_CACHE_DIR", str(cache))
        patch.setenv("XDG_CACHE_HOME", str(cache / "xdg"))
        yield cache
