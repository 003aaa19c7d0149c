"""The attacker's tools: a real `ldifctl` process under hard limits, the verdict it must
give, and shims that record the command lines of the programs it starts.

Attacks on input run the installed `ldifctl` as a separate process, as CI would: a crash,
a hang or a runaway allocation then shows as what it is, and the limits (CPU seconds and
address space, set with `resource.setrlimit` in the child) bound it without a wall time.
"""

from __future__ import annotations

import os
import resource
import shlex
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from live_kit import ldifctl
from repo_kit import DirectoryRepo

LDIFCTL = str(Path(sys.executable).with_name("ldifctl"))
CPU_SECONDS = 30
ADDRESS_SPACE = 1 << 30  # ~4x what ldifctl needs for the example repo
# Only a guard for a process blocked on I/O (no CPU spent); never asserted.
GUARD_SECONDS = 300


def _limits(address_space: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    return limit


def start(
    repo: DirectoryRepo,
    *args: str,
    env: Mapping[str, str] | None = None,
    address_space: int = ADDRESS_SPACE,
) -> subprocess.Popen[str]:
    """`ldifctl ARGS` in the repo, under the limits, without waiting for it."""
    return subprocess.Popen(
        [LDIFCTL, *args],
        cwd=repo.root,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limits(address_space),
    )


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str


def finish(proc: subprocess.Popen[str]) -> Done:
    out, err = proc.communicate(timeout=GUARD_SECONDS)
    return Done(proc.returncode, out, err)


def run(
    repo: DirectoryRepo,
    *args: str,
    env: Mapping[str, str] | None = None,
    address_space: int = ADDRESS_SPACE,
) -> Done:
    return finish(start(repo, *args, env=env, address_space=address_space))


def run_here(repo: DirectoryRepo, *args: str) -> Done:
    """The same command in this process (faster), where no limit or signal is at stake."""
    return Done(*ldifctl(repo, *args))


def refused(done: Done, where: str) -> None:
    """The verdict on hostile input: exit 1, an error that names `where`, no crash.

    A killed process (CPU limit) has a negative code; a MemoryError or any other bug is
    "unexpected error"; neither is a verdict.
    """
    assert done.code == 1, (done.code, done.err[-2000:])
    assert "unexpected error" not in done.err and "Traceback" not in done.err, done.err[-2000:]
    assert where in done.err, done.err[-2000:]


def refused_everywhere(repo: DirectoryRepo, where: str) -> None:
    """validate and plan refuse it, and plan prints no LDIF to pipe on."""
    refused(run(repo, "validate"), where)
    planned = run(repo, "plan")
    refused(planned, where)
    assert planned.out == ""


class ArgvLog:
    """Shims named like real programs, first on PATH: each appends its command line to a
    log (arguments joined by spaces, a line per run), then runs the real program with the
    same arguments, file descriptors and environment."""

    def __init__(self, folder: Path, *programs: str) -> None:
        self.folder = folder
        self.log = folder / "argv.log"
        folder.mkdir(parents=True, exist_ok=True)
        path = os.environ.get("PATH", "")
        for program in programs:
            real = _which(program, path)
            shim = folder / program
            shim.write_text(
                "#!/bin/sh\n"
                f'printf "%s\\n" "{program} $*" >> {shlex.quote(str(self.log))}\n'
                f'exec {shlex.quote(real)} "$@"\n'
            )
            shim.chmod(0o755)
        self.env = {"PATH": f"{folder}{os.pathsep}{path}"}

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def _which(program: str, path: str) -> str:
    for folder in path.split(os.pathsep):
        candidate = Path(folder) / program
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise FileNotFoundError(program)


def texts_under(folder: Path) -> dict[str, bytes]:
    """Every file below folder (reports, caches, entry files), by path."""
    if not folder.exists():
        return {}
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_secret_absent(secret: str, *texts: str, folders: tuple[Path, ...] = ()) -> None:
    """The secret is in none of the texts and in no file below the folders."""
    for text in texts:
        assert secret not in text
    for folder in folders:
        for path, data in texts_under(folder).items():
            assert secret.encode() not in data, path
