"""A small LSP client that drives ``govlint lsp`` over its standard input and output, as an editor does.

Messages are framed with ``Content-Length`` headers; a reader thread files
responses by id and keeps every notification; requests from the server
(``client/registerCapability``) are answered with ``null``.  Every wait has a
generous timeout so a hung server fails the test instead of hanging it.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

TIMEOUT = 60.0


def govlint_command() -> list[str]:
    script = Path(sys.executable).with_name("govlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "governance_lint"]


class ServerError(Exception):
    """The server answered a request with an error."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error.get("message", ""))
        self.error = error


def read_message(stream: BinaryIO) -> dict[str, Any] | None:
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length is None:
        return None
    return json.loads(stream.read(length))  # type: ignore[no-any-return]


def write_message(stream: BinaryIO, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode("utf-8")
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


class LspClient:
    def __init__(self, cwd: Path, command: list[str] | None = None) -> None:
        self.process = subprocess.Popen(
            [*(command or govlint_command()), "lsp"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._ids = itertools.count(1)
        self._responses: dict[int, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.stderr: list[bytes] = []
        self._changed = threading.Condition()
        self._write_lock = threading.Lock()
        self.versions: dict[str, int] = {}
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    # -- plumbing -----------------------------------------------------------------------

    def _read(self) -> None:
        assert self.process.stdout is not None
        while (message := read_message(self.process.stdout)) is not None:
            if "method" in message and "id" in message:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            message["received"] = time.monotonic()  # when it arrived (the latency benchmark reads it)
            with self._changed:
                if "id" in message:
                    self._responses[message["id"]] = message
                else:
                    self.notifications.append(message)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        with self._write_lock:
            write_message(self.process.stdin, message)

    def _wait(self, ready: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = ready()
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    stderr = b"".join(self.stderr).decode("utf-8", "replace")[-2000:]
                    raise TimeoutError(
                        f"no {what} (server exit code {self.process.poll()}); stderr: {stderr}"
                    )
                self._changed.wait(min(left, 0.5))

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        ident = next(self._ids)
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        response = self._wait(lambda: self._responses.pop(ident, None), timeout, f"answer to {method}")
        if "error" in response:
            raise ServerError(response["error"])
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    # -- what an editor does -----------------------------------------------------------------

    def initialize(
        self, root: Path, watch: bool = True, encodings: list[str] | None = None
    ) -> dict[str, Any]:
        capabilities: dict[str, Any] = {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}, "workspaceEdit": {}},
            "textDocument": {
                "publishDiagnostics": {"versionSupport": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "rename": {"prepareSupport": True},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
            },
        }
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        result = self.request(
            "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities}
        )
        self.notify("initialized", {})
        return result  # type: ignore[no-any-return]

    def open(self, path: Path, text: str | None = None, *, wait: bool = True) -> str:
        """Open a buffer; with ``wait``, return once its first diagnostics are published (the server
        publishes them when the repository has loaded: requests before that are answered empty)."""
        uri = path.as_uri()
        self.versions[uri] = 1
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "yaml",
                    "version": 1,
                    "text": path.read_text(encoding="utf-8") if text is None else text,
                }
            },
        )
        if wait:
            self.diagnostics(uri, 1)
        return uri

    def change(self, uri: str, text: str) -> int:
        """Replace the whole buffer (unsaved); returns the new version."""
        self.versions[uri] += 1
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": self.versions[uri]}, "contentChanges": [{"text": text}]},
        )
        return self.versions[uri]

    def edit(self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
        """An incremental change, as editors send while typing; returns the new version."""
        self.versions[uri] += 1
        change = {
            "range": {
                "start": {"line": start[0], "character": start[1]},
                "end": {"line": end[0], "character": end[1]},
            },
            "text": text,
        }
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": self.versions[uri]}, "contentChanges": [change]},
        )
        return self.versions[uri]

    def notified(self, method: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The params of every ``method`` notification so far, waiting for the first."""

        def ready() -> list[dict[str, Any]] | None:
            return [n["params"] for n in self.notifications if n.get("method") == method] or None

        return self._wait(ready, timeout, method)  # type: ignore[no-any-return]

    def published(self, uri: str) -> list[dict[str, Any]]:
        with self._changed:
            return [
                n["params"]
                for n in self.notifications
                if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri
            ]

    def diagnostics(
        self,
        uri: str,
        version: int | None = None,
        *,
        until: Callable[[list[dict[str, Any]]], bool] | None = None,
        timeout: float = TIMEOUT,
    ) -> list[dict[str, Any]]:
        """The diagnostics published for ``uri`` (for ``version`` when given, and that ``until`` accepts)."""

        def ready() -> list[dict[str, Any]] | None:
            for params in reversed(
                [
                    n["params"]
                    for n in self.notifications
                    if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri
                ]
            ):
                if version is not None and params.get("version") != version:
                    continue
                if until is None or until(params["diagnostics"]):
                    return params["diagnostics"]  # type: ignore[no-any-return]
                return None
            return None

        return self._wait(ready, timeout, f"diagnostics for {uri}")  # type: ignore[no-any-return]

    def position_request(self, method: str, uri: str, line: int, character: int, **extra: Any) -> Any:
        return self.request(
            method,
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}, **extra},
        )

    def close(self) -> int:
        try:
            self.request("shutdown", None, timeout=20)
            self.notify("exit", None)
            return self.process.wait(timeout=20)
        except Exception:
            self.process.kill()
            self.process.wait(timeout=20)
            raise
        finally:
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
