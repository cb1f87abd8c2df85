"""Directory snapshots (SPEC §13): who the organisation's directory lists, read from files the user took.

govlint never calls the network.  The config's ``directory:`` names a snapshot
taken beforehand, in one of two forms:

- GitHub's own JSON, as ``gh api --paginate orgs/ORG/members`` prints it: one
  JSON array per page, written back to back (``[...][...]``; the ``--slurp``
  form, an array of pages, is read too).  Everyone it lists is an active
  account.  Beside it, a ``teams/`` folder may hold one ``TEAM-SLUG.json`` per
  team, from ``gh api --paginate orgs/ORG/teams/TEAM-SLUG/members``.
- A CSV export of an identity provider with a header ``account,email,active``
  (``email`` and ``active`` optional; ``active`` is true, false, yes, no, 1, 0,
  active or inactive; an empty one is true).

Accounts are GitHub logins, compared without regard to case; a listed name that
is not a GitHub login is never matched (nor shown).  Every file is read within
the ``max-directory-bytes`` limit, all files together.  A problem with the
snapshot is a ``ConfigError``: one line, exit 2.

The snapshot's age is counted from ``taken:`` in the config when given (a
snapshot committed to git has, in a fresh clone, the clone's time), else from
the modification time of its file.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ConfigError, DirectorySetting, file_kind, read_limited
from .model import Limits, Vocabulary

#: A GitHub login: 1-39 letters, digits and single hyphens, neither first nor last (the schemas' pattern).
LOGIN_RE = re.compile(r"(?=.{1,39}\Z)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\Z")
TEAMS_FOLDER = "teams"
MAX_TEAM_FILES = 10_000
_TRUE = frozenset(("", "true", "yes", "y", "1", "active", "enabled"))
_FALSE = frozenset(("false", "no", "n", "0", "inactive", "disabled", "suspended", "deprovisioned"))


@dataclass(frozen=True)
class Account:
    """One account the directory lists: its login as the directory spells it, and whether it is active."""

    login: str
    active: bool = True


@dataclass(frozen=True)
class Directory:
    """A snapshot of the organisation's directory: its accounts and, for GitHub's JSON, its teams."""

    source: str  # the snapshot's file, as the config names it
    accounts: Mapping[str, Account]  # lower-case login -> account
    teams: Mapping[str, tuple[str, ...]] | None  # lower-case team slug -> member logins; None: no teams/
    taken: dt.date
    max_age_days: int
    digest: str  # sha256 of every byte read: a new snapshot means new findings
    _vocabulary: list[Vocabulary] = field(default_factory=list, repr=False, compare=False)

    def account(self, login: str) -> Account | None:
        return self.accounts.get(login.lower())

    def team(self, slug: str) -> tuple[str, ...] | None:
        """The member logins of a team, by its slug (None: the snapshot has no such team)."""
        return None if self.teams is None else self.teams.get(slug.lower())

    def closest(self, login: str) -> str | None:
        """The listed login most like ``login`` (a misspelled handle), if one is close enough."""
        if not self._vocabulary:
            self._vocabulary.append(Vocabulary(a.login for a in self.accounts.values()))
        return self._vocabulary[0].closest(login)

    def age(self, today: dt.date) -> int:
        """Days from when the snapshot was taken to ``today``."""
        return (today - self.taken).days

    @property
    def stale_from(self) -> dt.date:
        """The first day the snapshot is older than ``max_age_days`` (a rule asks ``ctx.reached`` of it)."""
        return self.taken + dt.timedelta(days=self.max_age_days + 1)

    def stale(self, today: dt.date) -> bool:
        return today >= self.stale_from

    def fingerprint(self) -> list[Any]:
        """What findings read from this snapshot depend on (part of the run's cache key)."""
        return [self.digest, self.taken.isoformat(), self.max_age_days]


def load_directory(setting: DirectorySetting, root: Path, limits: Limits) -> Directory:
    """Read the snapshot a ``directory:`` setting names (``root``: the repository, for the link check)."""
    path = setting.file
    shown = _shown(path, root)
    budget = _Budget(limits.max_directory_bytes)
    content = budget.read(path, root, shown)
    digest = hashlib.sha256(content)
    text = _decode(content, shown)
    teams: dict[str, tuple[str, ...]] | None = None
    if text.lstrip().startswith(("[", "{")):
        accounts = {login.lower(): Account(login) for login in _logins(text, shown)}
        folder = path.parent / TEAMS_FOLDER
        if folder.is_dir() and not folder.is_symlink():
            _refuse_link_out(folder, root, f"{shown}: {TEAMS_FOLDER}/")
            teams = {}
            for team_file in _team_files(folder, shown):
                team_shown = f"{shown}: {TEAMS_FOLDER}/{team_file.name}"
                team_content = budget.read(team_file, None, team_shown)
                digest.update(
                    team_file.name.encode("utf-8", "surrogateescape") + b"\0" + team_content + b"\0"
                )
                members = _logins(_decode(team_content, team_shown), team_shown)
                teams[team_file.stem.lower()] = tuple(dict.fromkeys(members))
    else:
        accounts = _csv_accounts(text, shown)
    taken = setting.taken or _modified(path)
    return Directory(shown, accounts, teams, taken, setting.max_age_days, digest.hexdigest())


@functools.lru_cache(maxsize=8)
def _cached(setting: DirectorySetting, root: Path, limits: Limits, stamp: tuple[int, int, int]) -> Directory:
    return load_directory(setting, root, limits)


def directory_of(setting: DirectorySetting, root: Path, limits: Limits) -> Directory:
    """``load_directory``, read once per run however many plans are made (keyed by the file's stat)."""
    try:
        info = os.stat(setting.file)
    except OSError as exc:
        raise ConfigError(
            f"directory: {_shown(setting.file, root)}: cannot read: {exc.strerror or exc}"
        ) from None
    teams = setting.file.parent / TEAMS_FOLDER
    try:
        teams_stamp = os.stat(teams).st_mtime_ns
    except OSError:
        teams_stamp = 0
    return _cached(setting, root, limits, (info.st_mtime_ns, info.st_size, teams_stamp))


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


class _Budget:
    """Reads the snapshot's files within one byte limit for them all."""

    def __init__(self, max_bytes: int) -> None:
        self.left = max_bytes
        self.max_bytes = max_bytes

    def read(self, path: Path, root: Path | None, shown: str) -> bytes:
        """``path``'s bytes; with ``root``, refused when it is a link leading out of it."""
        if root is not None:
            _refuse_link_out(path, root, shown)
        try:
            content = read_limited(path, self.left, "max-directory-bytes")
        except OSError as exc:
            if self.left < self.max_bytes and "limit" in str(exc):
                raise ConfigError(
                    f"directory: {shown}: the snapshot's files pass the {self.max_bytes:,}-byte limit "
                    "(limit max-directory-bytes); not read"
                ) from None
            raise ConfigError(f"directory: {shown}: {exc.strerror or exc}") from None
        self.left -= len(content)
        return content


def _refuse_link_out(path: Path, root: Path, shown: str) -> None:
    """A snapshot inside the repository must not be a link leading out of it (a pull request may plant one)."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(root) and not Path(os.path.realpath(absolute)).is_relative_to(
        os.path.realpath(root)
    ):
        raise ConfigError(f"directory: {shown}: symbolic link points outside the repository; not followed")


def _team_files(folder: Path, shown: str) -> Iterator[Path]:
    names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".json"))
    if len(names) > MAX_TEAM_FILES:
        raise ConfigError(
            f"directory: {shown}: {TEAMS_FOLDER}/ holds more than {MAX_TEAM_FILES:,} team files"
        )
    for name in names:
        team = folder / name
        mode = os.lstat(team).st_mode
        if not stat.S_ISREG(mode):
            raise ConfigError(
                f"directory: {shown}: {TEAMS_FOLDER}/{name} is {file_kind(mode) if not stat.S_ISLNK(mode) else 'a symbolic link'}; "
                "not read"
            )
        yield team


def _decode(content: bytes, shown: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"directory: {shown}: not UTF-8 (byte {exc.start}); not read") from None


def _logins(text: str, shown: str) -> list[str]:
    """Every login of GitHub's JSON pages: arrays of users, back to back or in one array of pages."""
    try:
        found = [item["login"] for item in _json_items(text, shown)]
    except (TypeError, KeyError):
        found = [None]
    if not all(isinstance(login, str) for login in found):
        raise ConfigError(
            f"directory: {shown}: expected GitHub users (objects with a login), as "
            "`gh api --paginate orgs/ORG/members` prints them"
        )
    match = LOGIN_RE.match
    return [login for login in found if match(login)]


def _json_items(text: str, shown: str) -> list[Any]:
    decoder = json.JSONDecoder()
    at, end = 0, len(text)
    items: list[Any] = []
    while True:
        while at < end and text[at] in " \t\r\n":
            at += 1
        if at == end:
            return items
        try:
            page, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"directory: {shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"
            ) from None
        except RecursionError:
            raise ConfigError(f"directory: {shown}: JSON nested too deeply; not read") from None
        if isinstance(page, dict) and isinstance(page.get("message"), str):
            raise ConfigError(
                f"directory: {shown}: holds GitHub's error answer, not members; take the snapshot again"
            )
        if not isinstance(page, list):
            raise ConfigError(f"directory: {shown}: expected JSON arrays of users, got {type(page).__name__}")
        if page and isinstance(page[0], list):  # --slurp: an array of pages
            for inner in page:
                items.extend(inner if isinstance(inner, list) else [inner])
        else:
            items.extend(page)


def _csv_accounts(text: str, shown: str) -> dict[str, Account]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        if "account" not in header:
            raise ConfigError(
                f"directory: {shown}: neither GitHub's JSON nor a CSV with a header account,email,active"
            )
        column = header.index("account")
        active_column = header.index("active") if "active" in header else None
        accounts: dict[str, Account] = {}
        for row in reader:
            login = row[column].strip() if column < len(row) else ""
            if not LOGIN_RE.match(login):
                continue
            active = True
            if active_column is not None and active_column < len(row):
                word = row[active_column].strip().lower()
                if word not in _TRUE and word not in _FALSE:
                    raise ConfigError(
                        f"directory: {shown}:{reader.line_num}: active must be true or false "
                        "(or yes, no, 1, 0, active, inactive)"
                    )
                active = word in _TRUE
            kept = accounts.get(login.lower())
            accounts[login.lower()] = Account(login, active or (kept is not None and kept.active))
    except csv.Error as exc:
        raise ConfigError(f"directory: {shown}:{reader.line_num}: not valid CSV: {exc}") from None
    return accounts


def _modified(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(os.stat(path).st_mtime, tz=dt.UTC).date()
