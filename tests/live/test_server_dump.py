"""How `drift` takes ldapsearch's output (live/server_dump.py): printed into a file in
memory, never a pipe nor a file on disk, and read as it grows, whatever pauses the
output makes; a dump cut off at the time limit hands the read back to python-ldap.

Each test puts a shell script named `ldapsearch` first on PATH that runs the real one
against the session slapd and shapes how its output arrives.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import servers
from live_kit import PEOPLE_DN, ldifctl, live_repo, mailbox
from repo_kit import DirectoryRepo

from ldifctl.live import drift
from ldifctl.repo.workspace import open_workspace
from ldifctl.sources.specs import WORKTREE

HAND_EDIT = f"""\
dn: cn=u7,{PEOPLE_DN}
changetype: modify
replace: mail
mail: by-hand@domain.ro
"""
# What drift prints for it: the plan that undoes it.
UNDONE = (
    f"dn: cn=u7,{PEOPLE_DN}\nchangetype: modify\ndelete: mail\nmail: by-hand@domain.ro\n-\n"
    "add: mail\nmail: u7@domain.ro\n-\n"
)


def real_ldapsearch() -> Path:
    return next(
        Path(d) / "ldapsearch"
        for d in os.environ["PATH"].split(":")
        if (Path(d) / "ldapsearch").is_file()
    )


def spy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """An `ldapsearch` first on PATH running `body` ($REAL: the real one); the referral
    probe (`-M`) runs the real one untouched. Returns the folder it notes things in."""
    seen, program = tmp_path / "seen", tmp_path / "bin" / "ldapsearch"
    seen.mkdir()
    program.parent.mkdir()
    probe = 'for a in "$@"; do [ "$a" = -M ] && exec "$REAL" "$@"; done\n'
    program.write_text(f"#!/bin/sh\nREAL={real_ldapsearch()}\nSEEN={seen}\n{probe}{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{program.parent}:{os.environ['PATH']}")
    return seen


def hand_edited(root: Path, server: servers.LdapServer, extra: str = "") -> DirectoryRepo:
    """A repo of 40 mailboxes applied to the server, then one of them edited by hand there."""
    repo = live_repo(root, server, extra)
    for i in range(40):
        repo.write(f"cn=u{i},{PEOPLE_DN}", mailbox(i))
    repo.commit("mailboxes")
    code, _, err = ldifctl(repo, "apply", "--yes")
    assert code == 0, err
    assert server.ldapmodify(HAND_EDIT).returncode == 0
    return repo


def test_the_dump_goes_into_memory_never_onto_disk(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = hand_edited(tmp_path / "repo", slapd_env)
    # $$ is the shell: its stdout is what the real ldapsearch, run by `exec`, prints into.
    noted = 'out=$(readlink /proc/$$/fd/1)\necho "$out" > "$SEEN/stdout"\nexec "$REAL" "$@"'
    seen = spy(tmp_path, monkeypatch, noted)
    ws = open_workspace(repo.root, dict(os.environ))
    fast = drift._by_fingerprints(ws, WORKTREE)
    assert fast is not None, "the ldapsearch way did not apply"
    assert (seen / "stdout").read_text().startswith("/memfd:ldifctl-drift ")
    assert fast.plan.ldif == drift._whole(ws, WORKTREE).plan.ldif
    assert fast.plan.ldif == UNDONE + "\n"


@pytest.mark.parametrize("cut", [1, 700, 3000])  # within the first entry, and further on
def test_output_that_pauses_midway_is_read_whole(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch, cut: int
) -> None:
    """The reader catches up with ldapsearch, finds no more yet, and must wait for the
    rest rather than take the dump as ended (an entry then reads as deleted)."""
    repo = hand_edited(tmp_path / "repo", slapd_env)
    spy(
        tmp_path, monkeypatch,
        f'"$REAL" "$@" > "$SEEN/whole" || exit $?\nhead -c {cut} "$SEEN/whole"\n'
        f'sleep 0.4\ntail -c +{cut + 1} "$SEEN/whole"',
    )
    ws = open_workspace(repo.root, dict(os.environ))
    fast = drift._by_fingerprints(ws, WORKTREE)
    assert fast is not None, "the ldapsearch way did not apply"
    whole = drift._whole(ws, WORKTREE)
    assert fast.plan.ldif == whole.plan.ldif
    assert fast.plan.ldif == UNDONE + "\n"


def test_a_dump_cut_off_at_the_time_limit_is_read_again_by_python_ldap(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half the entries, then silence: killed at 20 times `timeout`, the dump is not the
    whole subtree, and the python-ldap read decides."""
    repo = hand_edited(tmp_path / "repo", slapd_env, "  timeout: 0.05\n")
    spy(
        tmp_path, monkeypatch,
        '"$REAL" "$@" > "$SEEN/whole" || exit $?\nhead -c 2000 "$SEEN/whole"\nexec sleep 60',
    )
    ws = open_workspace(repo.root, dict(os.environ))
    started = time.monotonic()
    assert drift._by_fingerprints(ws, WORKTREE) is None
    assert time.monotonic() - started < 30  # killed at 1 s, not waited out
    code, out, _ = ldifctl(repo, "drift")
    assert code == 3
    assert UNDONE in out


