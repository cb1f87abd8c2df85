"""The language server (``govlint lsp``): diagnostics as you type, navigation, rename, code actions."""

from __future__ import annotations


def serve() -> None:
    """Run the language server on standard input and output."""
    from .server import serve as run

    run()
