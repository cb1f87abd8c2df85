"""The language server (``govlint lsp``): diagnostics as you type, navigation, rename, code actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..workspace import Settings


def serve(settings: Settings | None = None) -> None:
    """Run the language server on standard input and output."""
    from .server import serve as run

    run(settings)