def test_giving_up_midway_closes_each_file_once(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stop` after the pieces were taken must not close a file number the process has
    since handed to another file."""
    from ldifctl.live import server_dump

    repo = hand_edited(tmp_path / "repo", slapd_env)
    dump = server_dump.start(open_workspace(repo.root, dict(os.environ)))
    assert dump is not None
    text = b"\n\n".join(dump.pieces())  # each piece ends where an entry ends
    assert text.count(b"\ndn: ") + text.startswith(b"dn: ") == 41 and not dump.failed
    other = os.open(tmp_path / "other", os.O_CREAT | os.O_WRONLY)  # likely the freed number
    try:
        dump.stop()
        assert os.write(other, b"still open") == 10
    finally:
        os.close(other)


# Writes argv[1] entries of ~170 bytes to its stdout, a thousand at a time, 20 ms apart: a
# reader that keeps pace holds a few thousand at most.
PACED_WRITER = """
import os, sys, time
entry = b"dn: cn=u%d,ou=people,dc=example,dc=net\\nobjectClass: person\\n" + b"sn: U\\n" * 20
part = b"\\n".join(entry % i for i in range(1000)) + b"\\n\\n"
for _ in range(int(sys.argv[1]) // 1000):
    os.write(1, part)
    time.sleep(0.02)
"""


def test_what_was_read_is_given_back() -> None:
    """The file holds what the writer is ahead of the reader, as a pipe would, not the
    whole dump (a million entries would keep 280 MB)."""
    from ldifctl.live import memory_file, server_dump

    entries = 64_000
    output = memory_file.create("ldifctl-drift")
    writer = subprocess.Popen([sys.executable, "-c", PACED_WRITER, str(entries)], stdout=output)
    dump = server_dump.Dump([(writer, output)], timeout=60)
    held, seen, total = [], 0, 0
    for piece in dump.pieces():
        seen, total = seen + piece.count(b"dn: cn=u"), total + len(piece) + 2
        held.append(os.fstat(output).st_blocks * 512)  # open until the last piece is taken
    assert seen == entries and not dump.failed
    assert total > 10_000_000 and max(held) < total / 4, (max(held), total)


def test_a_second_memory_file_that_cannot_be_had_stops_the_first_read(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of file descriptors at the second base (faked: no server makes it so): the
    first base's ldapsearch and probe are ended and reaped, its file closed, and the
    python-ldap read decides."""
    from ldifctl.live import memory_file, server_dump

    repo = hand_edited(tmp_path / "repo", slapd_env)
    text = (repo.root / "ldifctl.yaml").read_text()
    staff = "ou=staff,dc=example,dc=net"
    (repo.root / "ldifctl.yaml").write_text(
        text.replace(f"base_dn: {PEOPLE_DN}", f"base_dn: ['{PEOPLE_DN}', '{staff}']")
    )
    made: list[int] = []

    def create(name: str) -> int:
        if made:
            raise OSError(24, "Too many open files")
        made.append(os.memfd_create(name))
        return made[-1]

    monkeypatch.setattr(memory_file, "create", create)
    before = sorted(os.listdir("/proc/self/fd"))
    assert server_dump.start(open_workspace(repo.root, dict(os.environ))) is None
    with pytest.raises(OSError):
        os.fstat(made[0])  # closed
    assert sorted(os.listdir("/proc/self/fd")) == before
    left = subprocess.run(["pgrep", "-f", f"ldapsearch.*{slapd_env.uri}"], capture_output=True)
    assert left.stdout == b""


def test_a_referral_probe_that_hangs_is_killed_at_the_time_limit(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe (`ldapsearch -M`) has the dump's limit too: a server that stalls only
    the ManageDsaIT search must not hold drift; the python-ldap read then decides."""
    repo = hand_edited(tmp_path / "repo", slapd_env, "  timeout: 0.05\n")
    program = tmp_path / "bin" / "ldapsearch"
    program.parent.mkdir()
    program.write_text(
        f'#!/bin/sh\nfor a in "$@"; do [ "$a" = -M ] && exec sleep 60; done\n'
        f'exec {real_ldapsearch()} "$@"\n'
    )
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{program.parent}:{os.environ['PATH']}")
    started = time.monotonic()
    assert drift._by_fingerprints(open_workspace(repo.root, dict(os.environ)), WORKTREE) is None
    assert time.monotonic() - started < 30  # killed at 1 s
    left = subprocess.run(["pgrep", "-f", "sleep 60"], capture_output=True)
    assert left.stdout == b""
    code, out, _ = ldifctl(repo, "drift")
    assert (code, out) == (3, UNDONE + "\n")


def test_a_password_file_that_reads_once_serves_the_read_again(
    tmp_path: Path, slapd_env: servers.LdapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO gives its text once: ldapsearch got the password from drift, and the
    python-ldap read after a dump cut off binds with what drift kept (a second read of
    the FIFO would wait for a writer that is gone)."""
    repo = hand_edited(tmp_path / "repo", slapd_env, "  timeout: 0.05\n")
    spy(
        tmp_path, monkeypatch,
        '"$REAL" "$@" > "$SEEN/whole" || exit $?\nhead -c 2000 "$SEEN/whole"\nexec sleep 60',
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LDIFCTL_BIND")}
    environ["PW"] = slapd_env.root_pw
    fifo = tmp_path / "pw"
    os.mkfifo(fifo)
    run = f"exec timeout 60 {shlex.quote(sys.executable)} -m ldifctl drift"
    script = f'printf %s "$PW" > {fifo} &\nLDIFCTL_BIND_PASSWORD_FILE={fifo} {run}'
    done = subprocess.run(
        ["bash", "-c", script], cwd=repo.root, env=environ, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (3, UNDONE + "\n"), done.stderr
    assert (tmp_path / "seen" / "whole").stat().st_size > 2000  # ldapsearch did read
