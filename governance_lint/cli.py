"""Click commands only: parse options, build a run, call it, exit.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage,
configuration or internal error.  Bad input never shows a traceback;
``--verbose`` or ``GOVLINT_DEBUG=1`` shows one for bug reports.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__

if TYPE_CHECKING:
    from .editing import ReadText, Rename
    from .index import RepositoryIndex
    from .registry import Registry
    from .workspace import Settings

EXIT_ERROR = 2
FORMATS = ("text", "json", "sarif", "github")  # reporters.FORMATS, without importing the reporters


def _fail(message: str) -> NoReturn:
    click.echo(f"govlint: error: {_shown(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _shown(text: str, *, keep_newlines: bool = False) -> str:
    """Repository text made safe to print: control characters escaped, no CI workflow command."""
    from .reporters.base import shown

    return shown(text, keep_newlines=keep_newlines)


_ISOLATED_HELP = (
    "Ignore the repository's config and plugins (for pull requests from anyone): built-in "
    "defaults, or a --config kept outside the checkout; the root is the git work tree."
)


_CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this config file instead of searching for .govlint.yaml / pyproject.toml.",
)
_ISOLATED_OPTION = click.option("--isolated", is_flag=True, help=_ISOLATED_HELP)


def _repository_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of every command that reads the repository (SPEC §4): one definition for all."""
    options = [
        _CONFIG_OPTION,
        _ISOLATED_OPTION,
        click.option(
            "--today", callback=_parse_date, metavar="DATE", help="Today's date for review rules (ISO)."
        ),
        click.option(
            "--limit",
            multiple=True,
            metavar="NAME=VALUE",
            callback=_parse_limits,
            expose_value=False,
            help="Set an input limit for this run, above the built-in one if need be: max-file-bytes, "
            "max-depth, max-alias-nodes, max-baseline-bytes, max-directory-bytes (repeatable). A repository's config "
            "may only lower limits.",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes for per-file work [default: all cores].",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result store."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(
    paths: tuple[Path, ...],
    config_path: Path | None,
    isolated: bool,
    today: dt.date | None,
    jobs: int | None,
    no_cache: bool,
) -> Settings:
    """The shared options, as the workspace takes them."""
    from .workspace import Settings

    return Settings(
        paths=paths,
        config=config_path,
        isolated=isolated,
        today=today,
        limits=click.get_current_context().meta.get("govlint.limits", ()),
        use_cache=not no_cache,
        jobs=jobs,
    )


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _parse_limits(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    from .config import parse_limit

    try:
        ctx.meta["govlint.limits"] = tuple(parse_limit(value) for value in values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _debug() -> bool:
    return os.environ.get("GOVLINT_DEBUG", "") not in ("", "0")


class _Group(click.Group):
    """Turns every unexpected exception into one line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from .api import RuleError
        from .config import ConfigError
        from .engine import UsageError
        from .git import RepositoryError
        from .safe_write import UnsafeTarget

        if sys.stdout is None:  # started with standard output closed (`govlint check >&-`)
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a failed write surfaces here, not as noise at interpreter exit
        except (
            ConfigError,
            RepositoryError,
            UsageError,
            RuleError,
            UnsafeTarget,
            FileNotFoundError,
        ) as exc:
            _fail(str(exc))
        except BrokenPipeError:
            # `govlint check | head -1`: the reader left; end quietly, and never claim a clean run.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:
            # The system said no (a full disk, an unwritable output): one line, not an internal error.
            if _debug() or ctx.meta.get("govlint.verbose"):
                traceback.print_exc()
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("govlint: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            if _debug() or ctx.meta.get("govlint.verbose"):
                traceback.print_exc()
            origin = getattr(exc, "govlint_path", None)
            click.echo(
                _shown(
                    f"govlint: internal error{f' on {origin}' if origin else ''}: {type(exc).__name__}: {exc} "
                    "(run with --verbose or GOVLINT_DEBUG=1 for the traceback)"
                ),
                err=True,
            )
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="govlint")
def main() -> None:
    """Lint process-governance files (ITIL processes, practices, owners, policies, terms) kept in git."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format [default: text; github when GITHUB_ACTIONS=true].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules: comma-separated codes, names or code prefixes (GOV2).",
)
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (same forms as --select).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that makes the exit code 1 [default: error, or the config's].",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Hide the findings recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Record today's findings in this baseline file.",
)
@click.option(
    "--new-since",
    metavar="REF",
    help="Report only findings that are new since the merge-base of REF and HEAD "
    "(e.g. HEAD before a commit, origin/main in a pull request).",
)
@click.option(
    "--until",
    callback=_parse_date,
    metavar="DATE",
    help="With --write-baseline: every entry is a waiver that expires after DATE.",
)
@click.option(
    "--by", "approver", metavar="REF", help="With --write-baseline: who approved the waivers (person:ID)."
)
@click.option(
    "--staged",
    is_flag=True,
    help="Check the repository as the git index holds it (what `git commit` records): staged content, "
    "untracked files left out, unstaged edits ignored. The pre-commit hooks use it.",
)
@click.option("--quiet", "-q", is_flag=True, help="Only findings at or above --fail-on, and the summary.")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Name the files skipped (not governance files, or outside include/exclude); "
    "show tracebacks of internal errors.",
)
@_repository_options
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    today: dt.date | None,
    baseline: Path | None,
    write_baseline: Path | None,
    jobs: int | None,
    no_cache: bool,
    new_since: str | None,
    until: dt.date | None,
    approver: str | None,
    staged: bool,
    isolated: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Lint governance files and folders (default: the whole repository).

    Files named here pass through the config's include and exclude globs, and
    only governance files (those that mention govlint/) are checked: other
    YAML is skipped.  Findings are reported in the named files; the whole
    repository is loaded as context, so repository-wide rules work on a single
    changed file.
    """
    from .model import Severity
    from .runner import CheckSettings, default_format, use_color
    from .runner import check as run_check

    ctx.meta["govlint.verbose"] = verbose
    settings = CheckSettings(
        paths=paths,
        format=fmt or default_format(),
        output=output,
        select=_split(select) or None,
        ignore=_split(ignore),
        fail_on=Severity.parse(fail_on) if fail_on else None,
        config=config_path,
        today=today,
        baseline=baseline,
        write_baseline=write_baseline,
        limits=ctx.meta.get("govlint.limits", ()),
        jobs=jobs,
        use_cache=not no_cache,
        new_since=new_since,
        until=until,
        approver=approver,
        staged=staged,
        isolated=isolated,
        quiet=quiet,
        verbose=verbose,
        color=use_color(sys.stdout),
    )
    sys.exit(run_check(settings, sys.stdout, sys.stderr))


def _registry_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--config`` and ``--isolated`` for the commands that list or explain the rules in use."""
    return _CONFIG_OPTION(_ISOLATED_OPTION(command))


def _registry(config_path: Path | None, isolated: bool) -> Registry:
    """The rules in use: built-in, installed, and the config's own plugins (none with ``--isolated``)."""
    from .workspace import build_registry, resolve_config

    return build_registry(resolve_config(config_path, Path.cwd(), isolated=isolated))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@_registry_options
def rules_command(fmt: str, config_path: Path | None, isolated: bool) -> None:
    """List every rule: code, name, default severity and summary."""
    registry = _registry(config_path, isolated)
    if fmt == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.label,
                "repo": r.repo,
                "summary": r.summary,
                "source": r.source,
            }
            for r in registry
        ]
        click.echo(_shown(json.dumps(rows, indent=2), keep_newlines=True))
        return
    for rule in registry:
        click.echo(f"{rule.code}  {rule.name:<28} {rule.severity.label:<8} {_shown(rule.summary)}")


