"""`drift --write --branch NAME` stopped half way: SIGTERM (a CI job's timeout) or SIGHUP
while it waits on a hung slapd leaves no branch and no temporary work tree, and a later run
removes the work trees that a killed run (or an older ldifctl) left behind, and only those
(tests/live/test_drift_worktree.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live_kit import Dedicated, dedicated_slapd, ldifctl
from repo_kit import USER, DirectoryRepo
from test_drift_worktree import edit_owner, kept, killed_run
from test_live_drift import HAND_EDIT, synced_repo

from ldifctl.live import drift_signals, drift_worktree

BRANCH = "drift/one"


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Dedicated]:
    with dedicated_slapd(tmp_path / "server") as box:
        monkeypatch.setenv("LDIFCTL_BIND_PASSWORD", box.server.root_pw)
        monkeypatch.delenv("LDIFCTL_BIND_PASSWORD_FILE", raising=False)
        yield box


def trees(repo: DirectoryRepo) -> list[Path]:
    """The work trees besides the repo's own."""
    listed = repo.git("worktree", "list", "--porcelain").splitlines()
    paths = [Path(line.split(" ", 1)[1]) for line in listed if line.startswith("worktree ")]
    return [path.resolve() for path in paths[1:]]


def as_in_a_terminal() -> None:
    """The stop signals at their defaults, as a terminal's command has them. A child
    inherits an ignored signal, and drift leaves an ignored one ignored (`nohup`'s choice
    stands): a suite run in the background of a script (`cmd &`: SIGINT ignored) or under
    nohup (SIGHUP) would otherwise see drift wait out the hung bind (exit 1 after 30 s)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


def under_nohup() -> None:
    as_in_a_terminal()
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def start_drift(
    repo: DirectoryRepo, tmp: Path, signals: Callable[[], None] = as_in_a_terminal
) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(
        [sys.executable, "-m", "ldifctl", "drift", "--write", "--branch", BRANCH],
        cwd=repo.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        preexec_fn=signals,
    )


def started_on_a_hung_server(
    repo: DirectoryRepo, tmp: Path, signals: Callable[[], None] = as_in_a_terminal
) -> tuple[subprocess.Popen[str], Path]:
    """drift, half a second into its read of a server that does not answer; its tree."""
    process = start_drift(repo, tmp, signals)
    deadline = time.monotonic() + 60
    while not trees(repo):  # made before the server is read
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    [tree] = trees(repo)
    assert repo.git("branch", "--list", BRANCH) == ""  # made only once the commit is
    time.sleep(0.5)  # well into the read
    assert process.poll() is None
    return process, tree


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_while_the_server_hangs_leaves_no_branch_and_no_work_tree(
    tmp_path: Path, box: Dedicated, stop: signal.Signals
) -> None:
    repo = synced_repo(tmp_path / "repo", box.server)
    assert box.server.ldapmodify(HAND_EDIT).returncode == 0
    (tmp := tmp_path / "tmp").mkdir()
    os.kill(box.pid(), signal.SIGSTOP)  # the read hangs, as on a server that stopped answering
    try:
        process, tree = started_on_a_hung_server(repo, tmp)
        process.send_signal(stop)
        _, err = process.communicate(timeout=60)
    finally:
        os.kill(box.pid(), signal.SIGCONT)

    assert process.returncode == 128 + stop, err
    said = f"stopped by {stop.name}: branch {BRANCH} was not made, the temporary work tree "
    assert stop == signal.SIGINT or err.endswith(f"{said}is removed\n")  # Ctrl-C: as ever
    assert repo.git("branch", "--list", BRANCH) == ""
    assert trees(repo) == []
    assert not tree.parent.exists()
    # Nothing stands in the way of the next run.
    code, _, err = ldifctl(repo, "drift", "--write", "--branch", BRANCH)
    assert code == 3, err
    assert repo.git("diff", "--name-only", "HEAD", BRANCH) == (
        f"directory/dc=net/dc=example/ou=people/{USER.split(',')[0]}.yaml\n"
    )


def test_under_nohup_a_hangup_does_not_stop_the_run(tmp_path: Path, box: Dedicated) -> None:
    """SIGHUP ignored when drift starts (nohup) stays ignored: the run goes on and makes
    its branch once the server answers."""
    repo = synced_repo(tmp_path / "repo", box.server)
    assert box.server.ldapmodify(HAND_EDIT).returncode == 0
    (tmp := tmp_path / "tmp").mkdir()
    os.kill(box.pid(), signal.SIGSTOP)
    try:
        process, tree = started_on_a_hung_server(repo, tmp, under_nohup)
        process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert process.poll() is None
    finally:
        os.kill(box.pid(), signal.SIGCONT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 3, err
    assert repo.git("diff", "--name-only", "HEAD", BRANCH) == (
        f"directory/dc=net/dc=example/ou=people/{USER.split(',')[0]}.yaml\n"
    )
    assert trees(repo) == []
    assert not tree.parent.exists()


def test_work_trees_left_by_runs_that_are_gone_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `drift --write --branch` first removes the trees of ldifctl runs that ended
    (an older ldifctl's too, whose tree held the branch it made), and names the others."""
    (tmp := tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    repo = DirectoryRepo(tmp_path / "repo", "base_dn: ou=people,dc=example,dc=net\n"
                         "server:\n  uri: ldap://127.0.0.1:1\n")
    repo.commit("empty")
    old = tmp / "ldifctl-drift-old" / "tree"
    repo.git("worktree", "add", "--quiet", "-b", BRANCH, str(old))
    killed = killed_run(repo.root)
    elsewhere = killed_run(repo.root)
    edit_owner(elsewhere, host="other.host")
    mine = tmp_path / "ldifctl-drift-mine" / "tree"
    repo.git("worktree", "add", "--quiet", "--detach", str(mine))

    with drift_worktree.temporary(str(repo.root), "HEAD") as running:
        code, _, err = ldifctl(repo, "drift", "--write", "--branch", BRANCH)
        assert code == 1  # the older run made that branch: it stays, but can be deleted now
        *notes, error = err.splitlines()
        assert error == (f"error: --branch {BRANCH!r}: the branch exists already: ldifctl "
                         "makes a new one only; delete it (git branch -D) or choose another name")
        assert sorted(notes) == sorted([
            kept(elsewhere, "it was made on host other.host, whose processes cannot be seen "
                 "from here"),
            kept(running, f"the ldifctl run that made it is still going (pid {os.getpid()})"),
        ])
        assert sorted(trees(repo)) == sorted([running, elsewhere, mine])
        assert not old.parent.exists() and not killed.parent.exists()
    repo.git("branch", "-D", BRANCH)

    code, _, err = ldifctl(repo, "drift", "--write", "--branch", BRANCH)
    assert code == 1, err  # no server answers: nothing is made
    assert repo.git("branch", "--list", BRANCH) == ""
    assert sorted(trees(repo)) == sorted([elsewhere, mine])


def test_the_signals_raise_once_then_wait_for_the_end_of_the_work() -> None:
    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        with pytest.raises(drift_signals.Stopped) as stopped, drift_signals.raised():
            signal.raise_signal(signal.SIGTERM)
        assert (stopped.value.name, stopped.value.exit_code()) == ("SIGTERM", 143)
        assert received == []

        with drift_signals.raised() as guard:
            guard.disarm()  # the work is done: the signal is not an error of it
            signal.raise_signal(signal.SIGTERM)
            assert received == []
        assert received == [signal.SIGTERM]  # delivered as usual once the block is left
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_signal_during_the_cleanup_waits_for_it(tmp_path: Path, box: Dedicated) -> None:
    """SIGTERM while the tree is being removed cut the removal short: the tree stayed,
    registered, and the message said it was removed. The cleanup now ends first."""
    repo = synced_repo(tmp_path / "repo", box.server)
    assert box.server.ldapmodify(HAND_EDIT).returncode == 0
    (tmp := tmp_path / "tmp").mkdir()
    (shims := tmp_path / "shims").mkdir()
    marker = tmp_path / "removing"
    real = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    shim = shims / "git"
    shim.write_text(  # slow to remove a work tree, and says when it starts
        f'#!/bin/sh\ncase "$*" in *"worktree remove --force"*) touch {marker}; sleep 2;; esac\n'
        f'exec {real} "$@"\n'
    )
    shim.chmod(0o755)
    env = {**os.environ, "TMPDIR": str(tmp), "PATH": f"{shims}:{os.environ['PATH']}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ldifctl", "drift", "--write", "--branch", BRANCH],
        cwd=repo.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert err.endswith(f"stopped by SIGTERM: branch {BRANCH} was not made, the temporary "
                        "work tree is removed\n"), err
    assert repo.git("branch", "--list", BRANCH) == ""
    assert trees(repo) == []
    assert list(tmp.iterdir()) == []
