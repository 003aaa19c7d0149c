"""The work tree's scan, started before ldifctl's imports.

A warm `validate` or `plan` spends most of its time waiting for one git command,
`git diff --raw <base> -- <directory>`, which looks at every entry file: 0.08 s at 100k
files, 0.2 s at 300k. It used to start 0.11 s into the run, after the imports (Typer, the
settings, the policies) and the workspace, none of which it needs. So the program's entry
(cli/entry.py) starts it first, as the last run of the same command line from the same
folder ran it, and `gitrepo.start_diff` takes that process over when it is about to start
the very same command in the very same folder. When anything differs (another
`directory:` setting, another base, another checkout) the early process is stopped and
the command starts its own: the record only ever saves time, it never decides an answer.

The record, `.git/ldifctl/scans`, is not sealed as the cache is (cache/files.py): it may
come from an untrusted run (a CI cache restored from a pull request's job), so it can
choose only a commit id and a literal path. The scan runs in the work tree git finds for
the folder the run starts in, where every git command of the run runs anyway (never in a
folder the record names: git there would read that folder's config and hooks), and its
output is read only if ldifctl would have started that very command. The record holds a
line per command line and folder (the last 16), fields separated by NUL: the folder the
run started in, its arguments, the base (`HEAD` when it was HEAD's commit then, so a new
commit does not make the line stale) and the path.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from dataclasses import dataclass, field

from ldifctl.repo.settings.secrets import SECRET_VARIABLES

# Every git command ldifctl runs starts so: file names may hold `[` or `*`, and a
# pathspec must never be read as a glob.
GIT = ("git", "--literal-pathspecs")
DIFF = ("diff", "--raw", "-z", "--no-renames", "--no-abbrev")
COMMANDS = frozenset({"validate", "plan"})  # the commands whose first wait is this scan
RECORD = "scans"
_KEEP = 16
_MOST = 1 << 16  # bytes of the record read: 16 lines of paths
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")

Scan = tuple[str, tuple[str, ...]]  # the folder git runs in, its arguments after GIT


@dataclass
class _Run:
    key: tuple[str, str]  # the folder this run started in, its arguments
    top: str  # git's work tree there: the only place a scan is started in
    env: dict[str, str]  # the environment without the secrets, which no child inherits
    record: str  # .git/ldifctl/scans
    head: str  # HEAD's commit as this run started
    lines: list[list[str]] = field(default_factory=list)
    started: tuple[Scan, subprocess.Popen[bytes]] | None = None
    noted: bool = False


_run: _Run | None = None


def start(argv: list[str]) -> None:
    """Start the scan the last run of this command line from this folder started, if
    this is a command that scans (nothing else: the caller goes on at once)."""
    global _run
    if not argv or argv[0] not in COMMANDS:
        return
    env = {name: value for name, value in os.environ.items() if name not in SECRET_VARIABLES}
    try:
        cwd = os.getcwd()
        asked = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "--absolute-git-dir", "HEAD^{commit}"],
            capture_output=True, check=False, env=env,
        )
    except OSError:
        return
    lines = os.fsdecode(asked.stdout).splitlines()
    if asked.returncode != 0 or len(lines) != 3 or not _COMMIT.fullmatch(lines[2]):
        return  # not in a work tree, or no commit yet: nothing to compare with
    top, git_dir, head = lines
    record = os.path.join(git_dir, "ldifctl", RECORD)
    _run = _Run((cwd, "\x1f".join(argv)), top, env, record, head)
    _run.lines = _read(_run.record)
    last = next((f for f in _run.lines if (f[0], f[1]) == _run.key), None)
    if last is not None:
        _begin(_run, head if last[2] == "HEAD" else last[2], last[3])


def take(cwd: str, args: tuple[str, ...]) -> subprocess.Popen[bytes] | None:
    """The scan started ahead, if it is `git <args>` run in `cwd`; else None, and a
    scan started ahead that is not is stopped."""
    if _run is None or _run.started is None:
        return None
    scan, proc = _run.started
    _run.started = None
    if scan == (cwd, args):
        return proc
    _stop(proc)
    return None


def note(cwd: str, base: str, prefix: str) -> None:
    """Remember the first scan of the work tree this run made, for the next run of the
    same command line from the same folder."""
    if _run is None or _run.noted:
        return
    _run.noted = True
    if cwd != _run.top:
        return
    fields = [*_run.key, "HEAD" if base == _run.head else base, prefix]
    if fields in _run.lines or any("\0" in f or "\n" in f for f in fields):
        return
    kept = [f for f in _run.lines if (f[0], f[1]) != _run.key][: _KEEP - 1]
    text = "".join("\0".join(f) + "\n" for f in [fields, *kept])
    temporary = f"{_run.record}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(_run.record), exist_ok=True)
        with open(temporary, "wb") as file:
            file.write(os.fsencode(text))
        os.replace(temporary, _run.record)
    except OSError:  # a read-only clone: the next run scans after its imports
        _remove(temporary)


def drop() -> None:
    """Stop a scan started ahead that no command took (the run ended before it got to
    it, or ran none)."""
    if _run is not None and _run.started is not None:
        _stop(_run.started[1])
        _run.started = None


def _begin(run: _Run, base: str, prefix: str) -> None:
    if not _COMMIT.fullmatch(base) or not prefix:
        return
    args = (*DIFF, base, "--", prefix)
    try:
        proc = subprocess.Popen(
            [*GIT, *args], cwd=run.top, env=run.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
    except OSError:
        return
    run.started = ((run.top, args), proc)


def _read(record: str) -> list[list[str]]:
    """The record's lines, each as its four fields; what is not such a line is ignored."""
    try:
        with open(record, "rb") as file:
            text = os.fsdecode(file.read(_MOST))
    except OSError:
        return []
    return [f for line in text.split("\n") if len(f := line.split("\0")) == 4]


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.communicate()


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