@main.command()
@click.argument("rule")
@_registry_options
def explain(rule: str, config_path: Path | None, isolated: bool) -> None:
    """Show a rule's documentation, with a failing and a passing example."""
    registry = _registry(config_path, isolated)
    found = registry.lookup(rule)
    if found is None:
        _fail(registry.unknown_message(rule))
    repo = " (needs the whole repository)" if found.repo else ""
    click.echo(f"{found.code} {found.name} — default severity {found.severity.label}{repo}\n")
    click.echo(_shown(found.summary[:1].upper() + found.summary[1:]) + ".\n")
    click.echo(_shown(found.doc, keep_newlines=True))
    if found.options:  # JSON escapes control characters itself
        schema_text = json.dumps(found.options_schema(), indent=2)
        click.echo("\nOptions schema:\n" + _shown(schema_text, keep_newlines=True))


@main.command()
@click.argument("kind", required=False)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="One schema for every kind, chosen by each document's `kind` (for yaml.schemas).",
)
def schema(kind: str | None, every: bool) -> None:
    """Print the JSON Schema of a kind (for editors); without KIND, list the kinds."""
    from .schema import SchemaSet

    schemas = SchemaSet.load()
    if every:
        if kind is not None:
            _fail("give a KIND or --all, not both")
        from .lsp.yaml_schema import combined_schema

        click.echo(json.dumps(combined_schema(schemas), indent=2, ensure_ascii=False))
        return
    if kind is None:
        for name in schemas.kinds():
            click.echo(name)
        return
    match = next((k for k in schemas.kinds() if k.lower() == kind.lower()), None)
    if match is None:
        _fail(f"unknown kind {kind!r} (one of {', '.join(schemas.kinds())})")
    click.echo(schemas.text(match))


@main.command()
@click.argument("reference", metavar="REF")
@_repository_options
def refs(
    reference: str,
    config_path: Path | None,
    isolated: bool,
    today: dt.date | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """List every site that names an entity: its definition, then each reference.

    REF is KIND:ID, e.g. `govlint refs person:windy`.  One `path:line:column` a line: the definition first, then every reference
    in path order, with the entity and node that holds it.  Exit 2 when REF
    is malformed or nothing defines or names it.
    """
    from .editing import EditError, occurrences
    from .workspace import Workspace

    with Workspace.open(_settings((), config_path, isolated, today, jobs, no_cache)) as workspace:
        try:
            found = occurrences(workspace.index, reference)
        except EditError as exc:
            _fail(str(exc))
    if not found:
        _fail(f"{reference.strip()} is neither defined nor referenced in the repository")
    for site in found:
        where = _shown_path(workspace.root, site.path)
        what = "definition" if site.definition else f"{site.entity} {site.node}"
        click.echo(_shown(f"{where}:{site.line}:{site.column}: {what}"))


@main.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--diff", "show_diff", is_flag=True, help="Print the change as a unified diff; write nothing.")
@_repository_options
def rename(
    old: str,
    new: str,
    show_diff: bool,
    config_path: Path | None,
    isolated: bool,
    today: dt.date | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Rename an entity id and every reference to it, changing nothing else.

    E.g. `govlint rename person:windy person:windy-chen`.  Only the id and the references change; comments, quoting, order and every
    other byte stay.  Each file is replaced atomically.  Refuses (exit 2) when
    NEW exists, OLD does not, or an id is malformed.  NEW may be the bare id.
    """
    from .editing import plan_rename
    from .model import plural_label

    settings = _settings((), config_path, isolated, today, jobs, no_cache)
    change = _edit(settings, lambda index, read: plan_rename(index, old, new, read), show_diff)
    if change is not None:
        files = plural_label(len(change.edits), "file")
        click.echo(_shown(f"renamed {change.old} to {change.new}: {change.count} edits in {files}"))


@main.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--diff", "show_diff", is_flag=True, help="Print the change as a unified diff; write nothing.")
@_repository_options
def handover(
    old: str,
    new: str,
    show_diff: bool,
    config_path: Path | None,
    isolated: bool,
    today: dt.date | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Hand every role of person OLD to person NEW, and mark OLD inactive.

    E.g. `govlint handover person:pat person:sam` when Pat leaves on Friday:
    owner, manager, administrator, RACI letters, escalation steps, team lead
    and membership, policy and service ownership all name NEW; OLD gets
    `active: false`.  Only those spans change; each file is replaced
    atomically.  Refuses (exit 2) when either is no Person or NEW is inactive.
    """
    from .editing import plan_handover
    from .model import plural_label

    settings = _settings((), config_path, isolated, today, jobs, no_cache)
    change = _edit(settings, lambda index, read: plan_handover(index, old, new, read), show_diff)
    if change is not None:
        files = plural_label(len(change.edits), "file")
        click.echo(
            _shown(
                f"handed {change.old}'s roles to {change.new} ({change.count} edits in {files}); "
                f"{change.old} is marked inactive"
            )
        )


def _edit(
    settings: Settings, plan: Callable[[RepositoryIndex, ReadText], Rename], show_diff: bool
) -> Rename | None:
    """Plan edits over the repository (``rename``, ``handover``), then print them as a diff (None) or write
    every file atomically, each checked before any is written (the plan)."""
    from .editing import EditError, writable, write_atomically
    from .workspace import Workspace

    with Workspace.open(settings) as workspace:
        try:
            change = plan(workspace.index, workspace.text)
        except EditError as exc:
            _fail(str(exc))
    root = workspace.root
    if show_diff:
        click.echo(_shown(change.diff(), keep_newlines=True), nl=False)
        return None
    try:
        for path in change.edits:
            writable(root / path)
        for path in sorted(change.edits):
            write_atomically(root / path, change.renamed(path).encode("utf-8"), root)
    except EditError as exc:
        _fail(str(exc))
    return change


def _shown_path(root: Path, rel: str) -> str:
    """A root-relative path as `check` prints it: relative to the current folder."""
    return os.path.relpath(root / rel)


@main.command()
@_repository_options
def lsp(
    config_path: Path | None, isolated: bool, today: dt.date | None, jobs: int | None, no_cache: bool
) -> None:
    """Run the language server on stdio, for an editor's LSP client.

    Diagnostics as you type with the whole repository as context, go to
    definition, find references, hover, completion, rename, code actions and
    document symbols.  See the README's "Editors" section for set-up.
    """
    from .lsp import serve

    serve(_settings((), config_path, isolated, today, jobs, no_cache))


@main.command()
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Start a governance repository in DIRECTORY (default: here).

    Writes .govlint.yaml, .pre-commit-config.yaml and a starter process with
    its people, teams, policies and glossary that passes `govlint check`.
    Never overwrites: an existing .pre-commit-config.yaml is kept (you are told
    what to add to it); if any other of these files exists, nothing is written.
    """
    from .init import InitError, init_repository, pre_commit_advice

    advice = pre_commit_advice(directory)
    try:
        written = init_repository(directory, dt.date.today())
    except InitError as exc:
        _fail(str(exc))
    for path in written:
        click.echo(f"created {path}")
    if advice:
        click.echo(advice)
    where = "" if directory == Path(".") else f"cd {shlex.quote(str(directory))} && "
    click.echo(f"next: {where}govlint check")


@main.command()
@click.argument("kind", metavar="KIND")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    metavar="F",
    help="raci: md, csv, json, html, xlsx; roles, load: md, csv, json, xlsx; map: mermaid, dot, json, md; "
    "reviews: md, csv, json, ics, xlsx; waivers, history: md, csv, json; summary: md [default: the first].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--for",
    "party",
    metavar="REF",
    help="roles: only what this party holds (person:pat); history: only this party's or subject's roles.",
)
@click.option("--since", metavar="REV", help="history: only the commits after this revision.")
@click.option(
    "--within",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="reviews: a review due within DAYS days is due-soon [default: 30].",
)
@click.option(
    "--layout",
    metavar="L",
    help="raci --format csv: rows (a row per activity and party) or grid (a column per party) [default: rows].",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    metavar="N",
    help="summary: cut sections that would pass N characters, with a note "
    "[default: 1,000,000; 65000 for a pull-request comment].",
)
@_repository_options
def report(
    kind: str,
    paths: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    party: str | None,
    since: str | None,
    within: int | None,
    layout: str | None,
    max_chars: int | None,
    config_path: Path | None,
    isolated: bool,
    today: dt.date | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Print one view of the repository: KIND is raci, roles, load, map, reviews, waivers, history or summary.

    \b
    raci     per process and practice: owners, managers, administrator, RACI matrix
             (--format csv --layout grid or --format xlsx -o FILE for a spreadsheet)
    roles    every role each person or team holds, and where (--for narrows)
    load     activities each party is R, A, C or I for, and in how many processes,
             with what each person carries through her teams; heaviest first
    map      how processes hand off to each other (mermaid, dot, json, md)
    reviews  review calendar: last review, due date, status, owner (ics for calendars)
    waivers  every suppression and baseline entry: approver, until, status
    history  who held which role when, from git (--for REF, --since REV)
    summary  all of the above and the findings on one Markdown page:
             govlint report summary >> "$GITHUB_STEP_SUMMARY"
             (--max-chars 65000 for a pull-request comment)

    A repository with findings is reported as far as its files load, with a note.
    """
    from .views.run import ReportSettings
    from .views.run import report as run_report

    settings = ReportSettings(
        kind=kind,
        common=_settings(paths, config_path, isolated, today, jobs, no_cache),
        format=fmt,
        output=output,
        party=party,
        since=since,
        within=within,
        layout=layout,
        max_chars=max_chars,
    )
    sys.exit(run_report(settings, sys.stdout, sys.stderr))


@main.command()
@click.argument("out_dir", metavar="OUT_DIR", type=click.Path(path_type=Path, file_okay=False))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_repository_options
def site(
    out_dir: Path,
    paths: tuple[Path, ...],
    config_path: Path | None,
    isolated: bool,
    today: dt.date | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Write a static HTML site of the repository to OUT_DIR (opens from the file system).

    An index, a page per process, practice, person, team, service and policy,
    the glossary and the process map (drawn with Graphviz `dot` when installed).
    The same repository gives the same bytes.
    """
    from .views.run import site as run_site

    sys.exit(run_site(out_dir, _settings(paths, config_path, isolated, today, jobs, no_cache), sys.stderr))


@main.group()
def export() -> None:
    """Write what other systems read from the governance files: CODEOWNERS, team aliases.

    \b
    codeowners  a GitHub CODEOWNERS section: each governance file owned by the
                @handles of its owners, managers, administrator (team files: leads)
    teams       every Team with its members' handles (Prow OWNERS_ALIASES, json, csv)

    --check FILE writes nothing: exit 1 with a diff when FILE is out of date.
    """


def _export_options(command: Callable[..., None]) -> Callable[..., None]:
    """--output and --check, then the options of every command that reads the repository."""
    command = _repository_options(command)
    for option in reversed(
        [
            click.option(
                "--output",
                "-o",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Write to FILE instead of standard output.",
            ),
            click.option(
                "--check",
                "check_path",
                metavar="FILE",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Write nothing: exit 1 with a unified diff when FILE is not what the export writes.",
            ),
        ]
    ):
        command = option(command)
    return command


def _run_export(what: str, paths: tuple[Path, ...], fmt: str | None, options: dict[str, Any]) -> NoReturn:
    from .export import ExportSettings
    from .export import export as run_export

    output, check_path = options.pop("output"), options.pop("check_path")
    settings = ExportSettings(what, _settings((), **options), paths, fmt, output, check_path)
    sys.exit(run_export(settings, sys.stdout, sys.stderr))


@export.command("codeowners")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_export_options
def export_codeowners(paths: tuple[Path, ...], **options: Any) -> None:
    """A GitHub CODEOWNERS section for the governance files (of PATHS, if given).

    Written between '# BEGIN govlint' and '# END govlint'; every other line of
    --output FILE is kept. Parties without a GitHub account are left out, with a note.
    """
    _run_export("codeowners", paths, None, options)


@export.command("teams")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["owners-aliases", "json", "csv"]),
    default="owners-aliases",
    show_default=True,
    help="owners-aliases is Prow's OWNERS_ALIASES file.",
)
@_export_options
def export_teams(fmt: str, **options: Any) -> None:
    """Every Team with its members' GitHub handles (lead first, each once)."""
    _run_export("teams", (), fmt, options)


if __name__ == "__main__":  # pragma: no cover
    main()
